"""Where an async SageMaker endpoint reads requests and writes results: one S3 bucket and two SNS topics.

One bucket per deployment, not one per stack:

* the execution role of a deployment can then be granted exactly its own prefixes, and a client of one model
  cannot read another model's outputs through a shared bucket policy by mistake;
* retention, encryption key and ``force_destroy`` are per deployment settings, and removing a deployment from the
  stack leaves its outputs (retained) without touching other deployments' data;
* buckets cost nothing by themselves.

Layout of the bucket (prefixes are fixed, so nothing in the bucket's inputs changes when a model is rolled out):

* ``inputs/``: clients stage request payloads here and pass the object's URI as ``InputLocation`` to
  ``InvokeEndpointAsync``; the endpoint may read them, and incomplete uploads are cleaned up after 7 days;
* ``outputs/`` and ``failures/``: SageMaker writes responses and errors here; both expire after
  ``async.output_retention_days``.

The bucket is encrypted (SSE-KMS with ``async.kms_key``, else SSE-S3), blocks every form of public access,
enforces bucket-owner object ownership (no ACLs), and denies any request not made over TLS. Outputs are user data:
the bucket and its settings are declared with ``retain_on_delete`` (a ``pulumi destroy`` or removing the deployment
leaves the bucket in the account) unless ``async.force_destroy: true``, which instead lets the destroy empty and
delete it. The bucket is auto-named (``{name}-bucket-<suffix>``) and created once: updates never replace it.

Success and error notifications go to two SNS topics encrypted with ``async.kms_key`` or the AWS managed key
``alias/aws/sns``; subscribe your queues or functions to them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from ..config import AsyncOptions
from .provider_inputs import provider_inputs

INPUT_PREFIX = "inputs/"
OUTPUT_PREFIX = "outputs/"
FAILURE_PREFIX = "failures/"
SNS_MANAGED_KEY = "alias/aws/sns"
INCOMPLETE_UPLOAD_DAYS = 7
INCLUDE_RESPONSE_TOPICS = {"success": "SUCCESS_NOTIFICATION_TOPIC", "error": "ERROR_NOTIFICATION_TOPIC"}


def s3_location(bucket: str, prefix: str) -> str:
    """``s3://bucket/prefix``."""
    return f"s3://{bucket}/{prefix}"


def encryption_configuration(kms_key: str | None) -> dict[str, Any]:
    """``ServerSideEncryptionConfiguration`` (S3 API names): SSE-KMS with the key and an S3 bucket key, else SSE-S3."""
    if kms_key:
        default = {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key}
        return {"Rules": [{"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": True}]}
    return {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}


def lifecycle_configuration(retention_days: int) -> dict[str, Any]:
    """``BucketLifecycleConfiguration`` (S3 API names): outputs and failures expire, staged inputs are kept."""
    rules: list[dict[str, Any]] = [
        {
            "ID": f"expire-{prefix.rstrip('/')}",
            "Status": "Enabled",
            "Filter": {"Prefix": prefix},
            "Expiration": {"Days": retention_days},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        }
        for prefix in (OUTPUT_PREFIX, FAILURE_PREFIX)
    ]
    rules.append(
        {
            "ID": "abort-incomplete-input-uploads",
            "Status": "Enabled",
            "Filter": {"Prefix": INPUT_PREFIX},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": INCOMPLETE_UPLOAD_DAYS},
        }
    )
    return {"Rules": rules}


def tls_only_policy(bucket_arn: str) -> str:
    """Bucket policy denying every request made without TLS (``aws:SecureTransport`` false).

    The statement is a Deny, so its ``s3:*`` and ``*`` principal only take rights away.
    """
    statement = {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, sort_keys=True)


def async_inference_config(
    options: AsyncOptions, bucket: str, success_topic_arn: str | None, error_topic_arn: str | None
) -> dict[str, Any]:
    """``AsyncInferenceConfig`` of the endpoint configuration (SageMaker API names)."""
    output: dict[str, Any] = {
        "S3OutputPath": s3_location(bucket, OUTPUT_PREFIX),
        "S3FailurePath": s3_location(bucket, FAILURE_PREFIX),
    }
    if options.kms_key:
        output["KmsKeyId"] = options.kms_key
    if options.notifications and success_topic_arn and error_topic_arn:
        notification: dict[str, Any] = {"SuccessTopic": success_topic_arn, "ErrorTopic": error_topic_arn}
        if options.include_inference_response_in:
            notification["IncludeInferenceResponseIn"] = [
                INCLUDE_RESPONSE_TOPICS[topic] for topic in options.include_inference_response_in
            ]
        output["NotificationConfig"] = notification
    config: dict[str, Any] = {"OutputConfig": output}
    if options.max_concurrent_invocations_per_instance is not None:
        config["ClientConfig"] = {
            "MaxConcurrentInvocationsPerInstance": options.max_concurrent_invocations_per_instance
        }
    return config


