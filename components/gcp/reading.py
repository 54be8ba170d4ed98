"""Read-back helpers: the neutral view of what Vertex AI reports about a deployed model (for ``pulumi refresh``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from google.cloud import aiplatform_v1

from ..facts import gcp as facts


def accelerator_name(machine: aiplatform_v1.MachineSpec) -> str | None:
    """``AcceleratorType`` member name of a machine spec, ``None`` without accelerator."""
    value = int(machine.accelerator_type)
    if not value:
        return None
    try:
        return str(aiplatform_v1.AcceleratorType(value).name)
    except ValueError:  # an accelerator newer than this client library
        return str(value)


def metric_from_specs(
    specs: Sequence[aiplatform_v1.AutoscalingMetricSpec], props: Mapping[str, Any]
) -> tuple[str | None, int | None]:
    """The neutral metric and target the live specs express.

    The metric recorded in ``props`` wins when its spec is still there; otherwise the first spec whose target is
    not the neutral 100 % (:data:`components.facts.gcp.NEUTRAL_TARGET`), else the first spec. A metric name this
    release does not know is reported as its full name, so that the drift shows.
    """
    if not specs:
        return None, None
    by_name = {neutral: m.metric_name for neutral, m in facts.METRICS.items()}
    names = {name: neutral for neutral, name in by_name.items()}
    recorded = props.get("metric")
    for spec in specs:
        if recorded in by_name and spec.metric_name == by_name[recorded]:
            return str(recorded), int(spec.target) or facts.DEFAULT_METRIC_TARGET
    chosen = next((s for s in specs if int(s.target) != facts.NEUTRAL_TARGET), specs[0])
    return names.get(chosen.metric_name, chosen.metric_name), int(chosen.target) or facts.DEFAULT_METRIC_TARGET
