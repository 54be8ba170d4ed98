"""The whole `ml-serving:` namespace of a stack file, and how it is read from a file or from Pulumi config."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from . import sagemaker as sagemaker_rules
from . import vertex as vertex_rules
from .base import ConfigModel
from .deployment import DeploymentConfig
from .problems import ConfigError, Problem, config_error_from_validation, raise_if_any
from .scaling import bound_problems

NAMESPACE = "ml-serving"


class StackDefaults(ConfigModel):
    """Keys shared by every deployment of the stack (`ml-serving:defaults`); a deployment's own keys win.

    Mappings (`scaling`, `tags`, `environment`, `sagemaker`, `vertex`, `async`) are merged key by key.
    """

    cloud: str | None = Field(None, description="Default cloud of the deployments.")
    image: str | None = Field(None, description="Default serving image.")
    accelerator: dict[str, Any] | None = Field(None, description="Default accelerator.")
    scaling: dict[str, Any] | None = Field(None, description="Default scaling keys.")
    environment: dict[str, str] | None = Field(None, description="Environment variables for every deployment.")
    tags: dict[str, str] | None = Field(None, description="Tags / labels on every resource of the stack.")
    sagemaker: dict[str, Any] | None = Field(
        None, description="Default SageMaker options, applied to aws deployments only."
    )
    vertex: dict[str, Any] | None = Field(
        None, description="Default Vertex AI options, applied to gcp deployments only."
    )
    async_inference: Any = Field(None, alias="async", description="Default async setting.")


class StackConfig(ConfigModel):
    """A validated stack: its deployments plus the provider settings they need."""

    stack: str = Field(description="Stack name (`dev` for stacks/Pulumi.dev.yaml).")
    deployments: tuple[DeploymentConfig, ...] = Field(
        description="The deployments of the stack, `ml-serving:deployments`."
    )
    aws_region: str | None = Field(None, description="`aws:region`, required when a deployment uses aws.")
    gcp_project: str | None = Field(None, description="`gcp:project`, required when a deployment uses gcp.")
    gcp_region: str | None = Field(None, description="`gcp:region`, required when a deployment uses gcp.")

    @model_validator(mode="after")
    def _stack_rules(self) -> StackConfig:
        problems: list[Problem] = []
        seen: dict[str, int] = {}
        for index, deployment in enumerate(self.deployments):
            if deployment.name in seen:
                problems.append(
                    Problem(
                        f"deployments[{index}].name",
                        f"'{deployment.name}' is already used by deployments[{seen[deployment.name]}]",
                        "give every deployment its own name",
                    )
                )
            seen.setdefault(deployment.name, index)
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
                rules = vertex_rules.region_problems(deployment, self.gcp_region)
                problems += [p.under(f"deployments[{index}]") for p in rules]
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
    default both clouds' options.
    """
    cloud = deployment.get("cloud", defaults.get("cloud"))
    applicable = {
        key: value
        for key, value in defaults.items()
        if key not in CLOUD_BLOCKS.values() or CLOUD_BLOCKS.get(str(cloud)) == key
    }
    return _merge(applicable, deployment)


def _all_keys() -> set[str]:
    """Every key the stack file accepts, for did-you-mean hints."""
    keys: set[str] = set()
    pending: list[type[BaseModel]] = [StackConfig, StackDefaults]
    seen: set[type[BaseModel]] = set()
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            keys.add(field.alias or name)
            for candidate in _models_in(field.annotation):
                pending.append(candidate)
    return keys


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    found = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for argument in getattr(annotation, "__args__", ()) or ():
        found += _models_in(argument)
    return found


def load_stack_config(values: Mapping[str, Any], stack: str, source: str | None = None) -> StackConfig:
    """Validate the config of one stack.

    Args:
        values: config keys as in the stack file's ``config:`` mapping (``ml-serving:deployments``, ``aws:region``...).
        stack: the stack name.
        source: how to name the stack file in messages, default ``stacks/Pulumi.<stack>.yaml``.

    Raises:
        ConfigError: listing every problem, with key paths and fixes.
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
        problems += config_error_from_validation(source, error, _all_keys(), prefix="defaults").problems
        raw_defaults = {}
    deployments = values.get(f"{NAMESPACE}:deployments")
    if deployments is None:
        problems.append(
            Problem("deployments", "no deployments", f"add {NAMESPACE}:deployments with at least one deployment")
        )
        deployments = []
    elif not isinstance(deployments, list):
        problems.append(
            Problem(
                "deployments",
                f"must be a list of deployments, got {type(deployments).__name__}",
                "write it as a YAML list (- name: ...)",
            )
        )
        deployments = []
    merged = [_with_defaults(raw_defaults, item) if isinstance(item, Mapping) else item for item in deployments]
    try:
        if problems:
            raise ConfigError(source, problems)
        return StackConfig.model_validate(
            {
                "stack": stack,
                "deployments": merged,
                "aws_region": values.get("aws:region"),
                "gcp_project": values.get("gcp:project"),
                "gcp_region": values.get("gcp:region"),
            }
        )
    except ValidationError as error:
        problems += config_error_from_validation(source, error, _all_keys()).problems
        problems += [p for p in _raw_problems(merged) if p not in problems]
    raise ConfigError(source, sorted(problems, key=_order))


def _order(problem: Problem) -> tuple[int, str]:
    """Report problems deployment by deployment, in file order."""
    match = re.match(r"^deployments\[(\d+)\]", problem.path)
    return (int(match.group(1)) if match else -1, problem.path)


def _raw_problems(deployments: list[Any]) -> list[Problem]:
    """Checks that need only raw values, run when validation failed, so that a deployment with one bad key
    still reports its other problems (duplicate names, locations that do not fit the cloud, min above max)."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(deployments):
        if not isinstance(raw, Mapping):
            continue
        prefix = f"deployments[{index}]"
        name = raw.get("name")
        if isinstance(name, str):
            if name in seen:
                problems.append(
                    Problem(
                        f"{prefix}.name",
                        f"'{name}' is already used by deployments[{seen[name]}]",
                        "give every deployment its own name",
                    )
                )
            seen.setdefault(name, index)
        rules = {"aws": sagemaker_rules, "gcp": vertex_rules}.get(str(raw.get("cloud")))
        if rules is not None:
            problems += [p.under(prefix) for p in rules.location_problems(raw.get("image"), raw.get("artifacts"))]
        scaling = raw.get("scaling")
        if isinstance(scaling, Mapping):
            problems += [
                p.under(f"{prefix}.scaling") for p in bound_problems(scaling.get("min", 1), scaling.get("max", 1))
            ]
    return problems


def read_stack_file(path: str | Path) -> dict[str, Any]:
    """The ``config:`` mapping of a Pulumi stack file, values as written (objects stay objects)."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        document = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ConfigError(str(path), [Problem("", f"not valid YAML: {error}", "fix the YAML syntax")]) from None
    if not isinstance(document, Mapping):
        raise ConfigError(str(path), [Problem("", "the file is not a YAML mapping", "start with `config:`")])
    config = document.get("config") or {}
    if not isinstance(config, Mapping):
        raise ConfigError(
            str(path), [Problem("config", "must be a mapping of keys", "indent the keys under `config:`")]
        )
    return {str(key): value for key, value in config.items()}


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
