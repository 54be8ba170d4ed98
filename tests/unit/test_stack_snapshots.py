"""Every stack file renders offline, matches its reviewed snapshot, and the environments differ as intended.

A reviewer reads the snapshot's diff in the pull request. After an intended change, refresh the snapshots with
``UPDATE_SNAPSHOTS=1 venv/bin/python -m pytest tests/unit/test_stack_snapshots.py``.
"""

from __future__ import annotations

import json
import os

import pytest
from builders import REPO

from components.plan import plan_stack_file
from components.plan_diff import diff_plans
from components.plan_review import render_diff

STACK_FILES = sorted((REPO / "stacks").glob("Pulumi.*.yaml"))
SNAPSHOTS = REPO / "tests" / "snapshots"


def stack_name(path):
    return path.stem.removeprefix("Pulumi.")


@pytest.fixture(scope="module")
def plans():
    return {stack_name(path): plan_stack_file(path, REPO).to_json() for path in STACK_FILES}


def test_the_three_environments_exist():
    assert {stack_name(path) for path in STACK_FILES} >= {"dev", "staging", "prod"}


@pytest.mark.parametrize("stack", [stack_name(p) for p in STACK_FILES])
def test_plan_matches_snapshot(plans, stack):
    snapshot = SNAPSHOTS / f"{stack}.json"
    current = json.dumps(plans[stack], indent=1, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(current, encoding="utf-8")
    if not snapshot.exists():
        pytest.fail(
            f"no snapshot {snapshot.relative_to(REPO)} for stacks/Pulumi.{stack}.yaml: write it with "
            "UPDATE_SNAPSHOTS=1 venv/bin/python -m pytest tests/unit/test_stack_snapshots.py, then review it"
        )
    recorded = json.loads(snapshot.read_text(encoding="utf-8"))
    if recorded != plans[stack]:
        pytest.fail(
            f"the plan of stacks/Pulumi.{stack}.yaml changed; review the diff, then refresh with "
            "UPDATE_SNAPSHOTS=1 venv/bin/python -m pytest tests/unit/test_stack_snapshots.py:\n"
            + render_diff(diff_plans(recorded, plans[stack]), "snapshot", "now")
        )


def resources(plan, type_token):
    return [r for r in plan["resources"] if r["type"] == type_token]


def test_prod_keeps_two_instances_rolls_out_canary_with_rollback_and_protects_data(plans):
    prod = plans["prod"]
    key = "arn:aws:kms:eu-west-1:111122223333:key/9b7e4f2a-3c1d-4e8f-a6b5-0d2c7e9f1a34"
    keys = {}
    for config in resources(prod, "aws:sagemaker/endpointConfiguration:EndpointConfiguration"):
        if "asyncInferenceConfig" not in config["inputs"]:
            assert all(v["initialInstanceCount"] >= 2 for v in config["inputs"]["productionVariants"]), config["name"]
        output = config["inputs"].get("asyncInferenceConfig", {}).get("outputConfig", {})
        keys[config["name"]] = (config["inputs"].get("kmsKeyArn"), output.get("kmsKeyId"))
    # A KMS key wherever AWS accepts one: not on the g5 endpoint configurations (local NVMe storage).
    assert keys == {
        "ranker-config": (None, None),
        "text-embed-config": (key, None),
        "doc-summarizer-config": (None, key),
    }
    strategies = {
        r["name"]: r["inputs"]["deployment_config"]["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]["Type"]
        for r in resources(prod, "pulumi-python:dynamic/aws:SageMakerEndpointLifecycle")
        if r["inputs"].get("deployment_config")
    }
    assert strategies == {"ranker-endpoint-lifecycle": "CANARY", "text-embed-endpoint-lifecycle": "LINEAR"}
    assert len(resources(prod, "aws:cloudwatch/metricAlarm:MetricAlarm")) >= 3
    buckets = resources(prod, "aws:s3/bucket:Bucket") + resources(prod, "gcp:storage/bucket:Bucket")
    assert buckets and all(b.get("options", {}).get("protect") for b in buckets)
    (vertex,) = resources(prod, "pulumi-python:dynamic/gcp:VertexModelDeployment")
    assert vertex["inputs"]["min_replicas"] >= 2


def test_dev_is_cheap_and_scales_to_zero_where_it_can(plans):
    dev = plans["dev"]
    targets = {
        r["inputs"]["resourceId"].split("/")[1].rsplit("-endpoint-", 1)[0]: r["inputs"]
        for r in resources(dev, "aws:appautoscaling/target:Target")
    }
    assert targets["doc-summarizer"]["minCapacity"] == 0
    types = [
        v["instanceType"]
        for c in resources(dev, "aws:sagemaker/endpointConfiguration:EndpointConfiguration")
        for v in c["inputs"]["productionVariants"]
    ]
    assert "ml.g4dn.xlarge" in types and not any(t.startswith(("ml.p4", "ml.p5")) for t in types)
    assert not any(b.get("options", {}).get("protect") for b in resources(dev, "aws:s3/bucket:Bucket"))


def test_staging_is_prod_shaped_but_smaller(plans):
    def names(plan):
        return sorted(
            r["name"]
            for r in plan["resources"]
            if r["type"].startswith("ml-serving:aws:SageMakerDeployment")
            or r["type"] == "ml-serving:gcp:VertexDeployment"
        )

    assert names(plans["staging"]) == names(plans["prod"])

    def ceilings(plan):
        return {
            r["inputs"]["resourceId"].split("/")[1].rsplit("-endpoint-", 1)[0]: r["inputs"]["maxCapacity"]
            for r in resources(plan, "aws:appautoscaling/target:Target")
        }

    staging, prod = ceilings(plans["staging"]), ceilings(plans["prod"])
    assert all(staging[name] <= prod[name] for name in staging) and sum(staging.values()) < sum(prod.values())


def test_every_vertex_endpoint_id_in_every_plan_passes_the_api_rule(plans):
    """The mock gives an AiEndpoint Pulumi's auto-name ``{logical}-{7 hex}``, which pulumi-gcp sends as
    ``CreateEndpointRequest.endpoint_id``: each one must pass the API's rule (and not be a 10-digit number)."""
    from components.facts.gcp import ENDPOINT_ID

    seen = []
    for stack, plan in plans.items():
        for endpoint in resources(plan, "gcp:vertex/aiEndpoint:AiEndpoint"):
            deployment = endpoint["parent"].rsplit("::", 1)[-1]
            outputs = plan["outputs"][deployment]
            endpoint_id = outputs["endpoint_id"]
            assert ENDPOINT_ID.match(endpoint_id), (stack, endpoint_id)
            assert endpoint_id.startswith(f"{endpoint['name']}-"), (stack, endpoint_id)
            suffix = endpoint_id.removeprefix(f"{endpoint['name']}-")
            assert len(suffix) == 7 and set(suffix) <= set("0123456789abcdef"), (stack, endpoint_id)
            region, project = endpoint["inputs"]["region"], endpoint["inputs"]["project"]
            assert outputs["endpoint_name"] == f"projects/{project}/locations/{region}/endpoints/{endpoint_id}"
            seen.append((stack, deployment))
    assert ("dev", "reranker") in seen and ("prod", "reranker") in seen
