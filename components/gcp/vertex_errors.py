"""Errors of the Vertex AI calls: one :class:`VertexApiError` naming the deployment, the call and the fix.

``google.api_core`` exceptions (from calls, retries and operations), operation timeouts, missing credentials and
unreachable endpoints are classified into an :data:`ErrorReason`, and the message says which quota or permission
to fix (HTTP status classes per https://cloud.google.com/apis/design/errors#handling_errors).
"""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass
from typing import Literal

import requests
from google.api_core import exceptions as gexc
from google.auth import exceptions as auth_exceptions

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
    kms_key_name: str | None = None
    """CMEK key of the model, or ``None`` (used in permission hints)."""


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


@dataclass(frozen=True)
class ErrorTranslator:
    """Builds the :class:`VertexApiError` of a failed call for one deployment."""

    context: DeploymentContext
    """The deployment the calls are made for."""
    api_endpoint: str
    """Host (or URL) the clients talk to."""
    timeout_seconds: float
    """Operation timeout (and retry budget) of the calls."""

    def error(
        self, exc: BaseException, *, action: str, operation: str | None = None, attempts: int = 1
    ) -> VertexApiError:
        """Build the :class:`VertexApiError` for ``exc`` raised while doing ``action``."""
        ctx = self.context
        if isinstance(exc, gexc.RetryError) and exc.cause is not None:
            exc = exc.cause  # the retry budget (the operation timeout) ran out: report the last error
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
        tries = f" (after {attempts} attempts)" if attempts > 1 else ""
        message = (
            f"Vertex AI deployment '{ctx.display_name}': {what} while {action}{tries}: {detail}. "
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
                + (
                    f" With CMEK, the Vertex AI Service Agent needs roles/cloudkms.cryptoKeyEncrypterDecrypter "
                    f"on {ctx.kms_key_name}."
                    if ctx.kms_key_name
                    else ""
                )
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
                f"Gave up after {self.timeout_seconds:g} s. {still} `pulumi up` to resume (the "
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
