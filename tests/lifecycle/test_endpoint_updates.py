"""The endpoint lifecycle against a stateful fake of SageMaker and Application Auto Scaling (real botocore clients).

Expected values are literals: the names seeded below, and what the SageMaker / Application Auto Scaling API
references say an update does (RetainAllVariantProperties keeps live counts; deregistering a scalable target
deletes its policies and scheduled actions).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from components.aws.endpoint_lifecycle import EndpointLifecycleProvider, EndpointUpdateError
from tests.fakes.sagemaker_server import FakeAwsServer, FakeError, FakeSageMaker, clients_for

ENDPOINT = "ranker-endpoint-4f2a9c1"
RID = f"endpoint/{ENDPOINT}/variant/primary"
TRACKING = {
    "TargetValue": 70.0,
    "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
    "ScaleInCooldown": 300,
    "ScaleOutCooldown": 60,
    "DisableScaleIn": False,
}


@pytest.fixture
def fake() -> Iterator[FakeAwsServer]:
    """An InService endpoint on ``cfg-old`` (ml.g5.xlarge), scaled out to 3, autoscaled 2..6 with a night schedule."""
    state = FakeSageMaker()
    state.add_config("cfg-old", {"primary": ("ml.g5.xlarge", 2)})
    state.add_config("cfg-new-model", {"primary": ("ml.g5.xlarge", 2)})
    state.add_config("cfg-bigger", {"primary": ("ml.g5.2xlarge", 2)})
    state.add_endpoint(ENDPOINT, "cfg-old")
    state.endpoints[ENDPOINT]["variants"]["primary"]["count"] = 3
    with FakeAwsServer(state) as server:
        aas = clients_for(server.url)("application-autoscaling", "us-east-1")
        common = {
            "ServiceNamespace": "sagemaker",
            "ResourceId": RID,
            "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
        }
        aas.register_scalable_target(MinCapacity=2, MaxCapacity=6, **common)
        aas.put_scaling_policy(
            PolicyName="invocations",
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration=TRACKING,
            **common,
        )
        aas.put_scheduled_action(
            ScheduledActionName="night",
            Schedule="cron(0 22 * * ? *)",
            Timezone="Europe/Paris",
            ScalableTargetAction={"MinCapacity": 2, "MaxCapacity": 2},
            **common,
        )
        state.calls.clear()
        yield server


def provider(server: FakeAwsServer) -> EndpointLifecycleProvider:
    return EndpointLifecycleProvider(clients=clients_for(server.url), sleep=lambda _seconds: None)


def props(config: str, **extra: Any) -> dict[str, Any]:
    return {
        "endpoint_name": ENDPOINT,
        "endpoint_config_name": config,
        "region": "us-east-1",
        "deployment_config": None,
        "retain_all_variant_properties": True,
        "timeout_seconds": 600,
        "poll_seconds": 0,
        **extra,
    }


def scaling_of(state: FakeSageMaker) -> tuple[Any, ...]:
    target = state.targets.get(RID)
    policies = {name: p["TargetTrackingScalingPolicyConfiguration"] for name, p in state.policies.get(RID, {}).items()}
    schedules = {
        name: (a["Schedule"], a["Timezone"], a["ScalableTargetAction"])
        for name, a in state.schedules.get(RID, {}).items()
    }
    return (target and (target["MinCapacity"], target["MaxCapacity"])), policies, schedules


BEFORE = (
    (2, 6),
    {"invocations": TRACKING},
    {"night": ("cron(0 22 * * ? *)", "Europe/Paris", {"MinCapacity": 2, "MaxCapacity": 2})},
)


def test_model_change_rolls_over_keeping_live_counts_and_autoscaling(fake: FakeAwsServer) -> None:
    outs = provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-new-model")).outs
    assert outs["endpoint_config_name"] == "cfg-new-model"
    assert outs["endpoint_status"] == "InService"
    update = [p for op, p in fake.state.calls if op == "UpdateEndpoint"]
    assert update == [
        {"EndpointName": ENDPOINT, "EndpointConfigName": "cfg-new-model", "RetainAllVariantProperties": True}
    ]
    assert fake.state.endpoints[ENDPOINT]["variants"]["primary"]["count"] == 3  # scaled-out count kept
    assert "DeregisterScalableTarget" not in fake.state.operations()  # a model change is allowed on a scaled variant
    assert scaling_of(fake.state) == BEFORE
    # Only after the verified roll-over: the configuration left, and its model, are retired.
    ops = fake.state.operations()
    assert ops[-2:] == ["DeleteEndpointConfig", "DeleteModel"]
    assert "cfg-old" not in fake.state.configs and "cfg-old-model" not in fake.state.models
    assert outs["retired"] == ["cfg-old", "cfg-old-model"] and outs["retire_failures"] == []


def test_rollout_settings_are_passed_to_the_update(fake: FakeAwsServer) -> None:
    rollout = {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {
                "Type": "CANARY",
                "WaitIntervalInSeconds": 600,
                "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10},
            },
            "TerminationWaitInSeconds": 300,
        },
        "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "ml-serving-prod-ranker-primary-invocation-5xx"}]},
    }
    provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-new-model", deployment_config=rollout))
    update = [p for op, p in fake.state.calls if op == "UpdateEndpoint"]
    assert update[0]["DeploymentConfig"] == rollout


def test_changing_only_rollout_settings_calls_nothing_but_describe(fake: FakeAwsServer) -> None:
    rollout = {
        "BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 0}}
    }
    p = provider(fake)
    diff = p.diff(ENDPOINT, props("cfg-old"), props("cfg-old", deployment_config=rollout))
    assert diff.changes and not diff.replaces
    p.update(ENDPOINT, props("cfg-old"), props("cfg-old", deployment_config=rollout))
    assert fake.state.operations() == ["DescribeEndpoint"]


def test_only_name_or_region_replace() -> None:
    p = EndpointLifecycleProvider()
    assert p.diff(ENDPOINT, props("a"), props("b")).replaces == []
    assert p.diff(ENDPOINT, props("a"), props("a", endpoint_name="other")).replaces == ["endpoint_name"]
    assert p.diff(ENDPOINT, props("a"), props("a", region="eu-west-1")).replaces == ["region"]
    assert p.diff(ENDPOINT, props("a"), props("a")).changes is False
    assert p.diff(ENDPOINT, props("a"), props("b")).delete_before_replace is False


def test_rollback_fails_the_update_naming_the_endpoint_and_what_sagemaker_reported(fake: FakeAwsServer) -> None:
    reason = "Deployment failed: alarm ml-serving-prod-ranker-primary-invocation-5xx went into ALARM."
    fake.state.outcomes["cfg-new-model"] = ("rollback", reason)
    with pytest.raises(EndpointUpdateError) as raised:
        provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-new-model"))
    message = str(raised.value)
    assert f"SageMaker endpoint {ENDPOINT} did not move to endpoint configuration cfg-new-model" in message
    assert "status InService on configuration cfg-old" in message
    assert reason in message
    assert "Nothing was deleted" in message
    assert fake.state.endpoints[ENDPOINT]["config"] == "cfg-old"  # the old configuration stays in place
    assert {"cfg-old", "cfg-new-model"} <= set(fake.state.configs)  # nothing retired after a failed update
    assert {"cfg-old-model", "cfg-new-model-model"} <= fake.state.models
    assert not {"DeleteEndpointConfig", "DeleteModel"} & set(fake.state.operations())
    assert fake.state.operations().count("DescribeEndpoint") == 4  # settled, Updating, RollingBack, InService


def test_update_rollback_failed_is_reported(fake: FakeAwsServer) -> None:
    fake.state.outcomes["cfg-new-model"] = ("rollback_failed", "Unable to provision the old fleet: capacity.")
    with pytest.raises(EndpointUpdateError) as raised:
        provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-new-model"))
    assert raised.value.status == "UpdateRollbackFailed"
    assert "status UpdateRollbackFailed" in str(raised.value)
    assert "Unable to provision the old fleet: capacity." in str(raised.value)


def test_the_fake_refuses_an_instance_type_change_of_a_registered_variant_like_sagemaker(fake: FakeAwsServer) -> None:
    client = clients_for(fake.url)("sagemaker", "us-east-1")
    with pytest.raises(ClientError) as raised:
        client.update_endpoint(EndpointName=ENDPOINT, EndpointConfigName="cfg-bigger")
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert raised.value.response["Error"]["Message"] == (
        'The variant(s) "[primary]" must be deregistered as scalable targets with AWS Application Auto Scaling '
        "before they can be removed or have their instance type updated."
    )


def test_a_missing_endpoint_is_named_by_its_arn_and_read_as_absent(fake: FakeAwsServer) -> None:
    """SageMaker's DescribeEndpoint on a missing endpoint (the wording moto reproduces, getmoto/moto
    tests/test_sagemaker/test_sagemaker_endpoint.py); the waiter reads it as "no endpoint"."""
    from components.aws.endpoint_lifecycle.waiter import WaitPolicy, describe_endpoint

    client = clients_for(fake.url)("sagemaker", "us-east-1")
    with pytest.raises(ClientError) as raised:
        client.describe_endpoint(EndpointName="gone-endpoint")
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert raised.value.response["Error"]["Message"] == (
        'Could not find endpoint "arn:aws:sagemaker:us-east-1:123456789012:endpoint/gone-endpoint".'
    )
    assert describe_endpoint(client, "gone-endpoint", WaitPolicy(timeout_seconds=60, poll_seconds=1)) is None


def test_instance_type_change_of_an_autoscaled_variant_works_in_one_update(fake: FakeAwsServer) -> None:
    outs = provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-bigger")).outs
    assert outs["endpoint_config_name"] == "cfg-bigger"
    ops = fake.state.operations()
    assert ops.index("DeregisterScalableTarget") < ops.index("UpdateEndpoint") < ops.index("RegisterScalableTarget")
    assert ops[ops.index("RegisterScalableTarget") :] == [
        "RegisterScalableTarget",
        "PutScalingPolicy",
        "PutScheduledAction",
        "DeleteEndpointConfig",
        "DeleteModel",
    ]
    assert scaling_of(fake.state) == BEFORE  # exactly what was there: min/max, policy, schedule
    assert fake.state.endpoints[ENDPOINT]["variants"]["primary"]["count"] == 3


def test_a_rolled_back_instance_type_change_puts_the_autoscaling_back_and_fails(fake: FakeAwsServer) -> None:
    fake.state.outcomes["cfg-bigger"] = ("rollback", "Insufficient capacity for ml.g5.2xlarge.")
    with pytest.raises(EndpointUpdateError) as raised:
        provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-bigger"))
    assert "Autoscaling put back on: primary (min 2, max 6, 1 scaling policies, 1 scheduled actions)" in str(
        raised.value
    )
    assert fake.state.endpoints[ENDPOINT]["config"] == "cfg-old"
    assert scaling_of(fake.state) == BEFORE


def test_removing_an_autoscaled_variant_deregisters_it_first_and_leaves_it_off(fake: FakeAwsServer) -> None:
    state = fake.state
    state.add_config("cfg-two", {"primary": ("ml.g5.xlarge", 2), "challenger": ("ml.g5.xlarge", 1)})
    state.add_config("cfg-one", {"primary": ("ml.g5.xlarge", 2)})
    state.endpoints[ENDPOINT]["config"] = "cfg-two"
    state.endpoints[ENDPOINT]["variants"]["challenger"] = {"count": 1, "weight": 1.0}
    aas = clients_for(fake.url)("application-autoscaling", "us-east-1")
    challenger = f"endpoint/{ENDPOINT}/variant/challenger"
    aas.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId=challenger,
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        MinCapacity=1,
        MaxCapacity=2,
    )
    state.calls.clear()
    provider(fake).update(ENDPOINT, props("cfg-two"), props("cfg-one"))
    assert [p["ResourceId"] for op, p in state.calls if op == "DeregisterScalableTarget"] == [challenger]
    assert challenger not in state.targets
    assert scaling_of(state) == BEFORE  # the unchanged variant was not touched


def test_a_missing_configuration_fails_before_anything_changes(fake: FakeAwsServer) -> None:
    with pytest.raises(EndpointUpdateError) as raised:
        provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-missing"))
    assert 'Could not find endpoint configuration "cfg-missing"' in str(raised.value)
    assert f"SageMaker endpoint {ENDPOINT} was not updated" in str(raised.value)
    assert "DeregisterScalableTarget" not in fake.state.operations()


def test_a_refused_update_puts_the_autoscaling_back(fake: FakeAwsServer) -> None:
    fake.state.fail_next["UpdateEndpoint"] = FakeError(
        "ResourceLimitExceeded", "The account-level service limit is 4 instances."
    )
    with pytest.raises(EndpointUpdateError) as raised:
        provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-bigger"))
    assert f"SageMaker refused to update endpoint {ENDPOINT} to configuration cfg-bigger" in str(raised.value)
    assert "The account-level service limit is 4 instances." in str(raised.value)
    assert fake.state.endpoints[ENDPOINT]["config"] == "cfg-old"
    assert scaling_of(fake.state) == BEFORE


def test_create_adopts_the_live_endpoint_by_name(fake: FakeAwsServer) -> None:
    created = provider(fake).create(props("cfg-old"))
    assert created.id == ENDPOINT
    assert fake.state.operations() == ["DescribeEndpoint"]
    assert created.outs["endpoint_arn"] == f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/{ENDPOINT}"


def test_create_of_an_upgraded_stack_converges_onto_the_requested_configuration(fake: FakeAwsServer) -> None:
    created = provider(fake).create(props("cfg-new-model"))
    assert created.outs["endpoint_config_name"] == "cfg-new-model"
    assert "UpdateEndpoint" in fake.state.operations()
    # The configuration left was declared by the previous release without retain_on_delete: Pulumi deletes it.
    assert created.outs["retired"] == [] and "cfg-old" in fake.state.configs


def test_read_reports_the_configuration_really_served(fake: FakeAwsServer) -> None:
    fake.state.endpoints[ENDPOINT]["config"] = "cfg-new-model"
    read = provider(fake).read(ENDPOINT, props("cfg-old"))
    assert read.outs["endpoint_config_name"] == "cfg-new-model"
    gone = provider(fake).read("no-such-endpoint", props("cfg-old"))
    assert gone.id == ""


def test_delete_leaves_the_endpoint_to_its_name_holder(fake: FakeAwsServer) -> None:
    provider(fake).delete(ENDPOINT, props("cfg-old"))
    assert fake.state.operations() == []
    assert ENDPOINT in fake.state.endpoints


def test_boto3_is_what_the_fake_speaks_to(fake: FakeAwsServer) -> None:
    """Guard: a request the service model rejects is refused by the fake too (server-side validation)."""
    import json
    import urllib.request

    request = urllib.request.Request(
        fake.url,
        data=json.dumps({"EndpointName": ENDPOINT, "Bogus": 1}).encode(),
        headers={"X-Amz-Target": "SageMaker.UpdateEndpoint", "Content-Type": "application/x-amz-json-1.1"},
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request)
    assert b"Missing required parameter" in raised.value.read()
    assert boto3.__version__


def test_counts_and_weights_the_stack_changes_apply_others_survive(fake: FakeAwsServer) -> None:
    """A fixed-size variant's new count and a new weight apply; the autoscaled variant keeps its live count."""
    state = fake.state
    state.add_config(
        "cfg-mixed", {"primary": ("ml.g5.xlarge", 2), "fixed": ("ml.c5.xlarge", 1)}, {"primary": 1.0, "fixed": 1.0}
    )
    state.add_config(
        "cfg-mixed-2", {"primary": ("ml.g5.xlarge", 5), "fixed": ("ml.c5.xlarge", 2)}, {"primary": 3.0, "fixed": 1.0}
    )
    state.endpoints[ENDPOINT]["config"] = "cfg-mixed"
    state.endpoints[ENDPOINT]["variants"] = {
        "primary": {"count": 3, "weight": 0.5},
        "fixed": {"count": 1, "weight": 0.5},
    }
    provider(fake).update(ENDPOINT, props("cfg-mixed"), props("cfg-mixed-2"))
    update = next(p for op, p in state.calls if op == "UpdateEndpoint")
    assert update["ExcludeRetainedVariantProperties"] == [
        {"VariantPropertyType": "DesiredWeight"},
        {"VariantPropertyType": "DesiredInstanceCount"},
    ]
    assert state.endpoints[ENDPOINT]["variants"] == {
        "primary": {"count": 5, "weight": 3.0},
        "fixed": {"count": 2, "weight": 1.0},
    }


