"""The Vertex provider's state keeps a secret environment value only under the input's own key, `env`.

The engine marks a provider output secret when the input of the same name held a secret (``annotateSecrets`` in
``pkg/resource/plugin/provider_plugin.go``), so a secret ``env`` input stays encrypted in state as long as the
provider writes the value nowhere else.
"""

from __future__ import annotations

import json

from tests.fakes.vertex_server import FakeVertexServer
from tests.gcp.test_vertex_model_deployment import create

SECRET = "hunter2-do-not-store"


def test_secret_env_is_stored_only_under_env(provider, vertex_server: FakeVertexServer, endpoint: str) -> None:
    _, outs = create(provider, vertex_server, endpoint, env={"API_KEY": SECRET, "LOG_LEVEL": "info"})
    holding = sorted(key for key, value in outs.items() if SECRET in json.dumps(value))
    assert holding == ["env"]
