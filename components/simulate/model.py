"""The simulator's own inputs: one deployment's scaling as the cloud will evaluate it, decoupled from the stack file.

:mod:`components.simulate.deployments` builds these from a validated stack; everything else in the package reads
only these types, so switching to the resolved deployment model (components/resolve) touches one module.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

Cloud = Literal["aws", "gcp"]
SimMetric = Literal["invocations", "concurrency", "cpu", "gpu", "backlog"]


@dataclass(frozen=True)
class Schedule:
    """A scheduled change of the bounds (SageMaker scheduled action): ``cron(...)``/``at(...)``/``rate(...)``."""

    name: str
    expression: str
    timezone: str = "UTC"
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class SimDeployment:
    """What the simulator needs of one deployment.

    Attributes:
        name: deployment name.
        cloud: ``aws`` (SageMaker) or ``gcp`` (Vertex AI).
        region: region of the price table lookup.
        instance: SageMaker instance type or Vertex machine type.
        accelerator: Vertex accelerator enum name (``NVIDIA_L4``) or None; SageMaker GPUs come with the instance.
        gpus: GPUs per instance (0 for CPU).
        is_async: SageMaker asynchronous inference (queue, TTL, may scale to zero).
        min: fewest instances; max: most instances.
        metric: the scaling metric (None: no autoscaling).
        target: target of the metric in its own unit (requests/min/instance, in-flight/instance, %, queued/instance).
        capacity_rps: requests per second one instance sustains at full use.
        service_time_s: seconds per request in one concurrency slot.
        timeout_s: real-time: the request timeout; async: the request TTL in the queue.
        scale_out_cooldown_s / scale_in_cooldown_s / disable_scale_in: SageMaker target-tracking settings.
        schedules: SageMaker scheduled actions.
        from_zero_minutes: async with min 0: evaluation periods of the has-backlog-without-capacity alarm.
    """

    name: str
    cloud: Cloud
    region: str
    instance: str
    accelerator: str | None
    gpus: int
    is_async: bool
    min: int
    max: int
    metric: SimMetric | None
    target: float | None
    capacity_rps: float
    service_time_s: float
    timeout_s: float
    scale_out_cooldown_s: int = 60
    scale_in_cooldown_s: int = 300
    disable_scale_in: bool = False
    schedules: tuple[Schedule, ...] = ()
    from_zero_minutes: int = 1

    @property
    def autoscaled(self) -> bool:
        """True when the bounds leave room to scale."""
        return self.max > self.min or any(s.max is not None and s.max > self.min for s in self.schedules)

    @property
    def may_scale_to_zero(self) -> bool:
        """Async SageMaker with min 0: the only deployment the oracle may leave without an instance."""
        return self.min == 0

    def with_scaling(self, **changes: object) -> SimDeployment:
        """A copy with other scaling settings (used by ``--recommend``)."""
        return replace(self, **changes)  # type: ignore[arg-type]
