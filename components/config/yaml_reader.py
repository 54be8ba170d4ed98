"""Read a Pulumi stack file as the Pulumi CLI decodes it, refusing what would crash or silently lose a value.

How the CLI decodes ``config:`` (``sdk/go/common/resource/config/value.go``, ``Value.unmarshalValue``): a value
that decodes as a string stays that string *as written* (``42``, ``true`` and ``2024-05-01`` reach the program as
``"42"``, ``"true"``, ``"2024-05-01"``); a ``{secure: CIPHERTEXT}`` mapping is a secret; anything else is an object
stored as JSON (timestamps inside stay the text written, map keys become strings, ``.inf`` / ``.nan`` cannot be
stored: Go's ``json.Marshal`` refuses them). Anchors, aliases and merge keys (``<<: *base``) are valid YAML the CLI
accepts, so they stay valid here.

Refused, each with the file, the key path and a fix: bytes that are not UTF-8, a directory, a file above
:data:`MAX_FILE_BYTES`, nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_VALUES` values once aliases
are expanded (a "billion laughs" alias bomb is refused in milliseconds), a key written twice in one mapping (YAML
would keep only the last: a whole first ``ml-serving:deployments`` list would disappear), tags PyYAML would turn
into Python objects, and ``.inf`` / ``.nan`` inside objects.
"""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import ConfigError, Problem

MAX_FILE_BYTES = 1_000_000
"""Largest stack file read (bytes); real stack files are a few KB."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted; the schema itself needs fewer than 10 levels."""
MAX_VALUES = 100_000
"""Most values (scalars, mappings, sequences) a file may expand to once aliases are followed."""

