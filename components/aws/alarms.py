"""CloudWatch alarms on a SageMaker endpoint, as plain ``PutMetricAlarm`` requests.

Each builder returns the alarm with the API's field names (``MetricName``, ``Dimensions``, ``ComparisonOperator``...)
so that it can be read, and contract-tested against botocore's ``cloudwatch`` model, without the Pulumi runtime;
:func:`declare_alarm` declares one through the package's converter (:mod:`.provider_inputs`). The endpoint name and
policy ARN may be Pulumi outputs: they are values inside the request, which Pulumi resolves before registering.

Dimensions matter: an alarm whose dimensions do not match what SageMaker publishes never fires.

* Invocation metrics (``Invocation5XXErrors``, ``ModelLatency``...) of ``AWS/SageMaker`` carry ``EndpointName``
  and ``VariantName``.
* Async backlog metrics (``ApproximateBacklogSizePerInstance``, ``HasBacklogWithoutCapacity``...) of
  ``AWS/SageMaker`` carry ``EndpointName`` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_aws as aws

from ..facts import aws as facts
from .provider_inputs import metric_alarm_inputs

StrInput = str | pulumi.Output[str]
"""A plain string, or a Pulumi output that will be one (the endpoint's auto-name, a policy ARN)."""


def endpoint_dimensions(
    endpoint_name: StrInput, variant_name: str | None = None, metric: facts.CloudWatchMetric | None = None
) -> list[dict[str, Any]]:
    """``[{"Name": "EndpointName", ...}, {"Name": "VariantName", ...}]``; the variant only when given (and, with
    ``metric``, only when the metric carries that dimension)."""
    dimensions: list[dict[str, Any]] = [{"Name": facts.ENDPOINT_DIMENSION, "Value": endpoint_name}]
    wanted = metric.dimensions if metric is not None else facts.ENDPOINT_AND_VARIANT
    if variant_name is not None and facts.VARIANT_DIMENSION in wanted:
        dimensions.append({"Name": facts.VARIANT_DIMENSION, "Value": variant_name})
    return dimensions


def _metric(metric: facts.CloudWatchMetric) -> dict[str, Any]:
    return {"Namespace": metric.namespace, "MetricName": metric.name}


def invocation_5xx_alarm(
    alarm_name: str, endpoint_name: StrInput, variant_name: str, max_errors: int, minutes: int
) -> dict[str, Any]:
    """Fires when a variant returns more than ``max_errors`` server errors a minute for ``minutes`` minutes."""
    metric = facts.INVOCATION_5XX_ERRORS
    return {
        "AlarmName": alarm_name,
        "AlarmDescription": f"More than {max_errors} 5xx errors a minute on variant {variant_name}: rolls back a rollout.",
        **_metric(metric),
        "Dimensions": endpoint_dimensions(endpoint_name, variant_name, metric),
        "Statistic": "Sum",
        "Period": facts.METRIC_PERIOD_SECONDS,
        "EvaluationPeriods": minutes,
        "DatapointsToAlarm": minutes,
        "Threshold": float(max_errors),
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
    }


def model_latency_alarm(
    alarm_name: str, endpoint_name: StrInput, variant_name: str, max_p99_ms: float, minutes: int
) -> dict[str, Any]:
    """Fires when a variant's p99 ModelLatency exceeds ``max_p99_ms`` for ``minutes`` minutes.

    SageMaker reports ModelLatency in microseconds, so the threshold is ``max_p99_ms`` x 1000.
    """
    metric = facts.MODEL_LATENCY
    return {
        "AlarmName": alarm_name,
        "AlarmDescription": f"p99 model latency above {max_p99_ms:g} ms on variant {variant_name}: rolls back a rollout.",
        **_metric(metric),
        "Dimensions": endpoint_dimensions(endpoint_name, variant_name, metric),
        "ExtendedStatistic": "p99",
        "Period": facts.METRIC_PERIOD_SECONDS,
        "EvaluationPeriods": minutes,
        "DatapointsToAlarm": minutes,
        "Threshold": float(max_p99_ms) * 1000,
        "Unit": metric.unit,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
    }


def has_backlog_without_capacity_alarm(
    endpoint_name: StrInput, scale_out_policy_arn: StrInput, minutes: int, alarm_name: str | None = None
) -> dict[str, Any]:
    """Fires when requests are queued on an async endpoint that has no instance; its action starts one.

    ``HasBacklogWithoutCapacity`` is 1 while the queue is not empty and the endpoint has zero instances. Missing
    data (an idle endpoint publishes nothing) counts as not breaching.
    """
    metric = facts.HAS_BACKLOG_WITHOUT_CAPACITY
    alarm: dict[str, Any] = {
        "AlarmDescription": "Queued requests and no instance: scale the async endpoint out from zero.",
        **_metric(metric),
        "Dimensions": endpoint_dimensions(endpoint_name, metric=metric),
        "Statistic": "Average",
        "Period": facts.METRIC_PERIOD_SECONDS,
        "EvaluationPeriods": minutes,
        "DatapointsToAlarm": minutes,
        "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "notBreaching",
        "AlarmActions": [scale_out_policy_arn],
    }
    if alarm_name is not None:
        alarm["AlarmName"] = alarm_name
    return alarm


def alarm_arn(partition: str, region: str, account: str, alarm_name: str) -> str:
    """``arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME``."""
    return f"arn:{partition}:cloudwatch:{region}:{account}:alarm:{alarm_name}"


def declare_alarm(
    resource_name: str, alarm: Mapping[str, Any], tags: Mapping[str, str], opts: pulumi.ResourceOptions
) -> aws.cloudwatch.MetricAlarm:
    """Declare a ``PutMetricAlarm``-shaped ``alarm`` as an ``aws.cloudwatch.MetricAlarm``.

    Outputs inside the request (the endpoint's name, a policy ARN) order the alarm after the resources they
    come from.
    """
    return aws.cloudwatch.MetricAlarm(resource_name, tags=dict(tags), opts=opts, **metric_alarm_inputs(alarm))
