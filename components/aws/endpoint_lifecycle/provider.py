"""The dynamic provider and resource that roll a SageMaker endpoint over to new configurations, safely.

State contract
--------------
Pulumi stores this provider in the state of every stack that declares it, pickled *by reference*: the module path
``components.aws.endpoint_lifecycle.provider`` and the class name ``EndpointLifecycleProvider`` must stay
importable for as long as any stack holds one (move the code if you must, and leave a re-export here). The resource
type token is ``pulumi-python:dynamic/aws:SageMakerEndpointLifecycle``: renaming the class or its ``module`` /
``name`` changes every resource's URN (add an alias if it ever must change). Input keys are part of the contract
too (old states hold them).

Division of work (why there are two resources for one endpoint)
----------------------------------------------------------------
The ``aws.sagemaker.Endpoint`` the deployment declared so far stays, as the endpoint's *name holder*: it creates the
endpoint (auto-name) and deletes it with the deployment; its ``endpointConfigName`` and ``deploymentConfig`` are
``ignore_changes``, so it is never replaced or updated by a configuration or rollout change. Moving existing
endpoints to another resource type instead is not safe: an alias across providers makes Pulumi replace the resource
("[diff: ~provider]") and delete the original through the old provider - a DeleteEndpoint of the live endpoint
(pulumi/pulumi#10082, pulumi/pulumi-aws#2009). This resource does everything that happens *between* create and
delete, for the endpoint named by that output:

* **create** adopts the endpoint by name and converges it (:func:`.rollover.converge`; on a new stack there is
  nothing to do, on an upgraded stack it checks the endpoint is InService on the requested configuration).
* **update** converges: ``UpdateEndpoint`` with ``RetainAllVariantProperties``, the rollout's ``DeploymentConfig``,
  autoscaling of re-typed or removed variants held aside and put back, bounded wait through Updating / RollingBack,
  and a failure naming the endpoint and what SageMaker reported when it does not end InService on the requested
  configuration. Only after that check does it delete the configuration the endpoint left and the models only that
  one served: the deployment declares configurations and models with ``retain_on_delete``, because Pulumi deletes
  the leftovers of a failed update first thing in the *next* ``pulumi up`` (pulumi/pulumi#9979) - after a
  rollback that would be the configuration and model still in use. Only ``endpoint_name`` or ``region`` replace
  this resource.
* **delete** does not touch the endpoint (the name holder deletes it, after this resource is gone).
* **read** (``pulumi refresh``) reports the configuration the endpoint really serves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi.dynamic

from ...facts.endpoint_updates import LIFECYCLE_REPLACE_KEYS
from .errors import EndpointUpdateError

if TYPE_CHECKING:  # botocore is imported where the calls happen (the provider host), not by the offline plan
    from .rollover import UpdateRequest
    from .waiter import WaitPolicy

ClientFactory = Callable[[str, str], Any]
"""``(service, region) -> botocore client``; a module-level callable, pickled with the provider."""

REPLACE_KEYS = LIFECYCLE_REPLACE_KEYS
"""Inputs whose change replaces the resource (another endpoint); every other input is an update-time parameter
(:data:`components.facts.endpoint_updates.LIFECYCLE_REPLACE_KEYS`)."""
INPUT_KEYS = (
    "endpoint_name",
    "region",
    "endpoint_config_name",
    "deployment_config",
    "retain_all_variant_properties",
    "retire_previous",
    "timeout_seconds",
    "poll_seconds",
)
OUTPUT_KEYS = ("endpoint_arn", "endpoint_status", "retired", "retire_failures")
_PROVIDER_KEY = "__provider"


def boto3_clients(service: str, region: str) -> Any:
    """The default client factory: boto3 with standard retries (throttling is also retried by the waiter)."""
    import boto3  # imported in the provider host only, where the calls happen
    from botocore.config import Config

    return boto3.client(service, region_name=region, config=Config(retries={"mode": "standard", "max_attempts": 8}))


def _request(props: Mapping[str, Any], retire: bool) -> UpdateRequest:
    from .rollover import UpdateRequest

    return UpdateRequest(
        endpoint_name=str(props["endpoint_name"]),
        endpoint_config_name=str(props["endpoint_config_name"]),
        deployment_config=props.get("deployment_config") or None,
        retain_all_variant_properties=bool(props.get("retain_all_variant_properties", True)),
        retire_previous=retire and bool(props.get("retire_previous", True)),
    )


def _policy(props: Mapping[str, Any]) -> WaitPolicy:
    from .waiter import WaitPolicy

    defaults = WaitPolicy()
    timeout, poll = props.get("timeout_seconds"), props.get("poll_seconds")
    return WaitPolicy(
        timeout_seconds=float(timeout) if timeout else defaults.timeout_seconds,
        poll_seconds=float(poll) if poll is not None else defaults.poll_seconds,
    )


class EndpointLifecycleProvider(pulumi.dynamic.ResourceProvider):
    """Dynamic provider behind :class:`SageMakerEndpointLifecycle` (see the module docstring).

    Holds nothing but a client factory and a sleep function (both module-level callables, pickled by reference);
    clients are built per call inside the provider host.
    """

    def __init__(self, clients: ClientFactory | None = None, sleep: Callable[[float], None] | None = None) -> None:
        super().__init__()
        self.clients = clients
        """Client factory; ``None`` uses :func:`boto3_clients`."""
        self.sleep = sleep
        """Pause function of the waiter; ``None`` uses ``time.sleep``."""

    def _clients(self, region: str) -> tuple[Any, Any, Any]:
        factory = self.clients or boto3_clients
        return factory("sagemaker", region), factory("application-autoscaling", region), factory("cloudwatch", region)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.CheckResult:
        """Refuse empty names and non-positive waits before anything is called."""
        failures = [
            pulumi.dynamic.CheckFailure(key, f"{key} must be a non-empty string")
            for key in ("endpoint_name", "endpoint_config_name", "region")
            if key in news and isinstance(news[key], str) and not news[key]
        ]
        timeout = news.get("timeout_seconds")
        if isinstance(timeout, (int, float)) and timeout <= 0:
            failures.append(pulumi.dynamic.CheckFailure("timeout_seconds", "timeout_seconds must be above 0"))
        return pulumi.dynamic.CheckResult(news, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        """Another endpoint (name or region) replaces; configuration and rollout settings update in place."""
        changed = [key for key in INPUT_KEYS if olds.get(key) != news.get(key)]
        replaces = [key for key in changed if key in REPLACE_KEYS]
        return pulumi.dynamic.DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)

    def _converge(self, props: Mapping[str, Any], retire: bool) -> dict[str, Any]:
        from .rollover import converge

        sagemaker, autoscaling, cloudwatch = self._clients(str(props["region"]))
        outcome = converge(
            sagemaker, autoscaling, cloudwatch, _request(props, retire), _policy(props), self.sleep or time.sleep
        )
        outs = {key: props.get(key) for key in INPUT_KEYS}
        outs["endpoint_arn"] = outcome.described.get("EndpointArn")
        outs["endpoint_status"] = outcome.described.get("EndpointStatus")
        outs["retired"] = list(outcome.retired)
        outs["retire_failures"] = list(outcome.failures)
        return outs

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        """Adopt the endpoint of that name and converge it onto the requested configuration."""
        # No retirement on create: a configuration this resource did not roll over from may still be deleted by
        # Pulumi itself (an upgraded stack's first `pulumi up`, before `retain_on_delete` is recorded).
        return pulumi.dynamic.CreateResult(str(props["endpoint_name"]), self._converge(props, retire=False))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        """Roll the endpoint over to the requested configuration (see :func:`.rollover.converge`)."""
        return pulumi.dynamic.UpdateResult(self._converge(news, retire=True))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Nothing to delete: the ``aws.sagemaker.Endpoint`` name holder deletes the endpoint itself."""

    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        """Report the configuration the endpoint serves; an endpoint gone is reported as deleted."""
        from .waiter import describe_endpoint

        sagemaker, _, _ = self._clients(str(props["region"]))
        described = describe_endpoint(sagemaker, id_, _policy(props), self.sleep or time.sleep)
        if described is None:
            return pulumi.dynamic.ReadResult("", {})
        outs = {key: props.get(key) for key in INPUT_KEYS}
        outs["endpoint_config_name"] = described.get("EndpointConfigName")
        outs["endpoint_arn"] = described.get("EndpointArn")
        outs["endpoint_status"] = described.get("EndpointStatus")
        return pulumi.dynamic.ReadResult(id_, outs)


