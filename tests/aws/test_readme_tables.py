"""The README's AWS tables are generated from the facts and the deployer policy, and are current."""

from __future__ import annotations

from builders import REPO

from components.aws import readme_tables


def test_generated_aws_sections_are_up_to_date():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme_tables.update_readme(text) == text, (
        "run: venv/bin/python -m components.aws.readme_tables --write README.md"
    )


def test_metric_table_rows_read_as_the_docs_say():
    table = readme_tables.render_scaling_metrics()
    assert (
        "| `backlog` | `ApproximateBacklogSizePerInstance` | `AWS/SageMaker` | EndpointName | Average | no | yes | 5 |"
        in table
    )
    assert (
        "| `gpu` | `GPUUtilization`, target x GPUs | `/aws/sagemaker/Endpoints` | EndpointName, VariantName | Average "
        "| yes | yes | 70 |" in table
    )


def test_limits_table_names_the_refused_key_families():
    assert (
        "| no `sagemaker.kms_key` on | ml.c5d, ml.c6gd, ml.dl1, ml.g4dn, ml.g5, ml.g6, ml.g6e,"
        in readme_tables.render_limits()
    )
