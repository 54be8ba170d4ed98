"""Fixtures of the Vertex AI tests: a fake Vertex AI REST server started and stopped per test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
"""Repository root; put on ``sys.path`` so ``components`` and ``tests.fakes`` import without installation."""
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes.vertex_server import FakeVertexServer  # noqa: E402


@pytest.fixture
def vertex_server() -> Iterator[FakeVertexServer]:
    """A started :class:`FakeVertexServer` (operations finish after one poll), stopped after the test."""
    server = FakeVertexServer(polls_until_done=1).start()
    try:
        yield server
    finally:
        server.stop()
