"""Tags (AWS) and labels (GCP) derived once for every resource of a deployment."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .facts import gcp as gcp_facts

MANAGED_BY = "ml-serving"


def standard_tags(project: str, stack: str, deployment: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """AWS tags: project, stack, deployment, managed-by, then the user's tags (which win on a clash)."""
    tags = {"project": project, "stack": stack, "deployment": deployment, "managed-by": MANAGED_BY}
    tags.update(extra or {})
    return tags


def gcp_labels(project: str, stack: str, deployment: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """GCP labels: the same keys as :func:`standard_tags`, made valid label values (lowercase, 63 chars)."""
    return {key: label_value(value) for key, value in standard_tags(project, stack, deployment, extra).items()}


_NOT_A_LABEL_VALUE_CHARACTER = re.compile(f"[^{gcp_facts.LABEL_VALUE_CHARACTERS}]")


def label_value(value: str) -> str:
    """Lowercase ``value``, replace what a GCP label value cannot hold with '-' and cut it to the maximum length
    (:data:`components.facts.gcp.LABEL_VALUE`)."""
    return _NOT_A_LABEL_VALUE_CHARACTER.sub("-", value.lower())[: gcp_facts.LABEL_VALUE_MAX]
