"""CloudWatch alarms on a SageMaker endpoint, as plain ``PutMetricAlarm`` requests.

Each builder returns the alarm with the API's field names (``MetricName``, ``Dimensions``, ``ComparisonOperator``...)
so that it can be read, and contract-tested against botocore's ``cloudwatch`` model, without the Pulumi runtime;
:func:`metric_alarm_args` turns one into the arguments of ``aws.cloudwatch.MetricAlarm``.

Dimensions matter: an alarm whose dimensions do not match what SageMaker publishes never fires.

* Invocation metrics (``Invocation5XXErrors``, ``ModelLatency``...) of ``AWS/SageMaker`` carry ``EndpointName``
  and ``VariantName``.
* Async backlog metrics (``ApproximateBacklogSizePerInstance``, ``HasBacklogWithoutCapacity``...) of
  ``AWS/SageMaker`` carry ``EndpointName`` only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

SAGEMAKER_NAMESPACE = "AWS/SageMaker"
PERIOD_SECONDS = 60


def endpoint_dimensions(endpoint_name: str, variant_name: str | None = None) -> list[dict[str, str]]:
    """``[{"Name": "EndpointName", ...}, {"Name": "VariantName", ...}]``; the variant only when given."""
    dimensions = [{"Name": "EndpointName", "Value": endpoint_name}]
    if variant_name is not None:
        dimensions.append({"Name": "VariantName", "Value": variant_name})
    return dimensions


def invocation_5xx_alarm(
    alarm_name: str, endpoint_name: str, variant_name: str, max_errors: int, minutes: int
) -> dict[str, Any]:
    """Fires when a variant returns more than ``max_errors`` server errors a minute for ``minutes`` minutes."""
    return {
        "AlarmName": alarm_name,
        "AlarmDescription": f"More than {max_errors} 5xx errors a minute on variant {variant_name}: rolls back a rollout.",
        "Namespace": SAGEMAKER_NAMESPACE,
        "MetricName": "Invocation5XXErrors",
        "Dimensions": endpoint_dimensions(endpoint_name, variant_name),
        "Statistic": "Sum",
        "Period": PERIOD_SECONDS,
        "EvaluationPeriods": minutes,
        "DatapointsToAlarm": minutes,
        "Threshold": float(max_errors),
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
    }


def model_latency_alarm(
    alarm_name: str, endpoint_name: str, variant_name: str, max_p99_ms: float, minutes: int
) -> dict[str, Any]:
    """Fires when a variant's p99 ModelLatency exceeds ``max_p99_ms`` for ``minutes`` minutes.

    SageMaker reports ModelLatency in microseconds, so the threshold is ``max_p99_ms`` x 1000.
    """
    return {
        "AlarmName": alarm_name,
        "AlarmDescription": f"p99 model latency above {max_p99_ms:g} ms on variant {variant_name}: rolls back a rollout.",
        "Namespace": SAGEMAKER_NAMESPACE,
        "MetricName": "ModelLatency",
        "Dimensions": endpoint_dimensions(endpoint_name, variant_name),
        "ExtendedStatistic": "p99",
        "Period": PERIOD_SECONDS,
        "EvaluationPeriods": minutes,
        "DatapointsToAlarm": minutes,
        "Threshold": float(max_p99_ms) * 1000,
        "Unit": "Microseconds",
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
    }


def has_backlog_without_capacity_alarm(
    endpoint_name: str, scale_out_policy_arn: str, minutes: int, alarm_name: str | None = None
) -> dict[str, Any]:
    """Fires when requests are queued on an async endpoint that has no instance; its action starts one.

    ``HasBacklogWithoutCapacity`` is 1 while the queue is not empty and the endpoint has zero instances. Missing
    data (an idle endpoint publishes nothing) counts as not breaching.
    """
    alarm: dict[str, Any] = {
        "AlarmDescription": "Queued requests and no instance: scale the async endpoint out from zero.",
        "Namespace": SAGEMAKER_NAMESPACE,
        "MetricName": "HasBacklogWithoutCapacity",
        "Dimensions": endpoint_dimensions(endpoint_name),
        "Statistic": "Average",
        "Period": PERIOD_SECONDS,
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


_ARG_NAMES = {
    "AlarmName": "name",
    "AlarmDescription": "alarm_description",
    "Namespace": "namespace",
    "MetricName": "metric_name",
    "Statistic": "statistic",
    "ExtendedStatistic": "extended_statistic",
    "Period": "period",
    "EvaluationPeriods": "evaluation_periods",
    "DatapointsToAlarm": "datapoints_to_alarm",
    "Threshold": "threshold",
    "Unit": "unit",
    "ComparisonOperator": "comparison_operator",
    "TreatMissingData": "treat_missing_data",
    "AlarmActions": "alarm_actions",
}


def metric_alarm_args(alarm: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments of ``aws.cloudwatch.MetricAlarm`` for a ``PutMetricAlarm``-shaped ``alarm``.

    ``Dimensions`` become the provider's mapping ``{name: value}``; every other field maps one to one.
    """
    args = {_ARG_NAMES[key]: value for key, value in alarm.items() if key != "Dimensions"}
    args["dimensions"] = {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])}
    return args


def _field(key: str) -> Callable[[Mapping[str, Any]], Any]:
    return lambda args: args[key]


def alarm_arn(partition: str, region: str, account: str, alarm_name: str) -> str:
    """``arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME``."""
    return f"arn:{partition}:cloudwatch:{region}:{account}:alarm:{alarm_name}"


def declare_alarm(
    resource_name: str,
    build: Callable[..., dict[str, Any]],
    inputs: Sequence[pulumi.Input[str]],
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
) -> aws.cloudwatch.MetricAlarm:
    """Declare ``build(*inputs)`` (a ``PutMetricAlarm``-shaped alarm) as an ``aws.cloudwatch.MetricAlarm``.

    ``inputs`` are the outputs the alarm needs (the endpoint's name, a policy ARN); the alarm is ordered after
    the resources they come from.
    """
    fields = metric_alarm_args(build(*["-" for _ in inputs]))
    built = pulumi.Output.all(*inputs).apply(lambda values: metric_alarm_args(build(*values)))
    kwargs = {key: built.apply(_field(key)) for key in fields}
    return aws.cloudwatch.MetricAlarm(resource_name, tags=dict(tags), opts=opts, **kwargs)
