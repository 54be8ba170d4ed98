"""Options of asynchronous inference (`async: true` or a mapping of these keys)."""

from __future__ import annotations

from pydantic import Field

from .base import ConfigModel


class AsyncOptions(ConfigModel):
    """Asynchronous inference: requests are queued, results written to an output bucket.

    On SageMaker this is an async endpoint (payloads up to 1 GB, scale to zero). Vertex AI has no async
    endpoint: there the output bucket is declared for the user's own queue / batch jobs.
    """

    max_concurrent_invocations_per_instance: int | None = Field(
        None,
        ge=1,
        le=1000,
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
    force_destroy: bool = Field(
        False,
        description="Allow `pulumi destroy` to delete the output bucket while it still holds outputs, default false: "
        "outputs are user data and survive updates and destroys unless you opt in here.",
    )
