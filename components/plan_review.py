"""The review of a plan diff: what a reviewer must not miss first, then the roll-overs, then everything else.

Risk categories, in the order they are shown:

- ``OUTAGE``: a resource that serves traffic (facts: ``serves_traffic``) is replaced or deleted, or an invoke /
  predict URL output changes or disappears (renaming a deployment, switching ``async`` on, a dedicated Vertex
  endpoint, another region): clients calling the old URL fail.
- ``DATA``: a resource holding user data (facts: ``holds_user_data``) is replaced or deleted without
  ``retainOnDelete``, its retention is lowered (stored results expire sooner), its ``protect`` or
  ``retainOnDelete`` option is removed, or ``force_destroy`` is turned on.
- ``BLOCKED``: a change Pulumi refuses: deleting or replacing a protected resource.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .facts.resource_types import RESOURCE_TYPES
from .plan_diff import Change, PlanDiff, ResourceDiff

CATEGORIES = ("OUTAGE", "DATA", "BLOCKED")
"""Risk categories, most urgent first."""

SERVING_URL_OUTPUTS = ("invoke_url", "predict_url")
"""Stack output keys (per deployment) holding the URL clients call."""

_HEADINGS = {
    "OUTAGE": "clients lose the endpoint or its URL changes",
    "DATA": "stored outputs deleted or expired sooner",
    "BLOCKED": "Pulumi will refuse this update",
}


@dataclass(frozen=True)
class Risk:
    """One thing a reviewer must not miss: its category, the stack, and a sentence saying what and why."""

    category: str
    stack: str
    message: str


def _label(r: ResourceDiff) -> str:
    return f"{r.name} ({r.type})"


def _matches(path: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(re.sub(r"\[\d+\]", "[*]", path), pattern.replace("[*]", "[[]*[]]"))


def _lower(change: Change) -> bool:
    """True when a retention value appears or goes down (numbers only)."""
    if not isinstance(change.new, (int, float)) or isinstance(change.new, bool):
        return False
    return change.old is None or (isinstance(change.old, (int, float)) and change.new < change.old)


def _outage(diff: PlanDiff) -> list[str]:
    found = []
    for r in sorted(diff.resources, key=lambda r: r.urn):
        entry = RESOURCE_TYPES.get(r.type)
        if entry is None or not entry.serves_traffic:
            continue
        if r.action == "replace":
            found.append(f"{_label(r)} is replaced ({r.reason}): a new endpoint with a new name and URL")
        elif r.action == "delete":
            found.append(f"{_label(r)} is deleted: requests to it fail")
    for change in diff.outputs:
        if change.path.rsplit(".", 1)[-1] not in SERVING_URL_OUTPUTS or change.old is None:
            continue
        if change.new is None:
            found.append(f"output {change.path} disappears (was {change.old}): update every client")
        else:
            found.append(f"output {change.path} changes: {change.old} -> {change.new}: update every client")
    return found


def _data(diff: PlanDiff) -> list[str]:
    found = []
    for r in sorted(diff.resources, key=lambda r: r.urn):
        entry = RESOURCE_TYPES.get(r.type)
        if entry is None:
            continue
        if r.deletes_data:
            verb = "replaced" if r.action == "replace" else "deleted"
            why = f" ({r.reason})" if r.reason else ""
            found.append(f"{_label(r)} is {verb}{why}: the outputs stored in it are deleted")
        for change in r.changes:
            if any(_matches(change.path, pattern) for pattern in entry.retention) and _lower(change):
                found.append(f"{_label(r)} keeps outputs shorter: {change.path} {change.old} -> {change.new}")
            if entry.force_destroy and change.path == entry.force_destroy and change.new and not change.old:
                found.append(f"{_label(r)}: {change.path} turned on: deleting it deletes every object in it")
        if entry.holds_user_data and r.action != "delete":
            for option in r.option_changes:
                if option.path in ("protect", "retainOnDelete") and option.old and not option.new:
                    found.append(f"{_label(r)}: {option.path} removed: a later delete loses its outputs")
    return found


def _blocked(diff: PlanDiff) -> list[str]:
    found = []
    for r in sorted(diff.resources, key=lambda r: r.urn):
        if r.action == "delete" and r.before.get("protect"):
            found.append(f"{_label(r)} is protected and would be deleted: remove `protect` in an update first")
        elif r.action == "replace" and (r.before.get("protect") or r.after.get("protect")):
            found.append(f"{_label(r)} is protected and would be replaced ({r.reason}): Pulumi refuses to delete it")
    return found


def risks(diff: PlanDiff) -> list[Risk]:
    """Every risk of one stack's diff, in category order."""
    found = [Risk("OUTAGE", diff.stack, message) for message in _outage(diff)]
    found += [Risk("DATA", diff.stack, message) for message in _data(diff)]
    found += [Risk("BLOCKED", diff.stack, message) for message in _blocked(diff)]
    return found


