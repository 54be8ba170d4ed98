"""Application Auto Scaling of a SageMaker production variant: bounds, target tracking, schedules.

:func:`target_tracking_configuration` maps the cloud-neutral metric to SageMaker's metric (the catalogue in
:mod:`components.facts.aws`) as plain data, so the mapping can be read and contract-tested against botocore's
Application Auto Scaling model; the target is the resolved one (per-device CPU / GPU targets already multiplied).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from ..facts import aws as facts
from ..resolve.aws import ResolvedScaling
from .alarms import StrInput, endpoint_dimensions
from .provider_inputs import provider_inputs

PREDEFINED_METRICS = {
    name: metric.predefined_type for name, metric in facts.SCALING_METRICS.items() if metric.predefined_type
}
"""Neutral metric -> Application Auto Scaling ``PredefinedMetricType`` (from the facts' catalogue)."""


def resource_id(endpoint_name: str, variant_name: str) -> str:
    """Application Auto Scaling's id of a variant: ``endpoint/NAME/variant/VARIANT``."""
    return facts.scalable_target_resource_id(endpoint_name, variant_name)


def metric_specification(metric_name: str, endpoint_name: StrInput, variant_name: str) -> dict[str, Any]:
    """The ``PredefinedMetricSpecification`` or ``CustomizedMetricSpecification`` of a neutral metric."""
    tracked = facts.SCALING_METRICS[metric_name]
    if tracked.predefined_type is not None:
        return {"PredefinedMetricSpecification": {"PredefinedMetricType": tracked.predefined_type}}
    customized: dict[str, Any] = {
        "MetricName": tracked.metric.name,
        "Namespace": tracked.metric.namespace,
        "Dimensions": endpoint_dimensions(endpoint_name, variant_name, tracked.metric),
        "Statistic": tracked.statistic,
    }
    if tracked.unit is not None:
        customized["Unit"] = tracked.unit
    return {"CustomizedMetricSpecification": customized}


def target_tracking_configuration(
    scaling: ResolvedScaling, endpoint_name: StrInput, variant_name: str
) -> dict[str, Any]:
    """``TargetTrackingScalingPolicyConfiguration`` (API field names) for the variant's metric."""
    if scaling.metric is None or scaling.target_value is None:
        raise ValueError("target tracking needs scaling.metric and a target")
    return {
        "TargetValue": scaling.target_value,
        "ScaleInCooldown": scaling.scale_in_cooldown,
        "ScaleOutCooldown": scaling.scale_out_cooldown,
        "DisableScaleIn": scaling.disable_scale_in,
        **metric_specification(scaling.metric, endpoint_name, variant_name),
    }


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
        scaling: ResolvedScaling,
        track_metric: bool = True,
        after: Sequence[pulumi.Resource] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("ml-serving:aws:VariantAutoscaling", name, None, opts)
        rid = endpoint.name.apply(lambda endpoint_name: resource_id(endpoint_name, variant_name))
        self.target = aws.appautoscaling.Target(
            f"{name}-target",
            service_namespace=facts.SCALING_SERVICE_NAMESPACE,
            scalable_dimension=facts.SCALABLE_DIMENSION,
            resource_id=rid,
            min_capacity=scaling.min,
            max_capacity=scaling.max,
            # After the endpoint's roll-over too (``after``): it may hold this target aside and put it back.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[endpoint, *after]),
        )
        target_opts = pulumi.ResourceOptions(parent=self, depends_on=[self.target])
        self.policy_arn: pulumi.Output[str] | None = None
        if track_metric and scaling.metric is not None:
            configuration = target_tracking_configuration(scaling, endpoint.name, variant_name)
            policy = aws.appautoscaling.Policy(
                f"{name}-{scaling.metric}",
                policy_type="TargetTrackingScaling",
                service_namespace=self.target.service_namespace,
                scalable_dimension=self.target.scalable_dimension,
                resource_id=self.target.resource_id,
                target_tracking_scaling_policy_configuration=provider_inputs(configuration),
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
