"""The production variants (and the shadow) of a SageMaker endpoint configuration, as plain data.

The variants themselves are resolved once (:func:`components.resolve.aws.resolve_variants`: the primary
``sagemaker.variant_name`` with the deployment's model, instance and scaling, then ``sagemaker.variants`` and
``sagemaker.shadow`` with the deployment's values where they leave keys out). :func:`production_variant` renders one
as a ``ProductionVariant`` with the API's field names (contract-tested against botocore); the package's converter
(:mod:`.provider_inputs`) turns it into provider inputs. Each variant starts with ``max(1, scaling.min)`` instances;
its scalable target keeps the real min.
"""

from __future__ import annotations

from typing import Any

from ..resolve.aws import PRIMARY_MODEL, ResolvedVariant

__all__ = ["PRIMARY_MODEL", "production_variant"]


def production_variant(variant: ResolvedVariant, model_name: Any) -> dict[str, Any]:
    """A ``ProductionVariant`` (SageMaker API names) serving ``model_name`` (a name or the model's name output)."""
    rendered: dict[str, Any] = {
        "VariantName": variant.name,
        "ModelName": model_name,
        "InstanceType": variant.instance_type,
        "InitialInstanceCount": variant.initial_instance_count,
        "InitialVariantWeight": float(variant.weight),
    }
    if variant.model_data_download_timeout is not None:
        rendered["ModelDataDownloadTimeoutInSeconds"] = variant.model_data_download_timeout
    if variant.startup_health_check_timeout is not None:
        rendered["ContainerStartupHealthCheckTimeoutInSeconds"] = variant.startup_health_check_timeout
    return rendered
