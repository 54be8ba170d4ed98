"""AWS facts (SageMaker, Application Auto Scaling, CloudWatch, IAM, KMS), each written once with its source.

Plain data and tiny pure helpers only: this module imports nothing but the standard library, so the policy pack's
own virtualenv can import it. Sources are named in a short comment per entry: "botocore sagemaker" means the
SageMaker service model shipped with botocore (``botocore/data/sagemaker/*/service-2.json``), whose shape
constraints the contract tests (``tests/contract/test_aws_facts.py``) compare with these values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# ---- CloudWatch namespaces and dimensions -------------------------------------------------------------------------
# https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
SAGEMAKER_NAMESPACE = "AWS/SageMaker"
"""Invocation and async-queue metrics of endpoints."""
ENDPOINT_INSTANCE_NAMESPACE = "/aws/sagemaker/Endpoints"
"""Instance metrics (CPU, memory, GPU, disk) of endpoint instances."""
ENDPOINT_LOG_GROUP_PREFIX = "/aws/sagemaker/Endpoints"
"""CloudWatch Logs group of an endpoint: ``/aws/sagemaker/Endpoints/ENDPOINT_NAME`` (same page, "Logs")."""
ENDPOINT_DIMENSION = "EndpointName"
VARIANT_DIMENSION = "VariantName"
METRIC_PERIOD_SECONDS = 60
"""SageMaker publishes endpoint metrics at 1-minute frequency (same page)."""
HIGH_RESOLUTION_METRIC_PERIOD_SECONDS = 10
"""``ConcurrentRequestsPerModel`` behind the high-resolution predefined metric is emitted every 10 s; it makes the
policy scale out faster and scales in at the speed of 1-minute metrics
(https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-code-define.html, "high-resolution")."""

# ---- Invocation limits ---------------------------------------------------------------------------------------------
REALTIME_INVOCATION_TIMEOUT_SECONDS = 60
"""A real-time endpoint's container must answer ``InvokeEndpoint`` within 60 seconds
(https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html)."""
ASYNC_REQUEST_TTL_DEFAULT_SECONDS = 21600
ASYNC_REQUEST_TTL_RANGE = (60, 21600)
"""``X-Amzn-SageMaker-RequestTTLSeconds`` of ``InvokeEndpointAsync``: 60-21600 s, default 21600 (6 h), how long a
request may wait in the queue before it expires
(https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html)."""

Dimensions = tuple[str, ...]
ENDPOINT_AND_VARIANT: Dimensions = (ENDPOINT_DIMENSION, VARIANT_DIMENSION)
ENDPOINT_ONLY: Dimensions = (ENDPOINT_DIMENSION,)


@dataclass(frozen=True)
class CloudWatchMetric:
    """A metric SageMaker publishes: its name, namespace, dimensions, unit and on which endpoints it exists.

    Attributes:
        name: ``MetricName``. namespace: ``Namespace``. dimensions: dimension names, in order.
        unit: the unit CloudWatch reports. realtime / asynchronous: published for real-time / async endpoints.
    """

    name: str
    namespace: str
    dimensions: Dimensions
    unit: str
    realtime: bool = True
    asynchronous: bool = True


# Invocation metrics: https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html#cloudwatch-metrics-endpoint-invocation
# "Monitor asynchronous endpoint" (async-inference-monitor.html) lists what async endpoints publish: not
# Invocations, InvocationsPerInstance, ConcurrentRequestsPerModel or OverheadLatency.
INVOCATIONS = CloudWatchMetric("Invocations", SAGEMAKER_NAMESPACE, ENDPOINT_AND_VARIANT, "None", asynchronous=False)
INVOCATIONS_PER_INSTANCE = CloudWatchMetric(
    "InvocationsPerInstance", SAGEMAKER_NAMESPACE, ENDPOINT_AND_VARIANT, "None", asynchronous=False
)
CONCURRENT_REQUESTS_PER_MODEL = CloudWatchMetric(
    "ConcurrentRequestsPerModel", SAGEMAKER_NAMESPACE, ENDPOINT_AND_VARIANT, "None", asynchronous=False
)
MODEL_LATENCY = CloudWatchMetric("ModelLatency", SAGEMAKER_NAMESPACE, ENDPOINT_AND_VARIANT, "Microseconds")
INVOCATION_4XX_ERRORS = CloudWatchMetric("Invocation4XXErrors", SAGEMAKER_NAMESPACE, ENDPOINT_AND_VARIANT, "None")
INVOCATION_5XX_ERRORS = CloudWatchMetric("Invocation5XXErrors", SAGEMAKER_NAMESPACE, ENDPOINT_AND_VARIANT, "None")
# Async queue metrics, dimension EndpointName only: async-inference-monitor.html ("Common endpoint metrics" /
# "Asynchronous Inference Endpoint Metrics").
APPROXIMATE_BACKLOG_SIZE = CloudWatchMetric(
    "ApproximateBacklogSize", SAGEMAKER_NAMESPACE, ENDPOINT_ONLY, "Count", realtime=False
)
APPROXIMATE_BACKLOG_SIZE_PER_INSTANCE = CloudWatchMetric(
    "ApproximateBacklogSizePerInstance", SAGEMAKER_NAMESPACE, ENDPOINT_ONLY, "Count", realtime=False
)
HAS_BACKLOG_WITHOUT_CAPACITY = CloudWatchMetric(
    "HasBacklogWithoutCapacity", SAGEMAKER_NAMESPACE, ENDPOINT_ONLY, "Count", realtime=False
)
APPROXIMATE_AGE_OF_OLDEST_REQUEST = CloudWatchMetric(
    "ApproximateAgeOfOldestRequest", SAGEMAKER_NAMESPACE, ENDPOINT_ONLY, "Seconds", realtime=False
)
# Instance metrics: monitoring-cloudwatch.html#cloudwatch-metrics-jobs ("Endpoint instance metrics"); CPU and GPU
# utilisation are summed over the instance's vCPUs / GPUs (0-400% on four GPUs).
CPU_UTILIZATION = CloudWatchMetric("CPUUtilization", ENDPOINT_INSTANCE_NAMESPACE, ENDPOINT_AND_VARIANT, "Percent")
MEMORY_UTILIZATION = CloudWatchMetric("MemoryUtilization", ENDPOINT_INSTANCE_NAMESPACE, ENDPOINT_AND_VARIANT, "Percent")
GPU_UTILIZATION = CloudWatchMetric("GPUUtilization", ENDPOINT_INSTANCE_NAMESPACE, ENDPOINT_AND_VARIANT, "Percent")
GPU_MEMORY_UTILIZATION = CloudWatchMetric(
    "GPUMemoryUtilization", ENDPOINT_INSTANCE_NAMESPACE, ENDPOINT_AND_VARIANT, "Percent"
)

# ---- The scaling metric catalogue: neutral metric -> what SageMaker tracks ----------------------------------------
NeutralMetric = Literal["invocations", "concurrency", "cpu", "gpu", "backlog"]


@dataclass(frozen=True)
class ScalingMetric:
    """How ml-serving tracks one cloud-neutral scaling metric on SageMaker.

    Attributes:
        neutral: the stack file's ``scaling.metric``.
        metric: the CloudWatch metric behind it (published on real-time / async endpoints per its flags).
        predefined_type: Application Auto Scaling ``PredefinedMetricType``; None when a customized metric
            specification names ``metric`` instead.
        statistic: statistic of the customized specification.
        unit: ``Unit`` of the customized specification (None: left out).
        per_device: the metric is summed over the instance's ``vcpu`` / ``gpu`` devices, so a per-device target
            is multiplied by their count.
        default_target: target used when ``scaling.target`` is absent; None with ``no_default`` saying why.
        no_default: why there is no default target.
    """

    neutral: NeutralMetric
    metric: CloudWatchMetric
    predefined_type: str | None = None
    statistic: str = "Average"
    unit: str | None = None
    per_device: Literal["vcpu", "gpu"] | None = None
    default_target: float | None = None
    no_default: str = ""

    @property
    def realtime(self) -> bool:
        """Offered on real-time endpoints (the metric is published there)."""
        return self.metric.realtime

    @property
    def asynchronous(self) -> bool:
        """Offered on asynchronous endpoints (the metric is published there)."""
        return self.metric.asynchronous


NO_THROUGHPUT_DEFAULT = "depends on the model's throughput: measure it with a load test"
# Predefined types: botocore application-autoscaling, enum MetricType; their meaning:
# https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-code-define.html
# Default targets: ml-serving's choice (70 % leaves headroom for the 3-8 min scale-out; 5 queued requests per
# instance is the value of AWS's async autoscaling example, async-inference-autoscale.html).
SCALING_METRICS: dict[str, ScalingMetric] = {
    "invocations": ScalingMetric(
        "invocations",
        INVOCATIONS_PER_INSTANCE,
        predefined_type="SageMakerVariantInvocationsPerInstance",
        no_default=NO_THROUGHPUT_DEFAULT,
    ),
    "concurrency": ScalingMetric(
        "concurrency",
        CONCURRENT_REQUESTS_PER_MODEL,
        predefined_type="SageMakerVariantConcurrentRequestsPerModelHighResolution",
        no_default=NO_THROUGHPUT_DEFAULT,
    ),
    "cpu": ScalingMetric("cpu", CPU_UTILIZATION, unit="Percent", per_device="vcpu", default_target=70.0),
    "gpu": ScalingMetric("gpu", GPU_UTILIZATION, unit="Percent", per_device="gpu", default_target=70.0),
    "backlog": ScalingMetric("backlog", APPROXIMATE_BACKLOG_SIZE_PER_INSTANCE, default_target=5.0),
}


def default_target(metric: str) -> float | None:
    """SageMaker's default target of a neutral metric (None: the stack file must give one)."""
    found = SCALING_METRICS.get(metric)
    return found.default_target if found else None


