"""Tests of :mod:`components.gcp.vertex_api` (client construction, paging, not-found handling, error mapping).

The real aiplatform v1 GAPIC clients talk REST to :class:`tests.fakes.vertex_server.FakeVertexServer`.
"""

from __future__ import annotations

from typing import Any

import pytest
from google.auth import exceptions as auth_exceptions
from google.auth.credentials import AnonymousCredentials
from google.cloud import aiplatform_v1

from components.gcp.vertex_api import DeploymentContext, VertexApi, VertexApiError
from tests.fakes.vertex_server import FakeVertexServer

IMAGE = "us-docker.pkg.dev/fake-project/serving/sentiment:1"


def make_api(server: FakeVertexServer, **overrides: Any) -> VertexApi:
    """A :class:`VertexApi` on the fake with anonymous credentials and fast polling."""
    settings: dict[str, Any] = {
        "context": DeploymentContext(
            display_name="sentiment",
            project=server.project,
            region=server.region,
            machine_type="n1-standard-4",
            image_uri=IMAGE,
        ),
        "api_endpoint": server.base_url,
        "credentials": AnonymousCredentials,
        "operation_timeout_seconds": 5.0,
        "poll_interval_seconds": 0.01,
    }
    settings.update(overrides)
    return VertexApi(**settings)


def a_model(**labels: str) -> aiplatform_v1.Model:
    """A minimal custom-container model."""
    return aiplatform_v1.Model(
        display_name="sentiment",
        labels=labels,
        container_spec=aiplatform_v1.ModelContainerSpec(image_uri=IMAGE),
    )


def a_deployed_model(model: str) -> aiplatform_v1.DeployedModel:
    """A one-replica CPU deployment of ``model``."""
    return aiplatform_v1.DeployedModel(
        model=model,
        dedicated_resources=aiplatform_v1.DedicatedResources(
            machine_spec=aiplatform_v1.MachineSpec(machine_type="n1-standard-4"),
            min_replica_count=1,
            max_replica_count=1,
        ),
    )


def test_default_client_uses_the_regional_endpoint_and_adc(monkeypatch: pytest.MonkeyPatch) -> None:
    scopes_seen: list[Any] = []

    def adc(scopes: Any = None, **_: Any) -> tuple[Any, str]:
        scopes_seen.append(scopes)
        return AnonymousCredentials(), "p"

    monkeypatch.setattr("google.auth.default", adc)
    api = VertexApi(context=DeploymentContext(display_name="sentiment", project="p", region="europe-west4"))

    assert api.api_endpoint == "europe-west4-aiplatform.googleapis.com"
    assert api.location == "projects/p/locations/europe-west4"
    assert api.models._transport._host == "https://europe-west4-aiplatform.googleapis.com"
    assert api.endpoints._transport._host == "https://europe-west4-aiplatform.googleapis.com"
    assert scopes_seen == [["https://www.googleapis.com/auth/cloud-platform"]] * 2


def test_an_http_api_endpoint_override_is_used_as_is(vertex_server: FakeVertexServer) -> None:
    api = make_api(vertex_server)

    assert api.models._transport._host == vertex_server.base_url
    assert api.endpoints._transport._host == vertex_server.base_url


def test_missing_application_default_credentials_are_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_credentials(**_: Any) -> Any:
        raise auth_exceptions.DefaultCredentialsError("Your default credentials were not found.")

    monkeypatch.setattr("google.auth.default", no_credentials)
    api = VertexApi(context=DeploymentContext(display_name="sentiment", project="p", region="europe-west4"))
    with pytest.raises(VertexApiError) as caught:
        api.get_endpoint("projects/p/locations/europe-west4/endpoints/1")

    assert caught.value.reason == "unauthenticated"
    assert str(caught.value).startswith("Vertex AI deployment 'sentiment': not authenticated while loading")
    assert "gcloud auth application-default login" in str(caught.value)


