"""Input checks of the Vertex model deployment resource (its ``check``), from the facts module's rules.

The stack-file path is validated earlier, with file and key path, by :mod:`components.config.vertex`; these checks
guard direct users of the resource and use the same facts (and the facts' messages), so nothing reaches Vertex
that the facts say it refuses. Values unknown during a preview are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..config import rules
from ..facts import gcp as facts
from .deployment_args import (
    DEFAULTS,
    PROVIDER_LABELS,
    as_int,
    is_unknown,
    opt_str,
)

_REQUIRED_KEYS = ("project", "region", "endpoint", "display_name", "image_uri", "machine_type")
_ENDPOINT = r"^projects/[^/]+/locations/(?P<region>[^/]+)/endpoints/(?P<id>[^/]+)$"
_KNOWN_METRICS = {m.metric_name for m in facts.METRICS.values()}


def validate_inputs(props: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return ``(property, reason)`` for every invalid input."""
    failures: list[tuple[str, str]] = []

    def get(key: str) -> Any:
        value = props.get(key)
        return DEFAULTS.get(key) if value is None else value

    def known(*keys: str) -> bool:
        return not any(is_unknown(props.get(key)) for key in keys)

    for key in _REQUIRED_KEYS:
        if known(key) and (not isinstance(get(key), str) or not get(key)):
            failures.append((key, f"{key} is required (a non-empty string)"))
    endpoint = get("endpoint")
    if known("endpoint") and isinstance(endpoint, str) and endpoint:
        match = re.match(_ENDPOINT, endpoint)
        if not match:
            failures.append(("endpoint", "endpoint must be a full name projects/P/locations/R/endpoints/E"))
        elif known("region") and get("region") and match["region"] != get("region"):
            failures.append(("endpoint", f"endpoint is in {match['region']}, not in region {get('region')}"))
    ints: dict[str, int] = {}
    for key in ("port", "accelerator_count", "min_replicas", "max_replicas", "target"):
        if known(key) and get(key) is not None:
            try:
                ints[key] = as_int(get(key), key)
            except ValueError as err:
                failures.append((key, str(err)))
                continue
            if ints[key] > facts.INT32_MAX:
                failures.append((key, f"{key} {ints[key]} is above {facts.INT32_MAX}, the largest int32"))
    low, high = facts.PORT_RANGE
    if "port" in ints and not low <= ints["port"] <= high:
        failures.append(("port", f"port must be between {low} and {high}"))
    if "min_replicas" in ints and ints["min_replicas"] < 1:
        failures.append(("min_replicas", "min_replicas must be at least 1"))
    if "min_replicas" in ints and "max_replicas" in ints:
        bounds = rules.bound_problems(ints["min_replicas"], ints["max_replicas"], "min_replicas", "max_replicas")
        failures += [(problem.path, problem.message) for problem in bounds]
    for key in ("predict_route", "health_route"):
        if known(key) and not str(get(key)).startswith("/"):
            failures.append((key, f"{key} must be an absolute HTTP path starting with '/'"))
    artifact_uri = opt_str(props.get("artifact_uri"))
    if known("artifact_uri") and artifact_uri is not None:
        if not facts.GCS_URI.match(artifact_uri):
            failures.append(("artifact_uri", "artifact_uri must be a gs:// URI"))
        elif artifact_uri.rstrip("/").endswith(facts.ARTIFACT_FILE_SUFFIXES):
            failures.append(("artifact_uri", "artifact_uri must be a directory, not a file"))
    accelerator = opt_str(props.get("accelerator_type"))
    count = ints.get("accelerator_count", 0)
    if known("accelerator_type") and accelerator is None and count > 0:
        failures.append(("accelerator_type", "accelerator_type is required when accelerator_count > 0"))
    elif known("accelerator_type") and accelerator is not None and count < 1 and known("accelerator_count"):
        failures.append(("accelerator_count", "accelerator_count must be at least 1 with an accelerator_type"))
    elif known("machine_type", "accelerator_type", "accelerator_count") and isinstance(get("machine_type"), str):
        problem = facts.machine_problem(str(get("machine_type")), accelerator, count)
        if problem:
            failures.append(("machine_type", problem))
    failures += _metric_failures(props, ints, accelerator, known)
    failures += _map_failures(props, known)
    kms = opt_str(props.get("kms_key_name"))
    if known("kms_key_name", "region") and kms is not None:
        match = facts.KMS_KEY.match(kms)
        if not match:
            failures.append(("kms_key_name", "kms_key_name must be projects/P/locations/L/keyRings/R/cryptoKeys/K"))
        elif match["location"] != get("region"):
            failures.append(("kms_key_name", f"the key is in {match['location']}, the model in {get('region')}"))
    for key in ("operation_timeout_seconds", "poll_interval_seconds"):
        value = get(key)
        if known(key) and (isinstance(value, bool) or not isinstance(value, int | float) or value <= 0):
            failures.append((key, f"{key} must be a positive number"))
    return failures


