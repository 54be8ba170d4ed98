"""VertexDeployment as a reviewer reads it in a preview: endpoint, identity, model deployment, output bucket."""

from __future__ import annotations

import pytest
from builders import gcp_deployment, stack_values

ENDPOINT = "gcp:vertex/aiEndpoint:AiEndpoint"
ACCOUNT = "gcp:serviceaccount/account:Account"
GRANT = "gcp:storage/bucketIAMMember:BucketIAMMember"
MODEL = "pulumi-python:dynamic/gcp:VertexModelDeployment"
BUCKET = "gcp:storage/bucket:Bucket"


@pytest.fixture
def plan(run_stack):
    return run_stack(stack_values(gcp_deployment(environment={"MODEL_NAME": "reranker"})), stack="prod")


def test_endpoint_in_region_with_labels(plan):
    endpoint = plan.one(ENDPOINT)
    assert endpoint.inputs["location"] == "europe-west4" and endpoint.inputs["project"] == "acme-ml"
    assert endpoint.inputs["labels"] == {
        "project": "ml-serving",
        "stack": "prod",
        "deployment": "reranker",
        "managed-by": "ml-serving",
    }
    assert "name" not in endpoint.inputs  # Vertex assigns the id: a replacement never collides with the old one


def test_model_deployment_carries_container_machine_scaling_and_identity(plan):
    model = plan.one(MODEL)
    inputs = model.inputs
    assert inputs["image_uri"] == "europe-west4-docker.pkg.dev/acme-ml/serving/reranker:1.0.0"
    assert inputs["artifact_uri"] == "gs://acme-models/reranker/v2/"
    assert (inputs["predict_route"], inputs["health_route"], inputs["port"]) == ("/predict", "/health", 8080)
    assert inputs["env"] == {"MODEL_NAME": "reranker"}
    assert (inputs["machine_type"], inputs["accelerator_type"], inputs["accelerator_count"]) == (
        "g2-standard-4",
        "NVIDIA_L4",
        1,
    )
    assert (inputs["min_replicas"], inputs["max_replicas"], inputs["metric"], inputs["target"]) == (1, 4, "gpu", 60)
    endpoint_id = plan.outputs["reranker"]["endpoint_id"]
    assert inputs["endpoint"] == f"projects/acme-ml/locations/europe-west4/endpoints/{endpoint_id}"
    assert inputs["service_account"] == plan.outputs["reranker"]["service_account"]


def test_model_waits_for_the_artifact_grant(plan):
    (grant,) = plan.by_type(GRANT)
    assert grant.urn in plan.one(MODEL).options["dependsOn"]


def test_service_account_reads_only_its_artifacts(plan):
    account = plan.one(ACCOUNT)
    assert 6 <= len(account.inputs["accountId"]) <= 30
    (grant,) = plan.by_type(GRANT)
    assert grant.inputs["role"] == "roles/storage.objectViewer"
    assert grant.inputs["bucket"] == "acme-models"
    assert (
        'startsWith("projects/_/buckets/acme-models/objects/reranker/v2/")' in grant.inputs["condition"]["expression"]
    )
    assert grant.inputs["member"] == f"serviceAccount:{plan.outputs['reranker']['service_account']}"


def test_outputs_give_predict_url_and_ids(plan):
    outputs = plan.outputs["reranker"]
    assert outputs["predict_url"] == f"https://europe-west4-aiplatform.googleapis.com/v1/{outputs['endpoint']}:predict"
    assert outputs["model"].startswith("projects/") and outputs["deployed_model_id"].isdigit()


def test_fixed_size_has_no_autoscaling_metric(run_stack):
    plan = run_stack(stack_values(gcp_deployment(scaling={"min": 2, "max": 2})))
    inputs = plan.one(MODEL).inputs
    assert (inputs["min_replicas"], inputs["max_replicas"]) == (2, 2)
    assert "metric" not in inputs and "target" not in inputs


def test_cmek_dedicated_endpoint_and_existing_service_account(run_stack):
    key = "projects/acme-ml/locations/europe-west4/keyRings/ml/cryptoKeys/serving"
    sa = "serving@acme-ml.iam.gserviceaccount.com"
    plan = run_stack(
        stack_values(gcp_deployment(vertex={"kms_key": key, "dedicated_endpoint": True, "service_account": sa}))
    )
    endpoint = plan.one(ENDPOINT)
    assert endpoint.inputs["encryptionSpec"] == {"kmsKeyName": key}
    assert endpoint.inputs["dedicatedEndpointEnabled"] is True
    assert plan.by_type(ACCOUNT) == []
    assert plan.one(MODEL).inputs["service_account"] == sa
    assert ".prediction.vertexai.goog/v1/" in plan.outputs["reranker"]["predict_url"]


