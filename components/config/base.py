"""The base class of every stack-file model: frozen, strict about unknown keys and value types, documented fields."""

from __future__ import annotations

import math
import re
import types
import typing
from typing import Any

import annotated_types
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_core.core_schema import ValidatorFunctionWrapHandler

from ..facts.gcp import INT32_MAX
from .problems import Problem, ProblemsError, problems_from_validation, shown

SLUG = re.compile(r"^[a-z]([a-z0-9-]*[a-z0-9])?$")


def _scalar_kind(annotation: Any) -> str | None:
    """``int``, ``float``, ``bool`` for fields holding one of those (optional or not), else None."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _scalar_kind(members[0]) if len(members) == 1 else None
    if origin is typing.Annotated:
        return _scalar_kind(typing.get_args(annotation)[0])
    for kind in (bool, int, float):
        if annotation is kind:
            return kind.__name__
    return None


def _has_upper_bound(field: FieldInfo) -> bool:
    return any(isinstance(item, (annotated_types.Le, annotated_types.Lt)) for item in field.metadata)


def _type_problem(kind: str, value: Any, field: FieldInfo) -> tuple[str, str] | None:
    """(message, fix) when ``value`` is not strictly of ``kind``; pydantic alone would convert it."""
    if kind == "bool":
        if not isinstance(value, bool):
            return f"{shown(value)} is not true or false", "write true or false without quotes"
        return None
    if isinstance(value, bool):
        what = "whole number" if kind == "int" else "number"
        return f"{shown(value)} is a boolean, not a {what}", f"write a {what}, e.g. {1 if kind == 'int' else 0.5}"
    if isinstance(value, str):
        return f"{shown(value)} is text, not a number", "write the number without quotes"
    if kind == "float" and isinstance(value, float) and not math.isfinite(value):
        return f"{value} is not a finite number", "write a finite number"
    if kind == "int" and isinstance(value, int) and abs(value) > INT32_MAX and not _has_upper_bound(field):
        return (
            f"{value} is beyond {INT32_MAX}, the largest number the cloud APIs take here (32-bit integers)",
            "use a realistic value",
        )
    return None


def strict_problems(model: type[BaseModel], data: dict[str, Any]) -> tuple[list[Problem], dict[str, Any]]:
    """Values pydantic would silently convert (``true`` as a count, ``"3"`` as a number, ``.inf``), and ``data``
    with each of them replaced by a harmless value so the model's other problems can still be found."""
    problems: list[Problem] = []
    patched = dict(data)
    for name, field in model.model_fields.items():
        key = field.alias or name
        kind = _scalar_kind(field.annotation)
        if kind is None or key not in data:
            continue
        found = _type_problem(kind, data[key], field)
        if found is None:
            continue
        problems.append(Problem(key, *found))
        if field.is_required():
            patched[key] = {"bool": False, "int": 1, "float": 1.0}[kind]
        else:
            del patched[key]
    return problems, patched


class ConfigModel(BaseModel):
    """Frozen pydantic model that refuses unknown keys (so typos are reported, not ignored) and values of the wrong
    type that pydantic would otherwise convert (``count: true``, ``target: .inf``, ``min: "2"``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _strict_values(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if not isinstance(data, dict):
            return handler(data)
        problems, patched = strict_problems(cls, data)
        if not problems:
            return handler(data)
        refused = {problem.path for problem in problems}
        try:
            handler(patched)
        except ValidationError as error:
            problems += [
                p for p in problems_from_validation(error, cls) if p.path.split(".")[0].split("[")[0] not in refused
            ]
        raise ProblemsError(problems)
