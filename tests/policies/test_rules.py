"""Every guardrail on hand-built resources (passing and failing), without pulumi-policy or the CLI."""

from __future__ import annotations

import json

import pytest
from ml_serving_policies import PolicySettings, check_resources
from ml_serving_policies.rules import PlannedResource

TAGS = {"project": "ml-serving", "stack": "prod", "deployment": "ranker", "managed-by": "ml-serving"}
SETTINGS = PolicySettings()


def res(type_, props, name="r", deps=()):
    return PlannedResource(type_, props, f"urn:pulumi:prod::ml-serving::{type_}::{name}", name, tuple(deps))


def violations(*resources, settings=SETTINGS):
    return [(v.rule, v.message, v.enforcement) for v in check_resources(list(resources), settings)]


def rules_broken(*resources, settings=SETTINGS):
    return sorted({rule for rule, _, _ in violations(*resources, settings=settings)})


KEY = "arn:aws:kms:eu-west-1:1:key/k"


def endpoint_config(count=2, kms="valid", asynchronous=False, instance="ml.g5.xlarge", tags=TAGS):
    """An endpoint configuration; ``kms="valid"``: a key where AWS accepts one (the async outputs only, on local-NVMe
    g5 / g4dn)."""
    output_key = KEY if kms == "valid" else None
    if kms == "valid":
        kms = None if instance.split(".")[1] in ("g5", "g4dn") else KEY
    props = {
        "productionVariants": [{"variantName": "primary", "initialInstanceCount": count, "instanceType": instance}],
        "tags": tags,
    }
    if kms:
        props["kmsKeyArn"] = kms
    if asynchronous:
        props["asyncInferenceConfig"] = {"outputConfig": {"s3OutputPath": "s3://b/outputs/"}}
        if output_key:
            props["asyncInferenceConfig"]["outputConfig"]["kmsKeyId"] = output_key
    return res("aws:sagemaker/endpointConfiguration:EndpointConfiguration", props, "ranker-config")


def test_endpoint_config_without_kms_is_advisory_by_default_and_mandatory_when_configured():
    assert violations(endpoint_config(kms=None, instance="ml.c5.xlarge")) == [
        (
            "sagemaker-endpoint-config-kms",
            "the endpoint configuration has no kmsKeyArn: set `sagemaker.kms_key` to a KMS key ARN",
            "advisory",
        )
    ]
    strict = PolicySettings.from_pack_config({"sagemaker-endpoint-config-kms": "mandatory"})
    assert violations(endpoint_config(kms=None, instance="ml.c5.xlarge"), settings=strict)[0][2] == "mandatory"
    assert violations(endpoint_config(instance="ml.c5.xlarge")) == []


def test_local_nvme_instance_types_are_exempt_and_refuse_a_key():
    strict = PolicySettings.from_pack_config({"sagemaker-endpoint-config-kms": "mandatory"})
    assert violations(endpoint_config(kms=None, instance="ml.g5.xlarge"), settings=strict) == []
    assert violations(endpoint_config(kms=KEY, instance="ml.g5.xlarge"), settings=strict) == [
        (
            "sagemaker-endpoint-config-kms",
            "kmsKeyArn is set on local-NVMe instance types ['ml.g5.xlarge']: SageMaker refuses it "
            "(CreateEndpointConfig fails); remove `sagemaker.kms_key` from this deployment",
            "mandatory",
        )
    ]


def test_local_nvme_async_endpoints_encrypt_their_outputs():
    config = endpoint_config(kms=None, instance="ml.g4dn.xlarge", asynchronous=True)  # no key anywhere
    assert violations(config) == [
        (
            "sagemaker-endpoint-config-kms",
            "exempt from kmsKeyArn (local-NVMe instance types ['ml.g4dn.xlarge'], hardware-encrypted), but the async "
            "outputs are not encrypted with a KMS key: set `async.kms_key`",
            "advisory",
        )
    ]
    config.props["asyncInferenceConfig"]["outputConfig"]["kmsKeyId"] = "arn:aws:kms:eu-west-1:1:key/k"
    assert violations(config) == []


def test_model_network_isolation_is_advisory():
    model = res("aws:sagemaker/model:Model", {"tags": TAGS})
    assert violations(model) == [("sagemaker-model-network-isolation", violations(model)[0][1], "advisory")]
    assert violations(res("aws:sagemaker/model:Model", {"tags": TAGS, "enableNetworkIsolation": True})) == []


def test_production_endpoints_need_two_instances_including_the_autoscaling_floor():
    assert rules_broken(endpoint_config(count=1)) == ["production-two-instances"]
    config = endpoint_config(count=2)
    endpoint = res("aws:sagemaker/endpoint:Endpoint", {"tags": TAGS}, "e", deps=[config.urn])
    target = res(
        "aws:appautoscaling/target:Target",
        {"resourceId": "endpoint/e/variant/primary", "minCapacity": 1, "maxCapacity": 4},
        "t",
        deps=[endpoint.urn],
    )
    assert rules_broken(config, endpoint, target) == ["production-two-instances"]
    other_endpoint = res("aws:sagemaker/endpoint:Endpoint", {"tags": TAGS}, "other")
    other_target = res(
        "aws:appautoscaling/target:Target",
        {"resourceId": "endpoint/other/variant/primary", "minCapacity": 1},
        "t2",
        deps=[other_endpoint.urn],
    )
    assert rules_broken(config, endpoint, other_endpoint, other_target) == []  # another endpoint's floor
    assert rules_broken(endpoint_config(count=1, asynchronous=True)) == []  # queue-backed
    dev = endpoint_config(count=1, tags={**TAGS, "stack": "dev"})
    assert rules_broken(dev) == []
    vertex = res(
        "pulumi-python:dynamic/gcp:VertexModelDeployment", {"min_replicas": 1, "max_replicas": 2, "labels": TAGS}
    )
    assert rules_broken(vertex) == ["production-two-instances"]


