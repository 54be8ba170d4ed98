"""Which default ``safety_factor`` minimises cost without adding timeouts: every shipped deployment that derives its
target from ``max_rps_per_instance``, on every synthetic trace, for several factors.

Run: ``venv/bin/python benchmarks/simulate_safety_factor.py`` (7-day traces, seeds 7, 11 and 23, default
assumptions). Prints one row per factor: cost over all runs relative to the oracle, the worst single ratio, and
the timed-out share (all runs pooled, and the worst run), and the mean p99 latency over the runs whose p99 stays
under the timeout (there headroom, not start-up, decides latency; elsewhere the p99 is the timeout itself).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components.simulate.deployments import load_stack, sim_deployments  # noqa: E402
from components.simulate.evaluate import evaluate, synthetic_for  # noqa: E402
from components.simulate.traces import SYNTHETIC  # noqa: E402

FACTORS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
SEEDS = (7, 11, 23)


def main() -> int:
    """Print a Markdown table, one row per safety factor."""
    derived = []
    for stack_name in ("dev", "staging", "prod"):
        stack = load_stack(REPO / "stacks" / f"Pulumi.{stack_name}.yaml")
        for config, dep in zip(stack.deployments, sim_deployments(stack), strict=True):
            scaling = config.scaling
            if scaling.metric == "invocations" and scaling.max_rps_per_instance and scaling.target is None:
                derived.append((stack_name, dep, scaling.max_rps_per_instance))
    print("deployments: " + ", ".join(f"{s}/{d.name} ({d.min}-{d.max}, {rps:g} rps)" for s, d, rps in derived))
    print(
        "| safety_factor | cost / oracle (all runs) | worst run | timed out (all runs) | worst run | mean p99 (runs with p99 under the timeout) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for factor in FACTORS:
        cost = oracle = requests = timed_out = 0.0
        worst_ratio = worst_share = 0.0
        calm: list[float] = []
        for _, dep, rps in derived:
            candidate = replace(dep, target=round(rps * 60 * factor, 3))
            for name in SYNTHETIC:
                for seed in SEEDS:
                    row = evaluate(candidate, synthetic_for(candidate, name, days=7, seed=seed)).row()
                    cost += row["instance_hours"]
                    oracle += row["instance_hours"] / row["ratio_to_oracle"]
                    requests += row["requests"]
                    timed_out += row["timed_out"]
                    worst_ratio = max(worst_ratio, row["ratio_to_oracle"])
                    if row["p99_latency_s"] < candidate.timeout_s:
                        calm.append(row["p99_latency_s"])
                    worst_share = max(worst_share, row["timed_out"] / row["requests"] if row["requests"] else 0.0)
        print(
            f"| {factor:g} | {cost / oracle:.2f}x | {worst_ratio:.2f}x | {timed_out / requests:.3%} | "
            f"{worst_share:.3%} | {sum(calm) / len(calm):.2f} s ({len(calm)} runs) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
