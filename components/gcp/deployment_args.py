"""Arguments of the Vertex model deployment resource: names, defaults, which change replaces, input checks.

The component passes resolved values (:class:`components.resolve.gcp.ResolvedVertex`); the defaults below are the
facts' defaults (:mod:`components.facts.gcp`) and exist for direct users of the resource. ``check`` only verifies
shapes and the Vertex rules from the facts module, with the facts' messages: no second set of defaults or rules.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

import pulumi
from pulumi.runtime import rpc

from .. import tags
from ..facts import gcp as facts

DEPLOYMENT_KEY_LABEL = tags.VERTEX_DEPLOYMENT_KEY_LABEL
INSTANCE_LABEL = tags.VERTEX_INSTANCE_LABEL
STATE_LABEL = tags.VERTEX_STATE_LABEL
NAME_LABEL = tags.VERTEX_NAME_LABEL
PROVIDER_LABELS = tags.VERTEX_PROVIDER_LABELS
"""Labels the provider sets on models (:data:`components.tags.VERTEX_PROVIDER_LABELS`); users may not set them."""

REPLACE_KEYS: tuple[str, ...] = facts.MODEL_DEPLOYMENT_REPLACE_KEYS
"""Inputs whose change replaces the deployment (:data:`components.facts.gcp.MODEL_DEPLOYMENT_REPLACE_KEYS`)."""

UPDATE_KEYS: tuple[str, ...] = (
    "display_name",
    "labels",
    "min_replicas",
    "max_replicas",
    "metric",
    "target",
    "autoscaling_metric_specs",
    "private_endpoint",
    "api_endpoint",
    "operation_timeout_seconds",
    "poll_interval_seconds",
)
"""Inputs changed in place (``MutateDeployedModel`` / ``UpdateModel``, or provider settings only)."""

COMPUTED_KEYS: tuple[str, ...] = facts.MODEL_DEPLOYMENT_OUTPUTS
"""Outputs computed by the provider (besides every input). ``instance_id`` and ``private_predict_uri`` are new in
0.2.0: state written by 0.1.0 has neither, and the provider still reads, updates and deletes it."""

PROVIDER_KEY = "__provider"


@dataclass
class VertexModelDeploymentArgs:
    """Arguments of :class:`components.gcp.model_deployment.VertexModelDeployment` (each may be an ``Input``)."""

    project: pulumi.Input[str]
    """Google Cloud project id the model is uploaded to. Replaces on change."""
    region: pulumi.Input[str]
    """Vertex AI region, e.g. ``us-central1``; must be the endpoint's region. Replaces on change."""
    endpoint: pulumi.Input[str]
    """Full endpoint *resource name* ``projects/P/locations/R/endpoints/E`` (pulumi-gcp ``AiEndpoint.id``; the
    short id ``E`` is ``AiEndpoint.name``). The key keeps its 0.1.0 spelling for state compatibility."""
    display_name: pulumi.Input[str]
    """Display name of the model; the deployed model's is ``{display_name}-{instance id}``. Updated in place."""
    image_uri: pulumi.Input[str]
    """Serving container image, e.g. ``us-docker.pkg.dev/p/repo/server:1.2``. Replaces on change."""
    machine_type: pulumi.Input[str] = facts.DEFAULT_MACHINE
    """Machine type of each replica. Default ``n1-standard-4``. Replaces on change."""
    artifact_uri: pulumi.Input[str] | None = None
    """``gs://`` directory with model artifacts (``AIP_STORAGE_URI`` in the container), or ``None``. Replaces."""
    predict_route: pulumi.Input[str] = facts.DEFAULT_PREDICT_ROUTE
    """HTTP path the container serves predictions on. Default ``/predict``. Replaces on change."""
    health_route: pulumi.Input[str] = facts.DEFAULT_HEALTH_ROUTE
    """HTTP path of the container's health check. Default ``/health``. Replaces on change."""
    port: pulumi.Input[int] = facts.DEFAULT_PORT
    """Port the container listens on. Default ``8080``. Replaces on change."""
    env: pulumi.Input[Mapping[str, pulumi.Input[str]]] = field(default_factory=dict)
    """Environment variables of the container (not for secrets: they are visible on the model). Replaces."""
    labels: pulumi.Input[Mapping[str, pulumi.Input[str]]] = field(default_factory=dict)
    """Labels of the model (GCP label syntax); updated in place. Default none."""
    accelerator_type: pulumi.Input[str] | None = None
    """``aiplatform_v1.AcceleratorType`` name (``NVIDIA_L4``, ``NVIDIA_TESLA_T4``...) or ``None``. Replaces."""
    accelerator_count: pulumi.Input[int] = 0
    """Accelerators per replica; at least 1 when ``accelerator_type`` is set. Default ``0``. Replaces."""
    min_replicas: pulumi.Input[int] = facts.MIN_REPLICAS
    """Minimum number of replicas (>= 1). Default ``1``; updated in place."""
    max_replicas: pulumi.Input[int] = 1
    """Maximum number of replicas (>= ``min_replicas``). Default ``1``; updated in place."""
    metric: pulumi.Input[str] | None = None
    """Neutral autoscaling metric (``cpu``, ``gpu``, ``invocations``) or ``None``; shown for reviewers, the specs
    sent are :attr:`autoscaling_metric_specs`. Updated in place."""
    target: pulumi.Input[int] | None = None
    """Target of ``metric``. Default when a metric is set: Vertex's own
    (:data:`components.facts.gcp.DEFAULT_METRIC_TARGET`); ml-serving's components always send one
    (:data:`components.facts.gcp.DEFAULT_TARGETS`). Updated in place."""
    autoscaling_metric_specs: pulumi.Input[Sequence[Mapping[str, Any]]] | None = None
    """``[{"metric_name": FULL_NAME, "target": INT}, ...]`` exactly as sent; default: derived from ``metric`` and
    ``target`` by :func:`components.facts.gcp.metric_specs`. Updated in place."""
    service_account: pulumi.Input[str] | None = None
    """Service account e-mail the model runs as, or ``None`` for the Vertex AI default. Replaces on change."""
    kms_key_name: pulumi.Input[str] | None = None
    """CMEK key of the uploaded model (``Model.encryption_spec``), or ``None``. Replaces on change."""
    private_endpoint: pulumi.Input[bool] | None = None
    """Whether the endpoint is private (VPC-peered). A private endpoint serves one deployed model, so a replacement
    cannot be deployed beside the old one: it is deleted first (downtime until the new model serves). Default no."""
    api_endpoint: pulumi.Input[str] | None = None
    """API endpoint override (host, or URL such as ``http://127.0.0.1:8080`` for tests). Default regional host."""
    operation_timeout_seconds: pulumi.Input[float] = 1800.0
    """How long to wait for one long-running operation, and to retry one call. Default 1800 s."""
    poll_interval_seconds: pulumi.Input[float] = 10.0
    """First delay between polls of a long-running operation (grows up to 6x, at most 60 s). Default 10 s."""

    def to_props(self) -> dict[str, Any]:
        """Return the inputs as the property dict of the dynamic resource (keys are the field names)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


INPUT_KEYS: tuple[str, ...] = tuple(f.name for f in fields(VertexModelDeploymentArgs))
"""Every input property, in declaration order."""

_REQUIRED_KEYS = ("project", "region", "endpoint", "display_name", "image_uri", "machine_type")
_INT_KEYS = ("port", "accelerator_count", "min_replicas", "max_replicas", "target")
_OPTIONAL_STRINGS = ("artifact_uri", "accelerator_type", "metric", "service_account", "api_endpoint", "kms_key_name")


def _field_defaults() -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for f in fields(VertexModelDeploymentArgs):
        if f.default_factory is not MISSING:
            defaults[f.name] = f.default_factory()
        elif f.default is not MISSING:
            defaults[f.name] = f.default
    return defaults


DEFAULTS: dict[str, Any] = _field_defaults()
"""Default of every optional input (``VertexModelDeploymentArgs`` field defaults)."""


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is (or contains) a value unknown during a preview."""
    if isinstance(value, str):
        return value == rpc.UNKNOWN
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(is_unknown(v) for v in value)
    return False


