"""The one rule for secrets in a stack file: an ``environment`` value may be a Pulumi secret (``{secure: ...}``).

Every model with an ``environment`` (the deployment, a SageMaker container, a variant, the shadow) derives from
:class:`WithSecretEnvironment`: its secret values become strings before validation, and their names are
remembered so that they are wrapped in ``pulumi.Output.secret`` wherever they become a resource input.
"""

from __future__ import annotations

from typing import Any

from pydantic import PrivateAttr, model_validator
from pydantic_core.core_schema import ValidatorFunctionWrapHandler

from .base import ConfigModel
from .secrets import split_secrets


class WithSecretEnvironment(ConfigModel):
    """A stack-file model whose ``environment`` values may be Pulumi secrets."""

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

    @property
    def secret_environment(self) -> frozenset[str]:
        """Names of the `environment` variables whose values are Pulumi secrets (wrap them in
        ``pulumi.Output.secret`` wherever they become a resource input)."""
        return self._secret_environment
