"""`VertexModelDeployment`: a custom-container model uploaded to Vertex AI and deployed to an endpoint.

pulumi-gcp can create a ``vertex.AiEndpoint`` but can neither upload a custom-container model nor deploy
one to an endpoint (``deployed_models`` is output-only; terraform-provider-google #15303 / #25152). This
module closes the gap with a Pulumi dynamic provider built on the official ``google-cloud-aiplatform``
GAPIC clients (through :mod:`components.gcp.vertex_api`). The endpoint is created elsewhere; this resource
receives its full resource name.

Lifecycle
---------
* **create** uploads the model (``ModelService.UploadModel``) with an idempotency label
  ``ml_serving_deployment_key`` and deploys it (``EndpointService.DeployModel``) with all of the endpoint's
  traffic (``{"0": 100}`` plus ``0`` for every model already deployed there). A re-run after a failure
  resumes: an uploaded model carrying the same key is reused and a model already deployed on the endpoint
  is not deployed again.
* **update** (in place) changes replica bounds and the autoscaling metric with
  ``EndpointService.MutateDeployedModel``, and the model's display name / labels with
  ``ModelService.UpdateModel``.
* **replace**: any change of the image, artifacts, routes, port, env, machine, accelerator, service
  account, project, region or endpoint replaces the resource. The provider never asks for delete-before-
  replace, so Pulumi *creates the new deployment first* (upload, deploy beside the old one with 100 % of the
  traffic, the old one kept deployed with 0 %), and only then *deletes the old one* (undeploy, then delete
  its model). Traffic therefore moves in one step from a serving model to a serving model: no downtime.
* **delete** undeploys (handing any traffic the model still had to the other deployed models in
  proportion to their shares) and deletes the model; resources already gone are ignored.
* **read** (``pulumi refresh``) reports the live replica bounds, machine, autoscaling, container and labels
  so drift shows in the next preview, and reports the resource as deleted when the deployed model is gone.

One deployment per endpoint serves traffic: the most recently created deployment on an endpoint takes
100 % of its traffic.

The provider object is serialised into the Pulumi state with ``dill`` and re-created in the
``pulumi-python`` dynamic provider host. Its class is pickled *by reference*, so that host must be able to
import ``components.gcp.model_deployment`` (run Pulumi from the project root, or install the project into the
virtualenv); the provider holds no credentials or clients, only an optional credentials factory.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

import pulumi
import pulumi.dynamic
from google.cloud import aiplatform_v1
from pulumi.runtime import rpc

from .vertex_api import CredentialsFactory, DeploymentContext, VertexApi, VertexApiError, resource_id

DEPLOYMENT_KEY_LABEL = "ml_serving_deployment_key"
"""Label put on every uploaded model; its value is :meth:`DeploymentSpec.deployment_key`.