def test_an_autoscaled_variant_keeps_its_live_count_when_only_its_configured_count_changes(fake: FakeAwsServer) -> None:
    fake.state.add_config("cfg-min-3", {"primary": ("ml.g5.xlarge", 3)})
    fake.state.endpoints[ENDPOINT]["variants"]["primary"]["count"] = 5
    provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-min-3"))
    update = next(p for op, p in fake.state.calls if op == "UpdateEndpoint")
    assert "ExcludeRetainedVariantProperties" not in update
    assert fake.state.endpoints[ENDPOINT]["variants"]["primary"]["count"] == 5


def test_a_model_the_new_configuration_still_serves_is_not_retired(fake: FakeAwsServer) -> None:
    fake.state.add_config("cfg-same-model", {"primary": ("ml.g5.xlarge", 2)}, model="cfg-old-model")
    outs = provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-same-model")).outs
    assert outs["retired"] == ["cfg-old"]
    assert "cfg-old-model" in fake.state.models


def test_a_failed_retirement_is_reported_without_failing_the_roll_over(fake: FakeAwsServer) -> None:
    fake.state.fail_next["DeleteModel"] = FakeError(
        "AccessDeniedException", "not authorized to perform: sagemaker:DeleteModel"
    )
    outs = provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-new-model")).outs
    assert outs["endpoint_config_name"] == "cfg-new-model"
    assert outs["retire_failures"] == ["model cfg-old-model: not authorized to perform: sagemaker:DeleteModel"]