# ---- Application Auto Scaling ---------------------------------------------------------------------------------------
# https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html (ResourceId,
# ScalableDimension for SageMaker variants); botocore application-autoscaling enums ServiceNamespace /
# ScalableDimension.
ASYNC_SCALE_FROM_ZERO_STEP = 1
"""Instances the has-backlog-without-capacity step policy adds each time its alarm fires (``StepAdjustments:
[{MetricIntervalLowerBound: 0, ScalingAdjustment: 1}]``, as in AWS's scale-from-zero example,
https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html, whose Cooldown is 300).

Repeats (checked): an alarm keeps invoking Auto Scaling actions while it stays in ALARM ("Except for Auto Scaling
actions, the actions happen only on state transitions", CloudWatch "Alarm actions"); after a scale-out "the scaling
policy won't increase the desired capacity again unless either a larger scale out is triggered or the cooldown
period ends" (Application Auto Scaling StepScalingPolicyConfiguration.Cooldown). So no second instance within the
cooldown; once it ends, another +1 if the alarm is still in ALARM. The alarm's metric is 1 while "the current
instance count for your endpoint is also zero" (async-inference-autoscale); whether an instance that is still
booting counts is not documented: a cooldown shorter than the boot can start more than one instance."""
ASYNC_SCALE_FROM_ZERO_MIN_COOLDOWN = 600
"""Shortest ``Cooldown`` ml-serving gives the scale-from-zero step policy (seconds; a user's longer
``scaling.scale_out_cooldown`` is kept). Our choice, not an AWS default: AWS's example uses 300
(async-inference-autoscale), and a GPU instance takes 3-8 minutes to start (new VM, image pull, model download).
Whether a booting instance ends ``HasBacklogWithoutCapacity`` is undocumented (see above): a cooldown longer than
the boot keeps the policy from adding a second instance while the first one starts. It delays nothing else: once
an instance serves, backlog target tracking does the scaling."""
SCALING_SERVICE_NAMESPACE = "sagemaker"
SCALABLE_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
SCALING_SERVICE_LINKED_ROLE = "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
SCALING_SERVICE_LINKED_ROLE_PRINCIPAL = "sagemaker.application-autoscaling.amazonaws.com"
"""https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-service-linked-roles.html"""


