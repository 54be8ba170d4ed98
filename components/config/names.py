"""Names that cannot collide: resources a stack generates, fixed names across the stacks of one project, and
auto-named buckets every storage service accepts.

The generated names mirror the components (``components/aws/sagemaker_deployment.py``: ``{deployment}-model``,
``{deployment}-{variant}-model``, ``{deployment}-scaling``, ``{deployment}-{variant}-scaling``,
``{deployment}-backlog-scaling``; ``components/aws/dashboard.py``: dashboard ``{project}-{stack}-{deployment}``;
``components/aws/rollout.py``: alarm ``{project}-{stack}-{deployment}-{variant}-{kind}``). Those fixed names join
parts that may themselves contain ``-``, so ``prod`` + ``eu-ranker`` and ``prod-eu`` + ``ranker`` give the same
name: until the naming is made injective (it must wait for the SageMaker endpoint lifecycle, because alarm names
sit in the endpoint's deployment configuration), the combinations that collide are refused here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..facts.aws import S3_RESERVED_PREFIXES
from ..facts.gcp import GCS_FORBIDDEN_WORDS, GCS_RESERVED_PREFIX
from .problems import Problem

VARIANT_CHILDREN = ("model", "scaling")
"""Children a SageMaker variant adds under its deployment, named ``{deployment}-{variant}-{suffix}``."""
DEPLOYMENT_CHILDREN = ("model", "scaling", "backlog-scaling")
"""Children of a SageMaker deployment whose names a variant's children could repeat."""


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


def _primary_variant(raw: Mapping[str, Any]) -> str:
    options = raw.get("sagemaker")
    name = options.get("variant_name") if isinstance(options, Mapping) else None
    return name if isinstance(name, str) else "primary"


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
        generated = [(f"{name}-{suffix}", f"{prefix}.name") for suffix in DEPLOYMENT_CHILDREN]
        for variant, path in _variants(raw):
            generated += [(f"{name}-{variant}-{suffix}", f"{prefix}.{path}") for suffix in VARIANT_CHILDREN]
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


def fixed_names(stack: str, deployments: Sequence[Any]) -> list[tuple[str, str, str]]:
    """(kind, name without the project prefix, key path) of every fixed-name CloudWatch resource of a stack."""
    names: list[tuple[str, str, str]] = []
    for index, raw, name in _aws(deployments):
        prefix = f"deployments[{index}]"
        names.append(("dashboard", f"{stack}-{name}", f"{prefix}.name"))
        rollout = raw.get("rollout")
        if isinstance(rollout, Mapping) and rollout.get("rollback"):
            for variant in [_primary_variant(raw)] + [variant for variant, _ in _variants(raw)]:
                names.append(("alarm", f"{stack}-{name}-{variant}", f"{prefix}.name"))
    return names


def fixed_name_collisions(stack: str, deployments: Sequence[Any], region: object, source: str) -> list[Problem]:
    """Fixed-name alarms and dashboards of this stack that another deployment of it, or another stack file of the
    same project in the same region, also declares (CloudWatch names are unique per account and region)."""
    mine = fixed_names(stack, deployments)
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for kind, name, path in mine:
        if (kind, name) in seen and seen[(kind, name)] != path:
            problems.append(_collision(kind, name, path, f"{seen[(kind, name)]} of this stack"))
        seen.setdefault((kind, name), path)
    for other_stack, other_file, names in _sibling_names(source, stack, region):
        theirs = {(kind, name) for kind, name, _ in names}
        for kind, name, path in mine:
            if (kind, name) in theirs:
                problems.append(_collision(kind, name, path, f"stack {other_stack} ({other_file})"))
    return list(dict.fromkeys(problems))


def _collision(kind: str, name: str, path: str, other: str) -> Problem:
    what = "CloudWatch dashboard" if kind == "dashboard" else "rollback alarms"
    return Problem(
        path,
        f"the {what} named '<project>-{name}...' would also be declared by {other}: the names join the stack, "
        "deployment and variant names with '-', and both give the same name in one account and region",
        "rename the deployment (or the variant, or the stack) so that the joined names differ",
    )


def _sibling_names(source: str, stack: str, region: object) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    path = Path(source)
    if not path.is_file():
        return []
    found = []
    for sibling in sorted(path.parent.glob("Pulumi.*.yaml")):
        if sibling.resolve() == path.resolve():
            continue
        other_stack = sibling.name[len("Pulumi.") : -len(".yaml")]
        if other_stack == stack:
            continue
        names = _names_of_file(str(sibling), sibling.stat().st_mtime_ns, region)
        if names:
            found.append((other_stack, str(sibling), names))
    return found


@functools.lru_cache(maxsize=64)
def _names_of_file(path: str, mtime: int, region: object) -> list[tuple[str, str, str]]:
    """The fixed names of another stack file in ``region``; a file that cannot be read has none (it is reported
    when that stack is planned)."""
    from .stack import merged_deployments, read_stack_file  # the stack module imports this one

    try:
        values = read_stack_file(path)
    except Exception:
        return []
    if values.get("aws:region") != region:
        return []
    stack = Path(path).name[len("Pulumi.") : -len(".yaml")]
    return fixed_names(stack, merged_deployments(values))


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
