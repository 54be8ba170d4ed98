"""Benchmark: offline plan time and resource count for synthetic stacks of 1, 10 and 100 deployments.

Run: ``venv/bin/python benchmarks/plan_scaling.py`` (prints one line per size; pass sizes to override).
Each size is planned in a fresh process. The first plan of a process also pays for the lazy imports of the
pulumi-aws / pulumi-gcp modules the program touches; that one-off cost is reported apart ("first plan s", a
1-deployment plan run before the measured one), like the import of the runtime itself ("imports s").
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GPUS = [("nvidia-t4", 1), ("nvidia-a10g", 1), ("nvidia-l4", 4), ("nvidia-l40s", 1), ("nvidia-h100", 8)]
METRICS = [("concurrency", 4), ("invocations", 300), ("gpu", 60)]


def synthetic_stack(size: int) -> dict:
    """Config values of a stack with ``size`` autoscaled SageMaker deployments of varied GPUs and metrics."""
    deployments = []
    for index in range(size):
        gpu, count = GPUS[index % len(GPUS)]
        metric, target = METRICS[index % len(METRICS)]
        deployments.append(
            {
                "name": f"model-{index:03d}",
                "cloud": "aws",
                "image": f"111122223333.dkr.ecr.eu-west-1.amazonaws.com/model-{index:03d}:1.0.{index}",
                "artifacts": f"s3://acme-models/model-{index:03d}/model.tar.gz",
                "accelerator": {"type": gpu, "count": count},
                "scaling": {"min": 1, "max": 4, "metric": metric, "target": target},
            }
        )
    return {"aws:region": "eu-west-1", "ml-serving:deployments": deployments}


CHILD = """
import json, sys, time
t0 = time.perf_counter()
from components.mock_runtime import run_main
imported = time.perf_counter() - t0
warmup_config, config = json.loads(sys.stdin.read())
t1 = time.perf_counter()
run_main(sys.argv[1], stack="warmup", config=warmup_config)
warmup = time.perf_counter() - t1
t2 = time.perf_counter()
plan = run_main(sys.argv[1], stack="bench", config=config)
elapsed = time.perf_counter() - t2
print(json.dumps({"seconds": elapsed, "imports": imported, "warmup": warmup, "resources": len(plan.resources)}))
"""


def measure(size: int) -> dict:
    """Plan a synthetic stack of ``size`` deployments in a fresh interpreter and return its figures."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(REPO)],
        input=json.dumps([synthetic_stack(1), synthetic_stack(size)]),
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    """Print, per size: resources, plan seconds, ms per deployment, and the one-off costs of a fresh process."""
    sizes = [int(arg) for arg in sys.argv[1:]] or [1, 10, 100]
    print(
        f"{'deployments':>11} {'resources':>9} {'plan s':>8} {'ms/deployment':>13} {'first plan s':>12} {'imports s':>9}"
    )
    for size in sizes:
        figures = measure(size)
        per = 1000 * figures["seconds"] / size
        print(
            f"{size:>11} {figures['resources']:>9} {figures['seconds']:>8.2f} {per:>13.1f}"
            f" {figures['warmup']:>12.2f} {figures['imports']:>9.2f}"
        )


if __name__ == "__main__":
    main()
