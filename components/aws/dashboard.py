"""A CloudWatch dashboard per SageMaker deployment, its body built as plain data by :func:`dashboard_body`.

Instance counts: neither SageMaker nor Application Auto Scaling publishes a metric for the desired or in-service
instance count of a variant (``DesiredInstanceCount`` / ``CurrentInstanceCount`` exist only in
``DescribeEndpoint``, and Application Auto Scaling's scaling activities are not metrics). The dashboard therefore
shows the instances in service the way AWS documents it for async endpoints: the ``SampleCount`` per minute of
``CPUUtilization`` (``/aws/sagemaker/Endpoints``), since every instance reports once a minute. What autoscaling
asks for is read from the metric it tracks, shown next to it (invocations / concurrency / utilisation / backlog
per instance). The scaling bounds are deliberately not drawn: the body would then change with every min/max edit.

Metrics and their dimensions (a widget with wrong dimensions stays empty):

* ``AWS/SageMaker`` invocation metrics, dimensions ``EndpointName`` + ``VariantName``: ``Invocations``,
  ``InvocationsPerInstance`` and ``ConcurrentRequestsPerModel`` (real-time only: not published for async
  endpoints), ``ModelLatency`` (p50 / p99, microseconds), ``Invocation4XXErrors`` / ``Invocation5XXErrors``;
* ``AWS/SageMaker`` async queue metrics, dimension ``EndpointName`` only: ``ApproximateBacklogSize``,
  ``ApproximateBacklogSizePerInstance``, ``HasBacklogWithoutCapacity``, ``ApproximateAgeOfOldestRequest``;
* ``/aws/sagemaker/Endpoints`` instance metrics, ``EndpointName`` + ``VariantName``: ``CPUUtilization``,
  ``MemoryUtilization``, and on GPU instances ``GPUUtilization`` / ``GPUMemoryUtilization``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from ..facts import aws as facts
from ..facts.aws import CloudWatchMetric
from ..resolve.aws import dashboard_name

__all__ = ["DashboardVariant", "dashboard_body", "dashboard_name", "dashboard_url", "declare_dashboard"]

WIDTH, HEIGHT = 12, 6


@dataclass(frozen=True)
class DashboardVariant:
    """What the dashboard shows of one variant: its name and GPUs per instance (GPU widgets when above 0)."""

    name: str
    gpus: int


def dashboard_url(region: str, name: str) -> str:
    """The console address of a dashboard."""
    return f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}#dashboards:name={name}"


def _variant_metric(metric: CloudWatchMetric, endpoint: str, variant: str, stat: str, label: str) -> list[Any]:
    return [
        metric.namespace,
        metric.name,
        facts.ENDPOINT_DIMENSION,
        endpoint,
        facts.VARIANT_DIMENSION,
        variant,
        {"stat": stat, "label": label},
    ]


def _endpoint_metric(metric: CloudWatchMetric, endpoint: str, stat: str, label: str) -> list[Any]:
    return [metric.namespace, metric.name, facts.ENDPOINT_DIMENSION, endpoint, {"stat": stat, "label": label}]


def _widget(region: str, title: str, metrics: list[list[Any]], **extra: Any) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "title": title,
        "region": region,
        "view": "timeSeries",
        "stacked": False,
        "period": 60,
        "metrics": metrics,
        "yAxis": {"left": {"min": 0}},
    }
    properties.update(extra)
    return {"type": "metric", "width": WIDTH, "height": HEIGHT, "properties": properties}


def dashboard_body(
    region: str, endpoint_name: str, variants: Sequence[DashboardVariant], is_async: bool
) -> dict[str, Any]:
    """The dashboard's JSON body (CloudWatch dashboard body structure): widgets laid out two per row."""
    e = endpoint_name
    widgets = [
        _widget(
            region,
            "Instances in service (CPUUtilization samples per minute)",
            [
                _variant_metric(facts.CPU_UTILIZATION, e, v.name, "SampleCount", f"{v.name} in service")
                for v in variants
            ],
        )
    ]
    if not is_async:
        widgets.append(
            _widget(
                region,
                "Invocations per minute",
                [
                    row
                    for v in variants
                    for row in (
                        _variant_metric(facts.INVOCATIONS, e, v.name, "Sum", f"{v.name} invocations"),
                        _variant_metric(facts.INVOCATIONS_PER_INSTANCE, e, v.name, "Sum", f"{v.name} per instance"),
                    )
                ],
            )
        )
        widgets.append(
            _widget(
                region,
                "Concurrent requests per model",
                [_variant_metric(facts.CONCURRENT_REQUESTS_PER_MODEL, e, v.name, "Maximum", v.name) for v in variants],
            )
        )
    widgets.append(
        _widget(
            region,
            "Model latency (microseconds)",
            [
                _variant_metric(facts.MODEL_LATENCY, e, v.name, stat, f"{v.name} {stat}")
                for v in variants
                for stat in ("p50", "p99")
            ],
        )
    )
    widgets.append(
        _widget(
            region,
            "Errors per minute",
            [
                _variant_metric(metric, e, v.name, "Sum", f"{v.name} {kind}")
                for v in variants
                for metric, kind in ((facts.INVOCATION_4XX_ERRORS, "4xx"), (facts.INVOCATION_5XX_ERRORS, "5xx"))
            ],
        )
    )
    if is_async:
        widgets.append(
            _widget(
                region,
                "Async queue",
                [
                    _endpoint_metric(facts.APPROXIMATE_BACKLOG_SIZE, e, "Average", "queued requests"),
                    _endpoint_metric(facts.APPROXIMATE_BACKLOG_SIZE_PER_INSTANCE, e, "Average", "queued per instance"),
                    _endpoint_metric(facts.HAS_BACKLOG_WITHOUT_CAPACITY, e, "Maximum", "queued with no instance (0/1)"),
                ],
            )
        )
        widgets.append(
            _widget(
                region,
                "Age of the oldest queued request (seconds)",
                [_endpoint_metric(facts.APPROXIMATE_AGE_OF_OLDEST_REQUEST, e, "Maximum", "oldest request")],
            )
        )
    utilisation = [
        (facts.CPU_UTILIZATION, "cpu"),
        (facts.MEMORY_UTILIZATION, "memory"),
    ]
    widgets.append(
        _widget(
            region,
            "Instance utilisation (%; CPU summed over vCPUs)",
            [
                _variant_metric(metric, e, v.name, "Average", f"{v.name} {kind}")
                for v in variants
                for metric, kind in utilisation
            ],
        )
    )
    gpu_variants = [v for v in variants if v.gpus]
    if gpu_variants:
        widgets.append(
            _widget(
                region,
                "GPU utilisation (%; summed over GPUs)",
                [
                    _variant_metric(metric, e, v.name, "Average", f"{v.name} {kind}")
                    for v in gpu_variants
                    for metric, kind in ((facts.GPU_UTILIZATION, "gpu"), (facts.GPU_MEMORY_UTILIZATION, "gpu memory"))
                ],
            )
        )
    for index, widget in enumerate(widgets):
        widget["x"], widget["y"] = (index % 2) * WIDTH, (index // 2) * HEIGHT
    return {"widgets": widgets}


def declare_dashboard(
    resource_name: str,
    name: str,
    region: pulumi.Input[str],
    endpoint_name: pulumi.Input[str],
    variants: Sequence[DashboardVariant],
    is_async: bool,
    opts: pulumi.ResourceOptions,
) -> aws.cloudwatch.Dashboard:
    """The ``aws.cloudwatch.Dashboard`` named ``name`` (the provider requires a name) for one endpoint."""
    body = pulumi.Output.all(region, endpoint_name).apply(
        lambda values: json.dumps(dashboard_body(values[0], values[1], variants, is_async), sort_keys=True)
    )
    return aws.cloudwatch.Dashboard(resource_name, dashboard_name=name, dashboard_body=body, opts=opts)
