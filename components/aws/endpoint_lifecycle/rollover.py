"""Bring a live SageMaker endpoint onto the requested endpoint configuration, and check that it got there.

:func:`converge` is the whole update: wait for the endpoint to settle; nothing to do when it already serves the
requested configuration (a change of ``deployment_config`` alone applies to the next roll-over: SageMaker reads
it only during an ``UpdateEndpoint``); hold aside the autoscaling of variants whose instance type changes or
which disappear (:mod:`.scaling_hold`); ``UpdateEndpoint`` with ``RetainAllVariantProperties`` (live instance
counts and weights survive the roll-over) and the rollout's ``DeploymentConfig``; wait through Updating /
RollingBack; put the autoscaling back on every variant that is live; fail unless the endpoint is InService on the
requested configuration - with a message that names the endpoint and what SageMaker reported; and only then
delete the configuration it left and the models only that one served (:func:`retire`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ...facts.endpoint_updates import ENDPOINT_IN_SERVICE
from .errors import EndpointUpdateError, aws_message
from .scaling_hold import HeldTarget, read_targets, registered_variants, release, repoint_alarms, restore
from .waiter import Clock, Sleep, WaitPolicy, call_with_backoff, wait_until_settled


@dataclass(frozen=True)
class UpdateRequest:
    """What the endpoint should serve.

    Attributes:
        endpoint_name: the live endpoint (created by the ``aws.sagemaker.Endpoint`` that holds its name).
        endpoint_config_name: the configuration it should serve.
        deployment_config: the ``DeploymentConfig`` (SageMaker API names) of the roll-over, or ``None`` for
            SageMaker's default (blue/green, all at once).
        retain_all_variant_properties: keep live instance counts and weights across the roll-over.
        retire_previous: after a verified roll-over, delete the configuration left and its models that the new
            one does not serve (:func:`retire`).
    """

    endpoint_name: str
    endpoint_config_name: str
    deployment_config: Mapping[str, Any] | None = None
    retain_all_variant_properties: bool = True
    retire_previous: bool = True


@dataclass(frozen=True)
class UpdateOutcome:
    """What :func:`converge` did: the final description, whether it rolled over, the targets held aside."""

    described: dict[str, Any]
    rolled_over: bool
    held: tuple[HeldTarget, ...] = ()
    retired: tuple[str, ...] = ()
    """Configuration and models deleted after the successful roll-over."""
    failures: tuple[str, ...] = ()
    """What could not be deleted (left behind, unused)."""


def describe_config(
    sagemaker: Any, config_name: str, policy: WaitPolicy, sleep: Sleep = time.sleep, clock: Clock = time.monotonic
) -> dict[str, Any]:
    """``DescribeEndpointConfig``."""
    return dict(
        call_with_backoff(
            lambda: sagemaker.describe_endpoint_config(EndpointConfigName=config_name), policy, sleep, clock
        )
    )


def production_variants(described: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{variant: ProductionVariant}`` of a described endpoint configuration, shadow variants included (they
    have instance types, counts and scalable targets too; variant names are unique across both lists)."""
    variants = [*described.get("ProductionVariants", []), *described.get("ShadowProductionVariants", [])]
    return {str(v["VariantName"]): dict(v) for v in variants}


def model_names(described: Mapping[str, Any]) -> set[str]:
    """Models an endpoint configuration serves (production and shadow variants)."""
    variants = [*described.get("ProductionVariants", []), *described.get("ShadowProductionVariants", [])]
    return {str(v["ModelName"]) for v in variants if v.get("ModelName")}


