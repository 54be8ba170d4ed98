"""What AWS would refuse at deploy time is refused offline, with the file, the key path and the fix (issue 9)."""

from __future__ import annotations

import json

import pytest
from builders import aws_deployment, stack_values

from components.config import ConfigError, load_stack_config

KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
US_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def report(*deployments, **extra) -> str:
    with pytest.raises(ConfigError) as caught:
        load_stack_config(stack_values(*deployments, **extra), "test")
    return str(caught.value)


def problems(*deployments, **extra) -> dict[str, str]:
    with pytest.raises(ConfigError) as caught:
        load_stack_config(stack_values(*deployments, **extra), "test")
    return {problem.path: str(problem) for problem in caught.value.problems}


def test_report_names_the_file():
    assert report(aws_deployment(instance_type="ml.g5.3xlarge")).startswith(
        "stacks/Pulumi.test.yaml: 1 problem in the ml-serving config; nothing was declared."
    )


def test_kms_key_on_local_nvme_instance_types_is_refused():
    found = problems(aws_deployment(sagemaker={"kms_key": KEY}))  # nvidia-a10g x 1 -> ml.g5.xlarge
    assert found == {
        "deployments[0].sagemaker.kms_key": (
            "deployments[0].sagemaker.kms_key: SageMaker refuses a KMS key on endpoint configurations of instance "
            "types with local NVMe storage (ml.g5.xlarge): CreateEndpointConfig would fail. Their instance storage "
            "is encrypted by the instance's hardware. Fix: remove sagemaker.kms_key from this deployment (also when "
            "it comes from ml-serving:defaults.sagemaker: move it to the deployments on EBS-backed instance types "
            "such as ml.c5 or ml.m5); set async.kms_key on async deployments to encrypt their outputs"
        )
    }


def test_kms_key_from_defaults_is_refused_on_a_gpu_variant():
    deployment = aws_deployment(
        accelerator=None,
        instance_type="ml.c5.xlarge",
        sagemaker={"variants": [{"name": "gpu", "instance_type": "ml.g4dn.xlarge"}]},
    )
    found = problems(deployment, **{"ml-serving:defaults": {"sagemaker": {"kms_key": KEY}}})
    assert list(found) == ["defaults.sagemaker.kms_key"]
    assert "(ml.g4dn.xlarge)" in found["defaults.sagemaker.kms_key"]


def test_kms_key_stays_on_ebs_instance_types_and_async_outputs():
    cpu = aws_deployment(accelerator=None, instance_type="ml.c5.xlarge", sagemaker={"kms_key": KEY})
    gpu_async = aws_deployment(
        name="summarizer",
        **{"async": {"kms_key": KEY}},
        scaling={"min": 0, "max": 2, "metric": "backlog"},
    )
    stack = load_stack_config(stack_values(cpu, gpu_async), "test")
    assert [d.sagemaker.kms_key for d in stack.deployments] == [KEY, None]


def test_instance_types_outside_the_botocore_enum_are_refused():
    found = problems(aws_deployment(accelerator=None, instance_type="ml.g5.3xlarge"))
    assert found == {
        "deployments[0].instance_type": (
            "deployments[0].instance_type: 'ml.g5.3xlarge' is not an instance type SageMaker endpoints offer "
            "(ProductionVariantInstanceType). Fix: did you mean ml.g5.xlarge or ml.g5.8xlarge or ml.g5.4xlarge?"
        )
    }


@pytest.mark.parametrize(
    ("metric", "cloudwatch"), [("concurrency", "ConcurrentRequestsPerModel"), ("invocations", "InvocationsPerInstance")]
)
def test_concurrency_and_invocations_are_refused_on_async_endpoints(metric, cloudwatch):
    found = problems(aws_deployment(**{"async": True}, scaling={"min": 1, "max": 3, "metric": metric, "target": 3}))
    assert found == {
        "deployments[0].scaling.metric": (
            f"deployments[0].scaling.metric: {metric} ({cloudwatch}) is not published for async endpoints, so its "
            "scaling policy would never act. Fix: use backlog (queued requests per instance), cpu or gpu"
        )
    }


