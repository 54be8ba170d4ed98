"""The AWS facts (components/facts/aws.py) checked against botocore's service models, where botocore knows them.

Expected values that botocore does not hold (the documented CloudWatch namespaces and dimensions) are written
here as literals a reviewer can check against the SageMaker developer guide.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import botocore.session
import pytest

from components.facts import aws as facts


@cache
def service(name: str) -> Any:
    return botocore.session.get_session().get_service_model(name)


def shape(service_name: str, name: str) -> Any:
    return service(service_name).shape_for(name)


def bounds(service_name: str, name: str) -> tuple[int, int]:
    meta = shape(service_name, name).metadata
    return meta["min"], meta["max"]


def test_instance_types_are_the_production_variant_enum():
    assert set(shape("sagemaker", "ProductionVariantInstanceType").enum) == facts.INSTANCE_TYPES


def test_local_nvme_families_are_sagemaker_families():
    families = {t.split(".")[1] for t in shape("sagemaker", "ProductionVariantInstanceType").enum}
    assert families >= facts.LOCAL_NVME_FAMILIES
    for family in ("g4dn", "g5", "g6", "g6e", "p4d", "p4de", "p5"):  # CreateEndpointConfig.KmsKeyId's examples
        assert family in facts.LOCAL_NVME_FAMILIES
    assert not {"c5", "m5", "p3", "inf2", "g7"} & facts.LOCAL_NVME_FAMILIES


def test_kms_key_doc_names_local_storage():
    """botocore's KmsKeyId note: the key does not cover local storage (the API reference adds that the call fails)."""
    doc = service("sagemaker").operation_model("CreateEndpointConfig").input_shape.members["KmsKeyId"].documentation
    assert "nitro-based instances with local storage" in doc


def test_predefined_metric_types_exist_in_application_autoscaling():
    types = set(shape("application-autoscaling", "MetricType").enum)
    predefined = {m.predefined_type for m in facts.SCALING_METRICS.values() if m.predefined_type}
    assert predefined == {
        "SageMakerVariantInvocationsPerInstance",
        "SageMakerVariantConcurrentRequestsPerModelHighResolution",
    }
    assert predefined <= types


def test_scalable_target_facts_are_the_api_enums():
    assert facts.SCALING_SERVICE_NAMESPACE in shape("application-autoscaling", "ServiceNamespace").enum
    assert facts.SCALABLE_DIMENSION in shape("application-autoscaling", "ScalableDimension").enum
    assert facts.scalable_target_resource_id("e", "v") == "endpoint/e/variant/v"


def test_statistics_and_units_are_cloudwatch_enums():
    statistics = set(shape("application-autoscaling", "MetricStatistic").enum)
    units = set(shape("cloudwatch", "StandardUnit").enum)
    for metric in facts.SCALING_METRICS.values():
        assert metric.statistic in statistics
        assert metric.unit is None or metric.unit in units
        assert metric.metric.unit in units


def test_metric_catalogue_namespaces_and_dimensions():
    """Literals from the developer guide's "Monitor SageMaker with CloudWatch" and async monitoring pages."""
    catalogue = {
        name: (m.metric.name, m.metric.namespace, m.metric.dimensions, m.realtime, m.asynchronous, m.default_target)
        for name, m in facts.SCALING_METRICS.items()
    }
    assert catalogue == {
        "invocations": (
            "InvocationsPerInstance", "AWS/SageMaker", ("EndpointName", "VariantName"), True, False, None,
        ),
        "concurrency": (
            "ConcurrentRequestsPerModel", "AWS/SageMaker", ("EndpointName", "VariantName"), True, False, None,
        ),
        "cpu": ("CPUUtilization", "/aws/sagemaker/Endpoints", ("EndpointName", "VariantName"), True, True, 70.0),
        "gpu": ("GPUUtilization", "/aws/sagemaker/Endpoints", ("EndpointName", "VariantName"), True, True, 70.0),
        "backlog": ("ApproximateBacklogSizePerInstance", "AWS/SageMaker", ("EndpointName",), False, True, 5.0),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("fact", "shape_name"),
    [
        ("WAIT_INTERVAL_RANGE", "WaitIntervalInSeconds"),
        ("TERMINATION_WAIT_RANGE", "TerminationWaitInSeconds"),
        ("EXECUTION_TIMEOUT_RANGE", "MaximumExecutionTimeoutInSeconds"),
        ("MODEL_DATA_DOWNLOAD_TIMEOUT_RANGE", "ProductionVariantModelDataDownloadTimeoutInSeconds"),
        ("STARTUP_HEALTH_CHECK_TIMEOUT_RANGE", "ProductionVariantContainerStartupHealthCheckTimeoutInSeconds"),
        ("MAX_CONCURRENT_INVOCATIONS_RANGE", "MaxConcurrentInvocationsPerInstance"),
    ],
)
def test_ranges_are_botocore_ranges(fact, shape_name):
    assert getattr(facts, fact) == bounds("sagemaker", shape_name)


