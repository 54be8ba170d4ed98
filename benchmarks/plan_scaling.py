"""Benchmark: what the offline plan costs per resource, against the raw Pulumi SDK declaring the same resources.

Run: ``venv/bin/python benchmarks/plan_scaling.py`` (sizes 30 and 150; pass other sizes as arguments).

For each size, a fresh interpreter plans a mixed synthetic stack (real-time GPU endpoints, async scale-to-zero
endpoints, Vertex AI deployments, in turn) through the program (``__main__.py``, as shipped), then registers the
very resources that plan declared (type, name, parent, dependencies, inputs) under the same mock runtime:
- directly with ``pulumi.CustomResource`` / ``pulumi.ComponentResource``, with Python's default garbage-collector
  settings, as a plain program runs: the raw-SDK baseline the target (ours <= 1.5x) is set against;
- the same, with the collector settings our program sets for its run (``components/gc_settings.py``): what is
  left of the ratio once that setting is taken out of it;
- through the typed provider classes (``pulumi_aws.sagemaker.Endpoint`` ...), flat, with our program's collector
  settings: what the SDK's typed classes alone cost; the rest of our ratio is our own code and graph.
All run after a warm-up of a small stack in the same process (imports and first-use costs paid); each figure is
the best of three runs. Printed: ms per resource, in wall time and in CPU time of the process (less sensitive to
other jobs on a shared machine), and the ratios.

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
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GPUS = [("nvidia-t4", 1), ("nvidia-a10g", 1), ("nvidia-l4", 4), ("nvidia-l40s", 1), ("nvidia-h100", 8)]
RUNS = 3
"""Runs of each measurement; the best is printed."""


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
    return sorted({"pulumi.dynamic", *(_provider_module(token) for token in _typed_tokens(types))})


def load_provider_classes(types: set[str]) -> list[type]:
    """Load the provider classes of these type tokens (``aws:s3/bucket:Bucket`` -> ``pulumi_aws.s3.Bucket``).

    ``importlib.import_module("pulumi_aws.s3")`` alone returns the provider's lazy module placeholder without
    running it; reading the class runs the module (and its ``_inputs`` / ``outputs``), as the program does.
    """
    import importlib

    classes = [provider_class(token) for token in sorted(_typed_tokens(types))]
    importlib.import_module("pulumi.dynamic")
    return classes


def provider_class(token: str) -> type:
    """The pulumi-aws / pulumi-gcp class of a type token (``aws:s3/bucket:Bucket`` -> ``pulumi_aws.s3.Bucket``)."""
    import importlib

    found: type = getattr(importlib.import_module(_provider_module(token)), token.rsplit(":", 1)[-1])
    return found


def _provider_module(token: str) -> str:
    """``aws:s3/bucket:Bucket`` -> ``pulumi_aws.s3``."""
    package, _, rest = token.partition(":")
    return f"pulumi_{package}.{rest.split('/', 1)[0]}"


def declare_raw(plan: Mapping[str, Any]) -> None:
    """Register the plan's resources directly with the SDK: parents and dependencies first, same inputs."""
    import pulumi

    def custom(entry: Mapping[str, Any], opts: pulumi.ResourceOptions) -> pulumi.Resource:
        return pulumi.CustomResource(entry["type"], entry["name"], dict(entry["inputs"]), opts)

    _declare_plan(plan, custom)


def declare_typed(plan: Mapping[str, Any]) -> None:
    """Register the plan's resources through the typed provider classes (``pulumi_aws.sagemaker.Endpoint``, ...),
    flat, with the recorded inputs: what the SDK's typed classes cost on top of :func:`declare_raw`, without any of
    our code. Dynamic resources and components stay untyped, as in :func:`declare_raw`."""
    import pulumi

    classes = {token: provider_class(token) for token in _typed_tokens(r["type"] for r in plan["resources"])}

    def typed(entry: Mapping[str, Any], opts: pulumi.ResourceOptions) -> pulumi.Resource:
        cls = classes.get(entry["type"])
        if cls is None:
            return pulumi.CustomResource(entry["type"], entry["name"], dict(entry["inputs"]), opts)
        python_names = _python_argument_names(cls)
        args = {python_names[key]: value for key, value in entry["inputs"].items()}
        resource: pulumi.Resource = cls(entry["name"], opts, **args)
        return resource

    _declare_plan(plan, typed)


def _declare_plan(plan: Mapping[str, Any], custom: Callable[..., Any]) -> None:
    """Register the plan's resources, parents and dependencies first: components as ``ComponentResource``, every
    other resource through ``custom(entry, opts)``; then export the plan's outputs."""
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
        if entry["type"].startswith("ml-serving:"):
            resource: pulumi.Resource = pulumi.ComponentResource(entry["type"], entry["name"], None, opts)
        else:
            resource = custom(entry, opts)
        created[urn] = resource
        return resource

    for urn in entries:
        declare(urn)
    for key, value in (plan.get("outputs") or {}).items():
        pulumi.export(key, value)


