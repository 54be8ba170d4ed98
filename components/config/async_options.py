"""Options of asynchronous inference (`async: true` or a mapping of these keys)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator, model_validator

from ..facts.aws import KMS_KEY_ARN, MAX_CONCURRENT_INVOCATIONS_RANGE
from .base import ConfigModel
from .problems import Problem, raise_if_any

if TYPE_CHECKING:
    from .deployment import DeploymentConfig

NotificationTopic = Literal["success", "error"]
"""The SNS topics of an async endpoint: `success` and `error` notifications."""

SAGEMAKER_ONLY = (
    "max_concurrent_invocations_per_instance",
    "notifications",
    "include_inference_response_in",
    "kms_key",
    "scale_from_zero_after_minutes",
)
"""Async keys that only SageMaker uses; refused on gcp rather than silently ignored."""

TIMEOUT_KEYS = ("request_timeout", "invocation_timeout", "invocation_timeout_seconds", "request_ttl")
"""Keys users reach for that SageMaker has no endpoint setting for (see :class:`AsyncOptions`)."""

TIMEOUT_FIX = (
    "remove it and send X-Amzn-SageMaker-InvocationTimeoutSeconds (1-3600 s, default 900: how long the container "
    "may work on a request) and X-Amzn-SageMaker-RequestTTLSeconds (60-21600 s, default 21600: how long a request "
    "may wait in the queue) with each InvokeEndpointAsync call"
)


class AsyncOptions(ConfigModel):
    """Asynchronous inference: requests are queued, results written to an output bucket.

    On SageMaker this is an async endpoint (payloads up to 1 GB, scale to zero). Vertex AI has no async
    endpoint: there the output bucket is declared for the user's own queue / batch jobs.

    Request timeouts: SageMaker's endpoint configuration has no timeout setting for async requests (botocore's
    ``AsyncInferenceConfig`` holds only ``ClientConfig.MaxConcurrentInvocationsPerInstance`` and ``OutputConfig``).
    Each request carries its own: ``InvocationTimeoutSeconds`` (1-3600 s, default 900) and ``RequestTTLSeconds``
    (60-21600 s, default 21600) of ``InvokeEndpointAsync``. A ``request_timeout`` key is refused with that advice.
    """

    max_concurrent_invocations_per_instance: int | None = Field(
        None,
        ge=MAX_CONCURRENT_INVOCATIONS_RANGE[0],
        le=MAX_CONCURRENT_INVOCATIONS_RANGE[1],
        description="Requests one instance works on at once (SageMaker); default: SageMaker decides.",
    )
    output_retention_days: int = Field(
        30,
        ge=1,
        le=3650,
        description="Days before outputs and failures expire from the output bucket, default 30.",
    )
    notifications: bool = Field(
        True, description="Publish success and error notifications to SNS topics (SageMaker), default true."
    )
    include_inference_response_in: tuple[NotificationTopic, ...] = Field(
        (),
        description="Notifications (`success`, `error`) that carry the inference response itself when it is at most "
        "128 KB (SageMaker `IncludeInferenceResponseIn`), default none: notifications only point at the output.",
    )
    kms_key: str | None = Field(
        None,
        description="KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID) encrypting outputs, the output bucket and the "
        "notification topics (SageMaker); default: SSE-S3 for the bucket and the AWS managed key `alias/aws/sns`.",
    )
    scale_from_zero_after_minutes: int = Field(
        1,
        ge=1,
        le=2,
        description="With scaling.min 0 (SageMaker): minutes of queued requests without any instance before one is "
        "started (evaluation periods of 60 s of the HasBacklogWithoutCapacity alarm), default 1.",
    )
    force_destroy: bool = Field(
        False,
        description="Allow `pulumi destroy` to delete the output bucket while it still holds outputs, default false: "
        "outputs are user data and survive updates and destroys unless you opt in here.",
    )
    protect: bool = Field(
        False,
        description="Pulumi-protect the output bucket: any operation that would delete it (a destroy, removing the "
        "deployment) fails until you unprotect it, default false; use it in production.",
    )

    @model_validator(mode="after")
    def _protect_or_destroy(self) -> AsyncOptions:
        raise_if_any(
            [Problem("protect", "protect and force_destroy contradict each other", "keep one of them")]
            if self.protect and self.force_destroy
            else []
        )
        return self

    @model_validator(mode="before")
    @classmethod
    def _no_timeout_setting(cls, value: Any) -> Any:
        if isinstance(value, dict):
            found = [key for key in TIMEOUT_KEYS if key in value]
            raise_if_any(
                [
                    Problem(key, "SageMaker has no endpoint setting for an async request timeout", TIMEOUT_FIX)
                    for key in found
                ]
            )
        return value

    @field_validator("kms_key")
    @classmethod
    def _key_arn(cls, value: str | None) -> str | None:
        if value is not None and not KMS_KEY_ARN.match(value):
            raise ValueError(
                f"'{value}' is not a KMS key ARN, and the execution role is granted one key by its ARN, which an alias "
                "or a bare key id cannot express; use arn:aws:kms:REGION:ACCOUNT:key/ID "
                "(`aws kms describe-key --key-id alias/NAME` prints it)"
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> AsyncOptions:
        problems: list[Problem] = []
        if self.include_inference_response_in and not self.notifications:
            problems.append(
                Problem(
                    "include_inference_response_in",
                    "responses can only be included in notifications, and notifications are off",
                    "remove include_inference_response_in or set notifications: true",
                )
            )
        if len(set(self.include_inference_response_in)) != len(self.include_inference_response_in):
            problems.append(
                Problem(
                    "include_inference_response_in",
                    "a topic is listed twice",
                    "list each of success and error at most once",
                )
            )
        raise_if_any(problems)
        return self


def check(deployment: DeploymentConfig) -> list[Problem]:
    """SageMaker-only async keys on a gcp deployment; paths relative to the deployment."""
    options = deployment.async_inference
    if options is None or deployment.cloud == "aws":
        return []
    return [
        Problem(
            f"async.{key}",
            "is a SageMaker async setting; Vertex AI has no async endpoint",
            f"remove async.{key} on gcp",
        )
        for key in SAGEMAKER_ONLY
        if key in options.model_fields_set
    ]
