"""The IAM actions the lifecycle needs are real operations, and cover every call it makes."""

from __future__ import annotations

import botocore.session

from components.facts.endpoint_updates import LIFECYCLE_ACTIONS
from tests.fakes.sagemaker_server import FakeAwsServer
from tests.lifecycle.test_endpoint_updates import ENDPOINT, fake, props, provider  # noqa: F401 - fixture

BOTOCORE_NAMES = {
    "sagemaker": "sagemaker",
    "application-autoscaling": "application-autoscaling",
    "cloudwatch": "cloudwatch",
}


def test_actions_are_operations_of_the_service_models() -> None:
    session = botocore.session.get_session()
    for prefix, actions in LIFECYCLE_ACTIONS.items():
        operations = set(session.get_service_model(BOTOCORE_NAMES[prefix]).operation_names)
        assert set(actions) <= operations, prefix


def test_an_instance_type_change_calls_only_listed_actions(fake: FakeAwsServer) -> None:  # noqa: F811
    provider(fake).update(ENDPOINT, props("cfg-old"), props("cfg-bigger"))
    listed = {action for actions in LIFECYCLE_ACTIONS.values() for action in actions}
    assert set(fake.state.operations()) <= listed
    assert {"UpdateEndpoint", "DeregisterScalableTarget", "RegisterScalableTarget", "DeleteEndpointConfig"} <= set(
        fake.state.operations()
    )


def test_the_deployer_policy_grants_what_the_lifecycle_calls() -> None:
    from components.aws.deployer_policy import ALARM_ACTIONS, AUTOSCALING_ACTIONS, SAGEMAKER_ACTIONS

    granted = {*SAGEMAKER_ACTIONS, *AUTOSCALING_ACTIONS, *ALARM_ACTIONS}
    needed = {f"{prefix}:{action}" for prefix, actions in LIFECYCLE_ACTIONS.items() for action in actions}
    assert sorted(needed - granted) == []
