"""The one error the endpoint lifecycle raises: it names the endpoint and says what SageMaker reported."""

from __future__ import annotations

from botocore.exceptions import ClientError


class EndpointUpdateError(Exception):
    """An endpoint update that did not end on the requested configuration (or could not start).

    The message names the endpoint, the configuration requested, the status and configuration SageMaker reports
    and its ``FailureReason``, and what to do next. Pulumi shows it as the failure of ``pulumi up``; because the
    update failed, Pulumi deletes neither the configuration nor the model the endpoint still uses.
    """

    def __init__(self, message: str, *, endpoint: str, status: str | None = None, failure_reason: str | None = None):
        super().__init__(message)
        self.endpoint = endpoint
        """Endpoint name."""
        self.status = status
        """``EndpointStatus`` reported last, when known."""
        self.failure_reason = failure_reason
        """``FailureReason`` reported last, when any."""


THROTTLING_CODES = frozenset(
    {"ThrottlingException", "Throttling", "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException"}
)
"""Error codes that mean "slow down" (botocore's retry handler treats them as throttling; botocore/retries)."""


def aws_message(error: ClientError) -> str:
    """The service's own message of a failed call (``Error.Message``), or the error's text when it has none."""
    return str(error.response.get("Error", {}).get("Message", error))