def async_inference_inputs(config: Mapping[str, Any]) -> Any:
    """The provider's ``async_inference_config`` input of an ``AsyncInferenceConfig`` (SageMaker API names)."""
    return provider_inputs(config)


def execution_statements(partition: str, bucket: str, topic_arns: Sequence[str]) -> list[dict[str, Any]]:
    """What the execution role needs for async inference, and nothing more.

    Read staged requests under ``inputs/``; write (and abort multipart uploads) only under ``outputs/`` and
    ``failures/``; publish only to the deployment's own topics.
    """
    objects = f"arn:{partition}:s3:::{bucket}"
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadAsyncInputs",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": [f"{objects}/{INPUT_PREFIX}*"],
        },
        {
            "Sid": "WriteAsyncResults",
            "Effect": "Allow",
            "Action": ["s3:AbortMultipartUpload", "s3:PutObject"],
            "Resource": [f"{objects}/{OUTPUT_PREFIX}*", f"{objects}/{FAILURE_PREFIX}*"],
        },
    ]
    if topic_arns:
        statements.append(
            {
                "Sid": "PublishAsyncNotifications",
                "Effect": "Allow",
                "Action": ["sns:Publish"],
                "Resource": sorted(topic_arns),
            }
        )
    return statements


class AsyncOutput(pulumi.ComponentResource):
    """The output bucket and notification topics of one async deployment (see the module docstring).

    Args:
        name: component name; children ``{name}-bucket``, ``{name}-encryption``, ``{name}-public-access``,
            ``{name}-ownership``, ``{name}-tls-only``, ``{name}-lifecycle``, ``{name}-success``, ``{name}-error``.
        options: the deployment's async options.
        tags: tags of the bucket and topics.

    Outputs: ``bucket_name``, ``bucket_arn``, ``input_location``, ``output_location``, ``failure_location``,
    ``success_topic_arn`` and ``error_topic_arn`` (None without notifications).
    """

    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    input_location: pulumi.Output[str]
    output_location: pulumi.Output[str]
    failure_location: pulumi.Output[str]
    success_topic_arn: pulumi.Output[str] | None
    error_topic_arn: pulumi.Output[str] | None

    def __init__(
        self,
        name: str,
        options: AsyncOptions,
        tags: Mapping[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("ml-serving:aws:AsyncOutput", name, None, opts)
        keep = not options.force_destroy
        data = pulumi.ResourceOptions(parent=self, retain_on_delete=keep)
        bucket = aws.s3.Bucket(
            f"{name}-bucket",
            force_destroy=options.force_destroy,
            tags=dict(tags),
            opts=pulumi.ResourceOptions.merge(data, pulumi.ResourceOptions(protect=options.protect)),
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket.id,
            **provider_inputs(encryption_configuration(options.kms_key)),
            opts=data,
        )
        public_access = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access",
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=data,
        )
        aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=data,
        )
        aws.s3.BucketPolicy(
            f"{name}-tls-only",
            bucket=bucket.id,
            policy=bucket.arn.apply(tls_only_policy),
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=keep, depends_on=[public_access]),
        )
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket.id,
            **provider_inputs(lifecycle_configuration(options.output_retention_days)),
            opts=data,
        )
        self.success_topic_arn = None
        self.error_topic_arn = None
        if options.notifications:
            topic_opts = pulumi.ResourceOptions(parent=self)
            key = options.kms_key or SNS_MANAGED_KEY
            self.success_topic_arn = aws.sns.Topic(
                f"{name}-success", kms_master_key_id=key, tags=dict(tags), opts=topic_opts
            ).arn
            self.error_topic_arn = aws.sns.Topic(
                f"{name}-error", kms_master_key_id=key, tags=dict(tags), opts=topic_opts
            ).arn
        self.bucket_name = bucket.bucket
        self.bucket_arn = bucket.arn
        self.input_location = bucket.bucket.apply(lambda b: s3_location(b, INPUT_PREFIX))
        self.output_location = bucket.bucket.apply(lambda b: s3_location(b, OUTPUT_PREFIX))
        self.failure_location = bucket.bucket.apply(lambda b: s3_location(b, FAILURE_PREFIX))
        self.register_outputs(
            {
                "bucket_name": self.bucket_name,
                "bucket_arn": self.bucket_arn,
                "input_location": self.input_location,
                "output_location": self.output_location,
                "failure_location": self.failure_location,
                "success_topic_arn": self.success_topic_arn,
                "error_topic_arn": self.error_topic_arn,
            }
        )
