"""Benchmark: what the offline plan costs per resource, against the raw Pulumi SDK declaring the same resources.

Run: ``venv/bin/python benchmarks/plan_scaling.py`` (sizes 30 and 150; pass other sizes as arguments).

For each size, a fresh interpreter plans a mixed synthetic stack (real-time GPU endpoints, async scale-to-zero
endpoints, Vertex AI deployments, in turn) through the program (``components``), then registers the very resources
that plan declared (type, name, parent, dependencies, inputs) directly with ``pulumi.CustomResource`` /
``pulumi.ComponentResource`` under the same mock runtime: the raw-SDK baseline. Both run after a warm-up plan of
a small stack in the same process (imports and first-use costs paid), and each figure is the best of three runs.
Printed: resources, ms per resource for both, and the ratio, in wall time and in CPU time of the process (less
sensitive to other jobs on a shared machine).

End to end: ``python -m components.plan --stack dev`` against a raw program that loads the same provider classes
(the modules really run, not only the provider's lazy placeholders) and declares the same resources; wall and CPU
time of each process, best of three.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GPUS = [("nvidia-t4", 1), ("nvidia-a10g", 1), ("nvidia-l4", 4), ("nvidia-l40s", 1), ("nvidia-h100", 8)]
RUNS = 3


def synthetic_stack(size: int) -> dict[str, Any]:
    """Config values of a stack of ``size`` deployments: real-time GPU, async scale-to-zero and Vertex in turn."""
    deployments: list[dict[str, Any]] = []
    for index in range(size):
        name = f"model-{index:03d}"
        kind = index % 3
        if kind == 2:
            deployments.append(
                {
                    "name": name,
                    "cloud": "gcp",
                    "image": f"europe-west4-docker.pkg.dev/acme-ml/serving/{name}:1.0.{index}",
                    "artifacts": f"gs://acme-models/{name}/",
                    "accelerator": {"type": "nvidia-l4", "count": 1},
                    "scaling": {"min": 1, "max": 3, "metric": "invocations", "target": 600},
                }
            )
            continue
        gpu, count = GPUS[index % len(GPUS)]
        deployment: dict[str, Any] = {
            "name": name,
            "cloud": "aws",
            "image": f"111122223333.dkr.ecr.eu-west-1.amazonaws.com/{name}:1.0.{index}",
            "artifacts": f"s3://acme-models/{name}/model.tar.gz",
            "accelerator": {"type": gpu, "count": count},
            "scaling": {"min": 1, "max": 4, "metric": "concurrency", "target": 4},
        }
        if kind == 1:
            deployment["async"] = {"max_concurrent_invocations_per_instance": 4, "output_retention_days": 14}
            deployment["scaling"] = {"min": 0, "max": 2, "metric": "backlog", "target": 5}
        deployments.append(deployment)
    return {
        "aws:region": "eu-west-1",
        "gcp:project": "acme-ml",
        "gcp:region": "europe-west4",
        "ml-serving:deployments": deployments,
    }


def provider_modules(types: set[str]) -> list[str]:
    """The pulumi-aws / pulumi-gcp modules defining these type tokens (``aws:s3/bucket:Bucket`` -> pulumi_aws.s3)."""
    modules = {"pulumi.dynamic"}
    for token in types:
        package, _, rest = token.partition(":")
        if package in ("aws", "gcp"):
            modules.add(f"pulumi_{package}.{rest.split('/', 1)[0]}")
    return sorted(modules)


def load_provider_classes(types: set[str]) -> list[type]:
    """Load the provider classes of these type tokens (``aws:s3/bucket:Bucket`` -> ``pulumi_aws.s3.Bucket``).

    ``importlib.import_module("pulumi_aws.s3")`` alone returns the provider's lazy module placeholder without
    running it; reading the class runs the module (and its ``_inputs`` / ``outputs``), as the program does.
    """
    import importlib

    classes: list[type] = []
    for token in sorted(types):
        package, _, rest = token.partition(":")
        if package in ("aws", "gcp"):
            module = importlib.import_module(f"pulumi_{package}.{rest.split('/', 1)[0]}")
            classes.append(getattr(module, rest.rsplit(":", 1)[-1]))
    importlib.import_module("pulumi.dynamic")
    return classes


def declare_raw(plan: Mapping[str, Any]) -> None:
    """Register the plan's resources directly with the SDK: parents and dependencies first, same inputs."""
    import pulumi

    entries = {r["urn"]: r for r in plan["resources"] if r["type"] != "pulumi:pulumi:Stack"}
    created: dict[str, pulumi.Resource] = {}

    def declare(urn: str) -> pulumi.Resource:
        if urn in created:
            return created[urn]
        entry = entries[urn]
        parent = created.get(entry["parent"]) or (declare(entry["parent"]) if entry["parent"] in entries else None)
        depends = [declare(dep) for dep in (entry.get("options") or {}).get("dependsOn", []) if dep in entries]
        opts = pulumi.ResourceOptions(parent=parent, depends_on=depends or None)
        if entry["type"].startswith(("ml-serving:",)):
            resource: pulumi.Resource = pulumi.ComponentResource(entry["type"], entry["name"], None, opts)
        else:
            resource = pulumi.CustomResource(entry["type"], entry["name"], dict(entry["inputs"]), opts)
        created[urn] = resource
        return resource

    for urn in entries:
        declare(urn)
    for key, value in (plan.get("outputs") or {}).items():
        pulumi.export(key, value)


