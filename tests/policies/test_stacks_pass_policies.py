"""Every rule over the offline plan of every stack file, with that stack's policy-pack config."""

from __future__ import annotations

import json

import pytest
from builders import REPO
from ml_serving_policies import PolicySettings, check_resources
from ml_serving_policies.rules import resources_from_plan

from components.plan import plan_stack_file

STACK_FILES = sorted((REPO / "stacks").glob("Pulumi.*.yaml"))


@pytest.mark.parametrize("stack_file", STACK_FILES, ids=lambda p: p.stem.removeprefix("Pulumi."))
def test_stack_has_no_mandatory_violations(stack_file):
    stack = stack_file.stem.removeprefix("Pulumi.")
    config = json.loads((REPO / "policies" / "config" / f"{stack}.json").read_text(encoding="utf-8"))
    plan = plan_stack_file(stack_file, REPO).to_json()
    found = check_resources(resources_from_plan(plan), PolicySettings.from_pack_config(config))
    mandatory = [(v.rule, v.urn, v.message) for v in found if v.enforcement == "mandatory"]
    assert mandatory == []


def test_every_stack_file_has_a_policy_config():
    configs = {path.stem for path in (REPO / "policies" / "config").glob("*.json")}
    assert {path.stem.removeprefix("Pulumi.") for path in STACK_FILES} <= configs