def _python_argument_names(cls: type) -> dict[str, str]:
    """Wire name -> Python argument name of a typed resource class (``kmsKeyArn`` -> ``kms_key_arn``), from the
    parameters of its ``_internal_init``."""
    import inspect

    names: dict[str, str] = {}
    for name in inspect.signature(cls._internal_init).parameters:  # type: ignore[attr-defined]
        first, *rest = name.split("_")
        names[first + "".join(part[:1].upper() + part[1:] for part in rest)] = name
    return names


def _typed_tokens(tokens: Iterable[str]) -> set[str]:
    """The type tokens among ``tokens`` that have a class in pulumi-aws / pulumi-gcp."""
    return {token for token in tokens if token.partition(":")[0] in ("aws", "gcp")}


def _timed(run: Any) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, result) of ``run()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def child(repo: str, runs: int) -> None:
    """In a fresh interpreter (the benchmark's subprocess): plan the stack of stdin's config, then the baselines,
    ``runs`` times each after a warm-up; print the best wall and CPU seconds of each as JSON."""
    from components.gc_settings import tune_for_program_run
    from components.mock_runtime import run_main, run_program

    warmup, config = json.loads(sys.stdin.read())
    small = run_main(repo, stack="warmup", config=warmup).to_json()
    run_program(lambda: declare_raw(small), stack="warmup", config=warmup)
    run_program(lambda: declare_typed(small), stack="warmup", config=warmup)

    def with_default_gc(declare: Any, plan: Mapping[str, Any]) -> Any:
        return lambda: run_program(lambda: declare(plan), stack="bench", config=config)

    def with_program_gc(declare: Any, plan: Mapping[str, Any]) -> Any:
        def program() -> None:
            tune_for_program_run()
            declare(plan)

        return lambda: run_program(program, stack="bench", config=config)

    best: dict[str, list[float]] = {}
    plan: dict[str, Any] = {}
    for _ in range(runs):
        wall, cpu, made = _timed(lambda: run_main(repo, stack="bench", config=config))
        plan = made.to_json()
        timings = {
            "ours": (wall, cpu),
            "raw": _timed(with_default_gc(declare_raw, plan))[:2],
            "raw_gc": _timed(with_program_gc(declare_raw, plan))[:2],
            "typed_gc": _timed(with_program_gc(declare_typed, plan))[:2],
        }
        for name, (wall, cpu) in timings.items():
            previous = best.get(name, [float("inf"), float("inf")])
            best[name] = [min(previous[0], wall), min(previous[1], cpu)]
    print(json.dumps({"best": best, "resources": len(plan["resources"]) - 1}))


CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); from benchmarks.plan_scaling import child; "
    "child(sys.argv[1], int(sys.argv[2]))"
)

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


BASELINES = (
    ("raw", "raw SDK, Python's default GC settings"),
    ("raw_gc", "raw SDK, the program's GC settings"),
    ("typed_gc", "typed provider classes, program's GC"),
)
"""The baselines printed against our plan, in order: the issue's target is against the first."""


def main() -> None:
    """Print, per size: ms per resource of our plan and of each baseline, and the ratios; then end to end."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[30, 150], help="deployments per stack (30 150)")
    sizes = parser.parse_args().sizes
    print("ms per resource, wall (CPU), best of", RUNS, "runs; ratio = ours / baseline")
    for size in sizes:
        figures = measure(size)
        count, best = figures["resources"], figures["best"]
        ours_wall, ours_cpu = (1000 * value / count for value in best["ours"])
        print(f"{size} deployments, {count} resources")
        print(f"  {'ours (the program as shipped)':<40} {ours_wall:>6.2f} ({ours_cpu:>5.2f})")
        for key, label in BASELINES:
            wall, cpu = (1000 * value / count for value in best[key])
            print(f"  {label:<40} {wall:>6.2f} ({cpu:>5.2f})   ratio {ours_wall / wall:>4.2f} ({ours_cpu / cpu:>4.2f})")
    (ours_s, ours_c), (raw_s, raw_c) = end_to_end()
    print(
        f"end to end, stack dev: plan {ours_s:.2f} s ({ours_c:.2f} s CPU), raw program {raw_s:.2f} s "
        f"({raw_c:.2f} s CPU), ratio {ours_s / raw_s:.2f} ({ours_c / raw_c:.2f})"
    )


if __name__ == "__main__":
    main()