def test_async_declares_private_expiring_bucket_that_survives_destroy(run_stack):
    plan = run_stack(stack_values(gcp_deployment(**{"async": {"output_retention_days": 14}})))
    bucket = plan.one(BUCKET)
    assert bucket.inputs["uniformBucketLevelAccess"] is True
    assert bucket.inputs["publicAccessPrevention"] == "enforced"
    assert bucket.inputs["forceDestroy"] is False
    assert bucket.options.get("retainOnDelete") is True
    (rule,) = bucket.inputs["lifecycleRules"]
    assert rule["action"]["type"] == "Delete"
    assert rule["condition"]["age"] == 14 and rule["condition"]["matchesPrefixes"] == ["outputs/", "failures/"]
    bucket_name = plan.outputs["reranker"]["output_bucket"].removeprefix("gs://")
    assert bucket_name.startswith("reranker-output-bucket-")
    roles = sorted(g.inputs["role"] for g in plan.by_type(GRANT) if g.inputs["bucket"] == bucket_name)
    assert roles == ["roles/storage.objectCreator", "roles/storage.objectViewer"]


def test_async_force_destroy_is_an_explicit_opt_in(run_stack):
    plan = run_stack(stack_values(gcp_deployment(**{"async": {"force_destroy": True}})))
    bucket = plan.one(BUCKET)
    assert bucket.inputs["forceDestroy"] is True and "retainOnDelete" not in bucket.options


def test_async_protect_is_passed_to_the_bucket(run_stack):
    plan = run_stack(stack_values(gcp_deployment(**{"async": {"protect": True}})))
    assert plan.one(BUCKET).options.get("protect") is True


def test_the_plan_shows_the_metric_specs_exactly_as_sent(plan):
    assert plan.one(MODEL).inputs["autoscaling_metric_specs"] == [
        {"metric_name": "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle", "target": 60},
        {"metric_name": "aiplatform.googleapis.com/prediction/online/cpu/utilization", "target": 100},
    ]


def test_cmek_reaches_the_uploaded_model_too(run_stack):
    key = "projects/acme-ml/locations/europe-west4/keyRings/ml/cryptoKeys/serving"
    plan = run_stack(stack_values(gcp_deployment(vertex={"kms_key": key})))
    assert plan.one(ENDPOINT).inputs["encryptionSpec"] == {"kmsKeyName": key}
    assert plan.one(MODEL).inputs["kms_key_name"] == key


def test_outputs_use_the_sagemaker_names_and_keep_the_0_1_0_names(plan):
    outputs = plan.outputs["reranker"]
    endpoint_id = outputs["endpoint_id"]
    assert outputs["endpoint_name"] == f"projects/acme-ml/locations/europe-west4/endpoints/{endpoint_id}"
    assert (
        outputs["invoke_url"] == f"https://europe-west4-aiplatform.googleapis.com/v1/{outputs['endpoint_name']}:predict"
    )
    assert (outputs["endpoint"], outputs["predict_url"]) == (outputs["endpoint_name"], outputs["invoke_url"])


def test_a_private_endpoint_exports_the_private_predict_url(run_stack):
    network = "projects/123456789012/global/networks/serving"
    plan = run_stack(stack_values(gcp_deployment(vertex={"private_network": network})))
    assert plan.one(ENDPOINT).inputs["network"] == network
    assert plan.one(MODEL).inputs["private_endpoint"] is True  # replacements delete first: one model per endpoint
    outputs = plan.outputs["reranker"]
    assert outputs["invoke_url"] == (
        f"http://{outputs['endpoint_id']}.aiplatform.googleapis.com/v1/models/{outputs['deployed_model_id']}:predict"
    )
    assert outputs["predict_url"] == outputs["invoke_url"]


def test_a_component_name_whose_endpoint_auto_name_breaks_the_id_rule_is_refused():
    from components.config import DeploymentConfig
    from components.gcp import VertexDeployment
    from components.mock_runtime import run_program

    config = DeploymentConfig.model_validate(gcp_deployment())

    def program():
        VertexDeployment("Reranker_EU", config, project="acme-ml", region="europe-west4")

    with pytest.raises(Exception, match="breaks Vertex's rule: a lowercase letter first"):
        run_program(program, stack="test", config={"gcp:project": "acme-ml"})
