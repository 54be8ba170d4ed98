"""A stateful fake of the SageMaker and Application Auto Scaling calls an endpoint update makes (a test fixture).

moto implements neither ``UpdateEndpoint`` nor the Updating / RollingBack states, so this local HTTP server
(127.0.0.1, started and stopped by the test) speaks the AWS JSON 1.1 protocol of both services to real botocore
clients (``endpoint_url`` pointed at it). Every request is validated twice by botocore's own parameter validation:
client-side by the client, and server-side here against the same service model, so a request the product code
builds by hand cannot slip through.

SageMaker: ``DescribeEndpoint``, ``DescribeEndpointConfig``, ``UpdateEndpoint``, ``DeleteEndpointConfig``,
``DeleteModel`` (both succeed even when an endpoint still uses the object, as SageMaker's do). An update goes
InService -> Updating -> InService on the new configuration, or Updating -> RollingBack -> InService on the old one
(with a ``FailureReason``), or Updating -> RollingBack -> UpdateRollbackFailed, as set per configuration in
:attr:`FakeSageMaker.outcomes`; each ``DescribeEndpoint`` advances one step. ``RetainAllVariantProperties`` keeps
live instance counts and weights. Like SageMaker, ``UpdateEndpoint`` refuses an update that changes the instance
type of, or removes, a variant registered as a scalable target (ValidationException), and an update of an endpoint
that is not InService.

Application Auto Scaling: ``RegisterScalableTarget``, ``DeregisterScalableTarget`` (deletes the target's policies
and scheduled actions), ``DescribeScalableTargets``, ``PutScalingPolicy``, ``DescribeScalingPolicies``,
``PutScheduledAction``, ``DescribeScheduledActions``.
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import botocore.session
from botocore.validate import ParamValidator

from components.facts.endpoint_updates import AUTOSCALED_VARIANT_CHANGE_REFUSED

ACCOUNT = "123456789012"
REGION = "us-east-1"
SERVICES = {"SageMaker": "sagemaker", "AnyScaleFrontendService": "application-autoscaling"}
"""``X-Amz-Target`` prefix -> botocore service name."""


class FakeError(Exception):
    """An AWS error answer: code (``__type``), message, HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass
class FakeSageMaker:
    """The state behind the server; tests seed it and read it."""

    configs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    models: set[str] = field(default_factory=set)
    endpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    outcomes: dict[str, tuple[str, str]] = field(default_factory=dict)
    """``{config name: ("rollback" | "rollback_failed", FailureReason)}``; absent: the update succeeds."""
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)
    policies: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    schedules: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    fail_next: dict[str, FakeError] = field(default_factory=dict)
    """``{operation: error}``: the next call of that operation fails with that error (fault injection)."""
    _ids: itertools.count = field(default_factory=itertools.count)

    # -------------------------------------------------------------- seeding

    def add_config(
        self,
        name: str,
        variants: dict[str, tuple[str, int]],
        weights: dict[str, float] | None = None,
        model: str | None = None,
    ) -> None:
        """An endpoint configuration: ``{variant: (instance type, initial count)}``, weights 1.0 unless given, all
        variants serving ``model`` (default ``{name}-model``), which is created too."""
        model_name = model or f"{name}-model"
        self.models.add(model_name)
        self.configs[name] = [
            {
                "VariantName": v,
                "ModelName": model_name,
                "InstanceType": t,
                "InitialInstanceCount": n,
                "InitialVariantWeight": (weights or {}).get(v, 1.0),
            }
            for v, (t, n) in variants.items()
        ]

    def add_endpoint(self, name: str, config: str) -> None:
        """An InService endpoint on ``config`` with its variants at their initial counts."""
        self.endpoints[name] = {
            "config": config,
            "status": "InService",
            "failure": None,
            "steps": [],
            "variants": {
                v["VariantName"]: {"count": v["InitialInstanceCount"], "weight": v["InitialVariantWeight"]}
                for v in self.configs[config]
            },
        }

    def operations(self) -> list[str]:
        """Names of the operations called, in order."""
        return [name for name, _ in self.calls]

    # -------------------------------------------------------------- SageMaker

    def _endpoint(self, name: str) -> dict[str, Any]:
        if name not in self.endpoints:
            # SageMaker names a missing endpoint by its ARN, as moto reproduces it (getmoto/moto
            # tests/test_sagemaker/test_sagemaker_endpoint.py):
            # 'Could not find endpoint "arn:aws:sagemaker:REGION:ACCOUNT:endpoint/NAME".'
            arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/{name}"
            raise FakeError("ValidationException", f'Could not find endpoint "{arn}".')
        return self.endpoints[name]

    def DescribeEndpoint(self, p: dict[str, Any]) -> dict[str, Any]:
        endpoint = self._endpoint(p["EndpointName"])
        if endpoint["steps"]:
            endpoint.update(endpoint["steps"].pop(0))
        answer = {
            "EndpointName": p["EndpointName"],
            "EndpointArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/{p['EndpointName'].lower()}",
            "EndpointConfigName": endpoint["config"],
            "EndpointStatus": endpoint["status"],
            "CreationTime": 1_700_000_000,
            "LastModifiedTime": 1_700_000_000,
            "ProductionVariants": [
                {
                    "VariantName": v,
                    "CurrentWeight": s["weight"],
                    "DesiredWeight": s["weight"],
                    "CurrentInstanceCount": s["count"],
                    "DesiredInstanceCount": s["count"],
                }
                for v, s in sorted(endpoint["variants"].items())
            ],
        }
        if endpoint["failure"]:
            answer["FailureReason"] = endpoint["failure"]
        return answer

    def DescribeEndpointConfig(self, p: dict[str, Any]) -> dict[str, Any]:
        name = p["EndpointConfigName"]
        if name not in self.configs:
            raise FakeError("ValidationException", f'Could not find endpoint configuration "{name}".')
        return {
            "EndpointConfigName": name,
            "EndpointConfigArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint-config/{name.lower()}",
            "ProductionVariants": copy.deepcopy(self.configs[name]),
            "CreationTime": 1_700_000_000,
        }

    def DeleteEndpointConfig(self, p: dict[str, Any]) -> dict[str, Any]:
        name = p["EndpointConfigName"]
        if name not in self.configs:
            raise FakeError("ValidationException", f'Could not find endpoint configuration "{name}".')
        del self.configs[name]  # like SageMaker, even when an endpoint uses it
        return {}

    def DeleteModel(self, p: dict[str, Any]) -> dict[str, Any]:
        name = p["ModelName"]
        if name not in self.models:
            raise FakeError("ValidationException", f'Could not find model "{name}".')
        self.models.discard(name)
        return {}

    def UpdateEndpoint(self, p: dict[str, Any]) -> dict[str, Any]:
        name, new = p["EndpointName"], p["EndpointConfigName"]
        endpoint = self._endpoint(name)
        if endpoint["status"] != "InService":
            raise FakeError("ValidationException", f'Cannot update in-progress endpoint "{name}".')
        if new not in self.configs:
            raise FakeError("ValidationException", f'Could not find endpoint configuration "{new}".')
        old_types = {v["VariantName"]: v["InstanceType"] for v in self.configs[endpoint["config"]]}
        new_types = {v["VariantName"]: v["InstanceType"] for v in self.configs[new]}
        refused = [
            v
            for v, kind in old_types.items()
            if f"endpoint/{name}/variant/{v}" in self.targets and new_types.get(v) != kind
        ]
        if refused:
            raise FakeError(
                "ValidationException", AUTOSCALED_VARIANT_CHANGE_REFUSED.format(variants=", ".join(refused))
            )
        retain = bool(p.get("RetainAllVariantProperties"))
        excluded = {e["VariantPropertyType"] for e in p.get("ExcludeRetainedVariantProperties", [])}
        new_variants = {}
        for v in self.configs[new]:
            live = endpoint["variants"].get(v["VariantName"]) if retain else None
            new_variants[v["VariantName"]] = {
                "count": live["count"]
                if live and "DesiredInstanceCount" not in excluded
                else v["InitialInstanceCount"],
                "weight": live["weight"] if live and "DesiredWeight" not in excluded else v["InitialVariantWeight"],
            }
        old = {"config": endpoint["config"], "variants": endpoint["variants"]}
        outcome, reason = self.outcomes.get(new, ("succeed", ""))
        endpoint.update(status="Updating", failure=None)
        if outcome == "succeed":
            endpoint["steps"] = [
                {"status": "Updating"},
                {"status": "InService", "config": new, "variants": new_variants},
            ]
        elif outcome == "rollback":
            endpoint["steps"] = [
                {"status": "Updating"},
                {"status": "RollingBack", "failure": reason},
                {"status": "InService", "failure": reason, **old},
            ]
        else:
            endpoint["steps"] = [
                {"status": "RollingBack", "failure": reason},
                {"status": "UpdateRollbackFailed", "failure": reason},
            ]
        return {"EndpointArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/{name.lower()}"}

    # -------------------------------------------------------------- Application Auto Scaling

    def _target(self, rid: str) -> dict[str, Any]:
        if rid not in self.targets:
            raise FakeError(
                "ObjectNotFoundException",
                f"No scalable target registered for service namespace: sagemaker, resource ID: {rid}, "
                "scalable dimension: sagemaker:variant:DesiredInstanceCount",
            )
        return self.targets[rid]

    def RegisterScalableTarget(self, p: dict[str, Any]) -> dict[str, Any]:
        rid = p["ResourceId"]
        _, endpoint, _, variant = rid.split("/")
        if endpoint not in self.endpoints or variant not in self.endpoints[endpoint]["variants"]:
            raise FakeError("ValidationException", f"The endpoint variant {rid} does not exist.")
        target = self.targets.setdefault(rid, {"ResourceId": rid, "CreationTime": 1_700_000_000})
        for key in ("MinCapacity", "MaxCapacity", "SuspendedState"):
            if key in p:
                target[key] = p[key]
        arn = f"arn:aws:application-autoscaling:{REGION}:{ACCOUNT}:scalable-target/{abs(hash(rid)) % 10**12:012d}"
        target["ScalableTargetARN"] = arn
        return {"ScalableTargetARN": arn}

    def DeregisterScalableTarget(self, p: dict[str, Any]) -> dict[str, Any]:
        rid = p["ResourceId"]
        self._target(rid)
        del self.targets[rid]
        self.policies.pop(rid, None)
        self.schedules.pop(rid, None)
        return {}

    def DescribeScalableTargets(self, p: dict[str, Any]) -> dict[str, Any]:
        wanted = p.get("ResourceIds")
        found = [
            {
                "ServiceNamespace": "sagemaker",
                "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
                "RoleARN": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
                **copy.deepcopy(t),
            }
            for rid, t in sorted(self.targets.items())
            if wanted is None or rid in wanted
        ]
        return {"ScalableTargets": found}

    def PutScalingPolicy(self, p: dict[str, Any]) -> dict[str, Any]:
        rid = p["ResourceId"]
        self._target(rid)
        arn = f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:scalingPolicy:{next(self._ids):08d}:resource/sagemaker/{rid}:policyName/{p['PolicyName']}"
        body = {k: v for k, v in p.items() if k not in ("ServiceNamespace", "ScalableDimension", "ResourceId")}
        self.policies.setdefault(rid, {})[p["PolicyName"]] = {**body, "PolicyARN": arn}
        return {"PolicyARN": arn, "Alarms": []}

    def DescribeScalingPolicies(self, p: dict[str, Any]) -> dict[str, Any]:
        rid = p.get("ResourceId")
        found = [
            {
                **copy.deepcopy(policy),
                "ServiceNamespace": "sagemaker",
                "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
                "ResourceId": r,
                "Alarms": policy.get("Alarms", []),
                "CreationTime": 1_700_000_000,
            }
            for r, by_name in sorted(self.policies.items())
            if rid in (None, r)
            for policy in by_name.values()
        ]
        return {"ScalingPolicies": found}

    def PutScheduledAction(self, p: dict[str, Any]) -> dict[str, Any]:
        rid = p["ResourceId"]
        self._target(rid)
        body = {k: v for k, v in p.items() if k not in ("ServiceNamespace", "ScalableDimension", "ResourceId")}
        self.schedules.setdefault(rid, {})[p["ScheduledActionName"]] = body
        return {}

    def DescribeScheduledActions(self, p: dict[str, Any]) -> dict[str, Any]:
        rid = p.get("ResourceId")
        found = [
            {
                **copy.deepcopy(action),
                "ScheduledActionARN": f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:scheduledAction:x:resource/sagemaker/{r}:scheduledActionName/{name}",
                "ServiceNamespace": "sagemaker",
                "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
                "ResourceId": r,
                "CreationTime": 1_700_000_000,
            }
            for r, by_name in sorted(self.schedules.items())
            if rid in (None, r)
            for name, action in by_name.items()
        ]
        return {"ScheduledActions": found}


