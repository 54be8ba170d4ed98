"""Offline plan: what a stack would declare, without the Pulumi CLI, credentials or network.

Usage (from the Pulumi project's directory)::

    python -m components.plan --stack dev            # readable tree
    python -m components.plan --stack dev --json     # machine-readable plan
    python -m components.plan --config-file path/to/Pulumi.test.yaml
    python -m components.plan --diff base.json head.json           # compare two JSON plans
    python -m components.plan --diff origin/main --stack prod      # working tree against a git revision
    python -m components.plan --diff origin/main --all-stacks      # every stack file
    python -m components.plan --diff origin/main --all-stacks --markdown   # the pull-request comment
    python -m components.plan --deployer-policy --stack prod [--account 111122223333]  # IAM policy for `pulumi up`

A diff opens with what a reviewer must not miss (OUTAGE, DATA, BLOCKED), then the roll-overs, then the rest.

The stack file is validated first (every problem reported at once, exit code 2); the program then runs under
the shared mock runtime (:mod:`components.mock_runtime`). The output is deterministic.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .config import NAMESPACE, ConfigError, load_stack_config, read_stack_file, stack_name_of
from .mock_runtime import DeclaredStack, run_main

if TYPE_CHECKING:
    from .plan_diff import PlanDiff

EXIT_INVALID_CONFIG = 2


def project_settings(project_dir: Path) -> tuple[str, Path]:
    """(project name, stack config directory) from the project's ``Pulumi.yaml``."""
    document = yaml.safe_load((project_dir / "Pulumi.yaml").read_text(encoding="utf-8")) or {}
    return str(document.get("name", "ml-serving")), project_dir / str(document.get("stackConfigDir", "."))


def plan_stack_file(config_file: Path, project_dir: Path) -> DeclaredStack:
    """Validate ``config_file`` and run the project's program against it under the mock runtime."""
    project, _ = project_settings(project_dir)
    stack = stack_name_of(config_file)
    values = read_stack_file(config_file)
    if project == NAMESPACE or any(key.startswith(f"{NAMESPACE}:") for key in values):
        load_stack_config(values, stack, source=str(config_file))  # report every problem before running
    # A stack file holds secrets as ciphertexts ({secure: ...}): the plan shows their fingerprints, so that a diff
    # tells a changed secret from an unchanged one without showing either.
    return run_main(project_dir, stack=stack, config=values, project=project, secrets_are_ciphertexts=True)


def render_tree(plan: DeclaredStack) -> str:
    """The plan as an indented tree: ``+ type name`` per resource, key inputs underneath."""
    children: dict[str | None, list[Any]] = {}
    for resource in plan.resources:
        children.setdefault(resource.parent, []).append(resource)
    lines = [f"Stack {plan.stack}: {len(plan.resources) - 1} resources"]

    def walk(parent: str | None, depth: int) -> None:
        for resource in sorted(children.get(parent, []), key=lambda r: (r.type, r.name)):
            marks = "".join(f" [{flag}]" for flag in ("protect", "retainOnDelete") if resource.options.get(flag))
            lines.append(f"{'    ' * depth}+ {resource.type}  {resource.name}{marks}")
            walk(resource.urn, depth + 1)

    walk(None, 0)
    if plan.outputs:
        lines.append("Outputs:")
        for name, value in plan.outputs.items():
            if isinstance(value, dict):
                lines.append(f"    {name}:")
                lines += [f"        {key}: {item}" for key, item in value.items()]
            else:
                lines.append(f"    {name}: {value}")
    return "\n".join(lines)


class PlanFailed(Exception):
    """A plan could not be made (invalid stack file, missing revision...); the message says why."""


