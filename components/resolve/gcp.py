"""``ResolvedVertex``: a validated gcp deployment with every Vertex AI value decided once.

The Vertex component and the model-deployment resource receive these values; neither applies a default of its
own. Facts (metric names, default target, default machine, routes and port) come from
:mod:`components.facts.gcp`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .. import accelerators
from ..config import DeploymentConfig
from ..facts import gcp as facts
from ..tags import gcp_labels


@dataclass(frozen=True)
class MetricSpec:
    """One ``AutoscalingMetricSpec`` exactly as it is sent to Vertex AI."""

    metric_name: str
    """Full Vertex metric name (:data:`components.facts.gcp.METRICS`)."""
    target: int
    """Target (percent for utilization metrics, requests per minute per replica for request_count)."""

    def as_input(self) -> dict[str, object]:
        """The property shape of the model-deployment resource: ``{"metric_name": ..., "target": ...}``."""
        return {"metric_name": self.metric_name, "target": self.target}


@dataclass(frozen=True)
class ResolvedVertex:
    """Everything a Vertex AI deployment declares, fully defaulted and frozen."""

    name: str
    """Deployment name (stack file ``name``)."""
    project: str
    """``gcp:project``."""
    region: str
    """``gcp:region``."""
    display_name: str
    """Display name of the endpoint and the model: ``{name}-{stack}``."""
    image: str
    """Serving container image."""
    artifact_uri: str | None
    """``gs://`` directory of the artifacts, or ``None``."""
    predict_route: str
    """Prediction route of the container."""
    health_route: str
    """Health route of the container."""
    port: int
    """Container port."""
    env: Mapping[str, str]
    """Container environment."""
    labels: Mapping[str, str]
    """Labels of every resource (project, stack, deployment, managed-by, user tags)."""
    machine_type: str
    """Machine of each replica."""
    accelerator_type: str | None
    """``aiplatform_v1.AcceleratorType`` member name, or ``None``."""
    accelerator_count: int
    """Accelerators per replica (0 without)."""
    min_replicas: int
    """Minimum replicas."""
    max_replicas: int
    """Maximum replicas."""
    metric: str | None
    """Neutral metric driving scaling (``None``: fixed replica count)."""
    target: int | None
    """Target of ``metric`` as Vertex takes it (an integer)."""
    metric_specs: tuple[MetricSpec, ...]
    """The autoscaling metric specs sent to Vertex (see :func:`components.facts.gcp.metric_specs`)."""
    service_account: str | None
    """Service account the model runs as; ``None``: a dedicated one is created."""
    kms_key: str | None
    """CMEK key of the endpoint, the uploaded model and the output bucket, or ``None``."""
    dedicated_endpoint: bool
    """Dedicated endpoint (own DNS name)."""
    private_network: str | None
    """Peered VPC network of a private endpoint, or ``None``."""

    @property
    def metric_spec_inputs(self) -> list[dict[str, object]]:
        """:attr:`metric_specs` in the resource's property shape."""
        return [spec.as_input() for spec in self.metric_specs]


def _target(config: DeploymentConfig) -> int | None:
    target = config.scaling.resolved_target
    if not config.scaling.autoscaled:
        return None
    return max(1, round(target)) if target is not None else facts.DEFAULT_METRIC_TARGET


def vertex_machine(config: DeploymentConfig) -> accelerators.VertexMachine:
    """Machine type, accelerator and count of a validated gcp deployment: the catalog's machine for its GPU (or
    the ``machine_type`` override, which validation checked against the GPU), else the default CPU machine."""
    if config.accelerator is None:
        return accelerators.VertexMachine(config.machine_type or facts.DEFAULT_MACHINE, None, 0)
    chosen = accelerators.vertex_machine(config.accelerator.type, config.accelerator.count)
    return accelerators.VertexMachine(
        config.machine_type or chosen.machine_type, chosen.accelerator_type, chosen.accelerator_count
    )


def _machine(config: DeploymentConfig) -> tuple[str, str | None, int]:
    chosen = vertex_machine(config)
    return chosen.machine_type, chosen.accelerator_type, chosen.accelerator_count


def resolve_vertex(
    config: DeploymentConfig,
    *,
    project: str,
    region: str,
    stack: str,
    project_name: str,
    extra_labels: Mapping[str, str] | None = None,
) -> ResolvedVertex:
    """Resolve a validated ``cloud: gcp`` deployment (``project_name`` is the Pulumi project, for labels)."""
    machine_type, accelerator_type, accelerator_count = _machine(config)
    autoscaled = config.scaling.autoscaled
    metric = config.scaling.metric if autoscaled else None  # config requires a metric when max > min
    target = _target(config)
    specs = facts.metric_specs(metric, target, accelerator_count > 0)
    options = config.vertex
    labels = gcp_labels(project_name, stack, config.name, {**config.tags, **(extra_labels or {})})
    return ResolvedVertex(
        name=config.name,
        project=project,
        region=region,
        display_name=f"{config.name}-{stack}",
        image=config.image,
        artifact_uri=config.artifacts,
        predict_route=options.predict_route,
        health_route=options.health_route,
        port=options.port,
        env=MappingProxyType(dict(config.environment)),
        labels=MappingProxyType(labels),
        machine_type=machine_type,
        accelerator_type=accelerator_type,
        accelerator_count=accelerator_count,
        min_replicas=config.scaling.min,
        max_replicas=config.scaling.max,
        metric=metric,
        target=target,
        metric_specs=tuple(MetricSpec(name, value) for name, value in specs),
        service_account=options.service_account,
        kms_key=options.kms_key,
        dedicated_endpoint=options.dedicated_endpoint,
        private_network=options.private_network,
    )