def bucket_with(*parts):
    bucket = res("aws:s3/bucket:Bucket", {"tags": TAGS}, "out")
    attached = [res(t, p, f"out-{i}", deps=[bucket.urn]) for i, (t, p) in enumerate(parts)]
    return [bucket, *attached]


SSE = ("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", {"rules": []})
PAB = (
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    dict.fromkeys(("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True),
)
TLS = (
    "aws:s3/bucketPolicy:BucketPolicy",
    {
        "policy": json.dumps(
            {
                "Statement": [
                    {"Effect": "Deny", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
                ]
            }
        )
    },
)


def test_s3_output_bucket_must_be_encrypted_private_and_tls_only():
    assert violations(*bucket_with(SSE, PAB, TLS)) == []
    messages = [m for rule, m, _ in violations(*bucket_with()) if rule == "s3-output-bucket-guarded"]
    assert len(messages) == 3
    partial = (PAB[0], {**PAB[1], "restrictPublicBuckets": False})
    assert [m for _, m, _ in violations(*bucket_with(SSE, partial, TLS))] == [
        "public access is not fully blocked (all four BucketPublicAccessBlock flags)"
    ]


def test_sns_topics_must_be_encrypted():
    assert rules_broken(res("aws:sns/topic:Topic", {"tags": TAGS})) == ["sns-topic-encrypted"]
    assert rules_broken(res("aws:sns/topic:Topic", {"tags": TAGS, "kmsMasterKeyId": "alias/aws/sns"})) == []


@pytest.mark.parametrize(
    ("statement", "broken"),
    [
        ({"Effect": "Allow", "Action": ["s3:*"], "Resource": ["arn:aws:s3:::b/*"]}, True),
        ({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b"}, True),
        ({"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}, True),
        ({"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": ["*"]}, False),
        ({"Effect": "Allow", "Action": ["ec2:DescribeSubnets"], "Resource": ["*"]}, False),
        ({"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b/k"]}, False),
        ({"Effect": "Deny", "Action": "*", "Resource": "*"}, False),
    ],
)
def test_iam_wildcards(statement, broken):
    policy = res("aws:iam/rolePolicy:RolePolicy", {"policy": json.dumps({"Statement": [statement]})})
    assert (rules_broken(policy) == ["iam-no-wildcards"]) is broken


def test_vertex_cmek_advisory_unless_demanded():
    endpoint = res("gcp:vertex/aiEndpoint:AiEndpoint", {"labels": TAGS})
    assert violations(endpoint)[0][::2] == ("vertex-endpoint-cmek", "advisory")
    strict = PolicySettings.from_pack_config({"vertex-endpoint-cmek": {"enforcementLevel": "mandatory"}})
    assert violations(endpoint, settings=strict)[0][2] == "mandatory"
    keyed = res(
        "gcp:vertex/aiEndpoint:AiEndpoint",
        {"labels": TAGS, "encryptionSpec": {"kmsKeyName": "projects/p/locations/l/keyRings/r/cryptoKeys/k"}},
    )
    assert violations(keyed) == []


def test_gcs_buckets_private_and_uniform():
    open_bucket = res("gcp:storage/bucket:Bucket", {"labels": TAGS, "publicAccessPrevention": "inherited"})
    assert [m for _, m, _ in violations(open_bucket)] == [
        "public access prevention is not enforced on the bucket",
        "uniform bucket-level access is off (object ACLs can make outputs public)",
    ]
    closed = res(
        "gcp:storage/bucket:Bucket",
        {"labels": TAGS, "publicAccessPrevention": "enforced", "uniformBucketLevelAccess": True},
    )
    assert violations(closed) == []


def test_gpu_budget_counts_max_instances_times_gpus():
    config = endpoint_config(instance="ml.g5.12xlarge")  # 4 GPUs x 6 instances = 24
    endpoint = res("aws:sagemaker/endpoint:Endpoint", {"tags": TAGS}, "e", deps=[config.urn])
    target = res(
        "aws:appautoscaling/target:Target",
        {"resourceId": "endpoint/e/variant/primary", "minCapacity": 2, "maxCapacity": 6},
        "t",
        deps=[endpoint.urn],
    )
    assert rules_broken(config, endpoint, target, settings=PolicySettings(gpu_budget=24)) == []
    (violation,) = violations(config, endpoint, target, settings=PolicySettings(gpu_budget=16))
    assert violation[0] == "gpu-budget" and "scale to 24 GPUs, over its budget of 16" in violation[1]
    vertex = res(
        "pulumi-python:dynamic/gcp:VertexModelDeployment",
        {"min_replicas": 2, "max_replicas": 3, "accelerator_count": 2, "labels": TAGS},
    )
    (violation,) = violations(config, endpoint, target, vertex, settings=PolicySettings(gpu_budget=24))
    assert "scale to 30 GPUs" in violation[1]  # 24 + 3 replicas x 2 GPUs


def test_required_tags():
    assert rules_broken(res("aws:sagemaker/endpoint:Endpoint", {"tags": {"project": "x"}})) == ["tags-present"]


def test_settings_refuse_unknown_keys_and_levels():
    with pytest.raises(ValueError, match="unknown policy settings"):
        PolicySettings.from_pack_config({"gpu-budget": {"settings": {"gpu_budgte": 3}}})
    with pytest.raises(ValueError, match="enforcement level"):
        PolicySettings.from_pack_config({"gpu-budget": "fatal"})
    assert rules_broken(endpoint_config(kms=None), settings=PolicySettings.from_pack_config({"all": "disabled"})) == []
