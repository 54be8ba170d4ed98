"""Each validation rule has one helper and one message, whichever key it guards (components/config/rules.py)."""

from __future__ import annotations

import pytest
from builders import REPO, aws_deployment, gcp_deployment, stack_values

from components.config import ConfigError, load_stack_config

IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/post:1.0.0"


def problems_of(*deployments) -> dict[str, str]:
    with pytest.raises(ConfigError) as caught:
        load_stack_config(stack_values(*deployments), "test")
    return {problem.path: str(problem) for problem in caught.value.problems}


def test_environment_names_give_one_message_at_every_key():
    found = problems_of(
        aws_deployment(
            environment={"1X": "y"},
            sagemaker={
                "containers": [{"hostname": "post", "image": IMAGE, "environment": {"1X": "y"}}],
                "variants": [{"name": "v2", "environment": {"1X": "y"}}],
            },
        ),
        gcp_deployment(environment={"1X": "y"}),
    )
    message = "['1X'] are not environment variable names (letters, digits and '_', not starting with a digit)"
    for path in (
        "deployments[0].environment",
        "deployments[0].sagemaker.containers[0].environment",
        "deployments[0].sagemaker.variants[0].environment",
        "deployments[1].environment",
    ):
        assert found[path].startswith(f"{path}: {message}"), found[path]


def test_min_above_max_gives_one_message_at_every_key():
    schedules = [{"name": "peak", "schedule": "rate(1 day)", "min": 5, "max": 3}]
    found = problems_of(
        aws_deployment(
            scaling={"min": 5, "max": 3, "metric": "cpu", "schedules": schedules},
            sagemaker={"variants": [{"name": "v2", "scaling": {"min": 5, "max": 3, "metric": "cpu"}}]},
        )
    )
    for path in (
        "deployments[0].scaling.max",
        "deployments[0].scaling.schedules[0].max",
        "deployments[0].sagemaker.variants[0].scaling.max",
    ):
        assert found[path] == f"{path}: max (3) is below min (5). Fix: set max to at least 5, or lower min"


def test_duplicate_names_give_one_message_for_deployments_variants_hosts_and_schedules():
    schedules = [{"name": "peak", "schedule": "rate(1 day)", "min": 2}] * 2
    found = problems_of(aws_deployment(scaling={"min": 2, "max": 6, "metric": "cpu", "schedules": schedules}))
    found |= problems_of(
        aws_deployment(
            sagemaker={"containers": [{"hostname": "ranker", "image": IMAGE}], "variants": [{"name": "primary"}]}
        ),
        aws_deployment(),
    )
    assert found["deployments[1].name"] == (
        "deployments[1].name: deployment name 'ranker' is already used by deployments[0]. "
        "Fix: rename it: each deployment name must be unique"
    )
    assert found["deployments[0].scaling.schedules[1].name"] == (
        "deployments[0].scaling.schedules[1].name: schedule name 'peak' is already used by schedules[0]. "
        "Fix: rename it: each schedule name must be unique"
    )
    assert found["deployments[0].sagemaker.variants[0].name"] == (
        "deployments[0].sagemaker.variants[0].name: variant name 'primary' is already used by "
        "sagemaker.variant_name. Fix: rename it: each variant name must be unique"
    )
    assert found["deployments[0].sagemaker.containers[0].hostname"] == (
        "deployments[0].sagemaker.containers[0].hostname: container host name 'ranker' is already used by the "
        "deployment's own container (named after the deployment). Fix: rename it: each container host name must "
        "be unique"
    )


def test_a_location_gives_one_message_for_the_deployment_a_container_and_a_variant():
    found = problems_of(
        aws_deployment(
            artifacts="gs://acme/model.tar.gz",
            sagemaker={
                "containers": [{"hostname": "post", "image": IMAGE, "artifacts": "gs://acme/model.tar.gz"}],
                "variants": [{"name": "v2", "artifacts": "gs://acme/model.tar.gz"}],
            },
        )
    )
    for path in (
        "deployments[0].artifacts",
        "deployments[0].sagemaker.containers[0].artifacts",
        "deployments[0].sagemaker.variants[0].artifacts",
    ):
        assert found[path] == (
            f"{path}: 'gs://acme/model.tar.gz' is not an S3 URI (gs); SageMaker loads artifacts from S3. "
            "Fix: copy the artifacts to S3 and use s3://BUCKET/KEY/model.tar.gz"
        )


@pytest.mark.parametrize(
    "message",
    [
        "are not environment variable names",
        "is below {low_key}",
        "is already used by",
        "is not an S3 URI",
        "is not an Amazon ECR image URI",
        "is not a valid {what}",
    ],
)
def test_each_rule_message_is_written_in_one_module(message: str) -> None:
    modules = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "components/config").rglob("*.py")
        if message in path.read_text(encoding="utf-8")
    ]
    assert len(modules) == 1, modules


def test_the_other_cloud_s_keys_are_refused_by_one_rule_on_both_clouds():
    found = problems_of(
        aws_deployment(machine_type="g2-standard-8", vertex={"port": 9000}),
        gcp_deployment(instance_type="ml.g5.xlarge", sagemaker={"variant_name": "main"}),
    )
    assert found["deployments[0].vertex"] == (
        "deployments[0].vertex: Vertex AI options on an aws deployment. Fix: move them under `sagemaker:` or set "
        "cloud: gcp"
    )
    assert found["deployments[0].machine_type"] == (
        "deployments[0].machine_type: machine_type is the Vertex AI key. Fix: use instance_type (e.g. ml.g5.xlarge) "
        "on aws"
    )
    assert found["deployments[1].sagemaker"] == (
        "deployments[1].sagemaker: SageMaker options on a gcp deployment. Fix: move them under `vertex:` or set "
        "cloud: aws"
    )
    assert found["deployments[1].instance_type"] == (
        "deployments[1].instance_type: instance_type is the SageMaker key. Fix: use machine_type (e.g. "
        "g2-standard-8) on gcp"
    )


def test_the_vertex_resource_s_own_checks_give_the_same_messages():
    from components.gcp.deployment_checks import validate_inputs

    failures = validate_inputs(
        {
            "project": "acme-ml",
            "region": "europe-west4",
            "endpoint": "projects/acme-ml/locations/europe-west4/endpoints/reranker-endpoint-1a2b3c4",
            "display_name": "reranker-prod",
            "image_uri": "europe-west4-docker.pkg.dev/acme-ml/serving/reranker:1.0.0",
            "machine_type": "n1-standard-4",
            "min_replicas": 5,
            "max_replicas": 3,
            "env": {"1X": "y"},
            "labels": {"Team": "ml"},
        }
    )
    assert failures == [
        ("max_replicas", "max_replicas (3) is below min_replicas (5)"),
        ("env", "['1X'] are not environment variable names (letters, digits and '_', not starting with a digit)"),
        ("labels", "'Team: ml' cannot be a GCP label (lowercase letters, digits, '_' and '-', up to 63 characters)"),
    ]
    found = problems_of(gcp_deployment(tags={"Team": "ml"}))
    assert found["deployments[0].tags.Team"].startswith(
        "deployments[0].tags.Team: 'Team: ml' cannot be a GCP label (lowercase letters, digits, '_' and '-', up to "
        "63 characters)"
    )