An underscore key keeps the ``ListModels`` filter ``labels.KEY="VALUE"`` free of quoting questions.
"""

METRIC_NAMES: dict[str, str] = {
    "cpu": "aiplatform.googleapis.com/prediction/online/cpu/utilization",
    "gpu": "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle",
    "invocations": "aiplatform.googleapis.com/prediction/online/request_count",
}
"""Autoscaling metric short names -> Vertex AI metric names."""

DEFAULT_METRIC_TARGET = 60
"""Target Vertex AI applies when an autoscaling metric has none (60 % / 60 requests per minute)."""

REPLACE_KEYS: tuple[str, ...] = (
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
)
"""Inputs whose change replaces the deployment (a model's container and a deployed model's machine are immutable)."""

UPDATE_KEYS: tuple[str, ...] = (
    "display_name",
    "labels",
    "min_replicas",
    "max_replicas",
    "metric",
    "target",
    "api_endpoint",
    "operation_timeout_seconds",
    "poll_interval_seconds",
)
"""Inputs changed in place (``MutateDeployedModel`` / ``UpdateModel``, or provider settings only)."""

COMPUTED_KEYS: tuple[str, ...] = ("model", "model_version_id", "deployed_model_id", "deployment_key")
"""Outputs computed by the provider (in addition to every input, ``endpoint`` included)."""

_LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
_ENDPOINT = re.compile(r"^projects/[^/]+/locations/(?P<region>[^/]+)/endpoints/[^/]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PROVIDER_KEY = "__provider"


@dataclass
class VertexModelDeploymentArgs:
    """Arguments of :class:`VertexModelDeployment` (every field may be a Pulumi ``Input``)."""

    project: pulumi.Input[str]
    """Google Cloud project id the model is uploaded to. Replaces on change."""
    region: pulumi.Input[str]
    """Vertex AI region, e.g. ``us-central1``; must be the endpoint's region. Replaces on change."""
    endpoint: pulumi.Input[str]
    """Full endpoint name ``projects/P/locations/R/endpoints/E`` (``vertex.AiEndpoint.id``). Replaces on change."""
    display_name: pulumi.Input[str]
    """Display name of the model and of the deployed model; updated in place on the model."""
    image_uri: pulumi.Input[str]
    """Serving container image, e.g. ``us-docker.pkg.dev/p/repo/server:1.2``. Replaces on change."""
    machine_type: pulumi.Input[str] = "n1-standard-4"
    """Machine type of each replica. Default ``n1-standard-4``. Replaces on change."""
    artifact_uri: pulumi.Input[str] | None = None
    """``gs://`` directory with model artifacts (``AIP_STORAGE_URI`` in the container), or ``None``. Replaces."""
    predict_route: pulumi.Input[str] = "/predict"
    """HTTP path the container serves predictions on. Default ``/predict``. Replaces on change."""
    health_route: pulumi.Input[str] = "/health"
    """HTTP path of the container's health check. Default ``/health``. Replaces on change."""
    port: pulumi.Input[int] = 8080
    """Port the container listens on. Default ``8080``. Replaces on change."""
    env: pulumi.Input[Mapping[str, pulumi.Input[str]]] = field(default_factory=dict)
    """Environment variables of the container (not for secrets: they are visible on the model). Replaces."""
    labels: pulumi.Input[Mapping[str, pulumi.Input[str]]] = field(default_factory=dict)
    """Labels of the model (GCP label syntax); updated in place. Default none."""
    accelerator_type: pulumi.Input[str] | None = None
    """``aiplatform_v1.AcceleratorType`` name (``NVIDIA_L4``, ``NVIDIA_TESLA_T4``...) or ``None``. Replaces."""
    accelerator_count: pulumi.Input[int] = 0
    """Accelerators per replica; at least 1 when ``accelerator_type`` is set. Default ``0``. Replaces."""
    min_replicas: pulumi.Input[int] = 1
    """Minimum number of replicas (>= 1). Default ``1``; updated in place."""
    max_replicas: pulumi.Input[int] = 1
    """Maximum number of replicas (>= ``min_replicas``). Default ``1``; updated in place."""
    metric: pulumi.Input[str] | None = None
    """Autoscaling metric: ``"cpu"``, ``"gpu"`` (accelerator duty cycle), ``"invocations"`` (requests per
    minute per replica) or ``None`` (Vertex AI's default, CPU at 60 %). Updated in place."""
    target: pulumi.Input[int] | None = None
    """Target of ``metric`` (percent for cpu/gpu, requests per minute for invocations). Default ``60`` when a
    metric is set. Updated in place."""
    service_account: pulumi.Input[str] | None = None
    """Service account e-mail the model runs as, or ``None`` for the Vertex AI default. Replaces on change."""
    api_endpoint: pulumi.Input[str] | None = None
    """API endpoint override (host, or URL with scheme such as ``http://127.0.0.1:8080`` for tests).
    Default ``{region}-aiplatform.googleapis.com``."""
    operation_timeout_seconds: pulumi.Input[float] = 1800.0
    """How long to wait for one long-running operation (upload, deploy, ...). Default 1800 s."""
    poll_interval_seconds: pulumi.Input[float] = 10.0
    """First delay between polls of a long-running operation (grows up to 6x, at most 60 s). Default 10 s."""

    def to_props(self) -> dict[str, Any]:
        """Return the inputs as the property dict of the dynamic resource (keys are the field names)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


INPUT_KEYS: tuple[str, ...] = tuple(f.name for f in fields(VertexModelDeploymentArgs))
"""Every input property, in declaration order."""

_REQUIRED_KEYS = ("project", "region", "endpoint", "display_name", "image_uri", "machine_type")


def _field_defaults() -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for f in fields(VertexModelDeploymentArgs):
        if f.default_factory is not MISSING:
            defaults[f.name] = f.default_factory()
        elif f.default is not MISSING:
            defaults[f.name] = f.default
    return defaults


_DEFAULTS: dict[str, Any] = _field_defaults()
"""Default of every optional input (``VertexModelDeploymentArgs`` field defaults)."""


def _is_unknown(value: Any) -> bool:
    """Whether ``value`` is (or contains) a value unknown during a preview."""
    if isinstance(value, str):
        return value == rpc.UNKNOWN
    if isinstance(value, Mapping):
        return any(_is_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_is_unknown(v) for v in value)
    return False


def _opt_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or float(value) != int(value):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    return int(value)


def _str_map(value: Any, name: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping of strings, got {value!r}")
    return {str(k): str(v) for k, v in value.items()}


def validate_inputs(props: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return ``(property, reason)`` for every invalid input; values unknown in a preview are skipped."""
    failures: list[tuple[str, str]] = []

    def get(key: str) -> Any:
        value = props.get(key)
        return _DEFAULTS.get(key) if value is None else value

    def known(key: str) -> bool:
        return not _is_unknown(props.get(key))

    for key in _REQUIRED_KEYS:
        if known(key) and (not isinstance(get(key), str) or not get(key)):
            failures.append((key, f"{key} is required (a non-empty string)"))
    if known("endpoint") and isinstance(get("endpoint"), str) and get("endpoint"):
        match = _ENDPOINT.match(get("endpoint"))
        if not match:
            failures.append(("endpoint", "endpoint must be a full name projects/P/locations/R/endpoints/E"))
        elif known("region") and get("region") and match["region"] != get("region"):
            failures.append(("endpoint", f"endpoint is in {match['region']}, not in region {get('region')}"))
    ints: dict[str, int] = {}
    for key in ("port", "accelerator_count", "min_replicas", "max_replicas", "target"):
        if known(key) and get(key) is not None:
            try:
                ints[key] = _int(get(key), key)
            except ValueError as err:
                failures.append((key, str(err)))
    if "port" in ints and not 1 <= ints["port"] <= 65535:
        failures.append(("port", "port must be between 1 and 65535"))
    if "min_replicas" in ints and ints["min_replicas"] < 1:
        failures.append(("min_replicas", "min_replicas must be at least 1"))
    if "min_replicas" in ints and "max_replicas" in ints and ints["max_replicas"] < ints["min_replicas"]:
        failures.append(("max_replicas", "max_replicas must be greater than or equal to min_replicas"))
    for key in ("predict_route", "health_route"):
        if known(key) and not str(get(key)).startswith("/"):
            failures.append((key, f"{key} must be an absolute HTTP path starting with '/'"))
    artifact_uri = _opt_str(props.get("artifact_uri"))
    if known("artifact_uri") and artifact_uri is not None and not artifact_uri.startswith("gs://"):
        failures.append(("artifact_uri", "artifact_uri must be a gs:// URI"))
    accelerator = _opt_str(props.get("accelerator_type"))
    if known("accelerator_type") and accelerator is not None:
        members = aiplatform_v1.AcceleratorType.__members__
        if accelerator not in members or accelerator == "ACCELERATOR_TYPE_UNSPECIFIED":
            failures.append(("accelerator_type", f"unknown accelerator type {accelerator!r}"))
        elif ints.get("accelerator_count", 0) < 1 and known("accelerator_count"):
            failures.append(("accelerator_count", "accelerator_count must be at least 1 with an accelerator_type"))
    elif known("accelerator_type") and ints.get("accelerator_count", 0) > 0:
        failures.append(("accelerator_type", "accelerator_type is required when accelerator_count > 0"))
    metric = _opt_str(props.get("metric"))
    if known("metric") and metric is not None:
        if metric not in METRIC_NAMES:
            failures.append(("metric", f"metric must be one of {sorted(METRIC_NAMES)} or None, got {metric!r}"))
        elif metric == "gpu" and known("accelerator_type") and accelerator is None:
            failures.append(("metric", "metric 'gpu' needs an accelerator_type"))
        target = ints.get("target")
        if target is not None and metric in ("cpu", "gpu") and not 1 <= target <= 100:
            failures.append(("target", "target of a cpu/gpu metric is a percentage between 1 and 100"))
        if target is not None and target < 1:
            failures.append(("target", "target must be at least 1"))
    elif known("metric") and known("target") and props.get("target") is not None:
        failures.append(("target", "target needs a metric"))
    for key in ("env", "labels"):
        value = props.get(key)
        if known(key) and value is not None and not isinstance(value, Mapping):
            failures.append((key, f"{key} must be a mapping of strings"))
    env = props.get("env")
    if isinstance(env, Mapping):
        for name in env:
            if not _ENV_NAME.match(str(name)):
                failures.append(("env", f"invalid environment variable name {name!r}"))
    labels = props.get("labels")
    if isinstance(labels, Mapping):
        for key, value in labels.items():
            if key == DEPLOYMENT_KEY_LABEL:
                failures.append(("labels", f"the label {DEPLOYMENT_KEY_LABEL} is reserved for the provider"))
            elif not _LABEL_KEY.match(str(key)):
                failures.append(("labels", f"invalid label key {key!r} (lowercase letters, digits, _ and -)"))
            elif not _is_unknown(value) and not _LABEL_VALUE.match(str(value)):
                failures.append(("labels", f"invalid label value {value!r} for {key!r}"))
    for key in ("operation_timeout_seconds", "poll_interval_seconds"):
        value = get(key)
        if known(key) and (isinstance(value, bool) or not isinstance(value, int | float) or value <= 0):
            failures.append((key, f"{key} must be a positive number"))
    return failures


