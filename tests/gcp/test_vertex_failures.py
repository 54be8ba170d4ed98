"""Failure sequences of the Vertex model deployment: reverts after a failed undeploy or delete, transient errors.

The provider is driven the way the Pulumi engine drives a create-before-delete replacement (check, diff, create the
new resource, delete the old one; a failed delete stays in the state as a pending delete that the next ``pulumi up``
retries at its end), against the strict fake server with injected faults.
"""

from __future__ import annotations

from typing import Any

import pytest

from components.gcp.model_deployment import VertexModelDeploymentProvider
from components.gcp.vertex_api import VertexApiError
from tests.fakes.vertex_server import FakeVertexServer

IMAGE_V1 = "us-docker.pkg.dev/fake-project/serving/sentiment:1"
IMAGE_V2 = "us-docker.pkg.dev/fake-project/serving/sentiment:2"


def inputs(
    provider: VertexModelDeploymentProvider, server: FakeVertexServer, endpoint: str, image: str
) -> dict[str, Any]:
    """Checked inputs of a CPU deployment of ``image``."""
    props = {
        "project": server.project,
        "region": server.region,
        "endpoint": endpoint,
        "display_name": "sentiment",
        "image_uri": image,
        "min_replicas": 1.0,
        "max_replicas": 2.0,
        "metric": "cpu",
        "target": 60.0,
        "api_endpoint": server.base_url,
        "operation_timeout_seconds": 2.0,
        "poll_interval_seconds": 0.01,
    }
    result = provider.check({}, props)
    assert result.failures == []
    return result.inputs


