"""`SageMakerDeployment`: one or more models behind a SageMaker endpoint, with autoscaling and monitoring.

Children (auto-named unless said otherwise, so a replacement is created before the old one is deleted):
execution role -> model(s) -> endpoint configuration -> endpoint (name holder) -> rollback alarms -> endpoint
lifecycle (the roll-over, :mod:`.endpoint_lifecycle`) -> autoscaling per variant; for async deployments an output bucket and notification topics (:mod:`.async_output`) and the backlog
scaling to and from zero (:mod:`.scale_to_zero`); with ``rollout:`` the rollback alarms (:mod:`.rollout`, fixed
names, see there why); a CloudWatch dashboard (:mod:`.dashboard`, fixed name: the provider requires one).

SageMaker endpoint configurations are immutable. Any change of a model, an instance type, the counts, the async
settings or the encryption key produces a new model and/or a new endpoint configuration; the endpoint lifecycle
then rolls the endpoint over to it (SageMaker shifts traffic to the new fleet without downtime, as ``rollout:``
says), checks that SageMaker did not roll back, and only then deletes the old configuration and the models only it
served (configurations and models are retained on delete by Pulumi; see :mod:`.endpoint_lifecycle.declare`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from ..config import DeploymentConfig
from ..resolve.aws import (
    PRIMARY_MODEL,
    ResolvedSageMaker,
    ResolvedVariant,
    RollbackAlarm,
    auto_name_problems,
    resolve_sagemaker,
    resolve_scaling,
)
from ..resolve.names import backlog_scaling_resource_name, model_resource_name, scaling_resource_name
from .async_output import AsyncOutput, async_inference_config, async_inference_inputs, execution_statements
from .autoscaling import VariantAutoscaling
from .caller import caller_context
from .dashboard import DashboardVariant, dashboard_url, declare_dashboard
from .endpoint_lifecycle.declare import declare_lifecycle, declare_name_holder, initial_count_ignores
from .iam import ExecutionGrants, ExecutionRole, ecr_repository_arn, s3_object_arn
from .models import declare_model, model_request, read_grants
from .provider_inputs import provider_inputs
from .rollout import RolloutAlarms, describe_alarms_statement, rollout_policy
from .scale_to_zero import BacklogScaling
from .variants import production_variant

TYPE_TOKEN = "ml-serving:aws:SageMakerDeployment"


def initial_instance_count(config: DeploymentConfig) -> int:
    """Instances the endpoint configuration starts with: ``max(1, scaling.min)``.

    SageMaker needs at least one instance to create an endpoint; an async endpoint with ``min: 0`` then scales
    to zero through its autoscaling (the configured min is never replaced by this count).
    """
    return resolve_scaling(config.scaling, gpus=0, vcpus=0).initial_instance_count


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
        resolved = resolve_sagemaker(config, pulumi.get_project(), pulumi.get_stack(), extra_tags)
        too_long = auto_name_problems(name, resolved)
        if too_long:
            raise ValueError(f"SageMakerDeployment {name}: " + "; ".join(too_long))
        self._resolved: ResolvedSageMaker = resolved
        child = pulumi.ResourceOptions(parent=self)
        tags = resolved.tag_map
        variants = resolved.variants
        model_data = {model.key: model_request(model) for model in resolved.models}
        alarms = resolved.rollback_alarms

        caller = caller_context(self)
        partition, region, account = caller.partition, caller.region, caller.account

        options = resolved.async_inference
        self.async_output = AsyncOutput(f"{name}-async", options, tags, opts=child) if options else None
        if resolved.execution_role_arn:
            role_arn: pulumi.Output[str] = pulumi.Output.from_input(resolved.execution_role_arn)
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
                model_resource_name(name, key),
                data,
                role_arn,
                resolved,
                tags,
                retained,
            )
            for key, data in model_data.items()
        }
        endpoint_config = aws.sagemaker.EndpointConfiguration(
            f"{name}-config",
            name_prefix=resolved.endpoint_config_name_prefix,
            production_variants=[self._variant(v, models) for v in resolved.production_variants],
            shadow_production_variants=[self._variant(v, models) for v in variants if v.shadow] or None,
            async_inference_config=self._async_config(),
            kms_key_arn=resolved.endpoint_kms_key,
            tags=tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                retain_on_delete=True,
                ignore_changes=initial_count_ignores(
                    [v.scaling.autoscaled for v in resolved.production_variants],
                    [v.scaling.autoscaled for v in variants if v.shadow],
                )
                or None,
            ),
        )
        endpoint, lifecycle = self._declare_endpoint(name, endpoint_config, region)
        self._declare_scaling(name, endpoint, lifecycle, variants, tags)
        board = declare_dashboard(
            f"{name}-dashboard",
            resolved.dashboard_name,
            region,
            endpoint.name,
            [DashboardVariant(v.name, v.gpus) for v in variants],
            resolved.is_async,
            child,
        )

        self.endpoint_name = endpoint.name
        self.endpoint_arn = endpoint.arn
        self.variant_name = pulumi.Output.from_input(resolved.variant_name)
        self.variant_names = [v.name for v in variants]
        self.invoke_url = pulumi.Output.all(region, endpoint.name).apply(
            lambda values: invoke_url(values[0], values[1], resolved.is_async)
        )
        self.model_name = models[PRIMARY_MODEL].name
        self.endpoint_config_name = endpoint_config.name
        self.execution_role_arn = role_arn
        self.instance_type = pulumi.Output.from_input(resolved.instance_type)
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
        options = self._resolved.async_inference
        if self.async_output is None or options is None:
            return None
        return pulumi.Output.all(*self._async_values()).apply(
            lambda values: async_inference_inputs(async_inference_config(options, *values))
        )

    def _declare_endpoint(
        self, name: str, endpoint_config: aws.sagemaker.EndpointConfiguration, region: pulumi.Input[str]
    ) -> tuple[aws.sagemaker.Endpoint, pulumi.Resource]:
        """The endpoint serving ``endpoint_config``: its name holder (``{name}-endpoint``, as in every release so
        far), the rollback alarms, and the lifecycle that rolls it over (:mod:`.endpoint_lifecycle`). Alarm names
        are fixed strings: the alarms follow the name holder and come before the roll-over (see .rollout); the
        scalable targets follow the roll-over. Sets ``rollback_alarm_names``."""
        resolved = self._resolved
        rollout, alarms = resolved.rollout, resolved.rollback_alarms
        holder = declare_name_holder(name, endpoint_config, resolved.tag_map, self)
        rollout_alarms = (
            RolloutAlarms(
                f"{name}-rollback", holder, rollout, alarms, resolved.tag_map, opts=pulumi.ResourceOptions(parent=self)
            )
            if rollout is not None and alarms
            else None
        )
        self.rollback_alarm_names = rollout_alarms.alarm_names if rollout_alarms is not None else None
        lifecycle = declare_lifecycle(
            name,
            holder=holder,
            endpoint_config=endpoint_config,
            region=region,
            deployment_config=rollout_policy(rollout, [alarm.name for alarm in alarms]) if rollout else None,
            rollout=rollout,
            parent=self,
            after=[rollout_alarms] if rollout_alarms is not None else [],
        )
        return holder, lifecycle

    def _variant(self, variant: ResolvedVariant, models: Mapping[str, aws.sagemaker.Model]) -> Any:
        # The model name stays an output inside the inputs, so a preview shows the rest of the variant.
        return provider_inputs(production_variant(variant, models[variant.model_key].name))

    def _declare_scaling(
        self,
        name: str,
        endpoint: aws.sagemaker.Endpoint,
        lifecycle: pulumi.Resource,
        variants: Sequence[ResolvedVariant],
        tags: Mapping[str, str],
    ) -> None:
        """A scalable target and policy per variant that scales; the backlog policies of async endpoints."""
        child = pulumi.ResourceOptions(parent=self)
        for index, variant in enumerate(variants):
            scaling = variant.scaling
            if not (scaling.autoscaled or scaling.schedules):
                continue
            backlog = scaling.metric == "backlog"
            autoscaling = VariantAutoscaling(
                scaling_resource_name(name, None if index == 0 else variant.name),
                endpoint=endpoint,
                variant_name=variant.name,
                scaling=scaling,
                track_metric=not backlog,
                after=[lifecycle],
                opts=child,
            )
            if backlog and self._resolved.async_inference is not None:
                BacklogScaling(
                    backlog_scaling_resource_name(name),
                    endpoint=endpoint,
                    target=autoscaling.target,
                    scaling=scaling,
                    from_zero_minutes=self._resolved.async_inference.scale_from_zero_after_minutes,
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
        resolved = self._resolved
        async_key = resolved.async_inference.kms_key if resolved.async_inference else None
        volume_key = resolved.endpoint_kms_key
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
            ecr_repository_arn=ecr_repository_arn(partition, resolved.models[0].containers[0].image),
            extra_ecr_repository_arns=sorted({ecr_repository_arn(partition, image) for image in reads.images}),
            artifact_object_arns=[s3_object_arn(partition, uri) for uri in reads.objects],
            artifact_prefixes=[_bucket_and_prefix(uri) for uri in reads.prefixes],
            kms_key_arns=[volume_key] if volume_key else [],
            artifact_kms_key_arns=[resolved.artifacts_kms_key] if resolved.artifacts_kms_key else [],
            output_kms_key_arns=[async_key] if async_key else [],
            vpc=resolved.vpc is not None,
            extra_statements=statements,
        )


def _bucket_and_prefix(uri: str) -> tuple[str, str]:
    """``s3://bucket/models/`` -> ``("bucket", "models/")``."""
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    return bucket, prefix
