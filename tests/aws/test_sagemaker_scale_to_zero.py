"""Scale to zero and back: backlog target tracking, the step policy and the HasBacklogWithoutCapacity alarm."""

from __future__ import annotations

import pytest
from builders import aws_deployment, stack_values

CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
TARGET = "aws:appautoscaling/target:Target"
POLICY = "aws:appautoscaling/policy:Policy"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


@pytest.fixture(scope="module")
def plan(module_run_stack):
    deployment = aws_deployment(
        **{"async": {"scale_from_zero_after_minutes": 2}},
        scaling={"min": 0, "max": 3, "metric": "backlog", "target": 4, "scale_out_cooldown": 120},
    )
    return module_run_stack(stack_values(deployment))


def dimensions(entries):
    return {entry["name"]: entry["value"] for entry in entries}


def test_min_zero_stays_zero_on_the_target_and_the_config_starts_one_instance(plan):
    target = plan.one(TARGET)
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (0, 3)
    (variant,) = plan.one(CONFIG).inputs["productionVariants"]
    assert variant["initialInstanceCount"] == 1  # max(1, min): SageMaker creates endpoints with an instance


def test_backlog_target_tracking_uses_the_endpoint_dimension_only(plan):
    policy = plan.one(POLICY, "ranker-backlog-scaling-backlog")
    assert policy.inputs["policyType"] == "TargetTrackingScaling"
    configuration = policy.inputs["targetTrackingScalingPolicyConfiguration"]
    metric = configuration["customizedMetricSpecification"]
    assert metric["metricName"] == "ApproximateBacklogSizePerInstance"
    assert metric["namespace"] == "AWS/SageMaker" and metric["statistic"] == "Average"
    assert list(dimensions(metric["dimensions"])) == ["EndpointName"]
    assert configuration["targetValue"] == 4


def test_step_policy_adds_one_instance_then_waits_longer_than_an_instance_takes_to_start(plan):
    # scale_out_cooldown 120 is the target tracking's; the from-zero step waits at least 600 s, so that a booting
    # instance is not joined by a second one if HasBacklogWithoutCapacity stays 1 while it boots.
    policy = plan.one(POLICY, "ranker-backlog-scaling-from-zero")
    assert policy.inputs["policyType"] == "StepScaling"
    step = policy.inputs["stepScalingPolicyConfiguration"]
    assert step["adjustmentType"] == "ChangeInCapacity" and step["cooldown"] == 600
    assert step["stepAdjustments"] == [{"metricIntervalLowerBound": "0", "scalingAdjustment": 1}]
    tracking = plan.one(POLICY, "ranker-backlog-scaling-backlog").inputs["targetTrackingScalingPolicyConfiguration"]
    assert tracking["scaleOutCooldown"] == 120


def test_a_longer_scale_out_cooldown_is_kept_for_the_step_policy(module_run_stack):
    deployment = aws_deployment(
        **{"async": True}, scaling={"min": 0, "max": 3, "metric": "backlog", "target": 4, "scale_out_cooldown": 900}
    )
    policy = module_run_stack(stack_values(deployment)).one(POLICY, "ranker-backlog-scaling-from-zero")
    assert policy.inputs["stepScalingPolicyConfiguration"]["cooldown"] == 900


def test_alarm_on_backlog_without_capacity_runs_the_step_policy(plan):
    alarm = plan.one(ALARM)
    inputs = alarm.inputs
    assert inputs["metricName"] == "HasBacklogWithoutCapacity" and inputs["namespace"] == "AWS/SageMaker"
    assert inputs["statistic"] == "Average" and inputs["period"] == 60
    assert inputs["comparisonOperator"] == "GreaterThanOrEqualToThreshold" and inputs["threshold"] == 1
    assert inputs["evaluationPeriods"] == 2 and inputs["datapointsToAlarm"] == 2
    assert inputs["treatMissingData"] == "notBreaching"
    step = plan.one(POLICY, "ranker-backlog-scaling-from-zero")
    assert step.urn in alarm.options["dependsOn"]
    (action,) = inputs["alarmActions"]
    assert action.startswith("arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:")
    assert "policyName/ranker-backlog-scaling-from-zero-" in action


def test_alarm_policy_and_metric_name_the_same_real_endpoint(plan):
    endpoint_name = plan.outputs["ranker"]["endpoint_name"]
    assert endpoint_name.startswith("ranker-endpoint-")  # the endpoint's auto-name from the plan
    alarm = plan.one(ALARM).inputs
    assert alarm["dimensions"] == {"EndpointName": endpoint_name}
    tracking = plan.one(POLICY, "ranker-backlog-scaling-backlog").inputs
    metric = tracking["targetTrackingScalingPolicyConfiguration"]["customizedMetricSpecification"]
    assert dimensions(metric["dimensions"]) == {"EndpointName": endpoint_name}
    resource_id = f"endpoint/{endpoint_name}/variant/primary"
    assert plan.one(TARGET).inputs["resourceId"] == resource_id
    for name in ("ranker-backlog-scaling-backlog", "ranker-backlog-scaling-from-zero"):
        assert plan.one(POLICY, name).inputs["resourceId"] == resource_id
    assert resource_id in alarm["alarmActions"][0]
    assert plan.one(ENDPOINT).urn in plan.one(ALARM).options["dependsOn"]


def test_no_other_tracking_policy_and_targets_wait_for_the_endpoint(plan):
    names = sorted(policy.name for policy in plan.by_type(POLICY))
    assert names == ["ranker-backlog-scaling-backlog", "ranker-backlog-scaling-from-zero"]
    target = plan.one(TARGET)
    assert plan.one(ENDPOINT).urn in target.options["dependsOn"]
    for policy in plan.by_type(POLICY):
        assert target.urn in policy.options["dependsOn"]


def test_backlog_with_a_floor_tracks_without_the_scale_from_zero_alarm(run_stack):
    plan = run_stack(stack_values(aws_deployment(**{"async": True}, scaling={"min": 1, "max": 3, "metric": "backlog"})))
    assert [policy.name for policy in plan.by_type(POLICY)] == ["ranker-backlog-scaling-backlog"]
    assert plan.by_type(ALARM) == []
    assert plan.one(TARGET).inputs["minCapacity"] == 1
    configuration = plan.one(POLICY).inputs["targetTrackingScalingPolicyConfiguration"]
    assert configuration["targetValue"] == 5  # the backlog default
