"""The ml-serving program: one component per deployment of the stack, outputs exported per deployment.

``__main__.py`` calls :func:`stack_config_from_pulumi` then :func:`declare_deployments`; another Pulumi project
can call :func:`declare_deployments` with a :class:`~components.config.StackConfig` it built itself.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import pulumi
import yaml
from pulumi.runtime.config import is_config_secret

from .aws import SageMakerDeployment
from .config import NAMESPACE, ConfigError, StackConfig, load_stack_config, read_stack_file
from .config.secrets import mark_all_environment_values, mark_secure_paths, secure_paths
from .gcp import VertexDeployment

PROVIDER_KEYS = ("aws:region", "gcp:project", "gcp:region")


def stack_config_from_pulumi() -> StackConfig:
    """Read and validate the running stack's config; a bad stack file stops the program with the full report."""
    values: dict[str, Any] = {}
    namespace = pulumi.Config(NAMESPACE)
    for key in ("deployments", "defaults"):
        value = _object_or_text(namespace.get(key))
        if value is not None:
            full = f"{NAMESPACE}:{key}"
            values[full] = with_secrets_marked(full, value) if is_config_secret(full) else value
    for key in PROVIDER_KEYS:
        package, _, name = key.partition(":")
        value = pulumi.Config(package).get(name)
        if value is not None:
            values[key] = value
    try:
        return load_stack_config(values, pulumi.get_stack())
    except ConfigError as error:
        raise pulumi.RunError(str(error)) from None


def _object_or_text(text: str | None) -> Any:
    """A config value as the engine hands it over: JSON for objects, else the text itself (validation then says
    what is wrong with it); an empty value (``key:`` with nothing after it) is absent."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def stack_file_path(stack: str, project_dir: Path | None = None) -> Path:
    """Where the running stack's file is: ``<stackConfigDir>/Pulumi.<stack>.yaml`` of the project."""
    project_dir = project_dir or Path.cwd()
    settings = yaml.safe_load((project_dir / "Pulumi.yaml").read_text(encoding="utf-8")) or {}
    return project_dir / str(settings.get("stackConfigDir", ".")) / f"Pulumi.{stack}.yaml"


def with_secrets_marked(key: str, decrypted: Any, project_dir: Path | None = None) -> Any:
    """A secret config object as the engine hands it over (decrypted, secret as a whole) with each value the stack
    file holds as ``secure:`` wrapped back into ``{secure: VALUE}``, so validation knows which values are secrets.

    When the stack file cannot be read (config from an ESC environment, a moved file), every environment value is
    treated as a secret: over-marking shows ``[secret]`` for a plain value, never a secret in plain text.
    """
    try:
        written = read_stack_file(stack_file_path(pulumi.get_stack(), project_dir)).get(key)
    except (ConfigError, OSError, yaml.YAMLError):
        written = None
    paths = list(secure_paths(written)) if written is not None else []
    if not paths:
        pulumi.log.warn(
            f"{key} holds secrets at positions the stack file does not show; every environment value "
            "is treated as a secret"
        )
        return mark_all_environment_values(decrypted)
    return mark_secure_paths(decrypted, paths)


class DeploymentComponent(Protocol):
    """What every cloud's deployment component offers the program."""

    def outputs(self) -> Mapping[str, pulumi.Output[Any]]:
        """The outputs exported for the deployment."""
        ...


def declare_deployments(stack: StackConfig) -> dict[str, DeploymentComponent]:
    """Declare one component per deployment and export its outputs under the deployment's name."""
    components: dict[str, DeploymentComponent] = {}
    for deployment in stack.deployments:
        component: DeploymentComponent
        if deployment.cloud == "aws":
            component = SageMakerDeployment(deployment.name, deployment)
        else:
            component = VertexDeployment(
                deployment.name, deployment, project=stack.gcp_project, region=stack.gcp_region
            )
        pulumi.export(deployment.name, component.outputs())
        components[deployment.name] = component
    return components
