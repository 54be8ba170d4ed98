"""The guardrails, as plain functions over resources (type, props, urn, dependencies).

Sources: checkov (CKV_AWS_98 endpoint config KMS, CKV_AWS_370 model network isolation, CKV_AWS_19/53-56
S3 encryption and public access, CKV_AWS_26 SNS encryption, CKV_AWS_286-290 IAM wildcards), AWS Config
(s3-bucket-ssl-requests-only, sagemaker-endpoint-configuration-kms-key-configured), the Well-Architected
Machine Learning lens (MLREL: at least two instances behind production endpoints; MLCOST: budget accelerators),
and Google's CIS benchmark for Cloud Storage (uniform access, public access prevention) and CMEK.

Cloud facts come from the repository's fact modules (``components.accelerators.data``: GPUs per SageMaker
instance type; ``components.facts.aws``: the IAM actions that may be granted on ``*``...), imported at load time:
a pack that cannot import them fails to load instead of passing silently.

`props` use the engine's property names (camelCase for pulumi-aws / pulumi-gcp, snake_case for our Vertex model
deployment), as both `pulumi preview` and the offline plan present them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Any, Protocol

# The facts are plain data (no Pulumi, no SDK): the pack's entry point puts the repository on sys.path. A failed
# import stops the pack instead of letting rules pass silently.
from components.accelerators.data import gpu_count_of_sagemaker_instance
from components.facts import aws as aws_facts

from .settings import PolicySettings

ENDPOINT_CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
MODEL = "aws:sagemaker/model:Model"
S3_BUCKET = "aws:s3/bucket:Bucket"
SNS_TOPIC = "aws:sns/topic:Topic"
SCALABLE_TARGET = "aws:appautoscaling/target:Target"
IAM_POLICIES = ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy")
VERTEX_ENDPOINT = "gcp:vertex/aiEndpoint:AiEndpoint"
GCS_BUCKET = "gcp:storage/bucket:Bucket"
VERTEX_MODEL = "pulumi-python:dynamic/gcp:VertexModelDeployment"
TAGGED_AWS = (MODEL, ENDPOINT_CONFIG, "aws:sagemaker/endpoint:Endpoint", "aws:iam/role:Role", S3_BUCKET, SNS_TOPIC)
LABELLED_GCP = (VERTEX_ENDPOINT, GCS_BUCKET, VERTEX_MODEL)


class PolicyResource(Protocol):
    """What a rule reads of a resource (pulumi-policy's PolicyResource / ResourceValidationArgs have these)."""

    resource_type: str
    props: Mapping[str, Any]
    urn: str
    name: str


@dataclass(frozen=True)
class PlannedResource:
    """A resource of an offline plan, shaped like pulumi-policy's PolicyResource."""

    resource_type: str
    props: Mapping[str, Any]
    urn: str
    name: str
    dependencies: Sequence[str] = ()


@dataclass(frozen=True)
class Violation:
    """A rule broken by a resource (``urn``), at the rule's enforcement level."""

    rule: str
    urn: str
    message: str
    enforcement: str


ResourceCheck = Callable[[PolicyResource, PolicySettings], Iterable[str]]
StackCheck = Callable[[Sequence[PolicyResource], PolicySettings], Iterable[tuple[PolicyResource, str]]]


@dataclass(frozen=True)
class Rule:
    """One guardrail: a name, a description with its source, a default enforcement level and its check."""

    name: str
    description: str
    enforcement: str
    check: ResourceCheck | StackCheck
    resource_types: tuple[str, ...] = ()

    def level(self, settings: PolicySettings) -> str:
        """The enforcement level for a stack: the stack's policy config, or the rule's default."""
        return settings.level(self.name, self.enforcement)


def _tags(resource: PolicyResource) -> Mapping[str, str]:
    props = resource.props
    return props.get("tags") or props.get("labels") or {}


def _is_production(resource: PolicyResource, settings: PolicySettings) -> bool:
    return _tags(resource).get("stack") in settings.production_stacks


# ---- resource rules -------------------------------------------------------------------------------------------


def _instance_types(resource: PolicyResource) -> list[str]:
    props = resource.props
    variants = [*(props.get("productionVariants") or []), *(props.get("shadowProductionVariants") or [])]
    return [str(variant.get("instanceType", "")) for variant in variants]


def endpoint_config_kms(resource: PolicyResource, settings: PolicySettings) -> Iterable[str]:
    """CKV_AWS_98: the endpoint configuration encrypts its instances' storage with a KMS key, where AWS accepts one.

    Instance types with local NVMe storage are exempt: SageMaker refuses a KmsKeyId on them (CreateEndpointConfig
    fails) and encrypts their instance storage in hardware. Their async outputs must then carry the key instead.
    """
    local = sorted({t for t in _instance_types(resource) if aws_facts.has_local_nvme(t)})
    props = resource.props
    if local:
        if props.get("kmsKeyArn"):
            yield (
                f"kmsKeyArn is set on local-NVMe instance types {local}: SageMaker refuses it (CreateEndpointConfig "
                "fails); remove `sagemaker.kms_key` from this deployment"
            )
        output = (props.get("asyncInferenceConfig") or {}).get("outputConfig") or {}
        if props.get("asyncInferenceConfig") and not output.get("kmsKeyId"):
            yield (
                f"exempt from kmsKeyArn (local-NVMe instance types {local}, hardware-encrypted), but the async "
                "outputs are not encrypted with a KMS key: set `async.kms_key`"
            )
        return
    if not props.get("kmsKeyArn"):
        yield "the endpoint configuration has no kmsKeyArn: set `sagemaker.kms_key` to a KMS key ARN"


def model_network_isolation(resource: PolicyResource, settings: PolicySettings) -> Iterable[str]:
    """CKV_AWS_370: the model container runs without network access."""
    if not resource.props.get("enableNetworkIsolation"):
        yield "the model can reach the network: set `sagemaker.network_isolation: true` unless it must call out"


def sns_topic_encrypted(resource: PolicyResource, settings: PolicySettings) -> Iterable[str]:
    """CKV_AWS_26: notifications are encrypted at rest."""
    if not resource.props.get("kmsMasterKeyId"):
        yield "the SNS topic is not encrypted: set kmsMasterKeyId (a KMS key or alias/aws/sns)"


def _statements(document: Any) -> list[Mapping[str, Any]]:
    if isinstance(document, str):
        document = json.loads(document)
    statements = document.get("Statement", [])
    return [statements] if isinstance(statements, Mapping) else list(statements)


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def iam_no_wildcards(resource: PolicyResource, settings: PolicySettings) -> Iterable[str]:
    """CKV_AWS_286-290 / CKV_AWS_355: no `*` actions, `*` resources only for actions without resource scoping."""
    for statement in _statements(resource.props.get("policy") or "{}"):
        if statement.get("Effect") != "Allow":
            continue
        actions = _as_list(statement.get("Action"))
        for action in actions:
            if action == "*" or action.endswith(":*"):
                yield f"statement {statement.get('Sid', '?')} allows every action ({action}): name the actions"
        if "*" in _as_list(statement.get("Resource")):
            unscoped = [
                a for a in actions if not any(fnmatch(a, allowed) for allowed in aws_facts.NO_RESOURCE_LEVEL_ACTIONS)
            ]
            if unscoped:
                yield f"statement {statement.get('Sid', '?')} grants {unscoped} on every resource: name the resources"


def vertex_endpoint_cmek(resource: PolicyResource, settings: PolicySettings) -> Iterable[str]:
    """Vertex AI endpoints encrypted with a customer-managed key where the stack demands it."""
    if not (resource.props.get("encryptionSpec") or {}).get("kmsKeyName"):
        yield "the Vertex AI endpoint has no customer-managed key: set `vertex.kms_key`"


def gcs_bucket_private(resource: PolicyResource, settings: PolicySettings) -> Iterable[str]:
    """CIS GCP 5.1/5.2: uniform bucket-level access and public access prevention enforced."""
    if resource.props.get("publicAccessPrevention") != "enforced":
        yield "public access prevention is not enforced on the bucket"
    if not resource.props.get("uniformBucketLevelAccess"):
        yield "uniform bucket-level access is off (object ACLs can make outputs public)"


def tags_present(resource: PolicyResource, settings: PolicySettings) -> Iterable[str]:
    """Every taggable resource carries the standard tags / labels (cost allocation, ownership)."""
    missing = [key for key in settings.required_tags if key not in _tags(resource)]
    if missing:
        yield f"missing tags/labels {missing}"


# ---- stack rules ----------------------------------------------------------------------------------------------


def _dependents(resources: Sequence[PolicyResource], target: PolicyResource) -> list[PolicyResource]:
    found = []
    for resource in resources:
        dependencies = getattr(resource, "dependencies", ()) or ()
        urns = {getattr(d, "urn", d) for d in dependencies}
        if target.urn in urns:
            found.append(resource)
    return found


def s3_bucket_guarded(
    resources: Sequence[PolicyResource], settings: PolicySettings
) -> Iterable[tuple[PolicyResource, str]]:
    """CKV_AWS_19/53-56, AWS Config s3-bucket-ssl-requests-only: encrypted, private, TLS-only output buckets."""
    for bucket in (r for r in resources if r.resource_type == S3_BUCKET):
        attached = _dependents(resources, bucket)
        kinds = {r.resource_type: r for r in attached}
        if "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration" not in kinds:
            yield bucket, "the bucket has no server-side encryption configuration"
        block = kinds.get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
        flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        if block is None or not all(block.props.get(flag) for flag in flags):
            yield bucket, "public access is not fully blocked (all four BucketPublicAccessBlock flags)"
        policy = kinds.get("aws:s3/bucketPolicy:BucketPolicy")
        denies_plain_http = policy is not None and any(
            statement.get("Effect") == "Deny"
            and str(((statement.get("Condition") or {}).get("Bool") or {}).get("aws:SecureTransport")).lower()
            == "false"
            for statement in _statements(policy.props.get("policy") or "{}")
        )
        if not denies_plain_http:
            yield bucket, "the bucket policy does not deny requests without TLS (aws:SecureTransport false)"


def _scalable_targets_of(resources: Sequence[PolicyResource], config: PolicyResource) -> list[PolicyResource]:
    """The scalable targets of the endpoints that use ``config`` (configuration <- endpoint <- target)."""
    endpoints = [e for e in _dependents(resources, config) if e.resource_type == "aws:sagemaker/endpoint:Endpoint"]
    return [t for e in endpoints for t in _dependents(resources, e) if t.resource_type == SCALABLE_TARGET]


def _variant_bound(targets: Sequence[PolicyResource], variant: object, key: str) -> list[int]:
    suffix = f"/variant/{variant}"
    return [int(t.props.get(key, 0)) for t in targets if str(t.props.get("resourceId", "")).endswith(suffix)]


def production_two_instances(
    resources: Sequence[PolicyResource], settings: PolicySettings
) -> Iterable[tuple[PolicyResource, str]]:
    """Well-Architected ML lens (MLREL): production real-time endpoints keep at least two instances.

    The autoscaling floor counts too: a scalable target of the endpoint that uses the configuration (found through
    the dependency chain configuration <- endpoint <- target) must not allow fewer than two instances.
    """
    for config in (r for r in resources if r.resource_type == ENDPOINT_CONFIG and _is_production(r, settings)):
        if config.props.get("asyncInferenceConfig"):
            continue  # queue-backed: a request waits instead of failing when no instance runs
        targets = _scalable_targets_of(resources, config)
        for variant in config.props.get("productionVariants") or []:
            name = variant.get("variantName")
            floors = [
                int(t.props.get("minCapacity", 0))
                for t in targets
                if str(t.props.get("resourceId", "")).endswith(f"/variant/{name}")
            ]
            if int(variant.get("initialInstanceCount") or 0) < 2 or (floors and min(floors) < 2):
                yield config, f"variant {name} can run on one instance in production: set scaling.min >= 2"
    for model in (r for r in resources if r.resource_type == VERTEX_MODEL and _is_production(r, settings)):
        if int(model.props.get("min_replicas") or 0) < 2:
            yield model, "the Vertex deployment can run on one replica in production: set scaling.min >= 2"


def _sagemaker_gpus(instance_type: str) -> int:
    found = gpu_count_of_sagemaker_instance(instance_type)
    return found[1] if found else 0


def gpu_budget(resources: Sequence[PolicyResource], settings: PolicySettings) -> Iterable[tuple[PolicyResource, str]]:
    """Well-Architected ML lens (MLCOST): the GPUs a stack can scale to stay within its budget."""
    total, largest = 0, None
    for resource in resources:
        if resource.resource_type == ENDPOINT_CONFIG:
            targets = _scalable_targets_of(resources, resource)
            for variant in resource.props.get("productionVariants") or []:
                ceilings = _variant_bound(targets, variant.get("variantName"), "maxCapacity")
                instances = max([int(variant.get("initialInstanceCount") or 1), *ceilings])
                gpus = instances * _sagemaker_gpus(str(variant.get("instanceType", "")))
                total += gpus
                largest = resource if gpus else largest
        elif resource.resource_type == VERTEX_MODEL:
            gpus = int(resource.props.get("max_replicas") or 1) * int(resource.props.get("accelerator_count") or 0)
            total += gpus
            largest = resource if gpus else largest
    if total > settings.gpu_budget and largest is not None:
        yield (
            largest,
            f"the stack can scale to {total} GPUs, over its budget of {settings.gpu_budget}: lower scaling.max",
        )


RESOURCE_RULES: tuple[Rule, ...] = (
    Rule(
        "sagemaker-endpoint-config-kms",
        "Endpoint configurations encrypt storage with KMS (checkov CKV_AWS_98); local-NVMe instance types are exempt "
        "(SageMaker refuses a key there and encrypts in hardware) and encrypt their async outputs instead.",
        "advisory",
        endpoint_config_kms,
        (ENDPOINT_CONFIG,),
    ),
    Rule(
        "sagemaker-model-network-isolation",
        "Models run with network isolation (checkov CKV_AWS_370).",
        "advisory",
        model_network_isolation,
        (MODEL,),
    ),
    Rule(
        "sns-topic-encrypted",
        "SNS topics are encrypted (checkov CKV_AWS_26).",
        "mandatory",
        sns_topic_encrypted,
        (SNS_TOPIC,),
    ),
    Rule(
        "iam-no-wildcards",
        "No wildcard IAM actions; wildcard resources only where AWS has no narrower one (checkov CKV_AWS_286-290, CKV_AWS_355).",
        "mandatory",
        iam_no_wildcards,
        IAM_POLICIES,
    ),
    Rule(
        "vertex-endpoint-cmek",
        "Vertex AI endpoints use customer-managed encryption keys where the stack demands it.",
        "advisory",
        vertex_endpoint_cmek,
        (VERTEX_ENDPOINT,),
    ),
    Rule(
        "gcs-bucket-private",
        "Buckets enforce public access prevention and uniform access (CIS GCP 5.1, 5.2).",
        "mandatory",
        gcs_bucket_private,
        (GCS_BUCKET,),
    ),
    Rule(
        "tags-present",
        "Taggable resources carry project, stack, deployment and managed-by tags / labels.",
        "mandatory",
        tags_present,
        TAGGED_AWS + LABELLED_GCP,
    ),
)

STACK_RULES: tuple[Rule, ...] = (
    Rule(
        "s3-output-bucket-guarded",
        "Output buckets are encrypted, private and TLS-only (checkov CKV_AWS_19/53-56, AWS Config s3-bucket-ssl-requests-only).",
        "mandatory",
        s3_bucket_guarded,
    ),
    Rule(
        "production-two-instances",
        "Production real-time endpoints keep at least two instances (Well-Architected ML lens, MLREL).",
        "mandatory",
        production_two_instances,
    ),
    Rule(
        "gpu-budget",
        "The GPUs a stack can scale to stay within its budget (Well-Architected ML lens, MLCOST).",
        "mandatory",
        gpu_budget,
    ),
)


def check_resources(resources: Sequence[PolicyResource], settings: PolicySettings) -> list[Violation]:
    """Run every rule over ``resources`` (e.g. an offline plan); the violations sorted by rule and URN."""
    violations: list[Violation] = []
    for rule in RESOURCE_RULES:
        if rule.level(settings) == "disabled":
            continue
        resource_check: Any = rule.check
        for resource in resources:
            if resource.resource_type in rule.resource_types:
                violations += [
                    Violation(rule.name, resource.urn, m, rule.level(settings))
                    for m in resource_check(resource, settings)
                ]
    for rule in STACK_RULES:
        if rule.level(settings) == "disabled":
            continue
        stack_check: Any = rule.check
        violations += [
            Violation(rule.name, r.urn, m, rule.level(settings)) for r, m in stack_check(resources, settings)
        ]
    return sorted(violations, key=lambda v: (v.rule, v.urn, v.message))


def resources_from_plan(plan: Mapping[str, Any]) -> list[PlannedResource]:
    """The custom resources of an offline plan (``python -m components.plan --json``), as policy resources."""
    return [
        PlannedResource(
            r["type"], r.get("inputs") or {}, r["urn"], r["name"], tuple((r.get("options") or {}).get("dependsOn", ()))
        )
        for r in plan.get("resources", [])
        if not r["type"].startswith(("pulumi:", "ml-serving:"))
    ]
