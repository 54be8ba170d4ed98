"""Fixtures of the Vertex AI tests: a fake Vertex AI REST server started and stopped per test, an empty endpoint
on it, and the model-deployment provider with anonymous credentials."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
"""Repository root; put on ``sys.path`` so ``components`` and ``tests.fakes`` import without installation."""
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from google.auth.credentials import AnonymousCredentials  # noqa: E402

from components.gcp.model_deployment import VertexModelDeploymentProvider  # noqa: E402
from tests.fakes.vertex_server import FakeVertexServer  # noqa: E402


@pytest.fixture
def vertex_server() -> Iterator[FakeVertexServer]:
    """A started :class:`FakeVertexServer` (operations finish after one poll), stopped after the test."""
    server = FakeVertexServer(polls_until_done=1).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def provider() -> VertexModelDeploymentProvider:
    """The model-deployment provider with anonymous credentials (the fake does not authenticate)."""
    return VertexModelDeploymentProvider(credentials=AnonymousCredentials)


@pytest.fixture
def endpoint(vertex_server: FakeVertexServer) -> str:
    """An empty endpoint on the fake, by full name (project id form, as pulumi-gcp reports it)."""
    return vertex_server.add_endpoint()
