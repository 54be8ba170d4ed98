"""Contract tests: the accelerator catalog against the clouds' own API models.

* SageMaker instance type names come from botocore's ``sagemaker`` model
  (shape ``ProductionVariantInstanceType``), the list the CreateEndpointConfig API validates against.
* Vertex accelerator types come from ``google.cloud.aiplatform_v1.AcceleratorType``.

Neither API model says how many GPUs an instance/machine has, so this file carries its own GPU-per-size
tables (from the AWS EC2 and Compute Engine machine documentation), written independently of
``components/accelerators/data.py``: a typo in either place makes the tests fail. When botocore grows a new
GPU instance family or size, ``test_every_accelerated_sagemaker_type_is_classified`` fails until the
family is added to the catalog or to ``NOT_IN_CATALOG`` with a reason.
"""

from __future__ import annotations

import re
from functools import cache

import botocore.session
import pytest
from google.cloud import aiplatform_v1

from components.accelerators import (
    CATALOG,
    DEFAULT_SAGEMAKER_CPU_INSTANCE,
    DEFAULT_VERTEX_CPU_MACHINE,
    KNOWN_ACCELERATORS,
    gpu_count_of_sagemaker_instance,
)

# ------------------------------------------------------------------------------------------ SageMaker

# family -> (accelerator, {size: GPUs per instance}). Source: AWS EC2 accelerated-computing instance
# specifications (G4dn, G5, G6, G6e, G7e, P3, P4d/P4de, P5/P5e/P5en, P6-B200).
SAGEMAKER_GPU_FAMILIES: dict[str, tuple[str, dict[str, int]]] = {
    "g4dn": (
        "nvidia-t4",
        {"xlarge": 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "12xlarge": 4, "16xlarge": 1},
    ),
    "g5": (
        "nvidia-a10g",
        {
            "xlarge": 1,
            "2xlarge": 1,
            "4xlarge": 1,
            "8xlarge": 1,
            "12xlarge": 4,
            "16xlarge": 1,
            "24xlarge": 4,
            "48xlarge": 8,
        },
    ),
    "g6": (
        "nvidia-l4",
        {
            "xlarge": 1,
            "2xlarge": 1,
            "4xlarge": 1,
            "8xlarge": 1,
            "12xlarge": 4,
            "16xlarge": 1,
            "24xlarge": 4,
            "48xlarge": 8,
        },
    ),
    "g6e": (
        "nvidia-l40s",
        {
            "xlarge": 1,
            "2xlarge": 1,
            "4xlarge": 1,
            "8xlarge": 1,
            "12xlarge": 4,
            "16xlarge": 1,
            "24xlarge": 4,
            "48xlarge": 8,
        },
    ),
    "g7e": (
        "nvidia-rtx-pro-6000",
        {"2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "12xlarge": 2, "24xlarge": 4, "48xlarge": 8},
    ),
    "p3": ("nvidia-v100", {"2xlarge": 1, "8xlarge": 4, "16xlarge": 8}),
    "p4d": ("nvidia-a100-40gb", {"24xlarge": 8}),
    "p4de": ("nvidia-a100-80gb", {"24xlarge": 8}),
    "p5": ("nvidia-h100", {"4xlarge": 1, "48xlarge": 8}),
    "p5e": ("nvidia-h200", {"48xlarge": 8}),
    "p5en": ("nvidia-h200", {"48xlarge": 8}),
    "p6-b200": ("nvidia-b200", {"48xlarge": 8}),
}

# Accelerated families in the enum that are deliberately outside the catalog.
NOT_IN_CATALOG: dict[str, str] = {
    "p2": "NVIDIA K80: end of life (retired on Google Cloud), not worth offering",
    "g7": "NVIDIA RTX PRO 4500 Blackwell: GPU count per size not verified yet",
    "p6-b300": "NVIDIA B300: per-GPU memory not verified and no Vertex enum member yet",
    "p6e-gb200": "NVIDIA GB200: Arm (Grace) host, UltraServer slices; needs arm64 serving images",
    "inf1": "AWS Inferentia: not a GPU, needs Neuron-compiled models",
    "inf2": "AWS Inferentia2: not a GPU, needs Neuron-compiled models",
    "trn1": "AWS Trainium: not a GPU, needs Neuron-compiled models",
    "trn1n": "AWS Trainium: not a GPU, needs Neuron-compiled models",
    "trn2": "AWS Trainium2: not a GPU, needs Neuron-compiled models",
    "dl1": "Habana Gaudi: not an NVIDIA GPU",
}

# Instance families whose letter marks an accelerated-computing family (g, p, inf, trn, dl, ...).
ACCELERATED_PREFIX = re.compile(r"^(g|p|inf|trn|dl|f|vt)\d")


@cache
def sagemaker_enum() -> frozenset[str]:
    model = botocore.session.get_session().get_service_model("sagemaker")
    return frozenset(model.shape_for("ProductionVariantInstanceType").enum)


def split_type(instance_type: str) -> tuple[str, str]:
    """``ml.g5.12xlarge`` -> (``g5``, ``12xlarge``); ``ml.p6-b200.48xlarge`` -> (``p6-b200``, ...)."""
    prefix, family, size = instance_type.split(".")
    assert prefix == "ml", instance_type
    return family, size


def size_rank(size: str) -> float:
    """Order of sizes within a family: medium < large < xlarge < 2xlarge < ... < 48xlarge."""
    fixed = {"medium": 0.25, "large": 0.5, "xlarge": 1.0}
    if size in fixed:
        return fixed[size]
    match = re.fullmatch(r"(\d+)xlarge", size)
    assert match, f"unexpected size {size!r}"
    return float(match.group(1))


def table_instances() -> dict[str, tuple[str, int]]:
    return {
        f"ml.{family}.{size}": (accelerator, gpus)
        for family, (accelerator, sizes) in SAGEMAKER_GPU_FAMILIES.items()
        for size, gpus in sizes.items()
    }


def catalog_sagemaker_rows() -> list[tuple[str, int, str]]:
    return [(acc.name, count, itype) for acc in CATALOG.values() for count, itype in acc.sagemaker.items()]


@pytest.mark.parametrize(("name", "count", "instance_type"), catalog_sagemaker_rows())
def test_catalog_sagemaker_types_are_in_botocore_enum(name: str, count: int, instance_type: str) -> None:
    assert instance_type in sagemaker_enum(), f"{name} x{count}: {instance_type} is not a SageMaker hosting type"


def test_default_cpu_instance_is_in_botocore_enum_and_has_no_gpu() -> None:
    assert DEFAULT_SAGEMAKER_CPU_INSTANCE in sagemaker_enum()
    assert gpu_count_of_sagemaker_instance(DEFAULT_SAGEMAKER_CPU_INSTANCE) is None


def test_gpu_family_table_matches_botocore_enum_both_ways() -> None:
    enum = sagemaker_enum()
    table = table_instances()
    stale = sorted(set(table) - enum)
    assert not stale, f"in the GPU table but not in botocore's enum: {stale}"
    unknown_sizes = sorted(t for t in enum if split_type(t)[0] in SAGEMAKER_GPU_FAMILIES and t not in table)
    assert not unknown_sizes, f"new sizes of catalog GPU families in botocore, add their GPU count: {unknown_sizes}"


def test_every_accelerated_sagemaker_type_is_classified() -> None:
    unclassified = sorted(
        t
        for t in sagemaker_enum()
        if ACCELERATED_PREFIX.match(split_type(t)[0])
        and split_type(t)[0] not in SAGEMAKER_GPU_FAMILIES
        and split_type(t)[0] not in NOT_IN_CATALOG
    )
    assert not unclassified, (
        f"botocore lists accelerated SageMaker types this catalog does not know: {unclassified}; "
        "add the family to components/accelerators.py (and SAGEMAKER_GPU_FAMILIES here) or to NOT_IN_CATALOG"
    )


def test_excluded_families_still_exist_in_botocore() -> None:
    families = {split_type(t)[0] for t in sagemaker_enum()}
    assert set(NOT_IN_CATALOG) <= families, sorted(set(NOT_IN_CATALOG) - families)


@pytest.mark.parametrize("instance_type", sorted(sagemaker_enum()))
def test_reverse_lookup_agrees_with_gpu_table(instance_type: str) -> None:
    assert gpu_count_of_sagemaker_instance(instance_type) == table_instances().get(instance_type)


@pytest.mark.parametrize(("name", "count", "instance_type"), catalog_sagemaker_rows())
def test_catalog_sagemaker_type_is_the_smallest_with_that_gpu_count(name: str, count: int, instance_type: str) -> None:
    assert table_instances()[instance_type] == (name, count)
    family, size = split_type(instance_type)
    sizes = SAGEMAKER_GPU_FAMILIES[family][1]
    smaller = [s for s, gpus in sizes.items() if gpus == count and size_rank(s) < size_rank(size)]
    assert not smaller, f"{name} x{count}: ml.{family}.{smaller[0]} is smaller than {instance_type}"


@pytest.mark.parametrize("name", KNOWN_ACCELERATORS)
def test_catalog_offers_every_gpu_count_sagemaker_has(name: str) -> None:
    offered_by_aws = {gpus for acc, gpus in table_instances().values() if acc == name}
    assert set(CATALOG[name].sagemaker) == offered_by_aws


def test_h200_prefers_p5e_over_p5en() -> None:
    # Both are 8 x H200; P5en only adds EFAv3 networking and a newer host CPU (multi-node training).
    assert CATALOG["nvidia-h200"].sagemaker == {8: "ml.p5e.48xlarge"}


# ------------------------------------------------------------------------------------------- Vertex

# Machine family -> accelerator enum member it comes with. Source: Compute Engine "GPU machine types".
VERTEX_FAMILY_ACCELERATOR: dict[str, set[str]] = {
    "a2-highgpu": {"NVIDIA_TESLA_A100"},
    "a2-megagpu": {"NVIDIA_TESLA_A100"},
    "a2-ultragpu": {"NVIDIA_A100_80GB"},
    "a3-highgpu": {"NVIDIA_H100_80GB"},
    "a3-megagpu": {"NVIDIA_H100_MEGA_80GB"},
    "a3-ultragpu": {"NVIDIA_H200_141GB"},
    "a4-highgpu": {"NVIDIA_B200"},
    "g2-standard": {"NVIDIA_L4"},
    "g4-standard": {"NVIDIA_RTX_PRO_6000"},
    # N1 takes attachable GPUs.
    "n1-standard": {"NVIDIA_TESLA_T4", "NVIDIA_TESLA_V100", "NVIDIA_TESLA_P4", "NVIDIA_TESLA_P100"},
    "n1-highmem": {"NVIDIA_TESLA_T4", "NVIDIA_TESLA_V100", "NVIDIA_TESLA_P4", "NVIDIA_TESLA_P100"},
    "n1-highcpu": {"NVIDIA_TESLA_T4", "NVIDIA_TESLA_V100", "NVIDIA_TESLA_P4", "NVIDIA_TESLA_P100"},
}

# G-series machines are named by vCPUs: machine -> GPUs it comes with.
VERTEX_G_SERIES_GPUS: dict[str, int] = {
    "g2-standard-4": 1,
    "g2-standard-8": 1,
    "g2-standard-12": 1,
    "g2-standard-16": 1,
    "g2-standard-32": 1,
    "g2-standard-24": 2,
    "g2-standard-48": 4,
    "g2-standard-96": 8,
    "g4-standard-48": 1,
    "g4-standard-96": 2,
    "g4-standard-192": 4,
    "g4-standard-384": 8,
}

# N1 machines Vertex AI inference accepts (configure-compute page).
VERTEX_N1_MACHINES = (
    {f"n1-standard-{n}" for n in (2, 4, 8, 16, 32)}
    | {f"n1-highmem-{n}" for n in (2, 4, 8, 16, 32)}
    | {f"n1-highcpu-{n}" for n in (4, 8, 16, 32)}
)

# Compute Engine limits for GPUs attached to N1: (accelerator, GPU count) -> max vCPUs.
N1_MAX_VCPUS: dict[tuple[str, int], int] = {
    ("NVIDIA_TESLA_T4", 1): 48,
    ("NVIDIA_TESLA_T4", 2): 48,
    ("NVIDIA_TESLA_T4", 4): 96,
    ("NVIDIA_TESLA_V100", 1): 12,
    ("NVIDIA_TESLA_V100", 2): 24,
    ("NVIDIA_TESLA_V100", 4): 48,
    ("NVIDIA_TESLA_V100", 8): 96,
}


def catalog_vertex_rows() -> list[tuple[str, int, str, str | None, int]]:
    return [
        (acc.name, count, m.machine_type, m.accelerator_type, m.accelerator_count)
        for acc in CATALOG.values()
        for count, m in acc.vertex.items()
    ]


def machine_family(machine_type: str) -> str:
    return machine_type.rsplit("-", 1)[0]


VERTEX_ROWS = catalog_vertex_rows()


@pytest.mark.parametrize(("name", "count", "machine", "acc_type", "acc_count"), VERTEX_ROWS)
def test_vertex_accelerator_types_are_enum_members(
    name: str, count: int, machine: str, acc_type: str | None, acc_count: int
) -> None:
    members = aiplatform_v1.AcceleratorType.__members__
    assert acc_type in members, f"{name}: {acc_type} is not an aiplatform_v1.AcceleratorType"
    assert acc_type != "ACCELERATOR_TYPE_UNSPECIFIED"
    assert acc_type is not None and not acc_type.startswith("TPU_")


@pytest.mark.parametrize(("name", "count", "machine", "acc_type", "acc_count"), VERTEX_ROWS)
def test_vertex_machine_family_matches_accelerator(
    name: str, count: int, machine: str, acc_type: str | None, acc_count: int
) -> None:
    family = machine_family(machine)
    assert family in VERTEX_FAMILY_ACCELERATOR, f"{name}: unknown machine family {family!r}"
    assert acc_type in VERTEX_FAMILY_ACCELERATOR[family], f"{machine} does not come with {acc_type}"


@pytest.mark.parametrize(("name", "count", "machine", "acc_type", "acc_count"), VERTEX_ROWS)
def test_vertex_gpu_count_matches_machine(
    name: str, count: int, machine: str, acc_type: str | None, acc_count: int
) -> None:
    assert acc_count == count
    suffix = re.search(r"-(\d+)g$", machine)
    if suffix:  # a2/a3/a4: the name carries the GPU count
        assert int(suffix.group(1)) == acc_count
    elif machine.startswith(("g2-", "g4-")):
        assert VERTEX_G_SERIES_GPUS[machine] == acc_count
    else:
        assert machine in VERTEX_N1_MACHINES, f"{machine} is not an N1 type Vertex inference accepts"
        vcpus = int(machine.rsplit("-", 1)[1])
        assert acc_type is not None
        assert vcpus <= N1_MAX_VCPUS[(acc_type, acc_count)], f"{machine} has too many vCPUs for {acc_count} GPUs"


@pytest.mark.parametrize(
    ("name", "count", "machine"), [(n, c, m) for n, c, m, _, _ in VERTEX_ROWS if m in VERTEX_G_SERIES_GPUS]
)
def test_vertex_g_series_machine_is_the_smallest_with_that_gpu_count(name: str, count: int, machine: str) -> None:
    # A2/A3/A4 have one machine per GPU count; G2/G4 have several (more vCPUs) for one GPU.
    family = machine_family(machine)
    same_count = [m for m, g in VERTEX_G_SERIES_GPUS.items() if machine_family(m) == family and g == count]
    assert machine == min(same_count, key=lambda m: int(m.rsplit("-", 1)[1]))


@pytest.mark.parametrize("name", KNOWN_ACCELERATORS)
def test_one_vertex_accelerator_type_per_accelerator(name: str) -> None:
    types = {m.accelerator_type for m in CATALOG[name].vertex.values()}
    assert len(types) <= 1


@pytest.mark.parametrize("name", KNOWN_ACCELERATORS)
def test_memory_matches_the_enum_name_when_it_carries_one(name: str) -> None:
    for machine in CATALOG[name].vertex.values():
        assert machine.accelerator_type is not None
        match = re.search(r"_(\d+)GB$", machine.accelerator_type)
        if match:
            assert CATALOG[name].memory_gib == int(match.group(1))


def test_default_vertex_cpu_machine_is_an_n1_inference_type() -> None:
    assert DEFAULT_VERTEX_CPU_MACHINE in VERTEX_N1_MACHINES


# ------------------------------------------------------------------------------------------ catalog


def test_catalog_shape() -> None:
    assert tuple(sorted(CATALOG)) == KNOWN_ACCELERATORS
    for key, acc in CATALOG.items():
        assert acc.name == key
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key)
        assert acc.memory_gib > 0
        assert acc.sagemaker or acc.vertex, f"{key} is offered nowhere"
        assert all(isinstance(c, int) and c >= 1 for c in (*acc.sagemaker, *acc.vertex))


def test_catalog_includes_the_gpus_users_ask_for() -> None:
    expected = {
        "nvidia-t4",
        "nvidia-a10g",
        "nvidia-l4",
        "nvidia-l40s",
        "nvidia-v100",
        "nvidia-a100-40gb",
        "nvidia-a100-80gb",
        "nvidia-h100",
        "nvidia-h200",
    }
    assert expected <= set(KNOWN_ACCELERATORS)
