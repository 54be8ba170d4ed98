"""SageMaker real-time deployment as a reviewer reads it in a preview: role, model, config, endpoint, scaling."""

from __future__ import annotations

import json

import pytest
from builders import aws_deployment, stack_values

from components.facts.aws import vcpus_of

ROLE = "aws:iam/role:Role"
POLICY = "aws:iam/rolePolicy:RolePolicy"
MODEL = "aws:sagemaker/model:Model"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
ENDPOINT = "aws:sagemaker/endpoint:Endpoint"
TARGET = "aws:appautoscaling/target:Target"
SCALING_POLICY = "aws:appautoscaling/policy:Policy"
SCHEDULE = "aws:appautoscaling/scheduledAction:ScheduledAction"


@pytest.fixture
def plan(run_stack):
    return run_stack(stack_values(aws_deployment(environment={"LOG_LEVEL": "info"})), stack="prod")


def test_execution_role_trusts_only_sagemaker(plan):
    trust = json.loads(plan.one(ROLE).inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Principal"] == {"Service": "sagemaker.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"


def test_execution_policy_is_least_privilege(plan):
    policy = json.loads(plan.one(POLICY).inputs["policy"])
    statements = {s["Sid"]: s for s in policy["Statement"]}
    for statement in policy["Statement"]:
        assert all("*" not in action for action in statement["Action"]), statement
    assert statements["ReadArtifacts"]["Resource"] == ["arn:aws:s3:::acme-models/ranker/v7/model.tar.gz"]
    assert statements["PullImage"]["Resource"] == ["arn:aws:ecr:eu-west-1:111122223333:repository/ranker"]
    s3_resources = [
        r for s in policy["Statement"] if any(a.startswith("s3:") for a in s["Action"]) for r in s["Resource"]
    ]
    assert "*" not in s3_resources
    star = sorted(s["Sid"] for s in policy["Statement"] if "*" in s["Resource"])
    assert star == ["EcrLogin", "WriteMetrics"]  # APIs without resource-level permissions
    assert statements["WriteMetrics"]["Condition"]["StringLike"]["cloudwatch:namespace"]
    assert (
        statements["WriteLogs"]["Resource"][0]
        == "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/sagemaker/Endpoints/*"
    )


def test_model_carries_image_artifacts_environment_and_waits_for_the_policy(plan):
    model = plan.one(MODEL)
    container = model.inputs["primaryContainer"]
    assert container["image"] == "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1"
    assert container["modelDataUrl"] == "s3://acme-models/ranker/v7/model.tar.gz"
    assert container["environment"] == {"LOG_LEVEL": "info"}
    assert model.inputs["executionRoleArn"].startswith("arn:aws:iam::123456789012:role/ranker-execution-role-")
    assert plan.one(POLICY).urn in model.options["dependsOn"]
    assert "name" not in model.inputs  # auto-named: a changed model is created before the old one is deleted


def test_endpoint_config_is_never_fixed_name_and_uses_catalog_instance(plan):
    config = plan.one(CONFIG)
    assert "name" not in config.inputs and config.inputs["namePrefix"] == "ranker-"
    (variant,) = config.inputs["productionVariants"]
    assert variant["instanceType"] == "ml.g5.xlarge"  # smallest type with one A10G
    assert variant["initialInstanceCount"] == 2  # max(1, min)
    assert variant["variantName"] == "primary"
    assert variant["modelName"].startswith("ranker-model-")


def test_endpoint_switches_to_config_and_is_tagged(plan):
    endpoint = plan.one(ENDPOINT)
    config_name = plan.one(CONFIG).inputs["namePrefix"]
    assert endpoint.inputs["endpointConfigName"].startswith(config_name)
    assert endpoint.inputs["tags"] == {
        "project": "ml-serving",
        "stack": "prod",
        "deployment": "ranker",
        "managed-by": "ml-serving",
    }


def test_outputs_name_endpoint_arn_variant_and_invoke_url(plan):
    outputs = plan.outputs["ranker"]
    name = outputs["endpoint_name"]
    assert outputs["endpoint_arn"] == f"arn:aws:sagemaker:eu-west-1:123456789012:endpoint/{name}"
    assert outputs["variant_name"] == "primary"
    assert outputs["invoke_url"] == f"https://runtime.sagemaker.eu-west-1.amazonaws.com/endpoints/{name}/invocations"


def test_scalable_target_follows_endpoint_with_bounds(plan):
    target = plan.one(TARGET)
    endpoint = plan.one(ENDPOINT)
    name = plan.outputs["ranker"]["endpoint_name"]
    assert target.inputs["resourceId"] == f"endpoint/{name}/variant/primary"
    assert target.inputs["scalableDimension"] == "sagemaker:variant:DesiredInstanceCount"
    assert (target.inputs["minCapacity"], target.inputs["maxCapacity"]) == (2, 6)
    assert endpoint.urn in target.options["dependsOn"]


@pytest.mark.parametrize(
    ("scaling", "predefined", "target_value"),
    [
        # invocations from max_rps_per_instance: 5 rps x 60 s x safety_factor 0.8 (the default) = 240
        ({"metric": "concurrency", "target": 3}, "SageMakerVariantConcurrentRequestsPerModelHighResolution", 3),
        ({"metric": "invocations", "target": 250}, "SageMakerVariantInvocationsPerInstance", 250),
        ({"metric": "invocations", "max_rps_per_instance": 5}, "SageMakerVariantInvocationsPerInstance", 240),
    ],
)
def test_traffic_metrics_map_to_predefined_types(run_stack, scaling, predefined, target_value):
    plan = run_stack(stack_values(aws_deployment(scaling={"min": 1, "max": 4, **scaling})))
    configuration = plan.one(SCALING_POLICY).inputs["targetTrackingScalingPolicyConfiguration"]
    assert configuration["predefinedMetricSpecification"]["predefinedMetricType"] == predefined
    assert configuration["targetValue"] == target_value
    assert (configuration["scaleOutCooldown"], configuration["scaleInCooldown"]) == (60, 300)


def test_gpu_metric_is_summed_over_gpus_with_endpoint_and_variant_dimensions(run_stack):
    deployment = aws_deployment(
        accelerator={"type": "nvidia-a10g", "count": 4}, scaling={"min": 1, "max": 2, "metric": "gpu", "target": 60}
    )
    plan = run_stack(stack_values(deployment))
    configuration = plan.one(SCALING_POLICY).inputs["targetTrackingScalingPolicyConfiguration"]
    metric = configuration["customizedMetricSpecification"]
    name = plan.outputs["ranker"]["endpoint_name"]
    assert metric["metricName"] == "GPUUtilization" and metric["namespace"] == "/aws/sagemaker/Endpoints"
    assert {d["name"]: d["value"] for d in metric["dimensions"]} == {"EndpointName": name, "VariantName": "primary"}
    assert configuration["targetValue"] == 240  # 60 % on each of 4 GPUs (SageMaker reports the sum)


def test_cpu_metric_is_summed_over_vcpus(run_stack):
    deployment = aws_deployment(
        accelerator=None, instance_type="ml.c5.2xlarge", scaling={"min": 1, "max": 2, "metric": "cpu", "target": 50}
    )
    plan = run_stack(stack_values(deployment))
    configuration = plan.one(SCALING_POLICY).inputs["targetTrackingScalingPolicyConfiguration"]
    assert configuration["customizedMetricSpecification"]["metricName"] == "CPUUtilization"
    assert configuration["targetValue"] == 400  # 8 vCPUs x 50 %


def test_vcpu_count_from_instance_size():
    assert [vcpus_of(t) for t in ("ml.m5.large", "ml.g5.xlarge", "ml.g5.2xlarge", "ml.p4d.24xlarge")] == [2, 4, 8, 96]


def test_fixed_size_endpoint_declares_no_autoscaling(run_stack):
    plan = run_stack(stack_values(aws_deployment(scaling={"min": 2, "max": 2})))
    assert plan.by_type(TARGET) == [] and plan.by_type(SCALING_POLICY) == []


def test_schedules_and_cooldowns(run_stack):
    scaling = {
        "min": 1,
        "max": 8,
        "metric": "concurrency",
        "target": 4,
        "scale_in_cooldown": 900,
        "disable_scale_in": True,
        "schedules": [
            {"name": "office-hours", "schedule": "cron(0 8 ? * MON-FRI *)", "timezone": "Europe/Paris", "min": 3}
        ],
    }
    plan = run_stack(stack_values(aws_deployment(scaling=scaling)))
    schedule = plan.one(SCHEDULE)
    assert schedule.inputs["schedule"] == "cron(0 8 ? * MON-FRI *)"
    assert schedule.inputs["timezone"] == "Europe/Paris"
    assert schedule.inputs["scalableTargetAction"] == {"minCapacity": 3}
    assert plan.one(TARGET).urn in schedule.options["dependsOn"]
    configuration = plan.one(SCALING_POLICY).inputs["targetTrackingScalingPolicyConfiguration"]
    assert configuration["scaleInCooldown"] == 900 and configuration["disableScaleIn"] is True


def test_network_isolation_vpc_and_kms(run_stack):
    options = {
        "network_isolation": True,
        "vpc": {"subnet_ids": ["subnet-0a1b"], "security_group_ids": ["sg-0c2d"]},
        "kms_key": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    }
    # ml.c5: an EBS-backed type, where SageMaker accepts a volume key (not on local-NVMe g5).
    plan = run_stack(stack_values(aws_deployment(accelerator=None, instance_type="ml.c5.xlarge", sagemaker=options)))
    model = plan.one(MODEL)
    assert model.inputs["enableNetworkIsolation"] is True
    assert model.inputs["vpcConfig"] == {"subnets": ["subnet-0a1b"], "securityGroupIds": ["sg-0c2d"]}
    assert plan.one(CONFIG).inputs["kmsKeyArn"] == options["kms_key"]
    statements = {s["Sid"]: s for s in json.loads(plan.one(POLICY).inputs["policy"])["Statement"]}
    assert statements["UseKeys"]["Resource"] == [options["kms_key"]]
    assert "VpcNetworkInterfaces" in statements


def test_existing_execution_role_replaces_the_created_one(run_stack):
    role_arn = "arn:aws:iam::111122223333:role/platform-sagemaker"
    plan = run_stack(stack_values(aws_deployment(sagemaker={"execution_role_arn": role_arn})))
    assert plan.by_type(ROLE) == []
    assert plan.one(MODEL).inputs["executionRoleArn"] == role_arn


def test_user_tags_and_defaults_reach_every_taggable_resource(run_stack):
    values = stack_values(
        aws_deployment(tags={"owner": "search"}), **{"ml-serving:defaults": {"tags": {"cost-center": "42"}}}
    )
    plan = run_stack(values)
    for resource in (plan.one(ROLE), plan.one(MODEL), plan.one(CONFIG), plan.one(ENDPOINT)):
        assert resource.inputs["tags"]["owner"] == "search" and resource.inputs["tags"]["cost-center"] == "42"
