"""Validation of the SageMaker keys of issue #3: every problem names its key path, what is wrong and the fix."""

from __future__ import annotations

import pytest
from builders import aws_deployment, gcp_deployment, stack_values

from components.config import ConfigError, load_stack_config

TRITON = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-tritonserver:24.09-py3"
OTHER_IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.4.0"
ASYNC_TO_ZERO = {"async": True, "scaling": {"min": 0, "max": 2, "metric": "backlog"}}


def problems_of(*deployments) -> dict[str, str]:
    with pytest.raises(ConfigError) as caught:
        load_stack_config(stack_values(*deployments), "test")
    return {problem.path: str(problem) for problem in caught.value.problems}


def loads(*deployments):
    return load_stack_config(stack_values(*deployments), "test").deployments


# ------------------------------------------------------------------------------------------------- async


def test_async_mapping_keys_load():
    (deployment,) = loads(
        aws_deployment(
            **{
                "async": {
                    "max_concurrent_invocations_per_instance": 4,
                    "include_inference_response_in": ["success", "error"],
                    "kms_key": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    "scale_from_zero_after_minutes": 2,
                }
            },
            scaling={"min": 1, "max": 2, "metric": "backlog", "target": 5},
        )
    )
    options = deployment.async_inference
    assert options is not None and options.include_inference_response_in == ("success", "error")
    assert options.output_retention_days == 30 and options.force_destroy is False


def test_request_timeout_is_refused_with_the_per_request_settings():
    found = problems_of(aws_deployment(**{"async": {"request_timeout": 600}}))
    message = found["deployments[0].async.request_timeout"]
    assert "no endpoint setting for an async request timeout" in message
    assert "InvocationTimeoutSeconds (1-3600 s, default 900" in message
    assert "RequestTTLSeconds" in message


def test_async_kms_key_must_be_a_key_arn():
    found = problems_of(aws_deployment(**{"async": {"kms_key": "alias/outputs"}}))
    message = found["deployments[0].async.kms_key"]
    assert "is not a KMS key ARN" in message and "arn:aws:kms:REGION:ACCOUNT:key/ID" in message


def test_included_responses_need_notifications():
    found = problems_of(
        aws_deployment(**{"async": {"notifications": False, "include_inference_response_in": ["success"]}})
    )
    message = found["deployments[0].async.include_inference_response_in"]
    assert "notifications are off" in message and "set notifications: true" in message


def test_scale_from_zero_is_evaluated_over_one_or_two_minutes():
    found = problems_of(aws_deployment(**{"async": {"scale_from_zero_after_minutes": 3}}))
    assert "deployments[0].async.scale_from_zero_after_minutes" in found


# ------------------------------------------------------------------------------------------ scale to zero


def test_async_min_zero_loads_with_backlog():
    (deployment,) = loads(aws_deployment(**ASYNC_TO_ZERO))
    assert deployment.scaling.min == 0 and deployment.scaling.target_for("aws") == 5


@pytest.mark.parametrize("metric", ["cpu", "gpu", "concurrency"])
def test_async_min_zero_needs_the_backlog_metric(metric):
    found = problems_of(aws_deployment(**{"async": True}, scaling={"min": 0, "max": 2, "metric": metric, "target": 3}))
    message = found["deployments[0].scaling.metric"]
    assert "cannot bring an async endpoint back from zero instances" in message
    assert "Fix: set metric: backlog" in message


def test_invocations_metric_is_not_published_for_async_endpoints():
    found = problems_of(
        aws_deployment(**{"async": True}, scaling={"min": 1, "max": 2, "metric": "invocations", "target": 100})
    )
    message = found["deployments[0].scaling.metric"]
    assert "not published for async endpoints" in message and "use backlog" in message


# ------------------------------------------------------------------------------------------ multi-model


def test_multi_model_needs_an_s3_prefix():
    found = problems_of(aws_deployment(accelerator=None, sagemaker={"multi_model": True}))
    message = found["deployments[0].artifacts"]
    assert "is not an S3 prefix" in message and "ending with '/'" in message


def test_single_model_refuses_a_prefix_and_points_at_multi_model():
    found = problems_of(aws_deployment(artifacts="s3://acme-models/tenants/"))
    message = found["deployments[0].artifacts"]
    assert "is an S3 prefix" in message and "sagemaker.multi_model: true" in message


