"""A bounded waiter for SageMaker endpoints: polls ``DescribeEndpoint`` through Updating / RollingBack.

botocore's own ``endpoint_in_service`` waiter stops on ``Failed`` but treats ``RollingBack`` and
``UpdateRollbackFailed`` as "keep waiting" or unknown, and knows nothing of the configuration requested; this one
returns the final description so the caller can compare configurations, and it retries throttled calls within the
same deadline (a Stubber or a real throttled account returns ``ThrottlingException`` to the caller once botocore's
own retries are spent).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ...facts.endpoint_updates import ENDPOINT_TRANSITIONAL_STATUSES
from .errors import THROTTLING_CODES, EndpointUpdateError


@dataclass(frozen=True)
class WaitPolicy:
    """How long and how often to poll.

    Attributes:
        timeout_seconds: give up after this long (a blue/green rollout with baking periods can take hours:
            the component sets it from the rollout's maximum duration).
        poll_seconds: pause between two ``DescribeEndpoint`` calls; doubled (up to 60 s) after a throttled call.
    """

    timeout_seconds: float = 3 * 3600
    poll_seconds: float = 30.0


Sleep = Callable[[float], None]
Clock = Callable[[], float]


def call_with_backoff(
    call: Callable[[], Any], policy: WaitPolicy, sleep: Sleep = time.sleep, clock: Clock = time.monotonic
) -> Any:
    """Run ``call``; on a throttling error wait and try again until the policy's deadline, then re-raise."""
    deadline = clock() + policy.timeout_seconds
    pause = max(policy.poll_seconds, 1.0)
    while True:
        try:
            return call()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in THROTTLING_CODES or clock() >= deadline:
                raise
            sleep(pause)
            pause = min(pause * 2, 60.0)


def describe_endpoint(
    sagemaker: Any, name: str, policy: WaitPolicy, sleep: Sleep = time.sleep, clock: Clock = time.monotonic
) -> dict[str, Any] | None:
    """``DescribeEndpoint``, or ``None`` when the endpoint does not exist (SageMaker answers ValidationException)."""
    try:
        return dict(call_with_backoff(lambda: sagemaker.describe_endpoint(EndpointName=name), policy, sleep, clock))
    except ClientError as error:
        message = str(error.response.get("Error", {}).get("Message", ""))
        if error.response.get("Error", {}).get("Code") == "ValidationException" and "Could not find" in message:
            return None
        raise


def wait_until_settled(
    sagemaker: Any, name: str, policy: WaitPolicy, sleep: Sleep = time.sleep, clock: Clock = time.monotonic
) -> dict[str, Any]:
    """Poll until the endpoint leaves Creating / Updating / SystemUpdating / RollingBack; return its description.

    Raises :class:`EndpointUpdateError` when the endpoint disappears or the deadline passes (naming the status
    seen last), and the ``ClientError`` of any other failed call.
    """
    deadline = clock() + policy.timeout_seconds
    while True:
        described = describe_endpoint(sagemaker, name, policy, sleep, clock)
        if described is None:
            raise EndpointUpdateError(
                f"SageMaker endpoint {name} disappeared while waiting for it to settle.", endpoint=name
            )
        status = str(described.get("EndpointStatus"))
        if status not in ENDPOINT_TRANSITIONAL_STATUSES:
            return described
        if clock() >= deadline:
            raise EndpointUpdateError(
                f"SageMaker endpoint {name} is still {status} after {policy.timeout_seconds:.0f} s "
                f"(configuration {described.get('EndpointConfigName')}). The update goes on in SageMaker; "
                "run `pulumi refresh` once it has settled, then `pulumi up` again.",
                endpoint=name,
                status=status,
                failure_reason=described.get("FailureReason"),
            )
        sleep(policy.poll_seconds)
