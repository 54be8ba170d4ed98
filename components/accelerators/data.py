"""The GPU catalog's data: GPU models, the SageMaker GPU instance families, the Vertex AI machines per GPU count.

Pure data and lookups that cannot fail (no messages: :mod:`components.accelerators.messages` explains what is not
offered). It imports nothing heavy, so the policy pack's own virtualenv reads the GPUs per instance type from here.

Sources, checked by ``tests/contract/test_accelerator_catalog.py``:

* SageMaker instance type names: botocore's ``sagemaker`` service model, shape ``ProductionVariantInstanceType``;
  GPU model and count per size: the AWS EC2 accelerated-computing instance specifications
  (https://aws.amazon.com/ec2/instance-types/#Accelerated_Computing).
* Vertex accelerator types: ``google.cloud.aiplatform_v1.AcceleratorType`` member names; machine types and valid
  machine/GPU pairings: "Configure compute resources for inference"
  (https://cloud.google.com/vertex-ai/docs/predictions/configure-compute) and Compute Engine "GPU machine types"
  (https://cloud.google.com/compute/docs/gpus).

Deliberately not in the catalog (the contract test lists them too): AWS Inferentia/Trainium (``ml.inf*``,
``ml.trn*``) and Habana Gaudi (``ml.dl1``) are not NVIDIA GPUs and need their own containers/compilers; K80
(``ml.p2``; end of support on Google Cloud); ``ml.p6e-gb200`` / Vertex ``NVIDIA_GB200`` (Arm Grace hosts,
rack-scale UltraServer / A4X slices); ``ml.p6-b300`` (B300, no Vertex counterpart in the enum yet); ``ml.g7``
(RTX PRO 4500, GPU counts per size not verified); Vertex P4/P100 and ``NVIDIA_H100_MEGA_80GB`` (``a3-megagpu-8g``:
same H100 GPU as ``a3-highgpu-8g`` with more networking, which single-node serving does not need).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

DEFAULT_SAGEMAKER_CPU_INSTANCE = "ml.m5.xlarge"
"""SageMaker hosting instance type used when no accelerator is requested (4 vCPU, 16 GiB)."""

DEFAULT_VERTEX_CPU_MACHINE = "n1-standard-4"
"""Vertex AI machine type used when no accelerator is requested (4 vCPU, 15 GB)."""


@dataclass(frozen=True)
class VertexMachine:
    """What Vertex AI's ``MachineSpec`` needs for one replica.

    Attributes:
        machine_type: Compute Engine machine type, e.g. ``"a2-highgpu-1g"``.
        accelerator_type: ``google.cloud.aiplatform_v1.AcceleratorType`` member *name*, e.g.
            ``"NVIDIA_TESLA_A100"``; ``None`` for a CPU-only machine.
        accelerator_count: Number of GPUs attached to the machine; ``0`` for CPU.
    """

    machine_type: str
    accelerator_type: str | None
    accelerator_count: int


@dataclass(frozen=True)
class Accelerator:
    """One GPU model and how each cloud sells it.

    Attributes:
        name: Cloud-neutral name, e.g. ``"nvidia-a10g"``.
        description: Human-readable model and architecture, e.g. ``"NVIDIA A10G (Ampere)"``.
        memory_gib: GPU memory per GPU, as the vendors quote it (GB, rounded).
        sagemaker: GPU count -> smallest SageMaker hosting instance type with exactly that many GPUs;
            empty when SageMaker does not offer the GPU.
        vertex: GPU count -> Vertex AI machine; empty when Vertex AI does not offer the GPU.
    """

    name: str
    description: str
    memory_gib: int
    sagemaker: Mapping[int, str]
    vertex: Mapping[int, VertexMachine]


# Every SageMaker hosting instance type of the catalog's GPU families: family -> (accelerator,
# size -> GPUs per instance). Source: AWS EC2 accelerated-computing instance specifications; sizes
# limited to those in botocore's ProductionVariantInstanceType enum (the contract test checks both ways).
_ONE_FOUR_EIGHT = {
    "xlarge": 1,
    "2xlarge": 1,
    "4xlarge": 1,
    "8xlarge": 1,
    "16xlarge": 1,
    "12xlarge": 4,
    "24xlarge": 4,
    "48xlarge": 8,
}
SAGEMAKER_GPU_FAMILIES: Mapping[str, tuple[str, Mapping[str, int]]] = {
    "ml.g4dn": (
        "nvidia-t4",
        {"xlarge": 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "16xlarge": 1, "12xlarge": 4},
    ),
    "ml.g5": ("nvidia-a10g", _ONE_FOUR_EIGHT),
    "ml.g6": ("nvidia-l4", _ONE_FOUR_EIGHT),
    "ml.g6e": ("nvidia-l40s", _ONE_FOUR_EIGHT),
    "ml.g7e": (
        "nvidia-rtx-pro-6000",
        {"2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "12xlarge": 2, "24xlarge": 4, "48xlarge": 8},
    ),
    "ml.p3": ("nvidia-v100", {"2xlarge": 1, "8xlarge": 4, "16xlarge": 8}),  # p3dn (32 GB V100s): not for hosting
    # P4d / P4de: only size 24xlarge, 8 A100s; SageMaker has no smaller A100 instance.
    "ml.p4d": ("nvidia-a100-40gb", {"24xlarge": 8}),
    "ml.p4de": ("nvidia-a100-80gb", {"24xlarge": 8}),
    "ml.p5": ("nvidia-h100", {"4xlarge": 1, "48xlarge": 8}),  # p5.4xlarge (1 H100) was added in 2025
    # P5e and P5en: 8 H200 each. P5en differs only in host CPU/networking (EFAv3, PCIe Gen5), which matters for
    # multi-node training, not single-node serving: P5e is listed first, so the catalog picks it.
    "ml.p5e": ("nvidia-h200", {"48xlarge": 8}),
    "ml.p5en": ("nvidia-h200", {"48xlarge": 8}),
    "ml.p6-b200": ("nvidia-b200", {"48xlarge": 8}),
}


def _size_order(size: str) -> int:
    """``xlarge`` -> 1, ``12xlarge`` -> 12: sizes of one family sort by this multiplier (and by price)."""
    match = re.fullmatch(r"(\d*)xlarge", size)
    return int(match.group(1) or 1) if match else 0


def _smallest_sagemaker_types(accelerator: str) -> dict[int, str]:
    """GPU count -> the smallest instance type with that many ``accelerator`` GPUs, first family listed first."""
    found: dict[int, str] = {}
    for family, (name, sizes) in SAGEMAKER_GPU_FAMILIES.items():
        if name != accelerator:
            continue
        for size, gpus in sorted(sizes.items(), key=lambda item: _size_order(item[0])):
            found.setdefault(gpus, f"{family}.{size}")
    return found


def _accelerator(
    name: str,
    description: str,
    memory_gib: int,
    vertex: Mapping[int, tuple[str, str]],
) -> Accelerator:
    """Build a catalog row with read-only mappings; ``vertex`` maps count -> (machine, enum name).

    The SageMaker offers are derived from :data:`SAGEMAKER_GPU_FAMILIES`: for each GPU count, the smallest size.
    """
    return Accelerator(
        name=name,
        description=description,
        memory_gib=memory_gib,
        sagemaker=MappingProxyType(dict(sorted(_smallest_sagemaker_types(name).items()))),
        vertex=MappingProxyType(
            {count: VertexMachine(machine, acc_type, count) for count, (machine, acc_type) in sorted(vertex.items())}
        ),
    )


# --------------------------------------------------------------------------------------------------
# The catalog. SageMaker: derived from the family table above. Vertex: the accelerator-optimized machine
# with that many GPUs; for N1 + attachable GPUs, a standard machine within Compute Engine's
# vCPU-per-GPU limits and within Vertex inference's N1 list (n1-standard-2 ... n1-standard-32).
# --------------------------------------------------------------------------------------------------
_ROWS: tuple[Accelerator, ...] = (
    _accelerator(
        "nvidia-t4",
        "NVIDIA T4 (Turing)",
        16,
        # GCE N1 + T4: 1-2 GPUs up to 48 vCPUs, 4 GPUs up to 96 vCPUs; Vertex offers 1, 2, 4 T4s.
        # 4 vCPUs per GPU keeps the host comfortably sized.
        {
            1: ("n1-standard-4", "NVIDIA_TESLA_T4"),
            2: ("n1-standard-8", "NVIDIA_TESLA_T4"),
            4: ("n1-standard-16", "NVIDIA_TESLA_T4"),
        },
    ),
    _accelerator(
        "nvidia-a10g",
        "NVIDIA A10G (Ampere)",
        24,
        # A10G is an AWS-only part: Google Cloud has no A10G.
        {},
    ),
    _accelerator(
        "nvidia-l4",
        "NVIDIA L4 (Ada Lovelace)",
        24,
        # GCE G2: g2-standard-4/8/12/16/32 have 1 L4, -24 has 2, -48 has 4, -96 has 8.
        {
            1: ("g2-standard-4", "NVIDIA_L4"),
            2: ("g2-standard-24", "NVIDIA_L4"),
            4: ("g2-standard-48", "NVIDIA_L4"),
            8: ("g2-standard-96", "NVIDIA_L4"),
        },
    ),
    _accelerator(
        "nvidia-l40s",
        "NVIDIA L40S (Ada Lovelace)",
        48,
        # Google Cloud has no L40S.
        {},
    ),
    _accelerator(
        "nvidia-v100",
        "NVIDIA V100 16GB (Volta)",
        16,
        # GCE N1 + V100: at most 12 vCPUs per GPU (1 -> 12, 2 -> 24, 4 -> 48, 8 -> 96). Vertex inference
        # lists N1 machines up to n1-standard-32, so 8 V100s get n1-standard-32.
        {
            1: ("n1-standard-8", "NVIDIA_TESLA_V100"),
            2: ("n1-standard-16", "NVIDIA_TESLA_V100"),
            4: ("n1-standard-32", "NVIDIA_TESLA_V100"),
            8: ("n1-standard-32", "NVIDIA_TESLA_V100"),
        },
    ),
    _accelerator(
        "nvidia-a100-40gb",
        "NVIDIA A100 40GB (Ampere)",
        40,
        # GCE A2 Standard: a2-highgpu-{1,2,4,8}g and a2-megagpu-16g.
        {
            1: ("a2-highgpu-1g", "NVIDIA_TESLA_A100"),
            2: ("a2-highgpu-2g", "NVIDIA_TESLA_A100"),
            4: ("a2-highgpu-4g", "NVIDIA_TESLA_A100"),
            8: ("a2-highgpu-8g", "NVIDIA_TESLA_A100"),
            16: ("a2-megagpu-16g", "NVIDIA_TESLA_A100"),
        },
    ),
    _accelerator(
        "nvidia-a100-80gb",
        "NVIDIA A100 80GB (Ampere)",
        80,
        # GCE A2 Ultra: a2-ultragpu-{1,2,4,8}g.
        {
            1: ("a2-ultragpu-1g", "NVIDIA_A100_80GB"),
            2: ("a2-ultragpu-2g", "NVIDIA_A100_80GB"),
            4: ("a2-ultragpu-4g", "NVIDIA_A100_80GB"),
            8: ("a2-ultragpu-8g", "NVIDIA_A100_80GB"),
        },
    ),
    _accelerator(
        "nvidia-h100",
        "NVIDIA H100 80GB (Hopper)",
        80,
        # GCE A3 High: a3-highgpu-{1,2,4,8}g (1g/2g/4g are typically Spot / reservation / DWS capacity).
        {
            1: ("a3-highgpu-1g", "NVIDIA_H100_80GB"),
            2: ("a3-highgpu-2g", "NVIDIA_H100_80GB"),
            4: ("a3-highgpu-4g", "NVIDIA_H100_80GB"),
            8: ("a3-highgpu-8g", "NVIDIA_H100_80GB"),
        },
    ),
    _accelerator(
        "nvidia-h200",
        "NVIDIA H200 141GB (Hopper)",
        141,
        # GCE A3 Ultra: a3-ultragpu-8g only.
        {8: ("a3-ultragpu-8g", "NVIDIA_H200_141GB")},
    ),
    _accelerator(
        "nvidia-b200",
        "NVIDIA B200 (Blackwell)",
        180,
        # GCE A4: a4-highgpu-8g only (1,440 GB GPU memory in total).
        {8: ("a4-highgpu-8g", "NVIDIA_B200")},
    ),
    _accelerator(
        "nvidia-rtx-pro-6000",
        "NVIDIA RTX PRO 6000 Blackwell Server Edition",
        96,
        # GCE G4: g4-standard-48 has 1 GPU, -96 has 2, -192 has 4, -384 has 8.
        {
            1: ("g4-standard-48", "NVIDIA_RTX_PRO_6000"),
            2: ("g4-standard-96", "NVIDIA_RTX_PRO_6000"),
            4: ("g4-standard-192", "NVIDIA_RTX_PRO_6000"),
            8: ("g4-standard-384", "NVIDIA_RTX_PRO_6000"),
        },
    ),
)

CATALOG: Mapping[str, Accelerator] = MappingProxyType({row.name: row for row in _ROWS})
"""Cloud-neutral accelerator name -> :class:`Accelerator` (read-only)."""

KNOWN_ACCELERATORS: tuple[str, ...] = tuple(sorted(CATALOG))
"""Sorted names of all catalog accelerators."""


_SAGEMAKER_GPU_INSTANCES: Mapping[str, tuple[str, int]] = MappingProxyType(
    {
        f"{family}.{size}": (accelerator, gpus)
        for family, (accelerator, sizes) in SAGEMAKER_GPU_FAMILIES.items()
        for size, gpus in sizes.items()
    }
)


def gpu_count_of_sagemaker_instance(instance_type: str) -> tuple[str, int] | None:
    """Reverse lookup: ``(accelerator name, GPUs per instance)`` for a SageMaker GPU instance type.

    Knows every size of the catalog's GPU families, not only the smallest ones the catalog maps to:
    ``"ml.g5.2xlarge"`` -> ``("nvidia-a10g", 1)``, ``"ml.g5.12xlarge"`` -> ``("nvidia-a10g", 4)``.
    Returns ``None`` for anything else: CPU types, Inferentia/Trainium, GPU families outside the
    catalog, or unknown strings. The match is exact (SageMaker names are lower case, with ``ml.``).
    """
    if not isinstance(instance_type, str):
        return None
    return _SAGEMAKER_GPU_INSTANCES.get(instance_type)
