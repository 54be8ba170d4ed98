"""The production variants (and the shadow) of a SageMaker endpoint configuration, as plain data.

:func:`variant_plans` resolves every variant from the deployment: the primary (``sagemaker.variant_name``, the
deployment's model, instance and scaling), then ``sagemaker.variants`` and ``sagemaker.shadow`` with the
deployment's values where they leave keys out. :func:`production_variant` renders one as a ``ProductionVariant``
with the API's field names (contract-tested against botocore), :func:`production_variant_args` as provider
arguments. Each variant starts with ``max(1, scaling.min)`` instances; its scalable target keeps the real min.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi_aws as aws

from ..config import DeploymentConfig, ScalingConfig
from ..config import sagemaker as sagemaker_rules
from ..config.sagemaker_serving import gpus_of

PRIMARY_MODEL = ""
"""``model_key`` of variants that serve the deployment's own model."""


@dataclass(frozen=True)
class VariantPlan:
    """One variant as declared.

    Attributes:
        name: variant name. weight: InitialVariantWeight. instance_type: SageMaker instance type.
        scaling: its instances and autoscaling. gpus: GPUs per instance.
        model_key: ``""`` for the deployment's model, else the variant name (a model of its own).
        shadow: True for the shadow variant.
    """

    name: str
    weight: float
    instance_type: str
    scaling: ScalingConfig
    gpus: int
    model_key: str = PRIMARY_MODEL
    shadow: bool = False

    @property
    def initial_instance_count(self) -> int:
        """``max(1, scaling.min)``: SageMaker creates a variant with at least one instance."""
        return max(1, self.scaling.min)


def variant_plans(config: DeploymentConfig) -> list[VariantPlan]:
    """The primary variant, the other production variants, then the shadow (if any)."""
    options = config.sagemaker
    instance_type = sagemaker_rules.instance_type(config)
    gpus = gpus_of(instance_type, config.accelerator.count if config.accelerator else None)
    plans = [VariantPlan(options.variant_name, options.variant_weight, instance_type, config.scaling, gpus)]
    extra = [(variant, False) for variant in options.variants]
    if options.shadow is not None:
        extra.append((options.shadow, True))
    for variant, shadow in extra:
        own_type = variant.instance_type
        plans.append(
            VariantPlan(
                name=variant.name,
                weight=variant.weight,
                instance_type=own_type or instance_type,
                scaling=variant.scaling,
                gpus=gpus_of(own_type) if own_type else gpus,
                model_key=variant.name if variant.own_model else PRIMARY_MODEL,
                shadow=shadow,
            )
        )
    return plans


def production_variant(plan: VariantPlan, model_name: str, config: DeploymentConfig) -> dict[str, Any]:
    """A ``ProductionVariant`` (SageMaker API names) serving ``model_name``."""
    options = config.sagemaker
    variant: dict[str, Any] = {
        "VariantName": plan.name,
        "ModelName": model_name,
        "InstanceType": plan.instance_type,
        "InitialInstanceCount": plan.initial_instance_count,
        "InitialVariantWeight": float(plan.weight),
    }
    if options.model_data_download_timeout is not None:
        variant["ModelDataDownloadTimeoutInSeconds"] = options.model_data_download_timeout
    if options.startup_health_check_timeout is not None:
        variant["ContainerStartupHealthCheckTimeoutInSeconds"] = options.startup_health_check_timeout
    return variant


def production_variant_args(variant: Mapping[str, Any]) -> aws.sagemaker.EndpointConfigurationProductionVariantArgs:
    """The provider's arguments for a production variant."""
    return aws.sagemaker.EndpointConfigurationProductionVariantArgs(**_variant_kwargs(variant))


def shadow_variant_args(variant: Mapping[str, Any]) -> aws.sagemaker.EndpointConfigurationShadowProductionVariantArgs:
    """The provider's arguments for the shadow variant."""
    return aws.sagemaker.EndpointConfigurationShadowProductionVariantArgs(**_variant_kwargs(variant))


def _variant_kwargs(variant: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "variant_name": variant["VariantName"],
        "model_name": variant["ModelName"],
        "instance_type": variant["InstanceType"],
        "initial_instance_count": variant["InitialInstanceCount"],
        "initial_variant_weight": variant["InitialVariantWeight"],
        "model_data_download_timeout_in_seconds": variant.get("ModelDataDownloadTimeoutInSeconds"),
        "container_startup_health_check_timeout_in_seconds": variant.get("ContainerStartupHealthCheckTimeoutInSeconds"),
    }
