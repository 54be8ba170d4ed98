"""The whole `ml-serving:` namespace of a stack file, and how it is read from a file or from Pulumi config."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from ..facts.aws import AWS_REGION
from ..facts.gcp import GCP_PROJECT_ID, GCP_REGION
from . import rules, sagemaker_limits
from . import sagemaker as sagemaker_rules
from . import vertex as vertex_rules
from .async_options import SAGEMAKER_ONLY
from .base import ConfigModel
from .deployment import DeploymentConfig
from .names import child_collisions
from .problems import ConfigError, Problem, ProblemsError, config_error_from_validation, raise_if_any, shown
from .sagemaker import SageMakerOptions
from .vertex import VertexOptions
from .yaml_reader import read_config

NAMESPACE = "ml-serving"


class StackDefaults(ConfigModel):
    """Keys shared by every deployment of the stack (`ml-serving:defaults`); a deployment's own keys win.

    Mappings (`scaling`, `tags`, `environment`, `sagemaker`, `vertex`, `async`) are merged key by key.
    """

    cloud: str | None = Field(None, description="Default cloud of the deployments.")
    image: str | None = Field(None, description="Default serving image.")
    accelerator: dict[str, Any] | None = Field(None, description="Default accelerator.")
    scaling: dict[str, Any] | None = Field(None, description="Default scaling keys.")
    environment: dict[str, str | dict[str, str]] | None = Field(
        None, description="Environment variables for every deployment; a value may be a Pulumi secret."
    )
    tags: dict[str, str] | None = Field(None, description="Tags / labels on every resource of the stack.")
    sagemaker: dict[str, Any] | None = Field(
        None, description="Default SageMaker options, applied to aws deployments only."
    )
    vertex: dict[str, Any] | None = Field(
        None, description="Default Vertex AI options, applied to gcp deployments only."
    )
    async_inference: bool | dict[str, Any] | None = Field(
        None,
        alias="async",
        description="`true`: every deployment that does not say `async` is asynchronous. A mapping: the async "
        "options of the deployments that set `async` (it never makes a real-time deployment asynchronous; its "
        "SageMaker-only keys apply to aws deployments only).",
    )

    @field_validator("async_inference", mode="before")
    @classmethod
    def _async_shape(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, (bool, Mapping)):
            raise ProblemsError(
                [Problem("", f"{shown(value)} is neither true/false nor a mapping", "write true, or a mapping")]
            )
        return value


class StackConfig(ConfigModel):
    """A validated stack: its deployments plus the provider settings they need."""

    stack: str = Field(description="Stack name (`dev` for stacks/Pulumi.dev.yaml).")
    deployments: tuple[DeploymentConfig, ...] = Field(
        description="The deployments of the stack, `ml-serving:deployments`."
    )
    aws_region: str | None = Field(None, description="`aws:region`, required when a deployment uses aws.")
    gcp_project: str | None = Field(None, description="`gcp:project`, required when a deployment uses gcp.")
    gcp_region: str | None = Field(None, description="`gcp:region`, required when a deployment uses gcp.")

    @field_validator("aws_region", "gcp_region", "gcp_project")
    @classmethod
    def _provider_setting(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value:
            return value
        pattern, example = {
            "aws_region": (AWS_REGION, "eu-west-1"),
            "gcp_region": (GCP_REGION, "europe-west4"),
            "gcp_project": (GCP_PROJECT_ID, "acme-ml"),
        }[str(info.field_name)]
        if not pattern.match(value):
            raise ProblemsError([Problem("", f"{shown(value)} is not a valid value", f"write it like {example}")])
        return value

    @model_validator(mode="after")
    def _stack_rules(self) -> StackConfig:
        problems = rules.duplicate_problems(
            ((d.name, f"deployments[{index}].name") for index, d in enumerate(self.deployments)), "deployment name"
        )
        for index, deployment in enumerate(self.deployments):
            if deployment.cloud == "aws" and self.aws_region:
                problems += [
                    p.under(f"deployments[{index}]")
                    for p in sagemaker_limits.region_problems(deployment, self.aws_region)
                ]
        clouds = {deployment.cloud for deployment in self.deployments}
        if "aws" in clouds and not self.aws_region:
            problems.append(
                Problem(
                    "aws:region",
                    "required by the aws deployments",
                    "add `aws:region: eu-west-1` (your region) under config",
                )
            )
        for key, value in (("gcp:project", self.gcp_project), ("gcp:region", self.gcp_region)):
            if "gcp" in clouds and not value:
                problems.append(Problem(key, "required by the gcp deployments", f"add `{key}: ...` under config"))
        for index, deployment in enumerate(self.deployments):
            if deployment.cloud == "gcp":
                found = vertex_rules.region_problems(deployment, self.gcp_region)
                problems += [p.under(f"deployments[{index}]") for p in found]
        raise_if_any(problems)
        return self


def _merge(base: Any, override: Any) -> Any:
    """Deep-merge two mappings: keys of ``override`` win, nested mappings merge."""
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    return copy.deepcopy(override)


CLOUD_BLOCKS = {"aws": "sagemaker", "gcp": "vertex"}
"""The cloud-specific block of each cloud; a default block applies only to deployments of its cloud."""


def _with_defaults(defaults: Mapping[str, Any], deployment: Mapping[str, Any]) -> Any:
    """A deployment with the stack's defaults merged under it (its own keys win, mappings merge key by key).

    ``defaults.sagemaker`` applies to aws deployments only and ``defaults.vertex`` to gcp ones, so one stack can
    default both clouds' options. ``defaults.async`` as a mapping holds the options of the deployments that set
    ``async`` (``async: true`` takes them all); it never makes a real-time deployment asynchronous, and its
    SageMaker-only keys apply to aws deployments only. ``defaults.async: true`` makes every deployment that does
    not say ``async`` asynchronous.
    """
    cloud = deployment.get("cloud", defaults.get("cloud"))
    applicable = {
        key: value
        for key, value in defaults.items()
        if (key not in CLOUD_BLOCKS.values() or CLOUD_BLOCKS.get(str(cloud)) == key) and key != "async"
    }
    merged = _merge(applicable, deployment)
    default_async = defaults.get("async")
    if isinstance(default_async, Mapping):
        if cloud != "aws":
            default_async = {key: value for key, value in default_async.items() if key not in SAGEMAKER_ONLY}
        own = deployment.get("async")
        if own is True:
            merged["async"] = copy.deepcopy(dict(default_async))
        elif isinstance(own, Mapping):
            merged["async"] = _merge(default_async, own)
    elif default_async is True and "async" not in deployment:
        merged["async"] = True
    return merged


def merged_deployments(values: Mapping[str, Any]) -> list[Any]:
    """The raw deployments of a stack file's config with its defaults merged under each (no validation)."""
    defaults = values.get(f"{NAMESPACE}:defaults")
    deployments = values.get(f"{NAMESPACE}:deployments")
    if not isinstance(deployments, list):
        return []
    defaults = defaults if isinstance(defaults, Mapping) else {}
    return [_with_defaults(defaults, item) if isinstance(item, Mapping) else item for item in deployments]


