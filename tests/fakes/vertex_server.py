"""A fake Vertex AI v1 REST server for tests (a fixture, not product code).

The server speaks the subset of the ``aiplatform.googleapis.com`` v1 REST surface that
``google.cloud.aiplatform_v1.ModelServiceClient`` and ``EndpointServiceClient`` call with
``transport="rest"`` when they upload, deploy, mutate, undeploy and delete a custom-container model:

* ``POST   /v1/{parent=projects/*/locations/*}/models:upload``          (long-running)
* ``GET    /v1/{parent=projects/*/locations/*}/models``                 (``filter`` on labels, paging)
* ``GET    /v1/{name=projects/*/locations/*/models/*}``
* ``PATCH  /v1/{model.name=projects/*/locations/*/models/*}``           (``updateMask``: display name, labels)
* ``DELETE /v1/{name=projects/*/locations/*/models/*}``                 (long-running)
* ``GET    /v1/{name=projects/*/locations/*/endpoints/*}``
* ``POST   /v1/{endpoint=projects/*/locations/*/endpoints/*}:deployModel``          (long-running)
* ``POST   /v1/{endpoint=projects/*/locations/*/endpoints/*}:mutateDeployedModel``  (long-running)
* ``POST   /v1/{endpoint=projects/*/locations/*/endpoints/*}:undeployModel``        (long-running)
* ``GET    /{v1|ui}/{name=projects/*/locations/*[/models/*|/endpoints/*]/operations/*}`` (the REST
  operations client of aiplatform polls through the ``/ui/`` binding, the first one that matches)

Bodies are the proto3 JSON mapping (camelCase field names, enums as integers because the GAPIC REST
transport sends ``$alt=json;enum-encoding=int``, ``FieldMask`` as a comma-separated string).
Like the real service, resource names in answers use the project *number* even when the request
used the project id, and state changes of a long-running operation become visible only once the
operation is done.

The server enforces the API rules the product code must respect (traffic split values sum to 100,
a model with traffic cannot be undeployed without a new split, a deployed model cannot be deleted,
only some fields of a deployed model can be mutated), records every request for assertions, and
has knobs to inject failures (see :meth:`FakeVertexServer.fail_next`,
:meth:`FakeVertexServer.fail_operation`, :meth:`FakeVertexServer.hang_operation` and
:attr:`FakeVertexServer.invalid_images`).
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from google.cloud import aiplatform_v1
from google.protobuf import json_format

from tests.fakes import vertex_rules
from tests.fakes.vertex_rules import RequestRejected

TYPE_PREFIX = "type.googleapis.com/google.cloud.aiplatform.v1."
"""Prefix of the ``@type`` URL of aiplatform v1 messages packed in ``google.protobuf.Any``."""

HTTP_STATUS_NAMES: dict[int, str] = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
"""google.rpc status names the real API puts in ``error.status`` for each HTTP status."""

GRPC_CODES: dict[str, int] = {
    "INVALID_ARGUMENT": 3,
    "DEADLINE_EXCEEDED": 4,
    "NOT_FOUND": 5,
    "PERMISSION_DENIED": 7,
    "RESOURCE_EXHAUSTED": 8,
    "FAILED_PRECONDITION": 9,
    "INTERNAL": 13,
    "UNAVAILABLE": 14,
}
"""google.rpc.Code values used in ``Operation.error.code``."""

MUTABLE_DEPLOYED_MODEL_PATHS: dict[str, tuple[str, str]] = {
    "dedicated_resources.min_replica_count": ("dedicatedResources", "minReplicaCount"),
    "dedicated_resources.max_replica_count": ("dedicatedResources", "maxReplicaCount"),
    "dedicated_resources.required_replica_count": ("dedicatedResources", "requiredReplicaCount"),
    "dedicated_resources.autoscaling_metric_specs": ("dedicatedResources", "autoscalingMetricSpecs"),
    "disable_container_logging": ("", "disableContainerLogging"),
}
"""Fields ``MutateDeployedModel`` accepts in its update mask (v1 proto documentation)."""

MUTABLE_MODEL_PATHS: dict[str, str] = {
    "display_name": "displayName",
    "description": "description",
    "labels": "labels",
}
"""Model fields this fake lets ``UpdateModel`` change."""

_LOC = r"projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)"
_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(rf"^/v1/{_LOC}/models:upload$"), "UploadModel"),
    ("GET", re.compile(rf"^/v1/{_LOC}/models$"), "ListModels"),
    ("GET", re.compile(rf"^/v1/{_LOC}/models/(?P<id>[^/:@]+)$"), "GetModel"),
    ("PATCH", re.compile(rf"^/v1/{_LOC}/models/(?P<id>[^/:@]+)$"), "UpdateModel"),
    ("DELETE", re.compile(rf"^/v1/{_LOC}/models/(?P<id>[^/:@]+)$"), "DeleteModel"),
    ("GET", re.compile(rf"^/v1/{_LOC}/endpoints/(?P<id>[^/:]+)$"), "GetEndpoint"),
    ("POST", re.compile(rf"^/v1/{_LOC}/endpoints/(?P<id>[^/:]+):deployModel$"), "DeployModel"),
    (
        "POST",
        re.compile(rf"^/v1/{_LOC}/endpoints/(?P<id>[^/:]+):mutateDeployedModel$"),
        "MutateDeployedModel",
    ),
    ("POST", re.compile(rf"^/v1/{_LOC}/endpoints/(?P<id>[^/:]+):undeployModel$"), "UndeployModel"),
    (
        "GET",
        # The GAPIC REST operations client picks the first matching HTTP binding, which for aiplatform
        # is the ``/ui/`` additional binding; the real service answers on both prefixes.
        re.compile(rf"^/(?:v1|ui)/(?P<name>{_LOC}(?:/(?:models|endpoints)/[^/]+)?/operations/[^/:]+)$"),
        "GetOperation",
    ),
]
_LABEL_FILTER = re.compile(
    r'^\s*labels\.(?:"(?P<qkey>[^"]+)"|(?P<key>[A-Za-z0-9_]+))\s*=\s*(?:"(?P<qvalue>[^"]*)"|(?P<value>[^\s"]+))\s*$'
)
_TIMESTAMP = "2025-01-01T00:00:00Z"


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request the fake received, in arrival order."""

    call: str
    """RPC name the request was routed to (``"UploadModel"``, ``"GetOperation"``, ...; ``"Unknown"``)."""
    method: str
    """HTTP method (``GET``, ``POST``, ``PATCH``, ``DELETE``)."""
    path: str
    """URL path without the query string."""
    query: dict[str, list[str]]
    """Decoded query parameters."""
    body: dict[str, Any] | None
    """Decoded JSON body, or ``None`` when the request had none."""