@dataclass(frozen=True)
class DeploymentSpec:
    """The resolved inputs of one deployment (plain values, defaults applied, numbers as ``int``)."""

    project: str
    """Project id."""
    region: str
    """Vertex AI region."""
    endpoint: str
    """Full endpoint resource name."""
    display_name: str
    """Display name of the model and deployed model."""
    image_uri: str
    """Serving container image."""
    machine_type: str
    """Machine type of each replica."""
    artifact_uri: str | None
    """``gs://`` artifact directory or ``None``."""
    predict_route: str
    """Prediction HTTP path."""
    health_route: str
    """Health check HTTP path."""
    port: int
    """Container port."""
    env: dict[str, str]
    """Container environment."""
    labels: dict[str, str]
    """User labels of the model (without the provider's key label)."""
    accelerator_type: str | None
    """Accelerator enum name or ``None``."""
    accelerator_count: int
    """Accelerators per replica (0 without accelerator)."""
    min_replicas: int
    """Minimum replicas."""
    max_replicas: int
    """Maximum replicas."""
    metric: str | None
    """Autoscaling metric short name or ``None``."""
    target: int | None
    """Autoscaling target or ``None`` (no metric)."""
    service_account: str | None
    """Service account e-mail or ``None``."""
    api_endpoint: str | None
    """API endpoint override or ``None``."""
    operation_timeout_seconds: float
    """Operation timeout."""
    poll_interval_seconds: float
    """First operation poll interval."""

    @classmethod
    def from_props(cls, props: Mapping[str, Any], *, strict: bool = True) -> DeploymentSpec:
        """Resolve a property dict (inputs or outputs).

        With ``strict`` (new inputs) invalid inputs raise ``ValueError``; without it (prior state, which may
        hold live values read back from Vertex AI such as a metric this component does not manage) only
        the types are converted.
        """
        failures = validate_inputs(props) if strict else []
        if failures:
            raise ValueError("invalid VertexModelDeployment inputs: " + "; ".join(r for _, r in failures))

        def get(key: str) -> Any:
            value = props.get(key)
            return _DEFAULTS.get(key) if value is None else value

        accelerator = _opt_str(props.get("accelerator_type"))
        metric = _opt_str(props.get("metric"))
        target = props.get("target")
        return cls(
            project=str(props["project"]),
            region=str(props["region"]),
            endpoint=str(props["endpoint"]),
            display_name=str(props["display_name"]),
            image_uri=str(props["image_uri"]),
            machine_type=str(get("machine_type")),
            artifact_uri=_opt_str(props.get("artifact_uri")),
            predict_route=str(get("predict_route")),
            health_route=str(get("health_route")),
            port=_int(get("port"), "port"),
            env=_str_map(props.get("env"), "env"),
            labels=_str_map(props.get("labels"), "labels"),
            accelerator_type=accelerator,
            accelerator_count=_int(get("accelerator_count"), "accelerator_count") if accelerator else 0,
            min_replicas=_int(get("min_replicas"), "min_replicas"),
            max_replicas=_int(get("max_replicas"), "max_replicas"),
            metric=metric,
            target=(_int(target, "target") if target is not None else DEFAULT_METRIC_TARGET) if metric else None,
            service_account=_opt_str(props.get("service_account")),
            api_endpoint=_opt_str(props.get("api_endpoint")),
            operation_timeout_seconds=float(get("operation_timeout_seconds")),
            poll_interval_seconds=float(get("poll_interval_seconds")),
        )

    def to_props(self) -> dict[str, Any]:
        """Return the inputs as a property dict (the ``inputs`` part of the outputs)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def deployment_key(self) -> str:
        """Idempotency key: a hash of the identity of the deployment (replace-triggering inputs + display name).

        A re-run of a failed create with the same inputs computes the same key and finds the model it
        uploaded; any replacement changes at least one hashed input, so a replacement never reuses the model
        of the deployment it replaces.
        """
        identity = {key: getattr(self, key) for key in (*REPLACE_KEYS, "display_name")}
        text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:40]

    def context(self) -> DeploymentContext:
        """What error messages say about this deployment."""
        return DeploymentContext(
            display_name=self.display_name,
            project=self.project,
            region=self.region,
            endpoint=self.endpoint,
            image_uri=self.image_uri,
            machine_type=self.machine_type,
            accelerator_type=self.accelerator_type,
            accelerator_count=self.accelerator_count,
            max_replicas=self.max_replicas,
            service_account=self.service_account,
        )

    def model(self, key: str) -> aiplatform_v1.Model:
        """The ``Model`` to upload, labelled with ``key``."""
        return aiplatform_v1.Model(
            display_name=self.display_name,
            artifact_uri=self.artifact_uri or "",
            labels={**self.labels, DEPLOYMENT_KEY_LABEL: key},
            container_spec=aiplatform_v1.ModelContainerSpec(
                image_uri=self.image_uri,
                predict_route=self.predict_route,
                health_route=self.health_route,
                ports=[aiplatform_v1.Port(container_port=self.port)],
                env=[aiplatform_v1.EnvVar(name=k, value=v) for k, v in sorted(self.env.items())],
            ),
        )

    def autoscaling_metric_specs(self) -> list[aiplatform_v1.AutoscalingMetricSpec]:
        """The autoscaling metric specs (empty without a metric)."""
        if self.metric is None:
            return []
        return [aiplatform_v1.AutoscalingMetricSpec(metric_name=METRIC_NAMES[self.metric], target=self.target)]

    def dedicated_resources(self) -> aiplatform_v1.DedicatedResources:
        """Machine, replica bounds and autoscaling of the deployed model."""
        machine = aiplatform_v1.MachineSpec(machine_type=self.machine_type)
        if self.accelerator_type:
            machine.accelerator_type = aiplatform_v1.AcceleratorType.__members__[self.accelerator_type]
            machine.accelerator_count = self.accelerator_count
        return aiplatform_v1.DedicatedResources(
            machine_spec=machine,
            min_replica_count=self.min_replicas,
            max_replica_count=self.max_replicas,
            autoscaling_metric_specs=self.autoscaling_metric_specs(),
        )

    def deployed_model(self, model: str) -> aiplatform_v1.DeployedModel:
        """The ``DeployedModel`` to create for ``model``."""
        return aiplatform_v1.DeployedModel(
            model=model,
            display_name=self.display_name,
            dedicated_resources=self.dedicated_resources(),
            service_account=self.service_account or "",
        )


def traffic_split_for_new_model(endpoint: aiplatform_v1.Endpoint) -> dict[str, int]:
    """Traffic split of a deploy: 100 to the new model (``"0"``), 0 to every model already deployed.

    The old models stay deployed (Pulumi deletes a replaced deployment only after its replacement is
    created), so traffic moves in one step and nothing is left without a serving model.
    """
    split = {str(deployed.id): 0 for deployed in endpoint.deployed_models}
    split["0"] = 100
    return split


def traffic_split_after_undeploy(
    current: Mapping[str, int], removed: str, remaining: Sequence[str]
) -> dict[str, int] | None:
    """Traffic split to send with an undeploy of ``removed``, or ``None`` to send none.

    Vertex AI undeploys a model only if it has no traffic or the request's split unassigns it; the split
    must add up to 100, except when the last model goes (the endpoint's split then becomes empty). The
    removed model's share goes to the ``remaining`` models in proportion to their current shares (evenly
    when they all have 0), rounded with the largest-remainder method.
    """
    if not int(current.get(removed, 0)) or not remaining:
        return None
    shares = {rid: int(current.get(rid, 0)) for rid in remaining}
    total = sum(shares.values())
    weights = shares if total else dict.fromkeys(remaining, 1)
    weight_sum = sum(weights.values())
    exact = {rid: 100 * w / weight_sum for rid, w in weights.items()}
    split = {rid: int(value) for rid, value in exact.items()}
    leftover = 100 - sum(split.values())
    for rid in sorted(remaining, key=lambda r: (split[r] - exact[r], r))[:leftover]:
        split[rid] += 1
    return split


def _accelerator_name(machine: aiplatform_v1.MachineSpec) -> str | None:
    value = int(machine.accelerator_type)
    if not value:
        return None
    try:
        return str(aiplatform_v1.AcceleratorType(value).name)
    except ValueError:  # an accelerator newer than this client library
        return str(value)


def _metric_from_specs(specs: Sequence[aiplatform_v1.AutoscalingMetricSpec]) -> tuple[str | None, int | None]:
    if not specs:
        return None, None
    names = {v: k for k, v in METRIC_NAMES.items()}
    spec = specs[0]
    return names.get(spec.metric_name, spec.metric_name), int(spec.target) or DEFAULT_METRIC_TARGET


def _find_deployed(
    endpoint: aiplatform_v1.Endpoint, *, deployed_model_id: str | None = None, model: str | None = None
) -> aiplatform_v1.DeployedModel | None:
    for deployed in endpoint.deployed_models:
        if deployed_model_id is not None and deployed.id == deployed_model_id:
            return deployed
        if model is not None and resource_id(deployed.model) == resource_id(model):
            return deployed
    return None


class VertexModelDeploymentProvider(pulumi.dynamic.ResourceProvider):
    """Dynamic provider behind :class:`VertexModelDeployment` (see the module docstring for the lifecycle).

    Picklable by ``pulumi.dynamic``: it holds nothing but an optional credentials factory; clients are
    built per call inside the provider host.
    """

    def __init__(self, credentials: CredentialsFactory | None = None) -> None:
        """``credentials``: factory returning credentials; ``None`` uses Application Default Credentials.

        The factory is pickled with the provider, so pass a module-level callable (e.g.
        ``google.auth.credentials.AnonymousCredentials`` in tests), never a credentials object.
        """
        super().__init__()
        self.credentials = credentials
        """Credentials factory (``None``: ``google.auth.default()``)."""

    def _api(self, spec: DeploymentSpec) -> VertexApi:
        return VertexApi(
            context=spec.context(),
            api_endpoint=spec.api_endpoint,
            credentials=self.credentials,
            operation_timeout_seconds=spec.operation_timeout_seconds,
            poll_interval_seconds=spec.poll_interval_seconds,
        )

    @staticmethod
    def _require_endpoint(api: VertexApi, spec: DeploymentSpec) -> aiplatform_v1.Endpoint:
        endpoint = api.get_endpoint(spec.endpoint)
        if endpoint is None:
            raise VertexApiError(
                f"Vertex AI deployment '{spec.display_name}': endpoint {spec.endpoint} does not exist in "
                f"project {spec.project}, region {spec.region}. Create it first (vertex.AiEndpoint) and pass "
                "its id as `endpoint`.",
                deployment=spec.display_name,
                action=f"reading endpoint {spec.endpoint}",
                reason="not_found",
            )
        return endpoint

    # ------------------------------------------------------------------ check / diff

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.CheckResult:
        """Validate the inputs and fill in defaults (numbers normalised to ``int``)."""
        inputs = _canonical_inputs(news)
        if _PROVIDER_KEY in news:
            inputs[_PROVIDER_KEY] = news[_PROVIDER_KEY]
        failures = [pulumi.dynamic.CheckFailure(prop, reason) for prop, reason in validate_inputs(inputs)]
        return pulumi.dynamic.CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        """Classify changes: :data:`REPLACE_KEYS` replace (create-before-delete), the rest update in place."""
        replaces: list[str] = []
        changed = False
        olds, news = _canonical_inputs(olds), _canonical_inputs(news)
        for key in INPUT_KEYS:
            new = news.get(key)
            if _is_unknown(new) or _normalised(olds.get(key)) != _normalised(new):
                changed = True
                if key in REPLACE_KEYS:
                    replaces.append(key)
        return pulumi.dynamic.DiffResult(changes=changed, replaces=replaces, delete_before_replace=False)

    # ------------------------------------------------------------------ create

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        """Upload the model (unless a labelled one exists) and deploy it with 100 % of the endpoint's traffic.

        Resumable: a model uploaded by a previous failed attempt (same :meth:`DeploymentSpec.deployment_key`)
        is reused, and a model already deployed on the endpoint is not deployed again. Other models deployed
        on the endpoint keep running with 0 % traffic until their own deletion (replacement order).
        """
        spec = DeploymentSpec.from_props(props)
        api = self._api(spec)
        key = spec.deployment_key()
        endpoint = self._require_endpoint(api, spec)
        existing = api.find_models_by_label(DEPLOYMENT_KEY_LABEL, key)
        reused = next(
            (m for m in existing if _find_deployed(endpoint, model=m.name) is not None),
            existing[0] if existing else None,
        )
        if reused is not None:
            model, version = str(reused.name), str(reused.version_id)
        else:
            model, version = api.upload_model(spec.model(key))
            # An upload takes minutes: read the endpoint again so the traffic split names its current models.
            endpoint = self._require_endpoint(api, spec)
        deployed = _find_deployed(endpoint, model=model)
        if deployed is None:
            try:
                deployed = api.deploy_model(
                    spec.endpoint, spec.deployed_model(model), traffic_split_for_new_model(endpoint)
                )
            except VertexApiError as err:
                raise err.with_note(
                    f"The uploaded model {model} (label {DEPLOYMENT_KEY_LABEL}={key}) is kept: re-running "
                    "`pulumi up` resumes at the deploy step without uploading it again."
                ) from err.__cause__
        outs = {
            **spec.to_props(),
            "model": model,
            "model_version_id": str(deployed.model_version_id or version),
            "deployed_model_id": str(deployed.id),
            "deployment_key": key,
        }
        return pulumi.dynamic.CreateResult(f"{spec.endpoint}/deployedModels/{deployed.id}", outs)

    # ------------------------------------------------------------------ update

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        """Mutate replica bounds / autoscaling and update the model's display name / labels in place."""
        old = DeploymentSpec.from_props(olds, strict=False)
        new = DeploymentSpec.from_props(news)
        api = self._api(new)
        key = str(olds.get("deployment_key") or old.deployment_key())
        model = str(olds["model"])
        deployed_model_id = str(olds["deployed_model_id"])
        paths: list[str] = []
        if old.min_replicas != new.min_replicas:
            paths.append("dedicated_resources.min_replica_count")
        if old.max_replicas != new.max_replicas:
            paths.append("dedicated_resources.max_replica_count")
        if (old.metric, old.target) != (new.metric, new.target):
            paths.append("dedicated_resources.autoscaling_metric_specs")
        if paths:
            resources = aiplatform_v1.DedicatedResources(
                min_replica_count=new.min_replicas,
                max_replica_count=new.max_replicas,
                autoscaling_metric_specs=new.autoscaling_metric_specs(),
            )
            api.mutate_deployed_model(
                new.endpoint,
                aiplatform_v1.DeployedModel(id=deployed_model_id, dedicated_resources=resources),
                paths,
            )
        model_paths = [
            p
            for p, changed in (
                ("display_name", old.display_name != new.display_name),
                ("labels", old.labels != new.labels),
            )
            if changed
        ]
        if model_paths:
            api.update_model(
                aiplatform_v1.Model(
                    name=model,
                    display_name=new.display_name,
                    labels={**new.labels, DEPLOYMENT_KEY_LABEL: key},
                ),
                model_paths,
            )
        outs = {
            **new.to_props(),
            "model": model,
            "model_version_id": str(olds.get("model_version_id") or ""),
            "deployed_model_id": deployed_model_id,
            "deployment_key": key,
        }
        return pulumi.dynamic.UpdateResult(outs)

    # ------------------------------------------------------------------ delete

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Undeploy (handing its traffic to the other deployed models), then delete the model.

        Run after the replacement was created, so the endpoint keeps serving. Already-gone resources are
        not errors.
        """
        spec = DeploymentSpec.from_props(props, strict=False)
        api = self._api(spec)
        deployed_model_id = str(props.get("deployed_model_id") or _id.rsplit("/", 1)[-1])
        endpoint = api.get_endpoint(spec.endpoint)
        if endpoint is not None and _find_deployed(endpoint, deployed_model_id=deployed_model_id) is not None:
            remaining = [str(d.id) for d in endpoint.deployed_models if d.id != deployed_model_id]
            split = traffic_split_after_undeploy(dict(endpoint.traffic_split), deployed_model_id, remaining)
            api.undeploy_model(spec.endpoint, deployed_model_id, split)
        model = props.get("model")
        if model:
            api.delete_model(str(model))

    # ------------------------------------------------------------------ read

    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        """Report the live state; an empty id when the deployed model (or its endpoint) is gone."""
        spec = DeploymentSpec.from_props(props, strict=False)
        api = self._api(spec)
        deployed_model_id = str(props.get("deployed_model_id") or id_.rsplit("/", 1)[-1])
        endpoint = api.get_endpoint(spec.endpoint)
        deployed = _find_deployed(endpoint, deployed_model_id=deployed_model_id) if endpoint is not None else None
        model = api.get_model(str(props.get("model") or deployed.model)) if deployed is not None else None
        if deployed is None or model is None:
            return pulumi.dynamic.ReadResult("", {})
        resources = deployed.dedicated_resources
        container = model.container_spec
        metric, target = _metric_from_specs(list(resources.autoscaling_metric_specs))
        accelerator = _accelerator_name(resources.machine_spec)
        labels = {k: v for k, v in model.labels.items() if k != DEPLOYMENT_KEY_LABEL}
        outs = {key: value for key, value in props.items() if key != _PROVIDER_KEY}
        outs.update(
            display_name=model.display_name,
            labels=labels,
            image_uri=container.image_uri,
            artifact_uri=model.artifact_uri or None,
            predict_route=container.predict_route,
            health_route=container.health_route,
            port=int(container.ports[0].container_port) if container.ports else 8080,
            env={e.name: e.value for e in container.env},
            machine_type=resources.machine_spec.machine_type,
            accelerator_type=accelerator,
            accelerator_count=int(resources.machine_spec.accelerator_count) if accelerator else 0,
            min_replicas=int(resources.min_replica_count),
            max_replicas=int(resources.max_replica_count) or int(resources.min_replica_count),
            metric=metric,
            target=target,
            service_account=deployed.service_account or None,
            model=str(props.get("model") or deployed.model),
            model_version_id=str(deployed.model_version_id or model.version_id),
            deployed_model_id=str(deployed.id),
            deployment_key=model.labels.get(DEPLOYMENT_KEY_LABEL, props.get("deployment_key")),
        )
        return pulumi.dynamic.ReadResult(id_, outs)


def _canonical_inputs(props: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs of ``props`` with defaults applied (what :meth:`VertexModelDeploymentProvider.check` returns).

    Missing / ``None`` values take their default, ``""`` in optional strings becomes ``None``, whole floats
    (Pulumi sends numbers as floats) become ``int``, ``target`` defaults to 60 when a metric is set, and
    ``accelerator_count`` is 0 without an accelerator. Unknown preview values are kept as they are.
    """
    inputs = {key: props[key] for key in INPUT_KEYS if key in props}
    for key, default in _DEFAULTS.items():
        if inputs.get(key) is None:
            inputs[key] = dict(default) if isinstance(default, dict) else default
    for key in ("artifact_uri", "accelerator_type", "metric", "service_account", "api_endpoint"):
        if inputs.get(key) == "":
            inputs[key] = None
    for key in ("port", "accelerator_count", "min_replicas", "max_replicas", "target"):
        value = inputs.get(key)
        if isinstance(value, float) and value.is_integer():
            inputs[key] = int(value)
    if inputs.get("metric") is not None and inputs.get("target") is None:
        inputs["target"] = DEFAULT_METRIC_TARGET
    if inputs.get("accelerator_type") is None and inputs.get("accelerator_count") in (0, None):
        inputs["accelerator_count"] = 0
    return inputs