def load_stack_config(values: Mapping[str, Any], stack: str, source: str | None = None) -> StackConfig:
    """Validate the config of one stack.

    Args:
        values: config keys as in the stack file's ``config:`` mapping (``ml-serving:deployments``, ``aws:region``...).
        stack: the stack name.
        source: how to name the stack file in messages, default ``stacks/Pulumi.<stack>.yaml``. When it names an
            existing file, the other stack files beside it are read for fixed names they share with this stack.

    Raises:
        ConfigError: listing every problem, with key paths (as written: under ``defaults`` for a value written
            there, reported once) and fixes.
    """
    source = source or f"stacks/Pulumi.{stack}.yaml"
    problems: list[Problem] = []
    unknown = [
        key
        for key in values
        if key.startswith(f"{NAMESPACE}:") and key not in (f"{NAMESPACE}:deployments", f"{NAMESPACE}:defaults")
    ]
    for key in unknown:
        problems.append(Problem(key, "unknown key", f"use {NAMESPACE}:deployments and {NAMESPACE}:defaults"))
    raw_defaults = values.get(f"{NAMESPACE}:defaults") or {}
    try:
        StackDefaults.model_validate(raw_defaults)
    except ValidationError as error:
        problems += config_error_from_validation(source, error, StackDefaults, prefix="defaults").problems
        raw_defaults = {}
    deployments = values.get(f"{NAMESPACE}:deployments")
    if deployments is None or deployments == "":
        problems.append(
            Problem("deployments", "no deployments", f"add {NAMESPACE}:deployments with at least one deployment")
        )
        deployments = []
    elif not isinstance(deployments, list):
        problems.append(
            Problem(
                "deployments",
                f"must be a list of deployments, got {shown(deployments)}",
                "write it as a YAML list (- name: ...)",
            )
        )
        deployments = []
    merged = [_with_defaults(raw_defaults, item) if isinstance(item, Mapping) else item for item in deployments]
    problems += _unused_cloud_blocks(raw_defaults, merged, source)
    problems += child_collisions(merged)
    try:
        config = StackConfig.model_validate(
            {
                "stack": stack,
                "deployments": merged,
                "aws_region": values.get("aws:region"),
                "gcp_project": values.get("gcp:project"),
                "gcp_region": values.get("gcp:region"),
            }
        )
    except ValidationError as error:
        found = config_error_from_validation(source, error, StackConfig).problems
        found += [p for p in _raw_problems(merged) if p not in found]
        problems += _as_written(found, deployments, raw_defaults)
    else:
        if not problems:
            return config
    raise ConfigError(source, sorted(dict.fromkeys(problems), key=_order))


