"""Application Auto Scaling of a SageMaker production variant: bounds, target tracking, schedules.

:func:`target_tracking_configuration` maps the cloud-neutral metric to SageMaker's metric as plain data, so
the mapping can be read and contract-tested against botocore's Application Auto Scaling model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from ..config import ScalingConfig

SERVICE_NAMESPACE = "sagemaker"
SCALABLE_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
ENDPOINT_METRICS_NAMESPACE = "/aws/sagemaker/Endpoints"

PREDEFINED_METRICS = {
    "invocations": "SageMakerVariantInvocationsPerInstance",
    "concurrency": "SageMakerVariantConcurrentRequestsPerModelHighResolution",
}
UTILISATION_METRICS = {"cpu": "CPUUtilization", "gpu": "GPUUtilization"}


@dataclass(frozen=True)
class VariantShape:
    """What the target needs to know of the variant's instances.

    SageMaker reports CPUUtilization and GPUUtilization summed over the instance's vCPUs / GPUs (0-400% on
    four GPUs), so a per-device percentage target is multiplied by these counts.
    """

    vcpus: int
    gpus: int


def resource_id(endpoint_name: str, variant_name: str) -> str:
    """Application Auto Scaling's id of a variant: ``endpoint/NAME/variant/VARIANT``."""
    return f"endpoint/{endpoint_name}/variant/{variant_name}"


def vcpus_of(instance_type: str) -> int:
    """vCPUs of a SageMaker instance type from its size (``ml.g5.2xlarge`` -> 8); 2 for ``medium``/``large``."""
    size = instance_type.rsplit(".", 1)[-1]
    match = re.fullmatch(r"(\d*)xlarge", size)
    if match:
        return 4 * int(match.group(1) or 1)
    return {"medium": 2, "large": 2}.get(size, 1)


def target_tracking_configuration(
    scaling: ScalingConfig, endpoint_name: str, variant_name: str, shape: VariantShape
) -> dict[str, Any]:
    """``TargetTrackingScalingPolicyConfiguration`` (API field names) for the deployment's metric."""
    metric = scaling.metric
    target = scaling.resolved_target
    if metric is None or target is None:
        raise ValueError("target tracking needs scaling.metric and a target")
    configuration: dict[str, Any] = {
        "ScaleInCooldown": scaling.scale_in_cooldown,
        "ScaleOutCooldown": scaling.scale_out_cooldown,
        "DisableScaleIn": scaling.disable_scale_in,
    }
    if metric in PREDEFINED_METRICS:
        configuration["TargetValue"] = float(target)
        configuration["PredefinedMetricSpecification"] = {"PredefinedMetricType": PREDEFINED_METRICS[metric]}
    elif metric in UTILISATION_METRICS:
        devices = shape.gpus if metric == "gpu" else shape.vcpus
        configuration["TargetValue"] = float(target) * max(devices, 1)
        configuration["CustomizedMetricSpecification"] = {
            "MetricName": UTILISATION_METRICS[metric],
            "Namespace": ENDPOINT_METRICS_NAMESPACE,
            "Dimensions": [
                {"Name": "EndpointName", "Value": endpoint_name},
                {"Name": "VariantName", "Value": variant_name},
            ],
            "Statistic": "Average",
            "Unit": "Percent",
        }
    else:
        raise ValueError(f"metric {metric} is declared by the async scaling of the deployment, not here")
    return configuration


def target_tracking_args(
    configuration: dict[str, Any],
) -> aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs:
    """The provider's arguments for a ``TargetTrackingScalingPolicyConfiguration`` (API field names)."""
    predefined = configuration.get("PredefinedMetricSpecification")
    customized = configuration.get("CustomizedMetricSpecification")
    return aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs(
        target_value=configuration["TargetValue"],
        scale_in_cooldown=configuration["ScaleInCooldown"],
        scale_out_cooldown=configuration["ScaleOutCooldown"],
        disable_scale_in=configuration["DisableScaleIn"],
        predefined_metric_specification=(
            aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs(
                predefined_metric_type=predefined["PredefinedMetricType"]
            )
            if predefined
            else None
        ),
        customized_metric_specification=(
            aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationArgs(
                metric_name=customized["MetricName"],
                namespace=customized["Namespace"],
                statistic=customized["Statistic"],
                unit=customized.get("Unit"),
                dimensions=[
                    aws.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationDimensionArgs(
                        name=dimension["Name"], value=dimension["Value"]
                    )
                    for dimension in customized["Dimensions"]
                ],
            )
            if customized
            else None
        ),
    )


class VariantAutoscaling(pulumi.ComponentResource):
    """Scalable target of one variant, its target-tracking policy and its scheduled actions.

    The target is ordered after the endpoint (it names the endpoint, and registration fails before the variant
    exists). Outputs: ``resource_id`` and ``policy_arn``.
    """

    resource_id: pulumi.Output[str]
    target: aws.appautoscaling.Target

    def __init__(
        self,
        name: str,
        endpoint: aws.sagemaker.Endpoint,
        variant_name: str,
        scaling: ScalingConfig,
        shape: VariantShape,
        track_metric: bool = True,
        after: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("ml-serving:aws:VariantAutoscaling", name, None, opts)
        rid = endpoint.name.apply(lambda endpoint_name: resource_id(endpoint_name, variant_name))
        self.target = aws.appautoscaling.Target(
            f"{name}-target",
            service_namespace=SERVICE_NAMESPACE,
            scalable_dimension=SCALABLE_DIMENSION,
            resource_id=rid,
            min_capacity=scaling.min,
            max_capacity=scaling.max,
            # After the endpoint's roll-over too (``after``): it may hold this target aside and put it back.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[endpoint, *after]),
        )
        target_opts = pulumi.ResourceOptions(parent=self, depends_on=[self.target])
        self.policy_arn: pulumi.Output[str] | None = None
        if track_metric and scaling.metric is not None:
            configuration = endpoint.name.apply(
                lambda endpoint_name: target_tracking_configuration(scaling, endpoint_name, variant_name, shape)
            )
            policy = aws.appautoscaling.Policy(
                f"{name}-{scaling.metric}",
                policy_type="TargetTrackingScaling",
                service_namespace=self.target.service_namespace,
                scalable_dimension=self.target.scalable_dimension,
                resource_id=self.target.resource_id,
                target_tracking_scaling_policy_configuration=configuration.apply(target_tracking_args),
                opts=target_opts,
            )
            self.policy_arn = policy.arn
        for schedule in scaling.schedules:
            aws.appautoscaling.ScheduledAction(
                f"{name}-{schedule.name}",
                service_namespace=self.target.service_namespace,
                scalable_dimension=self.target.scalable_dimension,
                resource_id=self.target.resource_id,
                schedule=schedule.schedule,
                timezone=schedule.timezone,
                scalable_target_action=aws.appautoscaling.ScheduledActionScalableTargetActionArgs(
                    min_capacity=schedule.min, max_capacity=schedule.max
                ),
                opts=target_opts,
            )
        self.resource_id = self.target.resource_id
        self.register_outputs({"resource_id": self.resource_id, "policy_arn": self.policy_arn})
