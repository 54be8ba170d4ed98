"""Vertex AI and Google Cloud facts, each written once with its source.

Plain data and tiny pure helpers; nothing heavy is imported (no Pulumi, no google libraries), so the policy pack's
own virtualenv can import this module. Sources, cited by short names in the comments below:

- ``aiplatform_v1``: the ``google.cloud.aiplatform.v1`` protos as shipped in ``google-cloud-aiplatform``
  (``types/machine_resources.py``, ``endpoint.py``, ``endpoint_service.py``, ``model.py``, ``env_var.py``,
  ``encryption_spec.py``); REST reference https://cloud.google.com/vertex-ai/docs/reference/rest/v1
- ``compute-for-serving``: https://cloud.google.com/vertex-ai/docs/predictions/configure-compute
- ``gpus``: https://cloud.google.com/compute/docs/gpus (which GPU attaches to which machine family)
- ``labels``: https://cloud.google.com/resource-manager/docs/labels-overview#requirements
- ``bucket-names``: https://cloud.google.com/storage/docs/buckets#naming
- ``private-endpoints``: https://cloud.google.com/vertex-ai/docs/predictions/using-private-endpoints
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

# ------------------------------------------------------------------ API host, serving defaults

API_HOST = "{region}-aiplatform.googleapis.com"
"""Regional Vertex AI API host (aiplatform_v1 ``*ServiceClient`` default endpoint per region)."""


def api_host(region: str) -> str:
    """``europe-west4`` -> ``europe-west4-aiplatform.googleapis.com``."""
    return API_HOST.format(region=region)


DEFAULT_MACHINE = "n1-standard-4"
"""Machine of a CPU-only deployment (4 vCPU, 15 GB): the smallest N1 the serving docs list with headroom
(compute-for-serving)."""
DEFAULT_PREDICT_ROUTE = "/predict"
"""Prediction route of the container; Vertex's own default is ``/predict`` too (aiplatform_v1
``ModelContainerSpec.predict_route``; the service sets ``AIP_PREDICT_ROUTE``)."""
DEFAULT_HEALTH_ROUTE = "/health"
"""Health route of the container (aiplatform_v1 ``ModelContainerSpec.health_route``, ``AIP_HEALTH_ROUTE``)."""
DEFAULT_PORT = 8080
"""Container port; Vertex's default when ``ports`` is empty is 8080 (aiplatform_v1 ``ModelContainerSpec.ports``)."""
PORT_RANGE = (1, 65535)
"""Valid container ports (aiplatform_v1 ``Port.container_port``: "a number between 1 and 65535 inclusive")."""

INT32_MAX = 2**31 - 1
"""Upper bound of the int32 fields we send: replica counts, accelerator count, metric target (aiplatform_v1
``DedicatedResources.min_replica_count`` / ``max_replica_count``, ``AutoscalingMetricSpec.target`` are int32)."""

# ------------------------------------------------------------------ autoscaling metrics


@dataclass(frozen=True)
class VertexMetric:
    """An autoscaling metric Vertex AI accepts in ``AutoscalingMetricSpec.metric_name``."""

    metric_name: str
    """Full metric name as sent."""
    unit: str
    """What ``target`` means for this metric."""
    needs_accelerator: bool
    """Only meaningful with GPUs attached."""


METRICS: Mapping[str, VertexMetric] = MappingProxyType(
    {
        # aiplatform_v1 AutoscalingMetricSpec.metric_name: "Supported metrics: For Online Prediction: ..."
        "cpu": VertexMetric("aiplatform.googleapis.com/prediction/online/cpu/utilization", "percent", False),
        "gpu": VertexMetric("aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle", "percent", True),
        "invocations": VertexMetric(
            "aiplatform.googleapis.com/prediction/online/request_count", "requests per minute per replica", False
        ),
    }
)
"""Neutral metric (stack file ``scaling.metric``) -> the Vertex metric it maps to."""

NOT_OFFERED: Mapping[str, str] = MappingProxyType(
    {
        "concurrency": "Vertex AI has no in-flight request metric for autoscaling",
        "backlog": "Vertex AI has no asynchronous endpoint, hence no backlog metric",
    }
)
"""Neutral metrics Vertex does not offer, with the reason (aiplatform_v1 lists only the three of METRICS)."""

