"""Tags (AWS) and labels (GCP) derived once for every resource of a deployment."""

from __future__ import annotations

import re
from collections.abc import Mapping

MANAGED_BY = "ml-serving"


def standard_tags(project: str, stack: str, deployment: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """AWS tags: project, stack, deployment, managed-by, then the user's tags (which win on a clash)."""
    tags = {"project": project, "stack": stack, "deployment": deployment, "managed-by": MANAGED_BY}
    tags.update(extra or {})
    return tags


def gcp_labels(project: str, stack: str, deployment: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """GCP labels: the same keys as :func:`standard_tags`, made valid label values (lowercase, 63 chars)."""
    return {key: label_value(value) for key, value in standard_tags(project, stack, deployment, extra).items()}


def label_value(value: str) -> str:
    """Lowercase ``value`` and replace what a GCP label value cannot hold with '-'."""
    return re.sub(r"[^a-z0-9_-]", "-", value.lower())[:63]
