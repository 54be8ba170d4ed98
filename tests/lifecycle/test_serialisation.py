"""The provider survives Pulumi's serialisation into the state and runs in a fresh provider-host process."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import textwrap

import dill
from builders import REPO
from pulumi.dynamic.dynamic import serialize_provider

from components.aws.endpoint_lifecycle import EndpointLifecycleProvider
from tests.fakes.sagemaker_server import FAKE_URL_VARIABLE, FakeAwsServer, FakeSageMaker, env_clients


def test_default_provider_is_pickled_by_reference() -> None:
    serialized = serialize_provider(EndpointLifecycleProvider())
    restored = dill.loads(base64.b64decode(serialized))
    assert type(restored) is EndpointLifecycleProvider
    assert restored.clients is None and restored.sleep is None
    assert b"components.aws.endpoint_lifecycle.provider" in base64.b64decode(serialized)


def test_provider_runs_in_a_fresh_process_against_the_fake() -> None:
    state = FakeSageMaker()
    state.add_config("cfg-a", {"primary": ("ml.m5.large", 1)})
    state.add_config("cfg-b", {"primary": ("ml.m5.large", 1)})
    state.add_endpoint("svc-endpoint-1234567", "cfg-a")
    serialized = serialize_provider(EndpointLifecycleProvider(clients=env_clients))
    # What the pulumi-python dynamic provider host does: decode, dill.loads, then call the provider.
    script = textwrap.dedent(
        """
        import base64, sys
        import dill
        provider = dill.loads(base64.b64decode(sys.argv[1]))
        props = {"endpoint_name": "svc-endpoint-1234567", "endpoint_config_name": "cfg-b", "region": "us-east-1",
                 "timeout_seconds": 60, "poll_seconds": 0}
        outs = provider.update("svc-endpoint-1234567", {}, provider.check({}, props).inputs).outs
        print(type(provider).__module__, type(provider).__name__, outs["endpoint_config_name"], outs["endpoint_status"])
        """
    )
    with FakeAwsServer(state) as server:
        done = subprocess.run(
            [sys.executable, "-c", script, serialized],
            cwd=REPO,
            env={**os.environ, FAKE_URL_VARIABLE: server.url, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "components.aws.endpoint_lifecycle.provider",
        "EndpointLifecycleProvider",
        "cfg-b",
        "InService",
    ]
    assert state.endpoints["svc-endpoint-1234567"]["config"] == "cfg-b"
