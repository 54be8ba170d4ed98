"""The AWS partition, region and account a component's resources land in: three invokes per stack and provider.

Every SageMaker deployment needs them (execution-role grants, invoke and dashboard URLs). Asking the provider once
per deployment cost three invokes each; the answers depend only on the AWS provider a component uses (the default
one, or the ``aws`` provider passed through ``opts``), so they are asked once per stack and provider and shared.
The cache is reset whenever the program's root stack resource or resource monitor changes (another plan or test
run in the same process).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from pulumi.runtime import settings


@dataclass(frozen=True)
class CallerContext:
    """Outputs of ``aws.get_partition``, ``aws.get_region`` and ``aws.get_caller_identity`` for one provider."""

    partition: pulumi.Output[str]
    region: pulumi.Output[str]
    account: pulumi.Output[str]


_run: tuple[object | None, object | None] = (None, None)
_by_provider: dict[int, tuple[object | None, CallerContext]] = {}


def caller_context(parent: pulumi.Resource) -> CallerContext:
    """Partition, region and account for the AWS provider ``parent``'s children use, asked once per stack."""
    global _run
    run = (settings.get_root_resource(), settings.SETTINGS.monitor)
    if run[0] is not _run[0] or run[1] is not _run[1]:
        _run = run
        _by_provider.clear()
    provider = parent.get_provider("aws::")
    cached = _by_provider.get(id(provider))
    if cached is not None and cached[0] is provider:
        return cached[1]
    opts = pulumi.InvokeOutputOptions(parent=parent)
    context = CallerContext(
        partition=aws.get_partition_output(opts=opts).partition,
        region=aws.get_region_output(opts=opts).region,
        account=aws.get_caller_identity_output(opts=opts).account_id,
    )
    _by_provider[id(provider)] = (provider, context)
    return context
