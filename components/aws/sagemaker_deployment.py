"""`SageMakerDeployment`: one or more models behind a SageMaker endpoint, with autoscaling and monitoring.

Children (auto-named unless said otherwise, so a replacement is created before the old one is deleted):
execution role -> model(s) -> endpoint configuration -> endpoint -> autoscaling per variant (targets after the
endpoint); for async deployments an output bucket and notification topics (:mod:`.async_output`) and the backlog
scaling to and from zero (:mod:`.scale_to_zero`); with ``rollout:`` the rollback alarms (:mod:`.rollout`, fixed
names, see there why); a CloudWatch dashboard (:mod:`.dashboard`, fixed name: the provider requires one).

SageMaker endpoint configurations are immutable. Any change of a model, an instance type, the counts, the async
settings or the encryption key produces a new model and/or a new endpoint configuration; the endpoint is then
updated in place to use it (SageMaker shifts traffic to the new fleet without downtime, as ``rollout:`` says),
and only then does Pulumi delete the old configuration and model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from ..config import DeploymentConfig
from ..tags import standard_tags
from .async_output import AsyncOutput, async_inference_args, async_inference_config, execution_statements
from .autoscaling import VariantAutoscaling, VariantShape, vcpus_of
from .dashboard import DashboardVariant, dashboard_name, dashboard_url, declare_dashboard
from .endpoint_lifecycle.declare import declare_lifecycle, declare_name_holder, initial_count_ignores
from .iam import ExecutionGrants, ExecutionRole, ecr_repository_arn, s3_object_arn
from .models import declare_model, deployment_model, read_grants, variant_model
from .rollout import (
    RollbackAlarm,
    RolloutAlarms,
    deployment_config,
    describe_alarms_statement,
    rollback_alarms,
)
from .scale_to_zero import BacklogScaling
from .variants import (
    PRIMARY_MODEL,
    VariantPlan,
    production_variant,
    production_variant_args,
    shadow_variant_args,
    variant_plans,
)

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
    """Models served by a SageMaker endpoint, with their execution role, autoscaling, alarms and dashboard.

    Args:
        name: component name; children are named ``{name}-model``, ``{name}-config``, ``{name}-endpoint``...
        config: the validated deployment (``cloud: aws``); build one with ``DeploymentConfig(...)``.
        extra_tags: tags added to the standard ones (project, stack, deployment, managed-by).
        opts: options of the component; children inherit providers and protection through ``parent``.

    Outputs:
        endpoint_name, endpoint_arn, variant_name, invoke_url, model_name, endpoint_config_name,
        execution_role_arn, instance_type, dashboard_name, dashboard_url; with several variants
        variant_names; async deployments: output_bucket, input_location, output_location, failure_location,
        and with notifications success_topic_arn, error_topic_arn; with rollback alarms rollback_alarm_names.
    """

    endpoint_name: pulumi.Output[str]
    endpoint_arn: pulumi.Output[str]
    variant_name: pulumi.Output[str]
    invoke_url: pulumi.Output[str]
    model_name: pulumi.Output[str]
    endpoint_config_name: pulumi.Output[str]
    execution_role_arn: pulumi.Output[str]
    instance_type: pulumi.Output[str]
    dashboard_name: pulumi.Output[str]
    dashboard_url: pulumi.Output[str]
    async_output: AsyncOutput | None
    rollback_alarm_names: pulumi.Output[list[str]] | None

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
        project, stack = pulumi.get_project(), pulumi.get_stack()
        tags = standard_tags(project, stack, config.name, {**config.tags, **(extra_tags or {})})
        options = config.sagemaker
        plans = variant_plans(config)
        production = [plan for plan in plans if not plan.shadow]
        model_data = {PRIMARY_MODEL: deployment_model(config)}
        for variant in (*options.variants, *([options.shadow] if options.shadow else [])):
            if variant.own_model:
                model_data[variant.name] = variant_model(config, variant)
        alarms = (
            rollback_alarms(config.rollout, project, stack, config.name, [plan.name for plan in production])
            if config.rollout is not None
            else []
        )

        invoke_opts = pulumi.InvokeOutputOptions(parent=self)
        partition = aws.get_partition_output(opts=invoke_opts).partition
        region = aws.get_region_output(opts=invoke_opts).region
        account = aws.get_caller_identity_output(opts=invoke_opts).account_id

        self.async_output = (
            AsyncOutput(f"{name}-async", config.async_inference, tags, opts=child) if config.async_inference else None
        )
        if options.execution_role_arn:
            role_arn: pulumi.Output[str] = pulumi.Output.from_input(options.execution_role_arn)
        else:
            grants = pulumi.Output.all(partition, region, account, *self._async_values()).apply(
                lambda values: self._grants(
                    values[0], values[1], values[2], list(model_data.values()), alarms, values[3:]
                )
            )
            role_arn = ExecutionRole(f"{name}-execution", grants, tags, opts=child).arn

        # Models and configurations are retained on delete: the endpoint lifecycle retires them only after the
        # endpoint was verified on their successors (see components.aws.endpoint_lifecycle.declare).
        retained = pulumi.ResourceOptions(parent=self, retain_on_delete=True)
        models = {
            key: declare_model(
                f"{name}-model" if key == PRIMARY_MODEL else f"{name}-{key}-model",
                data,
                role_arn,
                options,
                tags,
                retained,
            )
            for key, data in model_data.items()
        }
        endpoint_config = aws.sagemaker.EndpointConfiguration(
            f"{name}-config",
            name_prefix=f"{config.name}-",
            production_variants=[self._variant(plan, models) for plan in production],
            shadow_production_variants=[self._variant(plan, models) for plan in plans if plan.shadow] or None,
            async_inference_config=self._async_config(),
            kms_key_arn=options.kms_key,
            tags=tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                retain_on_delete=True,
                ignore_changes=initial_count_ignores(
                    [plan.scaling.autoscaled for plan in production],
                    [plan.scaling.autoscaled for plan in plans if plan.shadow],
                )
                or None,
            ),
        )
        # The endpoint's name holder (as in every release so far) and the lifecycle that rolls it over
        # (components.aws.endpoint_lifecycle). Alarm names are fixed strings: the alarms follow the name holder and
        # come before the roll-over, which the scalable targets follow (see .endpoint_lifecycle.declare).
        endpoint = declare_name_holder(name, endpoint_config, tags, self)
        rollout_alarms = (
            RolloutAlarms(f"{name}-rollback", endpoint, config.rollout, alarms, tags, opts=child)
            if config.rollout is not None and alarms
            else None
        )
        lifecycle = declare_lifecycle(
            name,
            holder=endpoint,
            endpoint_config=endpoint_config,
            region=region,
            deployment_config=(
                deployment_config(config.rollout, [alarm.name for alarm in alarms])
                if config.rollout is not None
                else None
            ),
            rollout=config.rollout,
            parent=self,
            after=[rollout_alarms] if rollout_alarms is not None else [],
        )
        self._declare_scaling(name, endpoint, lifecycle, plans, tags)
        self.rollback_alarm_names = rollout_alarms.alarm_names if rollout_alarms is not None else None
        board = declare_dashboard(
            f"{name}-dashboard",
            dashboard_name(project, stack, config.name),
            region,
            endpoint.name,
            [DashboardVariant(plan.name, plan.gpus) for plan in plans],
            config.is_async,
            child,
        )

        self.endpoint_name = endpoint.name
        self.endpoint_arn = endpoint.arn
        self.variant_name = pulumi.Output.from_input(options.variant_name)
        self.variant_names = [plan.name for plan in plans]
        self.invoke_url = pulumi.Output.all(region, endpoint.name).apply(
            lambda values: invoke_url(values[0], values[1], config.is_async)
        )
        self.model_name = models[PRIMARY_MODEL].name
        self.endpoint_config_name = endpoint_config.name
        self.execution_role_arn = role_arn
        self.instance_type = pulumi.Output.from_input(plans[0].instance_type)
        self.dashboard_name = board.dashboard_name
        self.dashboard_url = pulumi.Output.all(region, board.dashboard_name).apply(
            lambda values: dashboard_url(values[0], values[1])
        )
        self.register_outputs(self.outputs())

    def outputs(self) -> dict[str, pulumi.Output[Any]]:
        """The component's outputs by name, as exported for the stack."""
        outputs: dict[str, pulumi.Output[Any]] = {
            "cloud": pulumi.Output.from_input("aws"),
            "endpoint_name": self.endpoint_name,
            "endpoint_arn": self.endpoint_arn,
            "variant_name": self.variant_name,
            "invoke_url": self.invoke_url,
            "model_name": self.model_name,
            "endpoint_config_name": self.endpoint_config_name,
            "execution_role_arn": self.execution_role_arn,
            "instance_type": self.instance_type,
            "dashboard_name": self.dashboard_name,
            "dashboard_url": self.dashboard_url,
        }
        if len(self.variant_names) > 1:
            outputs["variant_names"] = pulumi.Output.from_input(self.variant_names)
        output = self.async_output
        if output is not None:
            outputs["output_bucket"] = output.bucket_name
            outputs["input_location"] = output.input_location
            outputs["output_location"] = output.output_location
            outputs["failure_location"] = output.failure_location
            if output.success_topic_arn is not None and output.error_topic_arn is not None:
                outputs["success_topic_arn"] = output.success_topic_arn
                outputs["error_topic_arn"] = output.error_topic_arn
        if self.rollback_alarm_names is not None:
            outputs["rollback_alarm_names"] = self.rollback_alarm_names
        return outputs

    def _async_values(self) -> list[pulumi.Input[str] | None]:
        """``[bucket name, success topic ARN, error topic ARN]`` of the async output; empty when real-time."""
        output = self.async_output
        if output is None:
            return []
        return [output.bucket_name, output.success_topic_arn, output.error_topic_arn]

    def _async_config(self) -> pulumi.Output[Any] | None:
        options = self._config.async_inference
        if self.async_output is None or options is None:
            return None
        return pulumi.Output.all(*self._async_values()).apply(
            lambda values: async_inference_args(async_inference_config(options, *values))
        )

    def _variant(self, plan: VariantPlan, models: Mapping[str, aws.sagemaker.Model]) -> Any:
        # The model name stays an output inside the arguments, so a preview shows the rest of the variant.
        variant = {**production_variant(plan, "", self._config), "ModelName": models[plan.model_key].name}
        return shadow_variant_args(variant) if plan.shadow else production_variant_args(variant)

    def _declare_scaling(
        self,
        name: str,
        endpoint: aws.sagemaker.Endpoint,
        lifecycle: pulumi.Resource,
        plans: Sequence[VariantPlan],
        tags: Mapping[str, str],
    ) -> None:
        """A scalable target and policy per variant that scales; the backlog policies of async endpoints."""
        child = pulumi.ResourceOptions(parent=self)
        for index, plan in enumerate(plans):
            scaling = plan.scaling
            if not (scaling.autoscaled or scaling.schedules):
                continue
            backlog = scaling.metric == "backlog"
            autoscaling = VariantAutoscaling(
                f"{name}-scaling" if index == 0 else f"{name}-{plan.name}-scaling",
                endpoint=endpoint,
                variant_name=plan.name,
                scaling=scaling,
                shape=VariantShape(vcpus=vcpus_of(plan.instance_type), gpus=plan.gpus),
                track_metric=not backlog,
                after=[lifecycle],
                opts=child,
            )
            if backlog and self._config.async_inference is not None:
                BacklogScaling(
                    f"{name}-backlog-scaling",
                    endpoint=endpoint,
                    target=autoscaling.target,
                    scaling=scaling,
                    from_zero_minutes=self._config.async_inference.scale_from_zero_after_minutes,
                    tags=tags,
                    opts=child,
                )

    def _grants(
        self,
        partition: str,
        region: str,
        account: str,
        models: Sequence[Mapping[str, Any]],
        alarms: Sequence[RollbackAlarm],
        async_values: Sequence[str | None],
    ) -> ExecutionGrants:
        """What the execution role may touch: images, artifacts, keys, async bucket and topics, rollback alarms."""
        config = self._config
        async_key = config.async_inference.kms_key if config.async_inference else None
        keys = {key for key in (config.sagemaker.kms_key, async_key) if key and key.startswith("arn:")}
        reads = read_grants(models)
        statements: list[dict[str, Any]] = []
        if async_values and async_values[0]:
            topics = [arn for arn in async_values[1:] if arn]
            statements += execution_statements(partition, async_values[0], topics)
        if alarms:
            statements.append(describe_alarms_statement(partition, region, account, alarms))
        return ExecutionGrants(
            partition=partition,
            region=region,
            account=account,
            ecr_repository_arn=ecr_repository_arn(partition, config.image),
            extra_ecr_repository_arns=sorted({ecr_repository_arn(partition, image) for image in reads.images}),
            artifact_object_arns=[s3_object_arn(partition, uri) for uri in reads.objects],
            artifact_prefixes=[_bucket_and_prefix(uri) for uri in reads.prefixes],
            kms_key_arns=sorted(keys),
            vpc=config.sagemaker.vpc is not None,
            extra_statements=statements,
        )


def _bucket_and_prefix(uri: str) -> tuple[str, str]:
    """``s3://bucket/models/`` -> ``("bucket", "models/")``."""
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    return bucket, prefix
