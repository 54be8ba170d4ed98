"""The ml-serving program: one component per deployment of the stack, outputs exported per deployment.

``__main__.py`` calls :func:`stack_config_from_pulumi` then :func:`declare_deployments`; another Pulumi project
can call :func:`declare_deployments` with a :class:`~components.config.StackConfig` it built itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import pulumi

from .aws import SageMakerDeployment
from .config import NAMESPACE, ConfigError, StackConfig, load_stack_config
from .gcp import VertexDeployment

PROVIDER_KEYS = ("aws:region", "gcp:project", "gcp:region")


def stack_config_from_pulumi() -> StackConfig:
    """Read and validate the running stack's config; a bad stack file stops the program with the full report."""
    values: dict[str, Any] = {}
    namespace = pulumi.Config(NAMESPACE)
    for key in ("deployments", "defaults"):
        value = namespace.get_object(key)
        if value is not None:
            values[f"{NAMESPACE}:{key}"] = value
    for key in PROVIDER_KEYS:
        package, _, name = key.partition(":")
        value = pulumi.Config(package).get(name)
        if value is not None:
            values[key] = value
    try:
        return load_stack_config(values, pulumi.get_stack())
    except ConfigError as error:
        raise pulumi.RunError(str(error)) from None


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
