"""Cloud-neutral GPU catalog: one accelerator name, the right SageMaker instance / Vertex AI machine.

Users ask for a GPU by a cloud-neutral name and a count (``nvidia-a10g`` x 1); this module turns that
into what each cloud wants:

* SageMaker hosting takes a single instance type whose GPU model and count are fixed by the type
  (``ml.g5.xlarge`` is one A10G). :func:`sagemaker_instance_type` returns the *smallest* (cheapest)
  hosting instance type with exactly that many GPUs.
* Vertex AI takes a machine type plus an accelerator type and count
  (``a2-highgpu-1g`` + ``NVIDIA_TESLA_A100`` x 1). :func:`vertex_machine` returns all three.

When a cloud does not offer a GPU, or not at the requested count, the functions raise
:class:`AcceleratorError` whose message says what is wrong and lists concrete alternatives (the counts
that are offered, other GPUs of the same cloud with enough memory, the other cloud). The classic case:
SageMaker has no single-A100 instance type; A100s come only eight at a time in ``ml.p4d.24xlarge``
(40 GB) and ``ml.p4de.24xlarge`` (80 GB).

Sources of truth, checked by ``tests/contract/test_accelerator_catalog.py``:

* SageMaker instance type names: botocore's ``sagemaker`` service model, shape
  ``ProductionVariantInstanceType``; GPU model and count per size: the AWS EC2 accelerated-computing
  instance specifications (https://aws.amazon.com/ec2/instance-types/#Accelerated_Computing).
* Vertex accelerator types: ``google.cloud.aiplatform_v1.AcceleratorType`` member names; machine types
  and valid machine/GPU pairings: "Configure compute resources for inference"
  (https://cloud.google.com/vertex-ai/docs/predictions/configure-compute) and Compute Engine "GPU
  machine types" (https://cloud.google.com/compute/docs/gpus).

Deliberately not in the catalog (the contract test lists them too): AWS Inferentia/Trainium
(``ml.inf*``, ``ml.trn*``) and Habana Gaudi (``ml.dl1``) are not NVIDIA GPUs and need their own
containers/compilers; K80 (``ml.p2``; end of support on Google Cloud); ``ml.p6e-gb200`` / Vertex
``NVIDIA_GB200`` (Arm Grace hosts, rack-scale UltraServer / A4X slices); ``ml.p6-b300`` (B300, no
Vertex counterpart in the enum yet); ``ml.g7`` (RTX PRO 4500, GPU counts per size not verified);
Vertex P4/P100 and ``NVIDIA_H100_MEGA_80GB`` (``a3-megagpu-8g``: same H100 GPU as ``a3-highgpu-8g``
with more networking, which single-node serving does not need).

This module is pure data and string formatting: it imports neither botocore (a dev-only dependency)
nor the Vertex SDK.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "CATALOG",
    "DEFAULT_SAGEMAKER_CPU_INSTANCE",
    "DEFAULT_VERTEX_CPU_MACHINE",
    "KNOWN_ACCELERATORS",
    "Accelerator",
    "AcceleratorError",
    "VertexMachine",
    "get_accelerator",
    "gpu_count_of_sagemaker_instance",
    "sagemaker_instance_type",
    "vertex_machine",
]

DEFAULT_SAGEMAKER_CPU_INSTANCE = "ml.m5.xlarge"
"""SageMaker hosting instance type used when no accelerator is requested (4 vCPU, 16 GiB)."""

DEFAULT_VERTEX_CPU_MACHINE = "n1-standard-4"
"""Vertex AI machine type used when no accelerator is requested (4 vCPU, 15 GB)."""


class AcceleratorError(ValueError):
    """A requested accelerator/count is unknown or not offered by a cloud.

    ``str(e)`` is a complete, user-facing message: what is wrong and how to fix it (alternatives).
    """


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


def _accelerator(
    name: str,
    description: str,
    memory_gib: int,
    sagemaker: Mapping[int, str],
    vertex: Mapping[int, tuple[str, str]],
) -> Accelerator:
    """Build a catalog row with read-only mappings; ``vertex`` maps count -> (machine, enum name)."""
    return Accelerator(
        name=name,
        description=description,
        memory_gib=memory_gib,
        sagemaker=MappingProxyType(dict(sorted(sagemaker.items()))),
        vertex=MappingProxyType(
            {count: VertexMachine(machine, acc_type, count) for count, (machine, acc_type) in sorted(vertex.items())}
        ),
    )


# --------------------------------------------------------------------------------------------------
# The catalog. SageMaker: for each GPU count, the smallest size of the family with that many GPUs
# (sizes per family are in _SAGEMAKER_GPU_FAMILIES below). Vertex: the accelerator-optimized machine
# with that many GPUs; for N1 + attachable GPUs, a standard machine within Compute Engine's
# vCPU-per-GPU limits and within Vertex inference's N1 list (n1-standard-2 ... n1-standard-32).
# --------------------------------------------------------------------------------------------------
_ROWS: tuple[Accelerator, ...] = (
    _accelerator(
        "nvidia-t4",
        "NVIDIA T4 (Turing)",
        16,
        # AWS G4dn: 1 T4 in xlarge..8xlarge and 16xlarge, 4 in 12xlarge (metal, 8 GPUs: not SageMaker).
        {1: "ml.g4dn.xlarge", 4: "ml.g4dn.12xlarge"},
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
        # AWS G5: 1 A10G in xlarge..8xlarge and 16xlarge, 4 in 12xlarge/24xlarge, 8 in 48xlarge.
        {1: "ml.g5.xlarge", 4: "ml.g5.12xlarge", 8: "ml.g5.48xlarge"},
        # A10G is an AWS-only part: Google Cloud has no A10G.
        {},
    ),
    _accelerator(
        "nvidia-l4",
        "NVIDIA L4 (Ada Lovelace)",
        24,
        # AWS G6: same GPU-per-size layout as G5.
        {1: "ml.g6.xlarge", 4: "ml.g6.12xlarge", 8: "ml.g6.48xlarge"},
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
        # AWS G6e: same GPU-per-size layout as G5.
        {1: "ml.g6e.xlarge", 4: "ml.g6e.12xlarge", 8: "ml.g6e.48xlarge"},
        # Google Cloud has no L40S.
        {},
    ),
    _accelerator(
        "nvidia-v100",
        "NVIDIA V100 16GB (Volta)",
        16,
        # AWS P3: 1 V100 in 2xlarge, 4 in 8xlarge, 8 in 16xlarge (p3dn, 32 GB V100s: not SageMaker hosting).
        {1: "ml.p3.2xlarge", 4: "ml.p3.8xlarge", 8: "ml.p3.16xlarge"},
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
        # AWS P4d: only size 24xlarge, 8 A100 40GB. SageMaker has no smaller A100 instance.
        {8: "ml.p4d.24xlarge"},
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
        # AWS P4de: only size 24xlarge, 8 A100 80GB.
        {8: "ml.p4de.24xlarge"},
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
        # AWS P5: 4xlarge has 1 H100 (added 2025), 48xlarge has 8.
        {1: "ml.p5.4xlarge", 8: "ml.p5.48xlarge"},
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
        # AWS P5e and P5en: 48xlarge only, 8 H200 each. P5en differs only in host CPU/networking (EFAv3,
        # PCIe Gen5), which matters for multi-node training, not single-node serving: we pick P5e.
        {8: "ml.p5e.48xlarge"},
        # GCE A3 Ultra: a3-ultragpu-8g only.
        {8: ("a3-ultragpu-8g", "NVIDIA_H200_141GB")},
    ),
    _accelerator(
        "nvidia-b200",
        "NVIDIA B200 (Blackwell)",
        180,
        # AWS P6-B200: 48xlarge only, 8 B200 (1,440 GB HBM3e in total, i.e. 180 GB each).
        {8: "ml.p6-b200.48xlarge"},
        # GCE A4: a4-highgpu-8g only (1,440 GB GPU memory in total).
        {8: ("a4-highgpu-8g", "NVIDIA_B200")},
    ),
    _accelerator(
        "nvidia-rtx-pro-6000",
        "NVIDIA RTX PRO 6000 Blackwell Server Edition",
        96,
        # AWS G7e: 1 GPU in 2xlarge/4xlarge/8xlarge, 2 in 12xlarge, 4 in 24xlarge, 8 in 48xlarge.
        {1: "ml.g7e.2xlarge", 2: "ml.g7e.12xlarge", 4: "ml.g7e.24xlarge", 8: "ml.g7e.48xlarge"},
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
_SAGEMAKER_GPU_FAMILIES: Mapping[str, tuple[str, Mapping[str, int]]] = {
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
    "ml.p3": ("nvidia-v100", {"2xlarge": 1, "8xlarge": 4, "16xlarge": 8}),
    "ml.p4d": ("nvidia-a100-40gb", {"24xlarge": 8}),
    "ml.p4de": ("nvidia-a100-80gb", {"24xlarge": 8}),
    "ml.p5": ("nvidia-h100", {"4xlarge": 1, "48xlarge": 8}),
    "ml.p5e": ("nvidia-h200", {"48xlarge": 8}),
    "ml.p5en": ("nvidia-h200", {"48xlarge": 8}),
    "ml.p6-b200": ("nvidia-b200", {"48xlarge": 8}),
}

_SAGEMAKER_GPU_INSTANCES: Mapping[str, tuple[str, int]] = MappingProxyType(
    {
        f"{family}.{size}": (accelerator, gpus)
        for family, (accelerator, sizes) in _SAGEMAKER_GPU_FAMILIES.items()
        for size, gpus in sizes.items()
    }
)

_SAGEMAKER = "SageMaker"
_VERTEX = "Vertex AI"
_MAX_SUGGESTIONS = 3
_NUMBER_WORDS = {1: "one", 2: "two", 4: "four", 8: "eight", 16: "sixteen"}


def get_accelerator(name: str) -> Accelerator:
    """Return the catalog entry for ``name`` (case and surrounding whitespace are ignored).

    Raises:
        AcceleratorError: ``name`` is not in the catalog; the message lists the known names and, when
            the input is close to some, suggests them.
    """
    if not isinstance(name, str):
        raise AcceleratorError(
            f"accelerator name must be a string, got {name!r}; known: {', '.join(KNOWN_ACCELERATORS)}"
        )
    key = name.strip().lower().replace("_", "-")
    if key in CATALOG:
        return CATALOG[key]
    suggestions = _did_you_mean(key)
    hint = f"did you mean {_quoted_or(suggestions)}? " if suggestions else ""
    raise AcceleratorError(f"unknown accelerator {name!r}; {hint}known: {', '.join(KNOWN_ACCELERATORS)}")


def sagemaker_instance_type(name: str, count: int) -> str:
    """Return the smallest SageMaker hosting instance type with exactly ``count`` ``name`` GPUs.

    Example: ``sagemaker_instance_type("nvidia-a10g", 1) == "ml.g5.xlarge"``.

    Raises:
        AcceleratorError: unknown accelerator, invalid count, SageMaker does not offer the GPU, or not
            at that count (e.g. one A100: SageMaker sells A100s only eight at a time). The message lists
            the counts offered and alternatives.
    """
    accelerator = get_accelerator(name)
    _check_count(accelerator, count)
    offered = accelerator.sagemaker.get(count)
    if offered is None:
        raise AcceleratorError(_not_offered_message(accelerator, count, _SAGEMAKER))
    return offered


def vertex_machine(name: str, count: int) -> VertexMachine:
    """Return the Vertex AI machine (machine type, accelerator enum name, count) for ``count`` GPUs.

    Example: ``vertex_machine("nvidia-l4", 1) == VertexMachine("g2-standard-4", "NVIDIA_L4", 1)``.

    Raises:
        AcceleratorError: unknown accelerator, invalid count, Vertex AI does not offer the GPU (e.g.
            A10G, L40S), or not at that count. The message lists the counts offered and alternatives.
    """
    accelerator = get_accelerator(name)
    _check_count(accelerator, count)
    offered = accelerator.vertex.get(count)
    if offered is None:
        raise AcceleratorError(_not_offered_message(accelerator, count, _VERTEX))
    return offered


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


# ----------------------------------------------------------------------------------------- helpers


def _did_you_mean(key: str) -> list[str]:
    """Known names close to ``key``: substring matches (``a100``, shortest first), else fuzzy matches."""
    found: list[str] = []
    bare = key.removeprefix("nvidia-")
    if len(bare) >= 2:
        found.extend(sorted((n for n in KNOWN_ACCELERATORS if bare in n.removeprefix("nvidia-")), key=len))
        found.extend(n for n in KNOWN_ACCELERATORS if n.removeprefix("nvidia-") in bare)
    if not found and bare:
        found.extend(difflib.get_close_matches(key, KNOWN_ACCELERATORS, n=_MAX_SUGGESTIONS, cutoff=0.85))
        by_bare = {n.removeprefix("nvidia-"): n for n in KNOWN_ACCELERATORS}
        found.extend(by_bare[b] for b in difflib.get_close_matches(bare, by_bare, n=_MAX_SUGGESTIONS, cutoff=0.6))
    return list(dict.fromkeys(found))[:_MAX_SUGGESTIONS]


def _check_count(accelerator: Accelerator, count: object) -> None:
    """Reject counts that are not positive integers (``bool`` is not a count)."""
    if isinstance(count, int) and not isinstance(count, bool) and count >= 1:
        return
    offers = "; ".join(
        f"{cloud}: {_counts_list(list(_offers(accelerator, cloud)))}"
        for cloud in (_SAGEMAKER, _VERTEX)
        if _offers(accelerator, cloud)
    )
    raise AcceleratorError(
        f"invalid GPU count {count!r} for {accelerator.name}: the count must be a positive integer "
        f"(offered counts - {offers}). To deploy on CPU only, leave the accelerator out (defaults: "
        f"{DEFAULT_SAGEMAKER_CPU_INSTANCE} on {_SAGEMAKER}, {DEFAULT_VERTEX_CPU_MACHINE} on {_VERTEX})."
    )


def _offers(accelerator: Accelerator, cloud: str) -> dict[int, str]:
    """GPU count -> instance/machine type of ``accelerator`` on ``cloud``."""
    if cloud == _SAGEMAKER:
        return dict(accelerator.sagemaker)
    return {count: machine.machine_type for count, machine in accelerator.vertex.items()}


def _other(cloud: str) -> str:
    return _VERTEX if cloud == _SAGEMAKER else _SAGEMAKER


def _noun(cloud: str) -> str:
    return "instance type" if cloud == _SAGEMAKER else "machine type"


def _word(count: int) -> str:
    return _NUMBER_WORDS.get(count, str(count))


def _gpus(count: int) -> str:
    return f"{count} GPU" if count == 1 else f"{count} GPUs"


def _counts_list(counts: list[int]) -> str:
    return ", ".join(str(c) for c in sorted(counts))


def _quoted_or(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _family(accelerator: Accelerator) -> str:
    """Variant family of a GPU: ``nvidia-a100-40gb`` and ``nvidia-a100-80gb`` are both ``nvidia-a100``."""
    return re.sub(r"-\d+gb$", "", accelerator.name)


def _family_label(accelerator: Accelerator) -> str:
    return _family(accelerator).removeprefix("nvidia-").upper()


def _offered_list(accelerator: Accelerator, cloud: str) -> str:
    """``1 GPU (ml.g4dn.xlarge), 4 GPUs (ml.g4dn.12xlarge)``."""
    return ", ".join(f"{_gpus(c)} ({t})" for c, t in sorted(_offers(accelerator, cloud).items()))


def _only_n_at_a_time(accelerator: Accelerator, cloud: str) -> str | None:
    """``A100 GPUs come only eight at a time on SageMaker, in ...`` when the whole family has one count."""
    members = [a for a in _ROWS if _family(a) == _family(accelerator) and _offers(a, cloud)]
    counts = {c for a in members for c in _offers(a, cloud)}
    if len(counts) != 1:
        return None
    (only,) = counts
    where = " and ".join(f"{_offers(a, cloud)[only]} ({only} x {a.name}, {a.memory_gib} GB each)" for a in members)
    return f"on {cloud}, {_family_label(accelerator)} GPUs come only {_word(only)} at a time, in {where}"


def _memory_alternatives(accelerator: Accelerator, count: int, cloud: str) -> str | None:
    """Other GPUs on ``cloud`` with at least the requested total memory on ``count`` GPUs or fewer.

    For each other accelerator, take the smallest offered count that reaches the memory; rank by total
    memory, then by GPU count. When none reaches it within ``count`` GPUs, name the ones that come
    closest, and the fewest-GPU configurations beyond ``count`` that do reach it (tensor parallelism).
    """
    need = count * accelerator.memory_gib
    reaching: list[tuple[int, int, str, str]] = []  # (total GB, GPUs, name, type), within `count` GPUs
    closest: list[tuple[int, int, str, str]] = []  # the largest config within `count` GPUs, if short
    sharded: list[tuple[int, int, str, str]] = []  # the fewest GPUs reaching `need`, beyond `count`
    for other in _ROWS:
        if other.name == accelerator.name:
            continue
        offers = sorted(_offers(other, cloud).items())
        usable = [(c, t) for c, t in offers if c <= count]
        enough = [(c, t) for c, t in usable if c * other.memory_gib >= need]
        if enough:
            c, t = enough[0]
            reaching.append((c * other.memory_gib, c, other.name, t))
            continue
        if usable:
            c, t = usable[-1]
            closest.append((c * other.memory_gib, c, other.name, t))
        more = [(c, t) for c, t in offers if c > count and c * other.memory_gib >= need]
        if more:
            c, t = more[0]
            sharded.append((c * other.memory_gib, c, other.name, t))

    def describe(total: int, c: int, name: str, instance: str) -> str:
        per_gpu = total // c
        size = f"{per_gpu} GB" if c == 1 else f"{c} x {per_gpu} GB"
        return f"{name} ({size}, {instance})"

    upto = "1 GPU" if count == 1 else f"{count} GPUs or fewer"
    if reaching:
        picks = sorted(reaching)[:_MAX_SUGGESTIONS]
        return f"use another {cloud} GPU with at least {need} GB of GPU memory on {upto}: " + ", ".join(
            describe(*p) for p in picks
        )
    parts: list[str] = []
    if closest:
        picks = sorted(closest, key=lambda p: (-p[0], p[1], p[2]))[:2]
        parts.append(
            f"no other {cloud} GPU reaches {need} GB on {upto}; the closest, if the model fits: "
            + ", ".join(describe(*p) for p in picks)
        )
    if sharded:
        picks = sorted(sharded, key=lambda p: (p[1], p[0], p[2]))[:2]
        lead = "or shard" if parts else f"no other {cloud} GPU reaches {need} GB on {upto}; shard"
        parts.append(f"{lead} the model over more GPUs: " + ", ".join(describe(*p) for p in picks))
    return "; ".join(parts) or None


def _not_offered_message(accelerator: Accelerator, count: int, cloud: str) -> str:
    """The full user-facing message for ``count`` x ``accelerator`` not being offered on ``cloud``."""
    offers = _offers(accelerator, cloud)
    other = _other(cloud)
    other_offers = _offers(accelerator, other)
    options: list[str] = []

    if not offers:
        where = f"it is offered on {other} only ({_offered_list(accelerator, other)})" if other_offers else ""
        head = (
            f"{cloud} does not offer {accelerator.name} ({accelerator.description}, "
            f"{accelerator.memory_gib} GB per GPU) at all" + (f"; {where}." if where else ".")
        )
    else:
        only = _only_n_at_a_time(accelerator, cloud)
        head = f"{cloud} has no {_noun(cloud)} with {_gpus(count)} of {accelerator.name}" + (
            f": {only}." if only else f"; it offers {accelerator.name} with {_offered_list(accelerator, cloud)}."
        )
        above = [c for c in offers if c > count]
        below = [c for c in offers if c < count]
        nearest = ([min(above)] if above else []) + ([max(below)] if below else [])
        options.append(
            "use an offered count: "
            + " or ".join(f"`count: {c}` ({offers[c]})" for c in sorted(nearest))
            + (f"; offered counts: {_counts_list(list(offers))}" if len(offers) > len(nearest) else "")
        )

    alternative = _memory_alternatives(accelerator, count, cloud)
    if alternative:
        options.append(alternative)
    if count in other_offers:
        options.append(f"deploy to {other} instead, which offers {count} x {accelerator.name} as {other_offers[count]}")

    lines = [head, "Options:", *(f"  - {option}" for option in options)]
    return "\n".join(lines)
