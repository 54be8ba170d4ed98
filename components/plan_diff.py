"""Compare two offline plans the way Pulumi would apply them: which resources are added, deleted, replaced, updated.

What forces a replacement comes from the facts (:mod:`components.facts.resource_types`): the replace-on-change
properties of every declared type, "every input but tags" for immutable types (SageMaker models and endpoint
configurations), tags and labels never. A change of the provider's region replaces every regional resource. The
resource options (protect, retainOnDelete, deleteBeforeReplace, ignoreChanges, aliases...) are compared too. A
replacement propagates to the immutable resources that depend on it (a new model means a new endpoint configuration:
the roll-over) and marks the other dependents as updated.

What a reviewer must not miss (outage, data, blocked) is classified by :mod:`components.plan_review`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .facts.resource_types import RESOURCE_TYPES, reference_property, replacing_properties
from .secret_display import undecidable_secret_change

COMPARED_OPTIONS = (
    "protect",
    "retainOnDelete",
    "deleteBeforeReplace",
    "ignoreChanges",
    "replaceOnChanges",
    "aliases",
    "additionalSecretOutputs",
    "customTimeouts",
    "deletedWith",
)
"""Resource options whose change the diff reports (``dependsOn`` follows from the inputs and is not listed)."""

LEGACY_RECORDED_OPTIONS = ("protect", "retainOnDelete", "deleteBeforeReplace", "ignoreChanges", "replaceOnChanges")
"""The options plans recorded before they listed them (``recorded_options``): release 0.1.0."""

REGION_KEYS = {"aws": "aws:region", "gcp": "gcp:region"}
"""Provider config key holding the region of each cloud's resources (in the plan's ``provider_config``)."""


@dataclass(frozen=True)
class Change:
    """One changed input, output or option: dotted path, old and new value (``None`` when absent)."""

    path: str
    old: Any
    new: Any


@dataclass
class ResourceDiff:
    """How one resource differs: ``add``, ``delete``, ``replace`` or ``update``.

    Attributes:
        changes: the changed inputs. option_changes: the changed resource options.
        reason: why it is replaced or updated when no input of its own changed (or which input forces it).
        before / after: the resource's options in the base and the head plan (empty when absent).
    """

    action: str
    urn: str
    type: str
    name: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    option_changes: list[Change] = field(default_factory=list)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)

    @property
    def retained(self) -> bool:
        """True when the old resource is kept in the cloud when Pulumi deletes it (``retainOnDelete``)."""
        return bool(self.before.get("retainOnDelete"))

    @property
    def deletes_data(self) -> bool:
        """True when this step deletes a resource that holds user data (and it is not retained)."""
        entry = RESOURCE_TYPES.get(self.type)
        holds = entry is not None and entry.holds_user_data
        return holds and self.action in ("delete", "replace") and not self.retained


@dataclass
class PlanDiff:
    """The differences between a base plan and a head plan, plus their output changes."""

    stack: str
    resources: list[ResourceDiff]
    outputs: list[Change]
    provider_config: list[Change] = field(default_factory=list)

    def of(self, action: str) -> list[ResourceDiff]:
        """The resource diffs with that action, sorted by URN."""
        return sorted((r for r in self.resources if r.action == action), key=lambda r: r.urn)

    @property
    def empty(self) -> bool:
        """True when nothing changes."""
        return not self.resources and not self.outputs and not self.provider_config


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
        if before.get(path) != after.get(path) and not undecidable_secret_change(before.get(path), after.get(path))
    ]


def top_level(path: str) -> str:
    """The top-level property of a flattened path: ``productionVariants[0].instanceType`` -> ``productionVariants``."""
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def option_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], compared: Iterable[str] = COMPARED_OPTIONS
) -> list[Change]:
    """The ``compared`` resource options that differ (absent and false / empty are the same)."""
    return [
        Change(name, before.get(name) or None, after.get(name) or None)
        for name in COMPARED_OPTIONS
        if name in compared and (before.get(name) or None) != (after.get(name) or None)
    ]


def compared_options(base: Mapping[str, Any], head: Mapping[str, Any]) -> frozenset[str]:
    """The options both plans record: an option a plan did not record is unknown there, not absent."""
    recorded = [set(plan.get("recorded_options") or LEGACY_RECORDED_OPTIONS) for plan in (base, head)]
    return frozenset(COMPARED_OPTIONS) & recorded[0] & recorded[1]


def is_ignored(path: str, ignored: Iterable[str]) -> bool:
    """True when ``path`` (``a.b[0].c``) is, or is under, one of the ``ignoreChanges`` paths (Pulumi keeps the old
    value of those inputs, so their change is no diff at all)."""
    return any(path == prefix or path.startswith((f"{prefix}.", f"{prefix}[")) for prefix in ignored)


def _by_urn(plan: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {resource["urn"]: resource for resource in plan.get("resources", [])}


STACK_TYPE = "pulumi:pulumi:Stack"


def _qualified_type(parent: str | None, type_token: str) -> str:
    """The type part of a URN: the parent's qualified type and ``$`` prefix ours, except under the stack."""
    if not parent:
        return type_token
    parent_type = parent.split("::")[2]
    return type_token if parent_type == STACK_TYPE else f"{parent_type}${type_token}"


