"""``--recommend``: the cheapest scaling that meets the constraints on a trace, with scheduled pre-warming.

Reacting is not enough when instances take minutes to start (MArk, USENIX ATC '19, hides provisioning latency by
predicting load). So besides metric, target, min and max, the search proposes SageMaker scheduled actions that
raise ``min`` shortly before the trace's recurring daily peaks (weekdays and weekends apart), and reports what they
save. Vertex AI has no scheduled scaling (``DedicatedResources`` holds only min/max replica counts; changing min
takes a ``MutateDeployedModel`` call from your own scheduler), so there pre-warming is reported, not proposed.

Constraints: no request times out (real-time) or expires (async), and p99 latency below ``--p99`` when given.
When no candidate meets them (unpredictable spikes), the answer is the cost-versus-timeouts curve, not one pick.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..facts import aws as aws_facts
from . import cloud_behaviour as cb
from .cost import hourly_price
from .engine import Result, oracle_instances, simulate
from .model import Schedule, SimDeployment, SimMetric
from .traces import Trace

UTILISATIONS = (0.5, 0.6, 0.7, 0.8, 0.9)
"""Per-instance targets tried, as a fraction of an instance's capacity."""

BACKLOG_TARGETS = (0.5, 1.0, 2.0, 5.0, 10.0)
"""Queued requests per instance tried for async deployments."""


@dataclass
class Candidate:
    """One scaling setting and how it did."""

    dep: SimDeployment
    result: Result
    utilisation: float | None
    prewarm: bool
    floor: bool = False

    @property
    def hours(self) -> float:
        """Instance-hours (the cost, up to the price)."""
        return self.result.instance_hours

    def ok(self, p99_bound: float | None) -> bool:
        """True when nothing timed out and p99 is within the bound."""
        if self.result.timed_out > 0.5:
            return False
        return p99_bound is None or self.result.p99_latency_s <= p99_bound

    def label(self) -> str:
        """``concurrency @ 2.4, min 1, max 9 + pre-warm``."""
        dep = self.dep
        text = f"{dep.metric} @ {dep.target:g}, min {dep.min}, max {dep.max}" + (
            " (static floor)" if self.floor else ""
        )
        return text + (f" + pre-warm ({len(dep.schedules)} actions)" if self.prewarm else "")


