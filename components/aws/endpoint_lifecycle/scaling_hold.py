"""Hold a variant's autoscaling aside during an update, and put back exactly what was there.

SageMaker refuses an ``UpdateEndpoint`` that changes the instance type of, or removes, a variant registered with
Application Auto Scaling ("Update endpoints that use automatic scaling"). :func:`read_targets` reads the scalable
target of each such variant - its min/max and suspended state, its scaling policies and its scheduled actions -
before :func:`release` deregisters it (which deletes its policies and scheduled actions too); after the update
:func:`restore` registers the same target again with the same policies and scheduled actions, on every variant
that still exists. Names and settings are unchanged, so the ``aws.appautoscaling`` Target / Policy /
ScheduledAction resources Pulumi holds for them find their cloud objects as before, and the next ``pulumi up``
has nothing to converge (a policy gets a new ARN: ``pulumi refresh`` records it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...facts.endpoint_updates import SAGEMAKER_SERVICE_NAMESPACE, VARIANT_SCALABLE_DIMENSION, variant_resource_id

_TARGET = {"ServiceNamespace": SAGEMAKER_SERVICE_NAMESPACE, "ScalableDimension": VARIANT_SCALABLE_DIMENSION}
_POLICY_KEYS = (
    "PolicyName",
    "PolicyType",
    "StepScalingPolicyConfiguration",
    "TargetTrackingScalingPolicyConfiguration",
    "PredictiveScalingPolicyConfiguration",
)
"""Fields of a ``DescribeScalingPolicies`` entry that ``PutScalingPolicy`` accepts back."""
_SCHEDULE_KEYS = ("ScheduledActionName", "Schedule", "Timezone", "StartTime", "EndTime", "ScalableTargetAction")
"""Fields of a ``DescribeScheduledActions`` entry that ``PutScheduledAction`` accepts back."""


@dataclass(frozen=True)
class HeldTarget:
    """A variant's scalable target as read before deregistering it."""

    variant: str
    resource_id: str
    min_capacity: int
    max_capacity: int
    suspended_state: dict[str, Any] | None = None
    policies: list[dict[str, Any]] = field(default_factory=list)
    scheduled_actions: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        """``variant (min..max, N policies, M scheduled actions)`` for messages."""
        return (
            f"{self.variant} (min {self.min_capacity}, max {self.max_capacity}, {len(self.policies)} scaling "
            f"policies, {len(self.scheduled_actions)} scheduled actions)"
        )


def registered_variants(autoscaling: Any, endpoint: str, variants: Iterable[str]) -> set[str]:
    """Which of ``variants`` of ``endpoint`` are registered as scalable targets (one ``DescribeScalableTargets``)."""
    wanted = {variant_resource_id(endpoint, variant): variant for variant in variants}
    if not wanted:
        return set()
    found = autoscaling.describe_scalable_targets(ResourceIds=sorted(wanted), **_TARGET).get("ScalableTargets", [])
    return {wanted[str(target["ResourceId"])] for target in found if str(target["ResourceId"]) in wanted}


def read_targets(autoscaling: Any, endpoint: str, variants: Iterable[str]) -> list[HeldTarget]:
    """The registered scalable targets among ``variants`` of ``endpoint``, with their policies and schedules."""
    wanted = {variant_resource_id(endpoint, variant): variant for variant in variants}
    if not wanted:
        return []
    found = autoscaling.describe_scalable_targets(ResourceIds=sorted(wanted), **_TARGET).get("ScalableTargets", [])
    held = []
    for target in sorted(found, key=lambda t: str(t["ResourceId"])):
        rid = str(target["ResourceId"])
        policies = autoscaling.describe_scaling_policies(ResourceId=rid, **_TARGET).get("ScalingPolicies", [])
        schedules = autoscaling.describe_scheduled_actions(ResourceId=rid, **_TARGET).get("ScheduledActions", [])
        held.append(
            HeldTarget(
                variant=wanted[rid],
                resource_id=rid,
                min_capacity=int(target["MinCapacity"]),
                max_capacity=int(target["MaxCapacity"]),
                suspended_state=target.get("SuspendedState"),
                policies=[{k: p[k] for k in _POLICY_KEYS if p.get(k) is not None} for p in policies],
                scheduled_actions=[{k: s[k] for k in _SCHEDULE_KEYS if s.get(k) is not None} for s in schedules],
            )
        )
    return held


def release(autoscaling: Any, held: Sequence[HeldTarget]) -> None:
    """Deregister each held target (Application Auto Scaling deletes its policies and scheduled actions)."""
    for target in held:
        autoscaling.deregister_scalable_target(ResourceId=target.resource_id, **_TARGET)


def restore(autoscaling: Any, held: Sequence[HeldTarget], live_variants: Iterable[str]) -> list[HeldTarget]:
    """Register again each held target whose variant is live, with its policies and schedules; return those."""
    live = set(live_variants)
    restored = []
    for target in held:
        if target.variant not in live:
            continue
        extra = {"SuspendedState": target.suspended_state} if target.suspended_state else {}
        autoscaling.register_scalable_target(
            ResourceId=target.resource_id,
            MinCapacity=target.min_capacity,
            MaxCapacity=target.max_capacity,
            **_TARGET,
            **extra,
        )
        for policy in target.policies:
            autoscaling.put_scaling_policy(ResourceId=target.resource_id, **_TARGET, **policy)
        for action in target.scheduled_actions:
            autoscaling.put_scheduled_action(ResourceId=target.resource_id, **_TARGET, **action)
        restored.append(target)
    return restored