class ApiError(Exception):
    """An error the fake answers with, as ``{"error": {"code", "message", "status"}}``."""

    def __init__(
        self, http_status: int, message: str, status: str | None = None, field_violation: str | None = None
    ) -> None:
        """Build the error for ``http_status``; ``status`` defaults to the usual google.rpc name."""
        super().__init__(message)
        self.http_status = http_status
        self.message = message
        self.status = status or HTTP_STATUS_NAMES.get(http_status, "UNKNOWN")
        self.field_violation = field_violation

    def payload(self) -> dict[str, Any]:
        """Return the JSON error body of the Google API error model (with ``google.rpc.BadRequest`` details)."""
        error: dict[str, Any] = {"code": self.http_status, "message": self.message, "status": self.status}
        if self.field_violation is not None:
            error["details"] = [
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"field": self.field_violation, "description": self.message}],
                }
            ]
        return {"error": error}


@dataclass
class FakeOperation:
    """A long-running operation of the fake."""

    name: str
    """Operation resource name."""
    call: str
    """RPC that started the operation."""
    metadata_type: str
    """Fully qualified name of the metadata message."""
    complete: Callable[[], dict[str, Any]]
    """Applies the state change and returns the packed response (with ``@type``)."""
    polls_left: int
    """Polls still answered with ``done: false``."""
    error: tuple[int, str] | None = None
    """``(google.rpc code, message)`` the operation finishes with, or ``None`` for success."""
    hang: bool = False
    """When true the operation never finishes."""
    done: bool = False
    """Whether the operation finished."""
    response: dict[str, Any] | None = None
    """Packed response once finished successfully."""
    polls: int = 0
    """How many times the operation was read."""
    on_error: Callable[[], None] | None = None
    """Undoes what the request reserved when the operation fails."""

    def poll(self) -> dict[str, Any]:
        """Advance the operation by one read and return its JSON representation."""
        self.polls += 1
        if not self.done and not self.hang:
            if self.polls_left > 0:
                self.polls_left -= 1
            else:
                self._finish()
        return self.to_json()

    def _finish(self) -> None:
        self.done = True
        if self.error is None:
            self.response = self.complete()
        elif self.on_error is not None:
            self.on_error()

    def to_json(self) -> dict[str, Any]:
        """Return the ``google.longrunning.Operation`` JSON for the current state."""
        out: dict[str, Any] = {
            "name": self.name,
            "metadata": {
                "@type": self.metadata_type,
                "genericMetadata": {"createTime": _TIMESTAMP, "updateTime": _TIMESTAMP},
            },
            "done": self.done,
        }
        if self.done:
            if self.error is not None:
                out["error"] = {"code": self.error[0], "message": self.error[1]}
            else:
                out["response"] = self.response
        return out


