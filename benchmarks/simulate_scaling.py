"""Benchmark of the what-if simulator (issue 12's targets; a benchmark, not a timed test).

Run: ``venv/bin/python benchmarks/simulate_scaling.py`` (prints the figures the README quotes).

1. Simulate 30 days of per-minute trace for 50 deployments: the prod stack's four deployments repeated (SageMaker
   high-resolution concurrency at 10 s steps, invocations, async backlog, Vertex), each on its own 30-day diurnal
   trace. Timed in one process and in two (``evaluate_all(..., workers=2)``). Target: <= 10 s on 2 cores.
2. ``--recommend`` on a 7-day trace, per prod deployment (step trace: recurring peaks). Target: <= 60 s each.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components.simulate.deployments import load_stack, sim_deployments  # noqa: E402
from components.simulate.evaluate import evaluate_all, synthetic_for  # noqa: E402
from components.simulate.recommend import recommend  # noqa: E402


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    """Print the benchmark's figures."""
    prod = sim_deployments(load_stack(REPO / "stacks" / "Pulumi.prod.yaml"))
    deps = [prod[index % len(prod)].with_scaling(name=f"model-{index:02d}") for index in range(50)]
    started = time.perf_counter()
    jobs = [(dep, synthetic_for(dep, "diurnal", days=30, seed=index)) for index, dep in enumerate(deps)]
    traces_s = time.perf_counter() - started
    print(f"cores: {os.cpu_count()}; traces: 50 x 30 days per minute ({50 * 30 * 1440:,} deployment-minutes)")
    print(f"  generating the synthetic traces: {traces_s:.2f} s (not counted below)")
    print(f"  load average before: {os.getloadavg()[0]:.1f} (wall times grow when other jobs share the cores)")
    for workers in (1, 2):
        started, cpu = time.perf_counter(), _cpu()
        results = evaluate_all(jobs, workers=workers)
        elapsed, used = time.perf_counter() - started, _cpu() - cpu
        steps = sum(item.trace.minutes * 60 // item.result.step_s for item in results)
        print(
            f"  simulate 50 deployments x 30 days, {workers} process(es): {elapsed:.2f} s wall, {used:.2f} s CPU "
            f"({steps:,} steps, {used / steps * 1e6:.2f} us CPU per step)  target <= 10 s"
        )
    for dep in prod:
        trace = synthetic_for(dep, "step", days=7, seed=7)
        started, cpu = time.perf_counter(), _cpu()
        outcome = recommend(dep, trace)
        elapsed, used = time.perf_counter() - started, _cpu() - cpu
        best = outcome.best
        verdict = (
            f"{best.result.ratio_to_oracle:.2f}x oracle, {best.result.timed_out:,.0f} timed out"
            if best
            else "no single answer (curve)"
        )
        print(
            f"  --recommend {dep.name:<15} 7 days: {elapsed:5.2f} s wall, {used:5.2f} s CPU, {len(outcome.curve)} points, "
            f"recommended {verdict}; declared {outcome.default.ratio_to_oracle:.2f}x oracle, "
            f"{outcome.default.timed_out:,.0f} timed out  target <= 60 s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
