"""Strict request checks of the fake Vertex AI server (a test fixture, not product code).

Every body is parsed into its ``aiplatform_v1`` request message with ``json_format.Parse`` (no
``ignore_unknown_fields``), so an unknown field or an int32 out of range fails as it does on the real service;
fields the protos document as "Output only." are refused; and the documented serving rules are enforced with
literals written here from the docs, independent of ``components.facts`` (so that the product's facts are checked,
not repeated):

- machines and accelerators: https://cloud.google.com/vertex-ai/docs/predictions/configure-compute and
  https://cloud.google.com/compute/docs/gpus (G2 comes with L4s; L4 cannot attach to N1; N1 serving up to 32 vCPUs;
  E2 / N2 / C2 take no GPU; A2 High comes with A100s);
- ``AutoscalingMetricSpec.metric_name`` / ``target`` (three online metrics, 1-100 % for utilization);
- labels (https://cloud.google.com/resource-manager/docs/labels-overview#requirements);
- ``EncryptionSpec.kms_key_name``: the key in the location of the resource.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from google.cloud import aiplatform_v1
from google.protobuf import json_format
from google.protobuf.message import Message

REQUEST_BODIES: dict[str, tuple[Any, str | None]] = {
    "UploadModel": (aiplatform_v1.UploadModelRequest, None),
    "UpdateModel": (aiplatform_v1.Model, "model"),
    "DeployModel": (aiplatform_v1.DeployModelRequest, None),
    "MutateDeployedModel": (aiplatform_v1.MutateDeployedModelRequest, None),
    "UndeployModel": (aiplatform_v1.UndeployModelRequest, None),
}
"""RPC -> (message its HTTP body parses into, name of the body field or ``None`` for ``body: "*"``)."""

QUERY_PARAMETERS: dict[str, set[str]] = {
    "ListModels": {"filter", "pageSize", "pageToken", "readMask", "orderBy"},
    "UpdateModel": {"updateMask"},
}
"""Query parameters each RPC accepts besides ``$alt`` (the aiplatform v1 HTTP bindings)."""

ONLINE_METRICS = {
    "aiplatform.googleapis.com/prediction/online/cpu/utilization",
    "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle",
    "aiplatform.googleapis.com/prediction/online/request_count",
}
_LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
_G2_L4 = {"g2-standard-4": 1, "g2-standard-8": 1, "g2-standard-12": 1, "g2-standard-16": 1, "g2-standard-32": 1,
          "g2-standard-24": 2, "g2-standard-48": 4, "g2-standard-96": 8}  # fmt: skip
_A2_A100 = {"a2-highgpu-1g": 1, "a2-highgpu-2g": 2, "a2-highgpu-4g": 4, "a2-highgpu-8g": 8}


class RequestRejected(Exception):
    """A request the real service refuses: HTTP 400 with a ``google.rpc.BadRequest`` field violation."""

    def __init__(self, field: str, description: str, status: str = "INVALID_ARGUMENT") -> None:
        """Refuse ``field`` (proto path) with ``description``."""
        super().__init__(description)
        self.field = field
        self.description = description
        self.status = status


@cache
def output_only_fields(message: type) -> frozenset[str]:
    """Fields the proto comments of ``message`` (a proto-plus class) mark "Output only."."""
    doc = message.__doc__ or ""
    found = re.finditer(r"^\s{8}(\w+) \([^)]*\):\n\s+(.*)$", doc, re.M)
    return frozenset(m.group(1) for m in found if m.group(2).strip().startswith("Output only"))


def parse_body(call: str, body: dict[str, Any] | None) -> Any:
    """Parse ``body`` into the request message of ``call``; refuse unknown fields and bodies on bodiless calls."""
    if call not in REQUEST_BODIES:
        if body:
            raise RequestRejected("", f"Invalid JSON payload received. {call} takes no request body.")
        return None
    message_class, _ = REQUEST_BODIES[call]
    message = message_class.pb()()
    try:
        json_format.Parse(json.dumps(body or {}), message)
    except json_format.ParseError as err:
        text = str(err).split("\n", 1)[0]
        unknown = re.search(r'has no field named "([^"]+)" at "([^"]+)"', text)
        if unknown:
            raise RequestRejected(
                unknown[2],
                f"Invalid JSON payload received. Unknown name \"{unknown[1]}\" at '{unknown[2]}': Cannot find field.",
            ) from None
        raise RequestRejected("", f"Invalid JSON payload received. {text}") from None
    _refuse_output_only(message, "")
    return message_class.wrap(message)


def check_query(call: str, query: dict[str, list[str]]) -> None:
    """Refuse query parameters the HTTP binding of ``call`` does not define."""
    allowed = QUERY_PARAMETERS.get(call, set()) | {"$alt"}
    for key in query:
        if key not in allowed:
            raise RequestRejected(
                key, f'Invalid JSON payload received. Unknown name "{key}": Cannot bind query parameter.'
            )


def _refuse_output_only(message: Message, path: str) -> None:
    cls = getattr(aiplatform_v1, message.DESCRIPTOR.name, None)
    banned = (
        output_only_fields(cls)
        if cls is not None and message.DESCRIPTOR.full_name.startswith("google.cloud.aiplatform.v1.")
        else frozenset()
    )
    for field, value in message.ListFields():
        where = f"{path}.{field.name}" if path else field.name
        if field.name in banned:
            raise RequestRejected(where, f"{where} is output only and must not be set.")
        if field.message_type is not None and not field.message_type.GetOptions().map_entry:
            for item in value if field.is_repeated else [value]:
                _refuse_output_only(item, where)


def check_labels(labels: dict[str, str], where: str) -> None:
    """Label rules: at most 64; keys and values lowercase, 63 characters."""
    if len(labels) > 64:
        raise RequestRejected(where, f"{where}: at most 64 labels.")
    for key, value in labels.items():
        if not _LABEL_KEY.match(key) or not _LABEL_VALUE.match(value):
            raise RequestRejected(where, f"{where}: invalid label {key}={value}.")


def check_kms(kms_key_name: str, location: str, where: str) -> None:
    """The CMEK key must be in the resource's location."""
    match = re.match(r"^projects/[^/]+/locations/([^/]+)/keyRings/[^/]+/cryptoKeys/[^/]+$", kms_key_name)
    if not match:
        raise RequestRejected(where, f"{where}: {kms_key_name} is not a Cloud KMS key name.")
    if match[1] != location:
        raise RequestRejected(where, f"{where}: the key must be in {location}, not {match[1]}.")


