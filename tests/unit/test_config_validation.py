"""Stack-file validation: every problem reported at once, with the file, the key path and the fix."""

from __future__ import annotations

import pytest
from builders import aws_deployment, gcp_deployment, stack_values

from components.config import ConfigError, load_stack_config


def problems_of(values, stack="test") -> dict[str, str]:
    with pytest.raises(ConfigError) as caught:
        load_stack_config(values, stack)
    return {problem.path: str(problem) for problem in caught.value.problems}


def test_valid_stack_loads_with_resolved_defaults():
    stack = load_stack_config(stack_values(aws_deployment(), gcp_deployment()), "test")
    ranker, reranker = stack.deployments
    assert ranker.scaling.min == 2 and ranker.scaling.max == 6 and ranker.scaling.metric == "concurrency"
    assert ranker.sagemaker.variant_name == "primary"
    assert reranker.vertex.predict_route == "/predict"
    assert stack.gcp_project == "acme-ml"


def test_issue_example_keys_work_exactly_as_written():
    example = aws_deployment(
        instance_type="ml.g5.2xlarge",
        **{"async": True},
        scaling={"min": 2, "max": 6, "metric": "backlog", "target": 5},
    )
    stack = load_stack_config(stack_values(example), "prod")
    assert stack.deployments[0].is_async
    assert stack.deployments[0].instance_type == "ml.g5.2xlarge"


def test_min_above_max_names_key_and_fix():
    found = problems_of(stack_values(aws_deployment(scaling={"min": 5, "max": 2, "metric": "cpu"})))
    assert "deployments[0].scaling.max" in found
    assert "max (2) is below min (5)" in found["deployments[0].scaling.max"]
    assert "set max to at least 5" in found["deployments[0].scaling.max"]


def test_unknown_accelerator_lists_known_ones():
    found = problems_of(stack_values(aws_deployment(accelerator={"type": "nvidia-a10x"})))
    message = found["deployments[0].accelerator.type"]
    assert "unknown accelerator 'nvidia-a10x'" in message
    assert "did you mean 'nvidia-a10g'" in message
    for known in ("nvidia-t4", "nvidia-l4", "nvidia-h100"):
        assert known in message


def test_single_a100_on_sagemaker_explains_eight_and_alternatives():
    found = problems_of(stack_values(aws_deployment(accelerator={"type": "nvidia-a100-40gb", "count": 1})))
    message = found["deployments[0].accelerator.count"]
    assert "eight at a time" in message and "ml.p4d.24xlarge" in message
    assert "count: 8" in message
    assert "a2-highgpu-1g" in message  # Vertex offers one


def test_gpu_not_offered_on_vertex_suggests_alternatives():
    found = problems_of(stack_values(gcp_deployment(accelerator={"type": "nvidia-a10g"})))
    message = found["deployments[0].accelerator.type"]
    assert "nvidia-a10g" in message and "nvidia-l4" in message


def test_min_zero_on_realtime_sagemaker_suggests_async():
    found = problems_of(
        stack_values(aws_deployment(scaling={"min": 0, "max": 2, "metric": "invocations", "target": 100}))
    )
    message = found["deployments[0].scaling.min"]
    assert "real-time SageMaker endpoint" in message and "async: true" in message


def test_backlog_needs_async():
    found = problems_of(stack_values(aws_deployment(scaling={"min": 1, "max": 2, "metric": "backlog"})))
    assert "only on async endpoints" in found["deployments[0].scaling.metric"]


def test_duplicate_names_point_at_the_second_one():
    found = problems_of(stack_values(aws_deployment(), aws_deployment()))
    assert "'ranker' is already used by deployments[0]" in found["deployments[1].name"]


@pytest.mark.parametrize(
    ("deployment", "needle"),
    [
        (aws_deployment(artifacts="gs://acme-models/ranker/model.tar.gz"), "is not an S3 URI (gs)"),
        (gcp_deployment(artifacts="s3://acme-models/reranker/"), "is not a Cloud Storage URI (s3)"),
        (gcp_deployment(image="111122223333.dkr.ecr.eu-west-1.amazonaws.com/x:1"), "Vertex AI pulls only from those"),
        (aws_deployment(image="docker.io/library/nginx:1"), "SageMaker pulls only from ECR"),
    ],
)
def test_locations_must_fit_the_cloud(deployment, needle):
    found = problems_of(stack_values(deployment))
    assert any(needle in message for message in found.values()), found


def test_every_problem_of_a_file_is_reported_at_once():
    values = stack_values(
        aws_deployment(artifacts="gs://x/y.tar.gz", scaling={"min": 0, "max": 3, "metric": "backlog"}),
        gcp_deployment(name="ranker", artifacts="s3://x/y/", scaling={"min": 3, "max": 2, "typo": 1}),
    )
    found = problems_of(values)
    assert {
        "deployments[0].artifacts",
        "deployments[0].scaling.min",
        "deployments[0].scaling.metric",
        "deployments[1].name",
        "deployments[1].artifacts",
        "deployments[1].scaling.max",
        "deployments[1].scaling.typo",
    } <= set(found)


