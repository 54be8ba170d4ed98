"""ResolvedSageMaker: every default and derived value decided once, from a validated deployment (literals)."""

from __future__ import annotations

import dataclasses

import pytest
from builders import aws_deployment

from components.config import DeploymentConfig
from components.resolve.aws import (
    ResolvedScaling,
    ResolvedVariant,
    RollbackAlarm,
    dashboard_name,
    resolve_sagemaker,
    rollback_alarm_name,
)


def resolved(**overrides):
    return resolve_sagemaker(DeploymentConfig.model_validate(aws_deployment(**overrides)), "ml-serving", "prod")


def test_primary_variant_gpu_target_is_multiplied_by_the_gpus():
    deployment = resolved(
        accelerator={"type": "nvidia-a10g", "count": 4}, scaling={"min": 2, "max": 6, "metric": "gpu", "target": 60}
    )
    assert deployment.instance_type == "ml.g5.12xlarge"
    assert (deployment.gpus, deployment.vcpus) == (4, 48)
    assert deployment.variants == (
        ResolvedVariant(
            name="primary",
            weight=1.0,
            instance_type="ml.g5.12xlarge",
            gpus=4,
            vcpus=48,
            scaling=ResolvedScaling(
                min=2,
                max=6,
                metric="gpu",
                target=60.0,
                target_value=240.0,
                scale_in_cooldown=300,
                scale_out_cooldown=60,
                disable_scale_in=False,
                schedules=(),
            ),
        ),
    )


def test_cpu_default_target_is_70_percent_per_vcpu():
    deployment = resolved(
        accelerator=None, instance_type="ml.c5.2xlarge", scaling={"min": 1, "max": 3, "metric": "cpu"}
    )
    scaling = deployment.variants[0].scaling
    assert (scaling.target, scaling.target_value) == (70.0, 560.0)  # 8 vCPUs


def test_invocations_target_from_max_rps():
    deployment = resolved(scaling={"min": 1, "max": 3, "metric": "invocations", "max_rps_per_instance": 10})
    assert deployment.variants[0].scaling.target_value == 480.0  # 10 rps x 60 s x 0.8 (default safety_factor)


def test_async_backlog_defaults_and_initial_count():
    deployment = resolved(**{"async": True}, scaling={"min": 0, "max": 2, "metric": "backlog"})
    (variant,) = deployment.variants
    assert (variant.scaling.target_value, variant.initial_instance_count, variant.scaling.min) == (5.0, 1, 0)


def test_variants_shadow_names_tags_and_alarms():
    deployment = resolved(
        tags={"team": "ml"},
        rollout={"strategy": "canary", "rollback": {"max_p99_latency_ms": 800}},
        sagemaker={"variants": [{"name": "v2", "weight": 0.5, "instance_type": "ml.g6.xlarge"}]},
    )
    assert [(v.name, v.instance_type, v.gpus, v.model_key, v.shadow) for v in deployment.variants] == [
        ("primary", "ml.g5.xlarge", 1, "", False),
        ("v2", "ml.g6.xlarge", 1, "", False),
    ]
    assert deployment.rollback_alarms == (
        RollbackAlarm("primary", "invocation-5xx", "ml-serving-prod-ranker-primary-invocation-5xx-8facc6d8"),
        RollbackAlarm("primary", "model-latency-p99", "ml-serving-prod-ranker-primary-model-latency-p99-8a519716"),
        RollbackAlarm("v2", "invocation-5xx", "ml-serving-prod-ranker-v2-invocation-5xx-db6e6256"),
        RollbackAlarm("v2", "model-latency-p99", "ml-serving-prod-ranker-v2-model-latency-p99-e121c423"),
    )
    assert deployment.tag_map == {
        "project": "ml-serving",
        "stack": "prod",
        "deployment": "ranker",
        "managed-by": "ml-serving",
        "team": "ml",
    }
    assert (deployment.dashboard_name, deployment.endpoint_config_name_prefix) == (
        "ml-serving-prod-ranker-8f682e56",
        "ranker-",
    )


def test_resolved_deployment_is_frozen():
    deployment = resolved()
    with pytest.raises(dataclasses.FrozenInstanceError):
        deployment.instance_type = "ml.g5.2xlarge"  # type: ignore[misc]


def test_other_clouds_are_refused():
    from builders import gcp_deployment

    with pytest.raises(ValueError, match="deployment reranker is for cloud gcp"):
        resolve_sagemaker(DeploymentConfig.model_validate(gcp_deployment()), "ml-serving", "prod")