def retire(sagemaker: Any, old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """Delete the configuration the endpoint just left, and its models the new one does not serve.

    Called only after the endpoint was verified InService on the new configuration: the deployment declares
    configurations and models with ``retain_on_delete``, so Pulumi never deletes one the endpoint may still
    use (see :mod:`.declare`). Returns (deleted names, failures); a failure to delete leaves an unused object
    behind and does not fail the update that succeeded.
    """
    deleted, failures = [], []
    calls = [("endpoint configuration", "delete_endpoint_config", "EndpointConfigName", old["EndpointConfigName"])]
    calls += [("model", "delete_model", "ModelName", m) for m in sorted(model_names(old) - model_names(new))]
    for kind, method, key, value in calls:
        try:
            getattr(sagemaker, method)(**{key: value})
            deleted.append(str(value))
        except ClientError as error:
            message = aws_message(error)
            if "Could not find" not in message:
                failures.append(f"{kind} {value}: {message}")
    return deleted, failures


def instance_types(variants: Mapping[str, Mapping[str, Any]]) -> dict[str, str | None]:
    """``{variant: instance type}`` (``None`` for serverless variants)."""
    return {name: variant.get("InstanceType") for name, variant in variants.items()}


def excluded_properties(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]], autoscaled: set[str]
) -> list[str]:
    """Variant properties the new configuration must set although live values are otherwise retained.

    Live values survive a roll-over (``RetainAllVariantProperties``), except what the stack itself changed: the
    weights when a variant's ``InitialVariantWeight`` changed, the instance counts when the count of a variant
    *without* autoscaling changed (an autoscaled variant's count belongs to Application Auto Scaling; its
    configured count is only where a new endpoint starts).
    """
    both = [name for name in new if name in old]
    excluded = []
    if any(old[name].get("InitialVariantWeight") != new[name].get("InitialVariantWeight") for name in both):
        excluded.append("DesiredWeight")
    if any(
        old[name].get("InitialInstanceCount") != new[name].get("InitialInstanceCount")
        for name in both
        if name not in autoscaled
    ):
        excluded.append("DesiredInstanceCount")
    return excluded


def variants_needing_release(old: Mapping[str, str | None], new: Mapping[str, str | None]) -> list[str]:
    """Variants SageMaker refuses to update while registered: removed ones and those whose instance type changes."""
    return sorted(variant for variant, kind in old.items() if variant not in new or new[variant] != kind)


def _describe_failure(name: str, requested: str, described: Mapping[str, Any], held: list[HeldTarget]) -> str:
    status, live = described.get("EndpointStatus"), described.get("EndpointConfigName")
    reason = described.get("FailureReason") or "(no FailureReason reported)"
    restored = f" Autoscaling put back on: {', '.join(t.summary() for t in held)}." if held else ""
    return (
        f"SageMaker endpoint {name} did not move to endpoint configuration {requested}: SageMaker reports status "
        f"{status} on configuration {live}. FailureReason: {reason}.{restored} Nothing was deleted: the "
        f"configuration {live} and its models stay in place and keep serving (they are retained on delete; the "
        "lifecycle retires them only after a verified roll-over). Fix the cause (see FailureReason, the endpoint's "
        "CloudWatch logs and rollback alarms), then run `pulumi up` again."
    )


def _registered(autoscaling: Any, target: HeldTarget) -> bool:
    return bool(registered_variants(autoscaling, target.resource_id.split("/")[1], [target.variant]))


def _restore(autoscaling: Any, cloudwatch: Any, held: list[HeldTarget], live: Iterable[str]) -> list[HeldTarget]:
    restored, moved, alarms = restore(autoscaling, held, live)
    repoint_alarms(cloudwatch, moved, alarms)
    return restored


def _after_interrupted_wait(
    error: EndpointUpdateError,
    sagemaker: Any,
    autoscaling: Any,
    cloudwatch: Any,
    held: list[HeldTarget],
    fallback: Mapping[str, Any],
) -> EndpointUpdateError:
    """The wait ended without a settled endpoint (deadline, endpoint gone): put the autoscaling back on the variants
    the endpoint reports now, so that a later ``pulumi up`` that finds nothing to do does not leave it off."""
    if not held:
        return error
    try:
        described = sagemaker.describe_endpoint(EndpointName=error.endpoint)
        live = [str(v["VariantName"]) for v in described.get("ProductionVariants", [])] or list(fallback)
        restored = _restore(autoscaling, cloudwatch, held, live)
        note = f" Autoscaling put back on: {', '.join(t.summary() for t in restored) or 'none'}."
    except Exception as failure:  # report what must be registered by hand rather than hide the first error
        note = (
            f" Autoscaling could NOT be put back ({failure}); register again by hand: "
            f"{', '.join(t.summary() for t in held)}."
        )
    return EndpointUpdateError(
        str(error) + note, endpoint=error.endpoint, status=error.status, failure_reason=error.failure_reason
    )


