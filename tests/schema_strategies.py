"""Hypothesis strategies for whole stack files, derived from the stack-file models: mostly plausible values (so
that files get past the first refusal) mixed with wrong types, extreme numbers and unknown keys."""

from __future__ import annotations

import types
import typing
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel

from components import accelerators
from components.config import DeploymentConfig, StackDefaults

PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "name": st.sampled_from(["ranker", "text-embed", "ranker-v2", "v2", "xn--a", "goog-a", "a", "primary", "backlog"]),
    "hostname": st.sampled_from(["side", "ranker", "pre-proc"]),
    "cloud": st.sampled_from(["aws", "gcp", "azure"]),
    "image": st.sampled_from(
        [
            "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1",
            "europe-west4-docker.pkg.dev/acme-ml/serving/reranker:1.0.0",
            "ghcr.io/acme/model:1",
        ]
    ),
    "artifacts": st.sampled_from(
        ["s3://acme-models/ranker/v7/model.tar.gz", "gs://acme-models/reranker/v2/", "s3://b/p/"]
    ),
    "type": st.sampled_from([*sorted(accelerators.CATALOG), "nvidia-k80"]),
    "metric": st.sampled_from(["invocations", "concurrency", "cpu", "gpu", "backlog", "memory"]),
    "schedule": st.sampled_from(["cron(0 8 ? * MON-FRI *)", "rate(1 hour)", "at(2026-12-24T18:00:00)", "daily"]),
    "timezone": st.sampled_from(["UTC", "Europe/Amsterdam", "Mars/Base"]),
    "instance_type": st.sampled_from(["ml.g5.xlarge", "ml.c5.2xlarge", "g5.xlarge"]),
    "machine_type": st.sampled_from(["g2-standard-8", "n1-standard-4"]),
    "kms_key": st.sampled_from(
        [
            "arn:aws:kms:eu-west-1:111122223333:key/9b7e4f2a-3c1d-4e8f-a6b5-0d2c7e9f1a34",
            "projects/p/locations/l/keyRings/r/cryptoKeys/k",
            "alias/x",
        ]
    ),
    "strategy": st.sampled_from(["all_at_once", "canary", "linear"]),
    "container_mode": st.sampled_from(["serial", "direct"]),
}

JUNK: st.SearchStrategy[Any] = st.one_of(
    st.booleans(),
    st.none(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.sampled_from([0, -1, 2**31, 2**31 - 1, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.just({"secure": "v1:AAAA"}),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.text(max_size=6), st.integers(0, 3), max_size=2),
)


def _for_annotation(annotation: Any, key: str, depth: int) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([_for_annotation(arg, key, depth) for arg in args])
    if origin is typing.Literal:
        return st.sampled_from(list(args))
    if origin in (tuple, list):
        return st.lists(_for_annotation(args[0], key, depth + 1), max_size=3)
    if origin is dict:
        values = _for_annotation(args[1], key, depth + 1) if args else JUNK
        keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_:./-]{0,8}", fullmatch=True)
        return st.dictionaries(keys, values, max_size=4)
    if annotation is type(None):
        return st.none()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_values(annotation, depth + 1)
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(min_value=0, max_value=12)
    if annotation is float:
        return st.floats(min_value=0, max_value=200, allow_nan=False)
    if annotation is str:
        return PLAUSIBLE.get(key, st.text(min_size=1, max_size=10))
    return JUNK


def model_values(model: type[BaseModel], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """Mappings for ``model``: its required keys mostly present, optional ones sometimes, values mostly of the
    right shape, sometimes junk, sometimes an unknown key."""
    if depth > 4:
        return st.just({})
    fields = {field.alias or name: field for name, field in model.model_fields.items()}

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, field in fields.items():
            wanted = draw(st.floats(0, 1)) < (0.9 if field.is_required() else 0.25)
            if not wanted:
                continue
            if draw(st.floats(0, 1)) < 0.1:
                result[key] = draw(JUNK)
            else:
                result[key] = draw(_for_annotation(field.annotation, key, depth))
        if draw(st.floats(0, 1)) < 0.05:
            result[draw(st.text(min_size=1, max_size=8))] = draw(JUNK)
        return result

    return build()


def deployment_values() -> st.SearchStrategy[dict[str, Any]]:
    """A deployment mapping; `async` drawn as true, false or a mapping."""
    return model_values(DeploymentConfig).flatmap(
        lambda raw: st.one_of(st.just(raw), st.just({**raw, "async": True}), st.just({**raw, "async": False}))
    )


def stack_files() -> st.SearchStrategy[dict[str, Any]]:
    """A whole ``config:`` mapping: provider keys, deployments, defaults, other namespaces."""
    return st.fixed_dictionaries(
        {"ml-serving:deployments": st.one_of(st.lists(deployment_values(), min_size=0, max_size=3), JUNK)},
        optional={
            "aws:region": st.sampled_from(["eu-west-1", "us-east-1", ""]),
            "gcp:project": st.just("acme-ml"),
            "gcp:region": st.just("europe-west4"),
            "ml-serving:defaults": st.one_of(model_values(StackDefaults), JUNK),
            "ml-serving:deploymnts": JUNK,
            "acme:launch-date": st.dates(),
            "acme:settings": st.dictionaries(st.text(max_size=5), st.one_of(st.dates(), st.integers(), st.text())),
        },
    )


def _stack_file_configs() -> list[dict[str, Any]]:
    from pathlib import Path

    import yaml

    stacks = Path(__file__).resolve().parent.parent / "stacks"
    return [yaml.safe_load(path.read_text(encoding="utf-8"))["config"] for path in sorted(stacks.glob("Pulumi.*.yaml"))]


BASES = _stack_file_configs()
"""The repository's stack files: the starting points of near-valid files."""


def _field_of(model: type[BaseModel], key: str) -> Any:
    for name, field in model.model_fields.items():
        if (field.alias or name) == key:
            return field
    return None


@st.composite
def _edit(draw: st.DrawFn, deployment: dict[str, Any]) -> dict[str, Any]:
    """One key of a deployment (or of one of its mappings) set to a value drawn from its type, or junk."""
    edited = dict(deployment)
    model: type[BaseModel] = DeploymentConfig
    target = edited
    keys = [field.alias or name for name, field in model.model_fields.items()]
    key = draw(st.sampled_from(keys))
    field = _field_of(model, key)
    nested = [
        arg
        for arg in typing.get_args(field.annotation) or (field.annotation,)
        if isinstance(arg, type) and issubclass(arg, BaseModel)
    ]
    if nested and isinstance(target.get(key), dict) and draw(st.booleans()):
        inner = dict(target[key])
        model = nested[0]
        target[key] = inner
        target = inner
        key = draw(st.sampled_from([field.alias or name for name, field in model.model_fields.items()]))
        field = _field_of(model, key)
    if draw(st.floats(0, 1)) < 0.2:
        target[key] = draw(JUNK)
    elif draw(st.floats(0, 1)) < 0.1:
        target.pop(key, None)
    else:
        target[key] = draw(_for_annotation(field.annotation, key, 2))
    return edited


@st.composite
def near_valid_stack_files(draw: st.DrawFn) -> dict[str, Any]:
    """One of the repository's stack files with one to three keys of its deployments changed."""
    import copy

    config = copy.deepcopy(draw(st.sampled_from(BASES)))
    deployments = config["ml-serving:deployments"]
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(deployments) - 1))
        deployments[index] = draw(_edit(deployments[index]))
    return config