def _metric_failures(
    props: Mapping[str, Any], ints: Mapping[str, int], accelerator: str | None, known: Any
) -> list[tuple[str, str]]:
    failures: list[tuple[str, str]] = []
    metric = opt_str(props.get("metric"))
    if known("metric") and metric is not None:
        if metric not in facts.METRICS:
            failures.append(("metric", f"metric must be one of {sorted(facts.METRICS)} or None, got {metric!r}"))
        elif facts.METRICS[metric].needs_accelerator and known("accelerator_type") and accelerator is None:
            failures.append(("metric", f"metric '{metric}' needs an accelerator_type"))
    elif known("metric", "target") and props.get("target") is not None:
        failures.append(("target", "target needs a metric"))
    target = ints.get("target")
    if target is not None and target < 1:
        failures.append(("target", "target must be at least 1"))
    specs = props.get("autoscaling_metric_specs")
    if known("autoscaling_metric_specs") and specs is not None:
        if not isinstance(specs, list | tuple) or not all(isinstance(s, Mapping) for s in specs):
            return [*failures, ("autoscaling_metric_specs", "a list of {metric_name, target} mappings")]
        names = [str(s.get("metric_name")) for s in specs]
        for name, spec in zip(names, specs, strict=True):
            if name not in _KNOWN_METRICS:
                failures.append(("autoscaling_metric_specs", f"unknown metric {name!r}"))
            try:
                value = as_int(spec.get("target"), "target")
            except ValueError as err:
                failures.append(("autoscaling_metric_specs", str(err)))
                continue
            low, high = facts.UTILIZATION_TARGET_RANGE
            utilization = name != facts.metric_name("invocations")
            if (utilization and not low <= value <= high) or not 1 <= value <= facts.INT32_MAX:
                failures.append(("autoscaling_metric_specs", f"target {value} of {name} is out of range"))
        if len(set(names)) != len(names):
            failures.append(("autoscaling_metric_specs", "at most one entry per metric"))
    return failures


def _map_failures(props: Mapping[str, Any], known: Any) -> list[tuple[str, str]]:
    failures: list[tuple[str, str]] = []
    for key in ("env", "labels"):
        value = props.get(key)
        if known(key) and value is not None and not isinstance(value, Mapping):
            failures.append((key, f"{key} must be a mapping of strings"))
    env = props.get("env")
    if isinstance(env, Mapping):
        problem = rules.env_name_problem([str(name) for name in env], clouds=("gcp",))
        if problem:
            failures.append(("env", problem))
    labels = props.get("labels")
    if isinstance(labels, Mapping):
        if len(labels) + len(PROVIDER_LABELS) > facts.MAX_LABELS:
            failures.append(
                ("labels", f"at most {facts.MAX_LABELS - len(PROVIDER_LABELS)} labels (the provider adds 4)")
            )
        for key, value in labels.items():
            if key in PROVIDER_LABELS:
                failures.append(("labels", f"the label {key} is reserved for the provider"))
            else:
                problem = rules.label_problem(str(key), "" if is_unknown(value) else str(value))
                if problem:
                    failures.append(("labels", problem))
    return failures
