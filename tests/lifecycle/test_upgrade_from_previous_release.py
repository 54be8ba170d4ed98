"""Upgrading from the previous release replaces or deletes nothing the CHANGELOG does not announce.

Each stack file is planned twice: as it was at the previous release, with that release's own code (exported with
``git archive`` and planned in a separate process, :func:`components.plan.plan_json_at_revision`), and as it is
now, with the new code. Any resource the diff replaces or deletes must be listed in CHANGELOG.md under
"[Unreleased]" / "### Replaced or deleted on upgrade" as ``- `TYPE` `LOGICAL NAME` (stack): why``. A live
SageMaker endpoint must never be on that list.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from builders import REPO

from components.plan import plan_json_at_revision, plan_stack_file
from components.plan_diff import diff_plans

PREVIOUS_RELEASE = os.environ.get("ML_SERVING_PREVIOUS_RELEASE", "ee52222")
"""The commit the stacks in use were deployed from (0.1.0 plus the facts skeleton, before issue 9's lifecycle)."""
ENDPOINT_TYPES = {"aws:sagemaker/endpoint:Endpoint", "pulumi-python:dynamic/aws:SageMakerEndpointLifecycle"}
STACKS = sorted(path.name for path in (REPO / "stacks").glob("Pulumi.*.yaml"))


def announced() -> set[tuple[str, str, str]]:
    """``(type, logical name, stack)`` listed under "Replaced or deleted on upgrade" in the Unreleased section."""
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    unreleased = text.split("## [Unreleased]", 1)[1].split("\n## [", 1)[0]
    section = unreleased.split("### Replaced or deleted on upgrade", 1)
    if len(section) == 1:
        return set()
    body = section[1].split("\n### ", 1)[0]
    return {
        (kind, name, stack) for kind, name, stack in re.findall(r"^- `([^`]+)` `([^`]+)` \((\w+)\)", body, re.MULTILINE)
    }


def _has_revision(revision: str) -> bool:
    found = subprocess.run(["git", "cat-file", "-e", f"{revision}^{{commit}}"], cwd=REPO, capture_output=True)
    return found.returncode == 0


@pytest.mark.skipif(not _has_revision(PREVIOUS_RELEASE), reason="the previous release is not in this clone")
@pytest.mark.parametrize("stack_file", STACKS)
def test_upgrade_replaces_or_deletes_only_what_the_changelog_announces(stack_file: str) -> None:
    path = REPO / "stacks" / stack_file
    stack = stack_file.split(".")[1]
    before = plan_json_at_revision(PREVIOUS_RELEASE, path, REPO)
    after = plan_stack_file(path, REPO).to_json()
    diff = diff_plans(before, after)
    destructive = [r for r in diff.resources if r.action in ("replace", "delete")]
    endpoints = [f"{r.action} {r.type} {r.name}" for r in destructive if r.type in ENDPOINT_TYPES]
    assert endpoints == [], f"an upgrade of {stack} would replace or delete live endpoints: {endpoints}"
    unannounced = [f"{r.action} {r.type} {r.name}" for r in destructive if (r.type, r.name, stack) not in announced()]
    assert unannounced == [], (
        f"announce these in CHANGELOG.md (Unreleased, 'Replaced or deleted on upgrade'): {unannounced}"
    )
    holders_before = {r["urn"] for r in before["resources"] if r["type"] == "aws:sagemaker/endpoint:Endpoint"}
    holders_after = {r["urn"] for r in after["resources"] if r["type"] == "aws:sagemaker/endpoint:Endpoint"}
    assert holders_before == holders_after  # every live endpoint keeps its URN (hence its state and its name)


def test_the_changelog_parser_reads_announcements() -> None:
    assert all(len(entry) == 3 for entry in announced())
