"""The simulator: a deployment's scaling, as its cloud evaluates it, against a per-minute trace.

Time advances in steps of the scaling metric's period: 10 s for SageMaker's high-resolution concurrency metric,
60 s otherwise (:mod:`components.facts.aws`, :mod:`components.facts.gcp`). Each step:

1. scheduled actions change the bounds (capacity below a new min is raised at once);
2. instances whose start-up has elapsed go into service;
3. the scaling policy reads the datapoints its alarms can see (metric delay) and sets the desired capacity:
   SageMaker target tracking (scale-out alarm after N datapoints above target, proportional scale-out, scale-in
   alarm after M datapoints below target x margin, cooldowns, min/max; async: the has-backlog-without-capacity
   step policy from zero) or the Vertex autoscaler (proportional both ways, scale-down stabilised over a window);
4. requests are served: a fluid FIFO queue per deployment, drained at in-service instances x capacity; real-time
   requests still queued when they could no longer finish within the timeout are counted as timed out, async
   requests expire after their TTL;
5. the step's datapoint is published.

The queue is a fluid model: it has no within-step randomness, so latency below saturation is the service time.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from ..facts import aws as aws_facts
from ..facts import gcp as gcp_facts
from . import cloud_behaviour as cb
from .model import SimDeployment
from .schedules import bound_changes
from .traces import Trace

_EPS = 1e-9


@dataclass
class Series:
    """Per-minute series of one run, for plots and reports."""

    load: list[float] = field(default_factory=list)
    in_service: list[int] = field(default_factory=list)
    provisioned: list[int] = field(default_factory=list)
    queued: list[float] = field(default_factory=list)
    in_flight: list[float] = field(default_factory=list)
    timed_out: list[float] = field(default_factory=list)
    oracle: list[int] = field(default_factory=list)


@dataclass
class Result:
    """What one simulated deployment did over a trace.

    Attributes:
        name: deployment name.
        step_s: the simulation step (the metric period).
        instance_hours / gpu_hours: billed instance and GPU hours (starting instances included by default).
        requests / timed_out: requests in the trace, and those that timed out (real-time) or expired (async TTL).
        p99_latency_s: 99th percentile latency (queueing + service) of the requests served.
        oracle_instance_hours / oracle_gpu_hours: the same for the oracle.
        scale_events: changes of the desired capacity.
        series: per-minute series when recorded.
    """

    name: str
    step_s: int
    minutes: int
    instance_hours: float
    gpu_hours: float
    requests: float
    timed_out: float
    p99_latency_s: float
    oracle_instance_hours: float
    oracle_gpu_hours: float
    peak_instances: int
    scale_events: int
    series: Series | None = None

    @property
    def ratio_to_oracle(self) -> float:
        """Instance-hours (hence GPU-hours) over the oracle's; 1.0 is perfect."""
        return self.instance_hours / self.oracle_instance_hours if self.oracle_instance_hours else math.inf


def oracle_instances(dep: SimDeployment, trace: Trace) -> list[int]:
    """Per minute, exactly the instances the load needs at full per-instance capacity, with no start-up delay.

    At least one instance, or zero when the deployment may scale to zero and the minute has no request.
    """
    floor = 0 if dep.may_scale_to_zero else 1
    per_minute_capacity = dep.capacity_rps * 60
    return [max(floor, math.ceil(load / per_minute_capacity - _EPS)) for load in trace.per_minute]


_METRIC_KIND = {"invocations": 1, "concurrency": 2, "cpu": 3, "gpu": 3, "backlog": 4}


def _step_of(dep: SimDeployment) -> int:
    if dep.cloud == "aws" and dep.metric == "concurrency":
        return aws_facts.HIGH_RESOLUTION_METRIC_PERIOD_SECONDS
    return aws_facts.METRIC_PERIOD_SECONDS if dep.cloud == "aws" else gcp_facts.METRIC_SAMPLE_PERIOD_SECONDS


def _p99(base_weight: float, tail: list[tuple[float, float]], base_latency: float) -> float:
    total = base_weight + sum(weight for _, weight in tail)
    if total <= 0:
        return 0.0
    needed = 0.99 * total
    if base_weight >= needed:
        return base_latency
    seen = base_weight
    for latency, weight in sorted(tail):
        seen += weight
        if seen >= needed - _EPS:
            return latency
    return max(latency for latency, _ in tail)


