"""Several models behind one endpoint: multi-model, multi-container (direct / serial), variants and a shadow."""

from __future__ import annotations

import json

import pytest
from builders import aws_deployment, stack_values

MODEL = "aws:sagemaker/model:Model"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
POLICY = "aws:iam/rolePolicy:RolePolicy"
TARGET = "aws:appautoscaling/target:Target"
SCALING_POLICY = "aws:appautoscaling/policy:Policy"
TRITON = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-tritonserver:24.09-py3"
V2_IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker-next:3.0.0"
V2_ARTIFACTS = "s3://acme-models/ranker/v8/model.tar.gz"


def statements_of(plan):
    return {s["Sid"]: s for s in json.loads(plan.one(POLICY).inputs["policy"])["Statement"]}


# ------------------------------------------------------------------------------------------ multi-model


@pytest.fixture(scope="module")
def multi_model(module_run_stack):
    deployment = aws_deployment(
        image=TRITON, artifacts="s3://acme-models/tenants/", sagemaker={"multi_model": {"model_cache": False}}
    )
    return module_run_stack(stack_values(deployment))


def test_multi_model_container_loads_from_the_prefix(multi_model):
    container = multi_model.one(MODEL).inputs["primaryContainer"]
    assert container["mode"] == "MultiModel"
    assert container["modelDataUrl"] == "s3://acme-models/tenants/"
    assert container["multiModelConfig"] == {"modelCacheSetting": "Disabled"}


def test_multi_model_role_lists_and_reads_only_the_prefix(multi_model):
    statements = statements_of(multi_model)
    listing = statements["ListArtifactPrefix0"]
    assert listing["Action"] == ["s3:ListBucket"] and listing["Resource"] == ["arn:aws:s3:::acme-models"]
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["tenants/*"]}}
    reading = statements["ReadArtifactPrefix0"]
    assert reading["Action"] == ["s3:GetObject"] and reading["Resource"] == ["arn:aws:s3:::acme-models/tenants/*"]
    assert "ReadArtifacts" not in statements  # no object grant: the prefix is not an archive
    assert statements["PullImage"]["Resource"] == [
        "arn:aws:ecr:eu-west-1:111122223333:repository/sagemaker-tritonserver"
    ]


# -------------------------------------------------------------------------------------- multi-container


