"""Hold a variant's autoscaling aside during an update, and put back exactly what was there.

SageMaker refuses an ``UpdateEndpoint`` that changes the instance type of, or removes, a variant registered with
Application Auto Scaling ("Update endpoints that use automatic scaling"). :func:`read_targets` reads the scalable
target of each such variant - its min/max and suspended state, its scaling policies and its scheduled actions -
before :func:`release` deregisters it (which deletes its policies and scheduled actions too); after the update
:func:`restore` registers the same target again with the same policies and scheduled actions, on every variant
that still exists. Names and settings are unchanged, so the ``aws.appautoscaling`` Target / Policy /
ScheduledAction resources Pulumi holds for them find their cloud objects as before, and the next ``pulumi up``
has nothing to converge. A re-created policy gets a new ARN: :func:`repoint_alarms` points the CloudWatch alarms
that invoke step-scaling policies (the async backlog scaling) at the new one, and ``pulumi refresh`` records it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...facts.aws import SCALABLE_DIMENSION, SCALING_SERVICE_NAMESPACE
from ...facts.aws import scalable_target_resource_id as variant_resource_id

_TARGET = {"ServiceNamespace": SCALING_SERVICE_NAMESPACE, "ScalableDimension": SCALABLE_DIMENSION}
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
    alarm_triggers: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    """Step-scaling policies driven by CloudWatch alarms: ``{policy name: (old policy ARN, alarm names)}``."""

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
                # Target tracking creates and deletes its own alarms; step scaling is invoked by alarms of ours.
                alarm_triggers={
                    str(p["PolicyName"]): (str(p["PolicyARN"]), [str(a["AlarmName"]) for a in p["Alarms"]])
                    for p in policies
                    if p.get("PolicyType") == "StepScaling" and p.get("Alarms")
                },
            )
        )
    return held


def release(autoscaling: Any, held: Sequence[HeldTarget]) -> None:
    """Deregister each held target (Application Auto Scaling deletes its policies and scheduled actions)."""
    for target in held:
        autoscaling.deregister_scalable_target(ResourceId=target.resource_id, **_TARGET)


def restore(
    autoscaling: Any, held: Sequence[HeldTarget], live_variants: Iterable[str]
) -> tuple[list[HeldTarget], dict[str, str], list[str]]:
    """Register again each held target whose variant is live, with its policies and schedules.

    Returns the targets restored, ``{old policy ARN: new policy ARN}`` of the step-scaling policies that alarms
    invoke (a re-created policy gets a new ARN), and the names of those alarms.
    """
    live = set(live_variants)
    restored: list[HeldTarget] = []
    moved: dict[str, str] = {}
    alarms: list[str] = []
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
            answer = autoscaling.put_scaling_policy(ResourceId=target.resource_id, **_TARGET, **policy)
            trigger = target.alarm_triggers.get(str(policy["PolicyName"]))
            if trigger and answer.get("PolicyARN") and answer["PolicyARN"] != trigger[0]:
                moved[trigger[0]] = str(answer["PolicyARN"])
                alarms += trigger[1]
        for action in target.scheduled_actions:
            autoscaling.put_scheduled_action(ResourceId=target.resource_id, **_TARGET, **action)
        restored.append(target)
    return restored, moved, sorted(set(alarms))


_ACTION_LISTS = ("AlarmActions", "OKActions", "InsufficientDataActions")


def repoint_alarms(cloudwatch: Any, moved: dict[str, str], alarm_names: Sequence[str]) -> list[str]:
    """Point the alarms that invoked re-created step-scaling policies at the policies' new ARNs.

    Each alarm is read (``DescribeAlarms``) and written back unchanged (``PutMetricAlarm`` with every field the
    operation accepts, per the client's own service model; tags are kept by CloudWatch on an update) except for the
    ARNs in its actions. Returns the alarms updated. Pulumi's state keeps the old ARNs until ``pulumi refresh``.
    """
    if not moved or not alarm_names:
        return []
    accepted = set(cloudwatch.meta.service_model.operation_model("PutMetricAlarm").input_shape.members) - {"Tags"}
    described = cloudwatch.describe_alarms(AlarmNames=list(alarm_names), AlarmTypes=["MetricAlarm"])
    updated = []
    for alarm in described.get("MetricAlarms", []):
        request = {key: value for key, value in alarm.items() if key in accepted}
        for key in _ACTION_LISTS:
            if key in request:
                request[key] = [moved.get(arn, arn) for arn in request[key]]
        cloudwatch.put_metric_alarm(**request)
        updated.append(str(alarm["AlarmName"]))
    return updated
