"""The resource-type facts: an entry for every declared type, literal values checked against the providers' docs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from builders import REPO

from components.facts.resource_types import RESOURCE_TYPES, replacing_properties

SNAPSHOTS = sorted((REPO / "tests" / "snapshots").glob("*.json"))


def declared_custom_types() -> set[str]:
    types = set()
    for path in SNAPSHOTS:
        for resource in json.loads(path.read_text(encoding="utf-8"))["resources"]:
            if not resource["type"].startswith(("ml-serving:", "pulumi:pulumi:")):
                types.add(resource["type"])
    return types


def test_every_declared_resource_type_has_an_entry():
    missing = sorted(declared_custom_types() - set(RESOURCE_TYPES))
    assert missing == [], f"add an entry to components/facts/resource_types.py for {missing}"
    assert len(declared_custom_types()) >= 22


def test_every_entry_names_its_source():
    assert [token for token, entry in RESOURCE_TYPES.items() if not entry.source.startswith("https://")] == []


@pytest.mark.parametrize(
    ("token", "changed", "replacing"),
    [
        # Terraform aws_sagemaker_model / _endpoint_configuration: every argument but tags is ForceNew.
        ("aws:sagemaker/model:Model", ["primaryContainer", "tags"], ["primaryContainer"]),
        ("aws:sagemaker/model:Model", ["tags", "tagsAll"], []),
        ("aws:sagemaker/endpointConfiguration:EndpointConfiguration", ["productionVariants"], ["productionVariants"]),
        # aws_sagemaker_endpoint: endpoint_config_name updates in place (UpdateEndpoint).
        ("aws:sagemaker/endpoint:Endpoint", ["endpointConfigName", "deploymentConfig"], ["deploymentConfig"]),
        ("aws:cloudwatch/metricAlarm:MetricAlarm", ["name", "threshold"], ["name"]),
        ("aws:cloudwatch/dashboard:Dashboard", ["dashboardBody"], []),
        ("aws:iam/rolePolicy:RolePolicy", ["policy", "role"], ["role"]),
        ("aws:s3/bucketPolicy:BucketPolicy", ["policy"], []),
        ("aws:s3/bucket:Bucket", ["forceDestroy", "bucket"], ["bucket"]),
        ("aws:appautoscaling/target:Target", ["maxCapacity", "resourceId"], ["resourceId"]),
        ("gcp:storage/bucketIAMMember:BucketIAMMember", ["member"], ["member"]),
        ("gcp:storage/bucket:Bucket", ["lifecycleRules", "labels"], []),
        ("gcp:vertex/aiEndpoint:AiEndpoint", ["displayName", "labels"], []),
        ("gcp:vertex/aiEndpoint:AiEndpoint", ["encryptionSpec"], ["encryptionSpec"]),
        ("pulumi-python:dynamic/gcp:VertexModelDeployment", ["min_replicas", "labels"], []),
        ("pulumi-python:dynamic/gcp:VertexModelDeployment", ["image_uri"], ["image_uri"]),
        ("pulumi-python:dynamic/gcp:VertexModelDeployment", ["kms_key_name"], ["kms_key_name"]),
        ("pulumi-python:dynamic/aws:SageMakerEndpointLifecycle", ["endpoint_config_name"], []),
        ("aws:unknown/type:Type", ["anything"], []),
    ],
)
def test_replacing_properties(token, changed, replacing):
    assert replacing_properties(token, changed) == replacing


def test_data_holders_and_traffic_servers():
    assert sorted(t for t, e in RESOURCE_TYPES.items() if e.holds_user_data) == [
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "gcp:storage/bucket:Bucket",
    ]
    assert sorted(t for t, e in RESOURCE_TYPES.items() if e.serves_traffic) == [
        "aws:sagemaker/endpoint:Endpoint",
        "gcp:vertex/aiEndpoint:AiEndpoint",
        "pulumi-python:dynamic/aws:SageMakerEndpointLifecycle",
    ]


def test_the_vertex_providers_diff_agrees_with_the_fact():
    """The provider (owned by components.gcp) replaces on exactly the keys the fact lists."""
    from components.gcp.model_deployment import INPUT_KEYS, VertexModelDeploymentProvider

    fact = RESOURCE_TYPES["pulumi-python:dynamic/gcp:VertexModelDeployment"].replace_on
    provider = VertexModelDeploymentProvider()
    numbers = {"port", "accelerator_count", "min_replicas", "max_replicas", "target"}
    numbers |= {"operation_timeout_seconds", "poll_interval_seconds"}

    def value(key: str, version: int) -> object:
        if key in numbers:
            return version
        if key in ("env", "labels"):
            return {"K": f"v{version}"}
        return f"value-{version}-{key}"

    olds = {key: value(key, 1) for key in INPUT_KEYS}
    replacing = set()
    for key in INPUT_KEYS:
        result = provider.diff("id", olds, {**olds, key: value(key, 2)})
        assert result.changes, key
        replacing.update(result.replaces or [])
    assert replacing == set(fact)


def test_the_plan_diff_does_not_import_the_vertex_provider_or_a_cloud_sdk():
    code = (
        "import sys, components.plan_diff, components.plan_review, components.facts.resource_types; "
        "print(sorted(m for m in sys.modules if m.startswith(('components.gcp', 'google.cloud.aiplatform', 'google.protobuf', 'pulumi', 'boto'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_endpoint_names_its_configuration_through_endpoint_config_name():
    from components.facts.resource_types import reference_property

    # pulumi-aws aws.sagemaker.Endpoint input `endpointConfigName`
    assert (
        reference_property(
            "aws:sagemaker/endpoint:Endpoint", "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
        )
        == "endpointConfigName"
    )
    assert reference_property("aws:sagemaker/endpoint:Endpoint", "aws:sagemaker/model:Model") is None
    assert reference_property("unknown:type", "aws:sagemaker/model:Model") is None


def test_every_reference_is_an_input_of_the_dependent_in_the_plans():
    references = {
        (token, dependency, prop)
        for token, entry in RESOURCE_TYPES.items()
        for dependency, prop in entry.references.items()
    }
    assert references == {
        (
            "aws:sagemaker/endpoint:Endpoint",
            "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
            "endpointConfigName",
        )
    }
    for path in SNAPSHOTS:
        resources = json.loads(path.read_text(encoding="utf-8"))["resources"]
        for token, dependency, prop in references:
            dependents = [r for r in resources if r["type"] == token]
            for resource in dependents:
                assert prop in resource["inputs"], (path.name, resource["name"], prop)
            assert dependency in RESOURCE_TYPES


def test_the_plan_diff_keeps_no_table_of_references():
    from components import plan_diff

    assert not hasattr(plan_diff, "REFERENCES")
    assert "endpointConfigName" not in (REPO / "components" / "plan_diff.py").read_text(encoding="utf-8")