def check_dedicated_resources(resources: aiplatform_v1.DedicatedResources, where: str) -> None:
    """Machine / accelerator pairing, replica bounds and autoscaling metric specs of a deployment."""
    machine = resources.machine_spec
    mtype, accel, count = machine.machine_type, machine.accelerator_type.name, machine.accelerator_count
    family = mtype.split("-", 1)[0]
    has_accel = accel != "ACCELERATOR_TYPE_UNSPECIFIED"
    if has_accel != (count > 0):
        raise RequestRejected(f"{where}.machine_spec", "accelerator_type and accelerator_count go together.")
    if family in ("e2", "n2", "c2") and has_accel:
        raise RequestRejected(f"{where}.machine_spec", f"{mtype} does not support accelerators.")
    if family == "n1":
        if int(mtype.rsplit("-", 1)[-1]) > 32:
            raise RequestRejected(f"{where}.machine_spec", f"Machine type {mtype} is not supported for serving.")
        if accel == "NVIDIA_L4":
            raise RequestRejected(f"{where}.machine_spec", "NVIDIA_L4 can only be used with G2 machines.")
    if family == "g2" and (accel != "NVIDIA_L4" or _G2_L4.get(mtype) != count):
        raise RequestRejected(f"{where}.machine_spec", f"{mtype} requires {_G2_L4.get(mtype)} NVIDIA_L4.")
    if mtype in _A2_A100 and (accel != "NVIDIA_TESLA_A100" or _A2_A100[mtype] != count):
        raise RequestRejected(f"{where}.machine_spec", f"{mtype} requires {_A2_A100[mtype]} NVIDIA_TESLA_A100.")
    names = [spec.metric_name for spec in resources.autoscaling_metric_specs]
    if len(set(names)) != len(names):
        raise RequestRejected(f"{where}.autoscaling_metric_specs", "At most one entry is allowed per metric.")
    for spec in resources.autoscaling_metric_specs:
        if spec.metric_name not in ONLINE_METRICS:
            raise RequestRejected(f"{where}.autoscaling_metric_specs", f"Unsupported metric {spec.metric_name}.")
        if spec.metric_name.endswith("duty_cycle") and not has_accel:
            raise RequestRejected(f"{where}.autoscaling_metric_specs", "duty_cycle needs an accelerator.")
        utilization = not spec.metric_name.endswith("request_count")
        if (utilization and not 1 <= spec.target <= 100) or spec.target < 0:
            raise RequestRejected(f"{where}.autoscaling_metric_specs", f"Target {spec.target} is out of range.")
