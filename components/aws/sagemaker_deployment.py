"""`SageMakerDeployment`: one model behind a SageMaker real-time endpoint, with autoscaling.

Children (all auto-named, so a replacement is created before the old one is deleted):
execution role -> model -> endpoint configuration -> endpoint -> autoscaling (target after the endpoint).

SageMaker endpoint configurations are immutable. Any change of the model, the instance type, the counts or
the encryption key produces a new model and/or a new endpoint configuration; the endpoint is then updated in
place to use it (SageMaker shifts traffic to the new fleet without downtime), and only then does Pulumi
delete the old configuration and model.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_aws as aws

from .. import accelerators
from ..config import DeploymentConfig
from ..config import sagemaker as sagemaker_rules
from ..tags import standard_tags
from .autoscaling import VariantAutoscaling, VariantShape, vcpus_of
from .iam import ExecutionGrants, ExecutionRole, ecr_repository_arn, s3_object_arn

TYPE_TOKEN = "ml-serving:aws:SageMakerDeployment"


def initial_instance_count(config: DeploymentConfig) -> int:
    """Instances the endpoint configuration starts with: ``max(1, scaling.min)``.

    SageMaker needs at least one instance to create an endpoint; an async endpoint with ``min: 0`` then scales
    to zero through its autoscaling (the configured min is never replaced by this count).
    """
    return max(1, config.scaling.min)


def invoke_url(region: str, endpoint_name: str, is_async: bool) -> str:
    """The HTTPS URL clients call (SigV4-signed) to invoke the endpoint."""
    path = "async-invocations" if is_async else "invocations"
    return f"https://runtime.sagemaker.{region}.amazonaws.com/endpoints/{endpoint_name}/{path}"


class SageMakerDeployment(pulumi.ComponentResource):
    """A model served by a SageMaker endpoint, with its execution role and autoscaling.

    Args:
        name: component name; children are named ``{name}-model``, ``{name}-config``, ``{name}-endpoint``...
        config: the validated deployment (``cloud: aws``); build one with ``DeploymentConfig(...)``.
        extra_tags: tags added to the standard ones (project, stack, deployment, managed-by).
        opts: options of the component; children inherit providers and protection through ``parent``.

    Outputs:
        endpoint_name, endpoint_arn, variant_name, invoke_url, model_name, endpoint_config_name,
        execution_role_arn, instance_type.
    """

    endpoint_name: pulumi.Output[str]
    endpoint_arn: pulumi.Output[str]
    variant_name: pulumi.Output[str]
    invoke_url: pulumi.Output[str]
    model_name: pulumi.Output[str]
    endpoint_config_name: pulumi.Output[str]
    execution_role_arn: pulumi.Output[str]
    instance_type: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        config: DeploymentConfig,
        extra_tags: Mapping[str, str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        if config.cloud != "aws":
            raise ValueError(f"deployment {config.name} is for cloud {config.cloud}; use the component of that cloud")
        self._config = config
        child = pulumi.ResourceOptions(parent=self)
        tags = standard_tags(
            pulumi.get_project(), pulumi.get_stack(), config.name, {**config.tags, **(extra_tags or {})}
        )
        options = config.sagemaker
        instance_type = sagemaker_rules.instance_type(config)
        gpus = (
            config.accelerator.count
            if config.accelerator
            else (accelerators.gpu_count_of_sagemaker_instance(instance_type) or ("", 0))[1]
        )

        invoke_opts = pulumi.InvokeOutputOptions(parent=self)
        partition = aws.get_partition_output(opts=invoke_opts).partition
        region = aws.get_region_output(opts=invoke_opts).region
        account = aws.get_caller_identity_output(opts=invoke_opts).account_id

        if options.execution_role_arn:
            role_arn: pulumi.Output[str] = pulumi.Output.from_input(options.execution_role_arn)
        else:
            grants = pulumi.Output.all(partition, region, account).apply(lambda values: self._grants(*values))
            role_arn = ExecutionRole(f"{name}-execution", grants, tags, opts=child).arn

        model = aws.sagemaker.Model(
            f"{name}-model",
            execution_role_arn=role_arn,
            primary_container=aws.sagemaker.ModelPrimaryContainerArgs(
                image=config.image,
                model_data_url=config.artifacts,
                environment=dict(config.environment) or None,
            ),
            enable_network_isolation=options.network_isolation,
            vpc_config=(
                aws.sagemaker.ModelVpcConfigArgs(
                    subnets=list(options.vpc.subnet_ids),
                    security_group_ids=list(options.vpc.security_group_ids),
                )
                if options.vpc
                else None
            ),
            tags=tags,
            opts=child,
        )
        endpoint_config = aws.sagemaker.EndpointConfiguration(
            f"{name}-config",
            name_prefix=f"{config.name}-",
            production_variants=[
                aws.sagemaker.EndpointConfigurationProductionVariantArgs(
                    variant_name=options.variant_name,
                    model_name=model.name,
                    instance_type=instance_type,
                    initial_instance_count=initial_instance_count(config),
                    initial_variant_weight=1.0,
                    model_data_download_timeout_in_seconds=options.model_data_download_timeout,
                    container_startup_health_check_timeout_in_seconds=options.startup_health_check_timeout,
                )
            ],
            kms_key_arn=options.kms_key,
            tags=tags,
            opts=child,
        )
        endpoint = aws.sagemaker.Endpoint(
            f"{name}-endpoint",
            endpoint_config_name=endpoint_config.name,
            tags=tags,
            opts=child,
        )
        if config.scaling.autoscaled or config.scaling.schedules:
            VariantAutoscaling(
                f"{name}-scaling",
                endpoint=endpoint,
                variant_name=options.variant_name,
                scaling=config.scaling,
                shape=VariantShape(vcpus=vcpus_of(instance_type), gpus=gpus),
                opts=child,
            )

        self.endpoint_name = endpoint.name
        self.endpoint_arn = endpoint.arn
        self.variant_name = pulumi.Output.from_input(options.variant_name)
        self.invoke_url = pulumi.Output.all(region, endpoint.name).apply(
            lambda values: invoke_url(values[0], values[1], config.is_async)
        )
        self.model_name = model.name
        self.endpoint_config_name = endpoint_config.name
        self.execution_role_arn = role_arn
        self.instance_type = pulumi.Output.from_input(instance_type)
        self.register_outputs(self.outputs())

    def outputs(self) -> dict[str, pulumi.Output[str]]:
        """The component's outputs by name, as exported for the stack."""
        return {
            "cloud": pulumi.Output.from_input("aws"),
            "endpoint_name": self.endpoint_name,
            "endpoint_arn": self.endpoint_arn,
            "variant_name": self.variant_name,
            "invoke_url": self.invoke_url,
            "model_name": self.model_name,
            "endpoint_config_name": self.endpoint_config_name,
            "execution_role_arn": self.execution_role_arn,
            "instance_type": self.instance_type,
        }

    def _grants(self, partition: str, region: str, account: str) -> ExecutionGrants:
        config = self._config
        kms = (
            [config.sagemaker.kms_key]
            if config.sagemaker.kms_key and config.sagemaker.kms_key.startswith("arn:")
            else []
        )
        return ExecutionGrants(
            partition=partition,
            region=region,
            account=account,
            ecr_repository_arn=ecr_repository_arn(partition, config.image),
            artifact_object_arns=[s3_object_arn(partition, config.artifacts)] if config.artifacts else [],
            kms_key_arns=kms,
            vpc=config.sagemaker.vpc is not None,
        )
