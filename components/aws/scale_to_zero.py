"""Backlog scaling of an async SageMaker endpoint, down to zero instances and back.

Two policies on the variant's scalable target (whose ``min_capacity`` is the configured ``scaling.min``, 0 for
scale to zero; only the endpoint configuration's initial count is ``max(1, min)``):

* target tracking on ``ApproximateBacklogSizePerInstance`` (``AWS/SageMaker``, dimension ``EndpointName`` only,
  statistic Average): keeps the queued requests per instance near ``scaling.target`` and scales in to ``min``
  when the queue is empty;
* a step-scaling policy (``ChangeInCapacity`` +1) run by a CloudWatch alarm on ``HasBacklogWithoutCapacity``:
  target tracking cannot leave zero (a per-instance metric is undefined with no instance), so this alarm starts
  the first instance when requests wait. Declared only when ``scaling.min`` is 0.

The pattern is AWS's (SageMaker developer guide, "Autoscale an asynchronous endpoint" / "scale to zero").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_aws as aws

from ..facts import aws as facts
from ..resolve.aws import ResolvedScaling
from .alarms import StrInput, declare_alarm, has_backlog_without_capacity_alarm
from .autoscaling import target_tracking_configuration
from .provider_inputs import provider_inputs


def backlog_target_tracking_configuration(scaling: ResolvedScaling, endpoint_name: StrInput) -> dict[str, Any]:
    """``TargetTrackingScalingPolicyConfiguration`` keeping queued requests per instance at the target."""
    if scaling.metric != "backlog" or scaling.target_value is None:
        raise ValueError("backlog scaling needs scaling.metric backlog and a target")
    return target_tracking_configuration(scaling, endpoint_name, "")  # the backlog metric has no variant dimension


def scale_out_from_zero_configuration(scaling: ResolvedScaling) -> dict[str, Any]:
    """``StepScalingPolicyConfiguration``: one more instance each time the alarm fires, then the cooldown (at least
    10 minutes, so that a booting instance is not joined by a second one: :data:`facts.ASYNC_SCALE_FROM_ZERO_MIN_COOLDOWN`).

    The step has lower bound 0 and no upper bound: it applies whenever the alarm's metric is at or above the
    threshold.
    """
    return {
        "AdjustmentType": "ChangeInCapacity",
        "MetricAggregationType": "Average",
        "Cooldown": scaling.from_zero_cooldown,
        "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": facts.ASYNC_SCALE_FROM_ZERO_STEP}],
    }


class BacklogScaling(pulumi.ComponentResource):
    """Backlog target tracking of an async endpoint's variant, plus the scale-from-zero alarm and step policy.

    Args:
        name: component name; children ``{name}-backlog``, ``{name}-from-zero``, ``{name}-has-backlog``.
        endpoint: the endpoint (its auto-name is the ``EndpointName`` of every metric and alarm).
        target: the variant's scalable target (declared by ``VariantAutoscaling`` with ``min_capacity`` = min).
        scaling: the deployment's scaling (metric backlog).
        from_zero_minutes: evaluation periods (60 s) of the ``HasBacklogWithoutCapacity`` alarm.
        tags: tags of the alarm.

    Outputs: ``backlog_policy_arn``, and with ``min: 0`` ``scale_out_policy_arn`` and ``alarm_name``.
    """

    backlog_policy_arn: pulumi.Output[str]
    scale_out_policy_arn: pulumi.Output[str] | None
    alarm_name: pulumi.Output[str] | None

    def __init__(
        self,
        name: str,
        endpoint: aws.sagemaker.Endpoint,
        target: aws.appautoscaling.Target,
        scaling: ResolvedScaling,
        from_zero_minutes: int,
        tags: Mapping[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("ml-serving:aws:BacklogScaling", name, None, opts)
        after_target = pulumi.ResourceOptions(parent=self, depends_on=[target])
        tracking = backlog_target_tracking_configuration(scaling, endpoint.name)
        backlog = aws.appautoscaling.Policy(
            f"{name}-backlog",
            policy_type="TargetTrackingScaling",
            service_namespace=target.service_namespace,
            scalable_dimension=target.scalable_dimension,
            resource_id=target.resource_id,
            target_tracking_scaling_policy_configuration=provider_inputs(tracking),
            opts=after_target,
        )
        self.backlog_policy_arn = backlog.arn
        self.scale_out_policy_arn = None
        self.alarm_name = None
        if scaling.min == 0:
            scale_out = aws.appautoscaling.Policy(
                f"{name}-from-zero",
                policy_type="StepScaling",
                service_namespace=target.service_namespace,
                scalable_dimension=target.scalable_dimension,
                resource_id=target.resource_id,
                step_scaling_policy_configuration=provider_inputs(scale_out_from_zero_configuration(scaling)),
                opts=after_target,
            )
            alarm = declare_alarm(
                f"{name}-has-backlog",
                has_backlog_without_capacity_alarm(endpoint.name, scale_out.arn, from_zero_minutes),
                tags,
                pulumi.ResourceOptions(parent=self),
            )
            self.scale_out_policy_arn = scale_out.arn
            self.alarm_name = alarm.name
        self.register_outputs(
            {
                "backlog_policy_arn": self.backlog_policy_arn,
                "scale_out_policy_arn": self.scale_out_policy_arn,
                "alarm_name": self.alarm_name,
            }
        )
