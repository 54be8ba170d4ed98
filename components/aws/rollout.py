"""Safe rollouts: the endpoint's ``deployment_config`` (blue/green traffic shifting) and its rollback alarms.

The ordering question, and how it is solved
-------------------------------------------
A rollback alarm must name the endpoint (dimension ``EndpointName``), and the endpoint's ``deployment_config``
must name the alarms (``AutoRollbackConfiguration.Alarms[].AlarmName``). With both names chosen by Pulumi's
auto-naming, each resource would wait for the other: a cycle.

Choice: the **alarms get explicit, deterministic names** derived from the project, stack, deployment, variant and
alarm kind (``ml-serving-prod-ranker-primary-invocation-5xx-8facc6d8``, see
:func:`components.resolve.names.fixed_name`), computed before anything is created; the **endpoint keeps its
auto-name**. The ``DeploymentConfig`` (passed to each ``UpdateEndpoint`` by the endpoint lifecycle,
:mod:`components.aws.endpoint_lifecycle`) holds those names as plain strings, and the alarms take the endpoint's real
name from its name holder's output (so they are ordered after it, and before the lifecycle's roll-over).
The execution role may ``cloudwatch:DescribeAlarms`` exactly those alarm ARNs (SageMaker's guardrails note).

Why not the other way round (an explicit endpoint name, auto-named alarms ordered before the endpoint)? Turning
``rollout:`` on for an existing deployment would rename, hence replace, its endpoint: a new endpoint name for
every client, and the same on any later rename. Alarm names cost nothing to fix.

Trade-offs of the choice:

* SageMaker applies guardrails to endpoint *updates* only (``UpdateEndpoint``); on creation the alarms do not
  exist yet, which is harmless. The lifecycle's roll-over depends on the alarms, so the ``pulumi up`` that both
  adds ``rollout:`` to an existing endpoint and changes its model watches that first rollout too.
* The alarm names are fixed, so they must be unique in the account and region: project + stack + deployment +
  variant + kind, and a hash of those parts (``prod`` + ``eu-ranker`` and ``prod-eu`` + ``ranker`` join alike), make
  them so. A rename of any part gives new names, so a replacement never collides with itself.
* Alarms watch production variants, not the shadow; the new configuration must keep the variant names (SageMaker
  matches old and new fleets by variant name).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from ..config import RolloutConfig
from ..facts import aws as facts
from ..resolve.aws import RollbackAlarm
from .alarms import alarm_arn, declare_alarm, invocation_5xx_alarm, model_latency_alarm


def describe_alarms_statement(
    partition: str, region: str, account: str, alarms: Sequence[RollbackAlarm]
) -> dict[str, Any]:
    """Execution-role statement: SageMaker reads the rollback alarms' state during a rollout (deployment guardrails:
    "ensure that your IAM execution role has permission to perform cloudwatch:DescribeAlarms")."""
    return {
        "Sid": "DescribeRollbackAlarms",
        "Effect": "Allow",
        "Action": ["cloudwatch:DescribeAlarms"],
        "Resource": sorted(alarm_arn(partition, region, account, alarm.name) for alarm in alarms),
    }


def rollout_policy(rollout: RolloutConfig, alarm_names: Sequence[str]) -> dict[str, Any]:
    """The endpoint's rollout policy: SageMaker's ``DeploymentConfig`` (API names), the blue/green policy and the
    rollback alarms. Named "rollout policy" here to keep it apart from the deployment's config (the stack file) and
    the endpoint configuration (``EndpointConfig``)."""
    routing: dict[str, Any] = {
        "Type": facts.TRAFFIC_ROUTING_TYPES[rollout.strategy],
        "WaitIntervalInSeconds": rollout.wait_seconds,
    }
    if rollout.strategy == "canary":
        routing["CanarySize"] = {"Type": "CAPACITY_PERCENT", "Value": rollout.canary_size}
    if rollout.strategy == "linear":
        routing["LinearStepSize"] = {"Type": "CAPACITY_PERCENT", "Value": rollout.linear_step_size}
    policy: dict[str, Any] = {
        "TrafficRoutingConfiguration": routing,
        "TerminationWaitInSeconds": rollout.termination_wait_seconds,
    }
    if rollout.max_duration_seconds is not None:
        policy["MaximumExecutionTimeoutInSeconds"] = rollout.max_duration_seconds
    config: dict[str, Any] = {"BlueGreenUpdatePolicy": policy}
    if alarm_names:
        config["AutoRollbackConfiguration"] = {"Alarms": [{"AlarmName": name} for name in alarm_names]}
    return config


class RolloutAlarms(pulumi.ComponentResource):
    """The rollback alarms of one endpoint, named in advance (see the module docstring), ordered after it.

    Args:
        name: component name; children ``{name}-{variant}-{kind}``.
        endpoint: the endpoint whose auto-name is each alarm's ``EndpointName`` dimension.
        rollout: the deployment's rollout (thresholds).
        alarms: the alarms to declare, from :func:`rollback_alarms`.
        tags: tags of the alarms.

    Output: ``alarm_names``.
    """

    alarm_names: pulumi.Output[list[str]]

    def __init__(
        self,
        name: str,
        endpoint: aws.sagemaker.Endpoint,
        rollout: RolloutConfig,
        alarms: Sequence[RollbackAlarm],
        tags: Mapping[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("ml-serving:aws:RolloutAlarms", name, None, opts)
        rollback = rollout.rollback
        if rollback is None:
            raise ValueError("rollout.rollback is off: there are no alarms to declare")
        child = pulumi.ResourceOptions(parent=self)
        declared = []
        minutes = rollback.evaluation_minutes
        for alarm in alarms:
            if alarm.kind == "invocation-5xx":
                request = invocation_5xx_alarm(
                    alarm.name, endpoint.name, alarm.variant, rollback.max_5xx_errors, minutes
                )
            else:
                request = model_latency_alarm(
                    alarm.name, endpoint.name, alarm.variant, rollback.max_p99_latency_ms or 0.0, minutes
                )
            declared.append(declare_alarm(f"{name}-{alarm.variant}-{alarm.kind}", request, tags, child))
        self.alarm_names = pulumi.Output.all(*[alarm.name for alarm in declared]).apply(list)
        self.register_outputs({"alarm_names": self.alarm_names})