DEFAULT_METRIC_TARGET = 60
"""Target Vertex applies to CPU utilization and accelerator duty cycle when none is sent (aiplatform_v1
``DedicatedResources.autoscaling_metric_specs``: "The default target value is 60 for both metrics")."""
# Both exist on purpose: DEFAULT_METRIC_TARGET is Vertex's own default, kept so that reading a deployment that
# came without specs (or a spec with target 0) reports what Vertex applies; DEFAULT_TARGETS is ml-serving's default
# when the stack file gives no ``scaling.target``, always sent explicitly, so Vertex's 60 never applies to what we
# deploy. 70 is the same headroom as on SageMaker (components.facts.aws.SCALING_METRICS); changing it would change
# the target of every live Vertex deployment that relies on the default.
DEFAULT_TARGETS: Mapping[str, float] = MappingProxyType({"cpu": 70.0, "gpu": 70.0})
"""ml-serving's target per neutral metric when ``scaling.target`` is absent (ml-serving's choice, not Vertex's);
a metric not listed needs an explicit target."""


def default_target(metric: str) -> float | None:
    """ml-serving's Vertex target of a neutral metric when the stack file gives none (None: it must give one)."""
    return DEFAULT_TARGETS.get(metric)


MIN_REPLICAS = 1
"""``DedicatedResources.min_replica_count`` must be at least 1 on the v1 API (scale to zero is a v1beta1 preview)
(aiplatform_v1 ``DedicatedResources.min_replica_count``; https://cloud.google.com/vertex-ai/docs/predictions/autoscaling)."""
METRIC_SAMPLE_PERIOD_SECONDS = 60
"""Cloud Monitoring samples the online-prediction metrics (cpu/utilization, accelerator/duty_cycle, request_count)
every 60 s (https://cloud.google.com/monitoring/api/metrics_gcp_a_b, aiplatform section)."""
UTILIZATION_TARGET_RANGE = (1, 100)
"""``AutoscalingMetricSpec.target`` of a utilization metric is a percentage, "1% - 100%" (aiplatform_v1)."""
NEUTRAL_TARGET = 100
"""Target we send for the utilization metric that must not drive scaling: with accelerators Vertex scales up when
*either* CPU or duty cycle exceeds its target and down when *both* are under (aiplatform_v1
``DedicatedResources.autoscaling_metric_specs``); at 100 % the other metric never exceeds its target, so it
never adds replicas and never holds a scale-in back."""


def metric_name(neutral: str) -> str:
    """``"gpu"`` -> ``aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle``."""
    return METRICS[neutral].metric_name


def metric_specs(neutral: str | None, target: int | None, accelerated: bool) -> tuple[tuple[str, int], ...]:
    """The ``(metric_name, target)`` pairs to send so that only ``neutral`` drives scaling.

    Without a metric (no autoscaling) nothing is sent. Otherwise the chosen metric gets ``target`` and each
    utilization metric Vertex would otherwise apply by default (CPU always, duty cycle with accelerators) gets
    :data:`NEUTRAL_TARGET`.
    """
    if neutral is None:
        return ()
    chosen = metric_name(neutral)
    specs = [(chosen, int(target if target is not None else DEFAULT_METRIC_TARGET))]
    implicit = ["cpu", "gpu"] if accelerated else ["cpu"]
    specs += [(metric_name(m), NEUTRAL_TARGET) for m in implicit if metric_name(m) != chosen]
    return tuple(specs)


# ------------------------------------------------------------------ machines and accelerators


@dataclass(frozen=True)
class MachineFamily:
    """What a Compute Engine machine family can carry when serving on Vertex AI."""

    attachable: Mapping[str, tuple[int, ...]]
    """Accelerator enum name -> counts that can be attached to a machine of the family (N1 only)."""
    bundled: Mapping[str, tuple[str, int]]
    """Machine type -> (accelerator enum name, count) it comes with (accelerator-optimized families)."""
    max_vcpus: int | None
    """Largest machine of the family Vertex serving offers, in vCPUs (``None``: not limited by us)."""