def test_rollout_durations_outside_the_ranges_are_refused():
    found = problems(aws_deployment(rollout={"wait_seconds": 4000, "max_duration_seconds": 300}))
    assert found == {
        "deployments[0].rollout.wait_seconds": (
            "deployments[0].rollout.wait_seconds: 4000 is outside SageMaker's range 0-3600 (WaitIntervalInSeconds). "
            "Fix: use a value from 0 to 3600"
        ),
        "deployments[0].rollout.max_duration_seconds": (
            "deployments[0].rollout.max_duration_seconds: 300 is outside SageMaker's range 600-28800 "
            "(MaximumExecutionTimeoutInSeconds). Fix: use a value from 600 to 28800"
        ),
    }


def test_schedules_outside_the_scaling_bounds_are_refused():
    schedules = [
        {"name": "peak", "schedule": "cron(0 8 ? * MON-FRI *)", "min": 9},
        {"name": "night", "schedule": "cron(0 20 ? * MON-FRI *)", "min": 1, "max": 4},
    ]
    found = problems(aws_deployment(scaling={"min": 2, "max": 6, "metric": "cpu", "schedules": schedules}))
    assert found == {
        "deployments[0].scaling.schedules[0].min": (
            "deployments[0].scaling.schedules[0].min: 9 is outside the variant's scaling bounds 2-6: the scheduled "
            "action would move the scalable target beyond what the stack file declares. Fix: use a value from 2 to "
            "6, or widen scaling.min / scaling.max"
        ),
        "deployments[0].scaling.schedules[1].min": (
            "deployments[0].scaling.schedules[1].min: 1 is outside the variant's scaling bounds 2-6: the scheduled "
            "action would move the scalable target beyond what the stack file declares. Fix: use a value from 2 to "
            "6, or widen scaling.min / scaling.max"
        ),
    }


def test_schedule_min_above_its_max_is_refused():
    schedules = [{"name": "peak", "schedule": "rate(1 day)", "min": 5, "max": 3}]
    found = problems(aws_deployment(scaling={"min": 1, "max": 6, "metric": "cpu", "schedules": schedules}))
    assert found["deployments[0].scaling.schedules[0].max"] == (
        "deployments[0].scaling.schedules[0].max: max (3) is below min (5). Fix: set max to at least 5, or lower min"
    )


def test_min_zero_on_a_real_time_endpoint_is_refused():
    found = problems(aws_deployment(scaling={"min": 0, "max": 2, "metric": "cpu"}))
    assert found == {
        "deployments[0].scaling.min": (
            "deployments[0].scaling.min: 0 is not supported on a real-time SageMaker endpoint (it needs at least one "
            "instance). Fix: set min: 1, or `async: true` to scale to zero between requests"
        )
    }


@pytest.mark.parametrize(
    ("expression", "detail"),
    [
        ("cron(0 8 * * MON-FRI *)", "day-of-month is '*' and day-of-week 'MON-FRI'"),
        ("cron(0 8 ? * ? *)", "both are '?'"),
    ],
)
def test_aws_cron_needs_a_question_mark_in_one_day_field(expression, detail):
    schedules = [{"name": "peak", "schedule": expression, "min": 2}]
    found = problems(aws_deployment(scaling={"min": 2, "max": 6, "metric": "cpu", "schedules": schedules}))
    assert found == {
        "deployments[0].scaling.schedules[0].schedule": (
            f"deployments[0].scaling.schedules[0].schedule: '{expression}': AWS cron needs '?' in exactly one of "
            f"day-of-month (3rd field) and day-of-week (5th field), and {detail}. Fix: e.g. cron(0 8 ? * MON-FRI *) or "
            "cron(0 8 1 * ? *)"
        )
    }


