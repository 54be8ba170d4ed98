"""Compare two offline plans the way a reviewer reads a preview: replacements and data deletions first.

Which input changes replace a resource is taken from what the clouds do: SageMaker models and endpoint
configurations are immutable (any change creates a new one), the Vertex model deployment replaces on the keys
its provider declares (:data:`components.gcp.model_deployment.REPLACE_KEYS`), buckets replace when their name
changes. A replacement propagates to immutable resources that depend on it (a new model means a new endpoint
configuration: the roll-over), and marks the resources that reference it as updated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .gcp.model_deployment import REPLACE_KEYS as VERTEX_MODEL_REPLACE_KEYS

ALL = frozenset({"*"})
"""Any input change replaces the resource."""

REPLACE_ON: dict[str, frozenset[str]] = {
    "aws:sagemaker/model:Model": ALL,
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": ALL,
    "aws:iam/role:Role": frozenset({"name", "namePrefix", "path"}),
    "aws:s3/bucket:Bucket": frozenset({"bucket", "bucketPrefix"}),
    "aws:s3/bucketV2:BucketV2": frozenset({"bucket", "bucketPrefix"}),
    "aws:sns/topic:Topic": frozenset({"name", "namePrefix", "fifoTopic"}),
    "aws:appautoscaling/target:Target": frozenset({"resourceId", "scalableDimension", "serviceNamespace"}),
    "aws:kms/key:Key": frozenset({"customerMasterKeySpec", "keyUsage", "multiRegion"}),
    "gcp:vertex/aiEndpoint:AiEndpoint": frozenset(
        {"location", "region", "project", "encryptionSpec", "network", "name"}
    ),
    "gcp:storage/bucket:Bucket": frozenset({"name", "location", "project"}),
    "gcp:serviceaccount/account:Account": frozenset({"accountId", "project"}),
    "pulumi-python:dynamic/gcp:VertexModelDeployment": frozenset(VERTEX_MODEL_REPLACE_KEYS),
    # terraform-provider-aws aws_sagemaker_endpoint: name and deployment_config (auto_rollback_configuration) are
    # ForceNew; the deployment ignores both changes on its name holder (components.aws.endpoint_lifecycle).
    "aws:sagemaker/endpoint:Endpoint": frozenset({"name", "deploymentConfig"}),
    # components.aws.endpoint_lifecycle.provider.REPLACE_KEYS (checked by tests/lifecycle/test_wiring.py).
    "pulumi-python:dynamic/aws:SageMakerEndpointLifecycle": frozenset({"endpoint_name", "region"}),
}

REFERENCES: dict[tuple[str, str], str] = {
    (
        "aws:sagemaker/endpoint:Endpoint",
        "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
    ): "endpointConfigName",
}
"""``(dependent type, dependency type) -> input`` through which the dependent names its dependency; when that input
is in the dependent's ``ignoreChanges``, a replacement of the dependency does not update the dependent."""

