"""The GitHub Actions workflows are valid and do what the README promises: PR diff comment, staged deploys."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from builders import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict:
    document = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    document["on"] = document.pop(True, document.get("on"))  # YAML 1.1 reads the key `on` as true
    return document


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflow_matches_github_schema(path):
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_request_posts_offline_plan_diff_of_every_stack_without_credentials():
    workflow = load("pull-request.yml")
    job = workflow["jobs"]["offline-plan-diff"]
    script = "\n".join(step.get("run", "") for step in job["steps"])
    assert "components.plan --diff" in script and "--all-stacks --markdown" in script  # risk summary first
    names = [step.get("name", "") for step in job["steps"]]
    assert names.index("Plan every stack offline and diff against the base branch") < names.index(
        "Post the diff as a pull-request comment"
    )
    assert job["permissions"]["pull-requests"] == "write"
    assert "id-token" not in job["permissions"]  # no cloud credentials for the offline diff
    assert any("sticky-pull-request-comment" in step.get("uses", "") for step in job["steps"])
    checkout = job["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0  # the base branch must be there to diff against


def test_preview_uses_oidc_and_the_policy_pack_per_stack():
    job = load("pull-request.yml")["jobs"]["preview"]
    assert job["permissions"]["id-token"] == "write"
    assert job["strategy"]["matrix"]["stack"] == ["dev", "staging", "prod"]
    preview = next(step for step in job["steps"] if step.get("uses", "").startswith("pulumi/actions"))
    assert preview["with"]["command"] == "preview" and preview["with"]["diff"] is True
    assert preview["with"]["policyPacks"] == "policies"
    assert preview["with"]["policyPackConfigs"] == "policies/config/${{ matrix.stack }}.json"


def test_merge_deploys_dev_then_staging_then_prod_in_environments():
    deploy = load("deploy.yml")
    assert deploy["on"]["push"]["branches"] == ["main"]
    jobs = deploy["jobs"]
    assert jobs["staging"]["needs"] == "dev" and jobs["prod"]["needs"] == "staging"
    assert {job["with"]["stack"] for job in jobs.values()} == {"dev", "staging", "prod"}
    up = load("pulumi-up.yml")["jobs"]["up"]
    assert up["environment"] == "${{ inputs.stack }}"  # approvals are configured on the environments
    step = next(step for step in up["steps"] if step.get("uses", "").startswith("pulumi/actions"))
    assert step["with"]["command"] == "up"
