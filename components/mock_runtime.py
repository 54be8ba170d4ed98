"""The one place the Pulumi SDK's mock runtime is set up: used by the offline plan and by the tests.

:func:`run_program` runs a Pulumi program (``__main__.py`` or any callable) with
``pulumi.runtime.set_mocks``: no CLI, no engine, no credentials, no network. Every resource registration is
recorded (type, name, parent, inputs as the engine receives them, resource options) and answered
(:class:`components.mock_cloud.CloudLikeMocks`) with outputs that look like the cloud's (auto-names with a deterministic suffix, ARNs, ids, e-mails), so values
derived from outputs render as they would after ``pulumi up``. Two runs of the same program and config give
identical results.
"""

from __future__ import annotations

import asyncio
import json
import runpy
import sys
import threading
import warnings
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pulumi
from google.protobuf import struct_pb2
from pulumi.runtime import mocks as sdk_mocks
from pulumi.runtime import rpc, settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.stack import wait_for_rpcs
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from .gc_settings import settings_restored
from .mock_cloud import DYNAMIC_PROVIDER_KEY, MOCK_ACCOUNT, MOCK_PROJECT_NUMBER, CloudLikeMocks
from .secret_display import SECRET, ciphertext_fingerprint

__all__ = [
    "DYNAMIC_PROVIDER_KEY",
    "MOCK_ACCOUNT",
    "MOCK_PROJECT_NUMBER",
    "RECORDED_OPTIONS",
    "SECRET",
    "STACK_TYPE",
    "CloudLikeMocks",
    "DeclaredResource",
    "DeclaredStack",
    "RecordingMonitor",
    "config_for_engine",
    "run_main",
    "run_program",
]

RECORDED_OPTIONS = (
    "protect",
    "retainOnDelete",
    "deleteBeforeReplace",
    "ignoreChanges",
    "replaceOnChanges",
    "additionalSecretOutputs",
    "deletedWith",
    "aliases",
    "customTimeouts",
    "dependsOn",
)
"""The resource options a plan records (listed in the plan, so that a diff compares only what both plans record)."""
STACK_TYPE = "pulumi:pulumi:Stack"


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
class DeclaredStack:
    """Everything a program declared under the mock runtime: resources (sorted by URN) and stack outputs.

    The record the offline plan (``python -m components.plan``) prints and the tests inspect; formerly named
    ``Plan``, which stays importable as a deprecated alias (with a ``DeprecationWarning``).
    """

    stack: str
    resources: list[DeclaredResource]
    outputs: dict[str, Any]
    provider_config: dict[str, str] = field(default_factory=dict)

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
        """``{"stack", "provider_config", "resources": [{"urn", "type", "name", "parent", "inputs", "options"}...],
        "outputs"}``; ``provider_config`` holds the regions (and GCP project) every regional resource lives in."""
        return {
            "stack": self.stack,
            "provider_config": dict(self.provider_config),
            "recorded_options": list(RECORDED_OPTIONS),
            "resources": [
                {"urn": r.urn, "type": r.type, "name": r.name, "parent": r.parent, "inputs": r.inputs}
                | ({"options": r.options} if r.options else {})
                for r in self.resources
            ],
            "outputs": self.outputs,
        }


