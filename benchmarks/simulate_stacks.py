"""The shipped stacks' declared scaling on the synthetic traces: the README's table (ratio to oracle, timeouts).

Run: ``venv/bin/python benchmarks/simulate_stacks.py`` (7-day traces, seed 7, default assumptions). Each trace is
sized per deployment: its busiest minute loads the deployment's max instances to 70 % of capacity.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components.simulate.deployments import load_stack, sim_deployments  # noqa: E402
from components.simulate.evaluate import evaluate, synthetic_for  # noqa: E402
from components.simulate.traces import SYNTHETIC  # noqa: E402


def main() -> int:
    """Print a Markdown table: one row per stack and deployment, one column per synthetic trace."""
    print("| stack | deployment | scaling | " + " | ".join(SYNTHETIC) + " |")
    print("|---|---|---|" + "---:|" * len(SYNTHETIC))
    for stack_name in ("dev", "staging", "prod"):
        for dep in sim_deployments(load_stack(REPO / "stacks" / f"Pulumi.{stack_name}.yaml")):
            cells = []
            for name in SYNTHETIC:
                row = evaluate(dep, synthetic_for(dep, name, days=7, seed=7)).row()
                share = row["timed_out"] / row["requests"] if row["requests"] else 0.0
                cells.append(f"{row['ratio_to_oracle']:.2f}x / {share:.2%}")
            scaling = f"{dep.min}-{dep.max} {dep.metric or 'fixed'}" + (f" @ {dep.target:g}" if dep.target else "")
            print(f"| {stack_name} | {dep.name} | {scaling} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
