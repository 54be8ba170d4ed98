"""The README's table of endpoint changes names tests that exist (so "verified by" stays true)."""

from __future__ import annotations

import re

from builders import REPO


def test_every_test_the_update_table_cites_exists() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### How SageMaker endpoint updates work", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`test_" in line]
    cited = {name for row in rows for name in re.findall(r"`(test_\w+)`", row)}
    defined = {
        name
        for path in (REPO / "tests").rglob("test_*.py")
        for name in re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert len(rows) >= 8
    assert sorted(cited - defined) == []