@dataclass
class Recommendation:
    """The outcome of ``--recommend`` for one deployment."""

    original: SimDeployment
    trace: Trace
    default: Result
    price: float | None
    best: Candidate | None
    curve: list[Candidate]
    reactive_best: Candidate | None
    prewarm_refused: str | None = None
    refused_prewarm_best: Candidate | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Machine-readable form (``--recommend --json``)."""

        def describe(item: Candidate | Result | None) -> dict[str, Any] | None:
            if item is None:
                return None
            result = item.result if isinstance(item, Candidate) else item
            body: dict[str, Any] = {
                "instance_hours": round(result.instance_hours, 3),
                "gpu_hours": round(result.gpu_hours, 3),
                "cost_usd": None if self.price is None else round(result.instance_hours * self.price, 2),
                "timed_out": round(result.timed_out),
                "p99_latency_s": round(result.p99_latency_s, 3),
                "ratio_to_oracle": round(result.ratio_to_oracle, 3),
            }
            if isinstance(item, Candidate):
                body["setting"] = item.label()
                body["snippet"] = snippet(item.dep)
            return body

        return {
            "name": self.original.name,
            "trace": self.trace.name,
            "oracle_gpu_hours": round(self.default.oracle_gpu_hours, 3),
            "default": describe(self.default),
            "recommended": describe(self.best),
            "reactive_only": describe(self.reactive_best),
            "curve": [describe(item) for item in self.curve],
            "prewarm_refused": self.prewarm_refused,
            "notes": self.notes,
        }


def _metrics(dep: SimDeployment) -> list[SimMetric]:
    util: SimMetric = "gpu" if dep.gpus else "cpu"
    if dep.cloud == "gcp":
        return ["invocations", util]
    if dep.is_async:
        return ["backlog"] if dep.min == 0 or dep.metric == "backlog" else ["backlog", util]
    return ["invocations", "concurrency", util]


def _target(dep: SimDeployment, metric: SimMetric, utilisation: float) -> float:
    if metric == "invocations":
        return round(utilisation * dep.capacity_rps * 60, 1)
    if metric == "concurrency":
        return round(utilisation * dep.capacity_rps * dep.service_time_s, 2)
    return round(100 * utilisation, 1)


def _lead_minutes(dep: SimDeployment, assumptions: cb.Assumptions) -> int:
    """Minutes a pre-warming action runs ahead of the peak: start-up plus the alarm window and metric delay."""
    seconds = assumptions.startup_of(dep.instance) + assumptions.metric_delay_s
    seconds += assumptions.scale_out_datapoints * aws_facts.METRIC_PERIOD_SECONDS
    return math.ceil(seconds / 60) + 1


def prewarm_schedules(
    dep: SimDeployment, trace: Trace, utilisation: float, assumptions: cb.Assumptions
) -> tuple[Schedule, ...]:
    """Scheduled actions raising ``min`` ahead of the recurring daily peaks of ``trace`` (UTC cron expressions).

    For each hour of the day and each kind of day (Monday-Friday, Saturday-Sunday), the level is the lowest,
    across the trace's days of that kind, of the instances the hour's busiest minute needs at ``utilisation``:
    a peak that recurs every day raises min, a one-off spike does not. Needs two days of a kind to see a pattern.
    """
    per_instance = dep.capacity_rps * 60 * utilisation
    levels: dict[bool, dict[int, list[int]]] = {False: {}, True: {}}
    for day in range(trace.minutes // 1440):
        weekend = (trace.start + timedelta(days=day)).weekday() >= 5
        for hour in range(24):
            window = trace.per_minute[day * 1440 + hour * 60 : day * 1440 + hour * 60 + 60]
            need = math.ceil(max(window) / per_instance - 1e-9) if window else 0
            levels[weekend].setdefault(hour, []).append(need)
    lead = _lead_minutes(dep, assumptions)
    schedules: list[Schedule] = []
    plans: dict[bool, list[int]] = {}
    for weekend, hours in levels.items():
        if not hours or min(len(values) for values in hours.values()) < 2:
            continue
        plans[weekend] = [max(dep.min, min(hours[hour])) for hour in range(24)]
    if not plans or all(max(plan) <= dep.min for plan in plans.values()):
        return ()
    same = len(plans) == 2 and plans[False] == plans[True]
    for weekend, plan in plans.items():
        if same and weekend:
            continue
        days = "*" if same else ("SAT,SUN" if weekend else "MON-FRI")
        kind = "daily" if same else ("weekend" if weekend else "weekday")
        previous = plan[-1]
        for hour, level in enumerate(plan):
            if level == previous:
                continue
            # Raise ahead of the hour; lower at the hour itself (the reactive policy keeps what the load needs).
            at = hour * 60 - (lead if level > previous else 0)
            at %= 1440
            schedules.append(
                Schedule(
                    name=f"prewarm-{kind}-{at // 60:02d}{at % 60:02d}",
                    expression=f"cron({at % 60} {at // 60} ? * {days} *)",
                    timezone="UTC",
                    min=level,
                )
            )
            previous = level
    return tuple(schedules)


def _candidates(
    dep: SimDeployment, trace: Trace, assumptions: cb.Assumptions, peak: int
) -> Iterable[tuple[SimDeployment, float | None, bool, bool]]:
    mins = [0, 1] if dep.is_async and dep.min == 0 else [max(1, dep.min - 1), dep.min] if dep.min > 1 else [1]
    for metric in _metrics(dep):
        levels: Iterable[float] = BACKLOG_TARGETS if metric == "backlog" else UTILISATIONS
        for level in levels:
            utilisation = None if metric == "backlog" else level
            target = level if metric == "backlog" else _target(dep, metric, level)
            highs = {max(2, math.ceil(peak / (utilisation or 0.7)) + 1), dep.max}
            for low in sorted(set(mins)):
                for high in sorted(highs):
                    base = dep.with_scaling(metric=metric, target=target, min=low, max=max(high, low + 1), schedules=())
                    yield base, utilisation, False, False
                    warm = prewarm_schedules(base, trace, utilisation or 0.7, assumptions)
                    if warm:
                        yield base.with_scaling(schedules=warm), utilisation, True, False
    # Higher static floors complete the cost-versus-timeouts curve up to "always provisioned for the peak".
    metric = dep.metric or _metrics(dep)[0]
    target = dep.target if dep.metric and dep.target else _target(dep, metric, 0.7)
    for low in sorted({math.ceil(peak / 4), math.ceil(peak / 2), peak} - {0, 1, dep.min}):
        high = max(dep.max, peak + 1, low + 1)
        yield dep.with_scaling(metric=metric, target=target, min=low, max=high, schedules=()), None, False, True


def pareto(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates no other beats on both instance-hours and timeouts, cheapest first."""
    front: list[Candidate] = []
    best_timeouts = math.inf
    for item in sorted(candidates, key=lambda c: (c.hours, c.result.timed_out)):
        if item.result.timed_out < best_timeouts - 0.5:
            front.append(item)
            best_timeouts = item.result.timed_out
    return front