def scalable_target_resource_id(endpoint_name: str, variant_name: str) -> str:
    """``endpoint/NAME/variant/VARIANT`` (RegisterScalableTarget, ResourceId for SageMaker variants)."""
    return f"endpoint/{endpoint_name}/variant/{variant_name}"


# AWS cron expressions of scheduled actions: six fields, and one of day-of-month / day-of-week must be `?`
# (https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html).
SCHEDULE_EXPRESSION = re.compile(
    r"^(cron\(([^ )]+ ){5}[^ )]+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\))$"
)
"""``cron(6 fields)``, ``rate(N unit)`` or ``at(yyyy-mm-ddThh:mm:ss)`` (PutScheduledAction.Schedule documentation)."""
CRON_FIELDS = ("minutes", "hours", "day-of-month", "month", "day-of-week", "year")
CRON_EITHER_OR = ("day-of-month", "day-of-week")
"""Exactly one of these two is `?`: AWS cannot take both a day of the month and a day of the week."""

# ---- Names ---------------------------------------------------------------------------------------------------------
SAGEMAKER_NAME_MAX = 63
"""botocore sagemaker: EndpointName, EndpointConfigName, ModelName, VariantName, ContainerHostname max 63."""
SAGEMAKER_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
"""botocore sagemaker: pattern of EndpointName, EndpointConfigName, VariantName, ContainerHostname."""
AUTO_NAME_SUFFIX = 8
"""Pulumi's auto-name appends ``-`` and 7 random hex characters to the resource name
(https://www.pulumi.com/docs/iac/concepts/resources/names/#autonaming)."""
NAME_PREFIX_SUFFIX = 26
"""pulumi-aws ``name_prefix`` appends a 26-character unique id (terraform-plugin-sdk ``id.PrefixedUniqueId``)."""
ALARM_NAME_MAX = 255
"""botocore cloudwatch: AlarmName max 255."""
DASHBOARD_NAME_MAX = 255
"""botocore cloudwatch: DashboardName max 255; letters, digits, '-' and '_'."""
DASHBOARD_NAME_INVALID = re.compile(r"[^A-Za-z0-9_-]")
"""A character a dashboard name may not hold: botocore cloudwatch PutDashboard.DashboardName documentation ("valid
characters are A-Z, a-z, 0-9, "-", and "_"")."""

