"""The GPU catalog's data: GPU models, the SageMaker GPU instance families, the Vertex AI machines per GPU count.

Pure data and lookups that cannot fail (no messages: :mod:`components.accelerators.messages` explains what is not
offered). It imports nothing heavy, so the policy pack's own virtualenv reads the GPUs per instance type from here.

Sources, checked by ``tests/contract/test_accelerator_catalog.py``:

* SageMaker instance type names: botocore's ``sagemaker`` service model, shape ``ProductionVariantInstanceType``;
  GPU model and count per size: the AWS EC2 accelerated-computing instance specifications
  (https://aws.amazon.com/ec2/instance-types/#Accelerated_Computing).
* Vertex accelerator types: ``google.cloud.aiplatform_v1.AcceleratorType`` member names; machine types and valid
  machine/GPU pairings: the machine table of :mod:`components.facts.gcp` (``MACHINE_FAMILIES``), from "Configure
  compute resources for inference"
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

from ..facts.gcp import DEFAULT_MACHINE, MACHINE_FAMILIES

DEFAULT_SAGEMAKER_CPU_INSTANCE = "ml.m5.xlarge"
"""SageMaker hosting instance type used when no accelerator is requested (4 vCPU, 16 GiB)."""

DEFAULT_VERTEX_CPU_MACHINE = DEFAULT_MACHINE
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


def _vertex_machines(enum: str | None, n1_hosts: Mapping[int, str]) -> dict[int, tuple[str, str]]:
    """GPU count -> (machine type, accelerator enum name) on Vertex AI, from the machine table of the GCP facts.

    Accelerator-optimized families come with their GPUs: for each count, the smallest machine of the table that
    bundles that many (``g2-standard-4`` before ``-8``). N1 takes attachable GPUs on a host we choose
    (``n1_hosts``), for the counts the table allows.
    """
    if enum is None:
        return {}
    found: dict[int, str] = {}
    bundled = [(m, c) for f in MACHINE_FAMILIES.values() for m, (acc, c) in f.bundled.items() if acc == enum]
    for machine, count in sorted(bundled, key=lambda item: int(re.findall(r"\d+", item[0])[-1])):
        found.setdefault(count, machine)
    attachable = MACHINE_FAMILIES["n1"].attachable.get(enum, ())
    found.update({count: host for count, host in n1_hosts.items() if count in attachable})
    return {count: (machine, enum) for count, machine in found.items()}


def _accelerator(
    name: str,
    description: str,
    memory_gib: int,
    vertex: str | None,
    n1_hosts: Mapping[int, str] | None = None,
) -> Accelerator:
    """Build a catalog row with read-only mappings.

    Args:
        vertex: the ``aiplatform_v1.AcceleratorType`` name of the GPU; ``None`` when Google Cloud has none.
        n1_hosts: for GPUs attached to N1 machines, the host machine per GPU count.

    The SageMaker offers come from :data:`SAGEMAKER_GPU_FAMILIES` (for each GPU count, the smallest size), the
    Vertex machines from the GCP facts' machine table (:func:`_vertex_machines`).
    """
    machines = _vertex_machines(vertex, n1_hosts or {})
    return Accelerator(
        name=name,
        description=description,
        memory_gib=memory_gib,
        sagemaker=MappingProxyType(dict(sorted(_smallest_sagemaker_types(name).items()))),
        vertex=MappingProxyType(
            {count: VertexMachine(machine, acc_type, count) for count, (machine, acc_type) in sorted(machines.items())}
        ),
    )


# --------------------------------------------------------------------------------------------------
# The catalog: cloud-neutral name, description, GB per GPU, the Vertex AI accelerator enum name. SageMaker
# instance types and Vertex machines are derived from the tables (above; components.facts.gcp).
# --------------------------------------------------------------------------------------------------
_ROWS: tuple[Accelerator, ...] = (
    _accelerator(
        "nvidia-t4",
        "NVIDIA T4 (Turing)",
        16,
        "NVIDIA_TESLA_T4",
        # GCE N1 + T4: 1-2 GPUs up to 48 vCPUs, 4 GPUs up to 96 vCPUs; 4 vCPUs per GPU keeps the host comfortably
        # sized.
        {1: "n1-standard-4", 2: "n1-standard-8", 4: "n1-standard-16"},
    ),
    _accelerator("nvidia-a10g", "NVIDIA A10G (Ampere)", 24, None),  # an AWS-only part: Google Cloud has no A10G
    _accelerator("nvidia-l4", "NVIDIA L4 (Ada Lovelace)", 24, "NVIDIA_L4"),
    _accelerator("nvidia-l40s", "NVIDIA L40S (Ada Lovelace)", 48, None),  # Google Cloud has no L40S
    _accelerator(
        "nvidia-v100",
        "NVIDIA V100 16GB (Volta)",
        16,
        "NVIDIA_TESLA_V100",
        # GCE N1 + V100: at most 12 vCPUs per GPU (1 -> 12, 2 -> 24, 4 -> 48, 8 -> 96). Vertex inference lists N1
        # machines up to n1-standard-32, so 8 V100s get n1-standard-32.
        {1: "n1-standard-8", 2: "n1-standard-16", 4: "n1-standard-32", 8: "n1-standard-32"},
    ),
    _accelerator("nvidia-a100-40gb", "NVIDIA A100 40GB (Ampere)", 40, "NVIDIA_TESLA_A100"),
    _accelerator("nvidia-a100-80gb", "NVIDIA A100 80GB (Ampere)", 80, "NVIDIA_A100_80GB"),
    _accelerator("nvidia-h100", "NVIDIA H100 80GB (Hopper)", 80, "NVIDIA_H100_80GB"),
    _accelerator("nvidia-h200", "NVIDIA H200 141GB (Hopper)", 141, "NVIDIA_H200_141GB"),
    _accelerator("nvidia-b200", "NVIDIA B200 (Blackwell)", 180, "NVIDIA_B200"),  # 1,440 GB on 8 GPUs
    _accelerator("nvidia-rtx-pro-6000", "NVIDIA RTX PRO 6000 Blackwell Server Edition", 96, "NVIDIA_RTX_PRO_6000"),
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