DATA_HOLDERS = frozenset({"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "gcp:storage/bucket:Bucket"})
"""Resource types whose deletion deletes user data (async outputs)."""


@dataclass(frozen=True)
class Change:
    """One changed input: dotted path, old and new value (``None`` when absent)."""

    path: str
    old: Any
    new: Any


@dataclass
class ResourceDiff:
    """How one resource differs: ``add``, ``delete``, ``replace`` or ``update``, with the changed inputs."""

    action: str
    urn: str
    type: str
    name: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    retained: bool = False

    @property
    def deletes_data(self) -> bool:
        """True when this step deletes a bucket that holds user data (and it is not retained)."""
        return self.type in DATA_HOLDERS and self.action in ("delete", "replace") and not self.retained


@dataclass
class PlanDiff:
    """The differences between a base plan and a head plan, plus their output changes."""

    stack: str
    resources: list[ResourceDiff]
    outputs: list[Change]

    def of(self, action: str) -> list[ResourceDiff]:
        """The resource diffs with that action, sorted by URN."""
        return sorted((r for r in self.resources if r.action == action), key=lambda r: r.urn)

    @property
    def empty(self) -> bool:
        """True when nothing changes."""
        return not self.resources and not self.outputs


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": [1]}}`` -> ``{"a.b[0]": 1}``; leaves (and empty containers) keep their value."""
    flat: dict[str, Any] = {}
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            flat.update(flatten(item, f"{prefix}[{index}]"))
    else:
        flat[prefix] = value
    return flat


def input_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Changed leaf inputs between two input mappings, sorted by path."""
    before, after = flatten(old), flatten(new)
    return [
        Change(path, before.get(path), after.get(path))
        for path in sorted(set(before) | set(after))
        if before.get(path) != after.get(path)
    ]


def replaces(type_token: str, changes: Iterable[Change]) -> bool:
    """True when one of ``changes`` forces a replacement of a resource of that type."""
    keys = REPLACE_ON.get(type_token, frozenset())
    if keys == ALL:
        return True
    return any(change.path.split(".", 1)[0].split("[", 1)[0] in keys for change in changes)


def is_ignored(path: str, ignored: Iterable[str]) -> bool:
    """True when ``path`` (``a.b[0].c``) is, or is under, one of the ``ignoreChanges`` paths (Pulumi keeps the old
    value of those inputs, so their change is no diff at all)."""
    return any(path == prefix or path.startswith((f"{prefix}.", f"{prefix}[")) for prefix in ignored)


def _by_urn(plan: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {resource["urn"]: resource for resource in plan.get("resources", [])}


def diff_plans(base: Mapping[str, Any], head: Mapping[str, Any]) -> PlanDiff:
    """Compare two plans (the JSON of ``python -m components.plan --json``)."""
    old, new = _by_urn(base), _by_urn(head)
    diffs: dict[str, ResourceDiff] = {}
    for urn in sorted(set(old) | set(new)):
        before, after = old.get(urn), new.get(urn)
        if before is None and after is not None:
            diffs[urn] = ResourceDiff("add", urn, after["type"], after["name"])
        elif after is None and before is not None:
            retained = bool((before.get("options") or {}).get("retainOnDelete"))
            diffs[urn] = ResourceDiff("delete", urn, before["type"], before["name"], retained=retained)
        elif before is not None and after is not None:
            ignored = (after.get("options") or {}).get("ignoreChanges") or []
            changes = [
                change
                for change in input_changes(before.get("inputs") or {}, after.get("inputs") or {})
                if not is_ignored(change.path, ignored)
            ]
            if changes:
                action = "replace" if replaces(after["type"], changes) else "update"
                retained = bool((before.get("options") or {}).get("retainOnDelete"))
                diffs[urn] = ResourceDiff(action, urn, after["type"], after["name"], changes, retained=retained)
    _propagate_replacements(diffs, new)
    outputs = input_changes(base.get("outputs") or {}, head.get("outputs") or {})
    return PlanDiff(str(head.get("stack") or base.get("stack") or ""), list(diffs.values()), outputs)


def _propagate_replacements(diffs: dict[str, ResourceDiff], resources: Mapping[str, Mapping[str, Any]]) -> None:
    """A replaced resource gets a new identity: immutable dependents are replaced, others updated."""
    pending = [urn for urn, diff in diffs.items() if diff.action == "replace"]
    while pending:
        replaced = pending.pop()
        for urn, resource in resources.items():
            if replaced not in (resource.get("options") or {}).get("dependsOn", []):
                continue
            reason = f"{diffs[replaced].name} is replaced"
            current = diffs.get(urn)
            through = REFERENCES.get((resource["type"], diffs[replaced].type))
            if through and is_ignored(through, (resource.get("options") or {}).get("ignoreChanges") or []):
                continue
            immutable = REPLACE_ON.get(resource["type"]) == ALL
            if immutable and (current is None or current.action == "update"):
                diffs[urn] = ResourceDiff(
                    "replace", urn, resource["type"], resource["name"], current.changes if current else [], reason
                )
                pending.append(urn)
            elif current is None:
                diffs[urn] = ResourceDiff("update", urn, resource["type"], resource["name"], [], reason)


def _value(value: Any) -> str:
    text = "(absent)" if value is None else repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 120 else text[:117] + "..."


def render_diff(diff: PlanDiff, base_label: str = "base", head_label: str = "head") -> str:
    """A review-friendly text: data deletions and replacements at the top, then adds, deletes, updates."""
    lines = [f"Plan diff of stack {diff.stack}: {base_label} -> {head_label}"]
    if diff.empty:
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    data = sorted((r for r in diff.resources if r.deletes_data), key=lambda r: r.urn)
    replaced = diff.of("replace")
    retained = [
        r for r in diff.resources if r.type in DATA_HOLDERS and r.action in ("delete", "replace") and r.retained
    ]
    if data:
        lines.append(f"!! DELETES USER DATA ({len(data)}): these buckets and the outputs in them would be deleted")
        lines += [f"   - {r.type}  {r.name}" for r in data]
    if retained:
        lines.append(
            f"!  Buckets dropped from the stack but retained in the cloud ({len(retained)}): delete them by hand if unwanted"
        )
        lines += [f"   - {r.type}  {r.name}" for r in retained]
    if replaced:
        lines.append(f"!  REPLACED ({len(replaced)}): created anew, then the old one is deleted")
        for r in replaced:
            why = r.reason or ", ".join(change.path for change in r.changes[:5])
            lines.append(f"   +- {r.type}  {r.name}  ({why})")
    sections = (
        ("add", "+", "Added"),
        ("delete", "-", "Deleted"),
        ("replace", "+-", "Replaced"),
        ("update", "~", "Updated"),
    )
    counts = ", ".join(f"{len(diff.of(action))} {title.lower()}" for action, _, title in sections)
    lines.append(f"Summary: {counts}")
    for action, mark, title in sections:
        items = diff.of(action)
        if not items:
            continue
        lines.append(f"{title}:")
        for r in items:
            lines.append(f"  {mark} {r.type}  {r.name}" + (f"  ({r.reason})" if r.reason else ""))
            lines += [f"      {c.path}: {_value(c.old)} -> {_value(c.new)}" for c in r.changes]
    if diff.outputs:
        lines.append("Outputs:")
        lines += [f"  ~ {c.path}: {_value(c.old)} -> {_value(c.new)}" for c in diff.outputs]
    return "\n".join(lines) + "\n"
