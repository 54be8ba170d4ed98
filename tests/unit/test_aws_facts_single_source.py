"""Each CloudWatch namespace and SageMaker metric name is written in exactly one non-test module: the facts.

Counts string literals (not docstrings or comments) in every Python module outside tests/ (components, policies,
provider, benchmarks, __main__.py).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from builders import REPO

NAMES = {
    "AWS/SageMaker",
    "/aws/sagemaker/Endpoints",
    "Invocations",
    "InvocationsPerInstance",
    "ConcurrentRequestsPerModel",
    "ModelLatency",
    "Invocation4XXErrors",
    "Invocation5XXErrors",
    "ApproximateBacklogSize",
    "ApproximateBacklogSizePerInstance",
    "HasBacklogWithoutCapacity",
    "ApproximateAgeOfOldestRequest",
    "CPUUtilization",
    "MemoryUtilization",
    "GPUUtilization",
    "GPUMemoryUtilization",
    "SageMakerVariantInvocationsPerInstance",
    "SageMakerVariantConcurrentRequestsPerModelHighResolution",
}


def modules() -> list[Path]:
    skip = {"tests", "venv", ".venv", "build", ".git"}
    return [
        path
        for path in REPO.rglob("*.py")
        if not (skip & set(path.relative_to(REPO).parts)) and "site-packages" not in path.parts
    ]


def literals(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
        # attribute docstrings: a string expression statement right after an assignment
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            docstrings.add(id(node.value))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    }


def test_each_namespace_and_metric_name_lives_in_the_facts_module_only():
    where: dict[str, set[str]] = defaultdict(set)
    for path in modules():
        for value in literals(path) & NAMES:
            where[value].add(str(path.relative_to(REPO)))
    assert dict(where) == {name: {"components/facts/aws.py"} for name in NAMES}
