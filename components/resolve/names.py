"""The names of the resources a deployment declares, decided once: the components declare them, the stack-file checks
(:mod:`components.config.names`) look for collisions with them.

Two kinds:

- **Logical names** (Pulumi URNs, unique within a stack): ``{deployment}-model``, ``{deployment}-{variant}-model``,
  ``{deployment}-scaling``, ``{deployment}-{variant}-scaling``, ``{deployment}-backlog-scaling``. They join parts
  with ``-`` and must stay as they are (a renamed child is replaced), so a deployment ``ranker-v2`` and a variant
  ``v2`` of ``ranker`` can collide: the stack-file checks refuse that.
- **Fixed names** (CloudWatch alarms and dashboards, unique per account and region): :func:`fixed_name`, which
  cannot collide across deployments, variants or stacks of one account.

Imports only the standard library and the facts (the config package imports this module).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from ..facts import aws as facts

PRIMARY_MODEL = ""
"""``model_key`` of variants that serve the deployment's own model."""


def model_resource_name(deployment: str, key: str) -> str:
    """Logical name of a model: ``{deployment}-model`` (``key`` is :data:`PRIMARY_MODEL`), else
    ``{deployment}-{key}-model`` (a variant with a model of its own)."""
    return f"{deployment}-model" if key == PRIMARY_MODEL else f"{deployment}-{key}-model"


def scaling_resource_name(deployment: str, variant: str | None) -> str:
    """Logical name of a variant's autoscaling: ``{deployment}-scaling`` for the primary variant (``None``), else
    ``{deployment}-{variant}-scaling``."""
    return f"{deployment}-scaling" if variant is None else f"{deployment}-{variant}-scaling"


def backlog_scaling_resource_name(deployment: str) -> str:
    """Logical name of an async deployment's backlog scaling: ``{deployment}-backlog-scaling``."""
    return f"{deployment}-backlog-scaling"


ALARM_NAME_INVALID = re.compile(r"[^A-Za-z0-9_.-]")
"""Characters kept out of alarm names (CloudWatch allows any, but the names also sit in IAM resource ARNs and console
URLs): replaced by ``-`` in the readable part of the name."""
FIXED_NAME_HASH_LENGTH = 8
"""Hex characters of SHA-256 that end every fixed name (see :func:`fixed_name`)."""


def fixed_name(parts: Sequence[str], limit: int, invalid: re.Pattern[str]) -> str:
    """An account-wide name that cannot collide: ``{parts joined by '-'}-{8 hex}``.

    The readable prefix (characters matching ``invalid`` replaced by ``-``, cut so the whole name fits ``limit``)
    keeps the names sortable and recognisable; the suffix, the first :data:`FIXED_NAME_HASH_LENGTH` hex characters of
    SHA-256 over the parts joined by NUL, tells apart parts that join to the same prefix (``prod`` + ``eu-ranker``
    and ``prod-eu`` + ``ranker``) and names whose prefixes were cut. Two different lists of parts share a name
    only if 32 bits of SHA-256 coincide (about 1 in 4.3 billion per pair of names).
    """
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:FIXED_NAME_HASH_LENGTH]
    readable = invalid.sub("-", "-".join(parts))[: limit - FIXED_NAME_HASH_LENGTH - 1]
    return f"{readable}-{digest}"


def rollback_alarm_name(project: str, stack: str, deployment: str, variant: str, kind: str) -> str:
    """``{project}-{stack}-{deployment}-{variant}-{kind}-{8 hex}``: a :func:`fixed_name`, unique per project, stack,
    deployment, variant and kind within the account and region (at most ``ALARM_NAME_MAX`` characters)."""
    return fixed_name((project, stack, deployment, variant, kind), facts.ALARM_NAME_MAX, ALARM_NAME_INVALID)


def dashboard_name(project: str, stack: str, deployment: str) -> str:
    """``{project}-{stack}-{deployment}-{8 hex}``: a :func:`fixed_name` (dashboards are per account, so the stack is
    part of the name; at most ``DASHBOARD_NAME_MAX`` characters, letters, digits, ``-`` and ``_``)."""
    return fixed_name((project, stack, deployment), facts.DASHBOARD_NAME_MAX, facts.DASHBOARD_NAME_INVALID)