async def _resolve_keeping_secrets(value: Any) -> Any:
    """Stack outputs as plain values, a secret one as :data:`SECRET` (never its value)."""
    if isinstance(value, pulumi.Output):
        if await value.is_secret():
            return SECRET
        return await _resolve_keeping_secrets(await value.future())
    if isinstance(value, Mapping):
        return {key: await _resolve_keeping_secrets(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [await _resolve_keeping_secrets(item) for item in value]
    if asyncio.isfuture(value) or asyncio.iscoroutine(value):
        return await _resolve_keeping_secrets(await value)
    return value


def _secrets_masked(struct: struct_pb2.Struct, fingerprint: bool = False) -> struct_pb2.Struct:
    """A copy of a registration's inputs with each secret replaced by :data:`SECRET` where it sits (the SDK's
    deserializer would instead mark the whole top-level property secret, hiding its other keys from the plan);
    with ``fingerprint``, a secret text shows as :data:`components.secret_display.CIPHERTEXT_FINGERPRINT` instead."""
    masked = struct_pb2.Struct()
    masked.CopyFrom(struct)
    _mask_values(masked.fields.values(), fingerprint)
    return masked


def _mask_values(values: Any, fingerprint: bool) -> None:
    for value in values:
        if value.HasField("struct_value"):
            fields = value.struct_value.fields
            sig = fields.get(rpc._special_sig_key)
            if sig is not None and sig.string_value == rpc._special_secret_sig:
                secret = fields.get("value")
                text = secret.string_value if secret is not None and secret.HasField("string_value") else None
                value.string_value = ciphertext_fingerprint(text) if fingerprint and text else SECRET
            else:
                _mask_values(fields.values(), fingerprint)
        elif value.HasField("list_value"):
            _mask_values(value.list_value.values, fingerprint)


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

    def __init__(self, mocks: sdk_mocks.Mocks, fingerprint_secrets: bool = False):
        super().__init__(mocks)
        self.fingerprint_secrets = fingerprint_secrets
        """Show secret texts as :data:`components.secret_display.CIPHERTEXT_FINGERPRINT` (only when they are
        stack-file ciphertexts)."""
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
        inputs = (
            rpc.deserialize_properties(_secrets_masked(request.object, self.fingerprint_secrets), keep_internal=False)
            or {}
        )
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
        if request.additionalSecretOutputs:
            options["additionalSecretOutputs"] = sorted(request.additionalSecretOutputs)
        if request.deletedWith:
            options["deletedWith"] = request.deletedWith
        aliases = _aliases(request)
        if aliases:
            options["aliases"] = aliases
        timeouts = {
            k: v
            for k, v in (
                ("create", request.customTimeouts.create),
                ("update", request.customTimeouts.update),
                ("delete", request.customTimeouts.delete),
            )
            if v
        }
        if timeouts:
            options["customTimeouts"] = timeouts
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


def _aliases(request: Any) -> list[str]:
    """The aliases of a registration, each as a URN or as ``name=... type=... parent=...`` (sorted)."""
    found = set(request.aliasURNs)
    for alias in request.aliases:
        if alias.urn:
            found.add(alias.urn)
        elif alias.HasField("spec"):
            spec = alias.spec
            parts = [
                f"{key}={value}"
                for key, value in (
                    ("name", spec.name),
                    ("type", spec.type),
                    ("stack", spec.stack),
                    ("project", spec.project),
                )
                if value
            ]
            parent = spec.parentUrn or ("none" if spec.noParent else "")
            found.add(" ".join([*parts, *([f"parent={parent}"] if parent else [])]))
    return sorted(found)


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
    secrets_are_ciphertexts: bool = False,
) -> DeclaredStack:
    """Run ``program`` under the mock runtime and return what it declared.

    Args:
        program: the Pulumi program, e.g. ``lambda: runpy.run_path("__main__.py")``.
        stack: stack name returned by ``pulumi.get_stack()``.
        config: config keys as in the stack file (objects stay objects).
        project: project name returned by ``pulumi.get_project()``.
        secrets_are_ciphertexts: the secret values the program sends are stack-file ciphertexts (a plan of stack
            files), so a plan may show their fingerprint
            (:data:`components.secret_display.CIPHERTEXT_FINGERPRINT`); otherwise ``[secret]``.

    Exceptions raised by the program propagate (a ``pulumi.RunError`` carries a config report).
    """
    mocks = CloudLikeMocks(config)
    monitor = RecordingMonitor(mocks, fingerprint_secrets=secrets_are_ciphertexts)
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
        resolved.update(await _resolve_keeping_secrets(outputs) or {})

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
        with settings_restored():  # a program may tune the collector for its run (``__main__.py`` does)
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
    provider_config = {"aws:region": mocks.region, "gcp:project": mocks.gcp_project, "gcp:region": mocks.gcp_region}
    return DeclaredStack(stack=stack, resources=resources, outputs=_plain(resolved), provider_config=provider_config)


def run_main(
    program_dir: str | Path,
    *,
    stack: str,
    config: Mapping[str, Any],
    project: str = "ml-serving",
    secrets_are_ciphertexts: bool = False,
) -> DeclaredStack:
    """Run a Pulumi project's ``__main__.py`` (in ``program_dir``) under the mock runtime (arguments as
    :func:`run_program`'s)."""
    directory = Path(program_dir).resolve()
    entry = directory / "__main__.py"

    def program() -> None:
        sys.path.insert(0, str(directory))
        try:
            runpy.run_path(str(entry), run_name="__pulumi_main__")
        finally:
            sys.path.remove(str(directory))

    return run_program(
        program, stack=stack, config=config, project=project, secrets_are_ciphertexts=secrets_are_ciphertexts
    )


if TYPE_CHECKING:
    Plan = DeclaredStack
    """Deprecated name of :class:`DeclaredStack`."""
else:

    def __getattr__(name: str) -> Any:
        """``Plan``: the deprecated name of :class:`DeclaredStack` (importers keep working, with a warning). Type
        checkers see a plain alias, so that they still report unknown names of this module."""
        if name == "Plan":
            warnings.warn(
                "components.mock_runtime.Plan is deprecated: use components.mock_runtime.DeclaredStack",
                DeprecationWarning,
                stacklevel=2,
            )
            return DeclaredStack
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
