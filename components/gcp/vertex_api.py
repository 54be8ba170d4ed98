"""Thin, typed wrapper around the Vertex AI v1 GAPIC clients used by the model deployment provider.

:class:`VertexApi` builds ``google.cloud.aiplatform_v1.ModelServiceClient`` and ``EndpointServiceClient`` with
the REST transport against the regional API endpoint (``{region}-aiplatform.googleapis.com``, or an override
such as ``http://127.0.0.1:PORT`` for tests), waits for long-running operations with a bounded timeout, and
turns every failure (``google.api_core`` exceptions from calls and from operations, operation timeouts,
missing credentials, unreachable endpoints) into one :class:`VertexApiError` whose message names the
deployment and says what to do about it.

The wrapper is deliberately small: it exposes exactly the calls the provider in
:mod:`components.gcp.model_deployment` needs and keeps no state other than lazily built clients.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, TypeVar

import google.auth
import requests
from google.api_core import exceptions as gexc
from google.api_core import retry as gretry
from google.api_core.client_options import ClientOptions
from google.api_core.future import polling
from google.auth import exceptions as auth_exceptions
from google.auth.credentials import Credentials
from google.cloud import aiplatform_v1
from google.protobuf import field_mask_pb2

CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
"""OAuth scope requested for Application Default Credentials."""

CredentialsFactory = Callable[[], Credentials]
"""A zero-argument callable returning credentials (e.g. ``google.auth.credentials.AnonymousCredentials``)."""

ErrorReason = Literal[
    "permission_denied",
    "quota_exceeded",
    "invalid_argument",
    "failed_precondition",
    "not_found",
    "timeout",
    "unauthenticated",
    "unavailable",
    "operation_failed",
    "unknown",
]
"""Classification of a :class:`VertexApiError` (stable, meant for callers and tests)."""

_POLL_RPC_RETRY_PREDICATE = gretry.if_exception_type(
    gexc.TooManyRequests, gexc.InternalServerError, gexc.BadGateway, gexc.ServiceUnavailable
)


def default_api_endpoint(region: str) -> str:
    """Return the regional Vertex AI API host, ``{region}-aiplatform.googleapis.com``."""
    return f"{region}-aiplatform.googleapis.com"


def resource_id(name: str) -> str:
    """Return the last segment of a resource name (``projects/p/locations/r/models/123`` -> ``123``)."""
    return name.rstrip("/").rsplit("/", 1)[-1].split("@", 1)[0]


_T = TypeVar("_T")


@dataclass(frozen=True)
class DeploymentContext:
    """What error messages tell about the deployment a call was made for."""

    display_name: str
    """Display name of the deployment; every error message starts with it."""
    project: str
    """Project id (used in permission hints)."""
    region: str
    """Vertex AI region (used in quota hints)."""
    endpoint: str = ""
    """Full endpoint resource name, when known."""
    image_uri: str = ""
    """Serving container image (used in invalid-argument hints)."""
    machine_type: str = ""
    """Machine type of the replicas (used in quota hints)."""
    accelerator_type: str | None = None
    """Accelerator enum name, or ``None`` for CPU-only replicas."""
    accelerator_count: int = 0
    """Accelerators per replica."""
    max_replicas: int = 1
    """Upper replica bound (quota is consumed up to this many replicas)."""
    service_account: str | None = None
    """Service account the model runs as, or ``None`` for the Vertex AI default."""


class VertexApiError(RuntimeError):
    """A Vertex AI call or operation failed; the message names the deployment and the remedy.

    The original ``google.api_core`` (or ``google.auth`` / ``requests``) exception is the ``__cause__``.
    """

    def __init__(
        self,
        message: str,
        *,
        deployment: str,
        action: str,
        reason: ErrorReason,
        operation: str | None = None,
        http_status: int | None = None,
    ) -> None:
        """Create the error; keyword arguments are kept as attributes of the same name."""
        super().__init__(message)
        self.deployment = deployment
        """Display name of the deployment."""
        self.action = action
        """What was being done (``"deploying the model to ..."``)."""
        self.reason = reason
        """Stable classification of the failure."""
        self.operation = operation
        """Name of the long-running operation involved, if any."""
        self.http_status = http_status
        """HTTP status (or the HTTP equivalent of the operation's status), if any."""

    def with_note(self, note: str) -> VertexApiError:
        """Return a copy of this error with ``note`` appended to the message."""
        return VertexApiError(
            f"{self} {note}",
            deployment=self.deployment,
            action=self.action,
            reason=self.reason,
            operation=self.operation,
            http_status=self.http_status,
        )


class UploadedModel(NamedTuple):
    """Result of a finished model upload."""

    model: str
    """Model resource name (``projects/NUMBER/locations/REGION/models/ID``)."""
    model_version_id: str
    """Version id of the uploaded model (``"1"`` for a new model)."""


def _status_name(exc: gexc.GoogleAPICallError) -> str:
    """google.rpc status name of an error: from the gRPC code, else from the REST error body."""
    if exc.grpc_status_code is not None:
        return str(exc.grpc_status_code.name)
    response = exc.response
    if isinstance(response, requests.Response):
        try:
            payload = response.json()
        except ValueError:
            return ""
        if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
            return str(payload["error"].get("status", ""))
    return ""


def _classify(exc: BaseException) -> ErrorReason:
    """Map an exception to an :data:`ErrorReason`."""
    if isinstance(exc, TimeoutError | concurrent.futures.TimeoutError | gexc.GatewayTimeout | gexc.RetryError):
        return "timeout"
    if isinstance(exc, auth_exceptions.DefaultCredentialsError | auth_exceptions.RefreshError):
        return "unauthenticated"
    if isinstance(exc, requests.exceptions.RequestException | auth_exceptions.TransportError):
        return "unavailable"
    if not isinstance(exc, gexc.GoogleAPICallError):
        return "unknown"
    if isinstance(exc, gexc.Forbidden):
        return "permission_denied"
    if isinstance(exc, gexc.TooManyRequests):
        return "quota_exceeded"
    if isinstance(exc, gexc.NotFound):
        return "not_found"
    if isinstance(exc, gexc.Unauthorized):
        return "unauthenticated"
    if isinstance(exc, gexc.BadRequest):
        status = _status_name(exc)
        if status == "FAILED_PRECONDITION" or isinstance(exc, gexc.FailedPrecondition):
            return "failed_precondition"
        return "invalid_argument"
    if isinstance(exc, gexc.ServiceUnavailable | gexc.BadGateway):
        return "unavailable"
    return "unknown"


class VertexApi:
    """The Vertex AI calls the model deployment provider makes, with errors translated.

    Clients are created on first use with ``transport="rest"``. ``api_endpoint`` defaults to
    ``{region}-aiplatform.googleapis.com``; an override may carry a scheme (``http://127.0.0.1:8080``),
    which the REST transport honours. Credentials come from ``credentials`` (a factory), else from
    Application Default Credentials (``google.auth.default``).
    """

    def __init__(
        self,
        *,
        context: DeploymentContext,
        api_endpoint: str | None = None,
        credentials: CredentialsFactory | None = None,
        operation_timeout_seconds: float = 1800.0,
        poll_interval_seconds: float = 10.0,
        rpc_timeout_seconds: float = 120.0,
    ) -> None:
        """Configure the wrapper; nothing is contacted until the first call."""
        self.context = context
        """Deployment the calls are made for (used in error messages)."""
        self.api_endpoint = api_endpoint or default_api_endpoint(context.region)
        """Host (or URL) the clients talk to."""
        self.operation_timeout_seconds = float(operation_timeout_seconds)
        """How long to wait for one long-running operation."""
        self.poll_interval_seconds = float(poll_interval_seconds)
        """First delay between operation polls (grows by 1.5x up to 6x this value, at most 60 s)."""
        self.rpc_timeout_seconds = float(rpc_timeout_seconds)
        """Timeout of one HTTP call."""
        self._credentials_factory = credentials
        self._models: aiplatform_v1.ModelServiceClient | None = None
        self._endpoints: aiplatform_v1.EndpointServiceClient | None = None

    # ------------------------------------------------------------------ plumbing

    @property
    def location(self) -> str:
        """``projects/{project}/locations/{region}``."""
        return f"projects/{self.context.project}/locations/{self.context.region}"

    def _credentials(self) -> Credentials:
        if self._credentials_factory is not None:
            return self._credentials_factory()
        with self._translate("loading Application Default Credentials"):
            credentials, _ = google.auth.default(scopes=[CLOUD_PLATFORM_SCOPE])
        return credentials

    def _client_options(self) -> ClientOptions:
        return ClientOptions(api_endpoint=self.api_endpoint)

    @property
    def models(self) -> aiplatform_v1.ModelServiceClient:
        """The ModelService client (created on first use)."""
        if self._models is None:
            self._models = aiplatform_v1.ModelServiceClient(
                credentials=self._credentials(), transport="rest", client_options=self._client_options()
            )
        return self._models

    @property
    def endpoints(self) -> aiplatform_v1.EndpointServiceClient:
        """The EndpointService client (created on first use)."""
        if self._endpoints is None:
            self._endpoints = aiplatform_v1.EndpointServiceClient(
                credentials=self._credentials(), transport="rest", client_options=self._client_options()
            )
        return self._endpoints

    def _polling(self) -> gretry.Retry:
        first = self.poll_interval_seconds
        return polling.DEFAULT_POLLING.with_delay(
            initial=first, maximum=max(first, min(first * 6, 60.0)), multiplier=1.5
        )

    def _poll_rpc_retry(self) -> gretry.Retry:
        """Retry of a single poll request on transient errors (429 / 5xx)."""
        first = self.poll_interval_seconds
        return gretry.Retry(
            predicate=_POLL_RPC_RETRY_PREDICATE,
            initial=first,
            maximum=max(first, min(first * 6, 60.0)),
            multiplier=2.0,
            timeout=min(self.operation_timeout_seconds, 300.0),
        )

    def _wait(self, operation: Any, action: str) -> Any:
        """Wait for a long-running operation and return its response message."""
        name = str(getattr(getattr(operation, "operation", None), "name", "") or "") or None
        with self._translate(action, operation=name):
            return operation.result(
                timeout=self.operation_timeout_seconds, polling=self._polling(), retry=self._poll_rpc_retry()
            )

    @contextmanager
    def _translate(self, action: str, *, operation: str | None = None) -> Iterator[None]:
        """Turn any failure inside the block into a :class:`VertexApiError`."""
        try:
            yield
        except VertexApiError:
            raise
        except (
            gexc.GoogleAPIError,
            auth_exceptions.GoogleAuthError,
            requests.exceptions.RequestException,
            TimeoutError,
            concurrent.futures.TimeoutError,  # a distinct class before Python 3.11
        ) as exc:
            raise self.error(exc, action=action, operation=operation) from exc

    def error(self, exc: BaseException, *, action: str, operation: str | None = None) -> VertexApiError:
        """Build the :class:`VertexApiError` for ``exc`` raised while doing ``action``."""
        ctx = self.context
        reason = _classify(exc)
        status = getattr(exc, "code", None)
        http_status = status if isinstance(status, int) else None
        detail = (str(getattr(exc, "message", "") or exc) or type(exc).__name__).rstrip(". ")
        if operation is not None and reason not in ("timeout", "unavailable"):
            what = f"operation {operation} failed"
        else:
            what = {
                "permission_denied": "permission denied (HTTP 403)",
                "quota_exceeded": "quota or rate limit exhausted (HTTP 429)",
                "invalid_argument": "request rejected as invalid (HTTP 400)",
                "failed_precondition": "request rejected (failed precondition)",
                "not_found": "resource not found (HTTP 404)",
                "timeout": "timed out",
                "unauthenticated": "not authenticated",
                "unavailable": "Vertex AI could not be reached",
                "operation_failed": "operation failed",
                "unknown": "call failed",
            }[reason]
        message = (
            f"Vertex AI deployment '{ctx.display_name}': {what} while {action}: {detail}. "
            f"{self._hint(reason, operation)}"
        )
        return VertexApiError(
            message,
            deployment=ctx.display_name,
            action=action,
            reason=reason,
            operation=operation,
            http_status=http_status,
        )

    def _hint(self, reason: ErrorReason, operation: str | None) -> str:
        ctx = self.context
        if reason == "permission_denied":
            account = (
                f"roles/iam.serviceAccountUser on the deployment's service account {ctx.service_account}"
                if ctx.service_account
                else "roles/iam.serviceAccountUser on the deployment's service account (when one is set)"
            )
            return (
                f"Grant roles/aiplatform.user on project {ctx.project} to the identity running Pulumi "
                f"(the Application Default Credentials), and {account} to that identity; the service "
                "account itself needs read access to the image (roles/artifactregistry.reader) and to the "
                "model artifacts (roles/storage.objectViewer)."
            )
        if reason == "quota_exceeded":
            machine = f"machine type {ctx.machine_type or '(unset)'}"
            if ctx.accelerator_type:
                machine += f" with {ctx.accelerator_count} x {ctx.accelerator_type} per replica"
            return (
                f"Request more Vertex AI online prediction quota for {machine} in region {ctx.region} "
                f"for up to {ctx.max_replicas} replica(s) (console: IAM & Admin > Quotas, service "
                "aiplatform.googleapis.com, 'Custom model serving' CPU / accelerator quotas per region), "
                "or lower max_replicas, or choose another machine type or region. If it was a request "
                "rate limit, wait a minute and re-run `pulumi up`."
            )
        if reason == "invalid_argument":
            accel = f" with accelerator {ctx.accelerator_type}" if ctx.accelerator_type else ""
            return (
                f"Check image_uri '{ctx.image_uri}' (it must exist, e.g. in Artifact Registry, and be "
                f"readable by the Vertex AI Service Agent of project {ctx.project}), the predict/health "
                f"routes and port the container serves, and that machine type '{ctx.machine_type}'{accel} "
                f"is available in region {ctx.region}."
            )
        if reason == "failed_precondition":
            return (
                "The resource is not in a state that allows this (a model that is still deployed cannot be "
                "deleted; a deployed model that still receives traffic cannot be undeployed alone). Run "
                "`pulumi refresh` and re-run `pulumi up`."
            )
        if reason == "not_found":
            where = f"endpoint {ctx.endpoint}" if ctx.endpoint else "the endpoint"
            return (
                f"Check that {where} exists in project {ctx.project}, region {ctx.region} (it is created by "
                "vertex.AiEndpoint) and that the model and its artifacts exist; `pulumi refresh` "
                "forgets resources deleted out of band."
            )
        if reason == "timeout":
            still = (
                f"The operation {operation} may still complete on Vertex AI (`gcloud ai operations describe`); "
                "once it has finished, re-run"
                if operation
                else "Re-run"
            )
            return (
                f"Gave up after {self.operation_timeout_seconds:g} s. {still} `pulumi up` to resume (the "
                "provider finds the uploaded model by its label and a finished deployment on the endpoint, so "
                "nothing is uploaded or deployed twice), or raise operation_timeout_seconds."
            )
        if reason == "unauthenticated":
            return (
                "No usable Google credentials: run `gcloud auth application-default login`, set "
                "GOOGLE_APPLICATION_CREDENTIALS, or run Pulumi with a service account / workload identity."
            )
        if reason == "unavailable":
            return (
                f"Check that {self.api_endpoint} is the right API endpoint for region {ctx.region} and that "
                "it is reachable, then re-run `pulumi up`."
            )
        return "Re-run `pulumi up`; if it keeps failing, inspect the operation with `gcloud ai operations describe`."

    # ------------------------------------------------------------------ models

    def upload_model(self, model: aiplatform_v1.Model) -> UploadedModel:
        """Upload ``model`` into the location and wait for the operation."""
        action = f"uploading the model (image {model.container_spec.image_uri})"
        with self._translate(action):
            operation = self.models.upload_model(parent=self.location, model=model, timeout=self.rpc_timeout_seconds)
        response = self._wait(operation, action)
        return UploadedModel(str(response.model), str(response.model_version_id))

    def find_models_by_label(self, key: str, value: str) -> list[aiplatform_v1.Model]:
        """Return the models of the location labelled ``key=value`` (all pages)."""
        request = aiplatform_v1.ListModelsRequest(parent=self.location, filter=f'labels.{key}="{value}"')
        with self._translate(f"looking for an uploaded model labelled {key}={value}"):
            return list(self.models.list_models(request=request, timeout=self.rpc_timeout_seconds))

    def _unless_missing(self, action: str, call: Callable[[], _T]) -> _T | None:
        """``call()`` under error translation, or ``None`` when the resource it reads does not exist."""
        try:
            with self._translate(action):
                return call()
        except VertexApiError as err:
            if err.reason == "not_found":
                return None
            raise

    def _finish_unless_missing(self, action: str, start: Callable[[], Any]) -> bool:
        """Start a long-running operation and wait for it; ``False`` when its target was already gone."""

        def run() -> bool:
            self._wait(start(), action)
            return True

        return self._unless_missing(action, run) is not None

    def get_model(self, name: str) -> aiplatform_v1.Model | None:
        """Return the model, or ``None`` when it does not exist."""
        return self._unless_missing(
            f"reading model {name}", lambda: self.models.get_model(name=name, timeout=self.rpc_timeout_seconds)
        )

    def update_model(self, model: aiplatform_v1.Model, paths: Sequence[str]) -> aiplatform_v1.Model:
        """Update the ``paths`` (e.g. ``display_name``, ``labels``) of ``model`` (``model.name`` is required)."""
        mask = field_mask_pb2.FieldMask(paths=list(paths))
        with self._translate(f"updating {', '.join(paths)} of model {model.name}"):
            return self.models.update_model(model=model, update_mask=mask, timeout=self.rpc_timeout_seconds)

    def delete_model(self, name: str) -> bool:
        """Delete the model and wait; returns ``False`` when it was already gone."""
        return self._finish_unless_missing(
            f"deleting model {name}", lambda: self.models.delete_model(name=name, timeout=self.rpc_timeout_seconds)
        )

    # ------------------------------------------------------------------ endpoints

    def get_endpoint(self, name: str) -> aiplatform_v1.Endpoint | None:
        """Return the endpoint (with its deployed models and traffic split), or ``None`` when it does not exist."""
        return self._unless_missing(
            f"reading endpoint {name}", lambda: self.endpoints.get_endpoint(name=name, timeout=self.rpc_timeout_seconds)
        )

    def deploy_model(
        self, endpoint: str, deployed_model: aiplatform_v1.DeployedModel, traffic_split: Mapping[str, int]
    ) -> aiplatform_v1.DeployedModel:
        """Deploy onto ``endpoint`` with ``traffic_split`` (``"0"`` is the new model) and wait."""
        action = f"deploying model {deployed_model.model} to endpoint {endpoint}"
        with self._translate(action):
            operation = self.endpoints.deploy_model(
                endpoint=endpoint,
                deployed_model=deployed_model,
                traffic_split=dict(traffic_split),
                timeout=self.rpc_timeout_seconds,
            )
        response = self._wait(operation, action)
        deployed: aiplatform_v1.DeployedModel = response.deployed_model
        return deployed

    def mutate_deployed_model(
        self, endpoint: str, deployed_model: aiplatform_v1.DeployedModel, paths: Sequence[str]
    ) -> aiplatform_v1.DeployedModel:
        """Change the ``paths`` of a deployed model (replica bounds, autoscaling metrics) and wait."""
        action = f"changing {', '.join(paths)} of deployed model {deployed_model.id} on endpoint {endpoint}"
        request = aiplatform_v1.MutateDeployedModelRequest(
            endpoint=endpoint,
            deployed_model=deployed_model,
            update_mask=field_mask_pb2.FieldMask(paths=list(paths)),
        )
        with self._translate(action):
            operation = self.endpoints.mutate_deployed_model(request=request, timeout=self.rpc_timeout_seconds)
        response = self._wait(operation, action)
        mutated: aiplatform_v1.DeployedModel = response.deployed_model
        return mutated

    def undeploy_model(
        self, endpoint: str, deployed_model_id: str, traffic_split: Mapping[str, int] | None = None
    ) -> bool:
        """Undeploy and wait; ``traffic_split`` replaces the endpoint's split when given.

        Returns ``False`` when the deployed model (or the endpoint) was already gone.
        """
        action = f"undeploying deployed model {deployed_model_id} from endpoint {endpoint}"
        request = aiplatform_v1.UndeployModelRequest(
            endpoint=endpoint, deployed_model_id=deployed_model_id, traffic_split=dict(traffic_split or {})
        )
        return self._finish_unless_missing(
            action, lambda: self.endpoints.undeploy_model(request=request, timeout=self.rpc_timeout_seconds)
        )
