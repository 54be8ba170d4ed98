"""Tests of the Vertex AI model deployment dynamic provider against the fake Vertex AI REST server.

The provider methods are called directly with property dicts (as the ``pulumi-python`` dynamic provider
host does) and talk, through the real ``google-cloud-aiplatform`` GAPIC clients with the REST transport and
anonymous credentials, to :class:`tests.fakes.vertex_server.FakeVertexServer`. Assertions are made on the
HTTP requests the server received and on the state it holds.
"""

from __future__ import annotations

import base64
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import dill
import pulumi
import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import aiplatform_v1
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc

from components.gcp.model_deployment import (
    DEPLOYMENT_KEY_LABEL,
    INPUT_KEYS,
    REPLACE_KEYS,
    UPDATE_KEYS,
    DeploymentSpec,
    VertexModelDeployment,
    VertexModelDeploymentArgs,
    VertexModelDeploymentProvider,
    traffic_split_after_undeploy,
)
from components.gcp.vertex_api import DeploymentContext, VertexApi, VertexApiError
from components.mock_runtime import run_program
from tests.fakes.vertex_server import FakeVertexServer

ROOT = Path(__file__).resolve().parents[2]
IMAGE_V1 = "us-docker.pkg.dev/fake-project/serving/sentiment:1"
IMAGE_V2 = "us-docker.pkg.dev/fake-project/serving/sentiment:2"
SERVICE_ACCOUNT = "serving@fake-project.iam.gserviceaccount.com"
L4 = int(aiplatform_v1.AcceleratorType.NVIDIA_L4)


def raw_props(server: FakeVertexServer, endpoint: str, **overrides: Any) -> dict[str, Any]:
    """Inputs of a GPU deployment pointed at the fake; numbers as floats, the way Pulumi sends them."""
    props: dict[str, Any] = {
        "project": server.project,
        "region": server.region,
        "endpoint": endpoint,
        "display_name": "sentiment",
        "image_uri": IMAGE_V1,
        "artifact_uri": "gs://fake-bucket/sentiment/1",
        "env": {"MODEL_NAME": "sentiment", "LOG_LEVEL": "info"},
        "labels": {"team": "ml"},
        "machine_type": "g2-standard-8",
        "accelerator_type": "NVIDIA_L4",
        "accelerator_count": 1.0,
        "min_replicas": 1.0,
        "max_replicas": 3.0,
        "metric": "gpu",
        "target": 70.0,
        "service_account": SERVICE_ACCOUNT,
        "api_endpoint": server.base_url,
        "operation_timeout_seconds": 5.0,
        "poll_interval_seconds": 0.01,
        "__provider": "serialized-provider",
    }
    props.update(overrides)
    return props


def checked(provider: VertexModelDeploymentProvider, props: dict[str, Any]) -> dict[str, Any]:
    """Run ``check`` like the engine does before create / diff / update and return the checked inputs."""
    result = provider.check({}, props)
    assert [(f.property, f.reason) for f in result.failures] == []
    return result.inputs


def create(
    provider: VertexModelDeploymentProvider, server: FakeVertexServer, endpoint: str, **overrides: Any
) -> tuple[str, dict[str, Any]]:
    """Check and create a deployment; returns ``(id, outputs)``."""
    result = provider.create(checked(provider, raw_props(server, endpoint, **overrides)))
    assert result.outs is not None
    return result.id, result.outs


# ---------------------------------------------------------------------- create


def test_create_uploads_then_deploys_with_all_traffic(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, outs = create(provider, vertex_server, endpoint)

    assert vertex_server.calls() == [
        "GetEndpoint",
        "ListModels",  # a pending upload of the same inputs to resume?
        "UploadModel",
        "GetEndpoint",
        "DeployModel",
        "UpdateModel",  # label the model live
        "ListModels",  # orphans of earlier failed creates of this deployment?
    ]
    instance = outs["instance_id"]
    assert len(instance) == 16 and set(instance) <= set("0123456789abcdef")
    polls = vertex_server.requests_for("GetOperation")
    assert len(polls) == 4  # per operation: one "not done" answer, then "done"
    assert all(p.path.startswith("/ui/projects/123456789012/locations/us-central1/") for p in polls)
    listing, orphans = vertex_server.requests_for("ListModels")
    assert listing.query["filter"] == [f'labels.ml_serving_deployment_key="{outs["deployment_key"]}"']
    assert orphans.query["filter"] == ['labels.ml_serving_name="sentiment"']

    [upload] = vertex_server.requests_for("UploadModel")
    assert upload.path == f"/v1/{vertex_server.location}/models:upload"
    assert upload.body is not None
    model = upload.body["model"]
    assert model["displayName"] == "sentiment"
    assert model["artifactUri"] == "gs://fake-bucket/sentiment/1"
    assert model["labels"] == {
        "team": "ml",
        "ml_serving_deployment_key": outs["deployment_key"],
        "ml_serving_instance": instance,
        "ml_serving_state": "pending",
        "ml_serving_name": "sentiment",
    }
    assert "encryptionSpec" not in model
    assert model["containerSpec"] == {
        "imageUri": IMAGE_V1,
        "predictRoute": "/predict",
        "healthRoute": "/health",
        "ports": [{"containerPort": 8080}],
        "env": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "MODEL_NAME", "value": "sentiment"}],
    }

    [deploy] = vertex_server.requests_for("DeployModel")
    assert deploy.path == f"/v1/{endpoint}:deployModel"
    assert deploy.body == {
        "deployedModel": {
            "model": outs["model"],
            "displayName": f"sentiment-{instance}",
            "serviceAccount": SERVICE_ACCOUNT,
            "dedicatedResources": {
                "machineSpec": {"machineType": "g2-standard-8", "acceleratorType": L4, "acceleratorCount": 1},
                "minReplicaCount": 1,
                "maxReplicaCount": 3,
                "autoscalingMetricSpecs": [
                    {"metricName": "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle", "target": 70},
                    {"metricName": "aiplatform.googleapis.com/prediction/online/cpu/utilization", "target": 100},
                ],
            },
        },
        "trafficSplit": {"0": 100},
    }
    [live] = vertex_server.requests_for("UpdateModel")
    assert live.query["updateMask"] == ["labels"]
    assert vertex_server.models[outs["model"].rsplit("/", 1)[-1]]["labels"]["ml_serving_state"] == "live"

    [deployed] = vertex_server.deployed_models(endpoint)
    assert vertex_server.traffic_split(endpoint) == {deployed["id"]: 100}
    assert outs["deployed_model_id"] == deployed["id"]
    assert outs["model"] == deployed["model"]
    assert outs["model"].startswith(f"projects/{vertex_server.project_number}/locations/us-central1/models/")
    assert outs["model_version_id"] == "1"
    assert outs["endpoint"] == endpoint
    assert id_ == f"{endpoint}/deployedModels/{deployed['id']}"
    assert outs["port"] == 8080 and outs["min_replicas"] == 1 and outs["target"] == 70
    assert "__provider" not in outs


