"""Pulumi secrets in a stack file: ``{secure: CIPHERTEXT}`` values, as ``pulumi config set --secret --path`` writes
them.

Offline (the plan, tests) the value is the ciphertext; under ``pulumi up`` the program gets the decrypted value and
:func:`mark_secure_paths` puts it back in a ``{secure: ...}`` mapping at the positions the stack file holds secrets,
so that validation treats both alike. Only ``environment`` values may be secrets; a secret anywhere else is refused.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any


def is_secure(value: Any) -> bool:
    """True for ``{secure: TEXT}``, the stack-file form of a Pulumi secret."""
    return isinstance(value, Mapping) and set(value) == {"secure"} and isinstance(value["secure"], str)


def split_secrets(environment: Mapping[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """``environment`` with each secret replaced by its text, and the names of the secret ones."""
    plain = {key: value["secure"] if is_secure(value) else value for key, value in environment.items()}
    return plain, frozenset(key for key, value in environment.items() if is_secure(value))


def secure_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths (keys and list indexes) of every ``{secure: ...}`` value inside ``value``."""
    if is_secure(value):
        yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from secure_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from secure_paths(item, (*path, index))


def mark_secure_paths(decrypted: Any, paths: list[tuple[Any, ...]]) -> Any:
    """``decrypted`` (a config object as the program receives it) with the value at each of ``paths`` wrapped back
    into ``{secure: VALUE}``; paths that do not lead to a string are left alone."""
    result = copy.deepcopy(decrypted)
    for path in paths:
        if not path:
            continue
        parent = result
        try:
            for part in path[:-1]:
                parent = parent[part]
            if isinstance(parent[path[-1]], str):
                parent[path[-1]] = {"secure": parent[path[-1]]}
        except (KeyError, IndexError, TypeError):
            continue
    return result


def mark_all_environment_values(decrypted: Any) -> Any:
    """Every string value of every ``environment`` mapping inside ``decrypted`` wrapped as a secret: the safe
    reading of a secret config object whose secret positions are unknown."""
    if isinstance(decrypted, list):
        return [mark_all_environment_values(item) for item in decrypted]
    if not isinstance(decrypted, Mapping):
        return decrypted
    result: dict[str, Any] = {}
    for key, item in decrypted.items():
        if key == "environment" and isinstance(item, Mapping):
            result[key] = {name: {"secure": text} if isinstance(text, str) else text for name, text in item.items()}
        else:
            result[key] = mark_all_environment_values(item)
    return result