def _unused_cloud_blocks(defaults: Mapping[str, Any], merged: list[Any], source: str) -> list[Problem]:
    """``defaults.sagemaker`` / ``defaults.vertex`` of a cloud no deployment uses: validated on their own, so that
    a typo there is reported rather than ignored."""
    clouds = {str(item.get("cloud")) for item in merged if isinstance(item, Mapping)}
    problems: list[Problem] = []
    for cloud, block, model in (("aws", "sagemaker", SageMakerOptions), ("gcp", "vertex", VertexOptions)):
        if block in defaults and cloud not in clouds:
            try:
                model.model_validate(defaults[block])
            except ValidationError as error:
                problems += config_error_from_validation(source, error, model, prefix=f"defaults.{block}").problems
    return problems


_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _present(value: Any, path: str) -> bool:
    """True when ``path`` (``scaling.schedules[0].name``) leads to a value inside ``value``."""
    for name, index in _TOKEN.findall(path):
        if index:
            if not isinstance(value, list) or int(index) >= len(value):
                return False
            value = value[int(index)]
        elif isinstance(value, Mapping) and name in value:
            value = value[name]
        else:
            return False
    return True


def _as_written(problems: list[Problem], deployments: list[Any], defaults: Mapping[str, Any]) -> list[Problem]:
    """Problems of a value a deployment took from ``defaults``, placed at ``defaults.KEY`` (and so reported once,
    not once per deployment)."""
    placed: list[Problem] = []
    for problem in problems:
        match = re.match(r"^deployments\[(\d+)\]\.(.+)$", problem.path)
        if match:
            index, rest = int(match.group(1)), match.group(2)
            raw = deployments[index] if index < len(deployments) else None
            if isinstance(raw, Mapping) and not _present(raw, rest) and _present(defaults, rest):
                problem = Problem(f"defaults.{rest}", problem.message, problem.fix)
        placed.append(problem)
    return list(dict.fromkeys(placed))


def _order(problem: Problem) -> tuple[int, str]:
    """Report problems deployment by deployment, in file order."""
    match = re.match(r"^deployments\[(\d+)\]", problem.path)
    return (int(match.group(1)) if match else -1, problem.path)


def _raw_problems(deployments: list[Any]) -> list[Problem]:
    """Checks that need only raw values, run when validation failed, so that a deployment with one bad key
    still reports its other problems (duplicate names, locations that do not fit the cloud, min above max)."""
    names = [
        (raw["name"], f"deployments[{index}].name")
        for index, raw in enumerate(deployments)
        if isinstance(raw, Mapping) and isinstance(raw.get("name"), str)
    ]
    problems = rules.duplicate_problems(names, "deployment name")
    for index, raw in enumerate(deployments):
        if not isinstance(raw, Mapping):
            continue
        prefix = f"deployments[{index}]"
        cloud_rules = {"aws": sagemaker_rules, "gcp": vertex_rules}.get(str(raw.get("cloud")))
        if cloud_rules is not None:
            problems += [p.under(prefix) for p in cloud_rules.location_problems(raw.get("image"), raw.get("artifacts"))]
        scaling = raw.get("scaling")
        if isinstance(scaling, Mapping):
            problems += [
                p.under(f"{prefix}.scaling") for p in rules.bound_problems(scaling.get("min", 1), scaling.get("max", 1))
            ]
    return problems


def read_stack_file(path: str | Path) -> dict[str, Any]:
    """The ``config:`` mapping of a Pulumi stack file, decoded as the Pulumi CLI decodes it (see
    :mod:`components.config.yaml_reader`); anything that cannot be read is a :class:`ConfigError`."""
    return read_config(path)


def stack_name_of(path: str | Path) -> str:
    """``stacks/Pulumi.prod.yaml`` -> ``prod``."""
    name = Path(path).name
    for suffix in (".yaml", ".yml"):
        if name.startswith("Pulumi.") and name.endswith(suffix):
            return name[len("Pulumi.") : -len(suffix)]
    raise ConfigError(str(path), [Problem("", "a stack file is named Pulumi.<stack>.yaml", "rename the file")])


def load_stack_file(path: str | Path) -> StackConfig:
    """Read and validate a stack file; the stack name comes from the file name."""
    return load_stack_config(read_stack_file(path), stack_name_of(path), source=str(path))