def _normalised(value: Any) -> Any:
    """Comparable form of a canonical input value (mappings as ``str -> str``, numbers as ``float``)."""
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


class VertexModelDeployment(pulumi.dynamic.Resource, module="gcp", name="VertexModelDeployment"):
    """A custom-container model uploaded to Vertex AI and deployed to an existing endpoint.

    Type token ``pulumi-python:dynamic/gcp:VertexModelDeployment``. Changes of the container, machine,
    service account or location replace it without downtime (the new deployment is created and takes the
    traffic before the old one is undeployed and deleted); replica bounds, autoscaling, display name and
    labels are updated in place. See :mod:`components.gcp.model_deployment`.
    """

    model: pulumi.Output[str]
    """Model resource name (``projects/NUMBER/locations/REGION/models/ID``)."""
    model_version_id: pulumi.Output[str]
    """Version id of the model."""
    deployed_model_id: pulumi.Output[str]
    """Id of the deployed model on the endpoint."""
    endpoint: pulumi.Output[str]
    """Endpoint resource name."""
    deployment_key: pulumi.Output[str]
    """Idempotency key (value of the ``ml_serving_deployment_key`` label on the model)."""

    def __init__(
        self,
        resource_name: str,
        args: VertexModelDeploymentArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        provider: VertexModelDeploymentProvider | None = None,
    ) -> None:
        """Register the deployment; ``provider`` defaults to one using Application Default Credentials."""
        props = args.to_props()
        props.update(dict.fromkeys(COMPUTED_KEYS))
        super().__init__(provider or VertexModelDeploymentProvider(), resource_name, props, opts)