def test_models_multi_container_and_variant_models():
    from components.resolve.aws import ResolvedContainer, ResolvedModel

    other = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.4.0"
    post = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/post:1.0"
    deployment = resolved(
        environment={"LOG_LEVEL": "info"},
        sagemaker={"containers": [{"hostname": "post", "image": post}], "container_mode": "direct"},
    )
    assert deployment.models == (
        ResolvedModel(
            key="",
            containers=(
                ResolvedContainer(
                    image="111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1",
                    artifacts="s3://acme-models/ranker/v7/model.tar.gz",
                    environment=(("LOG_LEVEL", "info"),),
                    hostname="ranker",
                ),
                ResolvedContainer(image=post, artifacts=None, environment=(), hostname="post"),
            ),
            container_mode="direct",
        ),
    )
    deployment = resolved(sagemaker={"variants": [{"name": "v2", "image": other}]})
    assert [(m.key, m.containers[0].image, m.containers[0].artifacts) for m in deployment.models] == [
        ("", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1", "s3://acme-models/ranker/v7/model.tar.gz"),
        ("v2", other, "s3://acme-models/ranker/v7/model.tar.gz"),
    ]
    assert [v.model_key for v in deployment.variants] == ["", "v2"]


def test_component_names_that_make_auto_names_too_long_are_refused():
    from components.resolve.aws import auto_name_problems

    deployment = resolved()
    assert auto_name_problems("ranker", deployment) == []
    assert auto_name_problems("a" * 50, deployment) == [
        f"'{'a' * 50}-endpoint-' plus 7 characters is 67 characters; SageMaker names have at most 63: use a shorter "
        "component name",
        f"'{'a' * 50}-model-' plus 7 characters is 64 characters; SageMaker names have at most 63: use a shorter "
        "component name",
    ]


def test_the_component_refuses_a_name_whose_auto_names_are_too_long():
    from components.aws import SageMakerDeployment
    from components.mock_runtime import run_program

    config = DeploymentConfig.model_validate(aws_deployment())
    with pytest.raises(ValueError, match=r"SageMakerDeployment a{50}: 'a{50}-endpoint-' plus 7 characters is 67"):
        run_program(lambda: SageMakerDeployment("a" * 50, config), stack="dev", config={"aws:region": "eu-west-1"})


# Fixed names: expected hashes are the first 8 hex characters of `printf '<parts joined by \0>' | sha256sum`.


def test_fixed_names_keep_the_parts_readable_and_end_with_their_hash():
    assert dashboard_name("ml-serving", "prod", "ranker") == "ml-serving-prod-ranker-8f682e56"
    assert (
        rollback_alarm_name("ml-serving", "prod", "ranker", "primary", "invocation-5xx")
        == "ml-serving-prod-ranker-primary-invocation-5xx-8facc6d8"
    )


def test_parts_that_join_alike_get_different_names():
    # printf 'ml-serving\0prod\0eu-ranker' | sha256sum; printf 'ml-serving\0prod-eu\0ranker' | sha256sum
    assert dashboard_name("ml-serving", "prod", "eu-ranker") == "ml-serving-prod-eu-ranker-65817f64"
    assert dashboard_name("ml-serving", "prod-eu", "ranker") == "ml-serving-prod-eu-ranker-13d6fd02"


def test_characters_a_dashboard_refuses_are_replaced_but_still_told_apart():
    # PutDashboard allows A-Z, a-z, 0-9, '-' and '_': the '.' of a stack name becomes '-' in the readable part only.
    assert dashboard_name("ml-serving", "eu.prod", "ranker") == "ml-serving-eu-prod-ranker-4abebbf4"
    assert dashboard_name("ml-serving", "eu-prod", "ranker") == "ml-serving-eu-prod-ranker-bd2bfaed"
    assert rollback_alarm_name("ml-serving", "eu.prod", "ranker", "primary", "invocation-5xx").startswith(
        "ml-serving-eu.prod-ranker-primary-invocation-5xx-"
    )


def test_long_names_are_cut_to_255_characters_and_keep_the_hash():
    # 16 characters of "ml-serving-prod-", 230 x, "-" and the hash: 255 (CloudWatch DashboardName max).
    assert dashboard_name("ml-serving", "prod", "x" * 300) == "ml-serving-prod-" + "x" * 230 + "-5b514a90"
    assert dashboard_name("ml-serving", "prod", "x" * 301) == "ml-serving-prod-" + "x" * 230 + "-27a0f96a"
    long_alarm = rollback_alarm_name("ml-serving", "prod", "x" * 300, "primary", "invocation-5xx")
    assert len(long_alarm) == 255 and long_alarm.startswith("ml-serving-prod-xxx")
