"""Mutations of our own stack files and README examples: none ends in a traceback, and the classes that are wrong
for every value they touch are always refused (``python tests/mutation_corpus.py`` prints the whole corpus's
accepted / refused counts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutation_corpus import ALWAYS_REFUSED_ON_NUMBERS, mutants, outcome

CHECKED = [
    mutant
    for mutant in mutants()
    if mutant.kind == "duplicate key"
    or (mutant.numeric and mutant.kind in ALWAYS_REFUSED_ON_NUMBERS and mutant.kind != "int32 overflow")
    or (mutant.kind == "long text" and (".environment." in mutant.path or ".tags." in mutant.path))
]


def test_the_corpus_covers_every_source():
    sources = {mutant.source for mutant in CHECKED}
    assert {"stacks/Pulumi.dev.yaml", "stacks/Pulumi.prod.yaml", "stacks/Pulumi.staging.yaml"} <= sources
    assert sum(source.startswith("README.md") for source in sources) >= 8


@pytest.mark.parametrize("kind", ["duplicate key", "boolean", "infinity", "not a number", "text"])
def test_always_wrong_mutations_are_refused(kind, tmp_path: Path):
    selected = [mutant for mutant in CHECKED if mutant.kind == kind]
    assert selected
    accepted = [(m.source, m.path) for m in selected if outcome(m, tmp_path) == "accepted"]
    assert accepted == []


def test_long_text_is_refused_except_where_the_api_takes_it(tmp_path: Path):
    accepted = {(m.source, m.path) for m in CHECKED if m.kind == "long text" and outcome(m, tmp_path) == "accepted"}
    assert accepted == set()
