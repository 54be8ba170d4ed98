"""Safe rollouts: blue/green traffic shifting on the endpoint and the alarms that roll it back."""

from __future__ import annotations

import json

import pytest
from builders import aws_deployment, stack_values

ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
POLICY = "aws:iam/rolePolicy:RolePolicy"


@pytest.fixture(scope="module")
def canary(module_run_stack):
    rollout = {
        "strategy": "canary",
        "canary_percent": 20,
        "wait_seconds": 600,
        "termination_wait_seconds": 120,
        "max_duration_seconds": 3600,
        "rollback": {"max_5xx_errors": 3, "max_p99_latency_ms": 250, "evaluation_minutes": 1},
    }
    return module_run_stack(stack_values(aws_deployment(rollout=rollout)), stack="prod")


def test_canary_maps_to_the_blue_green_policy(canary):
    policy = canary.one(ENDPOINT).inputs["deploymentConfig"]["blueGreenUpdatePolicy"]
    assert policy["trafficRoutingConfiguration"] == {
        "type": "CANARY",
        "waitIntervalInSeconds": 600,
        "canarySize": {"type": "CAPACITY_PERCENT", "value": 20},
    }
    assert policy["terminationWaitInSeconds"] == 120
    assert policy["maximumExecutionTimeoutInSeconds"] == 3600


def test_rollback_alarms_are_named_in_advance_and_watch_the_real_endpoint(canary):
    endpoint = canary.one(ENDPOINT)
    named = [a["alarmName"] for a in endpoint.inputs["deploymentConfig"]["autoRollbackConfiguration"]["alarms"]]
    assert named == [
        "ml-serving-prod-ranker-primary-invocation-5xx",
        "ml-serving-prod-ranker-primary-model-latency-p99",
    ]
    alarms = {alarm.inputs["name"]: alarm for alarm in canary.by_type(ALARM)}
    assert set(alarms) == set(named)
    endpoint_name = canary.outputs["ranker"]["endpoint_name"]
    assert endpoint_name.startswith("ranker-endpoint-") and "name" not in endpoint.inputs  # still auto-named
    for alarm in alarms.values():
        assert alarm.inputs["dimensions"] == {"EndpointName": endpoint_name, "VariantName": "primary"}
        assert alarm.inputs["namespace"] == "AWS/SageMaker" and alarm.inputs["period"] == 60
        assert alarm.inputs["treatMissingData"] == "notBreaching"
        assert endpoint.urn in alarm.options["dependsOn"]  # after the endpoint: no cycle
    assert not any(alarm.urn in endpoint.options.get("dependsOn", []) for alarm in alarms.values())
    assert canary.outputs["ranker"]["rollback_alarm_names"] == named


def test_5xx_alarm_sums_errors_and_latency_alarm_uses_p99_in_microseconds(canary):
    errors = canary.one(ALARM, "ranker-rollback-primary-invocation-5xx").inputs
    assert errors["metricName"] == "Invocation5XXErrors" and errors["statistic"] == "Sum"
    assert errors["comparisonOperator"] == "GreaterThanThreshold" and errors["threshold"] == 3
    assert errors["evaluationPeriods"] == 1
    latency = canary.one(ALARM, "ranker-rollback-primary-model-latency-p99").inputs
    assert latency["metricName"] == "ModelLatency" and latency["extendedStatistic"] == "p99"
    assert "statistic" not in latency
    assert latency["threshold"] == 250_000 and latency["unit"] == "Microseconds"


def test_role_may_describe_exactly_the_rollback_alarms(canary):
    statements = {s["Sid"]: s for s in json.loads(canary.one(POLICY).inputs["policy"])["Statement"]}
    describe = statements["DescribeRollbackAlarms"]
    assert describe["Action"] == ["cloudwatch:DescribeAlarms"]
    assert describe["Resource"] == [
        "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ml-serving-prod-ranker-primary-invocation-5xx",
        "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ml-serving-prod-ranker-primary-model-latency-p99",
    ]


@pytest.mark.parametrize(
    ("rollout", "routing"),
    [
        (
            {"strategy": "linear", "linear_step_percent": 25, "wait_seconds": 120},
            {
                "type": "LINEAR",
                "waitIntervalInSeconds": 120,
                "linearStepSize": {"type": "CAPACITY_PERCENT", "value": 25},
            },
        ),
        ({"strategy": "all_at_once", "wait_seconds": 0}, {"type": "ALL_AT_ONCE", "waitIntervalInSeconds": 0}),
        ({}, {"type": "ALL_AT_ONCE", "waitIntervalInSeconds": 300}),
    ],
)
def test_linear_and_all_at_once(run_stack, rollout, routing):
    plan = run_stack(stack_values(aws_deployment(rollout=rollout)))
    config = plan.one(ENDPOINT).inputs["deploymentConfig"]
    assert config["blueGreenUpdatePolicy"]["trafficRoutingConfiguration"] == routing
    assert "maximumExecutionTimeoutInSeconds" not in config["blueGreenUpdatePolicy"]
    (alarm,) = config["autoRollbackConfiguration"]["alarms"]  # 5xx only: no latency threshold by default
    assert alarm["alarmName"].endswith("-ranker-primary-invocation-5xx")


def test_every_production_variant_is_watched_not_the_shadow(run_stack):
    sagemaker = {"variants": [{"name": "v2", "weight": 0.2}]}
    plan = run_stack(stack_values(aws_deployment(sagemaker=sagemaker, rollout={"strategy": "canary"})))
    variants = {alarm.inputs["dimensions"]["VariantName"] for alarm in plan.by_type(ALARM)}
    assert variants == {"primary", "v2"}


def test_without_rollback_no_alarms(run_stack):
    plan = run_stack(stack_values(aws_deployment(rollout={"strategy": "canary", "rollback": False})))
    assert plan.by_type(ALARM) == []
    assert "autoRollbackConfiguration" not in plan.one(ENDPOINT).inputs["deploymentConfig"]
    statements = {s["Sid"] for s in json.loads(plan.one(POLICY).inputs["policy"])["Statement"]}
    assert "DescribeRollbackAlarms" not in statements


def test_without_rollout_the_endpoint_is_unchanged(run_stack):
    plan = run_stack(stack_values(aws_deployment()))
    assert "deploymentConfig" not in plan.one(ENDPOINT).inputs
    assert plan.by_type(ALARM) == []