def plan_json_at_revision(revision: str, config_file: Path, project_dir: Path) -> dict[str, Any]:
    """The JSON plan of ``config_file`` as it is at git ``revision``, made with that revision's own code.

    The revision is exported with ``git archive`` into a temporary directory and planned there in a separate
    process, so the base plan never mixes old stack files with new components. A stack file that does not exist
    at the revision gives an empty plan (everything is new).
    """
    prefix = subprocess.run(
        ["git", "rev-parse", "--show-prefix"], cwd=project_dir, capture_output=True, text=True, check=False
    )
    if prefix.returncode != 0:
        raise PlanFailed(f"{project_dir} is not in a git repository: {prefix.stderr.strip()}")
    relative = config_file.resolve().relative_to(project_dir)
    with tempfile.TemporaryDirectory(prefix="ml-serving-base-") as temp:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", revision, prefix.stdout.strip() or "."],
            cwd=project_dir,
            capture_output=True,
            check=False,
        )
        if archive.returncode != 0:
            raise PlanFailed(f"cannot read revision {revision}: {archive.stderr.decode().strip()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(temp, filter="data")
        base_dir = Path(temp) / prefix.stdout.strip()
        if not (base_dir / relative).exists():
            return {"stack": stack_name_of(config_file), "resources": [], "outputs": {}}
        env = {**os.environ, "PYTHONPATH": str(base_dir)}
        command = [sys.executable, "-m", "components.plan", "--config-file", str(base_dir / relative), "--json"]
        result = subprocess.run(
            [*command, "--project-dir", str(base_dir)],
            cwd=base_dir,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise PlanFailed(f"the plan of {relative} at {revision} failed:\n{result.stderr.strip()}")
        plan: dict[str, Any] = json.loads(result.stdout)
        return plan


def _diff_files(paths: Sequence[str]) -> int:
    from .plan_diff import diff_plans  # the diff modules load only for --diff: a plain plan does not need them
    from .plan_review import render_diff

    base, head = (json.loads(Path(path).read_text(encoding="utf-8")) for path in paths)
    print(render_diff(diff_plans(base, head), paths[0], paths[1]), end="")
    return 0


def _diff_revision(revision: str, config_files: Sequence[Path], project_dir: Path, markdown: bool = False) -> int:
    from .plan_diff import diff_plans
    from .plan_review import render_diff, render_markdown

    status = 0
    diffs: list[PlanDiff] = []
    for config_file in config_files:
        try:
            head = plan_stack_file(config_file, project_dir).to_json()
            base = plan_json_at_revision(revision, config_file, project_dir)
        except (ConfigError, PlanFailed) as error:
            print(f"{config_file}: {error}", file=sys.stderr)
            status = EXIT_INVALID_CONFIG
            continue
        diffs.append(diff_plans(base, head))
    if markdown:
        print(render_markdown(diffs, revision, "working tree"))
    else:
        for diff in diffs:
            print(render_diff(diff, revision, "working tree"))
    return status


def _print_deployer_policy(config_file: Path, project_dir: Path, account: str) -> int:
    from .aws.deployer_policy import deployer_policy_json

    project, _ = project_settings(project_dir)
    try:
        stack = load_stack_config(read_stack_file(config_file), stack_name_of(config_file), source=str(config_file))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID_CONFIG
    print(deployer_policy_json(stack, account, project))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m components.plan``; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m components.plan", description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--stack", help="stack name: renders <stackConfigDir>/Pulumi.<stack>.yaml")
    source.add_argument("--config-file", type=Path, help="any stack file named Pulumi.<stack>.yaml")
    source.add_argument("--all-stacks", action="store_true", help="with --diff REV: every stack file of the project")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument(
        "--diff",
        nargs="+",
        metavar="BASE",
        help="BASE.json HEAD.json: compare two JSON plans; or REV with --stack/--config-file/--all-stacks: "
        "compare the working tree with git revision REV (e.g. origin/main)",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="with --diff REV: the pull-request comment (risk summary first)"
    )
    parser.add_argument("--project-dir", type=Path, default=Path.cwd(), help="Pulumi project directory (default: .)")
    parser.add_argument(
        "--deployer-policy",
        action="store_true",
        help="print the least-privilege IAM policy of the identity that runs `pulumi up` on the stack (SageMaker)",
    )
    parser.add_argument("--account", default="*", help="with --deployer-policy: the AWS account id (default: *)")
    args = parser.parse_args(argv)
    project_dir = args.project_dir.resolve()
    _, stacks_dir = project_settings(project_dir)
    if args.diff and len(args.diff) == 2 and not (args.stack or args.config_file or args.all_stacks):
        return _diff_files(args.diff)
    if args.diff and len(args.diff) > 1:
        parser.error("--diff takes two JSON files, or one git revision with --stack, --config-file or --all-stacks")
    if args.all_stacks and not args.diff:
        parser.error("--all-stacks goes with --diff REV")
    if not (args.stack or args.config_file or args.all_stacks):
        parser.error("one of --stack, --config-file or --all-stacks is required")
    if args.all_stacks:
        config_files = sorted(stacks_dir.glob("Pulumi.*.yaml"))
    else:
        config_files = [args.config_file or stacks_dir / f"Pulumi.{args.stack}.yaml"]
    missing = [path for path in config_files if not path.exists()]
    if missing:
        print(f"error: {missing[0]} does not exist", file=sys.stderr)
        return EXIT_INVALID_CONFIG
    if args.diff:
        return _diff_revision(args.diff[0], config_files, project_dir, markdown=args.markdown)
    if args.deployer_policy:
        return _print_deployer_policy(config_files[0], project_dir, args.account)
    try:
        plan = plan_stack_file(config_files[0], project_dir)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID_CONFIG
    if args.json:
        print(json.dumps(plan.to_json(), indent=2, sort_keys=True))
    else:
        print(render_tree(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