def test_alarms_that_invoke_a_recreated_step_policy_are_pointed_at_its_new_arn(fake: FakeAwsServer) -> None:
    """The async backlog scaling: a CloudWatch alarm invokes a step-scaling policy by ARN. Re-creating the policy
    around an instance-type change gives it a new ARN; the lifecycle rewrites the alarm's action, nothing else."""
    from botocore.stub import Stubber

    aas = clients_for(fake.url)("application-autoscaling", "us-east-1")
    common = {
        "ServiceNamespace": "sagemaker",
        "ResourceId": RID,
        "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
    }
    step = {
        "AdjustmentType": "ChangeInCapacity",
        "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}],
        "Cooldown": 300,
    }
    old_arn = aas.put_scaling_policy(
        PolicyName="scale-out-from-zero", PolicyType="StepScaling", StepScalingPolicyConfiguration=step, **common
    )["PolicyARN"]
    alarm_name = "ranker-has-backlog-without-capacity"
    fake.state.policies[RID]["scale-out-from-zero"]["Alarms"] = [
        {"AlarmName": alarm_name, "AlarmARN": f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{alarm_name}"}
    ]
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
    alarm = {
        "AlarmName": alarm_name,
        "AlarmArn": f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{alarm_name}",
        "ActionsEnabled": True,
        "AlarmActions": [old_arn],
        "OKActions": [],
        "InsufficientDataActions": [],
        "StateValue": "OK",
        "MetricName": "HasBacklogWithoutCapacity",
        "Namespace": "AWS/SageMaker",
        "Statistic": "Average",
        "Dimensions": [{"Name": "EndpointName", "Value": ENDPOINT}],
        "Period": 60,
        "EvaluationPeriods": 2,
        "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "TreatMissingData": "missing",
    }
    factory = clients_for(fake.url)
    with Stubber(cloudwatch) as stubber:
        stubber.add_response(
            "describe_alarms", {"MetricAlarms": [alarm]}, {"AlarmNames": [alarm_name], "AlarmTypes": ["MetricAlarm"]}
        )
        expected = {k: v for k, v in alarm.items() if k not in ("AlarmArn", "StateValue")}
        new_arn = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:00000003:resource/sagemaker/" + (
            f"{RID}:policyName/scale-out-from-zero"
        )
        stubber.add_response("put_metric_alarm", {}, {**expected, "AlarmActions": [new_arn]})
        clients = lambda service, region: cloudwatch if service == "cloudwatch" else factory(service, region)  # noqa: E731
        EndpointLifecycleProvider(clients=clients, sleep=lambda _s: None).update(
            ENDPOINT, props("cfg-old"), props("cfg-bigger")
        )
        stubber.assert_no_pending_responses()
    assert fake.state.policies[RID]["scale-out-from-zero"]["PolicyARN"] == new_arn