def test_gpu_multi_model_needs_a_triton_image_or_the_acknowledgement():
    gpu_mme = {"artifacts": "s3://acme-models/tenants/", "sagemaker": {"multi_model": True}}
    found = problems_of(aws_deployment(**gpu_mme))
    message = found["deployments[0].sagemaker.multi_model"]
    assert "only with NVIDIA Triton Inference Server images" in message and "'ranker'" in message
    assert "gpu_image_supports_multi_model: true" in message
    loads(aws_deployment(**gpu_mme, image=TRITON))
    loads(
        aws_deployment(
            artifacts="s3://acme-models/tenants/", sagemaker={"multi_model": {"gpu_image_supports_multi_model": True}}
        )
    )
    loads(aws_deployment(**gpu_mme, accelerator=None, instance_type="ml.c5.xlarge"))  # CPU: any image


# -------------------------------------------------------------------------------------- multi-container


def test_containers_need_unique_host_names_and_valid_locations():
    containers = [
        {"hostname": "ranker", "image": OTHER_IMAGE},
        {"hostname": "post", "image": "docker.io/acme/post:1", "artifacts": "gs://x/model.tar.gz"},
    ]
    found = problems_of(aws_deployment(sagemaker={"containers": containers, "container_mode": "direct"}))
    assert (
        "container host name 'ranker' is already used by the deployment's own container"
        in found["deployments[0].sagemaker.containers[0].hostname"]
    )
    assert "SageMaker pulls only from ECR" in found["deployments[0].sagemaker.containers[1].image"]
    assert "is not an S3 URI" in found["deployments[0].sagemaker.containers[1].artifacts"]


def test_at_most_fifteen_containers():
    containers = [{"hostname": f"c{i}", "image": OTHER_IMAGE} for i in range(15)]
    found = problems_of(aws_deployment(sagemaker={"containers": containers}))
    message = found["deployments[0].sagemaker.containers"]
    assert "make 16; SageMaker allows 15" in message and "at most 14 entries" in message


def test_container_mode_without_containers_and_multi_model_with_containers():
    found = problems_of(aws_deployment(sagemaker={"container_mode": "direct"}))
    assert "applies only to multi-container endpoints" in found["deployments[0].sagemaker.container_mode"]
    found = problems_of(
        aws_deployment(
            image=TRITON,
            artifacts="s3://acme-models/tenants/",
            sagemaker={"multi_model": True, "containers": [{"hostname": "post", "image": OTHER_IMAGE}]},
        )
    )
    assert "single container" in found["deployments[0].sagemaker.containers"]


# ----------------------------------------------------------------------------------- variants and shadow


def test_variant_names_are_unique_and_weights_leave_traffic():
    found = problems_of(
        aws_deployment(
            sagemaker={
                "variant_weight": 0,
                "variants": [{"name": "primary", "weight": 0}, {"name": "v2", "weight": 0}],
            }
        )
    )
    assert "already used by sagemaker.variant_name" in found["deployments[0].sagemaker.variants[0].name"]
    assert "every production variant has weight 0" in found["deployments[0].sagemaker.variants"]


def test_at_most_ten_production_variants():
    variants = [{"name": f"v{i}"} for i in range(10)]
    found = problems_of(aws_deployment(sagemaker={"variants": variants}))
    assert "11 production variants" in found["deployments[0].sagemaker.variants"]


def test_variant_scaling_rules():
    variants = [
        {"name": "v2", "instance_type": "ml.c5.xlarge", "scaling": {"min": 0, "max": 2, "metric": "gpu"}},
        {"name": "v3", "instance_type": "c5.xlarge"},
    ]
    found = problems_of(aws_deployment(sagemaker={"variants": variants}))
    assert "not supported on a real-time variant" in found["deployments[0].sagemaker.variants[0].scaling.min"]
    assert "gpu on a CPU-only instance" in found["deployments[0].sagemaker.variants[0].scaling.metric"]
    assert found["deployments[0].sagemaker.variants[1].instance_type"] == (
        "deployments[0].sagemaker.variants[1].instance_type: 'c5.xlarge' is not an instance type SageMaker endpoints "
        "offer (ProductionVariantInstanceType). Fix: did you mean ml.c5.xlarge or ml.c5d.xlarge or ml.c5.9xlarge?"
    )


def test_async_endpoints_have_one_variant_and_no_shadow():
    found = problems_of(aws_deployment(**ASYNC_TO_ZERO, sagemaker={"variants": [{"name": "v2"}]}))
    assert "declared with one variant" in found["deployments[0].sagemaker.variants"]
    found = problems_of(aws_deployment(**ASYNC_TO_ZERO, sagemaker={"shadow": {"name": "shadow"}}))
    assert "do not work with asynchronous endpoints" in found["deployments[0].sagemaker.shadow"]


