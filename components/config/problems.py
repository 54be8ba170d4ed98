"""Problems found in a stack file, and the error that reports all of them at once.

Validators inside the config models raise :class:`ProblemsError` with paths relative to the model they
validate; :func:`config_error_from_validation` turns a pydantic ``ValidationError`` into a
:class:`ConfigError` whose problems carry full key paths such as ``deployments[1].scaling.max``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError


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
        self.problems = list(problems)
        super().__init__(self.render())

    def render(self) -> str:
        """The report shown to the user: one line per problem, under the file name."""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{self.source}: {count} {noun} in the ml-serving config; nothing was declared."]
        lines += ["  - " + str(problem).replace("\n", "\n      ") for problem in self.problems]
        return "\n".join(lines)


def key_path(loc: Iterable[Any]) -> str:
    """``('deployments', 1, 'scaling', 'max')`` -> ``deployments[1].scaling.max``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif str(part).startswith("function-") or str(part) in {"bool", "AsyncOptions"}:
            continue  # union / wrapper branches pydantic inserts into locations
        else:
            path += f".{part}" if path else str(part)
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


def config_error_from_validation(
    source: str, error: ValidationError, known_keys: Iterable[str] = (), prefix: str = ""
) -> ConfigError:
    """Convert pydantic's errors into one :class:`ConfigError` with full key paths and fixes."""
    known = sorted(set(known_keys))
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        path = key_path(item["loc"])
        if prefix:
            path = f"{prefix}.{path}" if path and not path.startswith("[") else f"{prefix}{path}"
        nested = (item.get("ctx") or {}).get("error")
        if isinstance(nested, ProblemsError):
            problems += [p.under(path) for p in nested.problems]
            continue
        problems.append(_problem_from_pydantic(path, item, known))
    # Keep the report stable and free of repeats (a union can report the same key twice).
    unique = list(dict.fromkeys(problems))
    return ConfigError(source, unique)


def _problem_from_pydantic(path: str, item: Any, known: list[str]) -> Problem:
    kind = item["type"]
    message = str(item["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if kind == "extra_forbidden":
        key = path.rsplit(".", 1)[-1]
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else "remove it; the README lists every key"
        return Problem(path, f"unknown key '{key}'", hint)
    if kind == "missing":
        return Problem(path, "required key is missing", "add it (see the stack file reference in the README)")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        got = item.get("input")
        return Problem(path, f"{message}; got {got!r}", "")
    return Problem(path, message, "")