def create(provider: VertexModelDeploymentProvider, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Create and return ``(id, outputs)``."""
    result = provider.create(news)
    assert result.outs is not None
    return result.id, result.outs


def serving(server: FakeVertexServer, endpoint: str) -> dict[str, str]:
    """Image of the model receiving 100 % of the endpoint's traffic, by deployed model id."""
    split = server.traffic_split(endpoint)
    [live] = [d for d in server.deployed_models(endpoint) if split.get(d["id"]) == 100]
    model = server.models[live["model"].rsplit("/", 1)[-1]]
    return {live["id"]: model["containerSpec"]["imageUri"]}


@pytest.mark.parametrize("failing", ["UndeployModel", "DeleteModel"])
def test_revert_after_a_failed_delete_keeps_the_live_model_and_converges(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str, failing: str
) -> None:
    # pulumi up #1: v1.
    v1_id, v1 = create(provider, inputs(provider, vertex_server, endpoint, IMAGE_V1))
    # pulumi up #2: v2 replaces v1; the delete of v1 fails (operation ends UNAVAILABLE): v1 becomes a pending delete.
    v2_news = inputs(provider, vertex_server, endpoint, IMAGE_V2)
    assert provider.diff(v1_id, v1, v2_news).replaces == ["image_uri"]
    v2_id, v2 = create(provider, v2_news)
    vertex_server.fail_operation(failing, "UNAVAILABLE", "The service is currently unavailable.")
    with pytest.raises(VertexApiError):
        provider.delete(v1_id, v1)
    pending_deletes = [(v1_id, v1)]
    assert serving(vertex_server, endpoint) == {v2["deployed_model_id"]: IMAGE_V2}

    # pulumi up #3: the user reverts to v1. The replacement of v2 is created, then v2 and the pending v1 are deleted.
    v1_again_news = inputs(provider, vertex_server, endpoint, IMAGE_V1)
    assert provider.diff(v2_id, v2, v1_again_news).replaces == ["image_uri"]
    v3_id, v3 = create(provider, v1_again_news)
    assert v3["deployment_key"] == v1["deployment_key"]  # same inputs as v1 ...
    assert v3["instance_id"] != v1["instance_id"] and v3["model"] != v1["model"]  # ... never its resources
    assert serving(vertex_server, endpoint) == {v3["deployed_model_id"]: IMAGE_V1}
    provider.delete(v2_id, v2)
    for old_id, old in pending_deletes:
        provider.delete(old_id, old)

    assert serving(vertex_server, endpoint) == {v3["deployed_model_id"]: IMAGE_V1}
    assert [d["id"] for d in vertex_server.deployed_models(endpoint)] == [v3["deployed_model_id"]]
    assert [m["name"] for m in vertex_server.models.values()] == [v3["model"]]

    # pulumi up #4 (and a refresh) converge: nothing to change, nothing pending.
    assert provider.read(v3_id, v3).outs is not None
    assert provider.diff(v3_id, v3, inputs(provider, vertex_server, endpoint, IMAGE_V1)).changes is False


def test_a_single_503_on_the_undeploy_of_a_replacement_is_retried(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    v1_id, v1 = create(provider, inputs(provider, vertex_server, endpoint, IMAGE_V1))
    _, v2 = create(provider, inputs(provider, vertex_server, endpoint, IMAGE_V2))
    vertex_server.fail_next("UndeployModel", 503)

    provider.delete(v1_id, v1)

    assert len(vertex_server.requests_for("UndeployModel")) == 2
    assert [d["id"] for d in vertex_server.deployed_models(endpoint)] == [v2["deployed_model_id"]]


CALLS_OF_A_CREATE = ["GetEndpoint", "ListModels", "UploadModel", "DeployModel", "UpdateModel", "GetOperation"]


@pytest.mark.parametrize("status", [429, 503, 504])
@pytest.mark.parametrize("call", CALLS_OF_A_CREATE)
def test_one_transient_error_on_any_call_of_a_create_does_not_fail_it(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str, call: str, status: int
) -> None:
    vertex_server.fail_next(call, status)

    _, outs = create(provider, inputs(provider, vertex_server, endpoint, IMAGE_V1))

    assert len(vertex_server.models) == 1 and len(vertex_server.deployed_models(endpoint)) == 1
    assert vertex_server.traffic_split(endpoint) == {outs["deployed_model_id"]: 100}


@pytest.mark.parametrize("call", ["GetEndpoint", "MutateDeployedModel", "UndeployModel", "GetModel", "DeleteModel"])
def test_one_503_on_any_call_of_an_update_or_delete_does_not_fail_it(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str, call: str
) -> None:
    id_, outs = create(provider, inputs(provider, vertex_server, endpoint, IMAGE_V1))
    vertex_server.fail_next(call, 503)

    news = {**inputs(provider, vertex_server, endpoint, IMAGE_V1), "max_replicas": 3}
    result = provider.update(id_, outs, news)
    assert result.outs is not None
    provider.delete(id_, result.outs)

    assert vertex_server.models == {} and vertex_server.deployed_models(endpoint) == []


def test_an_upload_whose_answer_was_lost_is_not_repeated(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    vertex_server.polls_until_done = 0  # the upload finished before the lost answer would be retried
    vertex_server.fail_after_next("UploadModel", 503)

    _, outs = create(provider, inputs(provider, vertex_server, endpoint, IMAGE_V1))

    assert len(vertex_server.requests_for("UploadModel")) == 1  # the retry looked the model up instead
    assert list(vertex_server.models) == [outs["model"].rsplit("/", 1)[-1]]


def test_a_deploy_whose_answer_was_lost_is_not_repeated(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    vertex_server.polls_until_done = 0  # the deploy finishes before the lost answer would be retried
    vertex_server.fail_after_next("DeployModel", 504)

    _, outs = create(provider, inputs(provider, vertex_server, endpoint, IMAGE_V1))

    assert len(vertex_server.requests_for("DeployModel")) == 1
    assert [d["id"] for d in vertex_server.deployed_models(endpoint)] == [outs["deployed_model_id"]]


def test_errors_after_the_last_attempt_name_the_deployment_the_call_and_the_quota(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    vertex_server.fail_next(
        "UploadModel", 429, "Quota exceeded for aiplatform.googleapis.com/online_prediction_requests.", times=10_000
    )
    news = {**inputs(provider, vertex_server, endpoint, IMAGE_V1), "operation_timeout_seconds": 0.5}

    with pytest.raises(VertexApiError) as caught:
        provider.create(news)

    message = str(caught.value)
    assert message.startswith(
        "Vertex AI deployment 'sentiment': quota or rate limit exhausted (HTTP 429) while uploading"
    )
    assert "attempts)" in message
    assert (
        "Request more Vertex AI online prediction quota for machine type n1-standard-4 in region us-central1" in message
    )
    assert vertex_server.models == {}


def test_a_replacement_on_a_private_endpoint_deletes_first_since_it_serves_one_model(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer
) -> None:
    private = vertex_server.add_endpoint("77", network="projects/123456789012/global/networks/serving")
    v1_id, v1 = create(provider, {**inputs(provider, vertex_server, private, IMAGE_V1), "private_endpoint": True})
    assert v1["private_predict_uri"] == (
        f"http://77.aiplatform.googleapis.com/v1/models/{v1['deployed_model_id']}:predict"
    )
    v2_news = {**inputs(provider, vertex_server, private, IMAGE_V2), "private_endpoint": True}

    diff = provider.diff(v1_id, v1, v2_news)
    assert (diff.replaces, diff.delete_before_replace) == (["image_uri"], True)
    provider.delete(v1_id, v1)
    _, v2 = create(provider, v2_news)

    assert serving(vertex_server, private) == {v2["deployed_model_id"]: IMAGE_V2}
    assert list(vertex_server.models) == [v2["model"].rsplit("/", 1)[-1]]


def test_a_public_endpoint_replacement_creates_first(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    v1_id, v1 = create(provider, inputs(provider, vertex_server, endpoint, IMAGE_V1))

    diff = provider.diff(v1_id, v1, inputs(provider, vertex_server, endpoint, IMAGE_V2))

    assert (diff.replaces, diff.delete_before_replace) == (["image_uri"], False)


def test_a_half_finished_update_converges_on_the_next_run(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, olds = create(provider, inputs(provider, vertex_server, endpoint, IMAGE_V1))
    news = {**inputs(provider, vertex_server, endpoint, IMAGE_V1), "max_replicas": 4, "labels": {"team": "search"}}
    vertex_server.fail_next("UpdateModel", 500, "Internal error encountered.")  # after the mutate went through

    with pytest.raises(VertexApiError, match="while updating labels of model"):
        provider.update(id_, olds, news)
    assert vertex_server.deployed_models(endpoint)[0]["dedicatedResources"]["maxReplicaCount"] == 4

    # Pulumi kept the old state: the next run sends the same update again.
    result = provider.update(id_, olds, news)

    assert result.outs is not None and result.outs["max_replicas"] == 4
    model = vertex_server.models[olds["model"].rsplit("/", 1)[-1]]
    assert model["labels"]["team"] == "search" and model["labels"]["ml_serving_state"] == "live"