def converge(
    sagemaker: Any,
    autoscaling: Any,
    cloudwatch: Any,
    request: UpdateRequest,
    policy: WaitPolicy,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
) -> UpdateOutcome:
    """Put the endpoint on ``request.endpoint_config_name``; raise :class:`EndpointUpdateError` if it does not get there."""
    name, requested = request.endpoint_name, request.endpoint_config_name
    current = wait_until_settled(sagemaker, name, policy, sleep, clock)
    if current.get("EndpointStatus") != ENDPOINT_IN_SERVICE:
        raise EndpointUpdateError(
            f"SageMaker endpoint {name} is {current.get('EndpointStatus')} (configuration "
            f"{current.get('EndpointConfigName')}; FailureReason: {current.get('FailureReason') or '(none)'}): it "
            "cannot be updated. Repair it in SageMaker (or delete it and let `pulumi up` create it again).",
            endpoint=name,
            status=current.get("EndpointStatus"),
            failure_reason=current.get("FailureReason"),
        )
    if current.get("EndpointConfigName") == requested:
        return UpdateOutcome(current, rolled_over=False)

    try:
        old_config = describe_config(sagemaker, str(current["EndpointConfigName"]), policy, sleep, clock)
        new_config = describe_config(sagemaker, requested, policy, sleep, clock)
    except ClientError as error:
        message = aws_message(error)
        raise EndpointUpdateError(
            f"SageMaker endpoint {name} was not updated: reading its configurations failed: {message}. It still "
            f"serves {current.get('EndpointConfigName')}; nothing was changed.",
            endpoint=name,
            status=current.get("EndpointStatus"),
            failure_reason=message,
        ) from error
    old_variants, new_variants = production_variants(old_config), production_variants(new_config)
    old_types, new_types = instance_types(old_variants), instance_types(new_variants)
    autoscaled = registered_variants(autoscaling, name, old_variants)
    held = read_targets(
        autoscaling, name, [v for v in variants_needing_release(old_types, new_types) if v in autoscaled]
    )
    try:
        release(autoscaling, held)
    except ClientError:
        _restore(autoscaling, cloudwatch, [t for t in held if not _registered(autoscaling, t)], old_types)
        raise
    arguments: dict[str, Any] = {
        "EndpointName": name,
        "EndpointConfigName": requested,
        "RetainAllVariantProperties": request.retain_all_variant_properties,
    }
    excluded = (
        excluded_properties(old_variants, new_variants, autoscaled) if request.retain_all_variant_properties else []
    )
    if excluded:
        arguments["ExcludeRetainedVariantProperties"] = [{"VariantPropertyType": kind} for kind in excluded]
    if request.deployment_config:
        arguments["DeploymentConfig"] = dict(request.deployment_config)
    try:
        call_with_backoff(lambda: sagemaker.update_endpoint(**arguments), policy, sleep, clock)
    except ClientError as error:
        _restore(autoscaling, cloudwatch, held, old_types)
        message = aws_message(error)
        raise EndpointUpdateError(
            f"SageMaker refused to update endpoint {name} to configuration {requested}: {message}. The endpoint "
            f"still serves {current.get('EndpointConfigName')}; nothing was deleted.",
            endpoint=name,
            status=current.get("EndpointStatus"),
            failure_reason=message,
        ) from error

    try:
        final = wait_until_settled(sagemaker, name, policy, sleep, clock)
    except EndpointUpdateError as error:
        raise _after_interrupted_wait(error, sagemaker, autoscaling, cloudwatch, held, old_types) from error
    live_config = final.get("EndpointConfigName")
    live_variants = new_types if live_config == requested else old_types
    try:
        restored = _restore(autoscaling, cloudwatch, held, live_variants)
    except ClientError as error:
        message = aws_message(error)
        raise EndpointUpdateError(
            f"SageMaker endpoint {name} is {final.get('EndpointStatus')} on configuration {live_config}, but putting "
            f"its autoscaling back failed: {message}. Held aside: {', '.join(t.summary() for t in held)}. Run "
            "`pulumi refresh` (Pulumi then sees the scalable targets gone) and `pulumi up` to declare them again.",
            endpoint=name,
            status=final.get("EndpointStatus"),
            failure_reason=message,
        ) from error
    if final.get("EndpointStatus") != ENDPOINT_IN_SERVICE or live_config != requested:
        raise EndpointUpdateError(
            _describe_failure(name, requested, final, restored),
            endpoint=name,
            status=final.get("EndpointStatus"),
            failure_reason=final.get("FailureReason"),
        )
    retired, failures = retire(sagemaker, old_config, new_config) if request.retire_previous else ([], [])
    return UpdateOutcome(final, rolled_over=True, held=tuple(held), retired=tuple(retired), failures=tuple(failures))
