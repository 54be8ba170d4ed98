"""The Vertex facts: literal cases from the docs, the GPU catalog against the one machine table, one home per fact."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from google.cloud import aiplatform_v1

from components import accelerators
from components.facts import gcp as facts

ROOT = Path(__file__).resolve().parents[2]


def test_every_catalog_vertex_machine_is_allowed_by_the_machine_table() -> None:
    for name in accelerators.KNOWN_ACCELERATORS:
        for count, machine in accelerators.get_accelerator(name).vertex.items():
            problem = facts.machine_problem(machine.machine_type, machine.accelerator_type, machine.accelerator_count)
            assert problem is None, f"{name} x {count}: {problem}"


def test_every_accelerator_of_the_table_is_an_aiplatform_enum_member() -> None:
    members = aiplatform_v1.AcceleratorType.__members__
    for family in facts.MACHINE_FAMILIES.values():
        names = {*family.attachable, *(acc for acc, _ in family.bundled.values())}
        assert names <= set(members), names - set(members)


def test_the_catalog_default_cpu_machine_is_the_fact() -> None:
    assert accelerators.DEFAULT_VERTEX_CPU_MACHINE == facts.DEFAULT_MACHINE == "n1-standard-4"


@pytest.mark.parametrize(
    ("machine", "accelerator", "count", "problem"),
    [
        ("g2-standard-8", "NVIDIA_L4", 1, None),
        ("g2-standard-24", "NVIDIA_L4", 2, None),
        ("g2-standard-8", "NVIDIA_L4", 2, "'g2-standard-8' comes with 1 x NVIDIA_L4, not 2 x NVIDIA_L4"),
        ("n1-standard-8", "NVIDIA_L4", 1, "NVIDIA_L4 cannot be attached to n1 machines"),
        ("n1-standard-32", "NVIDIA_TESLA_V100", 8, None),
        ("n1-standard-64", None, 0, "'n1-standard-64' has 64 vCPUs; Vertex AI serves n1 machines up to 32 vCPUs"),
        ("n1-standard-4", "NVIDIA_TESLA_T4", 3, "n1 machines take 1, 2, 4 x NVIDIA_TESLA_T4, not 3"),
        ("e2-standard-4", None, 0, None),
        ("n2-standard-8", "NVIDIA_TESLA_T4", 1, "NVIDIA_TESLA_T4 cannot be attached to n2 machines"),
        ("a2-highgpu-1g", "NVIDIA_TESLA_A100", 1, None),
        ("z9-weird-4", None, 0, "'z9-weird-4' is not a machine family Vertex AI serves on"),
    ],
)
def test_machine_problem(machine: str, accelerator: str | None, count: int, problem: str | None) -> None:
    found = facts.machine_problem(machine, accelerator, count)

    assert found == problem if problem is None else (found is not None and found.startswith(problem))


@pytest.mark.parametrize(
    ("endpoint_id", "valid"),
    [
        ("reranker-endpoint-1a2b3c4", True),
        ("a", True),
        ("a" * 63, True),
        ("a" * 64, False),
        ("ends-with-dash-", False),
        ("Upper", False),
        ("123456789", True),
        ("1234567890", False),  # digits: at most 9
        ("0123", False),  # no leading zero
    ],
)
def test_endpoint_id_rule(endpoint_id: str, valid: bool) -> None:
    assert bool(facts.ENDPOINT_ID.match(endpoint_id)) is valid


def test_endpoint_autoname_problem() -> None:
    assert facts.endpoint_autoname_problem("reranker-endpoint") is None
    assert facts.endpoint_autoname_problem("a" * 46 + "-endpoint") is None  # 55 + 8 = 63
    assert facts.endpoint_autoname_problem("a" * 47 + "-endpoint") is not None
    assert facts.endpoint_autoname_problem("Reranker-endpoint") is not None


@pytest.mark.parametrize(
    ("metric", "target", "accelerated", "specs"),
    [
        (None, None, True, ()),
        ("cpu", 70, False, (("aiplatform.googleapis.com/prediction/online/cpu/utilization", 70),)),
        (
            "gpu",
            65,
            True,
            (
                ("aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle", 65),
                ("aiplatform.googleapis.com/prediction/online/cpu/utilization", 100),
            ),
        ),
        (
            "invocations",
            600,
            False,
            (
                ("aiplatform.googleapis.com/prediction/online/request_count", 600),
                ("aiplatform.googleapis.com/prediction/online/cpu/utilization", 100),
            ),
        ),
    ],
)
def test_metric_specs(
    metric: str | None, target: int | None, accelerated: bool, specs: tuple[tuple[str, int], ...]
) -> None:
    assert facts.metric_specs(metric, target, accelerated) == specs


def test_private_network_needs_the_project_number() -> None:
    assert facts.PRIVATE_NETWORK.match("projects/123456789012/global/networks/serving")
    assert not facts.PRIVATE_NETWORK.match("projects/acme-ml/global/networks/serving")


def test_bucket_names() -> None:
    assert facts.bucket_name_problem("acme-models") is None
    assert facts.bucket_name_problem("my.bucket.example") is None
    assert facts.bucket_name_problem("ab") is not None
    assert facts.bucket_name_problem("google-models") is not None
    assert facts.bucket_name_problem("goog-models") is not None


def test_the_facts_module_imports_nothing_heavy() -> None:
    tree = ast.parse((ROOT / "components/facts/gcp.py").read_text(encoding="utf-8"))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= {"__future__", "re", "dataclasses", "types", "typing", "collections.abc"}, imported
    assert "google" not in sys.modules.get("components.facts.gcp").__dict__  # type: ignore[union-attr]


VERTEX_METRIC_NAMES = [
    "aiplatform.googleapis.com/prediction/online/cpu/utilization",
    "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle",
    "aiplatform.googleapis.com/prediction/online/request_count",
]


@pytest.mark.parametrize("name", VERTEX_METRIC_NAMES)
def test_each_vertex_metric_name_is_written_in_one_module(name: str) -> None:
    modules = [
        path.relative_to(ROOT).as_posix()
        for folder in ("components", "policies", "provider")
        for path in (ROOT / folder).rglob("*.py")
        if "venv" not in path.parts and name in path.read_text(encoding="utf-8")
    ]
    assert modules == ["components/facts/gcp.py"]


def test_ml_serving_default_targets_are_70_and_vertex_own_default_is_60() -> None:
    # 60: aiplatform_v1 DedicatedResources.autoscaling_metric_specs ("The default target value is 60 for both
    # metrics"); 70: ml-serving's choice, what 0.1.0 deployments were created with (must not change).
    assert dict(facts.DEFAULT_TARGETS) == {"cpu": 70.0, "gpu": 70.0}
    assert facts.DEFAULT_METRIC_TARGET == 60
    assert (facts.default_target("cpu"), facts.default_target("invocations")) == (70.0, None)


def test_a_vertex_deployment_without_target_sends_70_explicitly() -> None:
    from builders import gcp_deployment

    from components.config import DeploymentConfig
    from components.resolve.gcp import MetricSpec, resolve_vertex

    config = DeploymentConfig.model_validate(
        gcp_deployment(accelerator={"type": "nvidia-l4", "count": 1}, scaling={"min": 1, "max": 3, "metric": "gpu"})
    )
    vertex = resolve_vertex(config, project="acme-ml", region="europe-west4", stack="dev", project_name="ml-serving")
    assert vertex.target == 70
    assert vertex.metric_specs == (
        MetricSpec("aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle", 70),
        MetricSpec("aiplatform.googleapis.com/prediction/online/cpu/utilization", 100),
    )


def test_the_scaling_target_description_states_the_defaults_of_the_facts() -> None:
    from components.config.scaling import ScalingConfig

    assert ScalingConfig.model_fields["target"].description == (
        "Target value of the metric per instance. Defaults: cpu 70, gpu 70, backlog 5; required for invocations "
        "(or give max_rps_per_instance) and concurrency."
    )


def test_the_readme_states_both_vertex_default_targets_as_the_facts_say() -> None:
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"each with a default target of {facts.DEFAULT_METRIC_TARGET} %" in text
    (ours,) = {f"{value:g}" for value in facts.DEFAULT_TARGETS.values()}
    metrics = " and ".join(f"`{metric}`" for metric in facts.DEFAULT_TARGETS)
    assert f"ml-serving sends its own default for {metrics}, {ours} % as on SageMaker" in text
    assert f"so Vertex's {facts.DEFAULT_METRIC_TARGET} % never applies" in text


def test_no_module_restates_a_vertex_default_target() -> None:
    pattern = re.compile(
        r"GCP_DEFAULT_TARGETS|DEFAULT_TARGETS\s*[:=]|\"(cpu|gpu)\":\s*(60|70)|DEFAULT_METRIC_TARGET\s*="
    )
    modules = [
        path.relative_to(ROOT).as_posix()
        for folder in ("components", "policies", "provider")
        for path in (ROOT / folder).rglob("*.py")
        if "venv" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert modules == ["components/facts/gcp.py"]