def simulate(
    dep: SimDeployment, trace: Trace, assumptions: cb.Assumptions | None = None, record: bool = False
) -> Result:
    """Run ``dep``'s scaling against ``trace`` and measure cost, timeouts and latency."""
    a = assumptions or cb.Assumptions()
    dt = _step_of(dep)
    k = 60 // dt
    delay = math.ceil((a.high_resolution_delay_s if dt < 60 else a.metric_delay_s) / dt)
    startup = math.ceil(a.startup_of(dep.instance) / dt)
    aws = dep.cloud == "aws"
    out_n = a.scale_out_datapoints if aws else 1
    # High-resolution metrics scale in at the speed of 1-minute ones (facts.aws): M minutes of datapoints.
    in_n = a.scale_in_datapoints * k if aws else 1
    out_cooldown = math.ceil(dep.scale_out_cooldown_s / dt)
    in_cooldown = math.ceil(dep.scale_in_cooldown_s / dt)
    vertex_window = max(1, math.ceil(a.vertex_scale_down_window_s / dt))
    changes = bound_changes(dep.schedules, trace.start, trace.minutes) if dep.schedules else {}
    floor_min = gcp_facts.MIN_REPLICAS if not aws else 0
    cur_min, cur_max = max(dep.min, floor_min), dep.max
    kind = _METRIC_KIND.get(dep.metric or "", 0)
    target = dep.target or 1.0
    scale_in_at = target * a.scale_in_margin
    cap, service, timeout, is_async = dep.capacity_rps, dep.service_time_s, dep.timeout_s, dep.is_async
    zero_delay = math.ceil(a.metric_delay_s / 60)
    from_zero = max(1, dep.from_zero_minutes)
    scale_in = not dep.disable_scale_in
    bill_starting = a.bill_starting_instances
    nan = math.nan

    # The bounds in force at the start (schedules that fired before the trace apply at minute 0).
    for low, high in changes.pop(0, []):
        cur_min = max(floor_min, low) if low is not None else cur_min
        cur_max = high if high is not None else cur_max
    in_service = min(cur_min, cur_max) if cur_max else 0
    desired = provisioned = peak = in_service
    pending: deque[list[int]] = deque()  # [ready step, count], ready steps increasing
    points: list[float] = []  # one datapoint per step; NaN when no instance is in service
    zero_points: list[int] = []  # has-backlog-without-capacity datapoints, one per minute
    vertex_recs: deque[tuple[int, int]] = deque()
    last_out = last_in = -(10**9)
    queue = 0.0
    aqueue: deque[list[float]] = deque()  # async: [arrival step, requests]
    billed = 0
    timed_out = base_weight = 0.0
    tail: list[tuple[float, float]] = []
    events = above = below = starting = 0
    series = Series() if record else None
    limit_per_mu = max(0.0, timeout - service)
    t = -1
    never = 1 << 62
    next_ready = never
    publish = points.append

    for minute, load in enumerate(trace.per_minute):
        if minute in changes:
            for low, high in changes[minute]:
                if low is not None:
                    cur_min = max(floor_min, low)
                if high is not None:
                    cur_max = high
            new = min(max(desired, cur_min), cur_max)
            if new != desired:
                desired, events = new, events + 1
        arrivals = load / k
        minute_timeouts = 0.0
        served = 0.0
        for _ in range(k):
            t += 1
            if t >= next_ready:
                while pending and pending[0][0] <= t:
                    ready = pending.popleft()[1]
                    in_service += ready
                    starting -= ready
                next_ready = pending[0][0] if pending else never

            # --- scaling: the datapoint that just became visible to the alarms (after the metric delay)
            available = t - delay
            if kind and available > 0:
                value = points[available - 1]
                if aws:
                    above = above + 1 if value > target else 0
                    below = below + 1 if value < scale_in_at else 0
                    if above >= out_n:
                        need = math.ceil(in_service * value / target - _EPS)
                        need = cur_max if need > cur_max else need
                        if need > desired:
                            desired, last_out, events = need, t, events + 1
                    elif below >= in_n and scale_in and t - last_in >= in_cooldown and t - last_out >= out_cooldown:
                        need = math.ceil(in_service * value / target - _EPS)
                        need = cur_min if need < cur_min else need
                        if need < desired:
                            desired, last_in, events = need, t, events + 1
                elif value == value:  # not NaN
                    rec = min(cur_max, max(cur_min, math.ceil(in_service * value / target - _EPS)))
                    vertex_recs.append((t, rec))
                    while vertex_recs[0][0] <= t - vertex_window:
                        vertex_recs.popleft()
                    stable = max(r for _, r in vertex_recs)
                    if rec > desired:
                        desired, events = rec, events + 1
                    elif stable < desired:
                        desired, events = stable, events + 1
            if is_async and desired == 0 and cur_max > 0:
                # The has-backlog-without-capacity alarm (1-minute datapoints) -> the step policy adds one instance.
                seen = minute - zero_delay
                if seen >= from_zero and all(zero_points[seen - from_zero : seen]):
                    desired, last_out, events = aws_facts.ASYNC_SCALE_FROM_ZERO_STEP, t, events + 1

            # --- reconcile instances with the desired capacity
            if desired != provisioned:
                desired = min(max(desired, cur_min), cur_max)
                if desired > provisioned:
                    pending.append([t + startup, desired - provisioned])
                    starting += desired - provisioned
                    next_ready = min(next_ready, t + startup)
                elif desired < provisioned:
                    excess = provisioned - desired
                    while excess and pending:
                        take = min(excess, pending[-1][1])
                        pending[-1][1] -= take
                        starting -= take
                        excess -= take
                        if not pending[-1][1]:
                            pending.pop()
                    next_ready = pending[0][0] if pending else never
                    in_service -= excess
                provisioned = desired
                if provisioned > peak:
                    peak = provisioned
            billed += provisioned if bill_starting else in_service

            # --- serve the step's arrivals
            mu = in_service * cap
            capacity = mu * dt
            if not is_async:
                if queue == 0.0 and arrivals <= capacity:
                    served = arrivals
                    base_weight += arrivals
                else:
                    total = queue + arrivals
                    served = total if total < capacity else capacity
                    queue = total - served
                    limit = mu * limit_per_mu
                    dropped = 0.0
                    if queue > limit:
                        dropped = queue - limit
                        queue = limit
                        timed_out += dropped
                        minute_timeouts += dropped
                    kept = arrivals - dropped
                    if kept > _EPS:
                        wait = queue / mu if mu > 0 else 0.0
                        if wait <= _EPS:
                            base_weight += kept
                        else:
                            tail.append((service + wait, kept))
            else:
                if arrivals > 0:
                    aqueue.append([t, arrivals])
                    queue += arrivals
                while aqueue and (t - aqueue[0][0]) * dt >= timeout:
                    expired = aqueue.popleft()[1]
                    queue -= expired
                    timed_out += expired
                    minute_timeouts += expired
                budget = capacity
                served = 0.0
                while budget > _EPS and aqueue:
                    head = aqueue[0]
                    part = budget if budget < head[1] else head[1]
                    if head[0] == t:
                        base_weight += part
                    else:
                        tail.append(((t - head[0]) * dt + service, part))
                    head[1] -= part
                    budget -= part
                    served += part
                    if head[1] <= _EPS:
                        aqueue.popleft()
                queue = queue - served if queue > served else 0.0

            # --- publish the step's datapoint
            if in_service <= 0 or not kind:
                publish(nan)
            elif kind == 1:  # invocations per instance per minute
                publish(arrivals * k / in_service)
            elif kind == 2:  # in-flight (being served + queued) per instance
                publish((served / dt * service + queue) / in_service)
            elif kind == 3:  # utilisation, percent of capacity
                publish(100.0 * served / capacity)
            else:  # backlog: queued per instance
                publish(queue / in_service)

        zero_points.append(1 if (is_async and in_service == 0 and queue > _EPS) else 0)
        if series is not None:
            series.load.append(load)
            series.in_service.append(in_service)
            series.provisioned.append(provisioned)
            series.queued.append(queue)
            series.in_flight.append(served / dt * service + queue)
            series.timed_out.append(minute_timeouts)

    oracle = oracle_instances(dep, trace)
    if series is not None:
        series.oracle = oracle
    oracle_hours = sum(oracle) / 60
    hours = billed * dt / 3600
    requests = trace.requests
    return Result(
        name=dep.name,
        step_s=dt,
        minutes=trace.minutes,
        instance_hours=hours,
        gpu_hours=hours * dep.gpus,
        requests=requests,
        timed_out=timed_out,
        p99_latency_s=_p99(base_weight, tail, service),
        oracle_instance_hours=oracle_hours,
        oracle_gpu_hours=oracle_hours * dep.gpus,
        peak_instances=peak,
        scale_events=events,
        series=series,
    )
