"""How the deployment declares its endpoint, read from the plan under the mock runtime.

The safe order of a roll-over is a property of the dependency graph: Pulumi deletes a replaced configuration or
model only after every resource that depends on its replacement was updated, and stops at the first failure.
So the lifecycle must depend on the configuration (which depends on the model), and the scalable targets on the
lifecycle. The offline diffs below are what a reviewer sees for the two routine changes of issue 9.
"""

from __future__ import annotations

import pytest
from builders import REPO, aws_deployment, stack_values

from components.aws.endpoint_lifecycle.provider import REPLACE_KEYS
from components.facts.resource_types import RESOURCE_TYPES
from components.mock_runtime import run_main
from components.plan_diff import diff_plans

HOLDER = "aws:sagemaker/endpoint:Endpoint"
LIFECYCLE = "pulumi-python:dynamic/aws:SageMakerEndpointLifecycle"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
MODEL = "aws:sagemaker/model:Model"
TARGET = "aws:appautoscaling/target:Target"


@pytest.fixture(scope="module")
def plan():
    return run_main(REPO, stack="prod", config=stack_values(aws_deployment()))


def plan_json(run_stack, deployment):
    return run_stack(stack_values(deployment), stack="prod").to_json()


def test_old_configuration_and_model_outlive_a_failed_roll_over(plan):
    lifecycle, config, model = plan.one(LIFECYCLE), plan.one(CONFIG), plan.one(MODEL)
    assert config.urn in lifecycle.options["dependsOn"]  # the roll-over needs the new configuration ...
    assert model.urn in config.options["dependsOn"]  # ... which needs the new model
    assert plan.one(HOLDER).urn in lifecycle.options["dependsOn"]
    assert lifecycle.inputs["endpoint_config_name"] == config.inputs.get(
        "name", lifecycle.inputs["endpoint_config_name"]
    )
    assert lifecycle.inputs["retain_all_variant_properties"] is True
    assert lifecycle.inputs["region"] == "eu-west-1"


def test_pulumi_never_deletes_a_configuration_or_model_the_endpoint_may_still_serve(plan):
    """Leftovers of a failed ``pulumi up`` are deleted first thing in the next one (pulumi/pulumi#9979); after a
    rollback those are in use. Pulumi only forgets them; the lifecycle retires them after a verified roll-over."""
    assert plan.one(CONFIG).options["retainOnDelete"] is True
    assert all(model.options["retainOnDelete"] is True for model in plan.by_type(MODEL))
    assert plan.one(LIFECYCLE).inputs["retire_previous"] is True


def test_scalable_targets_follow_the_roll_over(plan):
    target = plan.one(TARGET)
    assert plan.one(LIFECYCLE).urn in target.options["dependsOn"]
    assert plan.one(HOLDER).urn in target.options["dependsOn"]  # still names the endpoint (policy pack chain)


def test_the_name_holder_leaves_configuration_and_rollout_to_the_lifecycle(plan):
    holder = plan.one(HOLDER)
    assert holder.options["ignoreChanges"] == ["deploymentConfig", "endpointConfigName"]
    assert "deploymentConfig" not in holder.inputs and "name" not in holder.inputs  # auto-named, as before
    assert holder.name == "ranker-endpoint"  # the logical name of every release so far: same URN, no replacement


def test_autoscaled_variants_initial_count_is_not_a_roll_over(plan):
    assert plan.one(CONFIG).options["ignoreChanges"] == ["productionVariants[0].initialInstanceCount"]


def test_plan_diff_knows_what_replaces_the_lifecycle():
    assert RESOURCE_TYPES[LIFECYCLE].replace_on == frozenset(REPLACE_KEYS) == {"endpoint_name", "region"}


def test_adding_rollout_to_an_autoscaled_endpoint_replaces_nothing(run_stack):
    base = plan_json(run_stack, aws_deployment())
    head = plan_json(run_stack, aws_deployment(rollout={"strategy": "canary", "canary_percent": 10}))
    diff = diff_plans(base, head)
    assert diff.of("replace") == [] and diff.of("delete") == []
    updated = {r.name: [c.path for c in r.changes] for r in diff.of("update")}
    assert updated["ranker-endpoint-lifecycle"][:2] == [
        "deployment_config.AutoRollbackConfiguration.Alarms[0].AlarmName",
        "deployment_config.BlueGreenUpdatePolicy.TerminationWaitInSeconds",
    ]
    assert "ranker-endpoint" not in updated and "ranker-config" not in updated
    assert {r.type for r in diff.of("add")} == {
        "ml-serving:aws:RolloutAlarms",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
    }


def test_changing_scaling_min_alone_does_not_roll_the_fleet_over(run_stack):
    base = plan_json(run_stack, aws_deployment())
    head = plan_json(run_stack, aws_deployment(scaling={"min": 3, "max": 6, "metric": "concurrency", "target": 3}))
    diff = diff_plans(base, head)
    assert diff.of("replace") == []
    assert [(r.name, [(c.path, c.old, c.new) for c in r.changes]) for r in diff.of("update")] == [
        ("ranker-scaling-target", [("minCapacity", 2, 3)])
    ]


def test_changing_a_fixed_size_rolls_over_with_the_new_count(run_stack):
    base = plan_json(run_stack, aws_deployment(scaling={"min": 2, "max": 2}))
    head = plan_json(run_stack, aws_deployment(scaling={"min": 3, "max": 3}))
    diff = diff_plans(base, head)
    assert {r.name for r in diff.of("replace")} == {"ranker-config"}
    assert [r.name for r in diff.of("update")] == ["ranker-endpoint-lifecycle"]


def test_changing_the_instance_type_rolls_over_and_then_updates_the_policy(run_stack):
    base = plan_json(run_stack, aws_deployment())
    head = plan_json(run_stack, aws_deployment(accelerator={"type": "nvidia-a10g", "count": 4}))
    diff = diff_plans(base, head)
    assert {r.name for r in diff.of("replace")} == {"ranker-config"}
    assert "ranker-endpoint" not in {r.name for r in diff.of("replace") + diff.of("update")}
    assert "ranker-endpoint-lifecycle" in {r.name for r in diff.of("update")}