def recommend(
    dep: SimDeployment, trace: Trace, assumptions: cb.Assumptions | None = None, p99_bound: float | None = None
) -> Recommendation:
    """Search scaling settings for ``dep`` on ``trace``; see the module docstring."""
    assumptions = assumptions or cb.Assumptions()
    default = simulate(dep, trace, assumptions)
    peak = max(oracle_instances(dep, trace))
    tried = [
        Candidate(candidate, simulate(candidate, trace, assumptions), utilisation, warm, floor)
        for candidate, utilisation, warm, floor in _candidates(dep, trace, assumptions, peak)
    ]
    refused = None
    if dep.cloud == "gcp":
        refused = (
            "Vertex AI has no scheduled scaling (DedicatedResources holds only min/max replica counts); pre-warming "
            "there needs your own scheduler calling MutateDeployedModel, which ml-serving does not declare"
        )
    allowed = [c for c in tried if not (c.prewarm and refused)]
    # A raised static floor is a point of the curve, not a recommendation: it pays for the peak all the time.
    feasible = [c for c in allowed if c.ok(p99_bound) and not c.floor]
    best = min(feasible, key=lambda c: c.hours) if feasible else None
    reactive = [c for c in feasible if not c.prewarm]
    refused_ok = [c for c in tried if c.prewarm and refused and c.ok(p99_bound)]
    notes = [
        "real-time vs async is not searched: switching changes the client API (InvokeEndpoint vs InvokeEndpointAsync)"
    ]
    if dep.target is not None and dep.metric == "invocations" and dep.capacity_rps:
        notes.append("the snippet gives `target` explicitly: remove max_rps_per_instance / safety_factor if present")
    return Recommendation(
        original=dep,
        trace=trace,
        default=default,
        price=hourly_price(dep),
        best=best,
        curve=pareto(tried),
        reactive_best=min(reactive, key=lambda c: c.hours) if reactive else None,
        prewarm_refused=refused,
        refused_prewarm_best=min(refused_ok, key=lambda c: c.hours) if refused_ok else None,
        notes=notes,
    )


def snippet(dep: SimDeployment) -> str:
    """The ``scaling:`` block to paste under the deployment in the stack file."""
    lines = ["scaling:", f"  min: {dep.min}", f"  max: {dep.max}"]
    if dep.metric:
        lines += [f"  metric: {dep.metric}", f"  target: {dep.target:g}"]
    if dep.schedules:
        lines.append("  schedules:")
        for schedule in dep.schedules:
            lines += [
                f"    - name: {schedule.name}",
                f"      schedule: {schedule.expression}",
                f"      timezone: {schedule.timezone}",
                f"      min: {schedule.min}",
            ]
    return "\n".join(lines)


def _line(name: str, result: Result, price: float | None, default: Result) -> str:
    cost = "" if price is None else f", ${result.instance_hours * price:,.0f}"
    return (
        f"  {name:<22} {result.instance_hours:8.1f} instance-h{cost}, timed out {result.timed_out:,.0f}, "
        f"p99 {result.p99_latency_s:.2f} s, {result.ratio_to_oracle:.2f}x oracle, "
        f"{result.instance_hours / default.instance_hours:.2f}x default"
    )


def render_recommendation(item: Recommendation) -> str:
    """Readable output of ``--recommend`` for one deployment."""
    dep, default = item.original, item.default
    lines = [
        f"{dep.name} ({dep.cloud} {dep.instance}) on {item.trace.name}, {item.trace.minutes / 1440:.1f} days; "
        f"oracle {default.oracle_instance_hours:.1f} instance-h",
        _line("declared (stack file)", default, item.price, default),
    ]
    if item.reactive_best is not None:
        lines.append(_line("best reactive only", item.reactive_best.result, item.price, default))
    if item.best is not None:
        lines.append(_line("recommended", item.best.result, item.price, default))
        lines.append(f"  setting: {item.best.label()}")
        if item.reactive_best is not None and item.best.prewarm:
            saved = item.reactive_best.hours - item.best.hours
            lines.append(f"  pre-warming saves {saved:.1f} instance-h ({saved / item.reactive_best.hours:.0%})")
        elif item.reactive_best is None and item.best.prewarm:
            lines.append("  without pre-warming no setting of the search avoids timeouts on this trace")
        lines += ["  paste into the deployment:", *("    " + line for line in snippet(item.best.dep).splitlines())]
    elif item.refused_prewarm_best is not None:
        warm = item.refused_prewarm_best
        lines.append(
            "  only pre-warming avoids the timeouts of this trace's recurring peaks, and it cannot be declared here "
            f"(below); with it: {warm.hours:.1f} instance-h, {warm.result.ratio_to_oracle:.2f}x oracle. Otherwise "
            "choose a point on the cost-versus-timeouts curve"
        )
    else:
        lines.append(
            "  no setting avoids every timeout on this trace (unpredictable spikes outrun the start-up time): "
            "choose a point on the cost-versus-timeouts curve"
        )
    lines.append("  cost versus timeouts (cheapest first; each point beats every cheaper one on timeouts):")
    for candidate in item.curve:
        result = candidate.result
        lines.append(
            f"    {candidate.hours:8.1f} instance-h  {result.timed_out:10,.0f} timed out  "
            f"p99 {result.p99_latency_s:6.2f} s  {candidate.label()}"
        )
    if item.prewarm_refused:
        lines.append(f"  pre-warming not proposed: {item.prewarm_refused}")
    lines += [f"  note: {note}" for note in item.notes]
    return "\n".join(lines)
