"""The one place the Pulumi SDK's mock runtime is set up: used by the offline plan and by the tests.

:func:`run_program` runs a Pulumi program (``__main__.py`` or any callable) with
``pulumi.runtime.set_mocks``: no CLI, no engine, no credentials, no network. Every resource registration is
recorded (type, name, parent, inputs as the engine receives them, resource options) and answered with
outputs that look like the cloud's (auto-names with a deterministic suffix, ARNs, ids, e-mails), so values
derived from outputs render as they would after ``pulumi up``. Two runs of the same program and config give
identical results.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import runpy
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import struct_pb2
from pulumi.runtime import mocks as sdk_mocks
from pulumi.runtime import rpc, settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.stack import wait_for_rpcs
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

MOCK_ACCOUNT = "123456789012"
"""AWS account id of the mock runtime."""
MOCK_PROJECT_NUMBER = "123456789"
"""GCP project number of the mock runtime."""
DYNAMIC_PROVIDER_KEY = "__provider"
STACK_TYPE = "pulumi:pulumi:Stack"

# Resource types that Pulumi auto-names, and the property holding the name.
AUTO_NAMED: dict[str, str] = {
    "aws:sagemaker/model:Model": "name",
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": "name",
    "aws:sagemaker/endpoint:Endpoint": "name",
    "aws:iam/role:Role": "name",
    "aws:iam/rolePolicy:RolePolicy": "name",
    "aws:iam/policy:Policy": "name",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:sns/topic:Topic": "name",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": "alarmName",
    "aws:cloudwatch/dashboard:Dashboard": "dashboardName",
    "aws:appautoscaling/policy:Policy": "name",
    "aws:appautoscaling/scheduledAction:ScheduledAction": "name",
    "aws:kms/alias:Alias": "name",
    "gcp:storage/bucket:Bucket": "name",
}


def _suffix(*parts: str, length: int = 7) -> str:
    return hashlib.sha256("::".join(parts).encode()).hexdigest()[:length]


def _uuid(*parts: str) -> str:
    digest = hashlib.sha256("::".join(parts).encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


class CloudLikeMocks(sdk_mocks.Mocks):
    """Answers registrations and invokes the way AWS and GCP would, deterministically.

    Args:
        config: the stack's config keys (``aws:region``, ``gcp:project``, ``gcp:region``...).
    """

    def __init__(self, config: Mapping[str, Any]):
        self.region = str(config.get("aws:region") or "us-east-1")
        self.gcp_project = str(config.get("gcp:project") or "mock-project")
        self.gcp_region = str(config.get("gcp:region") or "us-central1")

    def call(self, args: sdk_mocks.MockCallArgs) -> tuple[dict, list[tuple[str, str]]]:
        """Answer data-source invokes (caller identity, region, partition, GCP project)."""
        token = args.token
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            arn = f"arn:aws:iam::{MOCK_ACCOUNT}:user/ml-serving-ci"
            return {"accountId": MOCK_ACCOUNT, "arn": arn, "userId": "AIDAMOCKUSER", "id": MOCK_ACCOUNT}, []
        if token == "aws:index/getRegion:getRegion":
            region = args.args.get("region") or self.region
            return {
                "region": region,
                "name": region,
                "id": region,
                "endpoint": f"ec2.{region}.amazonaws.com",
            }, []
        if token == "aws:index/getPartition:getPartition":
            return {
                "partition": "aws",
                "dnsSuffix": "amazonaws.com",
                "id": "aws",
                "reverseDnsPrefix": "com.amazonaws",
            }, []
        if token == "gcp:organizations/getProject:getProject":
            project = args.args.get("projectId") or self.gcp_project
            return {
                "projectId": project,
                "number": MOCK_PROJECT_NUMBER,
                "name": project,
                "id": f"projects/{project}",
            }, []
        return dict(args.args), []

    def new_resource(self, args: sdk_mocks.MockResourceArgs) -> tuple[str | None, dict]:
        """Return (id, state): the inputs plus the outputs the cloud would compute."""
        state = {key: value for key, value in args.inputs.items() if key != DYNAMIC_PROVIDER_KEY}
        if not args.custom:
            return f"{args.name}-component", state
        name_key = AUTO_NAMED.get(args.typ)
        if name_key and not state.get(name_key):
            prefix = state.get("namePrefix")
            state[name_key] = (
                f"{prefix}{_suffix(args.typ, args.name, length=26)}"
                if prefix
                else f"{args.name}-{_suffix(args.typ, args.name)}"
            )
        resource_id = self._outputs(args.typ, args.name, state)
        return resource_id, state

    def _outputs(self, typ: str, logical: str, state: dict[str, Any]) -> str:
        region, account = state.get("region") or self.region, MOCK_ACCOUNT
        name = str(state.get("name", logical))
        service, _, kind = typ.partition(":")[2].partition("/")
        arn_of = {
            "sagemaker/model:Model": f"arn:aws:sagemaker:{region}:{account}:model/{name}",
            "sagemaker/endpointConfiguration:EndpointConfiguration": f"arn:aws:sagemaker:{region}:{account}:endpoint-config/{name}",
            "sagemaker/endpoint:Endpoint": f"arn:aws:sagemaker:{region}:{account}:endpoint/{name}",
            "iam/role:Role": f"arn:aws:iam::{account}:role/{name}",
            "iam/policy:Policy": f"arn:aws:iam::{account}:policy/{name}",
            "sns/topic:Topic": f"arn:aws:sns:{region}:{account}:{name}",
            "cloudwatch/metricAlarm:MetricAlarm": f"arn:aws:cloudwatch:{region}:{account}:alarm:{name}",
            "appautoscaling/policy:Policy": (
                f"arn:aws:autoscaling:{region}:{account}:scalingPolicy:{_uuid(typ, logical)}:"
                f"resource/{state.get('serviceNamespace', 'sagemaker')}/{state.get('resourceId', '')}:policyName/{name}"
            ),
            "appautoscaling/target:Target": f"arn:aws:application-autoscaling:{region}:{account}:scalable-target/{_suffix(typ, logical, length=32)}",
            "kms/key:Key": f"arn:aws:kms:{region}:{account}:key/{_uuid(typ, logical)}",
        }
        key = f"{service}/{kind}"
        if typ.startswith("aws:") and key in arn_of:
            state.setdefault("arn", arn_of[key])
        if typ.startswith("aws:"):
            state.setdefault("tagsAll", state.get("tags") or {})
        if typ == "aws:s3/bucket:Bucket" or typ == "aws:s3/bucketV2:BucketV2":
            bucket = state["bucket"]
            state.setdefault("arn", f"arn:aws:s3:::{bucket}")
            state.setdefault("bucketRegionalDomainName", f"{bucket}.s3.{region}.amazonaws.com")
            return str(bucket)
        if typ == "aws:sns/topic:Topic":
            return str(state["arn"])
        if typ == "aws:iam/role:Role":
            state.setdefault("uniqueId", "AROA" + _suffix(typ, logical, length=17).upper())
            return name
        if typ == "aws:iam/rolePolicy:RolePolicy":
            return f"{state.get('role')}:{name}"
        if typ == "aws:appautoscaling/target:Target":
            return str(state.get("resourceId"))
        if typ == "aws:kms/key:Key":
            key_id = str(state["arn"]).rsplit("/", 1)[-1]
            state.setdefault("keyId", key_id)
            return key_id
        if typ == "aws:cloudwatch/dashboard:Dashboard":
            state.setdefault("dashboardArn", f"arn:aws:cloudwatch::{account}:dashboard/{state.get('dashboardName')}")
            return str(state.get("dashboardName"))
        if typ.startswith("gcp:"):
            return self._gcp_outputs(typ, logical, state)
        if typ.startswith("pulumi-python:dynamic"):
            return self._vertex_model_outputs(typ, logical, state)
        return name if "name" in state else f"{logical}-{_suffix(typ, logical)}"

    def _vertex_model_outputs(self, typ: str, logical: str, state: dict[str, Any]) -> str:
        """What the Vertex model deployment resource reports after create (ids Vertex assigns)."""
        if "image_uri" in state and "endpoint" in state:
            region = state.get("region") or self.gcp_region
            model_id = str(int(_suffix(typ, logical, "model", length=15), 16))
            state["model"] = f"projects/{MOCK_PROJECT_NUMBER}/locations/{region}/models/{model_id}"
            state["model_version_id"] = "1"
            state["deployed_model_id"] = str(int(_suffix(typ, logical, "deployed", length=15), 16))
            state["deployment_key"] = _suffix(typ, logical, "key", length=16)
            return f"{state['endpoint']}/deployedModels/{state['deployed_model_id']}"
        return f"{logical}-{_suffix(typ, logical)}"

    def _gcp_outputs(self, typ: str, logical: str, state: dict[str, Any]) -> str:
        project = state.get("project") or self.gcp_project
        location = state.get("location") or state.get("region") or self.gcp_region
        state.setdefault("project", project)
        labels = state.get("labels") or {}
        state.setdefault("effectiveLabels", labels)
        state.setdefault("pulumiLabels", labels)
        if typ == "gcp:serviceaccount/account:Account":
            email = f"{state['accountId']}@{project}.iam.gserviceaccount.com"
            state.setdefault("email", email)
            state.setdefault("member", f"serviceAccount:{email}")
            state.setdefault("uniqueId", str(int(_suffix(typ, logical, length=12), 16)))
            state.setdefault("name", f"projects/{project}/serviceAccounts/{email}")
            return str(state["name"])
        if typ == "gcp:storage/bucket:Bucket":
            state.setdefault("url", f"gs://{state['name']}")
            state.setdefault("selfLink", f"https://www.googleapis.com/storage/v1/b/{state['name']}")
            return str(state["name"])
        if typ == "gcp:vertex/aiEndpoint:AiEndpoint":
            # Vertex assigns numeric endpoint ids (at most 10 digits, no leading zero).
            state.setdefault("name", str(1_000_000_000 + int(_suffix(typ, logical, length=8), 16) % 9_000_000_000))
            if state.get("dedicatedEndpointEnabled"):
                state.setdefault(
                    "dedicatedEndpointDns", f"{state['name']}.{location}-{MOCK_PROJECT_NUMBER}.prediction.vertexai.goog"
                )
            return f"projects/{project}/locations/{location}/endpoints/{state['name']}"
        if "name" in state:
            return str(state["name"])
        return f"{logical}-{_suffix(typ, logical)}"


@dataclass(frozen=True)
class DeclaredResource:
    """A resource as the program declared it.

    Attributes:
        urn: the resource's URN. type: its type token. name: its logical name.
        parent: the parent's URN, None for the stack itself.
        inputs: the inputs as the engine receives them (Pulumi property names, e.g. ``endpointConfigName``).
        custom: False for components. options: protect / retainOnDelete / deleteBeforeReplace / dependsOn...
    """

    urn: str
    type: str
    name: str
    parent: str | None
    inputs: dict[str, Any]
    custom: bool = True
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    """Everything a program declared under the mock runtime: resources (sorted by URN) and stack outputs."""

    stack: str
    resources: list[DeclaredResource]
    outputs: dict[str, Any]

    def by_type(self, type_token: str) -> list[DeclaredResource]:
        """The declared resources of one type."""
        return [resource for resource in self.resources if resource.type == type_token]

    def one(self, type_token: str, name: str | None = None) -> DeclaredResource:
        """The single resource of that type (and logical name); raises if there is not exactly one."""
        found = [r for r in self.by_type(type_token) if name is None or r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one {type_token} {name or ''}, found {[r.name for r in found]}")
        return found[0]

    def to_json(self) -> dict[str, Any]:
        """``{"stack", "resources": [{"urn", "type", "name", "parent", "inputs"}...], "outputs"}``."""
        return {
            "stack": self.stack,
            "resources": [
                {"urn": r.urn, "type": r.type, "name": r.name, "parent": r.parent, "inputs": r.inputs}
                | ({"options": r.options} if r.options else {})
                for r in self.resources
            ],
            "outputs": self.outputs,
        }


SECRET = "[secret]"
"""How a secret value shows in the plan (as in ``pulumi preview``)."""


def _secrets_masked(struct: struct_pb2.Struct) -> struct_pb2.Struct:
    """A copy of a registration's inputs with each secret replaced by :data:`SECRET` where it sits (the SDK's
    deserializer would instead mark the whole top-level property secret, hiding its other keys from the plan)."""
    masked = struct_pb2.Struct()
    masked.CopyFrom(struct)
    _mask_values(masked.fields.values())
    return masked


def _mask_values(values: Any) -> None:
    for value in values:
        if value.HasField("struct_value"):
            fields = value.struct_value.fields
            sig = fields.get(rpc._special_sig_key)
            if sig is not None and sig.string_value == rpc._special_secret_sig:
                value.string_value = SECRET
            else:
                _mask_values(fields.values())
        elif value.HasField("list_value"):
            _mask_values(value.list_value.values)


def _plain(value: Any) -> Any:
    """Make deserialized engine values JSON-friendly (resources become their URNs, tuples lists, secrets
    ``[secret]`` as ``pulumi preview`` shows them)."""
    if rpc.is_rpc_secret(value):
        return SECRET
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, pulumi.Resource):
        return f"<resource {type(value).__name__}>"
    if isinstance(value, float) and value.is_integer():
        return int(value)  # the engine's wire format has only doubles; show counts as integers
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class RecordingMonitor(sdk_mocks.MockMonitor):
    """The SDK's mock monitor, also recording each registration with its parent and options."""

    def __init__(self, mocks: sdk_mocks.Mocks):
        super().__init__(mocks)
        self.declared: list[DeclaredResource] = []
        self._lock = threading.Lock()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """URNs as the real engine builds them: the parent's qualified type, except the stack's, prefixes ours."""
        qualified = type_
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != STACK_TYPE:
                qualified = f"{parent_type}${type_}"
        return "urn:pulumi:" + "::".join([pulumi.get_stack(), pulumi.get_project(), qualified, name])

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)
        if request.type == STACK_TYPE:
            return response
        inputs = rpc.deserialize_properties(_secrets_masked(request.object), keep_internal=False) or {}
        inputs = {key: value for key, value in inputs.items() if key != DYNAMIC_PROVIDER_KEY}
        options: dict[str, Any] = {}
        if request.protect:
            options["protect"] = True
        if request.retainOnDelete:
            options["retainOnDelete"] = True
        if request.deleteBeforeReplace:
            options["deleteBeforeReplace"] = True
        if request.ignoreChanges:
            options["ignoreChanges"] = sorted(request.ignoreChanges)
        if request.replaceOnChanges:
            options["replaceOnChanges"] = sorted(request.replaceOnChanges)
        if request.dependencies:
            options["dependsOn"] = sorted(set(request.dependencies))
        record = DeclaredResource(
            urn=response.urn,
            type=request.type,
            name=request.name,
            parent=request.parent or None,
            inputs=_plain(inputs),
            custom=bool(request.custom),
            options=options,
        )
        with self._lock:
            self.declared.append(record)
        return response