@pytest.fixture(scope="module")
def multi_container(module_run_stack):
    containers = [
        {
            "hostname": "tokenizer",
            "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/tokenizer:1.2.0",
            "artifacts": "s3://acme-models/tokenizer/v1/model.tar.gz",
            "environment": {"MAX_LEN": "512"},
        },
        {"hostname": "explainer", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/explainer:0.3.0"},
    ]
    deployment = aws_deployment(sagemaker={"containers": containers, "container_mode": "direct"})
    return module_run_stack(stack_values(deployment))


def test_direct_invocation_lists_every_container_by_host_name(multi_container):
    model = multi_container.one(MODEL).inputs
    assert "primaryContainer" not in model
    assert model["inferenceExecutionConfig"] == {"mode": "Direct"}
    containers = model["containers"]
    assert [c["containerHostname"] for c in containers] == ["ranker", "tokenizer", "explainer"]
    assert containers[0]["image"] == "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1"
    assert containers[0]["modelDataUrl"] == "s3://acme-models/ranker/v7/model.tar.gz"
    assert containers[1]["environment"] == {"MAX_LEN": "512"}
    assert "modelDataUrl" not in containers[2]


def test_multi_container_role_pulls_every_image_and_reads_every_archive(multi_container):
    statements = statements_of(multi_container)
    assert statements["PullImage"]["Resource"] == [
        f"arn:aws:ecr:eu-west-1:111122223333:repository/{repository}"
        for repository in ("explainer", "ranker", "tokenizer")
    ]
    assert statements["ReadArtifacts"]["Resource"] == [
        "arn:aws:s3:::acme-models/ranker/v7/model.tar.gz",
        "arn:aws:s3:::acme-models/tokenizer/v1/model.tar.gz",
    ]


def test_serial_pipeline_is_the_default_mode(run_stack):
    containers = [{"hostname": "postprocess", "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/post:1.0.0"}]
    plan = run_stack(stack_values(aws_deployment(sagemaker={"containers": containers})))
    model = plan.one(MODEL).inputs
    assert model["inferenceExecutionConfig"] == {"mode": "Serial"}
    assert [c["containerHostname"] for c in model["containers"]] == ["ranker", "postprocess"]


# ------------------------------------------------------------------------------------------- variants


@pytest.fixture(scope="module")
def variants(module_run_stack):
    sagemaker = {
        "variant_name": "v1",
        "variant_weight": 0.9,
        "variants": [
            {
                "name": "v2",
                "weight": 0.1,
                "image": V2_IMAGE,
                "artifacts": V2_ARTIFACTS,
                "instance_type": "ml.g6.xlarge",
                "scaling": {"min": 1, "max": 3, "metric": "invocations", "target": 200},
            },
            {"name": "v1-cpu", "weight": 0, "instance_type": "ml.c5.2xlarge"},
        ],
    }
    return module_run_stack(stack_values(aws_deployment(sagemaker=sagemaker)))


def test_variants_share_traffic_by_weight_each_with_its_instance(variants):
    production = {v["variantName"]: v for v in variants.one(CONFIG).inputs["productionVariants"]}
    assert list(production) == ["v1", "v2", "v1-cpu"]
    assert [production[name]["initialVariantWeight"] for name in production] == [0.9, 0.1, 0]
    assert production["v1"]["instanceType"] == "ml.g5.xlarge" and production["v1"]["initialInstanceCount"] == 2
    assert production["v2"]["instanceType"] == "ml.g6.xlarge" and production["v2"]["initialInstanceCount"] == 1
    assert production["v1-cpu"]["instanceType"] == "ml.c5.2xlarge"
    assert "shadowProductionVariants" not in variants.one(CONFIG).inputs


def test_a_variant_with_its_own_image_gets_its_own_model(variants):
    models = {model.name: model for model in variants.by_type(MODEL)}
    assert set(models) == {"ranker-model", "ranker-v2-model"}
    v2 = models["ranker-v2-model"].inputs["primaryContainer"]
    assert v2["image"] == V2_IMAGE and v2["modelDataUrl"] == V2_ARTIFACTS
    production = {v["variantName"]: v for v in variants.one(CONFIG).inputs["productionVariants"]}
    assert production["v2"]["modelName"].startswith("ranker-v2-model-")
    assert production["v1"]["modelName"] == production["v1-cpu"]["modelName"]  # same model, other instance
    assert production["v1"]["modelName"].startswith("ranker-model-")
    statements = statements_of(variants)
    assert "arn:aws:ecr:eu-west-1:111122223333:repository/ranker-next" in statements["PullImage"]["Resource"]
    assert "arn:aws:s3:::acme-models/ranker/v8/model.tar.gz" in statements["ReadArtifacts"]["Resource"]


def test_each_variant_scales_on_its_own_target_and_policy(variants):
    endpoint_name = variants.outputs["ranker"]["endpoint_name"]
    targets = {t.inputs["resourceId"]: t for t in variants.by_type(TARGET)}
    assert set(targets) == {f"endpoint/{endpoint_name}/variant/v1", f"endpoint/{endpoint_name}/variant/v2"}
    v2 = targets[f"endpoint/{endpoint_name}/variant/v2"]
    assert (v2.inputs["minCapacity"], v2.inputs["maxCapacity"]) == (1, 3)
    policies = {p.inputs["resourceId"]: p for p in variants.by_type(SCALING_POLICY)}
    assert set(policies) == set(targets)
    v2_tracking = policies[f"endpoint/{endpoint_name}/variant/v2"].inputs["targetTrackingScalingPolicyConfiguration"]
    assert (
        v2_tracking["predefinedMetricSpecification"]["predefinedMetricType"] == "SageMakerVariantInvocationsPerInstance"
    )
    assert v2_tracking["targetValue"] == 200
    assert variants.outputs["ranker"]["variant_names"] == ["v1", "v2", "v1-cpu"]
    assert variants.outputs["ranker"]["variant_name"] == "v1"


# --------------------------------------------------------------------------------------------- shadow


def test_shadow_variant_mirrors_the_production_variant(run_stack):
    shadow = {"name": "shadow", "weight": 0.5, "image": V2_IMAGE, "instance_type": "ml.g6.xlarge"}
    plan = run_stack(stack_values(aws_deployment(sagemaker={"shadow": shadow})))
    config = plan.one(CONFIG).inputs
    (production,) = config["productionVariants"]
    (mirror,) = config["shadowProductionVariants"]
    assert production["variantName"] == "primary" and mirror["variantName"] == "shadow"
    assert mirror["initialVariantWeight"] == 0.5 and mirror["instanceType"] == "ml.g6.xlarge"
    assert mirror["modelName"].startswith("ranker-shadow-model-")
    shadow_model = plan.one(MODEL, "ranker-shadow-model").inputs["primaryContainer"]
    assert shadow_model["image"] == V2_IMAGE
    assert shadow_model["modelDataUrl"] == "s3://acme-models/ranker/v7/model.tar.gz"  # the deployment's
