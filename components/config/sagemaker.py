"""SageMaker-only options of a deployment and the rules a deployment must follow to run on SageMaker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator

from .. import accelerators
from ..facts import aws as aws_facts
from ..facts.aws import IAM_ROLE_ARN, KMS_KEY, KMS_KEY_ARN
from . import rules, sagemaker_limits, sagemaker_serving
from .base import ConfigModel
from .problems import Problem
from .sagemaker_serving import ContainerSpec, MultiModelOptions, VariantSpec, location_problems

if TYPE_CHECKING:
    from .deployment import DeploymentConfig


class VpcOptions(ConfigModel):
    """Run the model containers inside your VPC (private subnets, your security groups)."""

    subnet_ids: tuple[str, ...] = Field(
        min_length=1, max_length=16, description="Subnets (`subnet-...`) for the instances."
    )
    security_group_ids: tuple[str, ...] = Field(min_length=1, max_length=5, description="Security groups (`sg-...`).")

    @field_validator("subnet_ids")
    @classmethod
    def _subnets(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [item for item in value if not item.startswith("subnet-")]
        if bad:
            raise ValueError(f"{bad} are not subnet ids; use ids like subnet-0123abcd")
        return value

    @field_validator("security_group_ids")
    @classmethod
    def _groups(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [item for item in value if not item.startswith("sg-")]
        if bad:
            raise ValueError(f"{bad} are not security group ids; use ids like sg-0123abcd")
        return value


class SageMakerOptions(ConfigModel):
    """Options that exist only on SageMaker (key `sagemaker:` of a deployment)."""

    variant_name: str = Field("primary", description="Name of the production variant, default `primary`.")
    network_isolation: bool = Field(False, description="Run the container without network access, default false.")
    vpc: VpcOptions | None = Field(
        None, description="VPC placement of the containers, default none (SageMaker's network)."
    )
    kms_key: str | None = Field(
        None,
        description="KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID) encrypting the instances' storage volumes, "
        "default none. Refused on instance types with local NVMe storage (g4dn, g5, g6, p4d...), which SageMaker "
        "encrypts in hardware.",
    )
    artifacts_kms_key: str | None = Field(
        None,
        description="KMS key ARN of SSE-KMS-encrypted model artifacts: the execution role may kms:Decrypt with it "
        "through S3 only; default none (artifacts encrypted with SSE-S3 or the AWS managed key).",
    )
    model_data_download_timeout: int | None = Field(
        None,
        ge=aws_facts.MODEL_DATA_DOWNLOAD_TIMEOUT_RANGE[0],
        le=aws_facts.MODEL_DATA_DOWNLOAD_TIMEOUT_RANGE[1],
        description="Seconds allowed to download the model artifacts, default SageMaker's (1200).",
    )
    startup_health_check_timeout: int | None = Field(
        None,
        ge=aws_facts.STARTUP_HEALTH_CHECK_TIMEOUT_RANGE[0],
        le=aws_facts.STARTUP_HEALTH_CHECK_TIMEOUT_RANGE[1],
        description="Seconds allowed for the container to pass /ping after start, default SageMaker's.",
    )
    execution_role_arn: str | None = Field(
        None,
        description="Use this existing execution role instead of creating a least-privilege one, default none.",
    )
    variant_weight: float = Field(
        1.0,
        ge=0,
        description="Traffic weight of the primary variant against `variants` (InitialVariantWeight), default 1.",
    )
    multi_model: MultiModelOptions | None = Field(
        None,
        description="`true` or a mapping: a multi-model endpoint loading the models under the `artifacts` prefix "
        "(ending with '/') on demand; default false (one model).",
    )
    containers: tuple[ContainerSpec, ...] = Field(
        (),
        description="More containers after the deployment's own (host name: the deployment name), up to 14; default "
        "none (one container).",
    )
    container_mode: Literal["serial", "direct"] = Field(
        "serial",
        description="With `containers`: `serial` (an inference pipeline, each container's output feeds the next) or "
        "`direct` (clients pick one container with TargetContainerHostname), default `serial`.",
    )
    variants: tuple[VariantSpec, ...] = Field(
        (),
        description="More production variants sharing the traffic by weight, each with its own image, artifacts, "
        "instance type and autoscaling; default none.",
    )
    shadow: VariantSpec | None = Field(
        None,
        description="A shadow variant receiving a copy of the primary's requests (responses discarded), default none.",
    )

    @field_validator("multi_model", mode="before")
    @classmethod
    def _multi_model_flag(cls, value: Any) -> Any:
        return sagemaker_serving.parse_multi_model(value)

    @field_validator("variant_name")
    @classmethod
    def _variant(cls, value: str) -> str:
        return rules.sagemaker_name(value, "variant name")

    @field_validator("kms_key", "artifacts_kms_key")
    @classmethod
    def _kms(cls, value: str | None) -> str | None:
        if value is not None and not KMS_KEY_ARN.match(value):
            form = "an alias" if "alias/" in value else "a key id" if KMS_KEY.match(value) else "not a KMS key"
            raise ValueError(
                f"'{value}' is {form}, and IAM grants the execution role and the deployer one key by its ARN, which "
                "an alias or a bare key id cannot express; use the key ARN arn:aws:kms:REGION:ACCOUNT:key/ID "
                "(`aws kms describe-key --key-id alias/NAME` prints it)"
            )
        return value

    @field_validator("execution_role_arn")
    @classmethod
    def _role(cls, value: str | None) -> str | None:
        if value is not None and not IAM_ROLE_ARN.match(value):
            raise ValueError(f"'{value}' is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)")
        return value


def check(deployment: DeploymentConfig) -> list[Problem]:
    """Everything that makes ``deployment`` impossible on SageMaker, with paths relative to the deployment."""
    problems = rules.other_cloud_problems(deployment)
    problems += location_problems(deployment.image, deployment.artifacts)
    problems += _instance_problems(deployment)
    scaling = deployment.scaling
    if scaling.min == 0 and deployment.async_inference is None:
        problems.append(
            Problem(
                "scaling.min",
                "0 is not supported on a real-time SageMaker endpoint (it needs at least one instance)",
                "set min: 1, or `async: true` to scale to zero between requests",
            )
        )
    if scaling.metric == "backlog" and deployment.async_inference is None:
        problems.append(
            Problem(
                "scaling.metric",
                "backlog counts queued asynchronous requests and exists only on async endpoints",
                "set `async: true`, or choose invocations / concurrency for a real-time endpoint",
            )
        )
    if scaling.metric == "gpu" and deployment.accelerator is None and _catalog_gpu(deployment) is None:
        problems.append(
            Problem(
                "scaling.metric",
                "gpu on a CPU-only instance never moves",
                "add accelerator: {type: ...} or use cpu / invocations",
            )
        )
    problems += _async_scaling_problems(deployment)
    primary = _instance_type_or_default(deployment)
    problems += sagemaker_serving.check(deployment, primary)
    problems += sagemaker_limits.kms_problems(deployment, primary)
    problems += sagemaker_limits.auto_name_problems(deployment)
    problems += sagemaker_limits.schedule_problems("scaling", scaling, realtime=deployment.async_inference is None)
    for index, variant in enumerate(deployment.sagemaker.variants):
        path = f"sagemaker.variants[{index}].scaling"
        problems += sagemaker_limits.schedule_problems(path, variant.scaling, realtime=True)
    return problems


def _async_scaling_problems(deployment: DeploymentConfig) -> list[Problem]:
    scaling = deployment.scaling
    if deployment.async_inference is None or scaling.metric is None:
        return []
    if scaling.min == 0 and scaling.metric != "backlog":
        return [
            Problem(
                "scaling.metric",
                f"{scaling.metric} cannot bring an async endpoint back from zero instances: with no instance there is "
                "no utilisation or traffic to measure, only queued requests",
                "set metric: backlog (queued requests per instance; ml-serving adds the scale-from-zero alarm), or "
                "min: 1",
            )
        ]
    tracked = aws_facts.SCALING_METRICS[scaling.metric]
    if not tracked.asynchronous:
        return [
            Problem(
                "scaling.metric",
                f"{scaling.metric} ({tracked.metric.name}) is not published for async endpoints, so its scaling "
                "policy would never act",
                "use backlog (queued requests per instance), cpu or gpu",
            )
        ]
    return []


def _instance_type_or_default(deployment: DeploymentConfig) -> str:
    """The instance type the rules check: the one :func:`components.resolve.aws.instance_type` will choose, or, when
    the accelerator has no SageMaker type (reported by ``_instance_problems``), the explicit type or CPU default."""
    if deployment.instance_type is not None:
        return deployment.instance_type
    if deployment.accelerator is not None:
        try:
            return accelerators.sagemaker_instance_type(deployment.accelerator.type, deployment.accelerator.count)
        except accelerators.AcceleratorError:
            pass
    return accelerators.DEFAULT_SAGEMAKER_CPU_INSTANCE


def _catalog_gpu(deployment: DeploymentConfig) -> tuple[str, int] | None:
    if deployment.instance_type is None:
        return None
    return accelerators.gpu_count_of_sagemaker_instance(deployment.instance_type)


def _instance_problems(deployment: DeploymentConfig) -> list[Problem]:
    problems: list[Problem] = []
    accelerator = deployment.accelerator
    if deployment.instance_type is not None:
        problems += sagemaker_serving.instance_type_problems("instance_type", deployment.instance_type)
        if problems:
            return problems
    if accelerator is None:
        return problems
    try:
        catalog_type = accelerators.sagemaker_instance_type(accelerator.type, accelerator.count)
    except accelerators.AcceleratorError as error:
        offered = accelerators.get_accelerator(accelerator.type).sagemaker
        path = "accelerator.count" if offered else "accelerator.type"
        problems.append(Problem(path, str(error)))
        return problems
    if deployment.instance_type is not None:
        found = accelerators.gpu_count_of_sagemaker_instance(deployment.instance_type)
        if found is not None and found != (accelerator.type, accelerator.count):
            problems.append(
                Problem(
                    "instance_type",
                    f"{deployment.instance_type} has {found[1]} x {found[0]}, not {accelerator.count} x {accelerator.type}",
                    f"remove instance_type to get {catalog_type}, or change the accelerator",
                )
            )
    return problems