def _bundled(accelerator: str, sizes: Mapping[str, int], prefix: str) -> Mapping[str, tuple[str, int]]:
    return MappingProxyType({f"{prefix}{size}": (accelerator, count) for size, count in sizes.items()})


MACHINE_FAMILIES: Mapping[str, MachineFamily] = MappingProxyType(
    {
        # gpus: T4 attaches to N1 with 1, 2 or 4 GPUs, V100 with 1, 2, 4 or 8, P4 with 1, 2 or 4, P100 with 1, 2
        # or 4. compute-for-serving (checked) lists N1 for serving from n1-standard-2 up to n1-standard-32
        # ("n1-standard-32 | 32 | 120"), so 32 vCPUs is the largest; the vCPU ceiling per GPU count that Compute
        # Engine puts on N1 (e.g. 1 V100 with few vCPUs) is not checked here.
        "n1": MachineFamily(
            MappingProxyType(
                {
                    "NVIDIA_TESLA_T4": (1, 2, 4),
                    "NVIDIA_TESLA_V100": (1, 2, 4, 8),
                    "NVIDIA_TESLA_P4": (1, 2, 4),
                    "NVIDIA_TESLA_P100": (1, 2, 4),
                }
            ),
            MappingProxyType({}),
            32,
        ),
        # gpus: G2 comes with L4s: g2-standard-4/8/12/16/32 one, -24 two, -48 four, -96 eight.
        "g2": MachineFamily(
            MappingProxyType({}),
            _bundled(
                "NVIDIA_L4", {"4": 1, "8": 1, "12": 1, "16": 1, "32": 1, "24": 2, "48": 4, "96": 8}, "g2-standard-"
            ),
            None,
        ),
        # gpus: A2 Standard a2-highgpu-1g/2g/4g/8g and a2-megagpu-16g (A100 40GB), A2 Ultra a2-ultragpu-* (80GB).
        "a2": MachineFamily(
            MappingProxyType({}),
            MappingProxyType(
                {
                    **_bundled("NVIDIA_TESLA_A100", {"1g": 1, "2g": 2, "4g": 4, "8g": 8}, "a2-highgpu-"),
                    "a2-megagpu-16g": ("NVIDIA_TESLA_A100", 16),
                    **_bundled("NVIDIA_A100_80GB", {"1g": 1, "2g": 2, "4g": 4, "8g": 8}, "a2-ultragpu-"),
                }
            ),
            None,
        ),
        # gpus: A3 High a3-highgpu-1g/2g/4g/8g (H100 80GB), A3 Mega a3-megagpu-8g, A3 Ultra a3-ultragpu-8g (H200).
        # Serving, checked: Google's xDiT page ("Serving Customizations",
        # https://cloud.google.com/vertex-ai/generative-ai/docs/open-models/xdit) deploys a Vertex endpoint on
        # a3-highgpu-2g with accelerator_count 2 x NVIDIA_H100_80GB; Compute Engine sells A3 High with fewer than
        # 8 GPUs (https://cloud.google.com/compute/docs/gpus/gpudirect). No Vertex document read here lists
        # a3-highgpu-1g / -4g for serving (the stored copy of compute-for-serving ends before its GPU tables).
        # The v1 API takes the bundled count; only v1beta1 MachineSpec lets a replica use part of a3-highgpu-8g.
        "a3": MachineFamily(
            MappingProxyType({}),
            MappingProxyType(
                {
                    **_bundled("NVIDIA_H100_80GB", {"1g": 1, "2g": 2, "4g": 4, "8g": 8}, "a3-highgpu-"),
                    "a3-megagpu-8g": ("NVIDIA_H100_MEGA_80GB", 8),
                    "a3-ultragpu-8g": ("NVIDIA_H200_141GB", 8),
                }
            ),
            None,
        ),
        # gpus: A4 a4-highgpu-8g (B200).
        "a4": MachineFamily(MappingProxyType({}), MappingProxyType({"a4-highgpu-8g": ("NVIDIA_B200", 8)}), None),
        # gpus: G4 g4-standard-48/96/192/384 with 1/2/4/8 RTX PRO 6000 (Compute Engine "accelerator-optimized
        # machines" lists G4 for serving inference; aiplatform_v1 AcceleratorType has NVIDIA_RTX_PRO_6000 = 18).
        # A Vertex document listing G4 for serving was not found: watch the first deployment on it.
        "g4": MachineFamily(
            MappingProxyType({}),
            _bundled("NVIDIA_RTX_PRO_6000", {"48": 1, "96": 2, "192": 4, "384": 8}, "g4-standard-"),
            None,
        ),
        # gpus: E2, N2, N2D, C2, C2D and C3 take no GPU; compute-for-serving lists them for CPU serving.
        **{
            family: MachineFamily(MappingProxyType({}), MappingProxyType({}), None)
            for family in ("e2", "n2", "n2d", "c2", "c2d", "c3")
        },
    }
)
"""Machine family (``g2`` of ``g2-standard-8``) -> the accelerators it can serve with. The one table behind both
the GPU catalog's Vertex machines (a contract test checks the catalog against it) and the config validation."""

