"""Throttling and timeouts of the endpoint waiter, injected with botocore's Stubber (no network, fake clock)."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from components.aws.endpoint_lifecycle import EndpointUpdateError
from components.aws.endpoint_lifecycle.waiter import WaitPolicy, wait_until_settled

ENDPOINT = "ranker-endpoint-4f2a9c1"


def described(status: str, config: str = "cfg-new") -> dict[str, object]:
    return {
        "EndpointName": ENDPOINT,
        "EndpointArn": f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/{ENDPOINT}",
        "EndpointConfigName": config,
        "EndpointStatus": status,
        "CreationTime": 1_700_000_000,
        "LastModifiedTime": 1_700_000_000,
    }


class FakeClock:
    """Time that moves only when the waiter sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def stubbed() -> Iterator[tuple[object, Stubber]]:
    client = boto3.client(
        "sagemaker", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_throttled_describe_is_retried_with_backoff(stubbed: tuple[object, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_client_error("describe_endpoint", "ThrottlingException", "Rate exceeded", 400)
    stubber.add_client_error("describe_endpoint", "ThrottlingException", "Rate exceeded", 400)
    stubber.add_response("describe_endpoint", described("Updating"), {"EndpointName": ENDPOINT})
    stubber.add_response("describe_endpoint", described("InService"), {"EndpointName": ENDPOINT})
    clock = FakeClock()
    final = wait_until_settled(client, ENDPOINT, WaitPolicy(timeout_seconds=600, poll_seconds=10), clock.sleep, clock)
    assert final["EndpointStatus"] == "InService"
    assert clock.sleeps == [10.0, 20.0, 10.0]  # two throttled calls backed off (doubling), one poll while Updating


def test_throttling_past_the_deadline_surfaces(stubbed: tuple[object, Stubber]) -> None:
    client, stubber = stubbed
    for _ in range(3):
        stubber.add_client_error("describe_endpoint", "ThrottlingException", "Rate exceeded", 400)
    clock = FakeClock()
    with pytest.raises(ClientError, match="Rate exceeded"):
        wait_until_settled(client, ENDPOINT, WaitPolicy(timeout_seconds=25, poll_seconds=10), clock.sleep, clock)


def test_an_update_that_outlasts_the_timeout_fails_with_the_status_seen(stubbed: tuple[object, Stubber]) -> None:
    client, stubber = stubbed
    for _ in range(4):
        stubber.add_response("describe_endpoint", described("Updating"), {"EndpointName": ENDPOINT})
    clock = FakeClock()
    with pytest.raises(EndpointUpdateError) as raised:
        wait_until_settled(client, ENDPOINT, WaitPolicy(timeout_seconds=90, poll_seconds=30), clock.sleep, clock)
    assert str(raised.value).startswith(f"SageMaker endpoint {ENDPOINT} is still Updating after 90 s")
    assert raised.value.status == "Updating"
    assert clock.sleeps == [30.0, 30.0, 30.0]


def test_rolling_back_is_waited_through(stubbed: tuple[object, Stubber]) -> None:
    client, stubber = stubbed
    stubber.add_response("describe_endpoint", described("RollingBack"), {"EndpointName": ENDPOINT})
    stubber.add_response("describe_endpoint", described("InService", "cfg-old"), {"EndpointName": ENDPOINT})
    clock = FakeClock()
    final = wait_until_settled(client, ENDPOINT, WaitPolicy(timeout_seconds=600, poll_seconds=5), clock.sleep, clock)
    assert (final["EndpointStatus"], final["EndpointConfigName"]) == ("InService", "cfg-old")
