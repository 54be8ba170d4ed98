"""Cloud-neutral GPU catalog: one accelerator name, the right SageMaker instance / Vertex AI machine.

Users ask for a GPU by a cloud-neutral name and a count (``nvidia-a10g`` x 1); this package turns that
into what each cloud wants:

* SageMaker hosting takes a single instance type whose GPU model and count are fixed by the type
  (``ml.g5.xlarge`` is one A10G). :func:`sagemaker_instance_type` returns the *smallest* (cheapest)
  hosting instance type with exactly that many GPUs.
* Vertex AI takes a machine type plus an accelerator type and count
  (``a2-highgpu-1g`` + ``NVIDIA_TESLA_A100`` x 1). :func:`vertex_machine` returns all three.

When a cloud does not offer a GPU, or not at the requested count, the functions raise
:class:`AcceleratorError` whose message says what is wrong and lists concrete alternatives. The classic case:
SageMaker has no single-A100 instance type; A100s come only eight at a time in ``ml.p4d.24xlarge``
(40 GB) and ``ml.p4de.24xlarge`` (80 GB).

Modules: :mod:`.data` (the catalog, with its sources), :mod:`.messages` (the suggestions). Pure data and string
formatting: imports neither botocore nor the Vertex SDK.
"""

from __future__ import annotations

from .data import (
    CATALOG,
    DEFAULT_SAGEMAKER_CPU_INSTANCE,
    DEFAULT_VERTEX_CPU_MACHINE,
    KNOWN_ACCELERATORS,
    SAGEMAKER_GPU_FAMILIES,
    Accelerator,
    VertexMachine,
    gpu_count_of_sagemaker_instance,
)
from .messages import (
    _SAGEMAKER,
    _VERTEX,
    AcceleratorError,
    _check_count,
    _did_you_mean,
    _not_offered_message,
    _quoted_or,
)

__all__ = [
    "CATALOG",
    "DEFAULT_SAGEMAKER_CPU_INSTANCE",
    "DEFAULT_VERTEX_CPU_MACHINE",
    "KNOWN_ACCELERATORS",
    "SAGEMAKER_GPU_FAMILIES",
    "Accelerator",
    "AcceleratorError",
    "VertexMachine",
    "get_accelerator",
    "gpu_count_of_sagemaker_instance",
    "sagemaker_instance_type",
    "vertex_machine",
]


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