CPU = "aiplatform.googleapis.com/prediction/online/cpu/utilization"
DUTY = "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle"
REQUESTS = "aiplatform.googleapis.com/prediction/online/request_count"


@pytest.mark.parametrize(
    ("metric", "specs"),
    [
        # The chosen metric gets the target; every utilization metric Vertex would apply by default (CPU, and duty
        # cycle with GPUs, both at 60) gets 100 so that it never triggers a scale-out nor holds a scale-in back.
        ("cpu", [{"metricName": CPU, "target": 55}, {"metricName": DUTY, "target": 100}]),
        ("gpu", [{"metricName": DUTY, "target": 55}, {"metricName": CPU, "target": 100}]),
        (
            "invocations",
            [
                {"metricName": REQUESTS, "target": 55},
                {"metricName": CPU, "target": 100},
                {"metricName": DUTY, "target": 100},
            ],
        ),
    ],
)
def test_create_declares_every_autoscaling_metric_so_only_the_chosen_one_drives_scaling(
    provider: VertexModelDeploymentProvider,
    vertex_server: FakeVertexServer,
    endpoint: str,
    metric: str,
    specs: list[dict[str, Any]],
) -> None:
    create(provider, vertex_server, endpoint, metric=metric, target=55.0)

    [deploy] = vertex_server.requests_for("DeployModel")
    assert deploy.body is not None
    assert deploy.body["deployedModel"]["dedicatedResources"]["autoscalingMetricSpecs"] == specs