def test_find_models_by_label_reads_every_page(vertex_server: FakeVertexServer) -> None:
    api = make_api(vertex_server)
    uploaded = {api.upload_model(a_model(k="v")).model for _ in range(3)}
    api.upload_model(a_model(k="other"))
    vertex_server.clear_requests()

    found = api.find_models_by_label("k", "v")

    assert {m.name for m in found} == uploaded
    pages = vertex_server.requests_for("ListModels")
    assert len(pages) == 2  # the fake pages by 2 unless asked otherwise
    assert pages[1].query["pageToken"] == ["2"]


def test_missing_resources_read_as_none_and_deletes_are_idempotent(vertex_server: FakeVertexServer) -> None:
    api = make_api(vertex_server)
    endpoint = vertex_server.add_endpoint()

    assert api.get_endpoint(f"{vertex_server.location}/endpoints/404") is None
    assert api.get_model(f"{vertex_server.location}/models/404") is None
    assert api.delete_model(f"{vertex_server.location}/models/404") is False
    assert api.undeploy_model(endpoint, "12345") is False


def test_update_model_patches_only_the_masked_fields(vertex_server: FakeVertexServer) -> None:
    api = make_api(vertex_server)
    name = api.upload_model(a_model(team="ml")).model

    updated = api.update_model(aiplatform_v1.Model(name=name, labels={"team": "search"}), ["labels"])

    assert dict(updated.labels) == {"team": "search"}
    assert updated.display_name == "sentiment"
    [patch] = vertex_server.requests_for("UpdateModel")
    assert patch.query["updateMask"] == ["labels"]


def test_deleting_a_deployed_model_is_a_failed_precondition(vertex_server: FakeVertexServer) -> None:
    api = make_api(vertex_server)
    endpoint = vertex_server.add_endpoint()
    name = api.upload_model(a_model()).model
    api.deploy_model(endpoint, a_deployed_model(name), {"0": 100})

    with pytest.raises(VertexApiError) as caught:
        api.delete_model(name)

    assert (caught.value.reason, caught.value.http_status) == ("failed_precondition", 400)
    assert "a model that is still deployed cannot be deleted" in str(caught.value)


def test_a_bad_request_names_the_image(vertex_server: FakeVertexServer) -> None:
    vertex_server.fail_next("UploadModel", 400, "Invalid image URI.")
    api = make_api(vertex_server)

    with pytest.raises(VertexApiError) as caught:
        api.upload_model(a_model())

    assert caught.value.reason == "invalid_argument"
    message = str(caught.value)
    assert "request rejected as invalid (HTTP 400) while uploading the model" in message
    assert f"Check image_uri '{IMAGE}'" in message


def test_an_operation_failing_for_quota_is_a_quota_error(vertex_server: FakeVertexServer) -> None:
    api = make_api(vertex_server)
    endpoint = vertex_server.add_endpoint()
    name = api.upload_model(a_model()).model
    vertex_server.fail_operation("DeployModel", "RESOURCE_EXHAUSTED", "The following quota metrics exceed.")

    with pytest.raises(VertexApiError) as caught:
        api.deploy_model(endpoint, a_deployed_model(name), {"0": 100})

    err = caught.value
    assert (err.reason, err.http_status) == ("quota_exceeded", 429)
    assert err.operation is not None and str(err).count(err.operation) == 1
    assert "machine type n1-standard-4 in region us-central1" in str(err)


def test_transient_errors_while_polling_are_retried(vertex_server: FakeVertexServer) -> None:
    api = make_api(vertex_server)
    vertex_server.fail_next("GetOperation", 503, times=2)

    uploaded = api.upload_model(a_model())

    assert uploaded.model_version_id == "1"
    assert len(vertex_server.requests_for("GetOperation")) == 4  # 2 refused + not done + done


def test_with_note_keeps_the_classification() -> None:
    err = VertexApiError("boom.", deployment="d", action="a", reason="timeout", operation="op", http_status=504)

    noted = err.with_note("More.")

    assert str(noted) == "boom. More."
    assert (noted.deployment, noted.action, noted.reason, noted.operation, noted.http_status) == (
        "d",
        "a",
        "timeout",
        "op",
        504,
    )
