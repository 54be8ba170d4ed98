"""The README's generated sections match the code, and its quickstart commands exist as written."""

from __future__ import annotations

import os

from builders import REPO

from components.config.reference import update_readme


def test_generated_sections_are_up_to_date():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert update_readme(text) == text, "run: venv/bin/python -m components.config.reference --write README.md"


def test_every_config_field_is_documented():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("| `") and line.count("|") == 5:
            description = line.rsplit("|", 2)[1].strip()
            assert description, f"undocumented key: {line}"


def test_quickstart_commands_exist_and_ci_calls_the_test_command():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "scripts/plan dev" in text and "scripts/test" in text
    for script in ("scripts/plan", "scripts/test", ".ci/run"):
        assert os.access(REPO / script, os.X_OK), script
    assert "scripts/test" in (REPO / ".ci/run").read_text(encoding="utf-8")


def test_changelog_lists_the_package_version():
    from components import __version__

    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}] - " in changelog
