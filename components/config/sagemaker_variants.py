"""The stack-file models of several models behind one SageMaker endpoint: containers, multi-model, variants.

Their rules against the rest of the deployment are in :mod:`.sagemaker_serving`.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from . import rules
from .base import ConfigModel
from .scaling import ScalingConfig
from .secret_environment import WithSecretEnvironment


class ContainerSpec(WithSecretEnvironment):
    """One more container of a multi-container endpoint (an item of `sagemaker.containers`)."""

    ENVIRONMENT_CLOUDS = ("aws",)

    hostname: str = Field(
        description="Container host name, unique in the deployment: the TargetContainerHostname clients name with "
        "direct invocation, and the name in logs and metrics."
    )
    image: str = Field(description="Serving image of this container (an ECR URI).")
    artifacts: str | None = Field(
        None, description="Model archive of this container (s3://.../model.tar.gz); default none (in the image)."
    )
    environment: dict[str, str] = Field(
        default_factory=dict,
        description="Environment variables of this container, default none. A value may be a Pulumi secret, as in "
        "the deployment's `environment`.",
    )

    @field_validator("hostname")
    @classmethod
    def _hostname(cls, value: str) -> str:
        return rules.sagemaker_name(value, "container host name")


class MultiModelOptions(ConfigModel):
    """A multi-model endpoint: one container loads the models under the `artifacts` prefix on demand."""

    model_cache: bool = Field(
        True,
        description="Keep loaded models cached on the instance (MultiModelConfig.ModelCacheSetting), default true; "
        "false suits models invoked once each.",
    )
    gpu_image_supports_multi_model: bool = Field(
        False,
        description="On GPU instances SageMaker serves multi-model endpoints with NVIDIA Triton images only: set true "
        "to confirm that your image (whose repository name does not contain `triton`) is one, default false.",
    )


class VariantSpec(WithSecretEnvironment):
    """A production variant besides the primary one (`sagemaker.variants[]`), or the shadow (`sagemaker.shadow`).

    Keys left out take the deployment's value. A variant that sets none of image, artifacts and environment serves
    the deployment's model (e.g. the same model on another instance type).
    """

    ENVIRONMENT_CLOUDS = ("aws",)

    name: str = Field(
        description="Variant name, unique in the endpoint; keep it stable (rollouts match variants by name)."
    )
    weight: float = Field(
        1.0,
        ge=0,
        description="Traffic weight (InitialVariantWeight), default 1. A variant gets weight / sum of the weights of "
        "the requests; on the shadow, the share of requests copied to it relative to the primary's weight.",
    )
    image: str | None = Field(None, description="Serving image (an ECR URI); default the deployment's.")
    artifacts: str | None = Field(None, description="Model artifacts on S3; default the deployment's.")
    environment: dict[str, str] | None = Field(
        None,
        description="Container environment; default the deployment's. A value may be a Pulumi secret, as in the "
        "deployment's `environment`.",
    )
    instance_type: str | None = Field(None, description="SageMaker instance type; default the deployment's.")
    scaling: ScalingConfig = Field(
        default_factory=ScalingConfig,
        description="Instances and autoscaling of this variant (its own scalable target and policy); default one "
        "instance, no autoscaling.",
    )

    @field_validator("name")
    @classmethod
    def _variant(cls, value: str) -> str:
        return rules.sagemaker_name(value, "variant name")

    @property
    def own_model(self) -> bool:
        """True when the variant needs a model of its own (it changes the image, artifacts or environment)."""
        return self.image is not None or self.artifacts is not None or self.environment is not None


def parse_multi_model(value: Any) -> Any:
    """``multi_model: true`` means the defaults; ``false`` means off."""
    if value is True:
        return {}
    if value is False:
        return None
    return value