class FakeAwsServer:
    """The HTTP side: ``with FakeAwsServer() as server: boto3.client(..., endpoint_url=server.url)``."""

    def __init__(self, state: FakeSageMaker | None = None):
        self.state = state or FakeSageMaker()
        session = botocore.session.get_session()
        self._models = {name: session.get_service_model(name) for name in SERVICES.values()}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeAwsServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _answer(self, target: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        prefix, _, operation = target.partition(".")
        service = SERVICES.get(prefix)
        if service is None or not hasattr(self.state, operation):
            return 400, {"__type": "UnknownOperationException", "message": f"fake does not implement {target}"}
        shape = self._models[service].operation_model(operation).input_shape
        report = ParamValidator().validate(body, shape)
        if report.has_errors():
            return 400, {"__type": "ValidationException", "message": report.generate_report()}
        with self._lock:
            self.state.calls.append((operation, copy.deepcopy(body)))
            try:
                if operation in self.state.fail_next:
                    raise self.state.fail_next.pop(operation)
                return 200, getattr(self.state, operation)(body)
            except FakeError as error:
                return error.status, {"__type": error.code, "message": error.message}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                status, answer = server._answer(str(self.headers.get("X-Amz-Target")), body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: object) -> None:
                pass

        return Handler


def clients_for(url: str) -> Any:
    """A client factory ``(service, region) -> botocore client`` pointed at the fake (no retries: faults surface)."""
    import boto3
    from botocore.config import Config

    def factory(service: str, region: str) -> Any:
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"max_attempts": 1, "mode": "standard"}),
        )

    return factory


FAKE_URL_VARIABLE = "ML_SERVING_FAKE_AWS_URL"
"""Environment variable :func:`env_clients` reads the fake's URL from."""


def env_clients(service: str, region: str) -> Any:
    """A module-level client factory (pickled by reference with a provider) for the fake at ``$ML_SERVING_FAKE_AWS_URL``."""
    import os

    return clients_for(os.environ[FAKE_URL_VARIABLE])(service, region)
