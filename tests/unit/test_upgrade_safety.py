"""Upgrading ml-serving replaces or deletes nothing in users' clouds unless CHANGELOG.md announces it.

Each stack file of the previous release is planned twice: with the previous release's own code (exported with
``git archive`` into a temporary directory and run there with ``--json``) and with the code of this checkout. The
plan diff between the two lists what ``pulumi up`` after the upgrade would do to a stack deployed with the release;
every replacement and deletion must be announced in the "Unreleased" section of CHANGELOG.md by a line

    replaces: <resource type> <logical name>      (or ``deletes: ...``; ``*`` in the name matches any name)

When this release refuses a release stack file (a value the cloud would have refused as well), the stack file as
this release ships it (``stacks/``) is planned instead: the edit users make when they upgrade.

Needs the git history (a fresh clone has it; ``.ci/run`` does not clone shallow).
"""

from __future__ import annotations

import fnmatch
import io
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from builders import REPO

from components.config import ConfigError
from components.plan import plan_stack_file
from components.plan_diff import diff_plans
from components.plan_review import render_diff

PREVIOUS_RELEASE = "ee52222"
"""The commit of the previous release (0.1.0); move it forward at each release."""

SAGEMAKER_ENDPOINT_TYPES = {"aws:sagemaker/endpoint:Endpoint", "pulumi-python:dynamic/aws:SageMakerEndpointLifecycle"}
"""Resources whose replacement or deletion takes a live endpoint down: never allowed in an upgrade, announced or not
(no upgrade of ml-serving replaces a live endpoint)."""

ANNOUNCEMENT = re.compile(r"^\s*(?:[-*]\s*)?`?(replaces|deletes):\s+(\S+)\s+([^\s`]+)`?\s*$", re.MULTILINE)


def unreleased_announcements(changelog: str) -> set[tuple[str, str, str]]:
    """``{(verb, type, name pattern)}`` from the "Unreleased" section of a changelog's text."""
    match = re.search(r"^## \[Unreleased\]\s*$(.*?)(?=^## \[|\Z)", changelog, re.MULTILINE | re.DOTALL)
    section = match.group(1) if match else ""
    return {(verb, token, name) for verb, token, name in ANNOUNCEMENT.findall(section)}


def announced(verb: str, token: str, name: str, announcements: set[tuple[str, str, str]]) -> bool:
    return any(v == verb and t == token and fnmatch.fnmatchcase(name, n) for v, t, n in announcements)


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """The previous release's repository, exported into a temporary directory."""
    known = subprocess.run(
        ["git", "cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}"], cwd=REPO, capture_output=True, check=False
    )
    if known.returncode != 0:
        pytest.fail(
            f"commit {PREVIOUS_RELEASE} (the previous release) is not in this clone: "
            "fetch the full history (`git fetch --unshallow`) to run the upgrade-safety test"
        )
    archive = subprocess.run(["git", "archive", "--format=tar", PREVIOUS_RELEASE], cwd=REPO, capture_output=True)
    assert archive.returncode == 0, archive.stderr.decode()
    target = tmp_path_factory.mktemp("release")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def release_plan(release: Path, stack_file: Path) -> dict:
    """The JSON plan of ``stack_file`` made by the release's own code, in a separate process."""
    result = subprocess.run(
        [sys.executable, "-m", "components.plan", "--config-file", str(stack_file), "--json"],
        cwd=release,
        env={**os.environ, "PYTHONPATH": str(release)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    plan: dict = json.loads(result.stdout)
    return plan


def test_the_changelog_convention_is_parsed():
    text = (
        "# Changelog\n\n## [Unreleased]\n\n### Changed\n- Renamed the alarms.\n"
        "  replaces: aws:cloudwatch/metricAlarm:MetricAlarm *-invocation-5xx\n"
        "- `deletes: aws:sns/topic:Topic ranker-async-error`\n\n"
        "## [0.1.0] - 2026-11-28\nreplaces: aws:sagemaker/endpoint:Endpoint ranker-endpoint\n"
    )
    found = unreleased_announcements(text)
    assert found == {
        ("replaces", "aws:cloudwatch/metricAlarm:MetricAlarm", "*-invocation-5xx"),
        ("deletes", "aws:sns/topic:Topic", "ranker-async-error"),
    }
    assert announced("replaces", "aws:cloudwatch/metricAlarm:MetricAlarm", "ranker-invocation-5xx", found)
    assert not announced("replaces", "aws:sagemaker/endpoint:Endpoint", "ranker-endpoint", found)


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_upgrading_replaces_and_deletes_only_what_the_changelog_announces(release, stack):
    stack_file = release / "stacks" / f"Pulumi.{stack}.yaml"
    before = release_plan(release, stack_file)
    try:
        after = plan_stack_file(stack_file, REPO).to_json()
    except ConfigError:
        # This release refuses the old file (a value the cloud would have refused too, announced in CHANGELOG):
        # compare with the stack file as this release ships it, which users migrate to.
        after = plan_stack_file(REPO / "stacks" / stack_file.name, REPO).to_json()
    diff = diff_plans(before, after)
    endpoints = [
        f"{r.action} {r.type} {r.name}"
        for r in diff.resources
        if r.action in ("replace", "delete") and r.type in SAGEMAKER_ENDPOINT_TYPES
    ]
    assert endpoints == [], f"upgrading stack {stack} would replace or delete live SageMaker endpoints: {endpoints}"
    announcements = unreleased_announcements((REPO / "CHANGELOG.md").read_text(encoding="utf-8"))
    unannounced = [
        f"{'replaces' if r.action == 'replace' else 'deletes'}: {r.type} {r.name}"
        for r in diff.resources
        if r.action in ("replace", "delete")
        and not announced("replaces" if r.action == "replace" else "deletes", r.type, r.name, announcements)
    ]
    assert unannounced == [], (
        f"upgrading stack {stack} from {PREVIOUS_RELEASE} would do this without a CHANGELOG announcement "
        "(add an alias, or announce each line under ## [Unreleased]):\n"
        + "\n".join(unannounced)
        + "\n\n"
        + render_diff(diff, PREVIOUS_RELEASE, "this checkout")
    )