def alias_urns(resource: Mapping[str, Any]) -> list[str]:
    """The URNs a resource's ``aliases`` option names (as the mock runtime records them: URNs or specs).

    A spec (``name=... type=... parent=...``) defaults each missing part to the resource's own, as Pulumi does.
    """
    stack, project = resource["urn"].split("::")[0].removeprefix("urn:pulumi:"), resource["urn"].split("::")[1]
    found = []
    for alias in (resource.get("options") or {}).get("aliases") or []:
        if alias.startswith("urn:pulumi:"):
            found.append(alias)
            continue
        spec = dict(part.split("=", 1) for part in alias.split(" ") if "=" in part)
        parent = resource.get("parent") if "parent" not in spec else spec["parent"]
        parent = None if parent == "none" else parent  # an alias with no parent
        qualified = _qualified_type(parent, spec.get("type", resource["type"]))
        name = spec.get("name", resource["name"])
        found.append(f"urn:pulumi:{spec.get('stack', stack)}::{spec.get('project', project)}::{qualified}::{name}")
    return found


def _follow_aliases(old: dict[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]) -> None:
    """Re-key base resources under the head URN of the resource that aliases them (a rename, not delete + add)."""
    for urn, resource in new.items():
        if urn in old:
            continue
        for alias in alias_urns(resource):
            if alias in old:
                old[urn] = old.pop(alias)
                break


def _region_changes(base: Mapping[str, Any], head: Mapping[str, Any]) -> dict[str, Change]:
    """Cloud (``aws``, ``gcp``) -> its region change, when both plans record the provider config."""
    old, new = base.get("provider_config"), head.get("provider_config")
    if not old or not new:
        return {}
    return {
        cloud: Change(key, old.get(key), new.get(key))
        for cloud, key in REGION_KEYS.items()
        if old.get(key) != new.get(key)
    }


def _replace_reason(resource: Mapping[str, Any], changes: list[Change], region: Change | None) -> str:
    """Why a resource present in both plans is replaced ("" when it is not)."""
    entry = RESOURCE_TYPES.get(resource["type"])
    if region is not None and entry is not None and entry.regional:
        return f"region {region.old} -> {region.new}"
    changed = [top_level(change.path) for change in changes]
    forced = replacing_properties(resource["type"], changed)
    forced += [key for key in changed if key in ((resource.get("options") or {}).get("replaceOnChanges") or [])]
    return ", ".join(dict.fromkeys(forced))


def diff_plans(base: Mapping[str, Any], head: Mapping[str, Any]) -> PlanDiff:
    """Compare two plans (the JSON of ``python -m components.plan --json``)."""
    old, new = _by_urn(base), _by_urn(head)
    _follow_aliases(old, new)
    regions = _region_changes(base, head)
    compared = compared_options(base, head)
    diffs: dict[str, ResourceDiff] = {}
    for urn in sorted(set(old) | set(new)):
        before, after = old.get(urn), new.get(urn)
        before_options = dict((before or {}).get("options") or {})
        after_options = dict((after or {}).get("options") or {})
        if before is None and after is not None:
            diffs[urn] = ResourceDiff("add", urn, after["type"], after["name"], after=after_options)
        elif after is None and before is not None:
            diffs[urn] = ResourceDiff("delete", urn, before["type"], before["name"], before=before_options)
        elif before is not None and after is not None:
            ignored = after_options.get("ignoreChanges") or []
            changes = [
                change
                for change in input_changes(before.get("inputs") or {}, after.get("inputs") or {})
                if not is_ignored(change.path, ignored)
            ]
            options = option_changes(before_options, after_options, compared)
            region = regions.get(after["type"].split(":", 1)[0])
            reason = _replace_reason(after, changes, region)
            if changes or options or reason:
                diffs[urn] = ResourceDiff(
                    "replace" if reason else "update",
                    urn,
                    after["type"],
                    after["name"],
                    changes,
                    reason,
                    options,
                    before_options,
                    after_options,
                )
    _propagate_replacements(diffs, new)
    outputs = input_changes(base.get("outputs") or {}, head.get("outputs") or {})
    provider = input_changes(base.get("provider_config") or {}, head.get("provider_config") or {})
    if not base.get("provider_config") or not head.get("provider_config"):
        provider = []  # a plan made before the provider config was recorded: nothing to compare
    stack = str(head.get("stack") or base.get("stack") or "")
    return PlanDiff(stack, list(diffs.values()), outputs, provider)


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
            # the input through which the dependent names the replaced resource (a fact of its type): when it is
            # in the dependent's ignoreChanges, the replacement does not update the dependent
            through = reference_property(resource["type"], diffs[replaced].type)
            if through and is_ignored(through, (resource.get("options") or {}).get("ignoreChanges") or []):
                continue
            entry = RESOURCE_TYPES.get(resource["type"])
            options = dict(resource.get("options") or {})
            if entry is not None and entry.immutable and (current is None or current.action == "update"):
                diffs[urn] = ResourceDiff(
                    "replace",
                    urn,
                    resource["type"],
                    resource["name"],
                    current.changes if current else [],
                    reason,
                    current.option_changes if current else [],
                    current.before if current else options,
                    options,
                )
                pending.append(urn)
            elif current is None:
                diffs[urn] = ResourceDiff(
                    "update", urn, resource["type"], resource["name"], [], reason, [], options, options
                )


def __getattr__(name: str) -> Any:
    """``render_diff`` moved to :mod:`components.plan_review`; it stays importable from here."""
    if name == "render_diff":
        from .plan_review import render_diff

        return render_diff
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