CHILD = """
import importlib, json, sys, time
sys.path.insert(0, sys.argv[1])
from benchmarks.plan_scaling import declare_raw, provider_modules
from components.mock_runtime import run_main, run_program
warmup, config = json.loads(sys.stdin.read())
run_main(sys.argv[1], stack="warmup", config=warmup)
small = run_main(sys.argv[1], stack="warmup", config=warmup).to_json()
run_program(lambda: declare_raw(small), stack="warmup", config=warmup)
ours, raw, ours_cpu, raw_cpu, plan = [], [], [], [], None
for _ in range(int(sys.argv[2])):
    t, c = time.perf_counter(), time.process_time()
    made = run_main(sys.argv[1], stack="bench", config=config)
    ours.append(time.perf_counter() - t); ours_cpu.append(time.process_time() - c)
    plan = made.to_json()
    t, c = time.perf_counter(), time.process_time()
    run_program(lambda: declare_raw(plan), stack="bench", config=config)
    raw.append(time.perf_counter() - t); raw_cpu.append(time.process_time() - c)
print(json.dumps({"ours": min(ours), "raw": min(raw), "ours_cpu": min(ours_cpu), "raw_cpu": min(raw_cpu),
                  "resources": len(plan["resources"]) - 1}))
"""

RAW_PROGRAM = """
import importlib, json, sys
sys.path.insert(0, sys.argv[1])
plan = json.load(open(sys.argv[2]))
from benchmarks.plan_scaling import declare_raw, load_provider_classes
from components.mock_runtime import run_program
load_provider_classes({r["type"] for r in plan["resources"]})
config = json.load(open(sys.argv[3]))
made = run_program(lambda: declare_raw(plan), stack=plan["stack"], config=config)
print(len(made.resources))
"""


def measure(size: int) -> dict[str, Any]:
    """Our plan and the raw SDK for a mixed stack of ``size`` deployments, in one fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(REPO), str(RUNS)],
        input=json.dumps([synthetic_stack(3), synthetic_stack(size)]),
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def _best(command: list[str]) -> tuple[float, float]:
    """(best wall seconds, best CPU seconds) of ``command`` over :data:`RUNS` runs."""
    wall, cpu = float("inf"), float("inf")
    for _ in range(RUNS):
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        subprocess.run(command, cwd=REPO, capture_output=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return wall, cpu


def end_to_end(stack: str = "dev") -> tuple[tuple[float, float], tuple[float, float]]:
    """(wall, CPU) seconds of ``python -m components.plan --stack STACK`` and of the raw program declaring its plan."""
    sys.path.insert(0, str(REPO))
    from components.config import read_stack_file

    plan = subprocess.run(
        [sys.executable, "-m", "components.plan", "--stack", stack, "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    config = read_stack_file(REPO / "stacks" / f"Pulumi.{stack}.yaml")
    with tempfile.TemporaryDirectory() as temp:
        plan_file, config_file = Path(temp) / "plan.json", Path(temp) / "config.json"
        plan_file.write_text(plan, encoding="utf-8")
        config_file.write_text(json.dumps(config), encoding="utf-8")
        ours = _best([sys.executable, "-m", "components.plan", "--stack", stack])
        raw = _best([sys.executable, "-c", RAW_PROGRAM, str(REPO), str(plan_file), str(config_file)])
    return ours, raw


def main() -> None:
    """Print, per size: resources, ms per resource (ours, raw SDK) and the ratio; then the end-to-end figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[30, 150], help="deployments per stack (30 150)")
    sizes = parser.parse_args().sizes
    print("ms per resource, wall (CPU): ours, the raw SDK, and the ratio")
    print(f"{'deployments':>11} {'resources':>9} {'ours':>14} {'raw SDK':>14} {'ratio':>12}")
    for size in sizes:
        figures = measure(size)
        count = figures["resources"]
        ours, raw = 1000 * figures["ours"] / count, 1000 * figures["raw"] / count
        ours_cpu, raw_cpu = 1000 * figures["ours_cpu"] / count, 1000 * figures["raw_cpu"] / count
        print(
            f"{size:>11} {count:>9} {ours:>6.2f} ({ours_cpu:>5.2f}) {raw:>6.2f} ({raw_cpu:>5.2f})"
            f" {ours / raw:>5.2f} ({ours_cpu / raw_cpu:>4.2f})"
        )
    (ours_s, ours_c), (raw_s, raw_c) = end_to_end()
    print(
        f"end to end, stack dev: plan {ours_s:.2f} s ({ours_c:.2f} s CPU), raw program {raw_s:.2f} s "
        f"({raw_c:.2f} s CPU), ratio {ours_s / raw_s:.2f} ({ours_c / raw_c:.2f})"
    )


if __name__ == "__main__":
    main()
