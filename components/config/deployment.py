"""One model deployment of a stack file (an item of `ml-serving:deployments`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from .. import accelerators
from ..facts import aws as aws_facts
from ..facts import gcp as gcp_facts
from ..tags import standard_tags
from . import async_options as async_rules
from . import rollout as rollout_rules
from . import sagemaker, vertex
from .async_options import AsyncOptions
from .base import SLUG, ConfigModel
from .names import bucket_name_problems
from .problems import Problem, raise_if_any
from .rollout import RolloutConfig
from .sagemaker import SageMakerOptions
from .scaling import ScalingConfig
from .secret_environment import WithSecretEnvironment
from .vertex import VertexOptions

Cloud = Literal["aws", "gcp"]
MAX_NAME_LENGTH = 32


class AcceleratorSpec(ConfigModel):
    """The GPUs of one instance / replica, by cloud-neutral name (see the GPU catalog in the README)."""

    type: str = Field(description="Cloud-neutral GPU name, e.g. `nvidia-a10g`, `nvidia-l4`, `nvidia-a100-80gb`.")
    count: int = Field(1, ge=1, le=16, description="GPUs per instance, default 1. Each cloud offers only some counts.")

    @field_validator("type")
    @classmethod
    def _known(cls, value: str) -> str:
        try:
            accelerators.get_accelerator(value)
        except accelerators.AcceleratorError as error:
            raise ValueError(str(error)) from None
        return value


class DeploymentConfig(WithSecretEnvironment):
    """A model served behind one endpoint on one cloud."""

    name: str = Field(
        description=f"Lowercase slug unique in the stack (up to {MAX_NAME_LENGTH} characters); names every resource."
    )
    cloud: Cloud = Field(description="`aws` (SageMaker) or `gcp` (Vertex AI).")
    image: str = Field(description="Serving container image: an ECR URI on aws, Artifact Registry / gcr.io on gcp.")
    artifacts: str | None = Field(
        None,
        description="Model artifacts: s3://.../model.tar.gz on aws, gs://.../ directory on gcp; default none (baked into the image).",
    )
    accelerator: AcceleratorSpec | None = Field(None, description="GPUs per instance; default none (CPU only).")
    instance_type: str | None = Field(
        None, description="aws only: explicit SageMaker instance type overriding the catalog's choice."
    )
    machine_type: str | None = Field(
        None, description="gcp only: explicit Vertex machine type overriding the catalog's choice."
    )
    async_inference: AsyncOptions | None = Field(
        None,
        alias="async",
        description="`true`, or a mapping of async options: queue requests and write results to an output bucket; default false.",
    )
    scaling: ScalingConfig = Field(
        default_factory=ScalingConfig,
        description="Replica bounds and autoscaling; default one instance, no autoscaling.",
    )
    environment: dict[str, str] = Field(
        default_factory=dict,
        description="Environment variables of the serving container, default none. A value may be a Pulumi secret "
        "(`pulumi config set --secret --path 'ml-serving:deployments[0].environment.API_KEY' VALUE`): it stays "
        "secret in every resource input and in state, and shows as `[secret]` in plans (in a plan of stack files, as "
        "the fingerprint of its ciphertext).",
    )
    tags: dict[str, str] = Field(
        default_factory=dict, description="Extra tags (aws) / labels (gcp) on every resource, default none."
    )
    rollout: RolloutConfig | None = Field(
        None,
        description="aws only: how an endpoint update shifts traffic (all at once, canary, linear) and the alarms that "
        "roll it back; default none (SageMaker's all-at-once update without alarms).",
    )
    sagemaker: SageMakerOptions = Field(default_factory=SageMakerOptions, description="SageMaker-only options (aws).")
    vertex: VertexOptions = Field(default_factory=VertexOptions, description="Vertex AI-only options (gcp).")

    @field_validator("async_inference", mode="before")
    @classmethod
    def _async_flag(cls, value: Any) -> Any:
        if value is True:
            return {}
        if value is False or value is None:
            return None
        return value

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value) or len(value) > MAX_NAME_LENGTH:
            raise ValueError(
                f"'{value}' is not a lowercase slug of up to {MAX_NAME_LENGTH} characters "
                "(letters, digits and '-', starting with a letter); e.g. 'ranker' or 'text-embed'"
            )
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: dict[str, str]) -> dict[str, str]:
        prefix = aws_facts.RESERVED_TAG_PREFIX
        reserved = [key for key in value if key.lower().startswith(prefix)]
        if reserved:
            raise ValueError(f"{reserved} use the reserved '{prefix}' prefix; rename them")
        key_max, value_max = aws_facts.TAG_KEY_MAX, aws_facts.TAG_VALUE_MAX
        long = [key for key in value if len(key) > key_max or len(str(value[key])) > value_max]
        if long:
            raise ValueError(
                f"{long}: tag keys are at most {key_max} and values {value_max} characters; use shorter ones"
            )
        return value

    @model_validator(mode="after")
    def _fits_cloud(self) -> DeploymentConfig:
        cloud_rules = sagemaker.check(self) if self.cloud == "aws" else vertex.check(self)
        names = bucket_name_problems(self.name, self.cloud) if self.is_async else []
        raise_if_any(cloud_rules + rollout_rules.check(self) + async_rules.check(self) + names + self._limit_problems())
        return self

    def _limit_problems(self) -> list[Problem]:
        """Environment and tag limits of the cloud's APIs (user tags share the budget with the four tags every
        resource gets: project, stack, deployment, managed-by). Vertex label counts are checked in
        :mod:`components.config.vertex`."""
        problems: list[Problem] = []
        standard = len(standard_tags("p", "s", "d"))
        if self.cloud == "aws":
            problems += self._environment_lengths()
            user_tags = [key for key in self.tags if key not in standard_tags("p", "s", "d")]
            if len(user_tags) + standard > aws_facts.MAX_TAGS:
                problems.append(
                    Problem(
                        "tags",
                        f"{len(user_tags)} tags plus the {standard} ml-serving adds exceed the {aws_facts.MAX_TAGS} tags AWS "
                        "allows on a resource",
                        f"keep at most {aws_facts.MAX_TAGS - standard} tags",
                    )
                )
            for key, value in self.tags.items():
                if not aws_facts.TAG_CHARACTERS.match(key) or not aws_facts.TAG_CHARACTERS.match(value):
                    problems.append(
                        Problem(
                            f"tags.{key}",
                            "AWS tags hold only letters, digits, spaces and _ . : / = + - @",
                            "replace the other characters",
                        )
                    )
        else:
            reserved = [key for key in self.environment if key.startswith(gcp_facts.RESERVED_ENV_PREFIX)]
            problems += [
                Problem(
                    f"environment.{key}",
                    f"Vertex AI sets the {gcp_facts.RESERVED_ENV_PREFIX}* variables itself",
                    f"rename it without the {gcp_facts.RESERVED_ENV_PREFIX} prefix",
                )
                for key in reserved
            ]
        return problems

    def _environment_lengths(self) -> list[Problem]:
        """SageMaker's count and length limits on every environment of the deployment (its own, its containers', its
        variants'); a secret's length is not known offline."""
        environments: list[tuple[str, dict[str, str], frozenset[str]]] = [
            ("environment", self.environment, self.secret_environment)
        ]
        environments += [
            (f"sagemaker.containers[{index}].environment", container.environment, container.secret_environment)
            for index, container in enumerate(self.sagemaker.containers)
        ]
        environments += [
            (f"sagemaker.variants[{index}].environment", variant.environment or {}, variant.secret_environment)
            for index, variant in enumerate(self.sagemaker.variants)
        ]
        if self.sagemaker.shadow is not None:
            shadow = self.sagemaker.shadow
            environments.append(("sagemaker.shadow.environment", shadow.environment or {}, shadow.secret_environment))
        problems: list[Problem] = []
        for path, environment, secrets in environments:
            if len(environment) > aws_facts.MAX_ENVIRONMENT_ENTRIES:
                problems.append(
                    Problem(
                        path,
                        f"{len(environment)} variables; SageMaker takes at most {aws_facts.MAX_ENVIRONMENT_ENTRIES} "
                        "per container",
                        "pass fewer variables (e.g. one JSON-valued variable)",
                    )
                )
            for key, value in environment.items():
                secret = key in secrets
                if len(key) > aws_facts.ENVIRONMENT_KEY_MAX or (
                    not secret and len(value) > aws_facts.ENVIRONMENT_VALUE_MAX
                ):
                    problems.append(
                        Problem(
                            f"{path}.{key}",
                            f"SageMaker takes names and values of at most {aws_facts.ENVIRONMENT_KEY_MAX} characters",
                            "shorten it, or load long settings from the model artifacts",
                        )
                    )
        return problems

    @property
    def is_async(self) -> bool:
        """True for asynchronous inference."""
        return self.async_inference is not None
