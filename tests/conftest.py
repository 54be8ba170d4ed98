"""Shared fixtures: run the real program (``__main__.py``) under the shared mock runtime, build configs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from builders import REPO, aws_deployment

from components.config import DeploymentConfig
from components.mock_runtime import DeclaredStack, run_main


@pytest.fixture
def run_stack() -> Callable[..., DeclaredStack]:
    """Run this repository's ``__main__.py`` under the mock runtime for the given config values."""

    def run(values: dict[str, Any], stack: str = "test") -> DeclaredStack:
        return run_main(REPO, stack=stack, config=values)

    return run


@pytest.fixture
def aws_config() -> Callable[..., DeploymentConfig]:
    """Build a validated aws ``DeploymentConfig`` from overrides of the standard test deployment."""

    def build(**overrides: Any) -> DeploymentConfig:
        return DeploymentConfig.model_validate(aws_deployment(**overrides))

    return build
