"""Safe rollouts of a SageMaker endpoint (`rollout:` of a deployment): traffic shifting and automatic rollback.

A change of the model or the instances gives the endpoint a new endpoint configuration; SageMaker then runs a
blue/green update: it starts the new fleet, shifts the traffic to it (all at once, a canary first, or in linear
steps), waits, and rolls back if one of the rollback alarms fires. Without `rollout:` SageMaker still updates
blue/green, all at once, with no alarms.

Ranges are SageMaker's, kept with their sources in :mod:`components.facts.aws` (``WAIT_INTERVAL_RANGE``,
``TERMINATION_WAIT_RANGE``, ``EXECUTION_TIMEOUT_RANGE``, ``CANARY_PERCENT_RANGE``, ``LINEAR_STEP_PERCENT_RANGE``,
``MAX_ROLLBACK_ALARMS``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator, model_validator

from ..facts import aws as aws_facts
from .base import ConfigModel
from .problems import Problem, raise_if_any

if TYPE_CHECKING:
    from .deployment import DeploymentConfig

Strategy = Literal["all_at_once", "canary", "linear"]

WAIT_RANGE = aws_facts.WAIT_INTERVAL_RANGE
TERMINATION_WAIT_RANGE = aws_facts.TERMINATION_WAIT_RANGE
EXECUTION_TIMEOUT_RANGE = aws_facts.EXECUTION_TIMEOUT_RANGE
CANARY_RANGE = aws_facts.CANARY_PERCENT_RANGE
LINEAR_STEP_RANGE = aws_facts.LINEAR_STEP_PERCENT_RANGE
MAX_ROLLBACK_ALARMS = aws_facts.MAX_ROLLBACK_ALARMS


class RollbackAlarms(ConfigModel):
    """Alarms ml-serving creates on every production variant; one firing during a rollout rolls it back."""

    max_5xx_errors: int = Field(
        5,
        ge=0,
        description="Invocation5XXErrors per minute (Sum, per variant) above which the rollout rolls back, default 5.",
    )
    max_p99_latency_ms: float | None = Field(
        None,
        gt=0,
        description="ModelLatency p99 per minute in milliseconds above which the rollout rolls back; default none "
        "(no latency alarm).",
    )
    evaluation_minutes: int = Field(
        2,
        ge=1,
        le=60,
        description="Consecutive minutes above a threshold before an alarm fires, default 2.",
    )


class RolloutConfig(ConfigModel):
    """How an endpoint update shifts traffic to the new fleet, and when it rolls back."""

    strategy: Strategy = Field(
        "all_at_once",
        description="`all_at_once` (default), `canary` (canary_percent first, the rest after wait_seconds) or "
        "`linear` (linear_step_percent per step, wait_seconds between steps).",
    )
    canary_percent: int | None = Field(
        None, description="canary only: percent of each variant's instances that take traffic first, 1-50, default 10."
    )
    linear_step_percent: int | None = Field(
        None, description="linear only: percent of each variant's instances added per step, 10-50, default 20."
    )
    wait_seconds: int = Field(
        300,
        description="Seconds between traffic steps, and the final baking period watched by the alarms, 0-3600, "
        "default 300.",
    )
    termination_wait_seconds: int = Field(
        0, description="Seconds to keep the old fleet after the rollout before terminating it, 0-3600, default 0."
    )
    max_duration_seconds: int | None = Field(
        None,
        description="Maximum duration of the rollout, 600-28800 and above its total waiting time; default SageMaker's.",
    )
    rollback: RollbackAlarms | None = Field(
        default_factory=RollbackAlarms,
        description="Rollback alarms (`false` for none); default: roll back on more than 5 server errors a minute.",
    )

    @field_validator("rollback", mode="before")
    @classmethod
    def _rollback_flag(cls, value: Any) -> Any:
        if value is True:
            return {}
        if value is False:
            return None
        return value

    @property
    def steps(self) -> int:
        """Waits of the rollout: 1 (all at once: the baking period), 2 (canary) or one per linear step."""
        if self.strategy == "canary":
            return 2
        if self.strategy == "linear":
            return math.ceil(100 / (self.linear_step_percent or 20))
        return 1

    @property
    def canary_size(self) -> int:
        """The canary's percent of instances (default 10)."""
        return self.canary_percent if self.canary_percent is not None else 10

    @property
    def linear_step_size(self) -> int:
        """The linear step's percent of instances (default 20)."""
        return self.linear_step_percent if self.linear_step_percent is not None else 20

    @model_validator(mode="after")
    def _ranges(self) -> RolloutConfig:
        problems = [
            *_range("wait_seconds", self.wait_seconds, WAIT_RANGE, "WaitIntervalInSeconds"),
            *_range(
                "termination_wait_seconds",
                self.termination_wait_seconds,
                TERMINATION_WAIT_RANGE,
                "TerminationWaitInSeconds",
            ),
        ]
        if self.canary_percent is not None:
            if self.strategy != "canary":
                problems.append(_only_for("canary_percent", "canary", self.strategy))
            problems += _range(
                "canary_percent",
                self.canary_percent,
                CANARY_RANGE,
                "CanarySize, at most 50% of the variant's instances",
            )
        if self.linear_step_percent is not None:
            if self.strategy != "linear":
                problems.append(_only_for("linear_step_percent", "linear", self.strategy))
            problems += _range(
                "linear_step_percent",
                self.linear_step_percent,
                LINEAR_STEP_RANGE,
                "LinearStepSize, 10-50% of the variant's instances",
            )
        if self.max_duration_seconds is not None:
            out_of_range = _range(
                "max_duration_seconds",
                self.max_duration_seconds,
                EXECUTION_TIMEOUT_RANGE,
                "MaximumExecutionTimeoutInSeconds",
            )
            problems += out_of_range
            waiting = self.steps * self.wait_seconds + self.termination_wait_seconds
            if not out_of_range and self.max_duration_seconds <= waiting:
                problems.append(
                    Problem(
                        "max_duration_seconds",
                        f"{self.max_duration_seconds} s does not exceed the rollout's waiting time ({self.steps} x "
                        f"wait_seconds {self.wait_seconds} + termination_wait_seconds {self.termination_wait_seconds} "
                        f"= {waiting} s); SageMaker needs the timeout above it",
                        f"raise max_duration_seconds above {waiting} or shorten the waits",
                    )
                )
        raise_if_any(problems)
        return self


