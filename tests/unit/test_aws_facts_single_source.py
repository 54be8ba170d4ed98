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


VERTEX_METRIC_NAMES = {
    "aiplatform.googleapis.com/prediction/online/cpu/utilization",
    "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle",
    "aiplatform.googleapis.com/prediction/online/request_count",
}

SIMULATOR_OWN_CONSTANTS = {
    # simulator-only values, none a cloud fact (cloud facts are read from components/facts/aws.py and gcp.py)
    "components/simulate/__main__.py": {"EXIT_BAD_INPUT"},
    "components/simulate/cloud_behaviour.py": {"HOURS_PER_MONTH", "STARTUP_S_BY_FAMILY", "DEFAULT_STARTUP_S"},
    "components/simulate/cost.py": {"PRICES_DIR", "TABLES"},
    "components/simulate/cost_diff.py": {"TRACES_DIR"},
    "components/simulate/deployments.py": {"SIM_PROJECT"},
    "components/simulate/evaluate.py": {"SYNTHETIC_PEAK_FRACTION"},
    "components/simulate/recommend.py": {"UTILISATIONS", "BACKLOG_TARGETS"},
    "components/simulate/traces.py": {"SYNTHETIC", "TRACE_FORMAT_FIX", "SYNTHETIC_START"},
}


def module_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        names |= {t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper() and not t.id.startswith("_")}
    return names


def test_the_simulator_restates_no_metric_name_and_no_cloud_constant():
    simulate = sorted((REPO / "components" / "simulate").glob("*.py"))
    restated = {
        str(path.relative_to(REPO)): sorted(literals(path) & (NAMES | VERTEX_METRIC_NAMES))
        for path in simulate
        if literals(path) & (NAMES | VERTEX_METRIC_NAMES)
    }
    assert restated == {}
    constants = {str(path.relative_to(REPO)): module_constants(path) for path in simulate}
    assert {path: names for path, names in constants.items() if names} == SIMULATOR_OWN_CONSTANTS
