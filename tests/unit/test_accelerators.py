"""Behaviour of the accelerator catalog: lookups, reverse lookup and the user-facing error messages."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from components.accelerators import (
    CATALOG,
    DEFAULT_SAGEMAKER_CPU_INSTANCE,
    DEFAULT_VERTEX_CPU_MACHINE,
    KNOWN_ACCELERATORS,
    Accelerator,
    AcceleratorError,
    VertexMachine,
    get_accelerator,
    gpu_count_of_sagemaker_instance,
    sagemaker_instance_type,
    vertex_machine,
)


def sagemaker_error(name: str, count: int) -> str:
    with pytest.raises(AcceleratorError) as info:
        sagemaker_instance_type(name, count)
    return str(info.value)


def vertex_error(name: str, count: int) -> str:
    with pytest.raises(AcceleratorError) as info:
        vertex_machine(name, count)
    return str(info.value)


# ------------------------------------------------------------------------------------ happy paths


@pytest.mark.parametrize(
    ("name", "count", "expected"),
    [
        ("nvidia-t4", 1, "ml.g4dn.xlarge"),
        ("nvidia-t4", 4, "ml.g4dn.12xlarge"),
        ("nvidia-a10g", 1, "ml.g5.xlarge"),
        ("nvidia-a10g", 4, "ml.g5.12xlarge"),
        ("nvidia-a10g", 8, "ml.g5.48xlarge"),
        ("nvidia-l4", 1, "ml.g6.xlarge"),
        ("nvidia-l40s", 1, "ml.g6e.xlarge"),
        ("nvidia-v100", 1, "ml.p3.2xlarge"),
        ("nvidia-a100-40gb", 8, "ml.p4d.24xlarge"),
        ("nvidia-a100-80gb", 8, "ml.p4de.24xlarge"),
        ("nvidia-h100", 1, "ml.p5.4xlarge"),
        ("nvidia-h100", 8, "ml.p5.48xlarge"),
        ("nvidia-h200", 8, "ml.p5e.48xlarge"),
    ],
)
def test_sagemaker_instance_type(name: str, count: int, expected: str) -> None:
    assert sagemaker_instance_type(name, count) == expected


@pytest.mark.parametrize(
    ("name", "count", "expected"),
    [
        ("nvidia-t4", 1, VertexMachine("n1-standard-4", "NVIDIA_TESLA_T4", 1)),
        ("nvidia-t4", 2, VertexMachine("n1-standard-8", "NVIDIA_TESLA_T4", 2)),
        ("nvidia-v100", 8, VertexMachine("n1-standard-32", "NVIDIA_TESLA_V100", 8)),
        ("nvidia-l4", 1, VertexMachine("g2-standard-4", "NVIDIA_L4", 1)),
        ("nvidia-l4", 2, VertexMachine("g2-standard-24", "NVIDIA_L4", 2)),
        ("nvidia-a100-40gb", 1, VertexMachine("a2-highgpu-1g", "NVIDIA_TESLA_A100", 1)),
        ("nvidia-a100-40gb", 16, VertexMachine("a2-megagpu-16g", "NVIDIA_TESLA_A100", 16)),
        ("nvidia-a100-80gb", 1, VertexMachine("a2-ultragpu-1g", "NVIDIA_A100_80GB", 1)),
        ("nvidia-h100", 8, VertexMachine("a3-highgpu-8g", "NVIDIA_H100_80GB", 8)),
        ("nvidia-h200", 8, VertexMachine("a3-ultragpu-8g", "NVIDIA_H200_141GB", 8)),
    ],
)
def test_vertex_machine(name: str, count: int, expected: VertexMachine) -> None:
    assert vertex_machine(name, count) == expected


def test_lookup_ignores_case_and_whitespace() -> None:
    assert get_accelerator("  NVIDIA-A10G ") is CATALOG["nvidia-a10g"]
    assert sagemaker_instance_type("Nvidia_L4", 1) == "ml.g6.xlarge"


def test_defaults() -> None:
    assert DEFAULT_SAGEMAKER_CPU_INSTANCE == "ml.m5.xlarge"
    assert DEFAULT_VERTEX_CPU_MACHINE == "n1-standard-4"


# ----------------------------------------------------------------- the one-A100-on-SageMaker case


def test_one_a100_on_sagemaker_explains_eight_at_a_time_and_alternatives() -> None:
    message = sagemaker_error("nvidia-a100-40gb", 1)
    first_line = message.splitlines()[0]
    assert "nvidia-a100-40gb" in first_line
    assert "eight at a time" in first_line
    assert "ml.p4d.24xlarge" in first_line and "40 GB" in first_line
    assert "ml.p4de.24xlarge" in first_line and "80 GB" in first_line
    # alternatives: the count SageMaker offers, single GPUs with enough memory, and Vertex
    assert "`count: 8` (ml.p4d.24xlarge)" in message
    assert "nvidia-l40s (48 GB, ml.g6e.xlarge)" in message
    assert "nvidia-h100 (80 GB, ml.p5.4xlarge)" in message
    assert "Vertex AI" in message and "a2-highgpu-1g" in message


def test_one_a100_80gb_on_sagemaker_points_at_p4de_and_big_single_gpus() -> None:
    message = sagemaker_error("nvidia-a100-80gb", 1)
    assert "eight at a time" in message
    assert "`count: 8` (ml.p4de.24xlarge)" in message
    assert "nvidia-h100 (80 GB, ml.p5.4xlarge)" in message
    assert "nvidia-l40s" not in message  # 48 GB is not enough for an 80 GB request
    assert "a2-ultragpu-1g" in message


@pytest.mark.parametrize("count", [1, 2, 4])
def test_fewer_than_eight_a100s_on_sagemaker_are_refused(count: int) -> None:
    message = sagemaker_error("nvidia-a100-40gb", count)
    assert "eight at a time" in message
    assert f"a2-highgpu-{count}g" in message


def test_four_a100s_on_sagemaker_suggest_same_total_memory_on_at_most_four_gpus() -> None:
    message = sagemaker_error("nvidia-a100-40gb", 4)
    assert "at least 160 GB" in message
    assert "nvidia-l40s (4 x 48 GB, ml.g6e.12xlarge)" in message


# ------------------------------------------------------------------------ GPU missing on a cloud


def test_a10g_on_vertex_is_refused_with_similar_gpus() -> None:
    message = vertex_error("nvidia-a10g", 1)
    assert message.startswith("Vertex AI does not offer nvidia-a10g")
    assert "SageMaker" in message and "ml.g5.xlarge" in message
    assert "nvidia-l4 (24 GB, g2-standard-4)" in message
    assert "nvidia-a100-40gb (40 GB, a2-highgpu-1g)" in message


def test_l40s_on_vertex_is_refused() -> None:
    message = vertex_error("nvidia-l40s", 1)
    assert "Vertex AI does not offer nvidia-l40s" in message
    assert "ml.g6e.xlarge" in message


# --------------------------------------------------------------------------- count not offered


def test_two_t4s_on_sagemaker_lists_offered_counts_and_vertex() -> None:
    message = sagemaker_error("nvidia-t4", 2)
    assert "1 GPU (ml.g4dn.xlarge), 4 GPUs (ml.g4dn.12xlarge)" in message
    assert "`count: 1` (ml.g4dn.xlarge) or `count: 4` (ml.g4dn.12xlarge)" in message
    assert "2 x nvidia-t4 as n1-standard-8" in message


def test_three_v100s_on_vertex_lists_every_offered_count() -> None:
    message = vertex_error("nvidia-v100", 3)
    assert "1 GPU (n1-standard-8), 2 GPUs (n1-standard-16), 4 GPUs (n1-standard-32), 8 GPUs" in message
    assert "`count: 2` (n1-standard-16) or `count: 4` (n1-standard-32)" in message


def test_single_h200_on_vertex_has_no_big_enough_single_gpu_and_suggests_sharding() -> None:
    message = vertex_error("nvidia-h200", 1)
    assert "eight at a time" in message and "a3-ultragpu-8g" in message
    assert "no other Vertex AI GPU reaches 141 GB on 1 GPU" in message
    assert "nvidia-rtx-pro-6000 (96 GB, g4-standard-48)" in message
    assert "shard the model over more GPUs" in message


@pytest.mark.parametrize("count", [0, -1, True, 1.5, "1"])
def test_invalid_count(count: object) -> None:
    with pytest.raises(AcceleratorError) as info:
        sagemaker_instance_type("nvidia-l4", count)  # type: ignore[arg-type]
    message = str(info.value)
    assert "nvidia-l4" in message and "positive integer" in message
    assert DEFAULT_SAGEMAKER_CPU_INSTANCE in message


# ----------------------------------------------------------------------------- unknown names


def test_unknown_accelerator_lists_known_ones() -> None:
    with pytest.raises(AcceleratorError) as info:
        get_accelerator("tpu-v5")
    message = str(info.value)
    assert message.startswith("unknown accelerator 'tpu-v5'; known: ")
    assert message.endswith(
        "known: nvidia-a100-40gb, nvidia-a100-80gb, nvidia-a10g, nvidia-b200, nvidia-h100, nvidia-h200, nvidia-l4, "
        "nvidia-l40s, nvidia-rtx-pro-6000, nvidia-t4, nvidia-v100"
    )


@pytest.mark.parametrize(
    ("typo", "suggested"),
    [
        ("a100", "'nvidia-a100-40gb' or 'nvidia-a100-80gb'"),
        ("nvida-t4", "'nvidia-t4'"),
        ("h100-80gb", "'nvidia-h100'"),
        ("a10g", "'nvidia-a10g'"),
    ],
)
def test_unknown_accelerator_suggests_close_names(typo: str, suggested: str) -> None:
    with pytest.raises(AcceleratorError) as info:
        vertex_machine(typo, 1)
    assert f"did you mean {suggested}?" in str(info.value)


def test_non_string_name() -> None:
    with pytest.raises(AcceleratorError, match="must be a string"):
        get_accelerator(None)  # type: ignore[arg-type]


def test_error_is_a_value_error() -> None:
    assert issubclass(AcceleratorError, ValueError)


# ----------------------------------------------------------------------------- reverse lookup


@pytest.mark.parametrize(
    ("instance_type", "expected"),
    [
        ("ml.g5.xlarge", ("nvidia-a10g", 1)),
        ("ml.g5.2xlarge", ("nvidia-a10g", 1)),  # a non-smallest size of a catalog family
        ("ml.g5.12xlarge", ("nvidia-a10g", 4)),
        ("ml.g7e.12xlarge", ("nvidia-rtx-pro-6000", 2)),
        ("ml.p4d.24xlarge", ("nvidia-a100-40gb", 8)),
        ("ml.p5en.48xlarge", ("nvidia-h200", 8)),
        ("ml.m5.xlarge", None),
        ("ml.inf2.xlarge", None),
        ("ml.p2.xlarge", None),
        ("g5.xlarge", None),
        ("", None),
    ],
)
def test_gpu_count_of_sagemaker_instance(instance_type: str, expected: tuple[str, int] | None) -> None:
    assert gpu_count_of_sagemaker_instance(instance_type) == expected


def test_sagemaker_offers_are_the_smallest_size_per_gpu_count_of_the_family_table() -> None:
    # AWS EC2 accelerated computing: the smallest size of each family with 1, 2, 4 or 8 GPUs.
    assert {name: dict(row.sagemaker) for name, row in CATALOG.items()} == {
        "nvidia-t4": {1: "ml.g4dn.xlarge", 4: "ml.g4dn.12xlarge"},
        "nvidia-a10g": {1: "ml.g5.xlarge", 4: "ml.g5.12xlarge", 8: "ml.g5.48xlarge"},
        "nvidia-l4": {1: "ml.g6.xlarge", 4: "ml.g6.12xlarge", 8: "ml.g6.48xlarge"},
        "nvidia-l40s": {1: "ml.g6e.xlarge", 4: "ml.g6e.12xlarge", 8: "ml.g6e.48xlarge"},
        "nvidia-v100": {1: "ml.p3.2xlarge", 4: "ml.p3.8xlarge", 8: "ml.p3.16xlarge"},
        "nvidia-a100-40gb": {8: "ml.p4d.24xlarge"},
        "nvidia-a100-80gb": {8: "ml.p4de.24xlarge"},
        "nvidia-h100": {1: "ml.p5.4xlarge", 8: "ml.p5.48xlarge"},
        "nvidia-h200": {8: "ml.p5e.48xlarge"},
        "nvidia-b200": {8: "ml.p6-b200.48xlarge"},
        "nvidia-rtx-pro-6000": {1: "ml.g7e.2xlarge", 2: "ml.g7e.12xlarge", 4: "ml.g7e.24xlarge", 8: "ml.g7e.48xlarge"},
    }


@pytest.mark.parametrize("name", KNOWN_ACCELERATORS)
def test_reverse_lookup_round_trips_the_catalog(name: str) -> None:
    for count, instance_type in CATALOG[name].sagemaker.items():
        assert gpu_count_of_sagemaker_instance(instance_type) == (name, count)


# ------------------------------------------------------------------------------- immutability


def test_catalog_is_read_only() -> None:
    accelerator = CATALOG["nvidia-t4"]
    with pytest.raises(TypeError):
        CATALOG["x"] = accelerator  # type: ignore[index]
    with pytest.raises(TypeError):
        accelerator.sagemaker[2] = "ml.g4dn.2xlarge"  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        accelerator.memory_gib = 1  # type: ignore[misc]
    assert isinstance(accelerator, Accelerator)


# ---------------------------------------------------------------------------------- properties

names = st.one_of(st.sampled_from(KNOWN_ACCELERATORS), st.text(max_size=20))
counts = st.integers(min_value=-2, max_value=33)


@given(name=names, count=counts)
def test_every_request_gets_a_type_or_a_helpful_error(name: str, count: int) -> None:
    for lookup in (sagemaker_instance_type, vertex_machine):
        try:
            result = lookup(name, count)
        except AcceleratorError as error:
            message = str(error)
            assert message.strip()
            known = name.strip().lower().replace("_", "-")
            assert (known in message) if known in CATALOG else (repr(name) in message)
        else:
            accelerator = get_accelerator(name)
            if isinstance(result, VertexMachine):
                assert result.accelerator_count == count
                assert result == accelerator.vertex[count]
            else:
                assert gpu_count_of_sagemaker_instance(result) == (accelerator.name, count)


@given(name=st.sampled_from(KNOWN_ACCELERATORS), count=st.integers(min_value=1, max_value=33))
def test_refusals_offer_at_least_one_option(name: str, count: int) -> None:
    for lookup in (sagemaker_instance_type, vertex_machine):
        try:
            lookup(name, count)
        except AcceleratorError as error:
            lines = str(error).splitlines()
            assert "Options:" in lines
            assert any(line.startswith("  - ") for line in lines)
