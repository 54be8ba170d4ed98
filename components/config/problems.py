"""Problems found in a stack file, and the error that reports all of them at once.

Validators inside the config models raise :class:`ProblemsError` with paths relative to the model they
validate; :func:`config_error_from_validation` turns a pydantic ``ValidationError`` into a
:class:`ConfigError` whose problems carry full key paths such as ``deployments[1].scaling.max``.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a stack file.

    Attributes:
        path: key path inside the ``ml-serving:`` namespace, e.g. ``deployments[1].scaling.max``.
        message: what is wrong, in the user's terms.
        fix: how to fix it; empty when the message already says.
    """

    path: str
    message: str
    fix: str = ""

    def under(self, prefix: str) -> Problem:
        """This problem with its path placed under ``prefix`` (a parent key path)."""
        if not prefix:
            return self
        if not self.path:
            return Problem(prefix, self.message, self.fix)
        joiner = "" if self.path.startswith("[") else "."
        return Problem(f"{prefix}{joiner}{self.path}", self.message, self.fix)

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{text}. Fix: {self.fix}" if self.fix else text


class ProblemsError(ValueError):
    """Raised by model validators: one or more problems with paths relative to the validated model."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


class ConfigError(Exception):
    """A stack file is invalid. ``str()`` lists every problem with its file, key path and fix."""

    def __init__(self, source: str, problems: Sequence[Problem]):
        self.source = source
        self.problems = [problem if problem.fix else _with_fix(problem) for problem in problems]
        super().__init__(self.render())

    def render(self) -> str:
        """The report shown to the user: one line per problem, under the file name."""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{self.source}: {count} {noun} in the ml-serving config; nothing was declared."]
        lines += ["  - " + str(problem).replace("\n", "\n      ") for problem in self.problems]
        return "\n".join(lines)


USER_KEYS = {"aws_region": "aws:region", "gcp_project": "gcp:project", "gcp_region": "gcp:region"}
"""Model fields whose key in the stack file is spelled differently (other namespaces' keys)."""


def _is_branch(part: str) -> bool:
    """Parts pydantic inserts into locations for union members and wrapped validators, not keys the user wrote."""
    return (
        part.startswith("function-")
        or "[" in part
        or part in {"bool", "str", "int", "float", "list", "tuple", "dict", "none", "json-or-python"}
        or part in _model_names()
    )


@functools.cache
def _model_names() -> frozenset[str]:
    """Class names of the stack-file models (pydantic puts them in locations of union members)."""
    names: set[str] = set()
    pending = list(BaseModel.__subclasses__())
    while pending:
        model = pending.pop()
        names.add(model.__name__)
        pending += model.__subclasses__()
    return frozenset(names)


def key_path(loc: Iterable[Any]) -> str:
    """``('deployments', 1, 'scaling', 'max')`` -> ``deployments[1].scaling.max``, in the keys the user wrote."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _is_branch(str(part)):
            continue
        else:
            key = USER_KEYS.get(str(part), str(part)) if not path else str(part)
            path += f".{key}" if path else key
    return path


def mismatch(key: str, value: object, pattern: re.Pattern[str], message: str, fix: str) -> list[Problem]:
    """A problem at ``key`` when ``value`` is a string ``pattern`` does not match, else none.

    ``message`` may use ``{value}`` and ``{scheme}`` (the URI scheme of the value, or "no scheme").
    """
    if not isinstance(value, str) or pattern.match(value):
        return []
    scheme = value.split("://", 1)[0] if "://" in value else "no scheme"
    return [Problem(key, message.format(value=value, scheme=scheme), fix)]


def raise_if_any(problems: Sequence[Problem]) -> None:
    """Raise :class:`ProblemsError` when ``problems`` is not empty."""
    if problems:
        raise ProblemsError(problems)


def model_at(root: type[BaseModel] | None, loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model that validates the mapping at ``loc`` (a pydantic location below ``root``), if any."""
    model = root
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int) or _is_branch(str(part)):
            continue
        fields = {field.alias or name: field for name, field in model.model_fields.items()}
        fields.update({name: field for name, field in model.model_fields.items()})
        found = fields.get(str(part))
        if found is None:
            return None
        inner = _models_in(found.annotation)
        model = inner[0] if inner else None
    return model


def keys_of(model: type[BaseModel] | None) -> list[str]:
    """The keys a user may write in ``model``'s mapping, in declaration order."""
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for argument in getattr(annotation, "__args__", ()) or ():
        found += _models_in(argument)
    return found


def problems_from_validation(error: ValidationError, root: type[BaseModel] | None = None) -> list[Problem]:
    """Pydantic's errors as problems with key paths relative to ``root`` and a fix each."""
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        path = key_path(item["loc"])
        nested = (item.get("ctx") or {}).get("error")
        if isinstance(nested, ProblemsError):
            problems += [p.under(path) for p in nested.problems]
            continue
        problems.append(_problem_from_pydantic(path, item, root))
    return list(dict.fromkeys(problems))  # a union can report the same key twice


