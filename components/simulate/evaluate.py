"""One row of results per deployment: the simulation, the oracle and the cost, as ``--json`` prints them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from . import cloud_behaviour as cb
from .cost import hourly_price, monthly_bounds
from .engine import Result, simulate
from .model import SimDeployment
from .traces import Trace, synthetic_trace

SYNTHETIC_PEAK_FRACTION = 0.7
"""A synthetic trace's busiest minute loads the deployment's ``max`` instances to this fraction of capacity."""


def synthetic_for(dep: SimDeployment, name: str, days: int, seed: int, peak_rps: float | None = None) -> Trace:
    """A synthetic trace sized for ``dep``: peak ``peak_rps``, or 70 % of what ``max`` instances sustain."""
    peak = peak_rps if peak_rps is not None else dep.capacity_rps * max(dep.max, 1) * SYNTHETIC_PEAK_FRACTION
    return synthetic_trace(name, peak, days=days, seed=seed)


@dataclass
class Evaluation:
    """A deployment, the trace it ran on and the simulation's result."""

    dep: SimDeployment
    trace: Trace
    result: Result

    @property
    def price(self) -> float | None:
        """USD per instance-hour, None when the price table lacks it."""
        return hourly_price(self.dep)

    def row(self) -> dict[str, Any]:
        """The ``--json`` row: the keys the issue names first, then the details."""
        r, price = self.result, self.price
        bounds = monthly_bounds(self.dep)
        return {
            "name": self.dep.name,
            "instance_hours": round(r.instance_hours, 3),
            "gpu_hours": round(r.gpu_hours, 3),
            "cost_usd": _money(r.instance_hours, price),
            "requests": round(r.requests),
            "timed_out": round(r.timed_out),
            "p99_latency_s": round(r.p99_latency_s, 3),
            "oracle_gpu_hours": round(r.oracle_gpu_hours, 3),
            "ratio_to_oracle": round(r.ratio_to_oracle, 3) if math.isfinite(r.ratio_to_oracle) else None,
            "oracle_instance_hours": round(r.oracle_instance_hours, 3),
            "oracle_cost_usd": _money(r.oracle_instance_hours, price),
            "cloud": self.dep.cloud,
            "region": self.dep.region,
            "instance": self.dep.instance,
            "accelerator": self.dep.accelerator,
            "gpus_per_instance": self.dep.gpus,
            "async": self.dep.is_async,
            "scaling": {
                "min": self.dep.min,
                "max": self.dep.max,
                "metric": self.dep.metric,
                "target": self.dep.target,
                "schedules": len(self.dep.schedules),
            },
            "capacity_rps_per_instance": self.dep.capacity_rps,
            "price_usd_per_hour": price,
            "monthly_floor_usd": _round(bounds.floor_usd),
            "monthly_ceiling_usd": _round(bounds.ceiling_usd),
            "peak_instances": r.peak_instances,
            "scale_events": r.scale_events,
            "step_s": r.step_s,
            "trace": self.trace.name,
            "minutes": self.trace.minutes,
        }


def _money(hours: float, price: float | None) -> float | None:
    return None if price is None else round(hours * price, 2)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def evaluate(
    dep: SimDeployment, trace: Trace, assumptions: cb.Assumptions | None = None, record: bool = False
) -> Evaluation:
    """Simulate one deployment on one trace."""
    return Evaluation(dep, trace, simulate(dep, trace, assumptions, record=record))


def _evaluate_job(job: tuple[SimDeployment, Trace, cb.Assumptions | None]) -> Evaluation:
    return evaluate(*job)


def evaluate_all(
    jobs: list[tuple[SimDeployment, Trace]], assumptions: cb.Assumptions | None = None, workers: int = 1
) -> list[Evaluation]:
    """Simulate many deployments, in ``workers`` processes when above 1 (each simulation is independent)."""
    if workers <= 1 or len(jobs) < 2:
        return [evaluate(dep, trace, assumptions) for dep, trace in jobs]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_evaluate_job, [(dep, trace, assumptions) for dep, trace in jobs], chunksize=4))
