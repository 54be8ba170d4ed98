"""Async SageMaker endpoints: the output bucket, the notification topics, the endpoint configuration and the role."""

from __future__ import annotations

import json

import pytest
from builders import aws_deployment, stack_values

BUCKET = "aws:s3/bucket:Bucket"
TOPIC = "aws:sns/topic:Topic"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
POLICY = "aws:iam/rolePolicy:RolePolicy"
KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
BUCKET_SETTINGS = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
)


def async_deployment(**options):
    return aws_deployment(**{"async": options or True}, scaling={"min": 0, "max": 2, "metric": "backlog", "target": 4})


@pytest.fixture(scope="module")
def plan(module_run_stack):
    return module_run_stack(
        stack_values(
            async_deployment(max_concurrent_invocations_per_instance=4, include_inference_response_in=["error"])
        )
    )


def test_one_private_encrypted_tls_only_bucket(plan):
    bucket = plan.one(BUCKET)
    assert "bucket" not in bucket.inputs and "bucketPrefix" not in bucket.inputs  # auto-named: never renamed
    assert bucket.inputs["forceDestroy"] is False
    name = plan.outputs["ranker"]["output_bucket"]
    assert name.startswith("ranker-async-bucket-")
    encryption = plan.one(BUCKET_SETTINGS[0]).inputs["rules"]
    assert encryption == [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]
    access = plan.one(BUCKET_SETTINGS[1]).inputs
    assert all(
        access[key] is True
        for key in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    assert plan.one(BUCKET_SETTINGS[2]).inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    (statement,) = json.loads(plan.one(BUCKET_SETTINGS[3]).inputs["policy"])["Statement"]
    assert statement["Effect"] == "Deny" and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statement["Resource"] == [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]
    for setting in BUCKET_SETTINGS:
        assert plan.one(setting).inputs["bucket"] == name


def test_lifecycle_expires_outputs_and_failures_only(plan):
    rules = {rule["id"]: rule for rule in plan.one(BUCKET_SETTINGS[4]).inputs["rules"]}
    assert rules["expire-outputs"]["filter"] == {"prefix": "outputs/"}
    assert rules["expire-outputs"]["expiration"] == {"days": 30}
    assert rules["expire-failures"]["filter"] == {"prefix": "failures/"}
    assert rules["expire-failures"]["expiration"] == {"days": 30}
    inputs = rules["abort-incomplete-input-uploads"]
    assert inputs["filter"] == {"prefix": "inputs/"} and "expiration" not in inputs


def test_outputs_are_retained_unless_force_destroy(plan, run_stack):
    for resource in [plan.one(BUCKET), *(plan.one(setting) for setting in BUCKET_SETTINGS)]:
        assert resource.options.get("retainOnDelete") is True, resource.name
    opted_in = run_stack(stack_values(async_deployment(force_destroy=True)))
    bucket = opted_in.one(BUCKET)
    assert bucket.inputs["forceDestroy"] is True and "retainOnDelete" not in bucket.options


def test_bucket_inputs_do_not_change_when_a_new_model_rolls_out(plan, run_stack):
    rolled = aws_deployment(
        **{"async": {"max_concurrent_invocations_per_instance": 8, "include_inference_response_in": ["error"]}},
        image="111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.4.0",
        artifacts="s3://acme-models/ranker/v8/model.tar.gz",
        scaling={"min": 0, "max": 4, "metric": "backlog", "target": 2},
    )
    after = run_stack(stack_values(rolled))
    assert after.one(BUCKET).inputs == plan.one(BUCKET).inputs
    assert after.outputs["ranker"]["output_bucket"] == plan.outputs["ranker"]["output_bucket"]


def test_endpoint_config_writes_to_the_bucket_and_notifies_the_topics(plan):
    outputs = plan.outputs["ranker"]
    config = plan.one(CONFIG).inputs["asyncInferenceConfig"]
    output = config["outputConfig"]
    assert output["s3OutputPath"] == outputs["output_location"] == f"s3://{outputs['output_bucket']}/outputs/"
    assert output["s3FailurePath"] == outputs["failure_location"] == f"s3://{outputs['output_bucket']}/failures/"
    notification = output["notificationConfig"]
    assert notification["successTopic"] == outputs["success_topic_arn"]
    assert notification["errorTopic"] == outputs["error_topic_arn"]
    assert notification["includeInferenceResponseIns"] == ["ERROR_NOTIFICATION_TOPIC"]
    assert "kmsKeyId" not in output
    assert config["clientConfig"] == {"maxConcurrentInvocationsPerInstance": 4}


def test_topics_are_encrypted_with_the_sns_managed_key(plan):
    topics = {topic.name: topic for topic in plan.by_type(TOPIC)}
    assert set(topics) == {"ranker-async-success", "ranker-async-error"}
    for topic in topics.values():
        assert topic.inputs["kmsMasterKeyId"] == "alias/aws/sns"
        assert "name" not in topic.inputs


def test_role_reads_inputs_writes_results_and_publishes_to_its_topics_only(plan):
    outputs = plan.outputs["ranker"]
    bucket = f"arn:aws:s3:::{outputs['output_bucket']}"
    statements = {s["Sid"]: s for s in json.loads(plan.one(POLICY).inputs["policy"])["Statement"]}
    assert statements["ReadAsyncInputs"] == {
        "Sid": "ReadAsyncInputs",
        "Effect": "Allow",
        "Action": ["s3:GetObject"],
        "Resource": [f"{bucket}/inputs/*"],
    }
    assert statements["WriteAsyncResults"]["Action"] == ["s3:AbortMultipartUpload", "s3:PutObject"]
    assert statements["WriteAsyncResults"]["Resource"] == [f"{bucket}/outputs/*", f"{bucket}/failures/*"]
    assert statements["PublishAsyncNotifications"]["Action"] == ["sns:Publish"]
    assert statements["PublishAsyncNotifications"]["Resource"] == sorted(
        [outputs["success_topic_arn"], outputs["error_topic_arn"]]
    )
    for statement in statements.values():
        assert all("*" not in action for action in statement["Action"])
        if statement["Sid"] not in ("EcrLogin", "WriteMetrics"):
            assert "*" not in statement["Resource"]


def test_outputs_and_invoke_url(plan):
    outputs = plan.outputs["ranker"]
    assert outputs["input_location"] == f"s3://{outputs['output_bucket']}/inputs/"
    assert outputs["invoke_url"].endswith(f"/endpoints/{outputs['endpoint_name']}/async-invocations")
    assert outputs["endpoint_name"].startswith("ranker-endpoint-")  # the existing outputs stay


def test_kms_key_encrypts_bucket_topics_and_outputs(run_stack):
    plan = run_stack(stack_values(async_deployment(kms_key=KEY)))
    (rule,) = plan.one(BUCKET_SETTINGS[0]).inputs["rules"]
    assert rule == {
        "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY},
        "bucketKeyEnabled": True,
    }
    assert {topic.inputs["kmsMasterKeyId"] for topic in plan.by_type(TOPIC)} == {KEY}
    assert plan.one(CONFIG).inputs["asyncInferenceConfig"]["outputConfig"]["kmsKeyId"] == KEY
    statements = {s["Sid"]: s for s in json.loads(plan.one(POLICY).inputs["policy"])["Statement"]}
    assert statements["EncryptAsyncOutputs"] == {
        "Sid": "EncryptAsyncOutputs",
        "Effect": "Allow",
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Resource": [KEY],
    }
    assert "UseKeys" not in statements


def test_without_notifications_no_topics(run_stack):
    plan = run_stack(stack_values(async_deployment(notifications=False)))
    assert plan.by_type(TOPIC) == []
    assert "notificationConfig" not in plan.one(CONFIG).inputs["asyncInferenceConfig"]["outputConfig"]
    statements = {s["Sid"] for s in json.loads(plan.one(POLICY).inputs["policy"])["Statement"]}
    assert "PublishAsyncNotifications" not in statements
    assert "success_topic_arn" not in plan.outputs["ranker"]


def test_real_time_deployments_declare_no_async_resources(run_stack):
    plan = run_stack(stack_values(aws_deployment()))
    assert plan.by_type(BUCKET) == [] and plan.by_type(TOPIC) == []
    assert "asyncInferenceConfig" not in plan.one(CONFIG).inputs
    assert "output_bucket" not in plan.outputs["ranker"]


def test_protect_makes_pulumi_refuse_to_delete_the_output_bucket(run_stack):
    plan = run_stack(
        stack_values(aws_deployment(scaling={"min": 1, "max": 2, "metric": "backlog"}, **{"async": {"protect": True}}))
    )
    bucket = plan.one("aws:s3/bucket:Bucket")
    assert bucket.options.get("protect") is True and bucket.options.get("retainOnDelete") is True


def test_protect_and_force_destroy_contradict():
    from components.config import ConfigError, load_stack_config

    with pytest.raises(ConfigError, match=r"deployments\[0\]\.async\.protect: protect and force_destroy contradict"):
        load_stack_config(stack_values(aws_deployment(**{"async": {"protect": True, "force_destroy": True}})), "t")
