"""The one translation from a deployment config to the simulator's inputs (:class:`SimDeployment`).

It validates the stack file through ``components.config`` and reads every cloud setting from the resolved
deployment (``components/resolve``), never from config helpers, so the simulator sees what the components declare.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import yaml

from ..config import DeploymentConfig, StackConfig, load_stack_config, read_stack_file, stack_name_of
from ..facts import aws as aws_facts
from ..resolve.aws import resolve_sagemaker
from ..resolve.gcp import resolve_vertex
from . import cloud_behaviour as cb
from .model import Schedule, SimDeployment, SimMetric


def stacks_dir(project_dir: Path) -> Path:
    """The stack files' directory: ``Pulumi.yaml``'s ``stackConfigDir``, the rule of ``components.plan``.

    (Read here rather than through ``components.plan.project_settings``, which imports the Pulumi mock runtime and
    would triple the simulator's start-up time.)
    """
    document = yaml.safe_load((project_dir / "Pulumi.yaml").read_text(encoding="utf-8")) or {}
    return project_dir / str(document.get("stackConfigDir", "."))


def stack_file(project_dir: Path, stack: str) -> Path:
    """``<stackConfigDir>/Pulumi.<stack>.yaml``."""
    return stacks_dir(project_dir) / f"Pulumi.{stack}.yaml"


def load_stack(path: Path) -> StackConfig:
    """Validate a stack file (raises ``ConfigError`` listing every problem)."""
    return load_stack_config(read_stack_file(path), stack_name_of(path), source=str(path))


def load_stack_values(values: Mapping[str, Any], stack: str, source: str) -> StackConfig:
    """Validate a stack file's ``config:`` mapping read from elsewhere (e.g. a git revision)."""
    return load_stack_config(values, stack, source=source)


SIM_PROJECT = "ml-serving"
"""Project name handed to the resolve step; it only names tags, labels and alarms, which the simulator ignores."""


def sim_deployment(
    deployment: DeploymentConfig, stack: StackConfig, assumptions: cb.Assumptions | None = None
) -> SimDeployment:
    """The simulator's view of one validated deployment (primary variant; extra variants are not simulated).

    Instance / machine type, GPUs, replicas, metric and target come from the resolved deployment
    (:func:`components.resolve.aws.resolve_sagemaker`, :func:`components.resolve.gcp.resolve_vertex`), as the
    components declare them; timeouts from :mod:`components.facts.aws`.
    """
    assumptions = assumptions or cb.Assumptions()
    concurrency = assumptions.max_concurrency
    options = deployment.async_inference
    if options is not None and options.max_concurrent_invocations_per_instance:
        concurrency = options.max_concurrent_invocations_per_instance
    max_rps = deployment.scaling.max_rps_per_instance  # the simulator's own input, not a cloud setting
    capacity = max_rps if max_rps is not None else concurrency / assumptions.service_time_s
    if deployment.cloud == "aws":
        return _sagemaker(deployment, stack, capacity, assumptions)
    return _vertex(deployment, stack, capacity, assumptions)


def _sagemaker(
    deployment: DeploymentConfig, stack: StackConfig, capacity: float, assumptions: cb.Assumptions
) -> SimDeployment:
    resolved = resolve_sagemaker(deployment, SIM_PROJECT, stack.stack)
    primary = resolved.variants[0]
    scaling = primary.scaling
    options = resolved.async_inference
    is_async = options is not None
    metric = scaling.metric if scaling.autoscaled else None
    return SimDeployment(
        name=deployment.name,
        cloud="aws",
        region=stack.aws_region or "us-east-1",
        instance=primary.instance_type,
        accelerator=None,
        gpus=primary.gpus,
        is_async=is_async,
        min=scaling.min,
        max=scaling.max,
        metric=cast(SimMetric | None, metric),
        target=scaling.target if metric else None,
        capacity_rps=capacity,
        service_time_s=assumptions.service_time_s,
        timeout_s=(
            aws_facts.ASYNC_REQUEST_TTL_DEFAULT_SECONDS if is_async else aws_facts.REALTIME_INVOCATION_TIMEOUT_SECONDS
        ),
        scale_out_cooldown_s=scaling.scale_out_cooldown,
        scale_in_cooldown_s=scaling.scale_in_cooldown,
        disable_scale_in=scaling.disable_scale_in,
        schedules=tuple(Schedule(s.name, s.schedule, s.timezone, s.min, s.max) for s in scaling.schedules),
        from_zero_minutes=options.scale_from_zero_after_minutes if options else 1,
    )


def _vertex(
    deployment: DeploymentConfig, stack: StackConfig, capacity: float, assumptions: cb.Assumptions
) -> SimDeployment:
    region = stack.gcp_region or "us-central1"
    vertex = resolve_vertex(
        deployment, project=stack.gcp_project or SIM_PROJECT, region=region, stack=stack.stack, project_name=SIM_PROJECT
    )
    return SimDeployment(
        name=deployment.name,
        cloud="gcp",
        region=region,
        instance=vertex.machine_type,
        accelerator=vertex.accelerator_type,
        gpus=vertex.accelerator_count,
        is_async=False,  # Vertex has no async endpoint: the output bucket serves the user's own batch jobs
        min=vertex.min_replicas,
        max=vertex.max_replicas,
        metric=cast(SimMetric | None, vertex.metric),
        target=None if vertex.target is None else float(vertex.target),
        capacity_rps=capacity,
        service_time_s=assumptions.service_time_s,
        timeout_s=assumptions.vertex_timeout_s,
    )


def sim_deployments(stack: StackConfig, assumptions: cb.Assumptions | None = None) -> list[SimDeployment]:
    """Every deployment of a validated stack, in file order."""
    return [sim_deployment(deployment, stack, assumptions) for deployment in stack.deployments]
