"""Names that cannot collide: resources a stack generates, and auto-named buckets every storage service accepts.

The logical names come from :mod:`components.resolve.names`, which the components declare them with. They join
parts that may themselves contain ``-`` (a deployment ``ranker-v2`` and a variant ``v2`` of ``ranker`` both give
``ranker-v2-model``) and cannot change without replacing the resources, so such combinations are refused here.
Fixed names (CloudWatch alarms and dashboards, per account and region) end with a hash of their parts
(:func:`components.resolve.names.fixed_name`): they cannot collide across deployments, variants or stacks, and
need no check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..facts.aws import S3_RESERVED_PREFIXES
from ..facts.gcp import GCS_FORBIDDEN_WORDS, GCS_RESERVED_PREFIX
from ..resolve.names import (
    PRIMARY_MODEL,
    backlog_scaling_resource_name,
    model_resource_name,
    scaling_resource_name,
)
from .problems import Problem


def _variants(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(variant name, key path) of a raw aws deployment's extra variants and shadow."""
    options = raw.get("sagemaker")
    if not isinstance(options, Mapping):
        return []
    found: list[tuple[str, str]] = []
    variants = options.get("variants")
    if isinstance(variants, list):
        for index, variant in enumerate(variants):
            if isinstance(variant, Mapping) and isinstance(variant.get("name"), str):
                found.append((variant["name"], f"sagemaker.variants[{index}].name"))
    shadow = options.get("shadow")
    if isinstance(shadow, Mapping) and isinstance(shadow.get("name"), str):
        found.append((shadow["name"], "sagemaker.shadow.name"))
    return found


def _aws(deployments: Sequence[Any]) -> Iterable[tuple[int, Mapping[str, Any], str]]:
    for index, raw in enumerate(deployments):
        if isinstance(raw, Mapping) and raw.get("cloud") == "aws" and isinstance(raw.get("name"), str):
            yield index, raw, raw["name"]


def child_collisions(deployments: Sequence[Any]) -> list[Problem]:
    """Two deployments / variants of one stack that would declare resources with the same URN.

    ``deployments`` are raw (defaults merged) deployment mappings; a deployment ``ranker`` with a variant ``v2``
    declares ``ranker-v2-model``, exactly the model a deployment named ``ranker-v2`` declares.
    """
    owners: dict[str, str] = {}
    problems: list[Problem] = []
    reported: set[tuple[str, str]] = set()
    for index, raw, name in _aws(deployments):
        prefix = f"deployments[{index}]"
        own = [
            model_resource_name(name, PRIMARY_MODEL),
            scaling_resource_name(name, None),
            backlog_scaling_resource_name(name),
        ]
        generated = [(resource, f"{prefix}.name") for resource in own]
        for variant, path in _variants(raw):
            generated += [
                (model_resource_name(name, variant), f"{prefix}.{path}"),
                (scaling_resource_name(name, variant), f"{prefix}.{path}"),
            ]
        for resource, path in generated:
            other = owners.get(resource)
            if other is not None and other != path and (path, other) not in reported:
                reported.add((path, other))
                problems.append(
                    Problem(
                        path,
                        f"generates the resource name '{resource}', which {other} also generates: the preview "
                        "would fail with a duplicate URN",
                        "rename the variant or the deployment so that no deployment name equals "
                        "'<deployment>-<variant>' of another",
                    )
                )
            owners.setdefault(resource, path)
    return problems


def bucket_name_problems(name: str, cloud: str) -> list[Problem]:
    """A deployment name its auto-named output bucket cannot start with (S3 on aws, Cloud Storage on gcp)."""
    if cloud == "aws":
        bad = [prefix for prefix in S3_RESERVED_PREFIXES if name.startswith(prefix)]
        if bad:
            return [
                Problem(
                    "name",
                    f"'{name}' starts with '{bad[0]}', which S3 reserves: the output bucket named after the "
                    "deployment would be refused",
                    f"choose a name that does not start with {', '.join(S3_RESERVED_PREFIXES)}",
                )
            ]
    if cloud == "gcp":
        lowered = name.lower()
        if lowered.startswith(GCS_RESERVED_PREFIX) or any(word in lowered for word in GCS_FORBIDDEN_WORDS):
            return [
                Problem(
                    "name",
                    f"'{name}' starts with 'goog' or contains 'google' (or a look-alike), which Cloud Storage refuses "
                    "in bucket names: the output bucket named after the deployment would be refused",
                    "choose a name without 'goog' at the start and without 'google'",
                )
            ]
    return []
