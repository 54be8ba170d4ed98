"""Offline plan: what a stack would declare, without the Pulumi CLI, credentials or network.

Usage (from the Pulumi project's directory)::

    python -m components.plan --stack dev            # readable tree
    python -m components.plan --stack dev --json     # machine-readable plan
    python -m components.plan --config-file path/to/Pulumi.test.yaml

The stack file is validated first (every problem reported at once, exit code 2); the program then runs under
the shared mock runtime (:mod:`components.mock_runtime`). The output is deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .config import ConfigError, load_stack_config, read_stack_file, stack_name_of
from .mock_runtime import Plan, run_main

EXIT_INVALID_CONFIG = 2


def project_settings(project_dir: Path) -> tuple[str, Path]:
    """(project name, stack config directory) from the project's ``Pulumi.yaml``."""
    document = yaml.safe_load((project_dir / "Pulumi.yaml").read_text(encoding="utf-8")) or {}
    return str(document.get("name", "ml-serving")), project_dir / str(document.get("stackConfigDir", "."))


def plan_stack_file(config_file: Path, project_dir: Path) -> Plan:
    """Validate ``config_file`` and run the project's program against it under the mock runtime."""
    project, _ = project_settings(project_dir)
    stack = stack_name_of(config_file)
    values = read_stack_file(config_file)
    load_stack_config(values, stack, source=str(config_file))
    return run_main(project_dir, stack=stack, config=values, project=project)


def render_tree(plan: Plan) -> str:
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m components.plan``; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m components.plan", description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--stack", help="stack name: renders <stackConfigDir>/Pulumi.<stack>.yaml")
    source.add_argument("--config-file", type=Path, help="any stack file named Pulumi.<stack>.yaml")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument("--project-dir", type=Path, default=Path.cwd(), help="Pulumi project directory (default: .)")
    args = parser.parse_args(argv)
    project_dir = args.project_dir.resolve()
    _, stacks_dir = project_settings(project_dir)
    config_file = args.config_file or stacks_dir / f"Pulumi.{args.stack}.yaml"
    if not config_file.exists():
        print(f"error: {config_file} does not exist", file=sys.stderr)
        return EXIT_INVALID_CONFIG
    try:
        plan = plan_stack_file(config_file, project_dir)
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
