"""Safe rollouts: blue/green traffic shifting on the endpoint and the alarms that roll it back."""

from __future__ import annotations

import json

import pytest
from builders import aws_deployment, stack_values

ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
LIFECYCLE = "pulumi-python:dynamic/aws:SageMakerEndpointLifecycle"
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
    policy = canary.one(LIFECYCLE).inputs["deployment_config"]["BlueGreenUpdatePolicy"]
    assert policy["TrafficRoutingConfiguration"] == {
        "Type": "CANARY",
        "WaitIntervalInSeconds": 600,
        "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 20},
    }
    assert policy["TerminationWaitInSeconds"] == 120
    assert policy["MaximumExecutionTimeoutInSeconds"] == 3600
    # The waiter's bound: 3 h plus the rollout's maximum duration and termination wait.
    assert canary.one(LIFECYCLE).inputs["timeout_seconds"] == 10800 + 3600 + 120


def test_rollback_alarms_are_named_in_advance_and_watch_the_real_endpoint(canary):
    endpoint, lifecycle = canary.one(ENDPOINT), canary.one(LIFECYCLE)
    named = [a["AlarmName"] for a in lifecycle.inputs["deployment_config"]["AutoRollbackConfiguration"]["Alarms"]]
    assert named == [
        "ml-serving-prod-ranker-primary-invocation-5xx-8facc6d8",
        "ml-serving-prod-ranker-primary-model-latency-p99-8a519716",
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
    # The roll-over waits for the alarms, so even the first rollout of an update that adds them is watched.
    assert all(alarm.urn in lifecycle.options["dependsOn"] for alarm in alarms.values())
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
        "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ml-serving-prod-ranker-primary-invocation-5xx-8facc6d8",
        "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ml-serving-prod-ranker-primary-model-latency-p99-8a519716",
    ]


@pytest.mark.parametrize(
    ("rollout", "routing"),
    [
        (
            {"strategy": "linear", "linear_step_percent": 25, "wait_seconds": 120},
            {
                "Type": "LINEAR",
                "WaitIntervalInSeconds": 120,
                "LinearStepSize": {"Type": "CAPACITY_PERCENT", "Value": 25},
            },
        ),
        ({"strategy": "all_at_once", "wait_seconds": 0}, {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 0}),
        ({}, {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 300}),
    ],
)
def test_linear_and_all_at_once(run_stack, rollout, routing):
    plan = run_stack(stack_values(aws_deployment(rollout=rollout)))
    config = plan.one(LIFECYCLE).inputs["deployment_config"]
    assert config["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"] == routing
    assert "MaximumExecutionTimeoutInSeconds" not in config["BlueGreenUpdatePolicy"]
    (alarm,) = config["AutoRollbackConfiguration"]["Alarms"]  # 5xx only: no latency threshold by default
    assert alarm["AlarmName"] == "ml-serving-test-ranker-primary-invocation-5xx-04f84396"


def test_every_production_variant_is_watched_not_the_shadow(run_stack):
    sagemaker = {"variants": [{"name": "v2", "weight": 0.2}]}
    plan = run_stack(stack_values(aws_deployment(sagemaker=sagemaker, rollout={"strategy": "canary"})))
    variants = {alarm.inputs["dimensions"]["VariantName"] for alarm in plan.by_type(ALARM)}
    assert variants == {"primary", "v2"}


def test_without_rollback_no_alarms(run_stack):
    plan = run_stack(stack_values(aws_deployment(rollout={"strategy": "canary", "rollback": False})))
    assert plan.by_type(ALARM) == []
    assert "AutoRollbackConfiguration" not in plan.one(LIFECYCLE).inputs["deployment_config"]
    statements = {s["Sid"] for s in json.loads(plan.one(POLICY).inputs["policy"])["Statement"]}
    assert "DescribeRollbackAlarms" not in statements


def test_without_rollout_the_endpoint_is_unchanged(run_stack):
    plan = run_stack(stack_values(aws_deployment()))
    assert "deploymentConfig" not in plan.one(ENDPOINT).inputs
    assert "deployment_config" not in plan.one(LIFECYCLE).inputs  # None: not sent to the engine
    assert plan.one(LIFECYCLE).inputs["timeout_seconds"] == 10800
    assert plan.by_type(ALARM) == []
