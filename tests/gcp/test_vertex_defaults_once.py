"""Every Vertex default is decided once: the stack-file path in config / resolve (from the facts), the resource's
direct users and 0.1.0 states in ``canonical_inputs``; ``DeploymentSpec`` only copies. Literals from the Vertex docs
(aiplatform_v1 ModelContainerSpec, DedicatedResources) and ml-serving's own defaults (facts.gcp.DEFAULT_TARGETS)."""

from __future__ import annotations

import ast
from pathlib import Path

from builders import gcp_deployment, stack_values

from components.config.vertex import VertexOptions
from components.gcp.deployment_spec import DeploymentSpec

ROOT = Path(__file__).resolve().parents[2]
MODEL = "pulumi-python:dynamic/gcp:VertexModelDeployment"
ENDPOINT = "projects/acme-ml/locations/europe-west4/endpoints/reranker-endpoint-1a2b3c4"


def test_the_stack_file_defaults_are_vertex_s_defaults() -> None:
    options = VertexOptions()
    assert (options.predict_route, options.health_route, options.port) == ("/predict", "/health", 8080)


def test_the_component_sends_every_value_it_resolved(run_stack) -> None:
    # Values that differ from every default of the resource: if the component left one out, the resource's own
    # default would show in the recorded inputs instead.
    deployment = gcp_deployment(
        accelerator=None,
        machine_type="n1-standard-8",
        vertex={"predict_route": "/v1/models/m:predict", "health_route": "/v1/models/m", "port": 9000},
        scaling={"min": 2, "max": 5, "metric": "cpu"},
    )
    inputs = run_stack(stack_values(deployment), stack="prod").one(MODEL).inputs
    assert (inputs["predict_route"], inputs["health_route"], inputs["port"]) == (
        "/v1/models/m:predict",
        "/v1/models/m",
        9000,
    )
    assert (inputs["machine_type"], inputs.get("accelerator_type"), inputs["accelerator_count"]) == (
        "n1-standard-8",
        None,
        0,
    )
    assert (inputs["min_replicas"], inputs["max_replicas"], inputs["metric"], inputs["target"]) == (2, 5, "cpu", 70)
    assert inputs["autoscaling_metric_specs"] == [
        {"metric_name": "aiplatform.googleapis.com/prediction/online/cpu/utilization", "target": 70}
    ]


def test_a_direct_user_s_omitted_inputs_take_the_defaults_of_canonical_inputs() -> None:
    spec = DeploymentSpec.from_props(
        {
            "project": "acme-ml",
            "region": "europe-west4",
            "endpoint": ENDPOINT,
            "display_name": "reranker-prod",
            "image_uri": "europe-west4-docker.pkg.dev/acme-ml/serving/reranker:1.0.0",
            "machine_type": "g2-standard-4",
            "accelerator_type": "NVIDIA_L4",
            "accelerator_count": 1.0,
            "metric": "gpu",
        }
    )
    assert (spec.predict_route, spec.health_route, spec.port) == ("/predict", "/health", 8080)
    assert (spec.min_replicas, spec.max_replicas, spec.target) == (1, 1, 60)  # 60: Vertex's own default
    assert spec.autoscaling_metric_specs == [
        {"metric_name": "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle", "target": 60},
        {"metric_name": "aiplatform.googleapis.com/prediction/online/cpu/utilization", "target": 100},
    ]
    assert (spec.operation_timeout_seconds, spec.poll_interval_seconds) == (1800.0, 10.0)


def test_the_spec_decides_no_default_of_its_own() -> None:
    tree = ast.parse((ROOT / "components/gcp/deployment_spec.py").read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not {name for name in names if name == "DEFAULTS" or name.startswith("DEFAULT_")}
