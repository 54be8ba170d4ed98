"""Entry point of the ml-serving policy pack: wraps the plain rules in pulumi-policy's PolicyPack.

Run it with a preview: `pulumi preview --policy-pack policies --policy-pack-config policies/config/prod.json`.
"""

import sys
from pathlib import Path

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

PACK_DIR = Path(__file__).resolve().parent
REPOSITORY = PACK_DIR.parent


def _put_facts_on_path() -> None:
    """Make the repository's fact modules importable in the pack's own virtualenv, or stop with the reason.

    The rules read cloud facts (GPUs per instance type, resource types) from ``components.facts`` and
    ``components.accelerators.data``, which import nothing but the standard library. The pack lives in the
    repository's ``policies/`` directory, so the repository root goes first on ``sys.path``.
    """
    if not (REPOSITORY / "components" / "facts" / "__init__.py").is_file():
        raise SystemExit(
            f"ml-serving policy pack: {REPOSITORY / 'components' / 'facts'} not found; the pack reads its cloud facts "
            "from the repository it lives in: run it from a checkout of ml-serving (policies/ inside it)"
        )
    sys.path.insert(0, str(REPOSITORY))
    sys.path.insert(0, str(PACK_DIR))  # the rules


_put_facts_on_path()

from ml_serving_policies import RESOURCE_RULES, STACK_RULES, PolicySettings, Rule  # noqa: E402 (needs sys.path)

LEVELS = {
    "advisory": EnforcementLevel.ADVISORY,
    "mandatory": EnforcementLevel.MANDATORY,
    "disabled": EnforcementLevel.DISABLED,
}
SETTINGS_SCHEMA = PolicyConfigSchema(
    properties={
        "settings": {
            "type": "object",
            "description": "ml-serving policy settings (see policies/ml_serving_policies/settings.py)",
        }
    }
)


def _settings(args) -> PolicySettings:
    """This policy's settings from the stack's policy-pack config (the engine applies the enforcement level)."""
    return PolicySettings.from_settings((args.get_config() or {}).get("settings") or {})


def _resource_policy(rule: Rule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type in rule.resource_types:
            for message in rule.check(args, _settings(args)):
                report_violation(message, args.urn)

    return ResourceValidationPolicy(rule.name, rule.description, validate, LEVELS[rule.enforcement], SETTINGS_SCHEMA)


def _stack_policy(rule: Rule) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        for resource, message in rule.check(args.resources, _settings(args)):
            report_violation(message, resource.urn)

    return StackValidationPolicy(rule.name, rule.description, validate, LEVELS[rule.enforcement], SETTINGS_SCHEMA)


PolicyPack(
    name="ml-serving",
    policies=[_resource_policy(rule) for rule in RESOURCE_RULES] + [_stack_policy(rule) for rule in STACK_RULES],
)