def _range(key: str, value: int, bounds: tuple[int, int], api: str) -> list[Problem]:
    low, high = bounds
    if low <= value <= high:
        return []
    return [
        Problem(key, f"{value} is outside SageMaker's range {low}-{high} ({api})", f"use a value from {low} to {high}")
    ]


def _only_for(key: str, strategy: str, actual: str) -> Problem:
    return Problem(
        key, f"applies only to strategy {strategy}, not {actual}", f"remove {key} or set strategy: {strategy}"
    )


def rollback_alarm_count(deployment: DeploymentConfig) -> int:
    """Alarms the rollout declares: one or two per production variant (the shadow is not watched)."""
    rollout = deployment.rollout
    if rollout is None or rollout.rollback is None:
        return 0
    per_variant = 1 + (rollout.rollback.max_p99_latency_ms is not None)
    return per_variant * (1 + len(deployment.sagemaker.variants))


def check(deployment: DeploymentConfig) -> list[Problem]:
    """Rules of `rollout:` that depend on the rest of the deployment; paths relative to the deployment."""
    if deployment.rollout is None:
        return []
    if deployment.cloud != "aws":
        return [
            Problem(
                "rollout",
                "rollouts with traffic shifting and alarm rollback are declared on SageMaker only",
                "remove rollout from the gcp deployment",
            )
        ]
    count = rollback_alarm_count(deployment)
    if count > MAX_ROLLBACK_ALARMS:
        return [
            Problem(
                "rollout.rollback",
                f"{count} rollback alarms (per production variant: 5xx errors and p99 latency); SageMaker takes at "
                f"most {MAX_ROLLBACK_ALARMS}",
                "remove max_p99_latency_ms or use fewer variants",
            )
        ]
    return []