def config_error_from_validation(
    source: str, error: ValidationError, root: type[BaseModel] | None = None, prefix: str = ""
) -> ConfigError:
    """Convert pydantic's errors into one :class:`ConfigError` with full key paths and fixes."""
    problems = [p.under(prefix) for p in problems_from_validation(error, root)]
    return ConfigError(source, list(dict.fromkeys(problems)))


def shown(value: Any) -> str:
    """A value as quoted in a message: secrets never shown, long values cut."""
    if isinstance(value, dict) and set(value) == {"secure"}:
        return "a secret value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


GENERIC_FIX = "correct the value; the README's stack file reference describes every key"
_FIX_VERBS = ("use ", "rename ", "remove ", "set ", "give ", "add ", "write ", "choose ", "e.g. ", "move ")


def _with_fix(problem: Problem) -> Problem:
    """A problem reported without a fix, given one: the options its message lists, or the key reference."""
    if "Options:" in problem.message:
        return Problem(problem.path, problem.message, "choose one of the options above")
    message, fix = _split_fix(problem.message)
    return Problem(problem.path, message, fix)


def _split_fix(message: str) -> tuple[str, str]:
    """Messages written as "what is wrong; how to fix it" split into their two parts."""
    head, found, tail = message.rpartition("; ")
    if found and tail.lower().startswith(_FIX_VERBS):
        return head, tail
    return message, GENERIC_FIX


def _problem_from_pydantic(path: str, item: Any, root: type[BaseModel] | None) -> Problem:
    kind = str(item["type"])
    ctx = item.get("ctx") or {}
    got = item.get("input")
    if isinstance(got, dict) and set(got) == {"secure"}:
        return Problem(
            path,
            "a Pulumi secret (`secure:`) is not accepted for this key",
            "only `environment` values may be secrets; write this value in plain text",
        )
    if kind == "extra_forbidden":
        key = str(item["loc"][-1]) if item["loc"] else path
        model = model_at(root, item["loc"][:-1])
        known = keys_of(model)
        aliases = {name: field.alias for name, field in (model.model_fields.items() if model else []) if field.alias}
        close = [aliases[key]] if key in aliases else difflib.get_close_matches(key, known, n=1)
        if close:
            return Problem(path, f"unknown key '{key}'", f"did you mean '{close[0]}'?")
        valid = ", ".join(known) if known else "see the README"
        return Problem(path, f"unknown key '{key}'", f"remove it; the keys valid here are: {valid}")
    if kind == "missing":
        return Problem(path, "required key is missing", "add it (see the stack file reference in the README)")
    simple = {
        "int_type": (f"{shown(got)} is not a whole number", "write a whole number without quotes, e.g. 2"),
        "int_parsing": (f"{shown(got)} is not a whole number", "write a whole number without quotes, e.g. 2"),
        "int_from_float": (f"{shown(got)} is not a whole number", "drop the fraction"),
        "float_type": (f"{shown(got)} is not a number", "write a number without quotes, e.g. 0.5"),
        "float_parsing": (f"{shown(got)} is not a number", "write a number without quotes, e.g. 0.5"),
        "finite_number": (f"{shown(got)} is not a finite number", "write a finite number"),
        "bool_type": (f"{shown(got)} is not true or false", "write true or false without quotes"),
        "bool_parsing": (f"{shown(got)} is not true or false", "write true or false without quotes"),
        "string_type": (
            f"{shown(got)} is not text",
            "quote it so YAML reads it as text, e.g. '8080'"
            if isinstance(got, (int, float, bool))
            else "write a single text value",
        ),
        "dict_type": (f"must be a mapping (key: value), got {shown(got)}", "write it as an indented mapping"),
        "model_type": (f"must be a mapping (key: value), got {shown(got)}", "write it as an indented mapping"),
        "model_attributes_type": (f"must be a mapping (key: value), got {shown(got)}", "write it as a mapping"),
        "list_type": (f"must be a list, got {shown(got)}", "write it as a YAML list (- item)"),
        "tuple_type": (f"must be a list, got {shown(got)}", "write it as a YAML list (- item)"),
    }
    if kind in simple:
        message, fix = simple[kind]
        return Problem(path, message, fix)
    bounds = {
        "greater_than_equal": ("ge", "below the minimum", "use {bound} or more"),
        "greater_than": ("gt", "not above", "use a value above {bound}"),
        "less_than_equal": ("le", "above the maximum", "use {bound} or less"),
        "less_than": ("lt", "not below", "use a value below {bound}"),
    }
    if kind in bounds:
        name, words, fix = bounds[kind]
        bound = ctx.get(name)
        return Problem(path, f"{shown(got)} is {words} {bound}", fix.format(bound=bound))
    if kind in ("too_short", "too_long"):
        limit = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        actual = ctx.get("actual_length")
        words = "at least" if kind == "too_short" else "at most"
        return Problem(path, f"has {actual} items; {words} {limit} are allowed", f"list {words} {limit}")
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "")
        return Problem(path, f"{shown(got)} is not one of {expected}", f"use one of {expected}")
    message = str(item["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    message, fix = _split_fix(message)
    return Problem(path, message, fix)