# ---- Regions and bucket names ----------------------------------------------------------------------------------------
AWS_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
"""AWS region codes such as eu-west-1, us-gov-west-1 (https://docs.aws.amazon.com/global-infrastructure/latest/regions/)."""
S3_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
S3_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
"""S3 general purpose bucket naming rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
names must not start or end with these."""

# ---- Tags ----------------------------------------------------------------------------------------------------------
MAX_TAGS = 50
"""botocore sagemaker: TagList max 50."""
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
"""botocore sagemaker: TagKey 1-128, TagValue 0-256 characters."""
TAG_CHARACTERS = re.compile(r"^[\w\s.:/=+\-@]*$")
"""botocore sagemaker TagKey / TagValue pattern ``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`` (Unicode letters, separators,
numbers and ``_.:/=+-@``)."""
RESERVED_TAG_PREFIX = "aws:"
"""Tag keys starting with ``aws:`` are reserved for AWS (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html)."""

# ---- CreateModel environment ---------------------------------------------------------------------------------------
MAX_ENVIRONMENT_ENTRIES = 100
"""botocore sagemaker: EnvironmentMap max 100 entries."""
ENVIRONMENT_KEY_MAX = 1024
ENVIRONMENT_VALUE_MAX = 1024
"""botocore sagemaker: EnvironmentKey / EnvironmentValue max 1024 characters."""
ENVIRONMENT_KEY = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
"""botocore sagemaker: EnvironmentKey pattern."""

# ---- Endpoint configuration limits ---------------------------------------------------------------------------------
MAX_CONTAINERS = 15
"""botocore sagemaker: CreateModel.Containers (ContainerDefinitionList) max 15."""
MAX_PRODUCTION_VARIANTS = 10
"""botocore sagemaker: ProductionVariantList max 10."""
MODEL_DATA_DOWNLOAD_TIMEOUT_RANGE = (60, 3600)
"""botocore sagemaker: ProductionVariantModelDataDownloadTimeoutInSeconds."""
STARTUP_HEALTH_CHECK_TIMEOUT_RANGE = (60, 3600)
"""botocore sagemaker: ProductionVariantContainerStartupHealthCheckTimeoutInSeconds."""
MAX_CONCURRENT_INVOCATIONS_RANGE = (1, 1000)
"""botocore sagemaker: MaxConcurrentInvocationsPerInstance."""

