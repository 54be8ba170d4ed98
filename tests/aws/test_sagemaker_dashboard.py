"""The CloudWatch dashboard of a deployment: its metrics, their dimensions, and its URL."""

from __future__ import annotations

import json

import pytest
from builders import aws_deployment, stack_values

DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
ENDPOINT_ONLY = {
    "ApproximateBacklogSize",
    "ApproximateBacklogSizePerInstance",
    "HasBacklogWithoutCapacity",
    "ApproximateAgeOfOldestRequest",
}


def rows(body):
    """(namespace, metric, dimensions, options) of every metric of every widget."""
    found = []
    for widget in body["widgets"]:
        for row in widget["properties"]["metrics"]:
            namespace, metric, *rest = row
            options = rest.pop() if rest and isinstance(rest[-1], dict) else {}
            found.append((namespace, metric, dict(zip(rest[::2], rest[1::2], strict=True)), options))
    return found


@pytest.fixture(scope="module")
def realtime(module_run_stack):
    plan = module_run_stack(stack_values(aws_deployment()), stack="prod")
    return plan, json.loads(plan.one(DASHBOARD).inputs["dashboardBody"])


@pytest.fixture(scope="module")
def async_cpu(module_run_stack):
    deployment = aws_deployment(**{"async": True}, accelerator=None, scaling={"min": 0, "max": 2, "metric": "backlog"})
    plan = module_run_stack(stack_values(deployment))
    return plan, json.loads(plan.one(DASHBOARD).inputs["dashboardBody"])


def test_dashboard_name_and_url(realtime):
    plan, _ = realtime
    dashboard = plan.one(DASHBOARD)
    assert dashboard.inputs["dashboardName"] == "ml-serving-prod-ranker-8f682e56"
    outputs = plan.outputs["ranker"]
    assert outputs["dashboard_name"] == "ml-serving-prod-ranker-8f682e56"
    assert outputs["dashboard_url"] == (
        "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=ml-serving-prod-ranker-8f682e56"
    )


def test_every_metric_names_the_real_endpoint_and_variant(realtime):
    plan, body = realtime
    endpoint_name = plan.outputs["ranker"]["endpoint_name"]
    for namespace, metric, dimensions, _ in rows(body):
        assert dimensions == {"EndpointName": endpoint_name, "VariantName": "primary"}, metric
        assert namespace in ("AWS/SageMaker", "/aws/sagemaker/Endpoints")
    for widget in body["widgets"]:
        assert widget["properties"]["region"] == "eu-west-1"


def test_real_time_metrics_with_latency_percentiles_and_gpu(realtime):
    _, body = realtime
    found = {(namespace, metric, options.get("stat")) for namespace, metric, _, options in rows(body)}
    for expected in [
        ("AWS/SageMaker", "Invocations", "Sum"),
        ("AWS/SageMaker", "InvocationsPerInstance", "Sum"),
        ("AWS/SageMaker", "ConcurrentRequestsPerModel", "Maximum"),
        ("AWS/SageMaker", "ModelLatency", "p50"),
        ("AWS/SageMaker", "ModelLatency", "p99"),
        ("AWS/SageMaker", "Invocation4XXErrors", "Sum"),
        ("AWS/SageMaker", "Invocation5XXErrors", "Sum"),
        ("/aws/sagemaker/Endpoints", "CPUUtilization", "Average"),
        ("/aws/sagemaker/Endpoints", "MemoryUtilization", "Average"),
        ("/aws/sagemaker/Endpoints", "GPUUtilization", "Average"),
        ("/aws/sagemaker/Endpoints", "GPUMemoryUtilization", "Average"),
    ]:
        assert expected in found, expected
    assert not {metric for _, metric, _, _ in rows(body)} & ENDPOINT_ONLY


def test_instances_in_service_are_cpu_samples_per_minute(realtime):
    _, body = realtime
    instances = body["widgets"][0]["properties"]
    ((namespace, metric, _, options),) = rows({"widgets": [body["widgets"][0]]})
    assert (namespace, metric, options["stat"]) == ("/aws/sagemaker/Endpoints", "CPUUtilization", "SampleCount")
    assert instances["period"] == 60


def test_scaling_edits_leave_the_dashboard_alone(realtime, run_stack):
    plan, _ = realtime
    rescaled = run_stack(
        stack_values(aws_deployment(scaling={"min": 1, "max": 12, "metric": "concurrency", "target": 3})), stack="prod"
    )
    assert rescaled.one(DASHBOARD).inputs == plan.one(DASHBOARD).inputs


def test_async_dashboard_shows_the_queue_with_the_endpoint_dimension_only(async_cpu):
    plan, body = async_cpu
    endpoint_name = plan.outputs["ranker"]["endpoint_name"]
    metrics = {metric: dimensions for _, metric, dimensions, _ in rows(body)}
    for metric in ENDPOINT_ONLY:
        assert metrics[metric] == {"EndpointName": endpoint_name}
    assert metrics["ModelLatency"] == {"EndpointName": endpoint_name, "VariantName": "primary"}
    for unpublished in ("Invocations", "InvocationsPerInstance", "ConcurrentRequestsPerModel"):
        assert unpublished not in metrics  # SageMaker does not publish them for async endpoints
    assert "GPUUtilization" not in metrics  # a CPU instance


def test_widgets_are_laid_out_on_a_grid(async_cpu):
    _, body = async_cpu
    positions = [(w["x"], w["y"]) for w in body["widgets"]]
    assert len(set(positions)) == len(positions)
    assert all(w["width"] == 12 and w["height"] == 6 for w in body["widgets"])
