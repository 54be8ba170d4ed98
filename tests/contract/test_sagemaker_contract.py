"""Contract tests: what the SageMaker components declare, checked against botocore's service models.

The pure functions of ``components/aws`` return requests with the APIs' own field names; each one is validated
recursively against its botocore shape (``sagemaker``, ``application-autoscaling``, ``cloudwatch``, ``s3``): unknown
fields, missing required ones, types, enums, string lengths and patterns, numeric ranges and list sizes. This
catches what the mock runtime accepts silently (a misspelt enum, a wait of 4000 s, a dimension in the wrong place).

A second group checks that the limits written into the config models are the APIs' limits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import botocore.session
import pytest
from botocore.model import Shape
from builders import aws_deployment

from components.aws import alarms, async_output, dashboard, models, rollout, scale_to_zero, variants
from components.aws.autoscaling import PREDEFINED_METRICS, target_tracking_configuration
from components.config import AsyncOptions, DeploymentConfig, SageMakerOptions, sagemaker_serving
from components.config import rollout as rollout_rules
from components.facts.aws import SAGEMAKER_NAME, TRAFFIC_ROUTING_TYPES
from components.resolve.aws import resolve_scaling, resolve_variants
from components.resolve.aws import rollback_alarms as resolved_rollback_alarms

ACCOUNT, REGION = "123456789012", "eu-west-1"
ENDPOINT = "ranker-endpoint-b0ffe71"
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:ranker-async-success-59a7f64"
ERROR_TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:ranker-async-error-7a2d9f2"
POLICY_ARN = (
    f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:scalingPolicy:5c02fbe5-03cb-2c3f-bf3e-82aa7ca76e76:"
    f"resource/sagemaker/endpoint/{ENDPOINT}/variant/primary:policyName/ranker-from-zero-5c02fbe"
)
KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TRITON = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-tritonserver:24.09-py3"


@cache
def service(name: str) -> Any:
    return botocore.session.get_session().get_service_model(name)


def input_shape(service_name: str, operation: str) -> Shape:
    return service(service_name).operation_model(operation).input_shape


def violations(value: Any, shape: Shape, path: str = "") -> list[str]:
    """Everything in ``value`` that the botocore ``shape`` refuses (empty when it conforms)."""
    kind, meta = shape.type_name, shape.metadata
    where = path or shape.name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{where}: expected a structure, got {value!r}"]
        found = [f"{where}: unknown field {key}" for key in value if key not in shape.members]
        found += [f"{where}: missing required {key}" for key in shape.required_members if key not in value]
        for key, item in value.items():
            if key in shape.members:
                found += violations(item, shape.members[key], f"{where}.{key}")
        return found
    if kind == "list":
        if not isinstance(value, list):
            return [f"{where}: expected a list, got {value!r}"]
        found = _bounds(where, len(value), meta, "items")
        for index, item in enumerate(value):
            found += violations(item, shape.member, f"{where}[{index}]")
        return found
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{where}: expected a map"]
        found = _bounds(where, len(value), meta, "entries")
        for key, item in value.items():
            found += violations(key, shape.key, f"{where}<key>") + violations(item, shape.value, f"{where}.{key}")
        return found
    if kind == "string":
        if not isinstance(value, str):
            return [f"{where}: expected a string, got {value!r}"]
        found = _bounds(where, len(value), meta, "characters")
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            found.append(f"{where}: {value!r} is not one of {enum}")
        pattern = meta.get("pattern")
        if pattern and _python_pattern(pattern) and not re.fullmatch(pattern, value):
            found.append(f"{where}: {value!r} does not match {pattern}")
        return found
    if kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{where}: expected an integer, got {value!r}"]
        return _bounds(where, value, meta, "")
    if kind in ("double", "float"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return [f"{where}: expected a number, got {value!r}"]
        return _bounds(where, value, meta, "")
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{where}: expected a boolean, got {value!r}"]
    return [f"{where}: unchecked shape type {kind}"]


def _bounds(where: str, size: float, meta: dict[str, Any], unit: str) -> list[str]:
    found = []
    amount = f"{size} {unit}".strip()
    if "min" in meta and size < meta["min"]:
        found.append(f"{where}: {amount} is below the minimum {meta['min']}")
    if "max" in meta and size > meta["max"]:
        found.append(f"{where}: {amount} is above the maximum {meta['max']}")
    return found


@cache
def _python_pattern(pattern: str) -> bool:
    """Some botocore patterns use Java classes (``\\p{Print}``) Python cannot compile; those are skipped."""
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def conforms(value: Any, service_name: str, operation: str) -> None:
    problems = violations(value, input_shape(service_name, operation))
    assert problems == [], "\n".join(problems)


def deployment(**overrides: Any) -> DeploymentConfig:
    return DeploymentConfig.model_validate(aws_deployment(**overrides))


def test_the_validator_catches_what_it_should():
    shape = input_shape("sagemaker", "CreateEndpoint")
    bad = {
        "EndpointName": "x",
        "EndpointConfigName": "y",
        "DeploymentConfig": {
            "BlueGreenUpdatePolicy": {
                "TrafficRoutingConfiguration": {"Type": "CANARIE", "WaitIntervalInSeconds": 4000, "Canary": {}}
            }
        },
    }
    found = "\n".join(violations(bad, shape))
    assert "'CANARIE' is not one of" in found
    assert "WaitIntervalInSeconds: 4000 is above the maximum 3600" in found
    assert "unknown field Canary" in found


# ---------------------------------------------------------------------------------------------- models

MODEL_CONFIGS: dict[str, dict[str, Any]] = {
    "single": {"environment": {"LOG_LEVEL": "info"}},
    "multi-model": {"image": TRITON, "artifacts": "s3://acme-models/tenants/", "sagemaker": {"multi_model": True}},
    "direct": {
        "sagemaker": {
            "containers": [
                {"hostname": "tokenizer", "image": TRITON, "artifacts": "s3://acme-models/tok/model.tar.gz"},
                {"hostname": "explainer", "image": TRITON, "environment": {"K": "v"}},
            ],
            "container_mode": "direct",
        }
    },
    "serial": {"sagemaker": {"containers": [{"hostname": "post", "image": TRITON}]}},
}


@pytest.mark.parametrize("name", sorted(MODEL_CONFIGS))
def test_models_are_create_model_requests(name):
    config = deployment(**MODEL_CONFIGS[name])
    request = {
        "ModelName": "ranker-model-1396967",
        "ExecutionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/ranker-execution-role-510987d",
        **models.deployment_model(config),
    }
    conforms(request, "sagemaker", "CreateModel")


def test_variant_model_is_a_create_model_request():
    config = deployment(sagemaker={"variants": [{"name": "v2", "image": TRITON}]})
    request = {"ModelName": "ranker-v2-model-1", **models.variant_model(config, config.sagemaker.variants[0])}
    conforms(request, "sagemaker", "CreateModel")


# ------------------------------------------------------------------------------------ endpoint configs

ASYNC_OPTIONS = [
    {},
    {"notifications": False},
    {
        "kms_key": KEY,
        "max_concurrent_invocations_per_instance": 1000,
        "include_inference_response_in": ["success", "error"],
    },
]


@pytest.mark.parametrize("options", ASYNC_OPTIONS)
def test_async_endpoint_config_is_a_create_endpoint_config_request(options):
    config = deployment(**{"async": options}, scaling={"min": 0, "max": 2, "metric": "backlog"})
    assert config.async_inference is not None
    (plan,) = resolve_variants(config)
    request = {
        "EndpointConfigName": "ranker-eb129f77f3497ce0f6b1443561",
        "ProductionVariants": [variants.production_variant(plan, "ranker-model-1396967")],
        "AsyncInferenceConfig": async_output.async_inference_config(
            config.async_inference, "ranker-async-bucket-3768d5f", TOPIC, ERROR_TOPIC
        ),
    }
    conforms(request, "sagemaker", "CreateEndpointConfig")


def test_variants_and_shadow_are_production_variants():
    sagemaker = {
        "model_data_download_timeout": 600,
        "startup_health_check_timeout": 900,
        "variant_weight": 0.9,
        "variants": [{"name": "v2", "weight": 0.1, "instance_type": "ml.g6.xlarge", "image": TRITON}],
    }
    config = deployment(sagemaker=sagemaker)
    plans = resolve_variants(config)
    request = {
        "EndpointConfigName": "ranker-f67fa533352679709a31e4929f",
        "ProductionVariants": [variants.production_variant(p, f"ranker-{p.name}-model-1") for p in plans],
    }
    conforms(request, "sagemaker", "CreateEndpointConfig")
    shadowed = deployment(sagemaker={"shadow": {"name": "shadow", "weight": 0.5, "instance_type": "ml.g6.xlarge"}})
    primary, shadow = resolve_variants(shadowed)
    request = {
        "EndpointConfigName": "ranker-f67fa533352679709a31e4929f",
        "ProductionVariants": [variants.production_variant(primary, "ranker-model-1")],
        "ShadowProductionVariants": [variants.production_variant(shadow, "ranker-model-1")],
    }
    conforms(request, "sagemaker", "CreateEndpointConfig")


# --------------------------------------------------------------------------------------------- rollout

ROLLOUTS = [
    {},
    {"strategy": "canary", "canary_percent": 50, "wait_seconds": 3600, "termination_wait_seconds": 3600},
    {"strategy": "linear", "linear_step_percent": 10, "wait_seconds": 0, "max_duration_seconds": 28800},
    {"strategy": "canary", "rollback": False, "wait_seconds": 60, "max_duration_seconds": 600},
]


@pytest.mark.parametrize("spec", ROLLOUTS)
def test_deployment_config_is_a_create_endpoint_request(spec):
    config = deployment(rollout=spec, sagemaker={"variants": [{"name": "v2"}]})
    assert config.rollout is not None
    names = [
        alarm.name
        for alarm in resolved_rollback_alarms(config.rollout, "ml-serving", "prod", "ranker", ["primary", "v2"])
    ]
    request = {
        "EndpointName": ENDPOINT,
        "EndpointConfigName": "ranker-f67fa533352679709a31e4929f",
        "DeploymentConfig": rollout.rollout_policy(config.rollout, names),
    }
    conforms(request, "sagemaker", "CreateEndpoint")


def test_strategies_map_to_the_traffic_routing_types():
    routing = service("sagemaker").shape_for("TrafficRoutingConfigType").enum
    assert set(TRAFFIC_ROUTING_TYPES.values()) == set(routing)
    assert service("sagemaker").shape_for("CapacitySizeType").enum == ["INSTANCE_COUNT", "CAPACITY_PERCENT"]


# --------------------------------------------------------------------------------------------- scaling


def test_backlog_and_step_policies_are_put_scaling_policy_requests():
    scaling = resolve_scaling(
        deployment(**{"async": True}, scaling={"min": 0, "max": 4, "metric": "backlog"}).scaling, gpus=1, vcpus=4
    )
    common = {
        "ServiceNamespace": "sagemaker",
        "ResourceId": f"endpoint/{ENDPOINT}/variant/primary",
        "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
    }
    conforms(
        {
            "PolicyName": "ranker-backlog",
            "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": scale_to_zero.backlog_target_tracking_configuration(
                scaling, ENDPOINT
            ),
            **common,
        },
        "application-autoscaling",
        "PutScalingPolicy",
    )
    conforms(
        {
            "PolicyName": "ranker-from-zero",
            "PolicyType": "StepScaling",
            "StepScalingPolicyConfiguration": scale_to_zero.scale_out_from_zero_configuration(scaling),
            **common,
        },
        "application-autoscaling",
        "PutScalingPolicy",
    )
    conforms({**common, "MinCapacity": 0, "MaxCapacity": 4}, "application-autoscaling", "RegisterScalableTarget")


@pytest.mark.parametrize(
    "scaling",
    [
        {"metric": "invocations", "target": 100},
        {"metric": "concurrency", "target": 3},
        {"metric": "cpu", "target": 60},
        {"metric": "gpu", "target": 60},
    ],
)
def test_variant_target_tracking_is_a_put_scaling_policy_request(scaling):
    config = deployment(scaling={"min": 1, "max": 3, **scaling})
    configuration = target_tracking_configuration(resolve_scaling(config.scaling, gpus=1, vcpus=4), ENDPOINT, "v2")
    conforms(
        {
            "PolicyName": "ranker-v2-scaling",
            "ServiceNamespace": "sagemaker",
            "ResourceId": f"endpoint/{ENDPOINT}/variant/v2",
            "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
            "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": configuration,
        },
        "application-autoscaling",
        "PutScalingPolicy",
    )


def test_predefined_metric_types_exist():
    known = service("application-autoscaling").shape_for("MetricType").enum
    assert set(PREDEFINED_METRICS.values()) <= set(known)


# ---------------------------------------------------------------------------------------------- alarms

ALARMS: dict[str, Callable[[], dict[str, Any]]] = {
    "5xx": lambda: alarms.invocation_5xx_alarm(
        "ml-serving-prod-ranker-primary-invocation-5xx", ENDPOINT, "primary", 5, 2
    ),
    "latency": lambda: alarms.model_latency_alarm(
        "ml-serving-prod-ranker-primary-model-latency-p99", ENDPOINT, "primary", 250.0, 1
    ),
    "backlog": lambda: alarms.has_backlog_without_capacity_alarm(
        ENDPOINT, POLICY_ARN, 2, alarm_name="ranker-has-backlog"
    ),
}


@pytest.mark.parametrize("name", sorted(ALARMS))
def test_alarms_are_put_metric_alarm_requests(name):
    alarm = ALARMS[name]()
    conforms(alarm, "cloudwatch", "PutMetricAlarm")
    assert ("Statistic" in alarm) != ("ExtendedStatistic" in alarm)  # exactly one of them, as the API requires
    if "ExtendedStatistic" in alarm:
        assert re.fullmatch(r"p\d{1,2}(\.\d+)?", alarm["ExtendedStatistic"])
    assert alarm["TreatMissingData"] in ("breaching", "notBreaching", "ignore", "missing")
    dimension_names = [d["Name"] for d in alarm["Dimensions"]]
    assert dimension_names == (["EndpointName"] if name == "backlog" else ["EndpointName", "VariantName"])


# -------------------------------------------------------------------------------------- bucket settings


@pytest.mark.parametrize("key", [None, KEY])
def test_bucket_encryption_is_a_put_bucket_encryption_request(key):
    conforms(
        {
            "Bucket": "ranker-async-bucket-3768d5f",
            "ServerSideEncryptionConfiguration": async_output.encryption_configuration(key),
        },
        "s3",
        "PutBucketEncryption",
    )


def test_lifecycle_is_a_put_bucket_lifecycle_configuration_request():
    conforms(
        {"Bucket": "ranker-async-bucket-3768d5f", "LifecycleConfiguration": async_output.lifecycle_configuration(30)},
        "s3",
        "PutBucketLifecycleConfiguration",
    )


def test_bucket_owner_enforced_is_an_object_ownership():
    ownership = input_shape("s3", "PutBucketOwnershipControls").members["OwnershipControls"]
    assert "BucketOwnerEnforced" in ownership.members["Rules"].member.members["ObjectOwnership"].enum


# ------------------------------------------------------------------------------------------- dashboard


def test_dashboard_name_and_metric_statistics_fit_cloudwatch():
    name = dashboard.dashboard_name("ml-serving", "prod", "ranker")
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,255}", name)  # PutDashboard: A-Z, a-z, 0-9, '-', '_', 255 at most
    statistics = service("cloudwatch").shape_for("Statistic").enum
    body = dashboard.dashboard_body(
        REGION,
        ENDPOINT,
        [dashboard.DashboardVariant("primary", 1), dashboard.DashboardVariant("v2", 0)],
        is_async=False,
    )
    body_async = dashboard.dashboard_body(REGION, ENDPOINT, [dashboard.DashboardVariant("primary", 1)], True)
    dimensions_max = input_shape("cloudwatch", "PutMetricAlarm").members["Dimensions"].metadata["max"]
    for widget in body["widgets"] + body_async["widgets"]:
        for row in widget["properties"]["metrics"]:
            stat = row[-1]["stat"]
            assert stat in statistics or re.fullmatch(r"p\d{1,2}(\.\d+)?", stat), stat
            assert (len(row) - 3) // 2 <= dimensions_max


# ------------------------------------------------------------------------- config limits are the API's


def _limits(service_name: str, shape_name: str) -> tuple[int | None, int | None]:
    meta = service(service_name).shape_for(shape_name).metadata
    return meta.get("min"), meta.get("max")


def _field_limits(model: Any, field: str) -> tuple[int | None, int | None]:
    low = high = None
    for rule in model.model_fields[field].metadata:
        low = getattr(rule, "ge", low)
        high = getattr(rule, "le", high)
    return low, high


def test_config_ranges_match_botocore():
    assert _field_limits(AsyncOptions, "max_concurrent_invocations_per_instance") == _limits(
        "sagemaker", "MaxConcurrentInvocationsPerInstance"
    )
    assert _limits("sagemaker", "WaitIntervalInSeconds") == rollout_rules.WAIT_RANGE
    assert _limits("sagemaker", "TerminationWaitInSeconds") == rollout_rules.TERMINATION_WAIT_RANGE
    assert _limits("sagemaker", "MaximumExecutionTimeoutInSeconds") == rollout_rules.EXECUTION_TIMEOUT_RANGE
    capacity_min = _limits("sagemaker", "CapacitySizeValue")[0] or 0
    assert rollout_rules.CANARY_RANGE[0] >= capacity_min and rollout_rules.LINEAR_STEP_RANGE[0] >= capacity_min
    rollback = service("sagemaker").shape_for("AutoRollbackConfig").members["Alarms"].metadata
    assert rollback["max"] == rollout_rules.MAX_ROLLBACK_ALARMS
    assert _field_limits(SageMakerOptions, "model_data_download_timeout") == _limits(
        "sagemaker", "ProductionVariantModelDataDownloadTimeoutInSeconds"
    )
    assert _field_limits(SageMakerOptions, "startup_health_check_timeout") == _limits(
        "sagemaker", "ProductionVariantContainerStartupHealthCheckTimeoutInSeconds"
    )


def test_list_limits_and_name_patterns_match_botocore():
    create_model = input_shape("sagemaker", "CreateModel")
    assert create_model.members["Containers"].metadata["max"] == sagemaker_serving.MAX_CONTAINERS
    create_config = input_shape("sagemaker", "CreateEndpointConfig")
    assert create_config.members["ProductionVariants"].metadata["max"] == sagemaker_serving.MAX_PRODUCTION_VARIANTS
    for shape in ("VariantName", "ContainerHostname"):
        assert SAGEMAKER_NAME.pattern == "^" + service("sagemaker").shape_for(shape).metadata["pattern"] + "$"


def test_include_response_topics_are_the_api_enum():
    enum = service("sagemaker").shape_for("AsyncNotificationTopicTypes").enum
    assert sorted(async_output.INCLUDE_RESPONSE_TOPICS.values()) == sorted(enum)


def test_invoke_endpoint_async_carries_the_request_timeouts():
    """The async options refuse a request timeout because it is a per-request parameter: prove it still is."""
    members = service("sagemaker-runtime").operation_model("InvokeEndpointAsync").input_shape.members
    assert (
        members["InvocationTimeoutSeconds"].metadata["min"],
        members["InvocationTimeoutSeconds"].metadata["max"],
    ) == (1, 3600)
    assert (members["RequestTTLSeconds"].metadata["min"], members["RequestTTLSeconds"].metadata["max"]) == (60, 21600)
    async_config = service("sagemaker").shape_for("AsyncInferenceConfig")
    settings = {name for name in async_config.members} | set(async_config.members["ClientConfig"].members)
    assert not any("Timeout" in name for name in settings)
