"""How a deployment declares its endpoint: a name holder and the lifecycle that rolls it over.

:func:`declare_name_holder` and :func:`declare_lifecycle` declare them; dependents that name the endpoint take
``holder.name``;
dependents that must come *after* a roll-over (scalable targets and their policies: see
:mod:`.scaling_hold`) depend on ``lifecycle`` too. The dependency graph guarantees the safe order:

* the lifecycle's inputs name the new endpoint configuration, which names the new model(s), so Pulumi creates
  model -> configuration -> rolls the endpoint over; a failed update stops ``pulumi up`` before any delete;
* configurations and models are declared with ``retain_on_delete``: Pulumi deletes the leftovers of a failed
  ``pulumi up`` first thing in the next one, before any update (pulumi/pulumi#9979) - after a SageMaker rollback
  those are the configuration and model the endpoint still serves. Pulumi therefore only forgets replaced ones;
  the lifecycle deletes the configuration the endpoint left, and the models only that one served, once the
  endpoint is verified InService on the new configuration (:func:`.rollover.retire`). A deployment removed from
  the stack leaves its last configuration and model(s) in SageMaker (metadata, no cost; README says how to
  delete them);
* the rollback alarms (named in advance, see :mod:`components.aws.rollout`) come before the lifecycle, so even the
  first rollout of an update that adds ``rollout:`` is watched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from ...config import RolloutConfig
from .provider import SageMakerEndpointLifecycle

BASE_TIMEOUT_SECONDS = 3 * 3600
"""How long an update may take on top of the rollout's own bounds (instances to provision, models to load)."""
HOLDER_IGNORES = ["endpointConfigName", "deploymentConfig"]
"""Inputs of the ``aws.sagemaker.Endpoint`` name holder that the lifecycle owns (never a diff, never a replace)."""


def update_timeout_seconds(rollout: RolloutConfig | None) -> int:
    """The waiter's bound: :data:`BASE_TIMEOUT_SECONDS` plus the rollout's maximum duration and termination wait."""
    if rollout is None:
        return BASE_TIMEOUT_SECONDS
    return BASE_TIMEOUT_SECONDS + (rollout.max_duration_seconds or 0) + rollout.termination_wait_seconds


def initial_count_ignores(production_autoscaled: Sequence[bool], shadow_autoscaled: Sequence[bool]) -> list[str]:
    """``ignore_changes`` paths of the endpoint configuration: the initial counts of autoscaled variants.

    Their live count belongs to Application Auto Scaling; their configured count (``max(1, scaling.min)``) is only
    where a new endpoint starts. Without this, changing ``scaling.min`` alone would create a new configuration and
    roll the whole fleet over; with it, only the scalable target's minimum changes.
    """
    paths = [f"productionVariants[{i}].initialInstanceCount" for i, on in enumerate(production_autoscaled) if on]
    paths += [f"shadowProductionVariants[{i}].initialInstanceCount" for i, on in enumerate(shadow_autoscaled) if on]
    return paths


def declare_name_holder(
    name: str,
    endpoint_config: aws.sagemaker.EndpointConfiguration,
    tags: Mapping[str, str],
    parent: pulumi.Resource,
) -> aws.sagemaker.Endpoint:
    """The endpoint's name holder: the ``aws.sagemaker.Endpoint`` ``{name}-endpoint`` of every release so far.

    It creates the endpoint (auto-name) on the first ``pulumi up`` and deletes it with the deployment; the
    configuration and rollout it would otherwise update (or replace) are ignored: the lifecycle owns them.
    """
    return aws.sagemaker.Endpoint(
        f"{name}-endpoint",
        endpoint_config_name=endpoint_config.name,
        tags=dict(tags),
        opts=pulumi.ResourceOptions(parent=parent, ignore_changes=HOLDER_IGNORES),
    )


def declare_lifecycle(
    name: str,
    *,
    holder: aws.sagemaker.Endpoint,
    endpoint_config: aws.sagemaker.EndpointConfiguration,
    region: pulumi.Input[str],
    deployment_config: Mapping[str, Any] | None,
    rollout: RolloutConfig | None,
    parent: pulumi.Resource,
    after: Sequence[pulumi.Resource] = (),
) -> SageMakerEndpointLifecycle:
    """The lifecycle ``{name}-endpoint-lifecycle`` of the endpoint ``holder`` names.

    Args:
        name: component name. holder: the name holder. endpoint_config: the configuration to serve.
        region: the endpoint's region. deployment_config: the rollout's ``DeploymentConfig`` (API names) or
        ``None``. rollout: the deployment's rollout (bounds the waiter). parent: the component.
        after: resources the roll-over waits for (the rollback alarms).
    """
    return SageMakerEndpointLifecycle(
        f"{name}-endpoint-lifecycle",
        endpoint_name=holder.name,
        endpoint_config_name=endpoint_config.name,
        region=region,
        deployment_config=dict(deployment_config) if deployment_config else None,
        timeout_seconds=update_timeout_seconds(rollout),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=list(after)),
    )