def test_renaming_an_autoscaled_variant_deregisters_the_old_name_first(fake: FakeAwsServer) -> None:
    fake.state.add_config("cfg-renamed", {"champion": ("ml.g5.xlarge", 2)})
    provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-renamed"))
    ops = fake.state.operations()
    assert ops.index("DeregisterScalableTarget") < ops.index("UpdateEndpoint")
    assert "RegisterScalableTarget" not in ops  # the new name gets its target from Pulumi, after the roll-over
    assert fake.state.targets == {} and fake.state.policies == {} and fake.state.schedules == {}
    assert set(fake.state.endpoints[ENDPOINT]["variants"]) == {"champion"}


def test_a_wait_that_times_out_puts_the_autoscaling_back_and_says_so(fake: FakeAwsServer) -> None:
    """An endpoint still Updating at the deadline: the held target is registered again (a later `pulumi up` that
    finds the endpoint on the requested configuration would have nothing to do and leave it off)."""
    from components.aws.endpoint_lifecycle.rollover import UpdateRequest, converge
    from components.aws.endpoint_lifecycle.waiter import WaitPolicy

    state = fake.state
    original = state.UpdateEndpoint

    def slow_update(params: dict[str, Any]) -> dict[str, Any]:
        answer = original(params)
        state.endpoints[ENDPOINT]["steps"] = [{"status": "Updating"}] * 50  # does not settle before the deadline
        return answer

    state.UpdateEndpoint = slow_update  # type: ignore[method-assign]
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    factory = clients_for(fake.url)
    with pytest.raises(EndpointUpdateError) as raised:
        converge(
            factory("sagemaker", "us-east-1"),
            factory("application-autoscaling", "us-east-1"),
            None,  # no step-scaling alarms here: CloudWatch is not called
            UpdateRequest(ENDPOINT, "cfg-bigger"),
            WaitPolicy(timeout_seconds=300, poll_seconds=30),
            sleep,
            lambda: now[0],
        )
    message = str(raised.value)
    assert f"SageMaker endpoint {ENDPOINT} is still Updating after 300 s" in message
    assert "Autoscaling put back on: primary (min 2, max 6, 1 scaling policies, 1 scheduled actions)" in message
    assert scaling_of(state) == BEFORE
    assert "DeleteEndpointConfig" not in state.operations()


def test_a_failed_restore_after_a_good_roll_over_says_how_to_recover(fake: FakeAwsServer) -> None:
    fake.state.fail_next["RegisterScalableTarget"] = FakeError("ValidationException", "Rate of requests exceeded.")
    with pytest.raises(EndpointUpdateError) as raised:
        provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-bigger"))
    message = str(raised.value)
    assert f"SageMaker endpoint {ENDPOINT} is InService on configuration cfg-bigger" in message
    assert "putting its autoscaling back failed: Rate of requests exceeded." in message
    assert "`pulumi refresh`" in message
    assert "cfg-old" in fake.state.configs  # nothing retired: the update is reported as failed
