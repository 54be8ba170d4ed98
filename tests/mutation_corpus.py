"""A corpus of wrong stack files made from our own stack files and README examples, value by value.

Each value under ``ml-serving:`` is replaced by each of :data:`MUTATIONS` in turn, and each ``key: value`` line of
the file is written twice (a duplicate key). ``python tests/mutation_corpus.py`` prints how many of each class are
accepted and refused; ``tests/unit/test_config_mutations.py`` checks that none ends in a traceback and that the
classes that are always wrong are always refused.
"""

from __future__ import annotations

import copy
import math
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent

MUTATIONS: dict[str, Any] = {
    "boolean": True,
    "text": "x",
    "negative": -1,
    "zero": 0,
    "int32 overflow": 2**31,
    "infinity": math.inf,
    "not a number": math.nan,
    "list": [1],
    "mapping": {"a": 1},
    "null": None,
    "long text": "x" * 2000,
    "secret": {"secure": "v1:AAAA"},
}
"""Replacement values, by class."""

ALWAYS_REFUSED_ON_NUMBERS = ("boolean", "int32 overflow", "infinity", "not a number", "text")
"""Classes that are wrong for every numeric value of the schema."""


@dataclass(frozen=True)
class Mutant:
    """One mutated stack file: where it comes from, its class, the mutated key path and the file's text."""

    source: str
    kind: str
    path: str
    text: str
    numeric: bool


def sources() -> list[tuple[str, str]]:
    """(name, YAML text) of every stack file and every README example with an ``ml-serving:`` key."""
    found = [
        (str(path.relative_to(REPO)), path.read_text(encoding="utf-8"))
        for path in sorted((REPO / "stacks").glob("Pulumi.*.yaml"))
    ]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for index, block in enumerate(re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)):
        if "ml-serving:" in block and block.startswith("config:"):
            found.append((f"README.md example {index + 1}", block))
    return found


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    mutated = copy.deepcopy(document)
    target = mutated
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return mutated


def _shown(path: tuple[Any, ...]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")


def _dump(document: Any) -> str:
    return yaml.dump(document, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True)


def mutants() -> Iterator[Mutant]:
    """Every mutant of every source."""
    for source, text in sources():
        document = yaml.safe_load(text)
        config = document["config"]
        for key in [key for key in config if key.startswith("ml-serving:")]:
            for path, leaf in _leaves(config[key], (key,)):
                numeric = isinstance(leaf, (int, float)) and not isinstance(leaf, bool)
                for kind, replacement in MUTATIONS.items():
                    mutated = _replace(document, ("config", *path), replacement)
                    yield Mutant(source, kind, _shown(path), _dump(mutated), numeric)
        lines = text.splitlines()
        for number, line in enumerate(lines):
            match = re.match(r"^(\s*)(- )?([A-Za-z_][\w:-]*):", line)
            if not match or number == 0:
                continue
            indent = match.group(1) + ("  " if match.group(2) else "")
            duplicate = indent + line[len(match.group(1)) + len(match.group(2) or "") :]
            mutated = "\n".join([*lines[: number + 1], duplicate, *lines[number + 1 :]]) + "\n"
            yield Mutant(source, "duplicate key", match.group(3), mutated, False)


def outcome(mutant: Mutant, directory: Path) -> str:
    """``accepted`` or ``refused`` (a :class:`ConfigError` naming key paths and fixes); anything else raises."""
    from components.config import ConfigError, load_stack_config, read_stack_file

    path = directory / "Pulumi.mutant.yaml"
    path.write_text(mutant.text, encoding="utf-8")
    try:
        load_stack_config(read_stack_file(path), "mutant", source=str(path))
    except ConfigError as error:
        assert error.problems and all(problem.fix for problem in error.problems), error
        return "refused"
    return "accepted"


def main() -> int:
    """Print accepted / refused counts per class."""
    counts: Counter[tuple[str, str]] = Counter()
    with tempfile.TemporaryDirectory() as directory:
        for mutant in mutants():
            counts[(mutant.kind, outcome(mutant, Path(directory)))] += 1
    kinds = sorted({kind for kind, _ in counts})
    print(f"{'class':16} accepted refused")
    for kind in kinds:
        print(f"{kind:16} {counts[(kind, 'accepted')]:8} {counts[(kind, 'refused')]:7}")
    total_accepted = sum(count for (_, result), count in counts.items() if result == "accepted")
    total_refused = sum(count for (_, result), count in counts.items() if result == "refused")
    print(f"{'total':16} {total_accepted:8} {total_refused:7}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
