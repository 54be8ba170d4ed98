"""Every stack file and README example, as AWS would judge it: the SageMaker, Application Auto Scaling and
CloudWatch requests the deployments make pass botocore's own parameter validation and the shape constraints
(enums, patterns, ranges), and none sets a KmsKeyId AWS refuses (local-NVMe instance types)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from botocore.validate import ParamValidator
from builders import REPO
from test_sagemaker_contract import conforms, input_shape

from components.aws import alarms, async_output, models, rollout, variants
from components.aws.autoscaling import resource_id, target_tracking_configuration
from components.aws.scale_to_zero import backlog_target_tracking_configuration
from components.config import DeploymentConfig, load_stack_config, load_stack_file, read_stack_file
from components.facts import aws as facts
from components.resolve.aws import resolve_sagemaker

ACCOUNT = "111122223333"
SUFFIX = "0123456"
STACKS = sorted((REPO / "stacks").glob("Pulumi.*.yaml"))
EXAMPLES = [
    yaml.safe_load(block)["config"]
    for block in re.findall(r"```yaml\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
]


def stacks() -> list[tuple[str, Any]]:
    found = [(path.name, load_stack_file(path)) for path in STACKS]
    found += [(f"README example {i}", load_stack_config(values, "docs")) for i, values in enumerate(EXAMPLES)]
    return found


def requests(deployment: DeploymentConfig, region: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(service, operation, request) of what the deployment's resources send, with names as Pulumi makes them."""
    resolved = resolve_sagemaker(deployment, "ml-serving", "check")
    name = deployment.name
    endpoint = f"{name}-endpoint-{SUFFIX}"
    tags = [{"Key": k, "Value": v} for k, v in resolved.tags]
    role = f"arn:aws:iam::{ACCOUNT}:role/{name}-execution-role-{SUFFIX}"
    found: list[tuple[str, str, dict[str, Any]]] = []
    model = {"ModelName": f"{name}-model-{SUFFIX}", "ExecutionRoleArn": role, **models.deployment_model(deployment)}
    found.append(("sagemaker", "CreateModel", {**model, "Tags": tags}))
    config: dict[str, Any] = {
        "EndpointConfigName": resolved.endpoint_config_name_prefix + "x" * facts.NAME_PREFIX_SUFFIX,
        "ProductionVariants": [
            variants.production_variant(v, model["ModelName"]) for v in resolved.production_variants
        ],
        "Tags": tags,
    }
    shadows = [v for v in resolved.variants if v.shadow]
    if shadows:
        config["ShadowProductionVariants"] = [variants.production_variant(v, model["ModelName"]) for v in shadows]
    if resolved.endpoint_kms_key:
        config["KmsKeyId"] = resolved.endpoint_kms_key
    if deployment.async_inference is not None:
        topic = f"arn:aws:sns:{region}:{ACCOUNT}:{name}-async-success-{SUFFIX}"
        config["AsyncInferenceConfig"] = async_output.async_inference_config(
            deployment.async_inference, f"{name}-async-bucket-{SUFFIX}", topic, topic
        )
    found.append(("sagemaker", "CreateEndpointConfig", config))
    create: dict[str, Any] = {"EndpointName": endpoint, "EndpointConfigName": config["EndpointConfigName"]}
    if deployment.rollout is not None:
        names = [alarm.name for alarm in resolved.rollback_alarms]
        create["DeploymentConfig"] = rollout.rollout_policy(deployment.rollout, names)
    found.append(("sagemaker", "CreateEndpoint", create))
    for variant in resolved.variants:
        scaling = variant.scaling
        target = {
            "ServiceNamespace": facts.SCALING_SERVICE_NAMESPACE,
            "ResourceId": resource_id(endpoint, variant.name),
            "ScalableDimension": facts.SCALABLE_DIMENSION,
        }
        if not (scaling.autoscaled or scaling.schedules):
            continue
        found.append(
            (
                "application-autoscaling",
                "RegisterScalableTarget",
                {**target, "MinCapacity": scaling.min, "MaxCapacity": scaling.max},
            )
        )
        if scaling.metric is not None:
            tracking = (
                backlog_target_tracking_configuration(scaling, endpoint)
                if scaling.metric == "backlog"
                else target_tracking_configuration(scaling, endpoint, variant.name)
            )
            policy = {**target, "PolicyName": f"{name}-policy-{SUFFIX}", "PolicyType": "TargetTrackingScaling"}
            found.append(
                (
                    "application-autoscaling",
                    "PutScalingPolicy",
                    {**policy, "TargetTrackingScalingPolicyConfiguration": tracking},
                )
            )
        for schedule in scaling.schedules:
            action = {k: v for k, v in (("MinCapacity", schedule.min), ("MaxCapacity", schedule.max)) if v is not None}
            found.append(
                (
                    "application-autoscaling",
                    "PutScheduledAction",
                    {**target, "ScheduledActionName": schedule.name, "Schedule": schedule.schedule,
                     "Timezone": schedule.timezone, "ScalableTargetAction": action},
                )
            )  # fmt: skip
    rollback = deployment.rollout.rollback if deployment.rollout else None
    for alarm in resolved.rollback_alarms:
        if rollback is None:
            break
        minutes = rollback.evaluation_minutes
        if alarm.kind == "invocation-5xx":
            request = alarms.invocation_5xx_alarm(alarm.name, endpoint, alarm.variant, rollback.max_5xx_errors, minutes)
        else:
            latency = rollback.max_p99_latency_ms or 0.0
            request = alarms.model_latency_alarm(alarm.name, endpoint, alarm.variant, latency, minutes)
        found.append(("cloudwatch", "PutMetricAlarm", request))
    return found


CASES = [
    (label, deployment.name, stack.aws_region)
    for label, stack in stacks()
    for deployment in stack.deployments
    if deployment.cloud == "aws"
]


@pytest.mark.parametrize(("label", "name", "region"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_requests_pass_botocore_validation(label, name, region):
    (stack,) = [s for found, s in stacks() if found == label]
    (deployment,) = [d for d in stack.deployments if d.name == name]
    for service, operation, request in requests(deployment, region):
        ParamValidator().validate(request, input_shape(service, operation))  # raises ParamValidationError
        conforms(request, service, operation)
        if operation == "CreateEndpointConfig" and "KmsKeyId" in request:
            types = [v["InstanceType"] for v in request["ProductionVariants"]]
            assert not [t for t in types if facts.has_local_nvme(t)], f"{label}: KmsKeyId on local-NVMe {types}"
        if operation == "CreateEndpointConfig":
            assert {v["InstanceType"] for v in request["ProductionVariants"]} <= facts.INSTANCE_TYPES


def test_the_staging_and_prod_stacks_are_checked():
    labels = {label for label, _, _ in CASES}
    assert {"Pulumi.dev.yaml", "Pulumi.staging.yaml", "Pulumi.prod.yaml"} <= labels
    assert read_stack_file(REPO / "stacks/Pulumi.prod.yaml")["aws:region"] == "eu-west-1"
