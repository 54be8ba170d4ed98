"""Renaming the fixed-name rollback alarms is safe for the endpoint: during ``pulumi up`` the endpoint lifecycle never
names an alarm that does not exist.

The upgrade replaces each alarm (a new ``name``) and updates the lifecycle's ``deployment_config`` (update-time, no
replacement). Pulumi's default replacement is create-before-delete: "Pulumi creates the new resource, updates any
dependents to point to it, and then deletes the old resource"
(https://www.pulumi.com/docs/iac/concepts/options/deletebeforereplace/). So the order holds when, in the plan:

- the lifecycle depends on every alarm its ``deployment_config`` names (the new alarm exists before the update);
- no such alarm is ``deleteBeforeReplace`` (the old alarm is deleted only after the lifecycle stopped naming it);
- the lifecycle depends (through the model and endpoint configuration) on the execution-role policy that lets
  SageMaker ``cloudwatch:DescribeAlarms`` those names, so the role may read the new alarms before a rollout uses them.
"""

from __future__ import annotations

import copy
import json

import pytest
from builders import REPO

from components.plan import plan_stack_file

LIFECYCLE = "pulumi-python:dynamic/aws:SageMakerEndpointLifecycle"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


def order_problems(plan: dict) -> list[str]:
    """What breaks the order above in a JSON plan (``plan --json``), one line per problem."""
    resources = plan["resources"]
    by_urn = {r["urn"]: r for r in resources}
    alarms = {r["inputs"].get("name"): r for r in resources if r["type"] == ALARM}

    def ancestors(urn: str) -> set[str]:
        seen: set[str] = set()
        todo = [urn]
        while todo:
            for dependency in (by_urn[todo.pop()].get("options") or {}).get("dependsOn", []):
                if dependency not in seen and dependency in by_urn:
                    seen.add(dependency)
                    todo.append(dependency)
        return seen

    problems = []
    for lifecycle in (r for r in resources if r["type"] == LIFECYCLE):
        config = lifecycle["inputs"].get("deployment_config") or {}
        names = [a["AlarmName"] for a in config.get("AutoRollbackConfiguration", {}).get("Alarms", [])]
        before = ancestors(lifecycle["urn"])
        readable = set()
        for policy in (by_urn[u] for u in before if by_urn[u]["type"] == ROLE_POLICY):
            for statement in json.loads(policy["inputs"]["policy"])["Statement"]:
                if statement.get("Sid") == "DescribeRollbackAlarms":
                    readable |= {arn.rsplit(":alarm:", 1)[1] for arn in statement["Resource"]}
        for name in names:
            alarm = alarms.get(name)
            if alarm is None:
                problems.append(f"{lifecycle['name']}: names alarm {name}, which the plan does not declare")
                continue
            if alarm["urn"] not in lifecycle["options"].get("dependsOn", []):
                problems.append(f"{lifecycle['name']}: does not wait for alarm {alarm['name']}")
            if (alarm.get("options") or {}).get("deleteBeforeReplace"):
                problems.append(f"{alarm['name']}: deleteBeforeReplace would delete it while still named")
            if name not in readable:
                problems.append(f"{lifecycle['name']}: no role policy it waits for may DescribeAlarms {name}")
    return problems


@pytest.fixture(scope="module")
def prod() -> dict:
    plan: dict = plan_stack_file(REPO / "stacks" / "Pulumi.prod.yaml", REPO).to_json()
    return plan


def test_prod_alarms_are_created_before_and_deleted_after_the_lifecycle_update(prod):
    lifecycles = [r for r in prod["resources"] if r["type"] == LIFECYCLE and r["inputs"].get("deployment_config")]
    assert [r["name"] for r in lifecycles] == ["ranker-endpoint-lifecycle", "text-embed-endpoint-lifecycle"]
    assert order_problems(prod) == []


def test_a_missing_dependency_or_delete_before_replace_is_caught(prod):
    broken = copy.deepcopy(prod)
    ranker = next(r for r in broken["resources"] if r["name"] == "ranker-endpoint-lifecycle")
    ranker["options"]["dependsOn"] = [u for u in ranker["options"]["dependsOn"] if "metricAlarm" not in u]
    alarm = next(r for r in broken["resources"] if r["name"] == "text-embed-rollback-primary-invocation-5xx")
    alarm["options"]["deleteBeforeReplace"] = True
    assert order_problems(broken) == [
        "ranker-endpoint-lifecycle: does not wait for alarm ranker-rollback-primary-invocation-5xx",
        "ranker-endpoint-lifecycle: does not wait for alarm ranker-rollback-primary-model-latency-p99",
        "text-embed-rollback-primary-invocation-5xx: deleteBeforeReplace would delete it while still named",
    ]


def test_a_role_that_cannot_read_the_new_alarms_is_caught(prod):
    broken = copy.deepcopy(prod)
    policy = next(r for r in broken["resources"] if r["name"] == "text-embed-execution-policy")
    document = json.loads(policy["inputs"]["policy"])
    document["Statement"] = [s for s in document["Statement"] if s.get("Sid") != "DescribeRollbackAlarms"]
    policy["inputs"]["policy"] = json.dumps(document)
    assert order_problems(broken) == [
        "text-embed-endpoint-lifecycle: no role policy it waits for may DescribeAlarms "
        "ml-serving-prod-text-embed-primary-invocation-5xx-138b3469"
    ]