def test_report_names_the_stack_file_and_says_nothing_was_declared():
    with pytest.raises(ConfigError) as caught:
        load_stack_config(stack_values(aws_deployment(scaling={"min": 3, "max": 1})), "prod")
    text = str(caught.value)
    assert text.startswith("stacks/Pulumi.prod.yaml: ")
    assert "nothing was declared" in text
    assert "  - deployments[0].scaling.max:" in text


def test_unknown_key_gets_did_you_mean():
    found = problems_of(stack_values(aws_deployment(scailng={"min": 1})))
    assert "did you mean 'scaling'" in found["deployments[0].scailng"]


def test_autoscaling_needs_a_metric_and_a_target():
    found = problems_of(stack_values(aws_deployment(scaling={"min": 1, "max": 3})))
    assert "required when max > min" in found["deployments[0].scaling.metric"]
    found = problems_of(stack_values(aws_deployment(scaling={"min": 1, "max": 3, "metric": "concurrency"})))
    assert "required for metric concurrency" in found["deployments[0].scaling.target"]


def test_invocations_target_derived_from_max_rps_with_safety_factor():
    stack = load_stack_config(
        stack_values(aws_deployment(scaling={"min": 1, "max": 3, "metric": "invocations", "max_rps_per_instance": 10})),
        "t",
    )
    assert stack.deployments[0].scaling.resolved_target == 480  # 10 rps x 60 s x 0.8


def test_gcp_refuses_metrics_it_does_not_have_and_scale_to_zero():
    found = problems_of(
        stack_values(gcp_deployment(scaling={"min": 0, "max": 2, "metric": "concurrency", "target": 2}))
    )
    assert "v1beta1" in found["deployments[0].scaling.min"]
    assert "concurrency is not available on gcp" in found["deployments[0].scaling.metric"]


def test_options_of_the_other_cloud_are_refused():
    found = problems_of(
        stack_values(
            gcp_deployment(instance_type="ml.g5.xlarge"), aws_deployment(name="b", machine_type="g2-standard-4")
        )
    )
    assert "use machine_type" in found["deployments[0].instance_type"]
    assert "use instance_type" in found["deployments[1].machine_type"]


def test_explicit_instance_type_must_match_the_accelerator():
    found = problems_of(stack_values(aws_deployment(instance_type="ml.g6.xlarge")))
    assert "has 1 x nvidia-l4, not 1 x nvidia-a10g" in found["deployments[0].instance_type"]


def test_provider_settings_required_by_the_clouds_used():
    values = stack_values(aws_deployment(), gcp_deployment())
    del values["aws:region"], values["gcp:project"]
    found = problems_of(values)
    assert "aws:region" in found and "gcp:project" in found


def test_defaults_merge_under_each_deployment_and_deployment_keys_win():
    values = stack_values(
        aws_deployment(tags={"team": "search"}),
        aws_deployment(name="other"),
        **{"ml-serving:defaults": {"tags": {"team": "ml", "cost-center": "42"}, "environment": {"LOG_LEVEL": "info"}}},
    )
    first, second = load_stack_config(values, "t").deployments
    assert first.tags == {"team": "search", "cost-center": "42"}
    assert second.tags == {"team": "ml", "cost-center": "42"}
    assert second.environment == {"LOG_LEVEL": "info"}


def test_unknown_namespace_key_and_missing_deployments():
    found = problems_of({"aws:region": "eu-west-1", "ml-serving:deployment": []})
    assert "ml-serving:deployment" in found and "deployments" in found


def test_schedules_validate_expression_timezone_and_bounds():
    scaling = {
        "min": 1,
        "max": 3,
        "metric": "cpu",
        "schedules": [{"name": "bad", "schedule": "every monday", "timezone": "Mars/Olympus", "min": 4, "max": 2}],
    }
    found = problems_of(stack_values(aws_deployment(scaling=scaling)))
    joined = " ".join(found)
    assert "deployments[0].scaling.schedules[0].schedule" in joined
    assert "deployments[0].scaling.schedules[0].timezone" in joined


def test_cloud_specific_defaults_apply_only_to_their_cloud():
    key = "arn:aws:kms:eu-west-1:111122223333:key/5d2c1c6e-7f0b-4d3e-9a61-2b8d0f1e4c11"
    cmek = "projects/p/locations/europe-west4/keyRings/r/cryptoKeys/k"
    defaults = {"sagemaker": {"kms_key": key}, "vertex": {"kms_key": cmek}}
    aws, gcp = load_stack_config(
        # ml.c5: EBS-backed, so SageMaker accepts the default volume key (g5's local NVMe storage refuses it)
        stack_values(
            aws_deployment(accelerator=None, instance_type="ml.c5.xlarge"),
            gcp_deployment(),
            **{"ml-serving:defaults": defaults},
        ),
        "t",
    ).deployments
    assert aws.sagemaker.kms_key == key and "vertex" not in aws.model_fields_set
    assert gcp.vertex.kms_key == cmek and "sagemaker" not in gcp.model_fields_set
