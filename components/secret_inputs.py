"""Secret stack-file values as Pulumi secrets: what a component passes as a resource input."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pulumi

from .config import DeploymentConfig


def secret_wrapped(
    values: Mapping[str, Any] | Iterable[tuple[str, Any]], secret_names: frozenset[str]
) -> dict[str, Any]:
    """``values`` with those named in ``secret_names`` wrapped in ``pulumi.Output.secret``, so that they stay
    encrypted in the resource's inputs, outputs and state."""
    items = values.items() if isinstance(values, Mapping) else values
    return {name: pulumi.Output.secret(value) if name in secret_names else value for name, value in items}


def environment_inputs(config: DeploymentConfig, environment: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The deployment's environment (or ``environment`` resolved from it), its secret values (written as
    ``secure:`` in the stack file) wrapped in ``pulumi.Output.secret``."""
    return secret_wrapped(config.environment if environment is None else environment, config.secret_environment)