def _value(value: object) -> str:
    text = "(absent)" if value is None else value if isinstance(value, str) else repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def render_risks(found: Sequence[Risk], *, with_stack: bool = False) -> list[str]:
    """The risk lines, grouped by category in :data:`CATEGORIES` order (nothing when there is no risk)."""
    lines: list[str] = []
    for category in CATEGORIES:
        items = [risk for risk in found if risk.category == category]
        if items:
            lines.append(f"!! {category} ({len(items)}): {_HEADINGS[category]}")
            lines += [f"   - {f'[{r.stack}] ' if with_stack else ''}{r.message}" for r in items]
    return lines


def _retired_after_rollover(type_token: str) -> bool:
    entry = RESOURCE_TYPES.get(type_token)
    return entry is not None and entry.retired_after_rollover


def render_changes(diff: PlanDiff) -> list[str]:
    """The roll-overs (replacements), a summary, then every change by action, options and outputs."""
    lines: list[str] = []
    retained = [
        r
        for r in diff.resources
        if r.action in ("delete", "replace")
        and r.retained
        and not (r.action == "replace" and _retired_after_rollover(r.type))
    ]
    if retained:
        lines.append(f"!  Retained in the cloud when dropped ({len(retained)}): delete them by hand if unwanted")
        lines += [f"   - {r.type}  {r.name}" for r in sorted(retained, key=lambda r: r.urn)]
    replaced = diff.of("replace")
    if replaced:
        lines.append(f"!  REPLACED ({len(replaced)}): roll-overs, created anew, then the old one is deleted")
        lines += [f"   +- {r.type}  {r.name}  ({r.reason})" for r in replaced]
    sections = (
        ("add", "+", "Added"),
        ("delete", "-", "Deleted"),
        ("replace", "+-", "Replaced"),
        ("update", "~", "Updated"),
    )
    lines.append("Summary: " + ", ".join(f"{len(diff.of(action))} {title.lower()}" for action, _, title in sections))
    if diff.provider_config:
        lines.append("Provider config:")
        lines += [f"  ~ {c.path}: {_value(c.old)} -> {_value(c.new)}" for c in diff.provider_config]
    for action, mark, title in sections:
        items = diff.of(action)
        if items:
            lines.append(f"{title}:")
        for r in items:
            lines.append(f"  {mark} {r.type}  {r.name}" + (f"  ({r.reason})" if r.reason else ""))
            lines += [f"      {c.path}: {_value(c.old)} -> {_value(c.new)}" for c in r.changes]
            lines += [f"      [option] {c.path}: {_value(c.old)} -> {_value(c.new)}" for c in r.option_changes]
    if diff.outputs:
        lines.append("Outputs:")
        lines += [f"  ~ {c.path}: {_value(c.old)} -> {_value(c.new)}" for c in diff.outputs]
    return lines


def render_diff(diff: PlanDiff, base_label: str = "base", head_label: str = "head") -> str:
    """One stack's review text: the risks (outage, data, blocked), the roll-overs, then the rest."""
    lines = [f"Plan diff of stack {diff.stack}: {base_label} -> {head_label}"]
    if diff.empty:
        return "\n".join([*lines, "No changes."]) + "\n"
    return "\n".join([*lines, *render_risks(risks(diff)), *render_changes(diff)]) + "\n"


def render_markdown(diffs: Sequence[PlanDiff], base_label: str, head_label: str) -> str:
    """The pull-request comment: the risk summary of every stack first, then each stack's change listing.

    Sections other checks add (cost, preflight) are appended after this text.
    """
    found = [risk for diff in diffs for risk in risks(diff)]
    lines = ["### Offline plan diff (mock runtime, no credentials)", "", "#### Risk summary", ""]
    if found:
        lines += ["```", *render_risks(found, with_stack=True), "```"]
    else:
        lines.append("No outage, data loss or blocked change in any stack.")
    lines += ["", f"#### Changes ({base_label} -> {head_label})", ""]
    for diff in diffs:
        lines += ["```", render_diff(diff, base_label, head_label).rstrip("\n"), "```", ""]
    return "\n".join(lines)
