"""The one converter from API-shaped requests (botocore field names) to pulumi-aws inputs.

The builders of this package return requests with the AWS APIs' own field names (``ProductionVariants``,
``TargetTrackingScalingPolicyConfiguration``, ``PutMetricAlarm``...), which the contract tests validate against
botocore. :func:`provider_inputs` turns any of them into the provider's inputs: keys become snake_case (the Pulumi
SDK accepts plain dicts for nested input types and translates them to the engine's camelCase), maps of user data
(``Environment``) keep their keys, and the few places where the provider's schema differs from the API are listed
in :data:`KEY_EXCEPTIONS` and :data:`VALUE_EXCEPTIONS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

KEY_EXCEPTIONS: dict[str, str] = {
    "IncludeInferenceResponseIn": "include_inference_response_ins",  # pulumi-aws pluralises list properties
}
"""API field -> provider property, where the provider's name is not the snake_case of the API's."""


def _bound(value: float | None) -> str | None:
    return None if value is None else f"{value:g}"


VALUE_EXCEPTIONS: dict[str, Callable[[Any], Any]] = {
    # Step adjustments' bounds are strings in the provider (terraform's schema), numbers in the API.
    "MetricIntervalLowerBound": _bound,
    "MetricIntervalUpperBound": _bound,
}
"""API field -> how its value is converted, where the provider's type differs from the API's."""

VERBATIM = frozenset({"Environment"})
"""Maps of user data: their keys are the user's, not field names."""

_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD = re.compile(r"([a-z0-9])([A-Z])")


def snake_case(field: str) -> str:
    """``KMSMasterKeyID`` -> ``kms_master_key_id``, ``S3OutputPath`` -> ``s3_output_path``."""
    if field in KEY_EXCEPTIONS:
        return KEY_EXCEPTIONS[field]
    return _WORD.sub(r"\1_\2", _ACRONYM.sub(r"\1_\2", field)).lower()


def _convert(value: Any) -> Any:
    if isinstance(value, Mapping):
        return provider_inputs(value)
    if isinstance(value, list | tuple):
        return [_convert(item) for item in value]
    return value


def provider_inputs(request: Mapping[str, Any], renames: Mapping[str, str] | None = None) -> Any:
    """The provider inputs of an API-shaped ``request`` (recursively); ``renames`` overrides top-level names.

    Returns a plain ``dict`` of snake_case keys, typed ``Any`` because one converter serves every provider input
    type (each is a ``TypedDict`` of its own in pulumi-aws).
    """
    converted: dict[str, Any] = {}
    for field, value in request.items():
        name = (renames or {}).get(field) or snake_case(field)
        if field in VERBATIM:
            converted[name] = dict(value)
        elif field in VALUE_EXCEPTIONS:
            converted[name] = VALUE_EXCEPTIONS[field](value)
        else:
            converted[name] = _convert(value)
    return converted


METRIC_ALARM_RENAMES = {"AlarmName": "name"}
"""``aws.cloudwatch.MetricAlarm`` names the alarm ``name``."""


def metric_alarm_inputs(alarm: Mapping[str, Any]) -> dict[str, Any]:
    """``aws.cloudwatch.MetricAlarm`` inputs of a ``PutMetricAlarm`` request: its ``Dimensions`` list becomes the
    provider's ``{name: value}`` mapping (terraform's schema); every other field converts as usual."""
    inputs: dict[str, Any] = provider_inputs(
        {k: v for k, v in alarm.items() if k != "Dimensions"}, METRIC_ALARM_RENAMES
    )
    inputs["dimensions"] = {d["Name"]: d["Value"] for d in alarm.get("Dimensions", [])}
    return inputs