# ---- Rollouts (UpdateEndpoint DeploymentConfig) ---------------------------------------------------------------------
WAIT_INTERVAL_RANGE = (0, 3600)
"""botocore sagemaker: WaitIntervalInSeconds."""
TERMINATION_WAIT_RANGE = (0, 3600)
"""botocore sagemaker: TerminationWaitInSeconds."""
EXECUTION_TIMEOUT_RANGE = (600, 28800)
"""botocore sagemaker: MaximumExecutionTimeoutInSeconds; its documentation: "larger than the total waiting time"."""
CANARY_PERCENT_RANGE = (1, 50)
"""botocore sagemaker TrafficRoutingConfig.CanarySize documentation: at most 50% of the variant's instances."""
LINEAR_STEP_PERCENT_RANGE = (10, 50)
"""botocore sagemaker TrafficRoutingConfig.LinearStepSize documentation: 10-50% of the variant's instances."""
MAX_ROLLBACK_ALARMS = 10
"""botocore sagemaker: AlarmList max 10."""
# What a rollback alarm does (checked): "If any alarms are tripped during a deployment, SageMaker rolls back the
# deployment" (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AutoRollbackConfig.html); CloudFormation
# words it "trigger automatic rollback if they enter the ALARM state during deployment"
# (AWS::SageMaker::InferenceComponent AutoRollbackConfiguration). An alarm in INSUFFICIENT_DATA has not tripped.
# AWS's guardrails sample (aws/amazon-sagemaker-examples, sagemaker-inference-deployment-guardrails/
# Update-SageMaker-Inference-endpoint-using-canary-traffic-shifting.ipynb) creates its alarms with
# TreatMissingData=notBreaching, as ml-serving does, waits 60 s and calls UpdateEndpoint. Not documented anywhere
# read: whether CreateEndpoint / UpdateEndpoint refuse an alarm that is still INSUFFICIENT_DATA.
TRAFFIC_ROUTING_TYPES = {"all_at_once": "ALL_AT_ONCE", "canary": "CANARY", "linear": "LINEAR"}
"""``rollout.strategy`` -> botocore sagemaker enum TrafficRoutingConfigType."""

# ---- IAM: actions granted on "*" ---------------------------------------------------------------------------------
# Service Authorization Reference, "Resource types" column of each action:
# https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
# (ecr: list_amazonelasticcontainerregistry.html, cloudwatch: list_amazoncloudwatch.html, ec2: list_amazonec2.html).
# ecr:GetAuthorizationToken, cloudwatch:PutMetricData and ec2:Describe* list no resource type: only "*" is valid.
# The network-interface actions are what SageMaker needs for VPC placement
# (https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html); the interfaces SageMaker creates have ids
# unknown beforehand, so ml-serving grants them on "*" pinned to the region (components.aws.iam).
NO_RESOURCE_LEVEL_ACTIONS = (
    "ecr:GetAuthorizationToken",
    "cloudwatch:PutMetricData",
    "ec2:Describe*",
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
)
"""IAM actions (``fnmatch`` patterns) that may be granted on ``Resource: "*"``: the policy pack accepts ``*``
for these only."""


# ---- Identifiers a stack file may hold -------------------------------------------------------------------------------
# ECR image URIs: https://docs.aws.amazon.com/AmazonECR/latest/userguide/docker-pull-ecr-image.html
ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/"
    r"(?P<repository>[a-z0-9][a-z0-9._/-]*)(?::(?P<tag>[A-Za-z0-9_.-]+)|@sha256:[0-9a-f]{64})?$"
)
# S3 bucket naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
S3_URI = re.compile(r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(?P<key>.+)$")
INSTANCE_TYPE_SHAPE = re.compile(r"^ml\.[a-z0-9-]+\.[a-z0-9-]+$")
"""The shape of a SageMaker instance type (``ml.FAMILY.SIZE``); the accepted ones are INSTANCE_TYPES."""
# KMS key identifiers: botocore sagemaker KmsKeyId documentation (key id, key ARN, alias name, alias ARN).
KMS_KEY = re.compile(r"^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+|alias/.+|[0-9a-f-]{36})$")
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):key/[A-Za-z0-9-]+$")
"""A KMS key by its key ARN: the only form an IAM policy can grant (aliases and bare ids cannot be scoped:
https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html)."""
KMS_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:kms:(?P<region>[a-z0-9-]+):")
IAM_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")


def ecr_repository(image: str) -> str | None:
    """The repository part of an ECR image URI (``ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG`` -> ``REPO``)."""
    match = ECR_IMAGE.match(image)
    return match.group("repository") if match else None


def ecr_region(image: str) -> str | None:
    """The region of an ECR image URI, None when ``image`` is not one."""
    match = ECR_IMAGE.match(image)
    return match.group("region") if match else None


def kms_region(key: str) -> str | None:
    """The region of a KMS key or alias ARN, None for a bare key id or alias name (they name the caller's region)."""
    match = KMS_ARN_REGION.match(key)
    return match.group("region") if match else None