_MACHINE_TYPE = re.compile(r"^(?P<family>[a-z][a-z0-9]*)-[a-z]+-(?P<size>[0-9]+)g?$")


def machine_family(machine_type: str) -> str | None:
    """``g2-standard-8`` -> ``g2``; ``None`` when it is not a machine type name."""
    match = _MACHINE_TYPE.match(machine_type)
    return match["family"] if match else None


def machine_vcpus(machine_type: str) -> int | None:
    """vCPUs of a predefined N1/E2/N2/C2 machine type (``n1-standard-64`` -> 64); ``None`` for GPU-sized names."""
    match = _MACHINE_TYPE.match(machine_type)
    if not match or machine_type.endswith("g"):
        return None
    return int(match["size"])


def machine_problem(machine_type: str, accelerator_type: str | None, accelerator_count: int) -> str | None:
    """Why Vertex AI refuses ``machine_type`` with that accelerator, or ``None`` when the combination is offered."""
    family_name = machine_family(machine_type)
    family = MACHINE_FAMILIES.get(family_name or "")
    if family is None:
        known = ", ".join(sorted(MACHINE_FAMILIES))
        return f"'{machine_type}' is not a machine family Vertex AI serves on (families: {known})"
    vcpus = machine_vcpus(machine_type)
    if family.max_vcpus is not None and vcpus is not None and vcpus > family.max_vcpus:
        return f"'{machine_type}' has {vcpus} vCPUs; Vertex AI serves {family_name} machines up to {family.max_vcpus} vCPUs"
    if family.bundled:
        if machine_type not in family.bundled:
            return f"'{machine_type}' is not a {family_name} machine type (known: {', '.join(family.bundled)})"
        bundled, count = family.bundled[machine_type]
        if accelerator_type != bundled or accelerator_count != count:
            return f"'{machine_type}' comes with {count} x {bundled}, not {accelerator_count} x {accelerator_type}"
        return None
    if accelerator_type is None:
        return None
    if accelerator_type not in family.attachable:
        owners = [m for f in MACHINE_FAMILIES.values() for m, (a, _) in f.bundled.items() if a == accelerator_type]
        where = f" (it comes with {', '.join(owners[:3])})" if owners else ""
        return f"{accelerator_type} cannot be attached to {family_name} machines{where}"
    if accelerator_count not in family.attachable[accelerator_type]:
        counts = ", ".join(map(str, family.attachable[accelerator_type]))
        return f"{family_name} machines take {counts} x {accelerator_type}, not {accelerator_count}"
    return None


# ------------------------------------------------------------------ names, labels, env

LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
"""Label key: lowercase letter first, then lowercase letters, digits, ``_`` and ``-``, at most 63 (labels; the
aiplatform_v1 ``Model.labels`` comment allows 64 and international characters: we keep the stricter rule)."""
LABEL_VALUE_CHARACTERS = "a-z0-9_-"
"""The characters of a label value, as a regular-expression class body: lowercase letters, digits, ``_`` and ``-``
(labels)."""
LABEL_VALUE_MAX = 63
"""Label values hold at most 63 characters (labels)."""
LABEL_VALUE = re.compile(rf"^[{LABEL_VALUE_CHARACTERS}]{{0,{LABEL_VALUE_MAX}}}$")
"""Label value: lowercase letters, digits, ``_`` and ``-``, at most 63, may be empty (labels)."""
MAX_LABELS = 64
"""At most 64 labels per resource (labels)."""

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
"""Environment variable name: "Must be a valid C identifier" (aiplatform_v1 ``EnvVar.name``). Values may reference
``$(VAR_NAME)``, which Vertex expands; ``$$(`` escapes it (aiplatform_v1 ``EnvVar.value``)."""
RESERVED_ENV_PREFIX = "AIP_"
"""Vertex sets ``AIP_*`` variables in the container (``AIP_HTTP_PORT``, ``AIP_PREDICT_ROUTE``,
``AIP_STORAGE_URI``...; https://cloud.google.com/vertex-ai/docs/predictions/custom-container-requirements)."""

ENDPOINT_ID = re.compile(r"^(?:[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?|[1-9][0-9]{0,8})$")
"""``CreateEndpointRequest.endpoint_id`` (aiplatform_v1): letter first, up to 63 ``[a-z0-9-]``, last a letter or
digit; or digits only, up to 9, no leading zero."""
AUTONAME_SUFFIX_LENGTH = 8
"""Pulumi auto-names a resource ``{logical name}-{7 random lowercase hex}``: 8 characters added."""


def endpoint_autoname_problem(logical_name: str) -> str | None:
    """Why Pulumi's auto-name of an ``AiEndpoint`` named ``logical_name`` could break the endpoint id rule."""
    sample = f"{logical_name}-abcdef0"
    if not ENDPOINT_ID.match(sample):
        return (
            f"the endpoint id Pulumi derives from '{logical_name}' ('{logical_name}-' + 7 characters) breaks "
            "Vertex's rule: a lowercase letter first, then [a-z0-9-], at most 63 characters"
        )
    return None


DISPLAY_NAME_MAX = 128
"""Display names of endpoints, models and deployed models: up to 128 UTF-8 characters (aiplatform_v1)."""

PRIVATE_NETWORK = re.compile(
    r"^projects/(?P<number>[0-9]+)/global/networks/(?P<name>[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)$"
)
"""``Endpoint.network``: ``projects/{project}/global/networks/{network}`` "where {project} is a project number"
(aiplatform_v1)."""

KMS_KEY = re.compile(
    r"^projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)/keyRings/(?P<ring>[^/]+)/cryptoKeys/(?P<key>[^/]+)$"
)
"""``EncryptionSpec.kms_key_name``; "The key needs to be in the same region as where the compute resource is
created" (aiplatform_v1), so its location must be the deployment's region."""

IMAGE = re.compile(
    r"^(?:[a-z0-9-]+-docker\.pkg\.dev|(?:[a-z]+\.)?gcr\.io)/[a-z0-9][a-z0-9._/-]*(?::[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})?$"
)
"""Serving images Vertex pulls: Artifact Registry (``REGION-docker.pkg.dev``) or Container Registry (``gcr.io``)
(https://cloud.google.com/vertex-ai/docs/predictions/custom-container-requirements#image)."""

GCS_BUCKET = re.compile(r"^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$")
"""Bucket name without dots: 3-63 characters, lowercase letters, digits, ``-``, ``_``, ``.``, letter or digit
first and last (bucket-names; with dots up to 222 characters, each dot-separated part at most 63)."""
GCS_URI = re.compile(r"^gs://(?P<bucket>[a-z0-9][a-z0-9._-]{1,220}[a-z0-9])(?:/(?P<path>.*))?$")
"""A ``gs://BUCKET[/PATH]`` URI (bucket-names)."""
ARTIFACT_FILE_SUFFIXES = (
    ".tar.gz", ".tgz", ".zip", ".pt", ".pth", ".bin", ".onnx", ".pkl", ".joblib", ".h5", ".safetensors", ".pb", ".json"
)  # fmt: skip
"""``Model.artifact_uri`` is "the path to the directory containing the Model artifact" (aiplatform_v1): a URI
ending in one of these is a file, which Vertex cannot load."""


