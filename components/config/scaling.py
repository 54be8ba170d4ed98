"""Autoscaling settings of a deployment: replica bounds, the cloud-neutral metric, cooldowns, schedules."""

from __future__ import annotations

import typing
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from ..facts import aws as aws_facts
from ..facts import gcp as gcp_facts
from . import rules
from .base import SLUG, ConfigModel
from .problems import Problem, raise_if_any

Metric = Literal["invocations", "concurrency", "cpu", "gpu", "backlog"]
"""Cloud-neutral scaling metrics; each cloud maps them to its own metric or refuses them."""

METRIC_MEANING: dict[str, str] = {
    "invocations": "requests per instance per minute",
    "concurrency": "in-flight requests per instance",
    "cpu": "average CPU utilisation in percent",
    "gpu": "average GPU utilisation (duty cycle) in percent",
    "backlog": "queued asynchronous requests per instance",
}


def default_target(cloud: str, metric: str | None) -> float | None:
    """The cloud's target for ``metric`` when the stack file gives none (None: it must give one); the values are
    facts: :data:`components.facts.aws.SCALING_METRICS` and :data:`components.facts.gcp.DEFAULT_TARGETS`."""
    if metric is None:
        return None
    if cloud == "aws":
        return aws_facts.default_target(metric)
    return gcp_facts.default_target(metric)


def defaults_text() -> str:
    """The default targets as the ``scaling.target`` description states them, from the facts of both clouds
    (``cpu 70, gpu 70, backlog 5``; a metric whose defaults differ per cloud names each)."""
    parts = []
    for metric in typing.get_args(Metric):
        values = {cloud: default_target(cloud, metric) for cloud in ("aws", "gcp")}
        given = {value for value in values.values() if value is not None}
        if len(given) == 1:
            parts.append(f"{metric} {given.pop():g}")
        elif given:
            parts.append(f"{metric} {values['aws']:g} on SageMaker, {values['gcp']:g} on Vertex AI")
    return ", ".join(parts)


class ScheduledScaling(ConfigModel):
    """A scheduled change of the replica bounds (SageMaker only), e.g. a larger floor during office hours."""

    name: str = Field(description="Slug naming the schedule, unique within the deployment.")
    schedule: str = Field(
        description="When it applies: `cron(m h dom mon dow year)`, `rate(N unit)` or `at(yyyy-mm-ddThh:mm:ss)`, "
        "as Application Auto Scaling takes it."
    )
    timezone: str = Field("UTC", description="IANA time zone of the schedule, default `UTC`.")
    min: int | None = Field(None, ge=0, description="Replica floor from this time on; unchanged when absent.")
    max: int | None = Field(None, ge=1, description="Replica ceiling from this time on; unchanged when absent.")

    @field_validator("name")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value) or len(value) > 40:
            raise ValueError(f"'{value}' is not a slug (lowercase letters, digits and '-', up to 40 characters)")
        return value

    @field_validator("schedule")
    @classmethod
    def _expression(cls, value: str) -> str:
        if not aws_facts.SCHEDULE_EXPRESSION.match(value.strip()):
            raise ValueError(
                f"'{value}' is not a schedule expression; use cron(0 8 ? * MON-FRI *), rate(1 hour) "
                "or at(2026-12-24T18:00:00)"
            )
        problem = cron_problem(value.strip())
        if problem:
            raise ValueError(problem)
        return value.strip()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{value}'; use an IANA name such as Europe/Paris or UTC") from None
        return value

    @model_validator(mode="after")
    def _bounds(self) -> ScheduledScaling:
        problems = []
        if self.min is None and self.max is None:
            problems.append(Problem("min", "a schedule must set min, max or both", "add min and/or max"))
        problems += rules.bound_problems(self.min, self.max)
        raise_if_any(problems)
        return self


def cron_problem(expression: str) -> str | None:
    """What AWS refuses in a ``cron(...)`` expression: exactly one of day-of-month and day-of-week must be ``?``."""
    if not expression.startswith("cron("):
        return None
    fields = dict(zip(aws_facts.CRON_FIELDS, expression[len("cron(") : -1].split(), strict=False))
    day_of_month, day_of_week = (fields.get(name) for name in aws_facts.CRON_EITHER_OR)
    if (day_of_month == "?") == (day_of_week == "?"):
        both = (
            "both are '?'"
            if day_of_month == "?"
            else f"day-of-month is '{day_of_month}' and day-of-week '{day_of_week}'"
        )
        return (
            f"'{expression}': AWS cron needs '?' in exactly one of day-of-month (3rd field) and day-of-week (5th "
            f"field), and {both}; e.g. cron(0 8 ? * MON-FRI *) or cron(0 8 1 * ? *)"
        )
    return None