def test_shadow_mirrors_a_single_production_variant():
    found = problems_of(aws_deployment(sagemaker={"variants": [{"name": "v2"}], "shadow": {"name": "shadow"}}))
    message = found["deployments[0].sagemaker.shadow"]
    assert (
        "mirrors a single production variant" in message and "remove sagemaker.shadow or sagemaker.variants" in message
    )


def test_multi_container_variants_cannot_change_the_containers():
    found = problems_of(
        aws_deployment(
            sagemaker={
                "containers": [{"hostname": "post", "image": OTHER_IMAGE}],
                "variants": [{"name": "v2", "image": OTHER_IMAGE}],
            }
        )
    )
    assert "serve the deployment's containers" in found["deployments[0].sagemaker.variants[0]"]


# ------------------------------------------------------------------------------------------------ rollout


def test_rollout_defaults():
    (deployment,) = loads(aws_deployment(rollout={"strategy": "canary"}))
    rollout = deployment.rollout
    assert rollout is not None and rollout.canary_size == 10 and rollout.wait_seconds == 300
    assert rollout.rollback is not None and rollout.rollback.max_5xx_errors == 5
    (deployment,) = loads(aws_deployment(rollout={"strategy": "linear", "rollback": False}))
    assert deployment.rollout is not None and deployment.rollout.rollback is None


@pytest.mark.parametrize(
    ("rollout", "key", "needle"),
    [
        ({"strategy": "canary", "canary_percent": 60}, "canary_percent", "range 1-50 (CanarySize"),
        ({"strategy": "linear", "linear_step_percent": 5}, "linear_step_percent", "range 10-50 (LinearStepSize"),
        ({"wait_seconds": 3601}, "wait_seconds", "range 0-3600 (WaitIntervalInSeconds)"),
        ({"termination_wait_seconds": -1}, "termination_wait_seconds", "range 0-3600"),
        ({"max_duration_seconds": 300}, "max_duration_seconds", "range 600-28800"),
        ({"strategy": "linear", "canary_percent": 10}, "canary_percent", "applies only to strategy canary"),
        ({"strategy": "typo"}, "strategy", "all_at_once"),
    ],
)
def test_rollout_ranges_are_sagemakers(rollout, key, needle):
    found = problems_of(aws_deployment(rollout=rollout))
    assert needle in found[f"deployments[0].rollout.{key}"]


def test_rollout_timeout_must_exceed_the_waits():
    rollout = {"strategy": "linear", "linear_step_percent": 25, "wait_seconds": 600, "max_duration_seconds": 2000}
    found = problems_of(aws_deployment(rollout=rollout))
    message = found["deployments[0].rollout.max_duration_seconds"]
    assert "4 x wait_seconds 600" in message and "raise max_duration_seconds above 2400" in message


def test_rollout_takes_at_most_ten_alarms():
    variants = [{"name": f"v{i}"} for i in range(5)]
    found = problems_of(
        aws_deployment(sagemaker={"variants": variants}, rollout={"rollback": {"max_p99_latency_ms": 200}})
    )
    assert "12 rollback alarms" in found["deployments[0].rollout.rollback"]


def test_rollout_is_refused_on_gcp():
    found = problems_of(gcp_deployment(rollout={"strategy": "canary"}))
    assert "declared on SageMaker only" in found["deployments[0].rollout"]


def test_container_and_variant_environments_are_checked():
    found = problems_of(
        aws_deployment(
            sagemaker={
                "containers": [{"hostname": "post", "image": OTHER_IMAGE, "environment": {"B-C": "1"}}],
                "variants": [{"name": "v2", "environment": {"1X": "y"}}],
            }
        )
    )
    assert "are not environment variable names" in found["deployments[0].sagemaker.containers[0].environment"]
    assert "are not environment variable names" in found["deployments[0].sagemaker.variants[0].environment"]


def test_sagemaker_only_async_keys_are_refused_on_gcp():
    found = problems_of(
        gcp_deployment(**{"async": {"include_inference_response_in": ["error"], "output_retention_days": 7}})
    )
    assert "is a SageMaker async setting" in found["deployments[0].async.include_inference_response_in"]
    assert not [path for path in found if path.endswith("output_retention_days")]
