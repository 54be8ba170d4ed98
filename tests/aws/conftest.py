"""Fixtures of the SageMaker tests: a module-scoped runner, so that one plan serves several assertions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from builders import REPO

from components.mock_runtime import DeclaredStack, run_main


@pytest.fixture(scope="module")
def module_run_stack() -> Callable[..., DeclaredStack]:
    """Like ``run_stack``, usable by module-scoped fixtures (each plan is computed once per test module)."""

    def run(values: dict[str, Any], stack: str = "test") -> DeclaredStack:
        return run_main(REPO, stack=stack, config=values)

    return run
