"""Tags (AWS) and labels (GCP) derived once for every resource of a deployment."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .facts import gcp as gcp_facts

MANAGED_BY = "ml-serving"
"""Value of the ``managed-by`` tag / label."""

STANDARD_KEYS = ("project", "stack", "deployment", "managed-by")
"""Tag / label keys ml-serving puts on every resource of a deployment."""

VERTEX_DEPLOYMENT_KEY_LABEL = "ml_serving_deployment_key"
"""Vertex model label holding a hash of the deployment's replace-triggering inputs (since 0.1.0)."""
VERTEX_INSTANCE_LABEL = "ml_serving_instance"
"""Vertex model label holding the id of the resource instance that uploaded the model (unique per create)."""
VERTEX_STATE_LABEL = "ml_serving_state"
"""Vertex model label: ``pending`` from upload until its deploy finished, then ``live``."""
VERTEX_NAME_LABEL = "ml_serving_name"
"""Vertex model label: the deployment's display name as a label value (finds the orphans of one deployment)."""
VERTEX_PROVIDER_LABELS = (VERTEX_DEPLOYMENT_KEY_LABEL, VERTEX_INSTANCE_LABEL, VERTEX_STATE_LABEL, VERTEX_NAME_LABEL)
"""Labels the Vertex model-deployment provider sets on the models it uploads; users may not set them. They are
part of the state's contract with deployed models (ownership checks read them): never rename them."""


def standard_tags(project: str, stack: str, deployment: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """AWS tags: project, stack, deployment, managed-by, then the user's tags (which win on a clash)."""
    tags = dict(zip(STANDARD_KEYS, (project, stack, deployment, MANAGED_BY), strict=True))
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