NAMESPACE_PREFIX = "ml-serving:"
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null")}
_MERGE = f"{_TAG}merge"
_COLLECTION_TAGS = {f"{_TAG}{name}" for name in ("map", "seq", "set", "omap", "pairs")}
_SCALARS = yaml.SafeLoader("")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (about ten times faster), else the pure-Python one."""


class _TooLarge(Exception):
    """More values than :data:`MAX_VALUES` once aliases are expanded."""


@dataclass
class _Reader:
    """State of one file's construction: the value budget and the problems found so far."""

    budget: int = MAX_VALUES
    problems: list[Problem] = field(default_factory=list)

    def take(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise _TooLarge

    def value(self, node: Node, path: str) -> Any:
        """The Python value of ``node`` as it reaches the program inside a config object."""
        self.take()
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if node.tag.startswith(_TAG) and node.tag not in _COLLECTION_TAGS:
            self.problems.append(
                Problem(path, f"the YAML tag {node.tag.replace(_TAG, '!!')} is not a config value", "remove the tag")
            )
            return None
        if isinstance(node, SequenceNode):
            return [self.value(item, f"{path}[{index}]") for index, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        return None  # pragma: no cover - the composer makes only these three kinds

    def _scalar(self, node: ScalarNode, path: str) -> Any:
        tag = node.tag
        if tag == f"{_TAG}timestamp":
            return node.value  # the CLI keeps a timestamp as the text written
        if tag == f"{_TAG}binary":
            try:
                raw = base64.b64decode(node.value.replace("\n", "").replace(" ", ""), validate=False)
            except (binascii.Error, ValueError):
                self.problems.append(Problem(path, "a !!binary value that is not base64", "write it as text"))
                return None
            return raw.decode("utf-8", errors="replace")  # Go's JSON encoder replaces invalid UTF-8 the same way
        if tag in _SCALAR_TAGS:
            value = _SCALARS.yaml_constructors[tag](_SCALARS, node)
            if isinstance(value, float) and not math.isfinite(value):
                self.problems.append(
                    Problem(
                        path,
                        f"{node.value} (infinity or not-a-number) cannot be stored in a Pulumi config object",
                        "write a finite number",
                    )
                )
                return None
            return value
        if not tag.startswith(_TAG):
            return node.value  # a local tag such as !Ref: the CLI reads the text
        self.problems.append(
            Problem(path, f"the YAML tag {tag.replace(_TAG, '!!')} is not a config value", "remove the tag")
        )
        return None

    def mapping(self, node: MappingNode, path: str) -> dict[str, Any]:
        """A mapping with merge keys applied (explicit keys win) and duplicate explicit keys reported."""
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for source in sources:
                    if not isinstance(source, MappingNode):
                        self.problems.append(Problem(path, "`<<` merges only mappings", "merge an anchored mapping"))
                        continue
                    for key, value in self.mapping(source, path).items():
                        result.setdefault(key, value)
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.append(Problem(path, "a key that is not text", "use plain text keys"))
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            child = _join(path, key)
            if key in lines:
                self.problems.append(
                    Problem(
                        child,
                        f"written twice in one mapping (lines {lines[key]} and {line}); YAML would keep only the "
                        "last one and silently drop the first",
                        "keep one of them (merge their contents if both matter)",
                    )
                )
                continue
            lines[key] = line
            result[key] = self.value(value_node, child)
        return result


def _join(path: str, key: str) -> str:
    if not path:
        return key[len(NAMESPACE_PREFIX) :] if key.startswith(NAMESPACE_PREFIX) else key
    return f"{path}.{key}"


def _depth_problem(text: str) -> Problem | None:
    """Nesting deeper than :data:`MAX_DEPTH`, found from the event stream (no recursion) before composing."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return _too_deep(event.start_mark.line + 1 if event.start_mark else 0)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        if "nesting depth" not in str(error.problem):  # libyaml stops at 1000 levels while scanning ahead
            raise
        return _too_deep(error.problem_mark.line + 1 if error.problem_mark else 0)
    return None


def _too_deep(line: int) -> Problem:
    return Problem(
        "",
        f"nested more than {MAX_DEPTH} levels deep (line {line})",
        "flatten the structure; the ml-serving schema needs fewer than 10 levels",
    )


def _text(path: Path) -> str:
    source = str(path)
    if path.is_dir():
        raise ConfigError(
            source, [Problem("", "is a directory, not a stack file", "pass a file such as stacks/Pulumi.dev.yaml")]
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ConfigError(
                source,
                [Problem("", f"{size} bytes is larger than a stack file can be ({MAX_FILE_BYTES})", "shrink it")],
            )
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(source, [Problem("", f"cannot be read: {error.strerror}", "check the path")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(
            source,
            [
                Problem(
                    "",
                    f"is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line})",
                    "save the file as UTF-8 (Pulumi reads stack files as UTF-8)",
                )
            ],
        ) from None


def _top_level(reader: _Reader, node: Node, key: str) -> Any:
    """A ``config:`` value as the CLI hands it to the program: scalars as written, objects as JSON values."""
    if isinstance(node, ScalarNode):
        reader.take()
        if node.tag == f"{_TAG}null":
            return ""
        if node.tag == f"{_TAG}binary":
            return reader.value(node, _join("", key))
        return node.value
    return reader.value(node, _join("", key))


def read_config(path: str | Path) -> dict[str, Any]:
    """The ``config:`` mapping of a stack file, decoded as the Pulumi CLI decodes it.

    Raises:
        ConfigError: naming the file, the key path and the fix, for anything the file cannot be read as.
    """
    path = Path(path)
    source = str(path)
    text = _text(path)
    try:
        deep = _depth_problem(text)
        if deep is not None:
            raise ConfigError(source, [deep])
        node = _Loader(text).get_single_node()
    except yaml.YAMLError as error:
        raise ConfigError(source, [Problem("", f"not valid YAML: {error}", "fix the YAML syntax")]) from None
    reader = _Reader()
    if node is None:
        return {}
    if not isinstance(node, MappingNode):
        raise ConfigError(source, [Problem("", "the file is not a YAML mapping", "start with `config:`")])
    try:
        _top_level_duplicates(reader, node)
        config_node = _config_node(node)
        config: dict[str, Any] = {}
        if config_node is not None:
            if not isinstance(config_node, MappingNode):
                if not (isinstance(config_node, ScalarNode) and config_node.tag == f"{_TAG}null"):
                    reader.problems.append(
                        Problem("config", "must be a mapping of keys", "indent the keys under `config:`")
                    )
            else:
                config = _config_values(reader, config_node)
    except _TooLarge:
        raise ConfigError(
            source,
            [
                Problem(
                    "",
                    f"expands to more than {MAX_VALUES} values once its YAML aliases are followed",
                    "write the values out, or use fewer nested aliases",
                )
            ],
        ) from None
    if reader.problems:
        raise ConfigError(source, reader.problems)
    return config


def _top_level_duplicates(reader: _Reader, node: MappingNode) -> None:
    """A top-level key (``config:``, ``secretsprovider:``...) written twice: YAML would keep only the last."""
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, ScalarNode):
            continue
        line = key_node.start_mark.line + 1
        if key_node.value in lines:
            reader.problems.append(
                Problem(
                    key_node.value,
                    f"written twice (lines {lines[key_node.value]} and {line}); YAML would keep only the last one",
                    "keep one of them (merge their contents if both matter)",
                )
            )
        lines.setdefault(key_node.value, line)


def _is_key(node: Node, name: str) -> bool:
    return isinstance(node, ScalarNode) and node.value == name


def _config_node(node: MappingNode) -> Node | None:
    found = [value for key, value in node.value if _is_key(key, "config")]
    return found[0] if found else None


def _config_values(reader: _Reader, node: MappingNode) -> dict[str, Any]:
    config: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag == _MERGE:
            reader.problems.append(Problem("config", "config keys must be plain text", "write keys as NAMESPACE:KEY"))
            continue
        key = key_node.value
        line = key_node.start_mark.line + 1
        if key in lines:
            reader.problems.append(
                Problem(
                    _join("", key),
                    f"written twice under config (lines {lines[key]} and {line}); YAML would keep only the last one "
                    "and silently drop the first",
                    "keep one of them (merge their contents if both matter)",
                )
            )
            continue
        lines[key] = line
        config[key] = _top_level(reader, value_node, key)
    return config
