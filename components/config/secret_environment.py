"""The rules of an ``environment`` in a stack file: its names are environment variable names, and a value may be a
Pulumi secret (``{secure: ...}``), the only place a stack file may hold one.

Every model with an ``environment`` (the deployment, a SageMaker container, a variant, the shadow) derives from
:class:`WithSecretEnvironment`: its secret values become strings before validation, and their names are
remembered so that they are wrapped in ``pulumi.Output.secret`` wherever they become a resource input.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import PrivateAttr, field_validator, model_validator
from pydantic_core.core_schema import ValidatorFunctionWrapHandler

from . import rules
from .base import ConfigModel
from .secrets import split_secrets


class WithSecretEnvironment(ConfigModel):
    """A stack-file model with an ``environment`` whose values may be Pulumi secrets."""

    ENVIRONMENT_CLOUDS: ClassVar[tuple[str, ...]] = ("aws", "gcp")
    """The clouds whose environment variable name rules the names must follow (SageMaker-only models: aws)."""

    _secret_environment: frozenset[str] = PrivateAttr(default_factory=frozenset)

    @model_validator(mode="wrap")
    @classmethod
    def _secrets(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """`environment` values written as Pulumi secrets (`{secure: ...}`) become strings remembered as secret."""
        names: frozenset[str] = frozenset()
        if isinstance(data, dict) and isinstance(data.get("environment"), dict):
            plain, names = split_secrets(data["environment"])
            data = {**data, "environment": plain}
        result = handler(data)
        if names:
            result._secret_environment = names
        return result

    @field_validator("environment", check_fields=False)
    @classmethod
    def _environment_names(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        rules.env_names(value, clouds=cls.ENVIRONMENT_CLOUDS)
        return value

    @property
    def secret_environment(self) -> frozenset[str]:
        """Names of the `environment` variables whose values are Pulumi secrets (wrap them in
        ``pulumi.Output.secret`` wherever they become a resource input)."""
        return self._secret_environment
