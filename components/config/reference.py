"""Markdown reference of every stack-file key, generated from the models' fields and descriptions.

``python -m components.config.reference`` prints it and ``--write README.md`` refreshes the README's generated
blocks (the key reference, the GPU catalog and the scaling metrics of both clouds); a test keeps them equal, so the
docs cannot drift from the code.
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .. import accelerators
from ..facts import aws as aws_facts
from ..facts import gcp as gcp_facts
from .async_options import AsyncOptions
from .deployment import AcceleratorSpec, DeploymentConfig
from .rollout import RollbackAlarms, RolloutConfig
from .sagemaker import SageMakerOptions, VpcOptions
from .sagemaker_serving import ContainerSpec, MultiModelOptions, VariantSpec
from .scaling import METRIC_MEANING, Metric, ScalingConfig, ScheduledScaling
from .stack import StackDefaults
from .vertex import VertexOptions

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("`ml-serving:deployments[]`", DeploymentConfig),
    ("`accelerator`", AcceleratorSpec),
    ("`scaling`", ScalingConfig),
    ("`scaling.schedules[]`", ScheduledScaling),
    ("`async` (when a mapping)", AsyncOptions),
    ("`sagemaker` (aws only)", SageMakerOptions),
    ("`sagemaker.vpc`", VpcOptions),
    ("`sagemaker.multi_model` (when a mapping)", MultiModelOptions),
    ("`sagemaker.containers[]`", ContainerSpec),
    ("`sagemaker.variants[]` and `sagemaker.shadow`", VariantSpec),
    ("`rollout` (aws only)", RolloutConfig),
    ("`rollout.rollback`", RollbackAlarms),
    ("`vertex` (gcp only)", VertexOptions),
    ("`ml-serving:defaults`", StackDefaults),
]


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(arg) for arg in typing.get_args(annotation) if arg is not type(None))
    if origin is typing.Literal:
        return " or ".join(f"`{value}`" for value in typing.get_args(annotation))
    if origin in (tuple, list):
        return f"list of {_type_name(typing.get_args(annotation)[0])}"
    if origin is dict:
        return "mapping"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    return getattr(annotation, "__name__", str(annotation))


def _default(field: Any) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        return "see below" if isinstance(field.default_factory, type) else "empty"
    value = field.default
    if value is PydanticUndefined or value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if value == ():
        return "empty"
    return f"`{value}`"


def render_gpu_catalog() -> str:
    """The GPU catalog as a Markdown table: memory, SageMaker types and Vertex machines per GPU count."""
    lines = [
        "| accelerator | memory per GPU | SageMaker (GPUs: instance type) | Vertex AI (GPUs: machine type) |",
        "|---|---|---|---|",
    ]
    for name, gpu in sorted(accelerators.CATALOG.items()):
        sagemaker = ", ".join(f"{count}: `{kind}`" for count, kind in sorted(gpu.sagemaker.items())) or "not offered"
        vertex = ", ".join(f"{count}: `{m.machine_type}`" for count, m in sorted(gpu.vertex.items())) or "not offered"
        lines.append(f"| `{name}` | {gpu.memory_gib} GB | {sagemaker} | {vertex} |")
    return "\n".join(lines) + "\n"


def _sagemaker_metric(neutral: str) -> str:
    metric = aws_facts.SCALING_METRICS[neutral]
    cell = f"`{metric.predefined_type or metric.metric.name}`"
    if metric.predefined_type is None:
        cell += f" in `{metric.metric.namespace}`"
    if metric.per_device:
        cell += f", target x {'vCPUs' if metric.per_device == 'vcpu' else 'GPUs'} (SageMaker sums it over them)"
    if not metric.asynchronous:
        cell += " (real-time endpoints only)"
    if not metric.realtime:
        cell += " (async endpoints only)"
    return cell


def _vertex_metric(neutral: str) -> str:
    if neutral in gcp_facts.NOT_OFFERED:
        return f"refused: {gcp_facts.NOT_OFFERED[neutral]}"
    metric = gcp_facts.METRICS[neutral]
    gpus = ", with GPUs only" if metric.needs_accelerator else ""
    return f"`{metric.metric_name}` ({metric.unit}{gpus})"


def render_scaling_metrics() -> str:
    """Each neutral ``scaling.metric``: what its target means and what SageMaker and Vertex AI track for it (from
    :data:`components.facts.aws.SCALING_METRICS`, :data:`components.facts.gcp.METRICS` and ``NOT_OFFERED``)."""
    lines = ["| `metric` | meaning of `target` | SageMaker | Vertex AI |", "|---|---|---|---|"]
    for neutral in typing.get_args(Metric):
        lines.append(
            f"| `{neutral}` | {METRIC_MEANING[neutral]} | {_sagemaker_metric(neutral)} | {_vertex_metric(neutral)} |"
        )
    return "\n".join(lines) + "\n"


GENERATED = {
    "config-reference": lambda: render(),
    "gpu-catalog": lambda: render_gpu_catalog(),
    "scaling-metrics": lambda: render_scaling_metrics(),
}
"""Sections of the README generated from code, by marker name."""


def generated_block(name: str) -> str:
    """The README text between ``<!-- BEGIN generated:NAME -->`` and ``<!-- END generated:NAME -->``."""
    return f"<!-- BEGIN generated:{name} -->\n{GENERATED[name]()}<!-- END generated:{name} -->"


def update_readme(text: str) -> str:
    """``text`` with every generated block replaced by its current content."""
    for name in GENERATED:
        start, end = f"<!-- BEGIN generated:{name} -->", f"<!-- END generated:{name} -->"
        head, found, rest = text.partition(start)
        if not found:
            raise ValueError(f"the README has no {start} marker")
        _, _, tail = rest.partition(end)
        text = head + generated_block(name) + tail
    return text


def render() -> str:
    """The reference as Markdown tables, one per model."""
    lines: list[str] = []
    for title, model in SECTIONS:
        lines += [f"#### {title}", "", "| key | type | default | description |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            key = field.alias or name
            description = (field.description or "").replace("|", "\\|")
            lines.append(f"| `{key}` | {_type_name(field.annotation)} | {_default(field)} | {description} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    """Print the reference, or with ``--write README.md`` refresh the generated blocks of that file."""
    if len(argv) == 2 and argv[0] == "--write":
        path = Path(argv[1])
        path.write_text(update_readme(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    print(render(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
