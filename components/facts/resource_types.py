"""Per Pulumi resource type: which properties force a replacement, what it holds, how it is named, where it lives.

One entry per resource type ml-serving declares (a test fails when a declared type has none). The plan diff reads
the replace-on-change properties, "holds user data", "serves traffic" and the retention properties; the mock runtime
reads the auto-named property. Adding a resource type is one entry here plus its tests.

Sources. pulumi-aws and pulumi-gcp are bridged from the Terraform providers, so a property forces a replacement
exactly when the Terraform schema marks it ``ForceNew`` (terraform-provider-aws ``internal/service/<service>/*.go``;
terraform-provider-google: ``immutable: true`` in ``mmv1/products/<product>/<Resource>.yaml`` or ``ForceNew`` in the
handwritten resources). The Pulumi registry page of each type (https://www.pulumi.com/registry/packages/aws/api-docs/
and .../gcp/api-docs/) lists the same properties with their Pulumi (camelCase) names used here. Tags and labels
never force a replacement (``tags`` / ``labels`` are updated in place by every provider, see :data:`TAG_PROPERTIES`).

This module imports nothing heavy: the policy pack's own virtualenv imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from . import endpoint_updates, gcp

__all__ = [
    "RESOURCE_TYPES",
    "TAG_PROPERTIES",
    "ResourceType",
    "reference_property",
    "replacing_properties",
    "resource_type",
]

TAG_PROPERTIES = frozenset({"tags", "tagsAll", "labels", "effectiveLabels", "pulumiLabels", "terraformLabels"})
"""Tag / label properties: always updated in place (AWS TagResource, GCP labels PATCH), never a replacement."""


@dataclass(frozen=True)
class ResourceType:
    """What ml-serving needs to know about one Pulumi resource type.

    Attributes:
        token: the Pulumi type token, e.g. ``aws:sagemaker/model:Model``.
        replace_on: top-level input properties whose change forces a replacement (``ForceNew``).
        immutable: True when every input except tags / labels forces a replacement (``replace_on`` is then unused).
        holds_user_data: deleting or replacing it deletes data users stored (async outputs).
        serves_traffic: deleting or replacing it interrupts requests (a new endpoint has a new name / URL).
        auto_name: the property Pulumi fills with ``<logical name>-<random suffix>`` when it is not set.
        name_prefix: the property that, when set, makes the auto-name ``<prefix><random suffix>``.
        regional: the resource lives in one region: a change of the provider's region replaces it.
        retention: flattened input paths (``[*]`` for any list index) whose lowering expires stored data sooner.
        force_destroy: the boolean input that, when true, lets a delete remove a non-empty bucket with its contents.
        references: dependency type token -> the input property through which a resource of this type names a
            resource of that type (a replaced dependency gets a new name, so the input changes: an update, unless the
            property is in the dependent's ``ignoreChanges``). The source of each is the provider's input property.
        retired_after_rollover: declared with ``retainOnDelete`` so that Pulumi never deletes the one still in
            use after a rolled-back update; the SageMaker endpoint lifecycle deletes the replaced one itself once a
            roll-over is verified (``components.aws.endpoint_lifecycle``), so a replacement leaves nothing behind.
            Pulumi's rules (checked): adding the option alone to an unchanged resource is recorded by that
            ``pulumi up`` (pulumi/pulumi ``pkg/backend/snapshot.go``, ``sameSnapshotMutation.mustWrite`` writes a
            same step when ``RetainOnDelete`` differs); whether a delete or replace retains is decided by the state
            recorded before the run, not by the program (maintainer's table in pulumi/pulumi#13428), so an upgrade's
            first run still deletes what it replaces.
        source: where the facts come from.
    """

    token: str
    replace_on: frozenset[str] = frozenset()
    immutable: bool = False
    holds_user_data: bool = False
    serves_traffic: bool = False
    auto_name: str | None = None
    name_prefix: str | None = None
    regional: bool = True
    retention: tuple[str, ...] = ()
    force_destroy: str | None = None
    retired_after_rollover: bool = False
    references: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    source: str = ""


_TF_AWS = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/"
_TF_GOOGLE = "https://github.com/GoogleCloudPlatform/magic-modules/blob/main/mmv1/products/"

_ENTRIES: tuple[ResourceType, ...] = (
    # ---------------------------------------------------------------------------------------------- SageMaker
    ResourceType(
        "aws:sagemaker/model:Model",
        immutable=True,  # every argument but tags is ForceNew (there is no UpdateModel API)
        retired_after_rollover=True,
        auto_name="name",
        source=_TF_AWS + "sagemaker/model.go",
    ),
    ResourceType(
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        immutable=True,  # every argument but tags is ForceNew (endpoint configurations cannot be updated)
        retired_after_rollover=True,
        auto_name="name",
        name_prefix="namePrefix",
        source=_TF_AWS + "sagemaker/endpoint_configuration.go",
    ),
    ResourceType(
        "aws:sagemaker/endpoint:Endpoint",
        # endpointConfigName updates in place (UpdateEndpoint); deploymentConfig is ForceNew in the Terraform schema
        # (auto_rollback_configuration), which is why the deployment ignores it on its name holder
        # (components.aws.endpoint_lifecycle) and applies rollouts through the lifecycle resource instead.
        replace_on=frozenset({"name", "deploymentConfig"}),
        serves_traffic=True,  # a new endpoint has a new name, hence a new invoke URL
        auto_name="name",
        # pulumi-aws aws.sagemaker.Endpoint input endpointConfigName ("The name of the endpoint configuration to
        # use", https://www.pulumi.com/registry/packages/aws/api-docs/sagemaker/endpoint/#endpointconfigname)
        references=MappingProxyType(
            {"aws:sagemaker/endpointConfiguration:EndpointConfiguration": "endpointConfigName"}
        ),
        source=_TF_AWS + "sagemaker/endpoint.go",
    ),
    # ------------------------------------------------------------------------------- Application Auto Scaling
    ResourceType(
        "aws:appautoscaling/target:Target",
        replace_on=frozenset({"resourceId", "scalableDimension", "serviceNamespace"}),
        source=_TF_AWS + "appautoscaling/target.go",
    ),
    ResourceType(
        "aws:appautoscaling/policy:Policy",
        replace_on=frozenset({"name", "resourceId", "scalableDimension", "serviceNamespace"}),
        auto_name="name",
        source=_TF_AWS + "appautoscaling/policy.go",
    ),
    ResourceType(
        "aws:appautoscaling/scheduledAction:ScheduledAction",
        replace_on=frozenset({"name", "resourceId", "scalableDimension", "serviceNamespace"}),
        auto_name="name",
        source=_TF_AWS + "appautoscaling/scheduled_action.go",
    ),
    # ------------------------------------------------------------------------------------------ CloudWatch
    ResourceType(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        replace_on=frozenset({"name"}),  # alarm_name is ForceNew
        auto_name="name",
        source=_TF_AWS + "cloudwatch/metric_alarm.go",
    ),
    ResourceType(
        "aws:cloudwatch/compositeAlarm:CompositeAlarm",
        replace_on=frozenset({"alarmName"}),
        auto_name="alarmName",
        source=_TF_AWS + "cloudwatch/composite_alarm.go",
    ),
    ResourceType(
        "aws:cloudwatch/dashboard:Dashboard",
        replace_on=frozenset({"dashboardName"}),
        auto_name="dashboardName",
        regional=False,  # dashboards are global: arn:aws:cloudwatch::<account>:dashboard/<name>
        source=_TF_AWS + "cloudwatch/dashboard.go",
    ),
    # ------------------------------------------------------------------------------------------------- IAM
    ResourceType(
        "aws:iam/role:Role",
        replace_on=frozenset({"name", "namePrefix", "path"}),
        auto_name="name",
        name_prefix="namePrefix",
        regional=False,
        source=_TF_AWS + "iam/role.go",
    ),
    ResourceType(
        "aws:iam/rolePolicy:RolePolicy",
        replace_on=frozenset({"name", "namePrefix", "role"}),  # the policy document updates in place
        auto_name="name",
        name_prefix="namePrefix",
        regional=False,
        source=_TF_AWS + "iam/role_policy.go",
    ),
    ResourceType(
        "aws:iam/policy:Policy",
        replace_on=frozenset({"name", "namePrefix", "path", "description"}),
        auto_name="name",
        name_prefix="namePrefix",
        regional=False,
        source=_TF_AWS + "iam/policy.go",
    ),
    # -------------------------------------------------------------------------------------------------- S3
    ResourceType(
        "aws:s3/bucket:Bucket",
        replace_on=frozenset({"bucket", "bucketPrefix", "objectLockEnabled"}),
        holds_user_data=True,  # async inference outputs and failures
        auto_name="bucket",
        name_prefix="bucketPrefix",
        force_destroy="forceDestroy",
        source=_TF_AWS + "s3/bucket.go",
    ),
    ResourceType(
        "aws:s3/bucketV2:BucketV2",
        replace_on=frozenset({"bucket", "bucketPrefix", "objectLockEnabled"}),
        holds_user_data=True,
        auto_name="bucket",
        name_prefix="bucketPrefix",
        force_destroy="forceDestroy",
        source=_TF_AWS + "s3/bucket.go",
    ),
    ResourceType(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        replace_on=frozenset({"bucket", "expectedBucketOwner"}),
        retention=("rules[*].expiration.days", "rules[*].noncurrentVersionExpiration.noncurrentDays"),
        source=_TF_AWS + "s3/bucket_lifecycle_configuration.go",
    ),
    ResourceType(
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        replace_on=frozenset({"bucket"}),
        source=_TF_AWS + "s3/bucket_ownership_controls.go",
    ),
    ResourceType(
        "aws:s3/bucketPolicy:BucketPolicy",
        replace_on=frozenset({"bucket"}),
        source=_TF_AWS + "s3/bucket_policy.go",
    ),
    ResourceType(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        replace_on=frozenset({"bucket"}),
        source=_TF_AWS + "s3/bucket_public_access_block.go",
    ),
    ResourceType(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        replace_on=frozenset({"bucket", "expectedBucketOwner"}),
        source=_TF_AWS + "s3/bucket_server_side_encryption_configuration.go",
    ),
    # ----------------------------------------------------------------------------------------------- SNS, KMS
    ResourceType(
        "aws:sns/topic:Topic",
        replace_on=frozenset({"name", "namePrefix", "fifoTopic"}),
        auto_name="name",
        name_prefix="namePrefix",
        source=_TF_AWS + "sns/topic.go",
    ),
    ResourceType(
        "aws:kms/key:Key",
        replace_on=frozenset({"customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"}),
        source=_TF_AWS + "kms/key.go",
    ),
    ResourceType(
        "aws:kms/alias:Alias",
        replace_on=frozenset({"name", "namePrefix"}),
        auto_name="name",
        name_prefix="namePrefix",
        source=_TF_AWS + "kms/alias.go",
    ),
    # ---------------------------------------------------------------------------------------------- Vertex AI
    ResourceType(
        "gcp:vertex/aiEndpoint:AiEndpoint",
        # Endpoint.yaml: name, location, region, project, network, encryptionSpec, dedicatedEndpointEnabled and
        # privateServiceConnectConfig are immutable; displayName, description, labels update (PATCH).
        replace_on=frozenset(
            {
                "name",
                "location",
                "region",
                "project",
                "network",
                "encryptionSpec",
                "dedicatedEndpointEnabled",
                "privateServiceConnectConfig",
            }
        ),
        serves_traffic=True,  # a new endpoint has a new id, hence a new predict URL
        # pulumi-gcp auto-names ``name`` (``{logical}-{7 hex}``) and sends it as CreateEndpointRequest.endpoint_id
        # (Endpoint.yaml: ``name`` is the ``endpointId`` query parameter of the create call).
        auto_name="name",
        source=_TF_GOOGLE + "vertexai/Endpoint.yaml",
    ),
    ResourceType(
        # ml-serving's dynamic provider (components.gcp.model_deployment); its replace keys are a GCP fact (the
        # provider's diff reads the same tuple, a test checks both). The replacement is create-before-delete on the
        # same endpoint (traffic moves to the new model): a roll-over, not an outage.
        gcp.MODEL_DEPLOYMENT_TYPE,
        replace_on=frozenset(gcp.MODEL_DEPLOYMENT_REPLACE_KEYS),
        source="https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.endpoints/mutateDeployedModel",
    ),
    ResourceType(
        # ml-serving's SageMaker endpoint lifecycle (components.aws.endpoint_lifecycle, a boto3 dynamic provider):
        # another endpoint name or region is another endpoint; configuration and rollout settings update in place
        # (UpdateEndpoint).
        "pulumi-python:dynamic/aws:SageMakerEndpointLifecycle",
        replace_on=frozenset(endpoint_updates.LIFECYCLE_REPLACE_KEYS),
        serves_traffic=True,
        source="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html",
    ),
    # ------------------------------------------------------------------------------------ Cloud Storage, IAM
    ResourceType(
        "gcp:storage/bucket:Bucket",
        replace_on=frozenset({"name", "location", "project"}),
        holds_user_data=True,  # async-style prediction outputs
        auto_name="name",
        force_destroy="forceDestroy",
        retention=("lifecycleRules[*].condition.age",),
        source="https://github.com/hashicorp/terraform-provider-google/blob/main/google/services/storage/resource_storage_bucket.go",
    ),
    ResourceType(
        "gcp:storage/bucketIAMMember:BucketIAMMember",
        replace_on=frozenset({"bucket", "role", "member", "condition"}),  # IAM members: every argument is ForceNew
        regional=False,  # follows the bucket; has no location of its own
        source="https://github.com/hashicorp/terraform-provider-google/blob/main/google/tpgiamresource/resource_iam_member.go",
    ),
    ResourceType(
        "gcp:serviceaccount/account:Account",
        replace_on=frozenset({"accountId", "project"}),
        regional=False,
        source="https://github.com/hashicorp/terraform-provider-google/blob/main/google/services/resourcemanager/resource_google_service_account.go",
    ),
)

RESOURCE_TYPES: Mapping[str, ResourceType] = MappingProxyType({entry.token: entry for entry in _ENTRIES})
"""Pulumi type token -> :class:`ResourceType` (read-only)."""


def resource_type(token: str) -> ResourceType | None:
    """The facts of a custom resource type, or ``None`` when ml-serving does not know the type."""
    return RESOURCE_TYPES.get(token)


def reference_property(dependent: str, dependency: str) -> str | None:
    """The input property through which a resource of type ``dependent`` names its ``dependency`` (a type token),
    or ``None`` when ml-serving records no such reference (:attr:`ResourceType.references`)."""
    entry = RESOURCE_TYPES.get(dependent)
    return entry.references.get(dependency) if entry is not None else None


def replacing_properties(token: str, changed: Iterable[str]) -> list[str]:
    """The changed top-level properties that force a replacement of a resource of type ``token``.

    Tag and label properties never do. An unknown type replaces on nothing (the test over the declared types keeps
    every type ml-serving declares known).
    """
    entry = RESOURCE_TYPES.get(token)
    if entry is None:
        return []
    keys = [key for key in dict.fromkeys(changed) if key not in TAG_PROPERTIES]
    if entry.immutable:
        return keys
    return [key for key in keys if key in entry.replace_on]
