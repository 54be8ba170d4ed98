"""The review puts risk first: each risky edit of a real stack file lands in its category (OUTAGE, DATA, BLOCKED).

Every test starts from one of the stack files under ``stacks/``, mutates it the way a user would, plans both under
the mock runtime and reads the review text as a reviewer would.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from builders import REPO

from components.config import read_stack_file
from components.mock_runtime import run_main
from components.plan_diff import diff_plans
from components.plan_review import render_diff, render_markdown, risks

_BASE_PLANS: dict[str, dict[str, Any]] = {}


def stack_file(stack: str) -> dict[str, Any]:
    return copy.deepcopy(read_stack_file(REPO / "stacks" / f"Pulumi.{stack}.yaml"))


def plan(stack: str, values: dict[str, Any]) -> dict[str, Any]:
    return run_main(REPO, stack=stack, config=values).to_json()


def base_plan(stack: str) -> dict[str, Any]:
    if stack not in _BASE_PLANS:
        _BASE_PLANS[stack] = plan(stack, stack_file(stack))
    return _BASE_PLANS[stack]


def deployment(values: dict[str, Any], name: str) -> dict[str, Any]:
    return next(d for d in values["ml-serving:deployments"] if d["name"] == name)


def review(stack: str, values: dict[str, Any]) -> tuple[dict[str, list[str]], str]:
    """(category -> risk messages, the review text) of the edit ``values`` against the stack file as it is."""
    diff = diff_plans(base_plan(stack), plan(stack, values))
    found: dict[str, list[str]] = {}
    for risk in risks(diff):
        found.setdefault(risk.category, []).append(risk.message)
    return found, render_diff(diff, "main", "edit")


def test_renaming_a_deployment_is_an_outage():
    values = stack_file("prod")
    deployment(values, "ranker")["name"] = "ranker-v2"
    found, text = review("prod", values)
    assert "ranker-endpoint (aws:sagemaker/endpoint:Endpoint) is deleted: requests to it fail" in found["OUTAGE"]
    assert any(m.startswith("output ranker.invoke_url disappears") for m in found["OUTAGE"])
    assert text.splitlines()[1].startswith("!! OUTAGE (")


def test_switching_async_on_changes_the_invoke_url():
    values = stack_file("dev")
    embed = deployment(values, "text-embed")
    embed["async"] = True
    embed["scaling"] = {"min": 1, "max": 2, "metric": "backlog", "target": 5}  # invocations: real-time only
    found, _ = review("dev", values)
    assert found["OUTAGE"] == [
        "output text-embed.invoke_url changes: "
        "https://runtime.sagemaker.eu-west-1.amazonaws.com/endpoints/text-embed-endpoint-1e80aed/invocations -> "
        "https://runtime.sagemaker.eu-west-1.amazonaws.com/endpoints/text-embed-endpoint-1e80aed/async-invocations:"
        " update every client"
    ]


def test_switching_to_a_dedicated_vertex_endpoint_replaces_it():
    values = stack_file("dev")
    deployment(values, "reranker")["vertex"]["dedicated_endpoint"] = True
    found, _ = review("dev", values)
    assert found["OUTAGE"][0] == (
        "reranker-endpoint (gcp:vertex/aiEndpoint:AiEndpoint) is replaced (dedicatedEndpointEnabled):"
        " a new endpoint with a new name and URL"
    )
    assert any(m.startswith("output reranker.predict_url changes") for m in found["OUTAGE"])


def test_a_region_change_replaces_every_regional_resource():
    values = stack_file("dev")
    values["aws:region"] = "eu-central-1"
    for item in values["ml-serving:deployments"]:  # SageMaker takes images from its own region's ECR only
        item["image"] = item["image"].replace(".ecr.eu-west-1.", ".ecr.eu-central-1.")
    diff = diff_plans(base_plan("dev"), plan("dev", values))
    replaced = {r.type for r in diff.of("replace") if r.reason == "region eu-west-1 -> eu-central-1"}
    assert "aws:sagemaker/endpoint:Endpoint" in replaced and "aws:s3/bucket:Bucket" in replaced
    assert "aws:iam/role:Role" not in replaced  # IAM is global
    assert "aws:cloudwatch/dashboard:Dashboard" not in replaced  # dashboards are global
    found = [r for r in risks(diff) if r.category == "OUTAGE"]
    assert any("ranker-endpoint (aws:sagemaker/endpoint:Endpoint) is replaced (region" in r.message for r in found)


def test_lower_output_retention_expires_data_sooner():
    values = stack_file("dev")
    deployment(values, "doc-summarizer")["async"]["output_retention_days"] = 7
    found, _ = review("dev", values)
    lifecycle = "doc-summarizer-async-lifecycle (aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration)"
    assert found == {
        "DATA": [  # outputs/ and failures/ expire after the retention
            f"{lifecycle} keeps outputs shorter: rules[0].expiration.days 14 -> 7",
            f"{lifecycle} keeps outputs shorter: rules[1].expiration.days 14 -> 7",
        ]
    }


def test_force_destroy_turned_on_is_data():
    values = stack_file("dev")
    deployment(values, "doc-summarizer")["async"]["force_destroy"] = True
    found, _ = review("dev", values)
    assert (
        "doc-summarizer-async-bucket (aws:s3/bucket:Bucket): forceDestroy turned on:"
        " deleting it deletes every object in it"
    ) in found["DATA"]


def test_protection_removed_is_data_and_shows_as_an_option_change():
    values = stack_file("prod")
    deployment(values, "doc-summarizer")["async"]["protect"] = False
    found, text = review("prod", values)
    assert (
        "doc-summarizer-async-bucket (aws:s3/bucket:Bucket): protect removed: a later delete loses its outputs"
        in found["DATA"]
    )
    assert "No changes." not in text
    assert "      [option] protect: True -> (absent)" in text


def test_deleting_a_protected_bucket_is_blocked():
    values = stack_file("prod")
    values["ml-serving:deployments"] = [d for d in values["ml-serving:deployments"] if d["name"] != "doc-summarizer"]
    found, text = review("prod", values)
    assert (
        "doc-summarizer-async-bucket (aws:s3/bucket:Bucket) is protected and would be deleted:"
        " remove `protect` in an update first"
    ) in found["BLOCKED"]
    assert (
        "doc-summarizer-endpoint (aws:sagemaker/endpoint:Endpoint) is deleted: requests to it fail" in (found["OUTAGE"])
    )
    lines = text.splitlines()
    heads = [line.split(" (")[0] for line in lines if line.startswith("!! ")]
    assert heads == ["!! OUTAGE", "!! BLOCKED"]  # retained on delete: the data stays, no DATA line


def test_deleting_an_unprotected_unretained_bucket_deletes_data():
    values = stack_file("dev")
    deployment(values, "doc-summarizer")["async"]["force_destroy"] = True
    with_force = plan("dev", values)
    values["ml-serving:deployments"] = [d for d in values["ml-serving:deployments"] if d["name"] != "doc-summarizer"]
    diff = diff_plans(with_force, plan("dev", values))
    data = [r.message for r in risks(diff) if r.category == "DATA"]
    assert data == [
        "doc-summarizer-async-bucket (aws:s3/bucket:Bucket) is deleted: the outputs stored in it are deleted"
    ]


def test_tags_only_change_replaces_nothing():
    values = stack_file("prod")
    values["ml-serving:defaults"]["tags"]["cost-center"] = "ml-prod-2"
    found, _ = review("prod", values)
    diff = diff_plans(base_plan("prod"), plan("prod", values))
    assert found == {}
    assert diff.of("replace") == []
    assert {r.type for r in diff.of("update")} >= {
        "aws:sagemaker/model:Model",
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    }


def test_a_new_image_is_a_roll_over_not_a_risk():
    values = stack_file("prod")
    deployment(values, "ranker")["image"] = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.4.0"
    found, text = review("prod", values)
    assert found == {}
    lines = text.splitlines()
    assert lines[1] == "!  REPLACED (2): roll-overs, created anew, then the old one is deleted"
    assert (
        lines[2]
        == "   +- aws:sagemaker/endpointConfiguration:EndpointConfiguration  ranker-config  (ranker-model is replaced)"
    )
    assert lines[3] == "   +- aws:sagemaker/model:Model  ranker-model  (primaryContainer)"


def test_the_pull_request_comment_shows_the_risk_summary_before_the_listing():
    values = stack_file("prod")
    deployment(values, "ranker")["name"] = "ranker-v2"
    diff = diff_plans(base_plan("prod"), plan("prod", values))
    text = render_markdown([diff], "origin/main", "working tree")
    assert text.index("#### Risk summary") < text.index("!! OUTAGE") < text.index("#### Changes")
    assert "   - [prod] ranker-endpoint (aws:sagemaker/endpoint:Endpoint) is deleted" in text


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_an_unchanged_stack_has_no_changes(stack):
    assert "No changes." in render_diff(diff_plans(base_plan(stack), plan(stack, stack_file(stack))))


def test_a_gcp_region_change_replaces_the_endpoint_and_is_blocked_by_the_protected_bucket():
    values = stack_file("prod")
    values["gcp:region"] = "europe-west1"
    vertex = values["ml-serving:defaults"]["vertex"]  # the key must be in the endpoint's region
    vertex["kms_key"] = vertex["kms_key"].replace("/europe-west4/", "/europe-west1/")
    found, text = review("prod", values)
    assert found["OUTAGE"][0] == (
        "reranker-endpoint (gcp:vertex/aiEndpoint:AiEndpoint) is replaced (region europe-west4 -> europe-west1):"
        " a new endpoint with a new name and URL"
    )
    assert found["BLOCKED"] == [
        "reranker-output-bucket (gcp:storage/bucket:Bucket) is protected and would be replaced"
        " (region europe-west4 -> europe-west1): Pulumi refuses to delete it"
    ]
    assert "Provider config:\n  ~ gcp:region: europe-west4 -> europe-west1" in text


def test_lower_retention_of_the_vertex_output_bucket_is_data():
    values = stack_file("prod")
    deployment(values, "reranker")["async"]["output_retention_days"] = 7
    found, _ = review("prod", values)
    assert found == {
        "DATA": [
            "reranker-output-bucket (gcp:storage/bucket:Bucket) keeps outputs shorter:"
            " lifecycleRules[0].condition.age 30 -> 7"
        ]
    }