class SageMakerEndpointLifecycle(pulumi.dynamic.Resource, module="aws", name="SageMakerEndpointLifecycle"):
    """Rolls the endpoint named ``endpoint_name`` over to ``endpoint_config_name`` and checks it got there.

    Type token ``pulumi-python:dynamic/aws:SageMakerEndpointLifecycle`` (part of the state contract, see the
    module docstring). Outputs: the inputs, ``endpoint_arn`` and ``endpoint_status``.
    """

    endpoint_name: pulumi.Output[str]
    """Name of the endpoint (from the ``aws.sagemaker.Endpoint`` that holds it)."""
    endpoint_config_name: pulumi.Output[str]
    """The configuration the endpoint serves after a successful ``pulumi up``."""
    endpoint_arn: pulumi.Output[str]
    """ARN of the endpoint."""
    endpoint_status: pulumi.Output[str]
    """``EndpointStatus`` seen last (``InService`` after a successful update)."""

    def __init__(
        self,
        resource_name: str,
        *,
        endpoint_name: pulumi.Input[str],
        endpoint_config_name: pulumi.Input[str],
        region: pulumi.Input[str],
        deployment_config: pulumi.Input[Mapping[str, Any]] | None = None,
        timeout_seconds: int = 3 * 3600,
        poll_seconds: int = 30,
        opts: pulumi.ResourceOptions | None = None,
        provider: EndpointLifecycleProvider | None = None,
    ) -> None:
        """Declare the lifecycle of one endpoint; ``provider`` defaults to one on boto3's default credentials."""
        props: dict[str, Any] = {
            "endpoint_name": endpoint_name,
            "endpoint_config_name": endpoint_config_name,
            "region": region,
            "deployment_config": deployment_config,
            "retain_all_variant_properties": True,
            "retire_previous": True,
            "timeout_seconds": timeout_seconds,
            "poll_seconds": poll_seconds,
            **dict.fromkeys(OUTPUT_KEYS),
        }
        super().__init__(provider or EndpointLifecycleProvider(), resource_name, props, opts)


__all__ = ["EndpointLifecycleProvider", "EndpointUpdateError", "SageMakerEndpointLifecycle", "boto3_clients"]
