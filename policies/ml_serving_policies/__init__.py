"""ml-serving's policy rules as plain functions, importable without pulumi-policy (tests run them directly)."""

from .rules import RESOURCE_RULES, STACK_RULES, PolicyResource, Rule, check_resources
from .settings import PolicySettings

__all__ = ["RESOURCE_RULES", "STACK_RULES", "PolicyResource", "PolicySettings", "Rule", "check_resources"]
