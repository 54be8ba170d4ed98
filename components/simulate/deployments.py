"""The one translation from a deployment config to the simulator's inputs (:class:`SimDeployment`).

Today it reads the validated ``DeploymentConfig`` through ``components.config``; when the resolved deployment model
(``components/resolve``) lands, this is the only module to change.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..config import DeploymentConfig, StackConfig, load_stack_config, read_stack_file, stack_name_of
from ..config import vertex as vertex_rules
from ..resolve import aws as resolve_aws
from . import cloud_behaviour as cb
from .model import Schedule, SimDeployment


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


def sim_deployment(
    deployment: DeploymentConfig, stack: StackConfig, assumptions: cb.Assumptions | None = None
) -> SimDeployment:
    """The simulator's view of one validated deployment (primary variant; extra variants are not simulated)."""
    assumptions = assumptions or cb.Assumptions()
    scaling = deployment.scaling
    service_time = assumptions.service_time_s
    concurrency = assumptions.max_concurrency
    if deployment.async_inference is not None and deployment.async_inference.max_concurrent_invocations_per_instance:
        concurrency = deployment.async_inference.max_concurrent_invocations_per_instance
    capacity = scaling.max_rps_per_instance if scaling.max_rps_per_instance is not None else concurrency / service_time
    if deployment.cloud == "aws":
        instance = resolve_aws.instance_type(deployment)
        gpus = _sagemaker_gpus(deployment, instance)
        is_async = deployment.is_async
        timeout = cb.SAGEMAKER_ASYNC_TTL_DEFAULT_S if is_async else cb.SAGEMAKER_REALTIME_TIMEOUT_S
        region = stack.aws_region or "us-east-1"
        accelerator = None
        from_zero = deployment.async_inference.scale_from_zero_after_minutes if deployment.async_inference else 1
    else:
        machine = vertex_rules.machine(deployment)
        instance, accelerator, gpus = machine.machine_type, machine.accelerator_type, machine.accelerator_count
        is_async = False  # Vertex has no async endpoint: the output bucket serves the user's own batch jobs
        timeout = assumptions.vertex_timeout_s
        region = stack.gcp_region or "us-central1"
        from_zero = 1
    metric = scaling.metric if scaling.autoscaled else None
    return SimDeployment(
        name=deployment.name,
        cloud=deployment.cloud,
        region=region,
        instance=instance,
        accelerator=accelerator,
        gpus=gpus,
        is_async=is_async,
        min=scaling.min,
        max=scaling.max,
        metric=metric,
        target=scaling.target_for(deployment.cloud) if metric else None,
        capacity_rps=capacity,
        service_time_s=service_time,
        timeout_s=timeout,
        scale_out_cooldown_s=scaling.scale_out_cooldown,
        scale_in_cooldown_s=scaling.scale_in_cooldown,
        disable_scale_in=scaling.disable_scale_in,
        schedules=tuple(Schedule(s.name, s.schedule, s.timezone, s.min, s.max) for s in scaling.schedules),
        from_zero_minutes=from_zero,
    )


def _sagemaker_gpus(deployment: DeploymentConfig, instance: str) -> int:
    if deployment.accelerator is not None:
        return deployment.accelerator.count
    from .. import accelerators

    found = accelerators.gpu_count_of_sagemaker_instance(instance)
    return found[1] if found else 0


def sim_deployments(stack: StackConfig, assumptions: cb.Assumptions | None = None) -> list[SimDeployment]:
    """Every deployment of a validated stack, in file order."""
    return [sim_deployment(deployment, stack, assumptions) for deployment in stack.deployments]