def test_create_cpu_only_minimal_inputs_sends_no_optional_fields(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    props = {
        "project": vertex_server.project,
        "region": vertex_server.region,
        "endpoint": endpoint,
        "display_name": "tiny",
        "image_uri": IMAGE_V1,
        "api_endpoint": vertex_server.base_url,
        "poll_interval_seconds": 0.01,
    }
    result = provider.create(checked(provider, props))

    [upload] = vertex_server.requests_for("UploadModel")
    assert upload.body is not None
    assert "artifactUri" not in upload.body["model"]
    assert upload.body["model"]["containerSpec"]["ports"] == [{"containerPort": 8080}]
    [deploy] = vertex_server.requests_for("DeployModel")
    assert deploy.body is not None
    deployed = deploy.body["deployedModel"]
    assert "serviceAccount" not in deployed
    assert deployed["dedicatedResources"] == {
        "machineSpec": {"machineType": "n1-standard-4"},
        "minReplicaCount": 1,
        "maxReplicaCount": 1,
    }
    assert result.outs is not None
    assert result.outs["metric"] is None and result.outs["target"] is None
    assert result.outs["accelerator_type"] is None and result.outs["accelerator_count"] == 0


def test_create_fails_clearly_when_the_endpoint_does_not_exist(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer
) -> None:
    missing = f"{vertex_server.location}/endpoints/404"
    with pytest.raises(VertexApiError) as caught:
        create(provider, vertex_server, missing)

    assert caught.value.reason == "not_found"
    assert "'sentiment'" in str(caught.value) and missing in str(caught.value)
    assert "vertex.AiEndpoint" in str(caught.value)
    assert vertex_server.calls() == ["GetEndpoint"]


def test_a_second_create_with_the_same_inputs_never_adopts_the_live_model(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    first_id, first = create(provider, vertex_server, endpoint)

    second_id, second = create(provider, vertex_server, endpoint)

    assert second["instance_id"] != first["instance_id"]
    assert second["deployment_key"] == first["deployment_key"]
    assert second["model"] != first["model"] and second_id != first_id
    assert len(vertex_server.models) == 2 and len(vertex_server.deployed_models(endpoint)) == 2


def test_a_failed_deploy_removes_the_model_it_uploaded(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    vertex_server.fail_operation(
        "DeployModel", "RESOURCE_EXHAUSTED", "Quota exceeded for custom_model_serving_nvidia_l4_gpus."
    )
    with pytest.raises(VertexApiError) as caught:
        create(provider, vertex_server, endpoint)

    assert "was deleted again" in str(caught.value)
    assert vertex_server.models == {}
    assert vertex_server.calls()[-3:] == ["DeployModel", "GetModel", "DeleteModel"]


def test_rerun_after_a_failed_deploy_and_cleanup_resumes_without_a_second_upload(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    vertex_server.fail_operation("DeployModel", "RESOURCE_EXHAUSTED", "Quota exceeded.")
    vertex_server.fail_next("DeleteModel", 500, "Internal error encountered.")
    with pytest.raises(VertexApiError) as caught:
        create(provider, vertex_server, endpoint)
    [kept] = vertex_server.models.values()
    assert kept["name"] in str(caught.value) and "is kept" in str(caught.value)
    assert kept["labels"]["ml_serving_state"] == "pending"
    vertex_server.clear_requests()

    _, outs = create(provider, vertex_server, endpoint)

    assert vertex_server.calls() == ["GetEndpoint", "ListModels", "DeployModel", "UpdateModel", "ListModels"]
    assert outs["model"] == kept["name"] and outs["instance_id"] == kept["labels"]["ml_serving_instance"]
    assert len(vertex_server.models) == 1
    assert [d["model"] for d in vertex_server.deployed_models(endpoint)] == [kept["name"]]


def test_an_orphan_of_a_failed_create_goes_when_the_inputs_change(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    vertex_server.fail_operation("DeployModel", "RESOURCE_EXHAUSTED", "Quota exceeded.")
    vertex_server.fail_next("DeleteModel", 500, "Internal error encountered.")
    with pytest.raises(VertexApiError):
        create(provider, vertex_server, endpoint)
    [orphan] = vertex_server.models

    _, outs = create(provider, vertex_server, endpoint, machine_type="g2-standard-12")

    assert list(vertex_server.models) == [outs["model"].rsplit("/", 1)[-1]]
    assert orphan not in vertex_server.models


# ---------------------------------------------------------------------- errors


def test_permission_denied_names_the_deployment_and_the_roles(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    vertex_server.fail_next("UploadModel", 403, "Permission 'aiplatform.models.upload' denied on resource.")
    with pytest.raises(VertexApiError) as caught:
        create(provider, vertex_server, endpoint)

    err = caught.value
    assert (err.reason, err.http_status, err.deployment) == ("permission_denied", 403, "sentiment")
    message = str(err)
    assert message.startswith("Vertex AI deployment 'sentiment': permission denied (HTTP 403) while uploading")
    assert "aiplatform.models.upload" in message
    assert "roles/aiplatform.user on project fake-project" in message
    assert f"roles/iam.serviceAccountUser on the deployment's service account {SERVICE_ACCOUNT}" in message
    assert vertex_server.models == {}


def test_quota_exhausted_on_deploy_says_which_quota_to_request(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    vertex_server.fail_next("DeployModel", 429, "Quota exceeded for custom_model_serving_nvidia_l4_gpus.", times=1000)
    with pytest.raises(VertexApiError) as caught:  # a budget the (working) upload fits in even on a loaded machine
        create(provider, vertex_server, endpoint, operation_timeout_seconds=2.0)

    err = caught.value
    assert (err.reason, err.http_status) == ("quota_exceeded", 429)
    message = str(err)
    assert "Vertex AI deployment 'sentiment': quota or rate limit exhausted (HTTP 429) while deploying" in message
    assert len(vertex_server.requests_for("DeployModel")) > 2  # retried with backoff until the budget ran out
    assert "attempts): POST" in message and "Quota exceeded" in message
    assert "machine type g2-standard-8 with 1 x NVIDIA_L4 per replica in region us-central1" in message
    assert "up to 3 replica(s)" in message and "lower max_replicas" in message
    assert isinstance(err.__cause__, Exception) and "429" in str(err.__cause__)


def test_invalid_image_fails_the_deploy_operation_with_an_image_hint(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    vertex_server.invalid_images.add(IMAGE_V1)
    with pytest.raises(VertexApiError) as caught:
        create(provider, vertex_server, endpoint)

    err = caught.value
    assert err.reason == "invalid_argument"
    assert err.operation is not None and f"/endpoints/{endpoint.rsplit('/', 1)[-1]}/operations/" in err.operation
    message = str(err)
    assert f"operation {err.operation} failed while deploying model" in message
    assert "could not be pulled" in message
    assert f"Check image_uri '{IMAGE_V1}'" in message
    assert "was deleted again" in message and vertex_server.models == {}
    assert vertex_server.deployed_models(endpoint) == []


def test_failed_upload_operation_is_reported(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    vertex_server.fail_operation("UploadModel", "INTERNAL", "Internal error encountered.")
    with pytest.raises(VertexApiError) as caught:
        create(provider, vertex_server, endpoint)

    assert caught.value.operation is not None and "/models/" in caught.value.operation
    assert "Internal error encountered" in str(caught.value)
    assert "DeployModel" not in vertex_server.calls()
    assert vertex_server.models == {}


def test_operation_timeout_is_reported_and_a_rerun_resumes(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    vertex_server.hang_operation("DeployModel")
    # The budget covers each call and operation: the upload (which does not hang) must fit in it even on a loaded
    # machine (0.3 s did not, once, in CI), so it is generous; the hanging deploy then uses all of it.
    with pytest.raises(VertexApiError) as caught:
        create(provider, vertex_server, endpoint, operation_timeout_seconds=2.0)

    err = caught.value
    assert err.reason == "timeout"
    assert err.operation is not None
    message = str(err)
    assert "timed out while deploying" in message and "Gave up after 2 s" in message
    assert f"The operation {err.operation} may still complete" in message
    assert len(vertex_server.requests_for("GetOperation")) > 2  # it kept polling until the deadline
    vertex_server.clear_requests()

    create(provider, vertex_server, endpoint)

    assert "UploadModel" not in vertex_server.calls()
    assert len(vertex_server.deployed_models(endpoint)) == 1


def test_unreachable_api_endpoint_is_reported(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    props = raw_props(vertex_server, endpoint, api_endpoint="http://127.0.0.1:9")
    with pytest.raises(VertexApiError) as caught:
        provider.create(checked(provider, props))

    assert caught.value.reason == "unavailable"
    assert "http://127.0.0.1:9" in str(caught.value)


# ---------------------------------------------------------------------- check and diff


def test_check_fills_defaults_and_normalises_numbers(provider: VertexModelDeploymentProvider) -> None:
    news = {
        "project": "p",
        "region": "us-central1",
        "endpoint": "projects/p/locations/us-central1/endpoints/1",
        "display_name": "d",
        "image_uri": IMAGE_V1,
        "metric": "cpu",
        "port": 9000.0,
        "__provider": "x",
    }
    result = provider.check({}, news)

    assert result.failures == []
    inputs = result.inputs
    assert set(inputs) == {*INPUT_KEYS, "__provider"}
    assert inputs["port"] == 9000 and isinstance(inputs["port"], int)
    assert (inputs["predict_route"], inputs["health_route"], inputs["machine_type"]) == (
        "/predict",
        "/health",
        "n1-standard-4",
    )
    assert (inputs["min_replicas"], inputs["max_replicas"], inputs["target"]) == (1, 1, 60)
    assert inputs["env"] == {} and inputs["labels"] == {} and inputs["accelerator_count"] == 0
    assert inputs["operation_timeout_seconds"] == 1800.0 and inputs["poll_interval_seconds"] == 10.0


def test_check_reports_invalid_inputs(provider: VertexModelDeploymentProvider) -> None:
    news = {
        "project": "p",
        "region": "us-central1",
        "endpoint": "projects/p/locations/europe-west4/endpoints/1",
        "display_name": "",
        "image_uri": IMAGE_V1,
        "artifact_uri": "s3://bucket/model",
        "predict_route": "predict",
        "port": 70000,
        "accelerator_count": 2,
        "min_replicas": 3,
        "max_replicas": 2,
        "metric": "gpu",
        "target": 150,
        "labels": {DEPLOYMENT_KEY_LABEL: "x", "Team": "ml"},
        "env": {"1BAD": "x"},
        "poll_interval_seconds": 0,
    }
    failures = {(f.property, f.reason) for f in provider.check({}, news).failures}
    properties = sorted({prop for prop, _ in failures})

    assert properties == sorted(
        {
            "display_name",
            "endpoint",
            "artifact_uri",
            "predict_route",
            "port",
            "accelerator_type",
            "max_replicas",
            "metric",
            "autoscaling_metric_specs",  # the gpu target 150 is not a percentage
            "labels",
            "env",
            "poll_interval_seconds",
        }
    )
    assert ("endpoint", "endpoint is in europe-west4, not in region us-central1") in failures
    assert ("metric", "metric 'gpu' needs an accelerator_type") in failures
    assert ("labels", f"the label {DEPLOYMENT_KEY_LABEL} is reserved for the provider") in failures


def test_check_rejects_unknown_accelerators_and_metrics(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    base = raw_props(vertex_server, endpoint)
    bad = provider.check({}, {**base, "accelerator_type": "NVIDIA_GTX_1080", "metric": "memory"})

    assert {(f.property, f.reason) for f in bad.failures} == {
        ("machine_type", "'g2-standard-8' comes with 1 x NVIDIA_L4, not 1 x NVIDIA_GTX_1080"),
        ("metric", "metric must be one of ['cpu', 'gpu', 'invocations'] or None, got 'memory'"),
    }


def test_check_skips_values_unknown_during_preview(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    base = raw_props(vertex_server, endpoint)
    result = provider.check(
        {}, {**base, "endpoint": rpc.UNKNOWN, "image_uri": rpc.UNKNOWN, "min_replicas": rpc.UNKNOWN}
    )

    assert result.failures == []
    assert result.inputs["endpoint"] == rpc.UNKNOWN


NEW_VALUES: dict[str, Any] = {
    "project": "other-project",
    "region": "europe-west4",
    "endpoint": "projects/fake-project/locations/us-central1/endpoints/777",
    "image_uri": IMAGE_V2,
    "artifact_uri": "gs://fake-bucket/sentiment/2",
    "predict_route": "/v2/predict",
    "health_route": "/v2/health",
    "port": 9090,
    "env": {"MODEL_NAME": "sentiment", "LOG_LEVEL": "debug"},
    "machine_type": "g2-standard-12",
    "accelerator_type": "NVIDIA_TESLA_T4",
    "accelerator_count": 2,
    "service_account": "other@fake-project.iam.gserviceaccount.com",
    "display_name": "sentiment-v2",
    "labels": {"team": "search"},
    "min_replicas": 2,
    "max_replicas": 6,
    "metric": "cpu",
    "target": 40,
    "api_endpoint": "http://127.0.0.1:1",
    "operation_timeout_seconds": 60,
    "poll_interval_seconds": 1,
    "autoscaling_metric_specs": [
        {"metric_name": "aiplatform.googleapis.com/prediction/online/cpu/utilization", "target": 45}
    ],
    "kms_key_name": "projects/fake-project/locations/us-central1/keyRings/r/cryptoKeys/k",
    "private_endpoint": True,
}


def test_every_input_is_classified_once() -> None:
    assert sorted(REPLACE_KEYS + UPDATE_KEYS) == sorted(INPUT_KEYS) == sorted(NEW_VALUES)
    assert [f for f in DeploymentSpec.__dataclass_fields__] == list(INPUT_KEYS)


@pytest.mark.parametrize("key", REPLACE_KEYS)
def test_diff_replaces_for_immutable_inputs(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str, key: str
) -> None:
    olds = checked(provider, raw_props(vertex_server, endpoint))
    news = {**olds, key: NEW_VALUES[key]}  # unchecked: a region change alone would fail check()

    result = provider.diff("id", olds, news)

    assert (result.changes, result.replaces, result.delete_before_replace) == (True, [key], False)


@pytest.mark.parametrize("key", UPDATE_KEYS)
def test_diff_updates_other_inputs_in_place(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str, key: str
) -> None:
    olds = checked(provider, raw_props(vertex_server, endpoint))
    news = checked(provider, {**olds, key: NEW_VALUES[key]})

    result = provider.diff("id", olds, news)

    assert (result.changes, result.replaces, result.delete_before_replace) == (True, [], False)


def test_diff_reports_no_change_for_equivalent_values(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    _, outs = create(provider, vertex_server, endpoint)
    news = raw_props(
        vertex_server,
        endpoint,
        __provider="a-new-serialisation",
        port=8080.0,
        artifact_uri="gs://fake-bucket/sentiment/1",
    )

    result = provider.diff("id", outs, checked(provider, news))

    assert (result.changes, result.replaces) == (False, [])


def test_diff_with_unknown_values_in_a_preview(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    olds = checked(provider, raw_props(vertex_server, endpoint))

    image = provider.diff("id", olds, {**olds, "image_uri": rpc.UNKNOWN})
    replicas = provider.diff("id", olds, {**olds, "max_replicas": rpc.UNKNOWN})

    assert (image.changes, image.replaces) == (True, ["image_uri"])
    assert (replicas.changes, replicas.replaces) == (True, [])


# ---------------------------------------------------------------------- update


def test_update_mutates_replica_bounds_and_autoscaling(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, olds = create(provider, vertex_server, endpoint)
    vertex_server.clear_requests()
    news = checked(
        provider, raw_props(vertex_server, endpoint, min_replicas=2.0, max_replicas=5.0, metric="cpu", target=50.0)
    )

    result = provider.update(id_, olds, news)

    assert vertex_server.calls() == ["MutateDeployedModel"]
    [mutate] = vertex_server.requests_for("MutateDeployedModel")
    assert mutate.path == f"/v1/{endpoint}:mutateDeployedModel"
    assert mutate.body == {
        "deployedModel": {
            "id": olds["deployed_model_id"],
            "dedicatedResources": {
                "minReplicaCount": 2,
                "maxReplicaCount": 5,
                "autoscalingMetricSpecs": [
                    {"metricName": "aiplatform.googleapis.com/prediction/online/cpu/utilization", "target": 50},
                    {"metricName": "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle", "target": 100},
                ],
            },
        },
        "updateMask": "dedicatedResources.minReplicaCount,dedicatedResources.maxReplicaCount,"
        "dedicatedResources.autoscalingMetricSpecs",
    }
    [deployed] = vertex_server.deployed_models(endpoint)
    resources = deployed["dedicatedResources"]
    assert (resources["minReplicaCount"], resources["maxReplicaCount"]) == (2, 5)
    assert resources["machineSpec"]["machineType"] == "g2-standard-8"  # untouched
    assert result.outs is not None
    assert (result.outs["min_replicas"], result.outs["max_replicas"], result.outs["metric"]) == (2, 5, "cpu")
    assert result.outs["deployed_model_id"] == olds["deployed_model_id"] and result.outs["model"] == olds["model"]


def test_update_sends_only_the_changed_field(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, olds = create(provider, vertex_server, endpoint)
    vertex_server.clear_requests()

    provider.update(id_, olds, checked(provider, raw_props(vertex_server, endpoint, max_replicas=4.0)))

    [mutate] = vertex_server.requests_for("MutateDeployedModel")
    assert mutate.body is not None and mutate.body["updateMask"] == "dedicatedResources.maxReplicaCount"
    assert vertex_server.deployed_models(endpoint)[0]["dedicatedResources"]["maxReplicaCount"] == 4


def test_update_removing_the_metric_clears_autoscaling_specs(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, olds = create(provider, vertex_server, endpoint)

    provider.update(id_, olds, checked(provider, raw_props(vertex_server, endpoint, metric=None, target=None)))

    [mutate] = vertex_server.requests_for("MutateDeployedModel")
    assert mutate.body is not None and mutate.body["updateMask"] == "dedicatedResources.autoscalingMetricSpecs"
    assert "autoscalingMetricSpecs" not in vertex_server.deployed_models(endpoint)[0]["dedicatedResources"]


def test_update_changes_display_name_and_labels_keeping_the_key(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, olds = create(provider, vertex_server, endpoint)
    vertex_server.clear_requests()
    news = checked(
        provider, raw_props(vertex_server, endpoint, display_name="sentiment-prod", labels={"team": "search"})
    )

    result = provider.update(id_, olds, news)

    assert vertex_server.calls() == ["UpdateModel"]
    [patch] = vertex_server.requests_for("UpdateModel")
    assert patch.method == "PATCH" and patch.path == f"/v1/{olds['model']}"
    assert patch.query["updateMask"] == ["displayName,labels"]
    model = vertex_server.models[olds["model"].rsplit("/", 1)[-1]]
    assert model["displayName"] == "sentiment-prod"
    assert model["labels"] == {
        "team": "search",
        "ml_serving_deployment_key": olds["deployment_key"],
        "ml_serving_instance": olds["instance_id"],
        "ml_serving_state": "live",
        "ml_serving_name": "sentiment-prod",
    }
    assert result.outs is not None and result.outs["deployment_key"] == olds["deployment_key"]


def test_update_of_provider_settings_calls_nothing(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, olds = create(provider, vertex_server, endpoint)
    vertex_server.clear_requests()

    result = provider.update(
        id_, olds, checked(provider, raw_props(vertex_server, endpoint, operation_timeout_seconds=90.0))
    )

    assert vertex_server.requests == []
    assert result.outs is not None and result.outs["operation_timeout_seconds"] == 90.0


# ---------------------------------------------------------------------- delete


def test_delete_undeploys_then_deletes_the_model(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, outs = create(provider, vertex_server, endpoint)
    vertex_server.clear_requests()

    provider.delete(id_, outs)

    assert vertex_server.calls() == ["GetEndpoint", "UndeployModel", "GetModel", "DeleteModel"]
    [undeploy] = vertex_server.requests_for("UndeployModel")
    assert undeploy.body == {"deployedModelId": outs["deployed_model_id"]}  # last model: no traffic split
    [delete] = vertex_server.requests_for("DeleteModel")
    assert delete.path == f"/v1/{outs['model']}"
    assert vertex_server.deployed_models(endpoint) == [] and vertex_server.traffic_split(endpoint) == {}
    assert vertex_server.models == {}


def test_delete_of_resources_already_gone_succeeds(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, outs = create(provider, vertex_server, endpoint)
    provider.delete(id_, outs)
    vertex_server.clear_requests()

    provider.delete(id_, outs)

    assert vertex_server.calls() == ["GetEndpoint", "GetModel"]


def test_delete_gives_remaining_traffic_to_the_other_models(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    _, first = create(provider, vertex_server, endpoint)
    second_id, second = create(provider, vertex_server, endpoint, image_uri=IMAGE_V2)
    assert vertex_server.traffic_split(endpoint) == {first["deployed_model_id"]: 0, second["deployed_model_id"]: 100}
    vertex_server.clear_requests()

    provider.delete(second_id, second)

    [undeploy] = vertex_server.requests_for("UndeployModel")
    assert undeploy.body == {
        "deployedModelId": second["deployed_model_id"],
        "trafficSplit": {first["deployed_model_id"]: 100},
    }
    assert vertex_server.traffic_split(endpoint) == {first["deployed_model_id"]: 100}


def test_delete_fails_clearly_when_undeploy_is_refused(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, outs = create(provider, vertex_server, endpoint)
    vertex_server.fail_next("UndeployModel", 403)

    with pytest.raises(VertexApiError) as caught:
        provider.delete(id_, outs)

    assert caught.value.reason == "permission_denied"
    assert "while undeploying deployed model" in str(caught.value)
    assert "DeleteModel" not in vertex_server.calls()
    assert len(vertex_server.models) == 1


@pytest.mark.parametrize(
    ("current", "removed", "remaining", "expected"),
    [
        ({"a": 100}, "a", [], None),
        ({"a": 0, "b": 100}, "a", ["b"], None),
        ({"a": 100, "b": 0, "c": 0}, "a", ["b", "c"], {"b": 50, "c": 50}),
        ({"a": 50, "b": 30, "c": 20}, "a", ["b", "c"], {"b": 60, "c": 40}),
        ({"a": 40, "b": 20, "c": 20, "d": 20}, "a", ["b", "c", "d"], {"b": 34, "c": 33, "d": 33}),
        ({"a": 10, "b": 45, "c": 45}, "a", ["b", "c"], {"b": 50, "c": 50}),
    ],
)
def test_traffic_split_after_undeploy(
    current: dict[str, int], removed: str, remaining: list[str], expected: dict[str, int] | None
) -> None:
    split = traffic_split_after_undeploy(current, removed, remaining)

    assert split == expected
    assert split is None or sum(split.values()) == 100


# ---------------------------------------------------------------------- replacement order


def test_replacement_creates_the_new_deployment_before_deleting_the_old(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    old_id, old = create(provider, vertex_server, endpoint)
    news = checked(provider, raw_props(vertex_server, endpoint, image_uri=IMAGE_V2))
    diff = provider.diff(old_id, old, news)
    assert (diff.replaces, diff.delete_before_replace) == (["image_uri"], False)
    vertex_server.clear_requests()

    # Pulumi's create-before-delete replacement: create the new resource, then delete the old one.
    new_result = provider.create(news)
    assert new_result.outs is not None
    new = new_result.outs
    [deploy] = vertex_server.requests_for("DeployModel")
    assert deploy.body is not None
    assert deploy.body["trafficSplit"] == {"0": 100, old["deployed_model_id"]: 0}
    assert vertex_server.traffic_split(endpoint) == {new["deployed_model_id"]: 100, old["deployed_model_id"]: 0}
    assert {d["id"] for d in vertex_server.deployed_models(endpoint)} == {
        old["deployed_model_id"],
        new["deployed_model_id"],
    }
    assert new["model"] != old["model"] and new["deployment_key"] != old["deployment_key"]

    provider.delete(old_id, old)

    sequence = [(r.call, r.path) for r in vertex_server.requests if r.call != "GetOperation"]
    assert sequence == [
        ("GetEndpoint", f"/v1/{endpoint}"),
        ("ListModels", f"/v1/{vertex_server.location}/models"),
        ("UploadModel", f"/v1/{vertex_server.location}/models:upload"),
        ("GetEndpoint", f"/v1/{endpoint}"),
        ("DeployModel", f"/v1/{endpoint}:deployModel"),
        ("UpdateModel", f"/v1/{new['model']}"),
        ("ListModels", f"/v1/{vertex_server.location}/models"),
        ("GetEndpoint", f"/v1/{endpoint}"),
        ("UndeployModel", f"/v1/{endpoint}:undeployModel"),
        ("GetModel", f"/v1/{old['model']}"),
        ("DeleteModel", f"/v1/{old['model']}"),
    ]
    [undeploy] = vertex_server.requests_for("UndeployModel")
    assert undeploy.body == {"deployedModelId": old["deployed_model_id"]}  # it had no traffic left
    assert [d["id"] for d in vertex_server.deployed_models(endpoint)] == [new["deployed_model_id"]]
    assert vertex_server.traffic_split(endpoint) == {new["deployed_model_id"]: 100}
    assert [m["name"] for m in vertex_server.models.values()] == [new["model"]]


# ---------------------------------------------------------------------- read


def test_read_reports_live_state_so_drift_shows(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, outs = create(provider, vertex_server, endpoint)
    with vertex_server.lock:
        deployed = vertex_server.endpoints[endpoint.rsplit("/", 1)[-1]]["deployedModels"][0]
        deployed["dedicatedResources"]["minReplicaCount"] = 2
        deployed["dedicatedResources"]["maxReplicaCount"] = 8
        vertex_server.models[outs["model"].rsplit("/", 1)[-1]]["labels"]["owner"] = "someone"
    vertex_server.clear_requests()

    result = provider.read(id_, {**outs, "__provider": "serialized-provider"})

    assert vertex_server.calls() == ["GetEndpoint", "GetModel"]
    assert result.id == id_
    assert result.outs is not None
    live = result.outs
    assert (live["min_replicas"], live["max_replicas"]) == (2, 8)
    assert live["labels"] == {"team": "ml", "owner": "someone"}
    assert "__provider" not in live
    drifted = ("min_replicas", "max_replicas", "labels")
    assert {k: v for k, v in live.items() if k not in drifted} == {k: v for k, v in outs.items() if k not in drifted}
    diff = provider.diff(id_, live, checked(provider, raw_props(vertex_server, endpoint)))
    assert (diff.changes, diff.replaces) == (True, [])


def test_read_reports_machine_and_container_drift_as_replacement(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, outs = create(provider, vertex_server, endpoint)
    with vertex_server.lock:
        vertex_server.models[outs["model"].rsplit("/", 1)[-1]]["containerSpec"]["imageUri"] = IMAGE_V2

    result = provider.read(id_, outs)

    assert result.outs is not None and result.outs["image_uri"] == IMAGE_V2
    diff = provider.diff(id_, result.outs, checked(provider, raw_props(vertex_server, endpoint)))
    assert diff.replaces == ["image_uri"]


def test_state_with_an_unmanaged_metric_can_be_updated_and_deleted(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, outs = create(provider, vertex_server, endpoint)
    pubsub = "pubsub.googleapis.com/subscription/num_undelivered_messages"
    with vertex_server.lock:
        deployed = vertex_server.endpoints[endpoint.rsplit("/", 1)[-1]]["deployedModels"][0]
        deployed["dedicatedResources"]["autoscalingMetricSpecs"] = [{"metricName": pubsub, "target": 5}]
    live = provider.read(id_, outs).outs
    assert live is not None and (live["metric"], live["target"]) == (pubsub, 5)
    vertex_server.clear_requests()

    provider.update(id_, live, checked(provider, raw_props(vertex_server, endpoint)))
    provider.delete(id_, live)

    [mutate] = vertex_server.requests_for("MutateDeployedModel")
    assert mutate.body is not None and mutate.body["updateMask"] == "dedicatedResources.autoscalingMetricSpecs"
    assert vertex_server.calls()[-3:] == ["UndeployModel", "GetModel", "DeleteModel"]
    assert vertex_server.models == {}


def test_read_of_a_deployment_removed_out_of_band_returns_no_id(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, outs = create(provider, vertex_server, endpoint)
    api = VertexApi(
        context=DeploymentContext(display_name="x", project=vertex_server.project, region=vertex_server.region),
        api_endpoint=vertex_server.base_url,
        credentials=AnonymousCredentials,
        poll_interval_seconds=0.01,
    )
    api.undeploy_model(endpoint, outs["deployed_model_id"])

    result = provider.read(id_, outs)

    assert (result.id, result.outs) == ("", {})


def test_read_when_the_endpoint_is_gone_returns_no_id(
    provider: VertexModelDeploymentProvider, vertex_server: FakeVertexServer, endpoint: str
) -> None:
    id_, outs = create(provider, vertex_server, endpoint)
    with vertex_server.lock:
        vertex_server.endpoints.clear()

    result = provider.read(id_, outs)

    assert (result.id, result.outs) == ("", {})


# ---------------------------------------------------------------------- serialisation and registration


def test_provider_survives_the_sdk_serialisation_in_a_fresh_process(
    vertex_server: FakeVertexServer, endpoint: str
) -> None:
    provider = VertexModelDeploymentProvider(credentials=AnonymousCredentials)
    serialized = serialize_provider(provider)

    restored = dill.loads(base64.b64decode(serialized))
    assert type(restored) is VertexModelDeploymentProvider
    assert restored.credentials is AnonymousCredentials
    assert serialize_provider(VertexModelDeploymentProvider(credentials=AnonymousCredentials)) == serialized

    # What the pulumi-python dynamic provider host does (pulumi/dynamic/__main__.py get_provider), in a new
    # interpreter started in the project root: decode, dill.loads, configure, then use the provider.
    script = textwrap.dedent(
        """
        import base64, sys
        import dill
        from pulumi.dynamic import Config, ConfigureRequest
        provider = dill.loads(base64.b64decode(sys.argv[1]))
        provider.configure(ConfigureRequest(Config(raw_config={}, project_name="ml-serving")))
        props = {
            "project": "fake-project", "region": "us-central1", "endpoint": sys.argv[2],
            "display_name": "sentiment", "image_uri": "img", "api_endpoint": sys.argv[3],
            "poll_interval_seconds": 0.01,
        }
        result = provider.create(provider.check({}, props).inputs)
        print(type(provider).__module__, type(provider).__name__, result.outs["deployed_model_id"])
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, serialized, endpoint, vertex_server.base_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    [deployed] = vertex_server.deployed_models(endpoint)
    assert done.stdout.split() == [
        "components.gcp.model_deployment",
        "VertexModelDeploymentProvider",
        deployed["id"],
    ]


def test_resource_registers_with_the_expected_inputs() -> None:
    """Under the shared mock runtime (the one the offline plan uses) the resource registers its inputs."""
    endpoint = "projects/fake-project/locations/us-central1/endpoints/4242"
    outputs: dict[str, Any] = {}

    def program() -> None:
        deployment = VertexModelDeployment(
            "sentiment",
            VertexModelDeploymentArgs(
                project="fake-project",
                region="us-central1",
                endpoint=pulumi.Output.from_input(endpoint),
                display_name="sentiment",
                image_uri=IMAGE_V1,
                env={"MODEL_NAME": "sentiment"},
                accelerator_type="NVIDIA_L4",
                accelerator_count=1,
                max_replicas=3,
                metric="gpu",
            ),
        )
        pulumi.export("deployed_model_id", deployment.deployed_model_id)
        pulumi.export("endpoint", deployment.endpoint)

    plan = run_program(program, stack="test", config={"gcp:project": "fake-project"})
    registered = plan.one("pulumi-python:dynamic/gcp:VertexModelDeployment", "sentiment")
    inputs = registered.inputs
    assert inputs["endpoint"] == endpoint and inputs["image_uri"] == IMAGE_V1
    assert (inputs["port"], inputs["predict_route"], inputs["health_route"]) == (8080, "/predict", "/health")
    assert inputs["env"] == {"MODEL_NAME": "sentiment"}
    assert (inputs["accelerator_type"], inputs["accelerator_count"], inputs["max_replicas"]) == ("NVIDIA_L4", 1, 3)
    assert inputs["metric"] == "gpu" and inputs["operation_timeout_seconds"] == 1800
    outputs.update(plan.outputs)
    assert outputs["endpoint"] == endpoint and outputs["deployed_model_id"].isdigit()