# ---- Instances -----------------------------------------------------------------------------------------------------
# botocore sagemaker 1.44: enum ProductionVariantInstanceType, by family (sizes in the enum's order).
INSTANCE_SIZES: dict[str, str] = {
    "c4": "large xlarge 2xlarge 4xlarge 8xlarge",
    "c5": "large xlarge 2xlarge 4xlarge 9xlarge 18xlarge",
    "c5d": "large xlarge 2xlarge 4xlarge 9xlarge 18xlarge",
    "c6g": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
    "c6gd": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
    "c6gn": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
    "c6i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge",
    "c6in": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge",
    "c7g": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
    "c7i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
    "c8g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
    "dl1": "24xlarge",
    "g4dn": "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
    "g5": "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
    "g6": "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
    "g6e": "xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
    "g7": "2xlarge 4xlarge 8xlarge 12xlarge 24xlarge 48xlarge",
    "g7e": "2xlarge 4xlarge 8xlarge 12xlarge 24xlarge 48xlarge",
    "inf1": "xlarge 2xlarge 6xlarge 24xlarge",
    "inf2": "xlarge 8xlarge 24xlarge 48xlarge",
    "m4": "xlarge 2xlarge 4xlarge 10xlarge 16xlarge",
    "m5": "large xlarge 2xlarge 4xlarge 12xlarge 24xlarge",
    "m5d": "large xlarge 2xlarge 4xlarge 12xlarge 24xlarge",
    "m6g": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
    "m6gd": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
    "m6i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge",
    "m7i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
    "m8g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
    "p2": "xlarge 8xlarge 16xlarge",
    "p3": "2xlarge 8xlarge 16xlarge",
    "p4d": "24xlarge",
    "p4de": "24xlarge",
    "p5": "48xlarge 4xlarge",
    "p5e": "48xlarge",
    "p5en": "48xlarge",
    "p6-b200": "48xlarge",
    "p6-b300": "48xlarge",
    "p6e-gb200": "36xlarge",
    "r5": "large xlarge 2xlarge 4xlarge 12xlarge 24xlarge",
    "r5d": "large xlarge 2xlarge 4xlarge 12xlarge 24xlarge",
    "r6g": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
    "r6gd": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
    "r6i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge",
    "r7gd": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge",
    "r7i": "large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
    "r8g": "medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge",
    "t2": "medium large xlarge 2xlarge",
    "trn1": "2xlarge 32xlarge",
    "trn1n": "32xlarge",
    "trn2": "48xlarge",
}
INSTANCE_TYPES: frozenset[str] = frozenset(
    f"ml.{family}.{size}" for family, sizes in INSTANCE_SIZES.items() for size in sizes.split()
)
"""Every instance type SageMaker endpoints accept (botocore sagemaker, ProductionVariantInstanceType)."""

LOCAL_NVME_FAMILIES: frozenset[str] = frozenset(
    {
        "c5d", "c6gd", "dl1", "g4dn", "g5", "g6", "g6e", "m5d", "m6gd", "p4d", "p4de", "p5", "p5e", "p5en",
        "p6-b200", "r5d", "r6gd", "r7gd", "trn1", "trn1n", "trn2",
    }
)  # fmt: skip
"""Families whose instances have local NVMe instance storage, encrypted by the instance's hardware: SageMaker
refuses ``KmsKeyId`` on their endpoint configurations (API reference, CreateEndpointConfig KmsKeyId: "You can't
request a KmsKeyId when using an instance type with local storage", https://docs.aws.amazon.com/sagemaker/latest/
APIReference/API_CreateEndpointConfig.html; the families are EC2's instance-store list,
https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-store-volumes.html). Newer families not listed
(g7, g7e, p6-b300, p6e-gb200) are treated as EBS-only until checked."""


def instance_family(instance_type: str) -> str:
    """``ml.g5.2xlarge`` -> ``g5``."""
    parts = instance_type.split(".")
    return parts[1] if len(parts) == 3 else ""


def has_local_nvme(instance_type: str) -> bool:
    """True when the instance type has local NVMe instance storage (KmsKeyId is refused on it)."""
    return instance_family(instance_type) in LOCAL_NVME_FAMILIES


def vcpus_of(instance_type: str) -> int:
    """vCPUs of an instance type from its size (EC2 sizing: ``xlarge`` 4 vCPUs, ``Nxlarge`` 4N, ``large`` and
    ``medium`` 2; https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-type-specifications.html)."""
    size = instance_type.rsplit(".", 1)[-1]
    match = re.fullmatch(r"(\d*)xlarge", size)
    if match:
        return 4 * int(match.group(1) or 1)
    return {"medium": 2, "large": 2}.get(size, 1)
