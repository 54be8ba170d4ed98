"""State written by ml-serving 0.1.0 is read, updated and deleted by the new provider without replacement.

The literals below were captured from the 0.1.0 code (commit ee52222) creating a deployment against the fake
server: the provider as ``pulumi.dynamic`` serialised it, the resource's outputs, and the fake's model and endpoint.
The endpoint id is what 0.1.0 deployments have: pulumi-gcp's auto-name of the ``AiEndpoint`` the component declares
as ``{deployment}-endpoint``, i.e. ``sentiment-endpoint-`` + 7 random lowercase hex characters (model and deployed
model ids are Vertex's numeric ones). The deployment key (a hash that includes the endpoint) was computed for that
endpoint with the 0.1.0 code (``DeploymentSpec.deployment_key`` at ee52222).
"""

from __future__ import annotations

import base64
import copy
import re
from typing import Any

import dill
import pytest
from google.auth.credentials import AnonymousCredentials

from components.facts import gcp as facts
from components.gcp.model_deployment import VertexModelDeploymentProvider
from tests.fakes.vertex_server import FakeVertexServer

SERIALISED_PROVIDER_0_1_0 = (
    "gASVjQAAAAAAAACMH2NvbXBvbmVudHMuZ2NwLm1vZGVsX2RlcGxveW1lbnSUjB1WZXJ0ZXhNb2RlbERlcGxveW1lbnRQcm92aWRlcpSTlCmBlH2U"
    "jAtjcmVkZW50aWFsc5SMF2dvb2dsZS5hdXRoLmNyZWRlbnRpYWxzlIwUQW5vbnltb3VzQ3JlZGVudGlhbHOUk5RzYi4="
)


def deserialize_provider(serialised: str) -> Any:
    """What the ``pulumi-python`` dynamic provider host does with ``__provider`` (pulumi/dynamic/__main__.py)."""
    return dill.loads(base64.b64decode(serialised))


ENDPOINT_ID_0_1_0 = "sentiment-endpoint-3f9a1c2"
ID_0_1_0 = (
    f"projects/fake-project/locations/us-central1/endpoints/{ENDPOINT_ID_0_1_0}/deployedModels/7000000000000000003"
)
STATE_0_1_0: dict[str, Any] = {
    "accelerator_count": 1,
    "accelerator_type": "NVIDIA_L4",
    "api_endpoint": "API",
    "artifact_uri": "gs://fake-bucket/sentiment/1",
    "deployed_model_id": "7000000000000000003",
    "deployment_key": "c9dceaae57b143026b8251faac0113d7607c2f43",
    "display_name": "sentiment-prod",
    "endpoint": f"projects/fake-project/locations/us-central1/endpoints/{ENDPOINT_ID_0_1_0}",
    "env": {"MODEL_NAME": "sentiment"},
    "health_route": "/health",
    "image_uri": "us-docker.pkg.dev/fake-project/serving/sentiment:1",
    "labels": {"team": "ml"},
    "machine_type": "g2-standard-8",
    "max_replicas": 3,
    "metric": "gpu",
    "min_replicas": 1,
    "model": "projects/123456789012/locations/us-central1/models/9000000000000000001",
    "model_version_id": "1",
    "operation_timeout_seconds": 5.0,
    "poll_interval_seconds": 0.01,
    "port": 8080,
    "predict_route": "/predict",
    "project": "fake-project",
    "region": "us-central1",
    "service_account": "serving@fake-project.iam.gserviceaccount.com",
    "target": 70,
}
MODEL_0_1_0: dict[str, Any] = {
    "displayName": "sentiment-prod",
    "containerSpec": {
        "imageUri": "us-docker.pkg.dev/fake-project/serving/sentiment:1",
        "env": [{"name": "MODEL_NAME", "value": "sentiment"}],
        "ports": [{"containerPort": 8080}],
        "predictRoute": "/predict",
        "healthRoute": "/health",
    },
    "labels": {"team": "ml", "ml_serving_deployment_key": "c9dceaae57b143026b8251faac0113d7607c2f43"},
    "artifactUri": "gs://fake-bucket/sentiment/1",
    "name": "projects/123456789012/locations/us-central1/models/9000000000000000001",
    "versionId": "1",
    "versionAliases": ["default"],
    "createTime": "2025-01-01T00:00:00Z",
    "updateTime": "2025-01-01T00:00:00Z",
    "deployedModels": [
        {
            "endpoint": f"projects/123456789012/locations/us-central1/endpoints/{ENDPOINT_ID_0_1_0}",
            "deployedModelId": "7000000000000000003",
        }
    ],
}
DEPLOYED_0_1_0: dict[str, Any] = {
    "model": "projects/123456789012/locations/us-central1/models/9000000000000000001",
    "displayName": "sentiment-prod",
    "dedicatedResources": {
        "machineSpec": {"machineType": "g2-standard-8", "acceleratorType": 11, "acceleratorCount": 1},
        "minReplicaCount": 1,
        "maxReplicaCount": 3,
        "autoscalingMetricSpecs": [
            {"metricName": "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle", "target": 70}
        ],
    },
    "serviceAccount": "serving@fake-project.iam.gserviceaccount.com",
    "id": "7000000000000000003",
    "modelVersionId": "1",
    "createTime": "2025-01-01T00:00:00Z",
}


