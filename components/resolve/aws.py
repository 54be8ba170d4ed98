"""A validated SageMaker deployment, resolved: every default and derived value decided once.

:func:`resolve_sagemaker` turns a validated ``DeploymentConfig`` (``cloud: aws``) into a frozen
:class:`ResolvedSageMaker`: the instance type of each variant (explicit, the GPU catalog's choice, or the CPU
default), its GPUs and vCPUs, the initial instance count, the scaling target in the unit SageMaker tracks (a
per-device CPU / GPU percentage multiplied by the instance's vCPUs / GPUs), the rollback alarm names, the tags
and the fixed names. The SageMaker components wire resources from it and never re-derive these values.

Imports nothing heavy (no Pulumi), so the plan, the policies and a simulator can resolve without a runtime.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import accelerators
from ..config.sagemaker_serving import gpus_of
from ..facts import aws as facts
from ..tags import standard_tags
from .names import PRIMARY_MODEL, dashboard_name, fixed_name, rollback_alarm_name

__all__ = [
    "PRIMARY_MODEL",
    "auto_name_problems",
    "dashboard_name",
    "fixed_name",
    "gpus_of",
    "instance_type",
    "resolve_models",
    "resolve_sagemaker",
    "resolve_scaling",
    "resolve_variants",
    "rollback_alarm_name",
]

if TYPE_CHECKING:
    from ..config import (
        AsyncOptions,
        DeploymentConfig,
        RolloutConfig,
        ScalingConfig,
        ScheduledScaling,
        VariantSpec,
        VpcOptions,
    )


@dataclass(frozen=True)
class ResolvedScaling:
    """The instances and autoscaling of one variant, with its target in SageMaker's unit.

    Attributes:
        min, max: the scalable target's bounds (min may be 0 on async endpoints).
        metric: the neutral metric tracked, None without target tracking.
        target: the per-instance target as the stack file means it (per device for cpu / gpu), None without metric.
        target_value: ``TargetValue`` of the policy: ``target`` x vCPUs (cpu) or x GPUs (gpu), since SageMaker
            reports utilisation summed over the devices; equal to ``target`` for the other metrics.
        scale_in_cooldown, scale_out_cooldown, disable_scale_in: the policy's settings.
        schedules: scheduled changes of the bounds.
    """

    min: int
    max: int
    metric: str | None
    target: float | None
    target_value: float | None
    scale_in_cooldown: int
    scale_out_cooldown: int
    disable_scale_in: bool
    schedules: tuple[ScheduledScaling, ...]

    @property
    def autoscaled(self) -> bool:
        """True when the bounds leave room to scale, so a policy is declared."""
        return self.max > self.min

    @property
    def from_zero_cooldown(self) -> int:
        """``Cooldown`` of the scale-from-zero step policy: ``scale_out_cooldown``, at least
        :data:`components.facts.aws.ASYNC_SCALE_FROM_ZERO_MIN_COOLDOWN` (longer than an instance's start)."""
        return max(self.scale_out_cooldown, facts.ASYNC_SCALE_FROM_ZERO_MIN_COOLDOWN)

    @property
    def initial_instance_count(self) -> int:
        """``max(1, min)``: SageMaker creates a variant with at least one instance; the scalable target keeps min."""
        return max(1, self.min)


@dataclass(frozen=True)
class ResolvedVariant:
    """One production variant (or the shadow) as declared.

    Attributes:
        name: VariantName. weight: InitialVariantWeight. instance_type: its SageMaker instance type.
        gpus, vcpus: per instance. scaling: its bounds and policy.
        model_key: ``""`` for the deployment's model, else the variant's name (a model of its own).
        shadow: True for the shadow variant.
    """

    name: str
    weight: float
    instance_type: str
    gpus: int
    vcpus: int
    scaling: ResolvedScaling
    model_key: str = PRIMARY_MODEL
    shadow: bool = False
    model_data_download_timeout: int | None = None
    startup_health_check_timeout: int | None = None

    @property
    def initial_instance_count(self) -> int:
        """``max(1, scaling.min)``."""
        return self.scaling.initial_instance_count


@dataclass(frozen=True)
class ResolvedContainer:
    """One container of a model: image, artifacts (an archive, or a prefix for multi-model), environment."""

    image: str
    artifacts: str | None
    environment: tuple[tuple[str, str], ...] = ()
    hostname: str | None = None
    secret_names: frozenset[str] = frozenset()
    """Environment names whose values the stack file holds as Pulumi secrets (``secure:``)."""


@dataclass(frozen=True)
class ResolvedModel:
    """A SageMaker model of the deployment.

    Attributes:
        key: ``""`` for the deployment's own model, else the name of the variant that has its own.
        containers: one, or several in order (multi-container).
        container_mode: ``serial`` / ``direct`` for several containers, None for one.
        multi_model_cache: for a multi-model container, whether loaded models stay cached; None otherwise.
    """

    key: str
    containers: tuple[ResolvedContainer, ...]
    container_mode: str | None = None
    multi_model_cache: bool | None = None


@dataclass(frozen=True)
class RollbackAlarm:
    """One rollback alarm to declare: the variant it watches, its kind and its fixed name."""

    variant: str
    kind: str
    name: str


@dataclass(frozen=True)
class ResolvedSageMaker:
    """A SageMaker deployment with every value decided (see the module docstring).

    Attributes:
        name: the deployment's name. instance_type, gpus, vcpus: of the primary variant.
        variants: the primary variant, the other production variants, then the shadow.
        models: the deployment's own model first, then the variants' own models.
        rollback_alarms: alarms the rollout declares, with their fixed names.
        tags: the standard tags plus the user's, in order (standard first).
        dashboard_name: the CloudWatch dashboard's fixed name.
        endpoint_config_name_prefix: ``name_prefix`` of the endpoint configurations.
        endpoint_kms_key: ``KmsKeyId`` of the endpoint configuration (None when not set).
        artifacts_kms_key: key of SSE-KMS-encrypted artifacts (None when not set).
        execution_role_arn: the user's own execution role, None to create one.
        network_isolation, vpc: network placement of the containers.
        async_inference: the async options (None for real-time). rollout: the rollout settings (None: none).
    """

    name: str
    instance_type: str
    gpus: int
    vcpus: int
    variants: tuple[ResolvedVariant, ...]
    rollback_alarms: tuple[RollbackAlarm, ...]
    tags: tuple[tuple[str, str], ...]
    dashboard_name: str
    endpoint_config_name_prefix: str
    endpoint_kms_key: str | None
    models: tuple[ResolvedModel, ...] = ()
    artifacts_kms_key: str | None = None
    execution_role_arn: str | None = None
    network_isolation: bool = False
    vpc: VpcOptions | None = None
    async_inference: AsyncOptions | None = None
    rollout: RolloutConfig | None = None

    @property
    def is_async(self) -> bool:
        """True for asynchronous inference."""
        return self.async_inference is not None

    @property
    def variant_name(self) -> str:
        """The primary variant's name."""
        return self.variants[0].name

    @property
    def production_variants(self) -> tuple[ResolvedVariant, ...]:
        """The variants that take traffic (not the shadow)."""
        return tuple(variant for variant in self.variants if not variant.shadow)

    @property
    def tag_map(self) -> dict[str, str]:
        """The tags as a new mapping."""
        return dict(self.tags)


def instance_type(config: DeploymentConfig) -> str:
    """The SageMaker instance type: the explicit override, the catalog's choice for the GPU, or the CPU default."""
    if config.instance_type is not None:
        return config.instance_type
    if config.accelerator is not None:
        return accelerators.sagemaker_instance_type(config.accelerator.type, config.accelerator.count)
    return accelerators.DEFAULT_SAGEMAKER_CPU_INSTANCE


def resolve_scaling(scaling: ScalingConfig, gpus: int, vcpus: int) -> ResolvedScaling:
    """Bounds and target of a variant; cpu / gpu targets multiplied by the instance's vCPUs / GPUs."""
    target = scaling.target_for("aws")
    value = target
    tracked = facts.SCALING_METRICS.get(scaling.metric or "")
    if target is not None and tracked is not None and tracked.per_device is not None:
        devices = gpus if tracked.per_device == "gpu" else vcpus
        value = float(target) * max(devices, 1)
    return ResolvedScaling(
        min=scaling.min,
        max=scaling.max,
        metric=scaling.metric,
        target=target,
        target_value=None if value is None else float(value),
        scale_in_cooldown=scaling.scale_in_cooldown,
        scale_out_cooldown=scaling.scale_out_cooldown,
        disable_scale_in=scaling.disable_scale_in,
        schedules=tuple(scaling.schedules),
    )


def resolve_variants(config: DeploymentConfig) -> tuple[ResolvedVariant, ...]:
    """The primary variant (``sagemaker.variant_name``), then ``sagemaker.variants``, then ``sagemaker.shadow``;
    keys a variant leaves out take the deployment's values."""
    options = config.sagemaker
    primary_type = instance_type(config)
    primary_gpus = gpus_of(primary_type, config.accelerator.count if config.accelerator else None)

    def variant(
        name: str,
        weight: float,
        type_: str,
        gpus: int,
        scaling: ScalingConfig,
        key: str = PRIMARY_MODEL,
        shadow: bool = False,
    ) -> ResolvedVariant:
        vcpus = facts.vcpus_of(type_)
        return ResolvedVariant(
            name,
            float(weight),
            type_,
            gpus,
            vcpus,
            resolve_scaling(scaling, gpus, vcpus),
            key,
            shadow,
            options.model_data_download_timeout,
            options.startup_health_check_timeout,
        )

    resolved = [variant(options.variant_name, options.variant_weight, primary_type, primary_gpus, config.scaling)]
    others = [(spec, False) for spec in options.variants]
    if options.shadow is not None:
        others.append((options.shadow, True))
    for spec, shadow in others:
        own_type = spec.instance_type
        resolved.append(
            variant(
                spec.name,
                spec.weight,
                own_type or primary_type,
                gpus_of(own_type) if own_type else primary_gpus,
                spec.scaling,
                key=spec.name if spec.own_model else PRIMARY_MODEL,
                shadow=shadow,
            )
        )
    return tuple(resolved)


def _container(
    image: str,
    artifacts: str | None,
    environment: Mapping[str, str],
    hostname: str | None = None,
    secret_names: frozenset[str] = frozenset(),
) -> ResolvedContainer:
    return ResolvedContainer(image, artifacts, tuple(environment.items()), hostname, secret_names)


def resolve_models(config: DeploymentConfig) -> tuple[ResolvedModel, ...]:
    """The deployment's own model (its containers, multi-model settings), then one per variant that changes the
    image, artifacts or environment (other keys: the deployment's)."""
    options = config.sagemaker
    cache = options.multi_model.model_cache if options.multi_model is not None else None
    if options.containers:
        own = ResolvedModel(
            PRIMARY_MODEL,
            (
                _container(config.image, config.artifacts, config.environment, config.name, config.secret_environment),
                *(
                    _container(c.image, c.artifacts, c.environment, c.hostname, c.secret_environment)
                    for c in options.containers
                ),
            ),
            container_mode=options.container_mode,
        )
    else:
        own = ResolvedModel(
            PRIMARY_MODEL,
            (_container(config.image, config.artifacts, config.environment, secret_names=config.secret_environment),),
            multi_model_cache=cache,
        )
    specs: list[VariantSpec] = [*options.variants, *([options.shadow] if options.shadow else [])]
    models = [own]
    for spec in specs:
        if spec.own_model:
            environment, secret = (
                (config.environment, config.secret_environment)
                if spec.environment is None
                else (spec.environment, spec.secret_environment)
            )
            container = _container(
                spec.image or config.image, spec.artifacts or config.artifacts, environment, secret_names=secret
            )
            models.append(ResolvedModel(spec.name, (container,), multi_model_cache=cache))
    return tuple(models)


def rollback_alarms(
    rollout: RolloutConfig, project: str, stack: str, deployment: str, variants: Sequence[str]
) -> tuple[RollbackAlarm, ...]:
    """The alarms a rollout needs: 5xx errors (and p99 latency when set) on every production variant."""
    if rollout.rollback is None:
        return ()
    kinds = ["invocation-5xx"]
    if rollout.rollback.max_p99_latency_ms is not None:
        kinds.append("model-latency-p99")
    return tuple(
        RollbackAlarm(variant, kind, rollback_alarm_name(project, stack, deployment, variant, kind))
        for variant in variants
        for kind in kinds
    )


def auto_name_problems(component_name: str, resolved: ResolvedSageMaker) -> list[str]:
    """SageMaker auto-names a component named ``component_name`` would exceed 63 characters with (Pulumi appends
    ``-`` and 7 characters to ``{name}-endpoint``, ``{name}-model`` and ``{name}-{variant}-model``)."""
    names = [f"{component_name}-endpoint"]
    names += [
        f"{component_name}-model" if m.key == PRIMARY_MODEL else f"{component_name}-{m.key}-model"
        for m in resolved.models
    ]
    problems = []
    for name in names:
        length = len(name) + facts.AUTO_NAME_SUFFIX
        if length > facts.SAGEMAKER_NAME_MAX:
            problems.append(
                f"'{name}-' plus 7 characters is {length} characters; SageMaker names have at most "
                f"{facts.SAGEMAKER_NAME_MAX}: use a shorter component name"
            )
    return problems


def resolve_sagemaker(
    config: DeploymentConfig, project: str, stack: str, extra_tags: Mapping[str, str] | None = None
) -> ResolvedSageMaker:
    """Resolve a validated ``cloud: aws`` deployment of ``project`` / ``stack``."""
    if config.cloud != "aws":
        raise ValueError(f"deployment {config.name} is for cloud {config.cloud}; use the component of that cloud")
    variants = resolve_variants(config)
    primary = variants[0]
    production = [variant.name for variant in variants if not variant.shadow]
    alarms = rollback_alarms(config.rollout, project, stack, config.name, production) if config.rollout else ()
    tags = standard_tags(project, stack, config.name, {**config.tags, **(extra_tags or {})})
    options = config.sagemaker
    return ResolvedSageMaker(
        name=config.name,
        instance_type=primary.instance_type,
        gpus=primary.gpus,
        vcpus=primary.vcpus,
        variants=variants,
        rollback_alarms=alarms,
        tags=tuple(tags.items()),
        dashboard_name=dashboard_name(project, stack, config.name),
        endpoint_config_name_prefix=f"{config.name}-",
        endpoint_kms_key=options.kms_key,
        models=resolve_models(config),
        artifacts_kms_key=options.artifacts_kms_key,
        execution_role_arn=options.execution_role_arn,
        network_isolation=options.network_isolation,
        vpc=options.vpc,
        async_inference=config.async_inference,
        rollout=config.rollout,
    )