class ScalingConfig(ConfigModel):
    """Replica bounds and the target-tracking policy of a deployment."""

    min: int = Field(
        1,
        ge=0,
        description="Fewest instances / replicas, default 1. 0 only on asynchronous SageMaker endpoints.",
    )
    max: int = Field(
        1,
        ge=1,
        description="Most instances / replicas, default 1. Autoscaling is declared only when max > min.",
    )
    metric: Metric | None = Field(
        None,
        description="What to track when max > min: `invocations` (requests per instance per minute), `concurrency` "
        "(in-flight requests per instance), `cpu` (%), `gpu` (%), `backlog` (queued async requests per instance). "
        "Required when max > min.",
    )
    target: float | None = Field(
        None,
        gt=0,
        description=f"Target value of the metric per instance. Defaults: {defaults_text()}; required for "
        "invocations (or give max_rps_per_instance) and concurrency.",
    )
    max_rps_per_instance: float | None = Field(
        None,
        gt=0,
        description="For `invocations` only: the requests per second one instance sustains (from a load test). The "
        "target becomes max_rps_per_instance x 60 x safety_factor.",
    )
    safety_factor: float = Field(
        0.8,
        gt=0,
        le=1,
        description="Fraction of max_rps_per_instance to aim for, default 0.8: the highest factor whose p99 latency "
        "the simulator finds unchanged from 0.5, at ~7% lower cost (benchmarks/simulate_safety_factor.py).",
    )
    scale_out_cooldown: int = Field(
        60,
        ge=0,
        le=86400,
        description="Seconds after a scale-out before the next one, default 60 (SageMaker only). The scale-from-zero "
        "step of an async endpoint waits at least 600 (longer than an instance's start).",
    )
    scale_in_cooldown: int = Field(
        300,
        ge=0,
        le=86400,
        description="Seconds after a scale-in before the next one, default 300 (SageMaker only).",
    )
    disable_scale_in: bool = Field(
        False, description="Never remove instances automatically, default false (SageMaker only)."
    )
    schedules: tuple[ScheduledScaling, ...] = Field(
        (), description="Scheduled changes of min/max (SageMaker only), default none."
    )

    @property
    def autoscaled(self) -> bool:
        """True when the bounds leave room to scale, so a policy is declared."""
        return self.max > self.min

    def target_for(self, cloud: str) -> float | None:
        """The per-instance target in the metric's own unit: ``target``, else derived from max_rps_per_instance,
        else the cloud's default (:func:`default_target`)."""
        if self.target is not None:
            return self.target
        if self.metric == "invocations" and self.max_rps_per_instance is not None:
            return round(self.max_rps_per_instance * 60 * self.safety_factor, 3)
        return default_target(cloud, self.metric)

    @property
    def resolved_target(self) -> float | None:
        """Vertex's target (:meth:`target_for` ``"gcp"``), read by the Vertex components; SageMaker components read
        the target of :class:`components.resolve.aws.ResolvedSageMaker`."""
        return self.target_for("gcp")

    @model_validator(mode="after")
    def _consistent(self) -> ScalingConfig:
        problems = rules.bound_problems(self.min, self.max)
        if self.autoscaled and self.metric is None:
            problems.append(
                Problem(
                    "metric",
                    "required when max > min",
                    "choose one of invocations, concurrency, cpu, gpu, backlog",
                )
            )
        if self.max_rps_per_instance is not None and self.metric != "invocations":
            problems.append(
                Problem(
                    "max_rps_per_instance",
                    "applies only to metric invocations",
                    "remove it or set metric: invocations",
                )
            )
        if self.max_rps_per_instance is not None and self.target is not None:
            problems.append(
                Problem("target", "give either target or max_rps_per_instance, not both", "remove one of them")
            )
        if self.metric in ("invocations", "concurrency") and self.target_for("aws") is None:
            unit = METRIC_MEANING[self.metric]
            extra = " or max_rps_per_instance" if self.metric == "invocations" else ""
            problems.append(Problem("target", f"required for metric {self.metric} ({unit})", f"set target{extra}"))
        derived = self.resolved_target
        if self.target is None and self.max_rps_per_instance is not None and derived is not None and derived <= 0:
            problems.append(
                Problem(
                    "max_rps_per_instance",
                    f"the derived target max_rps_per_instance x 60 x safety_factor "
                    f"({self.max_rps_per_instance} x 60 x {self.safety_factor}) rounds to {derived} requests per "
                    "minute, which autoscaling cannot track",
                    "raise max_rps_per_instance (requests per second one instance sustains) or safety_factor",
                )
            )
        if self.metric in ("cpu", "gpu") and self.target is not None and self.target > 100:
            problems.append(Problem("target", f"{self.target} is not a percentage", "use a value between 1 and 100"))
        problems += rules.duplicate_problems(
            ((s.name, f"schedules[{index}].name") for index, s in enumerate(self.schedules)), "schedule name"
        )
        raise_if_any(problems)
        return self
