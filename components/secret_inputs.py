"""Secret stack-file values as Pulumi secrets: what a component passes as a resource input."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from .config import DeploymentConfig


def environment_inputs(config: DeploymentConfig, environment: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The deployment's environment (or ``environment`` resolved from it), its secret values (written as
    ``secure:`` in the stack file) wrapped in ``pulumi.Output.secret`` so that they stay encrypted in the resource's
    inputs, outputs and state."""
    secret = config.secret_environment
    values = config.environment if environment is None else environment
    return {name: pulumi.Output.secret(value) if name in secret else value for name, value in values.items()}
