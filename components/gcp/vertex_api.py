"""Thin, typed wrapper around the Vertex AI v1 GAPIC clients used by the model deployment provider.

:class:`VertexApi` builds ``google.cloud.aiplatform_v1.ModelServiceClient`` and ``EndpointServiceClient`` with
the REST transport against the regional API endpoint (``{region}-aiplatform.googleapis.com``, or an override
such as ``http://127.0.0.1:PORT`` for tests), and:

* retries every call on 429, 503 and 504 (``google.api_core`` retry: exponential backoff with full jitter, bounded
  by the operation timeout). The aiplatform client sets no default retry on these methods. Before retrying an
  upload or a deploy it asks the caller whether the first attempt took effect (the request may have been applied
  before the error reached us), so nothing is uploaded or deployed twice;
* waits for long-running operations with a bounded timeout (poll requests retried on 429 / 5xx);
* turns every failure into one :class:`VertexApiError` (:mod:`components.gcp.vertex_errors`) naming the
  deployment, the call, the number of attempts and the quota or permission to fix.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple, TypeVar

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

from ..facts import gcp as facts
from .vertex_errors import DeploymentContext, ErrorReason, ErrorTranslator, VertexApiError

__all__ = [
    "CLOUD_PLATFORM_SCOPE",
    "RETRYABLE",
    "CredentialsFactory",
    "DeploymentContext",
    "ErrorReason",
    "UploadedModel",
    "VertexApi",
    "VertexApiError",
    "default_api_endpoint",
    "resource_id",
]

CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
"""OAuth scope requested for Application Default Credentials."""

CredentialsFactory = Callable[[], Credentials]
"""A zero-argument callable returning credentials (e.g. ``google.auth.credentials.AnonymousCredentials``)."""

RETRYABLE = gretry.if_exception_type(gexc.TooManyRequests, gexc.ServiceUnavailable, gexc.GatewayTimeout)
"""Errors retried on every call: HTTP 429, 503 and 504 as the REST transport raises them
(https://cloud.google.com/apis/design/errors#handling_errors: RESOURCE_EXHAUSTED, UNAVAILABLE, DEADLINE_EXCEEDED)."""

_POLL_RPC_RETRY_PREDICATE = gretry.if_exception_type(
    gexc.TooManyRequests, gexc.InternalServerError, gexc.BadGateway, gexc.ServiceUnavailable, gexc.GatewayTimeout
)
_TRANSLATED = (
    gexc.GoogleAPIError,
    auth_exceptions.GoogleAuthError,
    requests.exceptions.RequestException,
    TimeoutError,
    concurrent.futures.TimeoutError,  # a distinct class before Python 3.11
)


def default_api_endpoint(region: str) -> str:
    """Return the regional Vertex AI API host, ``{region}-aiplatform.googleapis.com``."""
    return facts.api_host(region)


def resource_id(name: str) -> str:
    """Return the last segment of a resource name (``projects/p/locations/r/models/123`` -> ``123``)."""
    return name.rstrip("/").rsplit("/", 1)[-1].split("@", 1)[0]


_T = TypeVar("_T")


class UploadedModel(NamedTuple):
    """Result of a finished model upload."""

    model: str
    """Model resource name (``projects/NUMBER/locations/REGION/models/ID``)."""
    model_version_id: str
    """Version id of the uploaded model (``"1"`` for a new model)."""


class VertexApi:
    """The Vertex AI calls the model deployment provider makes, retried and with errors translated.

    Clients are created on first use with ``transport="rest"``. Credentials come from ``credentials`` (a factory),
    else from Application Default Credentials (``google.auth.default``).
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
        """How long to wait for one long-running operation; also the retry budget of one call."""
        self.poll_interval_seconds = float(poll_interval_seconds)
        """First delay between operation polls (grows by 1.5x up to 6x this value, at most 60 s)."""
        self.rpc_timeout_seconds = float(rpc_timeout_seconds)
        """Timeout of one HTTP call."""
        self.retry_initial_seconds = min(1.0, self.poll_interval_seconds)
        """Largest first backoff (full jitter: each sleep is uniform in [0, current bound])."""
        self.retry_maximum_seconds = 32.0
        """Upper bound of one backoff sleep."""
        self.errors = ErrorTranslator(context, self.api_endpoint, self.operation_timeout_seconds)
        """Builds the error of a failed call."""
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

    def retry(self) -> gretry.Retry:
        """The retry of one call: 429 / 503 / 504, exponential backoff with jitter, within the operation timeout."""
        return gretry.Retry(
            predicate=RETRYABLE,
            initial=self.retry_initial_seconds,
            maximum=self.retry_maximum_seconds,
            multiplier=2.0,
            timeout=self.operation_timeout_seconds,
        )

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
        except _TRANSLATED as exc:
            raise self.errors.error(exc, action=action, operation=operation) from exc

    def call(self, action: str, send: Callable[[], _T], *, took_effect: Callable[[], _T | None] | None = None) -> _T:
        """``send()`` with :meth:`retry`; before a retry, ``took_effect()`` may return the first attempt's result.

        Raises :class:`VertexApiError` after the last attempt, saying how many attempts were made.
        """
        attempts = 0

        def attempt() -> _T:
            nonlocal attempts
            attempts += 1
            if attempts > 1 and took_effect is not None:
                found = took_effect()
                if found is not None:
                    return found
            return send()

        try:
            return self.retry()(attempt)()
        except VertexApiError:
            raise
        except _TRANSLATED as exc:
            raise self.errors.error(exc, action=action, attempts=attempts) from exc

    def error(self, exc: BaseException, *, action: str, operation: str | None = None) -> VertexApiError:
        """Build the :class:`VertexApiError` for ``exc`` raised while doing ``action``."""
        return self.errors.error(exc, action=action, operation=operation)

    def _unless_missing(self, action: str, call: Callable[[], _T]) -> _T | None:
        """``call()`` (retried, translated), or ``None`` when the resource it reads does not exist."""
        try:
            return self.call(action, call)
        except VertexApiError as err:
            if err.reason == "not_found":
                return None
            raise

    def _finish_unless_missing(self, action: str, start: Callable[[], Any]) -> bool:
        """Start a long-running operation (retried) and wait; ``False`` when its target was already gone."""
        operation = self._unless_missing(action, start)
        if operation is None:
            return False
        try:
            self._wait(operation, action)
        except VertexApiError as err:
            if err.reason == "not_found":
                return False
            raise
        return True

    # ------------------------------------------------------------------ models

    def upload_model(
        self, model: aiplatform_v1.Model, *, took_effect: Callable[[], UploadedModel | None] | None = None
    ) -> UploadedModel:
        """Upload ``model`` into the location and wait; ``took_effect`` finds an upload a failed attempt made."""
        action = f"uploading the model (image {model.container_spec.image_uri})"

        def send() -> Any:
            return self.models.upload_model(
                parent=self.location, model=model, retry=None, timeout=self.rpc_timeout_seconds
            )

        started = self.call(action, send, took_effect=took_effect)
        if isinstance(started, UploadedModel):
            return started
        response = self._wait(started, action)
        return UploadedModel(str(response.model), str(response.model_version_id))

    def find_models_by_label(self, key: str, value: str) -> list[aiplatform_v1.Model]:
        """Return the models of the location labelled ``key=value`` (all pages)."""
        request = aiplatform_v1.ListModelsRequest(parent=self.location, filter=f'labels.{key}="{value}"')
        return self.call(
            f"looking for models labelled {key}={value}",
            lambda: list(self.models.list_models(request=request, retry=None, timeout=self.rpc_timeout_seconds)),
        )

    def get_model(self, name: str) -> aiplatform_v1.Model | None:
        """Return the model, or ``None`` when it does not exist."""
        return self._unless_missing(
            f"reading model {name}",
            lambda: self.models.get_model(name=name, retry=None, timeout=self.rpc_timeout_seconds),
        )

    def update_model(self, model: aiplatform_v1.Model, paths: Sequence[str]) -> aiplatform_v1.Model:
        """Update the ``paths`` (e.g. ``display_name``, ``labels``) of ``model`` (``model.name`` is required)."""
        mask = field_mask_pb2.FieldMask(paths=list(paths))
        return self.call(
            f"updating {', '.join(paths)} of model {model.name}",
            lambda: self.models.update_model(
                model=model, update_mask=mask, retry=None, timeout=self.rpc_timeout_seconds
            ),
        )

    def delete_model(self, name: str) -> bool:
        """Delete the model and wait; returns ``False`` when it was already gone."""
        return self._finish_unless_missing(
            f"deleting model {name}",
            lambda: self.models.delete_model(name=name, retry=None, timeout=self.rpc_timeout_seconds),
        )

    # ------------------------------------------------------------------ endpoints

    def get_endpoint(self, name: str) -> aiplatform_v1.Endpoint | None:
        """Return the endpoint (with its deployed models and traffic split), or ``None`` when it does not exist."""
        return self._unless_missing(
            f"reading endpoint {name}",
            lambda: self.endpoints.get_endpoint(name=name, retry=None, timeout=self.rpc_timeout_seconds),
        )

    def deploy_model(
        self,
        endpoint: str,
        deployed_model: aiplatform_v1.DeployedModel,
        traffic_split: Mapping[str, int],
        *,
        took_effect: Callable[[], aiplatform_v1.DeployedModel | None] | None = None,
    ) -> aiplatform_v1.DeployedModel:
        """Deploy onto ``endpoint`` with ``traffic_split`` (``"0"`` is the new model) and wait.

        ``took_effect`` finds the deployed model a failed attempt created (its deploy may still be running).
        """
        action = f"deploying model {deployed_model.model} to endpoint {endpoint}"

        def send() -> Any:
            return self.endpoints.deploy_model(
                endpoint=endpoint,
                deployed_model=deployed_model,
                traffic_split=dict(traffic_split),
                retry=None,
                timeout=self.rpc_timeout_seconds,
            )

        started = self.call(action, send, took_effect=took_effect)
        if isinstance(started, aiplatform_v1.DeployedModel):
            return started
        response = self._wait(started, action)
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
        operation = self.call(
            action,
            lambda: self.endpoints.mutate_deployed_model(request=request, retry=None, timeout=self.rpc_timeout_seconds),
        )
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
            action,
            lambda: self.endpoints.undeploy_model(request=request, retry=None, timeout=self.rpc_timeout_seconds),
        )
