"""Strict stack-file values: wrong types, values outside the APIs' limits, names that collide, and messages that
name the key as written and say how to fix it. Expected messages are literal."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from builders import REPO, aws_deployment, gcp_deployment, stack_values

from components.config import ConfigError, load_stack_config, load_stack_file
from components.plan import main
from components.resolve.aws import resolve_sagemaker

ROLLBACK = {"strategy": "canary", "rollback": {"max_5xx_errors": 5}}


def problems(values, stack="t") -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_stack_config(values, stack)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("deployment", "expected"),
    [
        (
            aws_deployment(accelerator={"type": "nvidia-a10g", "count": True}),
            "deployments[0].accelerator.count: true is a boolean, not a whole number. Fix: write a whole number, "
            "e.g. 1",
        ),
        (
            aws_deployment(scaling={"min": 1, "max": 3, "metric": "concurrency", "target": float("inf")}),
            "deployments[0].scaling.target: inf is not a finite number. Fix: write a finite number",
        ),
        (
            aws_deployment(sagemaker={"variant_weight": float("nan")}),
            "deployments[0].sagemaker.variant_weight: nan is not a finite number. Fix: write a finite number",
        ),
        (
            aws_deployment(scaling={"min": 1, "max": 2**31, "metric": "concurrency", "target": 3}),
            "deployments[0].scaling.max: 2147483648 is beyond 2147483647, the largest number the cloud APIs take "
            "here (32-bit integers). Fix: use a realistic value",
        ),
        (
            aws_deployment(scaling={"min": "1", "max": 3, "metric": "concurrency", "target": 3}),
            "deployments[0].scaling.min: '1' is text, not a number. Fix: write the number without quotes",
        ),
        (
            aws_deployment(sagemaker={"network_isolation": "yes"}),
            "deployments[0].sagemaker.network_isolation: 'yes' is not true or false. Fix: write true or false "
            "without quotes",
        ),
        (
            aws_deployment(scaling={"min": 1, "max": 3, "metric": "invocations", "max_rps_per_instance": 0.00001}),
            "deployments[0].scaling.max_rps_per_instance: the derived target max_rps_per_instance x 60 x "
            "safety_factor (1e-05 x 60 x 0.8) rounds to 0.0 requests per minute, which autoscaling cannot track. "
            "Fix: raise max_rps_per_instance (requests per second one instance sustains) or safety_factor",
        ),
    ],
)
def test_values_pydantic_would_convert_are_refused(deployment, expected):
    assert problems(stack_values(deployment)) == [expected]


def test_pydantic_errors_become_messages_with_a_fix():
    deployment = aws_deployment(cloud="azure", environment={"PORT": 8080}, scaling=[1])
    assert problems(stack_values(deployment)) == [
        "deployments[0].cloud: 'azure' is not one of aws or gcp. Fix: use one of aws or gcp",
        "deployments[0].environment.PORT: 8080 is not text. Fix: quote it so YAML reads it as text, e.g. '8080'",
        "deployments[0].scaling: must be a mapping (key: value), got a list. Fix: write it as an indented mapping",
    ]


def test_provider_keys_are_named_as_written():
    assert problems({**stack_values(aws_deployment()), "aws:region": {"x": 1}}) == [
        "aws:region: a mapping is not text. Fix: write a single text value"
    ]


def test_internal_field_names_are_not_keys():
    assert problems(stack_values(aws_deployment(async_inference=True))) == [
        "deployments[0].async_inference: unknown key 'async_inference'. Fix: did you mean 'async'?"
    ]


def test_unknown_key_lists_only_keys_valid_at_its_level():
    deployment = aws_deployment(scaling={"min": 1, "max": 3, "metric": "concurrency", "target": 3, "name": "x"})
    assert problems(stack_values(deployment)) == [
        "deployments[0].scaling.name: unknown key 'name'. Fix: remove it; the keys valid here are: min, max, "
        "metric, target, max_rps_per_instance, safety_factor, scale_out_cooldown, scale_in_cooldown, "
        "disable_scale_in, schedules"
    ]
    assert problems(stack_values(aws_deployment(), **{"ml-serving:defaults": {"scalng": {}}})) == [
        "defaults.scalng: unknown key 'scalng'. Fix: did you mean 'scaling'?"
    ]


def test_a_bad_default_is_reported_once_under_defaults():
    scaling = {"min": 1, "max": 2, "metric": "cpu"}
    values = stack_values(
        aws_deployment(name="a", scaling=scaling),
        aws_deployment(name="b", scaling=scaling),
        **{"ml-serving:defaults": {"scaling": {"target": True}}},
    )
    assert problems(values) == [
        "defaults.scaling.target: true is a boolean, not a number. Fix: write a number, e.g. 0.5"
    ]


def test_typos_in_the_defaults_block_of_an_unused_cloud_are_caught():
    values = stack_values(aws_deployment(), **{"ml-serving:defaults": {"vertex": {"kms_kye": "x", "port": 0}}})
    assert problems(values) == [
        "defaults.vertex.kms_kye: unknown key 'kms_kye'. Fix: did you mean 'kms_key'?",
        "defaults.vertex.port: 0 is below the minimum 1. Fix: use 1 or more",
    ]


def test_sagemaker_only_async_keys_are_refused_on_gcp():
    options = {"kms_key": "arn:aws:kms:eu-west-1:111122223333:key/abc", "max_concurrent_invocations_per_instance": 2}
    assert problems(stack_values(gcp_deployment(**{"async": options}))) == [
        "deployments[0].async.kms_key: is a SageMaker async setting; Vertex AI has no async endpoint. Fix: remove "
        "async.kms_key on gcp",
        "deployments[0].async.max_concurrent_invocations_per_instance: is a SageMaker async setting; Vertex AI has "
        "no async endpoint. Fix: remove async.max_concurrent_invocations_per_instance on gcp",
    ]


def test_defaults_async_gives_options_to_async_deployments_only():
    backlog = {"min": 0, "max": 2, "metric": "backlog"}
    values = stack_values(
        aws_deployment(name="queued", scaling=backlog, **{"async": True}),
        aws_deployment(name="realtime"),
        gcp_deployment(name="vertex-queued", **{"async": True}),
        **{
            "ml-serving:defaults": {
                "async": {"output_retention_days": 7, "kms_key": "arn:aws:kms:eu-west-1:111122223333:key/abc"}
            }
        },
    )
    queued, realtime, vertex_queued = load_stack_config(values, "t").deployments
    assert queued.async_inference is not None and queued.async_inference.output_retention_days == 7
    assert queued.async_inference.kms_key == "arn:aws:kms:eu-west-1:111122223333:key/abc"
    assert realtime.async_inference is None
    assert vertex_queued.async_inference is not None and vertex_queued.async_inference.output_retention_days == 7
    assert vertex_queued.async_inference.kms_key is None


def test_defaults_async_true_makes_deployments_async_unless_they_say_otherwise():
    backlog = {"min": 0, "max": 2, "metric": "backlog"}
    values = stack_values(
        aws_deployment(name="a", scaling=backlog),
        aws_deployment(name="b", **{"async": False}),
        **{"ml-serving:defaults": {"async": True}},
    )
    first, second = load_stack_config(values, "t").deployments
    assert first.is_async and not second.is_async


def test_a_secret_is_refused_where_it_cannot_stay_secret():
    assert problems(stack_values(aws_deployment(image={"secure": "v1:abc"}))) == [
        "deployments[0].image: a Pulumi secret (`secure:`) is not accepted for this key. Fix: only `environment` "
        "values may be secrets; write this value in plain text"
    ]


def test_a_variant_and_a_deployment_whose_children_collide_are_refused():
    values = stack_values(
        aws_deployment(name="ranker", sagemaker={"variants": [{"name": "v2", "weight": 1}]}),
        aws_deployment(name="ranker-v2"),
    )
    assert problems(values) == [
        "deployments[1].name: generates the resource name 'ranker-v2-model', which "
        "deployments[0].sagemaker.variants[0].name also generates: the preview would fail with a duplicate URN. "
        "Fix: rename the variant or the deployment so that no deployment name equals '<deployment>-<variant>' of "
        "another"
    ]


def test_fixed_name_alarms_that_join_alike_within_a_stack_get_different_names():
    # a + b-c and a-b + c both join to "t-a-b-c": the hash of the parts (joined by NUL) tells them apart.
    # Expected hashes: printf 'ml-serving\0t\0a\0b-c\0invocation-5xx' | sha256sum (and likewise).
    config = load_stack_config(
        stack_values(
            aws_deployment(name="a", rollout=ROLLBACK, sagemaker={"variant_name": "b-c"}),
            aws_deployment(name="a-b", rollout=ROLLBACK, sagemaker={"variant_name": "c"}),
        ),
        "t",
    )
    names = [
        [alarm.name for alarm in resolve_sagemaker(deployment, "ml-serving", "t").rollback_alarms]
        for deployment in config.deployments
    ]
    assert names == [["ml-serving-t-a-b-c-invocation-5xx-bba4039c"], ["ml-serving-t-a-b-c-invocation-5xx-d2f7963e"]]


def write_stack(directory: Path, stack: str, values: dict) -> Path:
    path = directory / f"Pulumi.{stack}.yaml"
    path.write_text(yaml.safe_dump({"config": values}), encoding="utf-8")
    return path


def test_fixed_names_that_join_alike_across_stacks_of_one_region_differ(tmp_path):
    # prod + eu-ranker and prod-eu + ranker: both files plan, and their dashboards do not share a name
    # (printf 'ml-serving\0prod\0eu-ranker' | sha256sum, printf 'ml-serving\0prod-eu\0ranker' | sha256sum).
    prod = write_stack(tmp_path, "prod", stack_values(aws_deployment(name="eu-ranker")))
    prod_eu = write_stack(tmp_path, "prod-eu", stack_values(aws_deployment(name="ranker")))
    boards = [
        resolve_sagemaker(load_stack_file(path).deployments[0], "ml-serving", stack).dashboard_name
        for path, stack in ((prod, "prod"), (prod_eu, "prod-eu"))
    ]
    assert boards == ["ml-serving-prod-eu-ranker-65817f64", "ml-serving-prod-eu-ranker-13d6fd02"]
    assert main(["--config-file", str(prod), "--project-dir", str(REPO)]) == 0


@pytest.mark.parametrize(
    ("deployment", "expected"),
    [
        (
            aws_deployment(name="xn--ranker", **{"async": True}),
            "deployments[0].name: 'xn--ranker' starts with 'xn--', which S3 reserves: the output bucket named after "
            "the deployment would be refused. Fix: choose a name that does not start with xn--, sthree-, "
            "amzn-s3-demo-",
        ),
        (
            aws_deployment(name="sthree-ranker", **{"async": True}),
            "deployments[0].name: 'sthree-ranker' starts with 'sthree-', which S3 reserves: the output bucket named "
            "after the deployment would be refused. Fix: choose a name that does not start with xn--, sthree-, "
            "amzn-s3-demo-",
        ),
        (
            gcp_deployment(name="my-google-model", **{"async": True}),
            "deployments[0].name: 'my-google-model' starts with 'goog' or contains 'google' (or a look-alike), which "
            "Cloud Storage refuses in bucket names: the output bucket named after the deployment would be refused. "
            "Fix: choose a name without 'goog' at the start and without 'google'",
        ),
        (
            gcp_deployment(name="goog-ranker", **{"async": True}),
            "deployments[0].name: 'goog-ranker' starts with 'goog' or contains 'google' (or a look-alike), which "
            "Cloud Storage refuses in bucket names: the output bucket named after the deployment would be refused. "
            "Fix: choose a name without 'goog' at the start and without 'google'",
        ),
    ],
)
def test_auto_named_buckets_must_be_valid_for_their_service(deployment, expected):
    if deployment["cloud"] == "aws":
        deployment["scaling"] = {"min": 0, "max": 2, "metric": "backlog"}
    assert problems(stack_values(deployment)) == [expected]


def test_environment_and_tag_limits_of_the_apis():
    environment = {f"V{i}": "x" for i in range(101)} | {"LONG": "y" * 1025}
    assert problems(stack_values(aws_deployment(environment=environment))) == [
        "deployments[0].environment: 102 variables; SageMaker takes at most 100 per container. Fix: pass fewer "
        "variables (e.g. one JSON-valued variable)",
        "deployments[0].environment.LONG: SageMaker takes names and values of at most 1024 characters. Fix: "
        "shorten it, or load long settings from the model artifacts",
    ]
    tags = {f"t{i}": "x" for i in range(47)} | {"bad": "a|b"}
    assert problems(stack_values(aws_deployment(tags=tags))) == [
        "deployments[0].tags: 48 tags plus the 4 ml-serving adds exceed the 50 tags AWS allows on a resource. Fix: "
        "keep at most 46 tags",
        "deployments[0].tags.bad: AWS tags hold only letters, digits, spaces and _ . : / = + - @. Fix: replace the "
        "other characters",
    ]
    assert problems(stack_values(gcp_deployment(environment={"AIP_HTTP_PORT": "1"}))) == [
        "deployments[0].environment.AIP_HTTP_PORT: Vertex AI sets the AIP_* variables itself. Fix: rename it "
        "without the AIP_ prefix",
    ]


def test_provider_settings_must_look_like_regions_and_projects():
    values = {**stack_values(aws_deployment(), gcp_deployment()), "aws:region": "42", "gcp:region": "Europe West"}
    assert problems({**values, "gcp:project": "ACME"}) == [
        "aws:region: '42' is not a valid value. Fix: write it like eu-west-1",
        "gcp:project: 'ACME' is not a valid value. Fix: write it like acme-ml",
        "gcp:region: 'Europe West' is not a valid value. Fix: write it like europe-west4",
    ]