def test_images_and_keys_in_another_region_are_refused():
    deployment = aws_deployment(
        image="111122223333.dkr.ecr.us-east-1.amazonaws.com/ranker:2.3.1",
        accelerator=None,
        instance_type="ml.c5.xlarge",
        sagemaker={"kms_key": US_KEY},
    )
    found = problems(deployment)
    assert found == {
        "deployments[0].image": (
            "deployments[0].image: the image is in us-east-1, the stack deploys to aws:region eu-west-1; SageMaker "
            "uses only images of its own region. Fix: push the image to ECR in eu-west-1"
        ),
        "deployments[0].sagemaker.kms_key": (
            "deployments[0].sagemaker.kms_key: the KMS key is in us-east-1, the stack deploys to aws:region "
            "eu-west-1; SageMaker uses only KMS keys of its own region. Fix: use a key of eu-west-1 (KMS keys are "
            "regional)"
        ),
    }


def test_auto_names_over_63_characters_are_refused():
    long_variant = "v" * 45
    image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.4.0"
    found = problems(aws_deployment(sagemaker={"variants": [{"name": long_variant, "image": image}]}))
    assert (
        found
        == {
            "deployments[0].sagemaker.variants[0].name": (
                f"deployments[0].sagemaker.variants[0].name: the variant's model would be auto-named "
                f"'ranker-{long_variant}-model-' plus 7 characters, 66 in all; SageMaker model names have at most 63"
                ". Fix: shorten the variant name to at most 42 characters (or the deployment name)"
            )
        }
        or found
    )


def test_kms_aliases_are_refused_with_the_command_that_resolves_them():
    deployment = aws_deployment(accelerator=None, instance_type="ml.c5.xlarge", sagemaker={"kms_key": "alias/ml"})
    assert problems(deployment) == {
        "deployments[0].sagemaker.kms_key": (
            "deployments[0].sagemaker.kms_key: 'alias/ml' is an alias, and IAM grants the execution role and the "
            "deployer one key by its ARN, which an alias or a bare key id cannot express. Fix: use the key ARN "
            "arn:aws:kms:REGION:ACCOUNT:key/ID (`aws kms describe-key --key-id alias/NAME` prints it)"
        )
    }


def test_artifact_key_is_granted_for_decryption_through_s3_only(run_stack):
    deployment = aws_deployment(sagemaker={"artifacts_kms_key": KEY})
    plan = run_stack(stack_values(deployment))
    (policy,) = plan.by_type("aws:iam/rolePolicy:RolePolicy")
    statements = {s["Sid"]: s for s in json.loads(policy.inputs["policy"])["Statement"]}
    assert statements["DecryptArtifacts"] == {
        "Sid": "DecryptArtifacts",
        "Effect": "Allow",
        "Action": ["kms:Decrypt"],
        "Resource": [KEY],
        "Condition": {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}},
    }
    assert "UseKeys" not in statements


def test_environments_beyond_create_model_limits_are_refused():
    environment = {f"VAR_{i}": "x" for i in range(101)}
    found = problems(aws_deployment(environment=environment))
    assert found == {
        "deployments[0].environment": (
            "deployments[0].environment: 101 variables; SageMaker takes at most 100 per container. Fix: pass fewer "
            "variables (e.g. one JSON-valued variable)"
        )
    }
    found = problems(aws_deployment(environment={"PROMPT": "x" * 1025}))
    assert found == {
        "deployments[0].environment.PROMPT": (
            "deployments[0].environment.PROMPT: SageMaker takes names and values of at most 1024 characters. Fix: "
            "shorten it, or load long settings from the model artifacts"
        )
    }


def test_tags_beyond_the_tagging_limits_are_refused():
    found = problems(aws_deployment(tags={f"t{i}": "v" for i in range(47)}))
    assert found == {
        "deployments[0].tags": (
            "deployments[0].tags: 47 tags plus the 4 ml-serving adds exceed the 50 tags AWS allows on a resource. "
            "Fix: keep at most 46 tags"
        )
    }
    found = problems(aws_deployment(tags={"cost,center": "ml"}))
    assert found == {
        "deployments[0].tags.cost,center": (
            "deployments[0].tags.cost,center: AWS tags hold only letters, digits, spaces and _ . : / = + - @. Fix: "
            "replace the other characters"
        )
    }