def config_for_engine(values: Mapping[str, Any]) -> dict[str, str]:
    """Stack-file config values as the engine hands them to a program: strings, objects as JSON."""
    engine: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, Mapping) and set(value) == {"secure"}:
            engine[key] = SECRET
        elif isinstance(value, str):
            engine[key] = value
        else:
            engine[key] = json.dumps(value)
    return engine


def run_program(
    program: Callable[[], Any],
    *,
    stack: str,
    config: Mapping[str, Any],
    project: str = "ml-serving",
) -> Plan:
    """Run ``program`` under the mock runtime and return what it declared.

    Args:
        program: the Pulumi program, e.g. ``lambda: runpy.run_path("__main__.py")``.
        stack: stack name returned by ``pulumi.get_stack()``.
        config: config keys as in the stack file (objects stay objects).
        project: project name returned by ``pulumi.get_project()``.

    Exceptions raised by the program propagate (a ``pulumi.RunError`` carries a config report).
    """
    mocks = CloudLikeMocks(config)
    monitor = RecordingMonitor(mocks)
    settings.SETTINGS.rpc_manager.clear()
    settings.SETTINGS.outputs.clear()
    settings.set_root_resource(None)  # type: ignore[arg-type]
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
    set_all_config(config_for_engine(config))
    root = settings.get_root_resource()
    resolved: dict[str, Any] = {}

    async def main() -> None:
        program()
        await wait_for_rpcs()
        outputs = getattr(root, "outputs", {})
        resolved.update(await pulumi.Output.from_input(outputs).future() or {})

    # The SDK runs monitor calls on executor threads that each need an event loop. A fresh executor per run
    # opens them itself and closes them when the run ends, instead of leaving them to the garbage collector at
    # interpreter exit (where asyncio complains on stderr); runs in one process stay independent.
    loop = _ensure_event_loop()
    thread_loops: list[asyncio.AbstractEventLoop] = []

    def open_thread_loop() -> None:
        thread_loop = asyncio.new_event_loop()
        asyncio.set_event_loop(thread_loop)
        thread_loops.append(thread_loop)

    executor = ThreadPoolExecutor(thread_name_prefix="mock-runtime", initializer=open_thread_loop)
    loop.set_default_executor(executor)
    try:
        _sync_await(main())
    finally:
        settings.SETTINGS.rpc_manager.clear()
        settings.SETTINGS.outputs.clear()
        executor.shutdown(wait=True)
        for thread_loop in thread_loops:
            thread_loop.close()
        loop.set_default_executor(ThreadPoolExecutor())  # threads start lazily; later users of the loop need one
    stack_urn = f"urn:pulumi:{stack}::{project}::{STACK_TYPE}::{project}-{stack}"
    resources = [DeclaredResource(stack_urn, STACK_TYPE, f"{project}-{stack}", None, {}, custom=False)]
    resources += sorted(monitor.declared, key=lambda r: r.urn)
    return Plan(stack=stack, resources=resources, outputs=_plain(resolved))


def run_main(program_dir: str | Path, *, stack: str, config: Mapping[str, Any], project: str = "ml-serving") -> Plan:
    """Run a Pulumi project's ``__main__.py`` (in ``program_dir``) under the mock runtime."""
    directory = Path(program_dir).resolve()
    entry = directory / "__main__.py"

    def program() -> None:
        sys.path.insert(0, str(directory))
        try:
            runpy.run_path(str(entry), run_name="__pulumi_main__")
        finally:
            sys.path.remove(str(directory))

    return run_program(program, stack=stack, config=config, project=project)
