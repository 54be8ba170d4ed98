"""The staging and prod stack files render Vertex requests the strict fake server accepts.

Each stack is planned offline; its endpoint is created on the fake with the id Pulumi's auto-naming would send
(``{logical name}-`` + 7 lowercase hex characters) and the endpoint's declared network, key and labels; then the
declared model deployment is created through the real aiplatform client. The fake parses every body into the
``aiplatform_v1`` request messages and enforces the documented serving rules (see ``tests/fakes/vertex_rules.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from builders import REPO
from google.auth.credentials import AnonymousCredentials

from components.gcp.model_deployment import VertexModelDeploymentProvider
from components.plan import plan_stack_file
from tests.fakes.vertex_server import FakeVertexServer

ENDPOINT = "gcp:vertex/aiEndpoint:AiEndpoint"
MODEL = "pulumi-python:dynamic/gcp:VertexModelDeployment"


@pytest.fixture
def server_for() -> Iterator[dict[str, FakeVertexServer]]:
    """Fake servers started per test (one per project), stopped afterwards."""
    started: dict[str, FakeVertexServer] = {}
    yield started
    for server in started.values():
        server.stop()


@pytest.mark.parametrize("stack", ["staging", "prod"])
def test_stack_requests_are_accepted_by_the_strict_server(stack: str, server_for: dict[str, FakeVertexServer]) -> None:
    plan = plan_stack_file(REPO / "stacks" / f"Pulumi.{stack}.yaml", REPO)
    endpoints = {r.name: r for r in plan.by_type(ENDPOINT)}
    models = plan.by_type(MODEL)
    assert models, f"the {stack} stack declares no Vertex deployment"
    provider = VertexModelDeploymentProvider(credentials=AnonymousCredentials)
    for model in models:
        inputs = dict(model.inputs)
        endpoint = endpoints[model.name.removesuffix("-model") + "-endpoint"]
        project, region = inputs["project"], inputs["region"]
        server = server_for.get(project) or FakeVertexServer(project=project, region=region, polls_until_done=0).start()
        server_for[project] = server
        name = server.create_endpoint(
            f"{endpoint.name}-1a2b3c4",  # what Pulumi's auto-name looks like
            endpoint.inputs["displayName"],
            network=endpoint.inputs.get("network"),
            kms_key_name=(endpoint.inputs.get("encryptionSpec") or {}).get("kmsKeyName"),
            dedicated=bool(endpoint.inputs.get("dedicatedEndpointEnabled")),
            labels=endpoint.inputs.get("labels"),
        )
        inputs.update(endpoint=name, api_endpoint=server.base_url, poll_interval_seconds=0.01)
        checked = provider.check({}, inputs)
        assert checked.failures == []

        result = provider.create(checked.inputs)

        assert result.outs is not None
        [deploy] = server.requests_for("DeployModel")[-1:]
        assert deploy.body is not None
        sent = deploy.body["deployedModel"]["dedicatedResources"]["autoscalingMetricSpecs"]
        assert sent == [
            {"metricName": s["metric_name"], "target": s["target"]} for s in inputs["autoscaling_metric_specs"]
        ]
        if inputs.get("kms_key_name"):
            [upload] = server.requests_for("UploadModel")[-1:]
            assert upload.body is not None
            assert upload.body["model"]["encryptionSpec"] == {"kmsKeyName": inputs["kms_key_name"]}


def test_the_strict_server_refuses_what_vertex_refuses(vertex_server: FakeVertexServer) -> None:
    """The fake is not a rubber stamp: an unknown field, an output-only field, a bad id and a bad pairing fail."""
    from google.cloud import aiplatform_v1

    from components.gcp.vertex_api import VertexApi, VertexApiError
    from components.gcp.vertex_errors import DeploymentContext

    api = VertexApi(
        context=DeploymentContext(display_name="x", project=vertex_server.project, region=vertex_server.region),
        api_endpoint=vertex_server.base_url,
        credentials=AnonymousCredentials,
        operation_timeout_seconds=2,
        poll_interval_seconds=0.01,
    )
    with pytest.raises(VertexApiError, match="version_id is output only"):
        api.upload_model(aiplatform_v1.Model(display_name="x", version_id="7", container_spec={"image_uri": "img"}))
    model, _ = api.upload_model(aiplatform_v1.Model(display_name="x", container_spec={"image_uri": "img"}))
    endpoint = vertex_server.add_endpoint()
    l4_on_n1 = aiplatform_v1.DeployedModel(
        model=model,
        dedicated_resources=aiplatform_v1.DedicatedResources(
            machine_spec=aiplatform_v1.MachineSpec(
                machine_type="n1-standard-8",
                accelerator_type=aiplatform_v1.AcceleratorType.NVIDIA_L4,
                accelerator_count=1,
            ),
            min_replica_count=1,
            max_replica_count=1,
        ),
    )
    with pytest.raises(VertexApiError, match="NVIDIA_L4 can only be used with G2 machines"):
        api.deploy_model(endpoint, l4_on_n1, {"0": 100})
    with pytest.raises(Exception, match="Invalid endpoint_id"):
        vertex_server.create_endpoint("Reranker_Endpoint", "x")
    with pytest.raises(Exception, match="must name the project by number"):
        vertex_server.create_endpoint("reranker", "x", network="projects/acme/global/networks/vpc")


def test_unknown_fields_and_unpublished_routes_get_the_real_error_shape(vertex_server: FakeVertexServer) -> None:
    import requests

    upload = f"{vertex_server.base_url}/v1/{vertex_server.location}/models:upload"
    unknown = requests.post(upload, json={"model": {"displayName": "x", "imageUri": "img"}}, timeout=5)
    route = requests.post(f"{vertex_server.base_url}/v1/{vertex_server.location}/models:copyz", json={}, timeout=5)

    assert unknown.status_code == 400
    error = unknown.json()["error"]
    assert (error["code"], error["status"]) == (400, "INVALID_ARGUMENT")
    assert error["message"] == (
        "Invalid JSON payload received. Unknown name \"imageUri\" at 'UploadModelRequest.model': Cannot find field."
    )
    assert error["details"][0]["@type"] == "type.googleapis.com/google.rpc.BadRequest"
    assert route.status_code == 404 and route.json()["error"]["status"] == "NOT_FOUND"
    assert vertex_server.models == {}
