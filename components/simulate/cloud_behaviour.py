"""How the clouds evaluate scaling, as the simulator models it: documented facts (with sources) and named assumptions.

Two kinds of values live here, kept apart on purpose:

* ``*_FACT`` style module constants are documented cloud behaviour; each cites its source. They belong in
  ``components/facts/aws.py`` / ``components/facts/gcp.py`` once those exist (the lead moves them there).
* :class:`Assumptions` holds behaviour no cloud documents precisely (alarm windows, start-up times, how utilisation
  follows load, Vertex's stabilisation window). Every field is a named, overridable **assumption**, not a fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

# ---------------------------------------------------------------------------------------------------------------
# AWS facts
# ---------------------------------------------------------------------------------------------------------------
CLOUDWATCH_STANDARD_PERIOD_S = 60
"""SageMaker endpoint invocation and utilisation metrics are published at 1-minute granularity.
Source: https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html ("Amazon SageMaker AI ... sends
metrics to CloudWatch ... at 1-minute frequency")."""

CLOUDWATCH_HIGH_RESOLUTION_PERIOD_S = 10
"""SageMaker's concurrent-requests-per-model metric (the high-resolution predefined metric
the components declare for ``metric: concurrency``) is emitted every 10 seconds, counts the requests the model
container handles including those queued inside it, and makes the policy scale **out** faster; it scales **in** at
the same speed as with standard (1-minute) metrics.
Source: https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-code-define.html ("Specify a
high-resolution predefined metric")."""

SAGEMAKER_REALTIME_TIMEOUT_S = 60
"""A real-time SageMaker endpoint must answer ``InvokeEndpoint`` within 60 seconds.
Source: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html ("... your model
container must respond to requests within 60 seconds")."""

SAGEMAKER_ASYNC_TTL_DEFAULT_S = 21600
SAGEMAKER_ASYNC_TTL_RANGE_S = (60, 21600)
"""``X-Amzn-SageMaker-RequestTTLSeconds`` of ``InvokeEndpointAsync``: 60-21600 s, default 21600 (6 h): how long a
request may wait in the queue before it expires.
Source: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html"""

SAGEMAKER_ASYNC_FROM_ZERO_STEP = 1
"""The has-backlog-without-capacity alarm's step policy adds one instance (the components declare
``StepAdjustments: [{MetricIntervalLowerBound: 0, ScalingAdjustment: 1}]``), as in
https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html ("Autoscale an asynchronous endpoint",
scale from zero)."""

TARGET_TRACKING_DOC = (
    "https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html"
)
"""Target tracking: scales out proportionally to how far the metric is above target, scales in more gradually,
and creates the CloudWatch alarms itself (their exact windows are not documented: see :class:`Assumptions`)."""

COOLDOWN_DOC = "https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html#target-tracking-cooldown"
"""Scale-out cooldown: capacity added by the scale-out in progress counts towards the next one, so a larger need
still scales out; scale-in cooldown: no scale-in until it has passed. The first scale-out is never delayed."""

SCHEDULED_SCALING_DOC = (
    "https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-scheduled-scaling.html"
)
"""A scheduled action sets MinCapacity / MaxCapacity at its time; capacity below the new min is raised at once."""

# ---------------------------------------------------------------------------------------------------------------
# Google Cloud facts
# ---------------------------------------------------------------------------------------------------------------
VERTEX_MIN_REPLICAS = 1
"""``dedicatedResources.minReplicaCount`` must be at least 1 (scale to zero is a v1beta1 preview).
Source: https://cloud.google.com/vertex-ai/docs/predictions/autoscaling"""

VERTEX_DEFAULT_TARGET = 60.0
"""Without ``autoscaling_metric_specs`` Vertex targets 60 % CPU, and 60 % accelerator duty cycle too on GPU
machines; it scales up when either metric exceeds its target and down when both are below.
Source: aiplatform v1 proto ``DedicatedResources.autoscaling_metric_specs`` (google/cloud/aiplatform/v1/
machine_resources.proto) and https://cloud.google.com/vertex-ai/docs/predictions/autoscaling"""

VERTEX_METRIC_SAMPLE_PERIOD_S = 60
"""Cloud Monitoring lists the Vertex online-prediction metrics (cpu/utilization,
accelerator/duty_cycle, request_count) with a 60-second sample period
(https://cloud.google.com/monitoring/api/metrics_gcp_a_b, aiplatform section). How often the autoscaler itself
evaluates them is not documented: the simulator assumes once per sample (not re-checked offline)."""

HOURS_PER_MONTH = 730
"""Billing convention both clouds' price pages use for monthly figures (8760 h / 12)."""

# ---------------------------------------------------------------------------------------------------------------
# Assumptions (not documented by any cloud; override them on the command line or in code)
# ---------------------------------------------------------------------------------------------------------------
STARTUP_S_BY_FAMILY: MappingProxyType[str, int] = MappingProxyType(
    {
        # ASSUMPTION: seconds from the scaling decision to an instance serving traffic. No cloud publishes it;
        # users report 3-8 minutes on both clouds (image pull + model load dominate). CPU families start faster,
        # multi-GPU families slower. Override with --startup FAMILY=SECONDS.
        "c5": 240,
        "c6i": 240,
        "c7i": 240,
        "m5": 240,
        "m6i": 240,
        "r5": 240,
        "n1": 240,
        "n2": 240,
        "e2": 240,
        "g4dn": 360,
        "g5": 360,
        "g6": 360,
        "g6e": 360,
        "inf2": 360,
        "g2": 360,
        "a2": 420,
        "p3": 420,
        "p4d": 480,
        "p4de": 480,
        "p5": 480,
        "a3": 480,
    }
)
DEFAULT_STARTUP_S = 360
"""ASSUMPTION: start-up of a family not listed above (6 minutes, the middle of the reported 3-8)."""


def instance_family(instance_or_machine: str) -> str:
    """``ml.g5.xlarge`` -> ``g5``; ``g2-standard-8`` -> ``g2``; ``n1-standard-4`` -> ``n1``."""
    name = instance_or_machine.removeprefix("ml.")
    return re.split(r"[.\-]", name, maxsplit=1)[0]


@dataclass(frozen=True)
class Assumptions:
    """Behaviour the clouds do not document precisely: every field is a named, overridable assumption.

    Attributes:
        scale_out_datapoints: consecutive datapoints above target before target tracking's scale-out alarm fires
            (commonly observed: 3 of 3 one-minute periods).
        scale_in_datapoints: consecutive datapoints below the scale-in threshold before the scale-in alarm fires
            (commonly observed: 15 of 15).
        scale_in_margin: the scale-in alarm's threshold as a fraction of the target (commonly observed: 0.9).
        metric_delay_s: seconds after a 1-minute period ends before its datapoint reaches the alarm.
        high_resolution_delay_s: the same for 10-second (high-resolution) datapoints.
        startup_s: start-up seconds per instance family (see ``STARTUP_S_BY_FAMILY``); ``default_startup_s`` else.
        service_time_s: seconds one request occupies one concurrency slot of an instance.
        max_concurrency: requests one instance serves at once (async: the deployment's
            ``max_concurrent_invocations_per_instance`` wins).
        vertex_scale_down_window_s: Vertex scales down to the highest recommendation of this trailing window.
        vertex_timeout_s: client-side timeout of a Vertex online prediction (no server-side limit is modelled).
        bill_starting_instances: instances are billed while they start (both clouds bill from provisioning).
    """

    scale_out_datapoints: int = 3
    scale_in_datapoints: int = 15
    scale_in_margin: float = 0.9
    metric_delay_s: int = 60
    high_resolution_delay_s: int = 10
    startup_s: MappingProxyType[str, int] = field(default_factory=lambda: STARTUP_S_BY_FAMILY)
    default_startup_s: int = DEFAULT_STARTUP_S
    service_time_s: float = 0.2
    max_concurrency: int = 4
    vertex_scale_down_window_s: int = 300
    vertex_timeout_s: int = 60
    bill_starting_instances: bool = True

    def startup_of(self, instance_or_machine: str) -> int:
        """Assumed start-up seconds of an instance type / machine type."""
        return self.startup_s.get(instance_family(instance_or_machine), self.default_startup_s)

    def with_overrides(self, **changes: Any) -> Assumptions:
        """A copy with some assumptions changed; ``startup`` maps family -> seconds and merges into the table."""
        startup = changes.pop("startup", None)
        result = replace(self, **changes)
        if startup:
            result = replace(result, startup_s=MappingProxyType({**result.startup_s, **startup}))
        return result
