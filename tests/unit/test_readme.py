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


def test_scaling_metrics_table_reads_as_the_cloud_docs_say():
    from components.config.reference import render_scaling_metrics

    table = render_scaling_metrics()
    assert (
        "| `gpu` | average GPU utilisation (duty cycle) in percent | `GPUUtilization` in `/aws/sagemaker/Endpoints`, "
        "target x GPUs (SageMaker sums it over them) | `aiplatform.googleapis.com/prediction/online/accelerator/"
        "duty_cycle` (percent, with GPUs only) |" in table
    )
    assert (
        "| `concurrency` | in-flight requests per instance | `SageMakerVariantConcurrentRequestsPerModelHighResolution`"
        " (real-time endpoints only) | refused: Vertex AI has no in-flight request metric for autoscaling |" in table
    )
    assert (
        "| `backlog` |" in table
        and "`ApproximateBacklogSizePerInstance` in `AWS/SageMaker` (async endpoints only)" in table
    )


def test_no_scaling_metric_table_row_is_written_by_hand_in_the_readme():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    outside, rest = [], text
    while "<!-- BEGIN generated:" in rest:
        head, _, rest = rest.partition("<!-- BEGIN generated:")
        outside.append(head)
        rest = rest.partition("<!-- END generated:")[2]
    outside.append(rest)
    rows = [line for line in "".join(outside).splitlines() if line.startswith("| `")]
    for metric in ("invocations", "concurrency", "cpu", "gpu", "backlog"):
        assert not [row for row in rows if row.startswith(f"| `{metric}` |")], (
            f"a `{metric}` table row is written by hand in the README: generate it from the facts"
        )
