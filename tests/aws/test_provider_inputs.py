"""The one converter from API-shaped requests to pulumi-aws inputs, checked against what the engine records.

Each builder's request goes through :func:`provider_inputs` into a real pulumi-aws resource under the mock runtime;
what the engine receives must be the converter's output with Pulumi's camelCase property names, and a few fields
are checked as literals against the provider's schema names.
"""

from __future__ import annotations

import re
from typing import Any

import pulumi_aws as aws
from builders import aws_deployment

from components.aws import alarms, async_output, models, scale_to_zero, variants
from components.aws.autoscaling import target_tracking_configuration
from components.aws.provider_inputs import metric_alarm_inputs, provider_inputs, snake_case
from components.config import AsyncOptions, DeploymentConfig, ScalingConfig
from components.mock_runtime import run_program
from components.resolve.aws import resolve_scaling, resolve_variants

TOPIC = "arn:aws:sns:eu-west-1:123456789012:ranker-async-success-59a7f64"


def camel(value: Any) -> Any:
    """snake_case keys -> the engine's camelCase, except inside user maps (environment, dimensions)."""
    if isinstance(value, dict):
        return {
            re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), key): (
                item if key in ("environment", "dimensions") else camel(item)
            )
            for key, item in value.items()
            if item is not None
        }
    if isinstance(value, list):
        return [camel(item) for item in value]
    return value


def recorded(declare) -> dict[str, Any]:
    plan = run_program(declare, stack="dev", config={"aws:region": "eu-west-1"})
    (resource,) = [r for r in plan.resources if r.custom and not r.type.startswith("pulumi:")]
    return resource.inputs


def test_snake_case_handles_acronyms_and_digits():
    assert [snake_case(k) for k in ("KMSMasterKeyID", "S3OutputPath", "SSEAlgorithm", "ID", "ModelDataUrl")] == [
        "kms_master_key_id",
        "s3_output_path",
        "sse_algorithm",
        "id",
        "model_data_url",
    ]
    assert snake_case("IncludeInferenceResponseIn") == "include_inference_response_ins"


def test_endpoint_configuration_inputs_are_what_the_engine_records():
    config = DeploymentConfig.model_validate(
        aws_deployment(sagemaker={"model_data_download_timeout": 600, "startup_health_check_timeout": 900})
    )
    (variant,) = resolve_variants(config)
    production = provider_inputs(variants.production_variant(variant, "ranker-model-1"))
    options = AsyncOptions(include_inference_response_in=("error",), max_concurrent_invocations_per_instance=4)
    asynchronous = provider_inputs(async_output.async_inference_config(options, "bucket-1", TOPIC, TOPIC))
    inputs = recorded(
        lambda: aws.sagemaker.EndpointConfiguration(
            "c", production_variants=[production], async_inference_config=asynchronous
        )
    )
    assert inputs == camel({"production_variants": [production], "async_inference_config": asynchronous})
    assert inputs["productionVariants"][0] == {
        "containerStartupHealthCheckTimeoutInSeconds": 900,
        "initialInstanceCount": 2,
        "initialVariantWeight": 1.0,
        "instanceType": "ml.g5.xlarge",
        "modelDataDownloadTimeoutInSeconds": 600,
        "modelName": "ranker-model-1",
        "variantName": "primary",
    }
    assert inputs["asyncInferenceConfig"]["outputConfig"]["notificationConfig"]["includeInferenceResponseIns"] == [
        "ERROR_NOTIFICATION_TOPIC"
    ]
    assert inputs["asyncInferenceConfig"]["clientConfig"] == {"maxConcurrentInvocationsPerInstance": 4}


def test_model_inputs_keep_environment_names():
    config = DeploymentConfig.model_validate(aws_deployment(environment={"LOG_LEVEL": "info", "hf_TASK": "x"}))
    args = models.model_args(models.deployment_model(config))
    inputs = recorded(lambda: aws.sagemaker.Model("m", execution_role_arn="arn:aws:iam::1:role/r", **args))
    assert inputs["primaryContainer"] == {
        "environment": {"LOG_LEVEL": "info", "hf_TASK": "x"},
        "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1",
        "modelDataUrl": "s3://acme-models/ranker/v7/model.tar.gz",
    }


def test_scaling_policy_inputs_are_what_the_engine_records():
    scaling = resolve_scaling(ScalingConfig(min=1, max=3, metric="cpu", target=60), gpus=1, vcpus=4)
    tracking = provider_inputs(target_tracking_configuration(scaling, "ranker-endpoint-1", "primary"))
    inputs = recorded(
        lambda: aws.appautoscaling.Policy(
            "p", resource_id="r", scalable_dimension="d", service_namespace="s",
            target_tracking_scaling_policy_configuration=tracking,
        )
    )  # fmt: skip
    spec = inputs["targetTrackingScalingPolicyConfiguration"]
    assert spec["targetValue"] == 240.0  # 60 % per vCPU x 4 vCPUs
    assert spec["customizedMetricSpecification"] == {
        "dimensions": [
            {"name": "EndpointName", "value": "ranker-endpoint-1"},
            {"name": "VariantName", "value": "primary"},
        ],
        "metricName": "CPUUtilization",
        "namespace": "/aws/sagemaker/Endpoints",
        "statistic": "Average",
        "unit": "Percent",
    }
    step = provider_inputs(scale_to_zero.scale_out_from_zero_configuration(scaling))
    inputs = recorded(
        lambda: aws.appautoscaling.Policy(
            "p", resource_id="r", scalable_dimension="d", service_namespace="s", step_scaling_policy_configuration=step
        )
    )
    assert inputs["stepScalingPolicyConfiguration"]["stepAdjustments"] == [
        {"metricIntervalLowerBound": "0", "scalingAdjustment": 1}
    ]


def test_alarm_inputs_are_what_the_engine_records():
    alarm = metric_alarm_inputs(alarms.invocation_5xx_alarm("a-5xx", "ranker-endpoint-1", "primary", 5, 2))
    inputs = recorded(lambda: aws.cloudwatch.MetricAlarm("a", **alarm))
    assert inputs == camel(alarm)
    assert inputs["name"] == "a-5xx"
    assert inputs["dimensions"] == {"EndpointName": "ranker-endpoint-1", "VariantName": "primary"}


def test_bucket_settings_inputs_are_what_the_engine_records():
    key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    encryption = provider_inputs(async_output.encryption_configuration(key))
    inputs = recorded(lambda: aws.s3.BucketServerSideEncryptionConfiguration("e", bucket="b", **encryption))
    assert inputs["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {"kmsMasterKeyId": key, "sseAlgorithm": "aws:kms"},
            "bucketKeyEnabled": True,
        }
    ]
    lifecycle = provider_inputs(async_output.lifecycle_configuration(30))
    inputs = recorded(lambda: aws.s3.BucketLifecycleConfiguration("l", bucket="b", **lifecycle))
    assert inputs["rules"][0] == {
        "abortIncompleteMultipartUpload": {"daysAfterInitiation": 1},
        "expiration": {"days": 30},
        "filter": {"prefix": "outputs/"},
        "id": "expire-outputs",
        "status": "Enabled",
    }
