"""Per-stack settings of the policy pack, read from the same JSON file Pulumi takes with `--policy-pack-config`.

The file has pulumi-policy's shape: per policy name, an enforcement level string, or an object with
``enforcementLevel`` and ``settings``; ``all`` sets the level of every policy. Example (policies/config/prod.json)::

    {"sagemaker-endpoint-config-kms": "mandatory",
     "gpu-budget": {"enforcementLevel": "mandatory", "settings": {"gpu_budget": 96}}}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

LEVELS = ("advisory", "mandatory", "remediate", "disabled")


@dataclass(frozen=True)
class PolicySettings:
    """What a stack demands.

    Attributes:
        production_stacks: stack names (the `stack` tag / label) held to production rules, default prod/production.
        gpu_budget: most GPUs the stack may run at full scale (sum of max instances x GPUs), default 64.
        required_tags: tag / label keys every taggable resource carries.
        enforcement: enforcement level per policy name (``all`` for every policy), overriding the defaults.
    """

    production_stacks: tuple[str, ...] = ("prod", "production")
    gpu_budget: int = 64
    required_tags: tuple[str, ...] = ("project", "stack", "deployment", "managed-by")
    enforcement: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], enforcement: Mapping[str, str] | None = None) -> PolicySettings:
        """Settings from one policy's ``settings`` object; unknown keys are refused (a typo would weaken a rule)."""
        known = {f.name for f in fields(cls)} - {"enforcement"}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise ValueError(f"unknown policy settings {unknown}; known: {sorted(known)}")
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in settings.items()}
        return cls(**values, enforcement=dict(enforcement or {}))

    @classmethod
    def from_pack_config(cls, config: Mapping[str, Any]) -> PolicySettings:
        """Settings of a whole policy-pack config file (all policies' settings merged, levels per policy)."""
        merged: dict[str, Any] = {}
        levels: dict[str, str] = {}
        for policy, value in config.items():
            level = value if isinstance(value, str) else (value or {}).get("enforcementLevel")
            if level is not None:
                if level not in LEVELS:
                    raise ValueError(f"{policy}: enforcement level {level!r} is not one of {LEVELS}")
                levels[policy] = level
            if isinstance(value, Mapping):
                merged.update(value.get("settings") or {})
        return cls.from_settings(merged, levels)

    def level(self, policy: str, default: str) -> str:
        """The enforcement level of ``policy`` for this stack."""
        return self.enforcement.get(policy, self.enforcement.get("all", default))
