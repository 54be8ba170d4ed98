"""What Vertex AI refuses is refused offline, before anything is declared: with the file, the key path and the fix."""

from __future__ import annotations

from typing import Any

import pytest
from builders import gcp_deployment, stack_values

from components.config import ConfigError, load_stack_config

SOURCE = "stacks/Pulumi.test.yaml"


def problems_of(*deployments: dict[str, Any]) -> dict[str, str]:
    """Key path -> rendered problem of a stack holding ``deployments``."""
    with pytest.raises(ConfigError) as caught:
        load_stack_config(stack_values(*deployments), "test", source=SOURCE)
    assert SOURCE in caught.value.render()
    return {problem.path: str(problem) for problem in caught.value.problems}


@pytest.mark.parametrize(
    ("overrides", "path", "text"),
    [
        # g2-standard-8 comes with one L4, not two.
        (
            {"machine_type": "g2-standard-8", "accelerator": {"type": "nvidia-l4", "count": 2}},
            "deployments[0].machine_type",
            "'g2-standard-8' comes with 1 x NVIDIA_L4, not 2 x NVIDIA_L4",
        ),
        # L4 cannot be attached to N1.
        (
            {"machine_type": "n1-standard-8", "accelerator": {"type": "nvidia-l4", "count": 1}},
            "deployments[0].machine_type",
            "NVIDIA_L4 cannot be attached to n1 machines (it comes with g2-standard-4, g2-standard-8, g2-standard-12)",
        ),
        # N1 serving tops out below 64 vCPUs.
        (
            {"machine_type": "n1-standard-64", "accelerator": {"type": "nvidia-t4", "count": 1}},
            "deployments[0].machine_type",
            "'n1-standard-64' has 64 vCPUs; Vertex AI serves n1 machines up to 32 vCPUs",
        ),
        # E2 / N2 / C2 take no GPU.
        (
            {"machine_type": "e2-standard-8", "accelerator": {"type": "nvidia-t4", "count": 1}},
            "deployments[0].machine_type",
            "NVIDIA_TESLA_T4 cannot be attached to e2 machines",
        ),
        (
            {"machine_type": "c2-standard-8", "accelerator": {"type": "nvidia-t4", "count": 1}},
            "deployments[0].machine_type",
            "NVIDIA_TESLA_T4 cannot be attached to c2 machines",
        ),
        # a2-highgpu-1g has one A100 (40GB), not an L4.
        (
            {"machine_type": "a2-highgpu-1g", "accelerator": {"type": "nvidia-l4", "count": 1}},
            "deployments[0].machine_type",
            "'a2-highgpu-1g' comes with 1 x NVIDIA_TESLA_A100, not 1 x NVIDIA_L4",
        ),
        # A GPU machine without its GPU.
        (
            {"machine_type": "g2-standard-8", "accelerator": None, "scaling": {"min": 1, "max": 2, "metric": "cpu"}},
            "deployments[0].machine_type",
            "'g2-standard-8' comes with 1 x NVIDIA_L4, not 0 x None",
        ),
        (
            {"vertex": {"private_network": "projects/acme-ml/global/networks/serving"}},
            "deployments[0].vertex.private_network",
            "'acme-ml' in 'projects/acme-ml/global/networks/serving' must be the project NUMBER, not its id",
        ),
        (
            {"vertex": {"kms_key": "projects/acme-ml/locations/us-central1/keyRings/r/cryptoKeys/k"}},
            "deployments[0].vertex.kms_key",
            "the key is in us-central1; Vertex AI needs the key in the region of the endpoint and model (europe-west4)",
        ),
        (
            {"artifacts": "gs://acme-models/reranker/v2/model.tar.gz"},
            "deployments[0].artifacts",
            "'gs://acme-models/reranker/v2/model.tar.gz' is a file; Vertex AI loads the artifacts from a directory",
        ),
        (
            {"vertex": {"dedicated_endpoint": True, "private_network": "projects/123456789012/global/networks/vpc"}},
            "deployments[0].vertex.private_network",
            "not with vertex.dedicated_endpoint: a dedicated endpoint has a public DNS name",
        ),
        (
            {"scaling": {"min": 1, "max": 3_000_000_000, "metric": "gpu"}},
            "deployments[0].scaling.max",
            "3000000000 is beyond 2147483647, the largest number the cloud APIs take here (32-bit integers)",
        ),
        (
            {"scaling": {"min": 1, "max": 2, "metric": "invocations", "target": 2_500_000_000}},
            "deployments[0].scaling.target",
            "2.5e+09 does not fit Vertex's int32 field",
        ),
    ],
)
def test_combinations_vertex_refuses_are_refused_offline(overrides: dict[str, Any], path: str, text: str) -> None:
    found = problems_of(gcp_deployment(**overrides))

    assert path in found, found
    assert text in found[path]


def test_the_fix_is_part_of_the_message() -> None:
    found = problems_of(gcp_deployment(machine_type="n1-standard-8"))

    assert "remove machine_type (the catalog picks g2-standard-4)" in found["deployments[0].machine_type"]


def test_every_problem_of_a_deployment_is_reported_at_once() -> None:
    found = problems_of(
        gcp_deployment(
            machine_type="n1-standard-8",
            artifacts="gs://acme-models/reranker/model.pt",
            vertex={"private_network": "projects/acme-ml/global/networks/vpc"},
        )
    )

    assert {"deployments[0].machine_type", "deployments[0].artifacts", "deployments[0].vertex.private_network"} <= set(
        found
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"machine_type": "g2-standard-8"},  # one L4, as the catalog's nvidia-l4 x 1
        {"machine_type": "g2-standard-24", "accelerator": {"type": "nvidia-l4", "count": 2}},
        {"machine_type": "n1-standard-16", "accelerator": {"type": "nvidia-t4", "count": 2}},
        {"machine_type": "a2-highgpu-1g", "accelerator": {"type": "nvidia-a100-40gb", "count": 1}},
        {"machine_type": "n2-standard-8", "accelerator": None, "scaling": {"min": 1, "max": 2, "metric": "cpu"}},
        {"vertex": {"private_network": "projects/123456789012/global/networks/serving"}},
        {"vertex": {"kms_key": "projects/acme-ml/locations/europe-west4/keyRings/r/cryptoKeys/k"}},
        {"artifacts": "gs://acme-models/reranker/v2"},
    ],
)
def test_combinations_vertex_offers_load(overrides: dict[str, Any]) -> None:
    stack = load_stack_config(stack_values(gcp_deployment(**overrides)), "test", source=SOURCE)

    assert stack.deployments[0].name == "reranker"
