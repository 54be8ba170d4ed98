"""Validation rules that several stack-file models apply: one helper and one message per rule, shared by every
caller (environment variable names, SageMaker names, GCP labels, min/max, duplicate names, the other cloud's keys);
the Vertex model-deployment resource's own input checks (for its direct users) share them too. Cloud-specific
rules that several keys share live beside their cloud: locations and instance types in
:mod:`components.config.sagemaker` / :mod:`components.config.sagemaker_serving` and :mod:`components.config.vertex`;
the values come from :mod:`components.facts`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..facts import aws as aws_facts
from ..facts import gcp as gcp_facts
from .problems import Problem

if TYPE_CHECKING:
    from .deployment import DeploymentConfig

ENV_NAME_RULES: Mapping[str, re.Pattern[str]] = {
    "aws": aws_facts.ENVIRONMENT_KEY,
    "gcp": gcp_facts.ENV_NAME,
}
"""The environment variable name pattern of each cloud (botocore ``EnvironmentKey``, aiplatform_v1 ``EnvVar.name``)."""


def env_name_problem(names: Iterable[str], clouds: Iterable[str] = ("aws", "gcp")) -> str | None:
    """What is wrong with ``names`` as environment variable names on all of ``clouds`` (None: nothing)."""
    patterns = [ENV_NAME_RULES[cloud] for cloud in clouds]
    bad = [name for name in names if not all(pattern.match(name) for pattern in patterns)]
    if bad:
        return f"{bad} are not environment variable names (letters, digits and '_', not starting with a digit)"
    return None


def env_names(value: Mapping[str, str] | None, clouds: Iterable[str] = ("aws", "gcp")) -> None:
    """Raise ``ValueError`` (:func:`env_name_problem`) when a key of ``value`` is not an environment variable name
    (a pydantic field validator reports it at the key's path)."""
    problem = env_name_problem(value or {}, clouds)
    if problem:
        raise ValueError(problem)


def label_problem(key: str, value: str) -> str | None:
    """What makes ``key: value`` an invalid GCP label (None: a valid one), from the facts' label rules."""
    if gcp_facts.LABEL_KEY.match(key) and gcp_facts.LABEL_VALUE.match(value):
        return None
    return f"'{key}: {value}' cannot be a GCP label (lowercase letters, digits, '_' and '-', up to 63 characters)"


def sagemaker_name(value: str, what: str) -> str:
    """``value`` when it is a SageMaker name (variant names, container host names), else ``ValueError``."""
    if not aws_facts.SAGEMAKER_NAME.match(value):
        raise ValueError(
            f"'{value}' is not a valid {what} (letters, digits and '-', up to {aws_facts.SAGEMAKER_NAME_MAX} "
            "characters)"
        )
    return value


def bound_problems(low: object, high: object, low_key: str = "min", high_key: str = "max") -> list[Problem]:
    """``high_key`` below ``low_key`` (both ints; a missing bound or a value of another type is checked elsewhere,
    so this also runs on raw values of a deployment that failed validation)."""
    if isinstance(low, int) and isinstance(high, int) and low > high:
        return [
            Problem(
                high_key,
                f"{high_key} ({high}) is below {low_key} ({low})",
                f"set {high_key} to at least {low}, or lower {low_key}",
            )
        ]
    return []


def duplicate_problems(
    entries: Iterable[tuple[str, str]], what: str, taken: Mapping[str, str] | None = None
) -> list[Problem]:
    """Each ``(name, key path)`` of ``entries`` whose name an earlier entry (or ``taken``: name -> who holds it)
    already uses; ``what`` names the kind of name (``deployment name``, ``container host name``...)."""
    owners = dict(taken or {})
    problems: list[Problem] = []
    for name, path in entries:
        if name in owners:
            problems.append(
                Problem(
                    path, f"{what} '{name}' is already used by {owners[name]}", f"rename it: each {what} must be unique"
                )
            )
        owners.setdefault(name, path.rsplit(".", 1)[0] if "." in path else path)
    return problems


@dataclass(frozen=True)
class _CloudKeys:
    label: str
    article: str
    options: str
    machine_key: str
    machine_example: str


_CLOUD_KEYS = {
    "aws": _CloudKeys("SageMaker", "an", "sagemaker", "instance_type", "ml.g5.xlarge"),
    "gcp": _CloudKeys("Vertex AI", "a", "vertex", "machine_type", "g2-standard-8"),
}


def other_cloud_problems(deployment: DeploymentConfig) -> list[Problem]:
    """The other cloud's options block or machine key on ``deployment`` (``vertex:`` / ``machine_type`` on aws,
    ``sagemaker:`` / ``instance_type`` on gcp)."""
    cloud = deployment.cloud
    own = _CLOUD_KEYS[cloud]
    other_cloud = "gcp" if cloud == "aws" else "aws"
    other = _CLOUD_KEYS[other_cloud]
    problems: list[Problem] = []
    if other.options in deployment.model_fields_set:
        problems.append(
            Problem(
                other.options,
                f"{other.label} options on {own.article} {cloud} deployment",
                f"move them under `{own.options}:` or set cloud: {other_cloud}",
            )
        )
    if getattr(deployment, other.machine_key) is not None:
        problems.append(
            Problem(
                other.machine_key,
                f"{other.machine_key} is the {other.label} key",
                f"use {own.machine_key} (e.g. {own.machine_example}) on {cloud}",
            )
        )
    return problems