GCS_RESERVED_PREFIX = "goog"
GCS_FORBIDDEN_WORDS = ("google", "g00gle", "googl", "g00gl")
"""Cloud Storage bucket names cannot start with ``goog`` or contain ``google`` or close misspellings such as
``g00gle`` (bucket-names)."""
GCP_REGION = re.compile(r"^[a-z]+-[a-z]+\d{1,2}$")
"""Google Cloud region names such as europe-west4, us-central1 (https://cloud.google.com/compute/docs/regions-zones)."""
GCP_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
"""Project IDs: 6-30 lowercase letters, digits and hyphens, starting with a letter
(https://cloud.google.com/resource-manager/docs/creating-managing-projects)."""


def bucket_name_problem(bucket: str) -> str | None:
    """Why ``bucket`` is not a valid Cloud Storage bucket name (bucket-names), or ``None``."""
    parts = bucket.split(".")
    part = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$")
    if (
        not 3 <= len(bucket) <= 222
        or any(not part.match(p) for p in parts)
        or (len(parts) == 1 and not GCS_BUCKET.match(bucket))
    ):
        return f"'{bucket}' is not a bucket name (3-63 lowercase letters, digits, '-', '_' per dot-separated part)"
    if bucket.startswith(GCS_RESERVED_PREFIX) or any(word in bucket for word in GCS_FORBIDDEN_WORDS):
        return f"'{bucket}' may not start with 'goog' or contain 'google'"
    if re.match(r"^[0-9]+(\.[0-9]+){3}$", bucket):
        return f"'{bucket}' looks like an IP address, which a bucket name may not"
    return None


# ------------------------------------------------------------------ the model-deployment resource

MODEL_DEPLOYMENT_TYPE = "pulumi-python:dynamic/gcp:VertexModelDeployment"
"""Type token of ml-serving's Vertex model-deployment dynamic resource (part of the state contract)."""
MODEL_DEPLOYMENT_REPLACE_KEYS: tuple[str, ...] = (
    "project",
    "region",
    "endpoint",
    "image_uri",
    "artifact_uri",
    "predict_route",
    "health_route",
    "port",
    "env",
    "machine_type",
    "accelerator_type",
    "accelerator_count",
    "service_account",
    "kms_key_name",
)
"""Inputs of that resource whose change replaces it: a model's container, artifacts and encryption and a deployed
model's machine and service account are immutable (aiplatform_v1 ``Model``, ``DeployedModel``; only replica counts
and autoscaling specs can be mutated, ``MutateDeployedModelRequest.update_mask``)."""
MODEL_DEPLOYMENT_OUTPUTS: tuple[str, ...] = (
    "model",
    "model_version_id",
    "deployed_model_id",
    "deployment_key",
    "instance_id",
    "private_predict_uri",
)
"""Outputs that resource computes besides its inputs."""

# ------------------------------------------------------------------ endpoints

UNSUPPORTED_ENDPOINT_COMBINATIONS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        # aiplatform_v1 Endpoint.dedicated_endpoint_enabled exposes a public dedicated DNS name; a peered
        # (private services access) endpoint is reached through the VPC only (private-endpoints).
        ("dedicated_endpoint", "private_network"): "a dedicated endpoint has a public DNS name, a private endpoint "
        "is reached only through its peered VPC; Vertex offers one or the other",
    }
)
"""Pairs of endpoint options Vertex AI does not combine, with the reason."""

PRIVATE_ENDPOINT_ONE_MODEL = True
"""A private (VPC-peered) endpoint serves one deployed model and no traffic split (private-endpoints)."""


def public_predict_url(region: str, endpoint_name: str, dedicated_dns: str | None = None) -> str:
    """``https://{region}-aiplatform.googleapis.com/v1/{endpoint}:predict`` (or the dedicated DNS name)."""
    return f"https://{dedicated_dns or api_host(region)}/v1/{endpoint_name}:predict"


def private_predict_url(endpoint_id: str, deployed_model_id: str) -> str:
    """Predict URL of a model on a private endpoint (private-endpoints; ``PrivateEndpoints.predict_http_uri``)."""
    return f"http://{endpoint_id}.aiplatform.googleapis.com/v1/models/{deployed_model_id}:predict"