@dataclass
class _Injection:
    remaining: int
    payload: Any


@dataclass
class FakeVertexServer:
    """Stateful fake of the Vertex AI v1 REST API on ``127.0.0.1`` (ephemeral port, background thread).

    Use :meth:`start` / :meth:`stop` (or the ``vertex_server`` pytest fixture), create endpoints with
    :meth:`add_endpoint`, point the GAPIC clients at :attr:`base_url`, then assert on :attr:`requests`.
    """

    project: str = "fake-project"
    """Project id the fake accepts in request paths."""
    project_number: str = "123456789012"
    """Project number the fake accepts and uses in every resource name it returns."""
    region: str = "us-central1"
    """The only location the fake serves."""
    polls_until_done: int = 1
    """How many ``GetOperation`` reads answer ``done: false`` before an operation finishes (0: done at once)."""
    invalid_images: set[str] = field(default_factory=set)
    """Image URIs whose deployment fails (the deploy operation ends with INVALID_ARGUMENT, as a bad image does)."""
    requests: list[RecordedRequest] = field(default_factory=list)
    """Every request received, in order."""
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Models by model id (proto JSON of ``Model``)."""
    endpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Endpoints by endpoint id (proto JSON of ``Endpoint`` with ``deployedModels`` and ``trafficSplit``)."""
    operations: dict[str, FakeOperation] = field(default_factory=dict)
    """Operations by name."""

    def __post_init__(self) -> None:
        """Prepare the (not yet started) server."""
        self.lock = threading.RLock()
        self._ids = itertools.count(1)
        self._http_failures: dict[str, list[_Injection]] = {}
        self._failures_after: dict[str, list[_Injection]] = {}
        self.parsed: Any = None
        self._operation_failures: dict[str, list[_Injection]] = {}
        self._operation_hangs: dict[str, list[_Injection]] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeVertexServer:
        """Start serving on an ephemeral port; returns ``self``."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server._handle(self)

            def do_POST(self) -> None:
                server._handle(self)

            def do_PATCH(self) -> None:
                server._handle(self)

            def do_DELETE(self) -> None:
                server._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},  # so that stop() returns quickly
            name="fake-vertex",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``, the value for ``client_options.api_endpoint``."""
        if self._httpd is None:
            raise RuntimeError("the fake Vertex AI server is not started")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    # ------------------------------------------------------------------ setup and inspection

    @property
    def location(self) -> str:
        """``projects/{project}/locations/{region}`` with the project id."""
        return f"projects/{self.project}/locations/{self.region}"

    def _canonical_location(self) -> str:
        return f"projects/{self.project_number}/locations/{self.region}"

    def add_endpoint(
        self,
        endpoint_id: str = "4242424242424242424",
        display_name: str = "serving",
        *,
        network: str | None = None,
        kms_key_name: str | None = None,
        dedicated: bool = False,
    ) -> str:
        """Create an empty endpoint, as Vertex would have (ids Vertex generates are 19-digit numbers); returns its name
        with the project id."""
        endpoint: dict[str, Any] = {
            "name": f"{self._canonical_location()}/endpoints/{endpoint_id}",
            "displayName": display_name,
            "deployedModels": [],
            "trafficSplit": {},
            "createTime": _TIMESTAMP,
        }
        if network:
            endpoint["network"] = network
        if kms_key_name:
            endpoint["encryptionSpec"] = {"kmsKeyName": kms_key_name}
        if dedicated:
            endpoint["dedicatedEndpointEnabled"] = True
            endpoint["dedicatedEndpointDns"] = (
                f"{endpoint_id}.{self.region}-{self.project_number}.prediction.vertexai.goog"
            )
        with self.lock:
            self.endpoints[endpoint_id] = endpoint
        return f"{self.location}/endpoints/{endpoint_id}"

    def create_endpoint(
        self,
        endpoint_id: str,
        display_name: str,
        *,
        network: str | None = None,
        kms_key_name: str | None = None,
        dedicated: bool = False,
        labels: dict[str, str] | None = None,
    ) -> str:
        """What ``CreateEndpoint`` with ``endpoint_id`` accepts (the rules of aiplatform v1), then :meth:`add_endpoint`.

        Raises :class:`ApiError` (400) for an id, network, key or label the service refuses.
        """
        try:
            if not re.match(r"^(?:[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?|[1-9][0-9]{0,8})$", endpoint_id):
                raise RequestRejected("endpoint_id", f"Invalid endpoint_id {endpoint_id}.")
            if network and not re.match(r"^projects/[0-9]+/global/networks/[a-z][-a-z0-9]*$", network):
                raise RequestRejected("endpoint.network", f"network {network} must name the project by number.")
            if network and dedicated:
                raise RequestRejected("endpoint", "A dedicated endpoint cannot be peered with a network.")
            if kms_key_name:
                vertex_rules.check_kms(kms_key_name, self.region, "endpoint.encryption_spec.kms_key_name")
            vertex_rules.check_labels(labels or {}, "endpoint.labels")
        except RequestRejected as rejected:
            raise ApiError(400, rejected.description, rejected.status, rejected.field) from None
        return self.add_endpoint(
            endpoint_id, display_name, network=network, kms_key_name=kms_key_name, dedicated=dedicated
        )

    def endpoint_state(self, endpoint: str) -> dict[str, Any]:
        """Deep copy of an endpoint's state, by full name or id."""
        with self.lock:
            return copy.deepcopy(self.endpoints[endpoint.rsplit("/", 1)[-1]])

    def deployed_models(self, endpoint: str) -> list[dict[str, Any]]:
        """Deployed models of an endpoint (deep copy), by full name or id."""
        return list(self.endpoint_state(endpoint)["deployedModels"])

    def traffic_split(self, endpoint: str) -> dict[str, int]:
        """Traffic split of an endpoint (deployed model id -> percent), by full name or id."""
        return dict(self.endpoint_state(endpoint)["trafficSplit"])

    def calls(self, *, include_polls: bool = False) -> list[str]:
        """RPC names received in order; ``GetOperation`` polls are left out unless asked for."""
        with self.lock:
            return [r.call for r in self.requests if include_polls or r.call != "GetOperation"]

    def requests_for(self, call: str) -> list[RecordedRequest]:
        """Requests routed to ``call``, in order."""
        with self.lock:
            return [r for r in self.requests if r.call == call]

    def clear_requests(self) -> None:
        """Forget the recorded requests (state is kept)."""
        with self.lock:
            self.requests.clear()

    # ------------------------------------------------------------------ failure injection

    def fail_next(self, call: str, http_status: int, message: str | None = None, times: int = 1) -> None:
        """Answer the next ``times`` requests routed to ``call`` with ``http_status`` (e.g. 403, 429)."""
        status = HTTP_STATUS_NAMES.get(http_status, "UNKNOWN")
        text = message or f"Injected {status} for {call}."
        with self.lock:
            self._http_failures.setdefault(call, []).append(_Injection(times, ApiError(http_status, text)))

    def fail_after_next(self, call: str, http_status: int, message: str | None = None, times: int = 1) -> None:
        """Apply the next ``times`` requests routed to ``call``, then answer them with ``http_status`` anyway.

        A response lost on the way back (a 503 or 504 from a proxy after the service acted): the client cannot
        tell whether the request took effect.
        """
        status = HTTP_STATUS_NAMES.get(http_status, "UNKNOWN")
        text = message or f"Injected {status} after {call} took effect."
        with self.lock:
            self._failures_after.setdefault(call, []).append(_Injection(times, ApiError(http_status, text)))

    def fail_operation(self, call: str, status: str = "INTERNAL", message: str | None = None, times: int = 1) -> None:
        """Make the next ``times`` operations started by ``call`` finish with ``status`` (google.rpc name)."""
        text = message or f"Injected {status} for the {call} operation."
        with self.lock:
            self._operation_failures.setdefault(call, []).append(_Injection(times, (GRPC_CODES[status], text)))

    def hang_operation(self, call: str, times: int = 1) -> None:
        """Make the next ``times`` operations started by ``call`` never finish."""
        with self.lock:
            self._operation_hangs.setdefault(call, []).append(_Injection(times, True))

    @staticmethod
    def _take(injections: dict[str, list[_Injection]], call: str) -> Any:
        queue = injections.get(call)
        if not queue:
            return None
        head = queue[0]
        head.remaining -= 1
        if head.remaining <= 0:
            queue.pop(0)
        return head.payload

    # ------------------------------------------------------------------ HTTP plumbing

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body: dict[str, Any] | None = json.loads(raw) if raw.strip() else None
        query = parse_qs(url.query)
        call, match = "Unknown", None
        for method, pattern, name in _ROUTES:
            if method == handler.command:
                match = pattern.match(url.path)
                if match:
                    call = name
                    break
        with self.lock:
            self.requests.append(RecordedRequest(call, handler.command, url.path, query, body))
            try:
                injected = self._take(self._http_failures, call)
                if injected is not None:
                    raise injected
                if match is None:
                    raise ApiError(404, f"The requested URL {url.path} was not found on this server.")
                params = match.groupdict()
                self._check_location(params)
                try:
                    vertex_rules.check_query(call, query)
                    self.parsed = vertex_rules.parse_body(call, body)
                    status, payload = 200, getattr(self, f"_{call}")(params, query, body or {})
                except RequestRejected as rejected:
                    raise ApiError(400, rejected.description, rejected.status, rejected.field) from None
                after = self._take(self._failures_after, call)
                if after is not None:
                    raise after  # the request took effect, but the client sees an error (half-finished)
            except ApiError as err:
                status, payload = err.http_status, err.payload()
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=UTF-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _check_location(self, params: dict[str, str]) -> None:
        if params.get("project") not in (self.project, self.project_number):
            raise ApiError(403, f"Permission denied on project {params.get('project')} (or it may not exist).")
        if params.get("location") != self.region:
            raise ApiError(400, f"Location {params.get('location')} is not served by this fake.")

    def _start_operation(
        self,
        call: str,
        parent: str,
        metadata: str,
        complete: Callable[[], dict[str, Any]],
        error: tuple[int, str] | None = None,
        on_error: Callable[[], None] | None = None,
    ) -> dict[str, Any]:
        injected = self._take(self._operation_failures, call)
        op = FakeOperation(
            on_error=on_error,
            name=f"{parent}/operations/{next(self._ids)}",
            call=call,
            metadata_type=TYPE_PREFIX + metadata,
            complete=complete,
            polls_left=self.polls_until_done,
            error=error or injected,
            hang=bool(self._take(self._operation_hangs, call)),
        )
        self.operations[op.name] = op
        if op.polls_left <= 0 and not op.hang:
            op._finish()
        return op.to_json()

    def _model(self, model: str) -> dict[str, Any]:
        model_id = model.rsplit("/", 1)[-1].split("@", 1)[0]
        if model_id not in self.models:
            raise ApiError(404, f'Model "{model}" is not found.')
        return self.models[model_id]

    def _endpoint(self, endpoint_id: str) -> dict[str, Any]:
        if endpoint_id not in self.endpoints:
            raise ApiError(404, f'Endpoint "{self._canonical_location()}/endpoints/{endpoint_id}" is not found.')
        return self.endpoints[endpoint_id]

    @staticmethod
    def _find_deployed(endpoint: dict[str, Any], deployed_model_id: str) -> dict[str, Any]:
        for deployed in endpoint["deployedModels"]:
            if deployed["id"] == deployed_model_id:
                return deployed
        raise ApiError(404, f"Deployed model {deployed_model_id} is not found in {endpoint['name']}.")

    @staticmethod
    def _mask_paths(mask: Any) -> list[str]:
        if isinstance(mask, dict):
            mask = ",".join(mask.get("paths", []))
        text = mask[0] if isinstance(mask, list) else (mask or "")
        return [_snake(p.strip()) for p in str(text).split(",") if p.strip()]

    # ------------------------------------------------------------------ ModelService

    def _UploadModel(self, params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        model = copy.deepcopy(body.get("model") or {})
        if not model.get("displayName"):
            raise ApiError(400, "Model.display_name is required.")
        if not (model.get("containerSpec") or {}).get("imageUri"):
            raise ApiError(400, "Model.container_spec.image_uri is required for a custom container model.")
        parsed = self.parsed.model
        vertex_rules.check_labels(dict(parsed.labels), "model.labels")
        if parsed.encryption_spec.kms_key_name:
            vertex_rules.check_kms(parsed.encryption_spec.kms_key_name, self.region, "model.encryption_spec")
        model_id = str(9000000000000000000 + next(self._ids))
        name = f"{self._canonical_location()}/models/{model_id}"
        model.update(
            name=name,
            versionId="1",
            versionAliases=["default"],
            createTime=_TIMESTAMP,
            updateTime=_TIMESTAMP,
            deployedModels=[],
        )

        def complete() -> dict[str, Any]:
            self.models[model_id] = model
            return {"@type": TYPE_PREFIX + "UploadModelResponse", "model": name, "modelVersionId": "1"}

        return self._start_operation("UploadModel", name, "UploadModelOperationMetadata", complete)

    def _ListModels(self, params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        models = list(self.models.values())
        text = (query.get("filter") or [""])[0]
        if text:
            match = _LABEL_FILTER.match(text)
            if not match:
                raise ApiError(400, f"Unsupported filter: {text}")
            key = match["qkey"] or match["key"]
            value = match["qvalue"] if match["qvalue"] is not None else match["value"]
            models = [m for m in models if (m.get("labels") or {}).get(key) == value]
        size = int((query.get("pageSize") or ["2"])[0]) or 2
        start = int((query.get("pageToken") or ["0"])[0] or 0)
        out: dict[str, Any] = {"models": copy.deepcopy(models[start : start + size])}
        if start + size < len(models):
            out["nextPageToken"] = str(start + size)
        return out

    def _GetModel(self, params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        return copy.deepcopy(self._model(params["id"]))

    def _UpdateModel(self, params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        model = self._model(params["id"])
        paths = self._mask_paths(query.get("updateMask"))
        if not paths:
            raise ApiError(400, "update_mask is required.")
        for path in paths:
            if path not in MUTABLE_MODEL_PATHS:
                raise ApiError(400, f"Field {path} cannot be updated.")
            if path == "labels":
                vertex_rules.check_labels(dict(self.parsed.labels), "model.labels")
            key = MUTABLE_MODEL_PATHS[path]
            if key in body:
                model[key] = copy.deepcopy(body[key])
            else:
                model.pop(key, None)
        model["updateTime"] = _TIMESTAMP
        return copy.deepcopy(model)

    def _DeleteModel(self, params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        model = self._model(params["id"])
        if model["deployedModels"]:
            where = ", ".join(ref["endpoint"] for ref in model["deployedModels"])
            raise ApiError(
                400,
                f"The Model {model['name']} is deployed or being deployed at the following Endpoint(s): "
                f"{where}. Undeploy it first.",
                "FAILED_PRECONDITION",
            )

        def complete() -> dict[str, Any]:
            self.models.pop(params["id"], None)
            return {"@type": "type.googleapis.com/google.protobuf.Empty"}

        return self._start_operation("DeleteModel", self._canonical_location(), "DeleteOperationMetadata", complete)

    # ------------------------------------------------------------------ EndpointService

    def _GetEndpoint(self, params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        return copy.deepcopy(self._endpoint(params["id"]))

    def _DeployModel(self, params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        endpoint = self._endpoint(params["id"])
        deployed = copy.deepcopy(body.get("deployedModel") or {})
        model = self._model(deployed.get("model", ""))
        resources = deployed.get("dedicatedResources")
        if not resources or not (resources.get("machineSpec") or {}).get("machineType"):
            raise ApiError(400, "DeployedModel.dedicated_resources.machine_spec.machine_type is required.")
        min_count = int(resources.get("minReplicaCount", 0))
        max_count = int(resources.get("maxReplicaCount", 0)) or min_count
        if min_count < 1:
            raise ApiError(400, "dedicated_resources.min_replica_count must be at least 1.")
        if max_count < min_count:
            raise ApiError(400, "max_replica_count must be greater than or equal to min_replica_count.")
        vertex_rules.check_dedicated_resources(
            self.parsed.deployed_model.dedicated_resources, "deployed_model.dedicated_resources"
        )
        if endpoint.get("network") and endpoint["deployedModels"]:
            raise ApiError(
                400,
                "A private endpoint serves one deployed model; undeploy the current one first.",
                "FAILED_PRECONDITION",
            )
        split = {k: int(v) for k, v in (body.get("trafficSplit") or {}).items()}
        existing = {d["id"] for d in endpoint["deployedModels"]}
        if split:
            if sum(split.values()) != 100:
                raise ApiError(400, f"The traffic split percentages must add up to 100, got {split}.")
            unknown = set(split) - existing - {"0"}
            if unknown:
                raise ApiError(400, f"The traffic split references unknown deployed models {sorted(unknown)}.")
        image = (model.get("containerSpec") or {}).get("imageUri", "")
        error: tuple[int, str] | None = None
        if image in self.invalid_images:
            error = (
                GRPC_CODES["INVALID_ARGUMENT"],
                f"Failed to deploy model: the container image {image} could not be pulled. "
                "Check that the image exists and that the Vertex AI Service Agent can read it.",
            )
        deployed_model_id = str(7000000000000000000 + next(self._ids))
        deployed.update(
            id=deployed_model_id,
            model=model["name"],
            modelVersionId=model.get("versionId", "1"),
            createTime=_TIMESTAMP,
        )
        deployed.setdefault("displayName", model.get("displayName", ""))
        if endpoint.get("network"):
            endpoint_id = endpoint["name"].rsplit("/", 1)[-1]
            base = f"http://{endpoint_id}.aiplatform.googleapis.com/v1/models/{deployed_model_id}"
            deployed["privateEndpoints"] = {"predictHttpUri": f"{base}:predict", "healthHttpUri": f"{base}:health"}

        # From the request on the model is "deployed or being deployed" (DeleteModel refuses it); a failed deploy
        # releases it.
        reference = {"endpoint": endpoint["name"], "deployedModelId": deployed_model_id}
        model["deployedModels"].append(reference)

        def complete() -> dict[str, Any]:
            endpoint["deployedModels"].append(deployed)
            if split:
                endpoint["trafficSplit"] = {(deployed_model_id if k == "0" else k): v for k, v in split.items()}
            return {"@type": TYPE_PREFIX + "DeployModelResponse", "deployedModel": copy.deepcopy(deployed)}

        def release() -> None:
            if reference in model["deployedModels"]:
                model["deployedModels"].remove(reference)

        return self._start_operation(
            "DeployModel", endpoint["name"], "DeployModelOperationMetadata", complete, error, on_error=release
        )

    def _MutateDeployedModel(self, params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        endpoint = self._endpoint(params["id"])
        update = body.get("deployedModel") or {}
        deployed = self._find_deployed(endpoint, str(update.get("id", "")))
        paths = self._mask_paths(body.get("updateMask"))
        if not paths:
            raise ApiError(400, "update_mask is required.")
        for path in paths:
            if path not in MUTABLE_DEPLOYED_MODEL_PATHS:
                raise ApiError(400, f"Field {path} of a DeployedModel cannot be mutated.")
        new_resources = copy.deepcopy(deployed.get("dedicatedResources") or {})
        for path in paths:
            parent, key = MUTABLE_DEPLOYED_MODEL_PATHS[path]
            if parent:
                source = update.get(parent) or {}
                if key in source:
                    new_resources[key] = copy.deepcopy(source[key])
                else:
                    new_resources.pop(key, None)
        min_count = int(new_resources.get("minReplicaCount", 0))
        max_count = int(new_resources.get("maxReplicaCount", 0)) or min_count
        if min_count < 1 or max_count < min_count:
            raise ApiError(400, f"Invalid replica bounds min={min_count} max={max_count}.")
        merged = aiplatform_v1.DedicatedResources.pb()()
        json_format.ParseDict(new_resources, merged)
        vertex_rules.check_dedicated_resources(
            aiplatform_v1.DedicatedResources.wrap(merged), "deployed_model.dedicated_resources"
        )

        def complete() -> dict[str, Any]:
            deployed["dedicatedResources"] = new_resources
            if "disable_container_logging" in paths:
                deployed["disableContainerLogging"] = bool(update.get("disableContainerLogging", False))
            return {
                "@type": TYPE_PREFIX + "MutateDeployedModelResponse",
                "deployedModel": copy.deepcopy(deployed),
            }

        return self._start_operation(
            "MutateDeployedModel", endpoint["name"], "MutateDeployedModelOperationMetadata", complete
        )

    def _UndeployModel(self, params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        endpoint = self._endpoint(params["id"])
        deployed_model_id = str(body.get("deployedModelId", ""))
        deployed = self._find_deployed(endpoint, deployed_model_id)
        remaining = [d["id"] for d in endpoint["deployedModels"] if d["id"] != deployed_model_id]
        split = {k: int(v) for k, v in (body.get("trafficSplit") or {}).items()}
        if split:
            if sum(split.values()) != 100:
                raise ApiError(400, f"The traffic split percentages must add up to 100, got {split}.")
            unknown = set(split) - set(remaining) - {deployed_model_id}
            if unknown:
                raise ApiError(400, f"The traffic split references unknown deployed models {sorted(unknown)}.")
            if split.get(deployed_model_id, 0):
                raise ApiError(400, "The new traffic split still assigns traffic to the undeployed model.")
        elif remaining and endpoint["trafficSplit"].get(deployed_model_id, 0):
            raise ApiError(
                400,
                f"Deployed model {deployed_model_id} still has traffic assigned; provide a traffic_split "
                "that unassigns it.",
                "FAILED_PRECONDITION",
            )

        def complete() -> dict[str, Any]:
            endpoint["deployedModels"] = [d for d in endpoint["deployedModels"] if d["id"] != deployed_model_id]
            if not endpoint["deployedModels"]:
                endpoint["trafficSplit"] = {}
            elif split:
                endpoint["trafficSplit"] = {k: v for k, v in split.items() if k != deployed_model_id}
            else:
                endpoint["trafficSplit"].pop(deployed_model_id, None)
            model_id = deployed["model"].rsplit("/", 1)[-1]
            if model_id in self.models:
                refs = self.models[model_id]["deployedModels"]
                self.models[model_id]["deployedModels"] = [r for r in refs if r["deployedModelId"] != deployed_model_id]
            return {"@type": TYPE_PREFIX + "UndeployModelResponse"}

        return self._start_operation("UndeployModel", endpoint["name"], "UndeployModelOperationMetadata", complete)

    # ------------------------------------------------------------------ Operations

    def _GetOperation(self, params: dict[str, str], query: dict[str, list[str]], body: dict[str, Any]) -> Any:
        name = params["name"].replace(f"projects/{self.project}/", f"projects/{self.project_number}/", 1)
        op = self.operations.get(name)
        if op is None:
            raise ApiError(404, f"Operation {params['name']} is not found.")
        return op.poll()


def _snake(path: str) -> str:
    """``dedicatedResources.minReplicaCount`` -> ``dedicated_resources.min_replica_count``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", lambda m: "_" + m.group(1).lower(), path)