@pytest.mark.parametrize(
    ("fact", "shape_name"),
    [
        ("MAX_ROLLBACK_ALARMS", "AlarmList"),
        ("MAX_CONTAINERS", "ContainerDefinitionList"),
        ("MAX_PRODUCTION_VARIANTS", "ProductionVariantList"),
        ("MAX_TAGS", "TagList"),
        ("MAX_ENVIRONMENT_ENTRIES", "EnvironmentMap"),
        ("TAG_KEY_MAX", "TagKey"),
        ("TAG_VALUE_MAX", "TagValue"),
        ("ENVIRONMENT_KEY_MAX", "EnvironmentKey"),
        ("ENVIRONMENT_VALUE_MAX", "EnvironmentValue"),
        ("SAGEMAKER_NAME_MAX", "EndpointName"),
        ("SAGEMAKER_NAME_MAX", "EndpointConfigName"),
        ("SAGEMAKER_NAME_MAX", "ModelName"),
        ("SAGEMAKER_NAME_MAX", "VariantName"),
    ],
)
def test_limits_are_botocore_maxima(fact, shape_name):
    assert getattr(facts, fact) == shape("sagemaker", shape_name).metadata["max"]


def test_name_and_environment_patterns_are_botocore_patterns():
    for name in ("EndpointName", "EndpointConfigName", "VariantName", "ContainerHostname"):
        assert facts.SAGEMAKER_NAME.pattern == "^" + shape("sagemaker", name).metadata["pattern"] + "$"
    assert facts.ENVIRONMENT_KEY.pattern == "^" + shape("sagemaker", "EnvironmentKey").metadata["pattern"] + "$"


def test_alarm_and_dashboard_name_limits():
    assert shape("cloudwatch", "AlarmName").metadata["max"] == facts.ALARM_NAME_MAX
    assert facts.DASHBOARD_NAME_MAX <= 255


def test_traffic_routing_types_are_the_api_enum():
    assert set(facts.TRAFFIC_ROUTING_TYPES.values()) == set(shape("sagemaker", "TrafficRoutingConfigType").enum)


def test_tag_characters_follow_the_botocore_pattern():
    assert shape("sagemaker", "TagKey").metadata["pattern"] == "([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"
    assert facts.TAG_CHARACTERS.match("team/ml-platform:A=1+b@x y_é")
    assert not facts.TAG_CHARACTERS.match("cost,center")
    assert not facts.TAG_CHARACTERS.match("a#b")


def test_vcpus_of_documented_sizes():
    assert [facts.vcpus_of(t) for t in ("ml.m5.large", "ml.g5.xlarge", "ml.g5.2xlarge", "ml.c5.18xlarge")] == [
        2, 4, 8, 72,
    ]  # fmt: skip


def test_cron_fields_are_six():
    assert len(facts.CRON_FIELDS) == 6 and set(facts.CRON_EITHER_OR) <= set(facts.CRON_FIELDS)
    assert re.fullmatch(r"[a-z-]+", facts.CRON_FIELDS[2])