@pytest.fixture
def old_world(vertex_server: FakeVertexServer) -> dict[str, Any]:
    """The fake holding what 0.1.0 created; returns the 0.1.0 state pointed at the fake."""
    endpoint = vertex_server.add_endpoint(ENDPOINT_ID_0_1_0)
    with vertex_server.lock:
        vertex_server.models["9000000000000000001"] = copy.deepcopy(MODEL_0_1_0)
        state = vertex_server.endpoints[ENDPOINT_ID_0_1_0]
        state["deployedModels"] = [copy.deepcopy(DEPLOYED_0_1_0)]
        state["trafficSplit"] = {"7000000000000000003": 100}
    assert endpoint == STATE_0_1_0["endpoint"]
    return {**STATE_0_1_0, "api_endpoint": vertex_server.base_url}


def new_inputs(state: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """What the 0.2.0 component sends for the same deployment (inputs only), checked."""
    provider = VertexModelDeploymentProvider(credentials=AnonymousCredentials)
    inputs = {
        k: v for k, v in state.items() if k not in ("model", "model_version_id", "deployed_model_id", "deployment_key")
    }
    result = provider.check({}, {**inputs, **changes})
    assert result.failures == []
    return result.inputs


def test_the_0_1_0_endpoint_id_is_an_auto_name_vertex_accepts() -> None:
    # pulumi auto-name of the logical name `sentiment-endpoint`; CreateEndpointRequest.endpoint_id: a lowercase
    # letter first, [a-z0-9-], at most 63 characters (or up to 9 digits, which an auto-name never is)
    assert re.fullmatch(r"sentiment-endpoint-[0-9a-f]{7}", ENDPOINT_ID_0_1_0)
    assert facts.ENDPOINT_ID.match(ENDPOINT_ID_0_1_0)
    assert STATE_0_1_0["endpoint"].rsplit("/", 1)[-1] == ENDPOINT_ID_0_1_0


def test_the_0_1_0_serialised_provider_loads_as_the_new_class() -> None:
    provider = deserialize_provider(SERIALISED_PROVIDER_0_1_0)

    assert type(provider) is VertexModelDeploymentProvider
    assert provider.credentials is AnonymousCredentials


def test_0_1_0_state_is_read_back_unchanged(vertex_server: FakeVertexServer, old_world: dict[str, Any]) -> None:
    provider = deserialize_provider(SERIALISED_PROVIDER_0_1_0)

    result = provider.read(ID_0_1_0, old_world)

    assert result.id == ID_0_1_0
    assert result.outs is not None
    assert (result.outs["deployed_model_id"], result.outs["model"]) == (
        "7000000000000000003",
        "projects/123456789012/locations/us-central1/models/9000000000000000001",
    )
    assert (result.outs["metric"], result.outs["target"]) == ("gpu", 70)
    assert "instance_id" not in result.outs


def test_0_1_0_state_updates_in_place_to_the_explicit_metric_specs(
    vertex_server: FakeVertexServer, old_world: dict[str, Any]
) -> None:
    provider = deserialize_provider(SERIALISED_PROVIDER_0_1_0)
    news = new_inputs(old_world)

    diff = provider.diff(ID_0_1_0, old_world, news)
    assert (diff.changes, diff.replaces) == (True, [])
    result = provider.update(ID_0_1_0, old_world, news)

    assert vertex_server.calls() == ["MutateDeployedModel"]
    [mutate] = vertex_server.requests_for("MutateDeployedModel")
    assert mutate.body is not None and mutate.body["updateMask"] == "dedicatedResources.autoscalingMetricSpecs"
    assert vertex_server.deployed_models(STATE_0_1_0["endpoint"])[0]["dedicatedResources"][
        "autoscalingMetricSpecs"
    ] == [
        {"metricName": "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle", "target": 70},
        {"metricName": "aiplatform.googleapis.com/prediction/online/cpu/utilization", "target": 100},
    ]
    assert result.outs is not None and result.outs["deployed_model_id"] == "7000000000000000003"
    assert vertex_server.traffic_split(STATE_0_1_0["endpoint"]) == {"7000000000000000003": 100}


def test_0_1_0_state_with_a_new_kms_key_is_a_replacement_and_nothing_else(old_world: dict[str, Any]) -> None:
    provider = deserialize_provider(SERIALISED_PROVIDER_0_1_0)
    news = new_inputs(old_world, kms_key_name="projects/fake-project/locations/us-central1/keyRings/r/cryptoKeys/k")

    diff = provider.diff(ID_0_1_0, old_world, news)

    assert (diff.replaces, diff.delete_before_replace) == (["kms_key_name"], False)


def test_0_1_0_state_is_deleted(vertex_server: FakeVertexServer, old_world: dict[str, Any]) -> None:
    provider = deserialize_provider(SERIALISED_PROVIDER_0_1_0)

    provider.delete(ID_0_1_0, old_world)

    assert vertex_server.calls() == ["GetEndpoint", "UndeployModel", "GetModel", "DeleteModel"]
    assert vertex_server.models == {} and vertex_server.deployed_models(STATE_0_1_0["endpoint"]) == []


def test_0_1_0_collision_never_deletes_a_model_still_serving(
    vertex_server: FakeVertexServer, old_world: dict[str, Any]
) -> None:
    """0.1.0 could leave two states on one model (the revert bug); deleting the stale one keeps the model."""
    with vertex_server.lock:
        endpoint = vertex_server.endpoints[ENDPOINT_ID_0_1_0]
        live = {**copy.deepcopy(DEPLOYED_0_1_0), "id": "7000000000000000099"}
        endpoint["deployedModels"].append(live)
        endpoint["trafficSplit"] = {"7000000000000000003": 0, "7000000000000000099": 100}
        vertex_server.models["9000000000000000001"]["deployedModels"].append(
            {"endpoint": endpoint["name"], "deployedModelId": "7000000000000000099"}
        )
    provider = deserialize_provider(SERIALISED_PROVIDER_0_1_0)

    provider.delete(ID_0_1_0, old_world)

    assert [d["id"] for d in vertex_server.deployed_models(STATE_0_1_0["endpoint"])] == ["7000000000000000099"]
    assert list(vertex_server.models) == ["9000000000000000001"]
    assert "DeleteModel" not in vertex_server.calls()