def opt_str(value: Any) -> str | None:
    """``None`` for ``None`` / ``""``, else ``str(value)``."""
    return None if value is None or value == "" else str(value)


def as_int(value: Any, name: str) -> int:
    """``value`` as an ``int`` (Pulumi sends numbers as floats); ``ValueError`` naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float) or float(value) != int(value):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    return int(value)


def str_map(value: Any, name: str) -> dict[str, str]:
    """A mapping of strings (``{}`` for ``None``)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping of strings, got {value!r}")
    return {str(k): str(v) for k, v in value.items()}


def specs_of(value: Any) -> list[dict[str, Any]]:
    """Metric specs as ``[{"metric_name": str, "target": int}]`` (numbers normalised)."""
    return [
        {"metric_name": str(spec.get("metric_name")), "target": as_int(spec.get("target"), "target")}
        for spec in (value or [])
    ]


def legacy_metric_specs(props: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The specs 0.1.0 sent for the ``metric`` / ``target`` of a state it wrote: the one metric, nothing else."""
    metric = opt_str(props.get("metric"))
    if metric is None or metric not in facts.METRICS:
        return []
    target = props.get("target")
    value = as_int(target, "target") if target is not None else facts.DEFAULT_METRIC_TARGET
    return [{"metric_name": facts.metric_name(metric), "target": value}]


def canonical_inputs(props: Mapping[str, Any], *, state: bool = False) -> dict[str, Any]:
    """The inputs of ``props`` with defaults applied (what ``check`` returns).

    With ``state`` (prior outputs), a state written by 0.1.0 has no ``autoscaling_metric_specs``: they are the
    specs it sent (:func:`legacy_metric_specs`), so that the first update after an upgrade sends the new ones.

    Missing / ``None`` values take their default, ``""`` in optional strings becomes ``None``, whole floats become
    ``int``, ``target`` defaults to Vertex's own default with a metric, ``accelerator_count`` is 0 without an
    accelerator, and the metric specs are derived from ``metric`` / ``target`` when not given. Unknown preview
    values are kept.
    """
    inputs = {key: props[key] for key in INPUT_KEYS if key in props}
    for key, default in DEFAULTS.items():
        if inputs.get(key) is None:
            inputs[key] = dict(default) if isinstance(default, dict) else default
    for key in _OPTIONAL_STRINGS:
        if inputs.get(key) == "":
            inputs[key] = None
    for key in _INT_KEYS:
        value = inputs.get(key)
        if isinstance(value, float) and value.is_integer():
            inputs[key] = int(value)
    if inputs.get("metric") is not None and inputs.get("target") is None:
        inputs["target"] = facts.DEFAULT_METRIC_TARGET
    if inputs.get("accelerator_type") is None and inputs.get("accelerator_count") in (0, None):
        inputs["accelerator_count"] = 0
    specs = inputs.get("autoscaling_metric_specs")
    if specs is None and state:
        inputs["autoscaling_metric_specs"] = legacy_metric_specs(inputs)
    elif specs is None and not any(is_unknown(inputs.get(k)) for k in ("metric", "target", "accelerator_count")):
        metric = inputs.get("metric")
        if metric is None or metric in facts.METRICS:
            accelerated = bool(inputs.get("accelerator_type")) and bool(inputs.get("accelerator_count"))
            pairs = facts.metric_specs(metric, inputs.get("target"), accelerated)
            inputs["autoscaling_metric_specs"] = [{"metric_name": n, "target": t} for n, t in pairs]
    elif isinstance(specs, list | tuple) and not is_unknown(specs):
        with contextlib.suppress(ValueError, AttributeError):  # reported by validate_inputs
            inputs["autoscaling_metric_specs"] = specs_of(specs)
    return inputs


def normalised(value: Any) -> Any:
    """Comparable form of a canonical input value (mappings as ``str -> str``, numbers as ``float``)."""
    if isinstance(value, Mapping):
        return {str(k): normalised(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalised(v) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value
