"""`VertexModelDeployment`: a custom-container model uploaded to Vertex AI and deployed to an endpoint.

pulumi-gcp can create a ``vertex.AiEndpoint`` but can neither upload a custom-container model nor deploy one to an
endpoint (``deployed_models`` is output-only; terraform-provider-google #15303 / #25152). This resource closes the
gap with a Pulumi dynamic provider on the official ``google-cloud-aiplatform`` GAPIC clients.

The jobs live in their own modules; this one keeps the resource and its provider, because existing Pulumi state
refers to the provider by this module path and class name (``dill`` pickles the class by reference): they must stay
importable from here. The type token ``pulumi-python:dynamic/gcp:VertexModelDeployment`` and the property names
are part of the same contract.

- :mod:`.deployment_args`: arguments, defaults, which input replaces, canonical inputs;
- :mod:`.deployment_checks`: ``check`` of the inputs against :mod:`components.facts.gcp`;
- :mod:`.deployment_spec`: plain values and the aiplatform messages built from them;
- :mod:`.deployment_lifecycle`: the call sequences of create / update / delete / read, and ownership;
- :mod:`.traffic`: traffic split arithmetic; :mod:`.vertex_api` / :mod:`.vertex_errors`: calls, retries, errors.

Lifecycle: **create** uploads and deploys with all of the endpoint's traffic; **update** mutates replica bounds and
autoscaling specs (``MutateDeployedModel``) and the model's display name / labels (``UpdateModel``) in place; any
change of :data:`REPLACE_KEYS` **replaces**: Pulumi creates the new deployment first (deployed beside the old one,
taking 100 % of the traffic), then **deletes** the old one (undeploy, then delete its model): no downtime.
**read** (``pulumi refresh``) reports the live state.

The provider host must be able to import ``components.gcp.model_deployment`` (run Pulumi from the project root, or
install the project into the virtualenv); the provider holds no credentials or clients, only an optional factory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi
import pulumi.dynamic

from .deployment_args import (
    COMPUTED_KEYS,
    DEPLOYMENT_KEY_LABEL,
    INPUT_KEYS,
    INSTANCE_LABEL,
    PROVIDER_KEY,
    REPLACE_KEYS,
    UPDATE_KEYS,
    VertexModelDeploymentArgs,
    canonical_inputs,
    is_unknown,
    normalised,
)
from .deployment_checks import validate_inputs
from .traffic import traffic_split_after_undeploy, traffic_split_for_new_model

if TYPE_CHECKING:
    from .deployment_spec import DeploymentSpec
    from .vertex_api import CredentialsFactory, VertexApi

# The aiplatform client (~0.5 s to import) is loaded only when the provider calls Vertex: declaring the resource,
# ``check`` and ``diff`` (the offline plan, previews) do not need it.
__all__ = [
    "COMPUTED_KEYS",
    "DEPLOYMENT_KEY_LABEL",
    "INPUT_KEYS",
    "INSTANCE_LABEL",
    "REPLACE_KEYS",
    "UPDATE_KEYS",
    "VertexModelDeployment",
    "VertexModelDeploymentArgs",
    "VertexModelDeploymentProvider",
    "traffic_split_after_undeploy",
    "traffic_split_for_new_model",
    "validate_inputs",
]


class VertexModelDeploymentProvider(pulumi.dynamic.ResourceProvider):
    """Dynamic provider behind :class:`VertexModelDeployment` (see the module docstring for the lifecycle).

    Picklable by ``pulumi.dynamic``: it holds nothing but an optional credentials factory; clients are built per
    call inside the provider host.
    """

    def __init__(self, credentials: CredentialsFactory | None = None) -> None:
        """``credentials``: factory returning credentials; ``None`` uses Application Default Credentials.

        The factory is pickled with the provider, so pass a module-level callable (e.g.
        ``google.auth.credentials.AnonymousCredentials`` in tests), never a credentials object.
        """
        super().__init__()
        self.credentials = credentials
        """Credentials factory (``None``: ``google.auth.default()``)."""

    def _api(self, spec: DeploymentSpec) -> VertexApi:
        from .vertex_api import VertexApi

        return VertexApi(
            context=spec.context(),
            api_endpoint=spec.api_endpoint,
            credentials=self.credentials,
            operation_timeout_seconds=spec.operation_timeout_seconds,
            poll_interval_seconds=spec.poll_interval_seconds,
        )

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.CheckResult:
        """Validate the inputs and fill in defaults (numbers normalised to ``int``, metric specs derived)."""
        inputs = canonical_inputs(news)
        if PROVIDER_KEY in news:
            inputs[PROVIDER_KEY] = news[PROVIDER_KEY]
        failures = [pulumi.dynamic.CheckFailure(prop, reason) for prop, reason in validate_inputs(inputs)]
        return pulumi.dynamic.CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.DiffResult:
        """Classify changes: :data:`REPLACE_KEYS` replace (create-before-delete, but delete-before-create on a
        private endpoint), the rest update in place."""
        replaces: list[str] = []
        changed = False
        olds, news = canonical_inputs(olds, state=True), canonical_inputs(news)
        for key in INPUT_KEYS:
            new = news.get(key)
            if is_unknown(new) or normalised(olds.get(key)) != normalised(new):
                changed = True
                if key in REPLACE_KEYS:
                    replaces.append(key)
        # A private endpoint serves one deployed model (facts.PRIVATE_ENDPOINT_ONE_MODEL): delete first.
        first = bool(replaces) and news.get("private_endpoint") is True
        return pulumi.dynamic.DiffResult(changes=changed, replaces=replaces, delete_before_replace=first)

    def create(self, props: dict[str, Any]) -> pulumi.dynamic.CreateResult:
        """Upload and deploy with 100 % of the endpoint's traffic (see :func:`.deployment_lifecycle.create`)."""
        from . import deployment_lifecycle as lifecycle
        from .deployment_spec import DeploymentSpec

        spec = DeploymentSpec.from_props(props)
        id_, outs = lifecycle.create(self._api(spec), spec)
        return pulumi.dynamic.CreateResult(id_, outs)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> pulumi.dynamic.UpdateResult:
        """Mutate replica bounds / autoscaling and update the model's display name / labels in place."""
        from . import deployment_lifecycle as lifecycle
        from .deployment_spec import DeploymentSpec

        old = DeploymentSpec.from_props(olds, strict=False)
        new = DeploymentSpec.from_props(news)
        return pulumi.dynamic.UpdateResult(lifecycle.update(self._api(new), olds, old, new))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Undeploy and delete what this instance owns (see :func:`.deployment_lifecycle.delete`)."""
        from . import deployment_lifecycle as lifecycle
        from .deployment_spec import DeploymentSpec

        spec = DeploymentSpec.from_props(props, strict=False)
        lifecycle.delete(self._api(spec), spec, _id, props)

    def read(self, id_: str, props: dict[str, Any]) -> pulumi.dynamic.ReadResult:
        """Report the live state; an empty id when the deployed model (or its endpoint) is gone."""
        from . import deployment_lifecycle as lifecycle
        from .deployment_spec import DeploymentSpec

        spec = DeploymentSpec.from_props(props, strict=False)
        new_id, outs = lifecycle.read(self._api(spec), spec, id_, props)
        return pulumi.dynamic.ReadResult(new_id, outs)


class VertexModelDeployment(pulumi.dynamic.Resource, module="gcp", name="VertexModelDeployment"):
    """A custom-container model uploaded to Vertex AI and deployed to an existing endpoint.

    Type token ``pulumi-python:dynamic/gcp:VertexModelDeployment``. Changes of the container, machine, service
    account, CMEK key or location replace it without downtime (the new deployment is created and takes the traffic
    before the old one is undeployed and deleted); replica bounds, autoscaling, display name and labels are
    updated in place.
    """

    model: pulumi.Output[str]
    """Model resource name (``projects/NUMBER/locations/REGION/models/ID``)."""
    model_version_id: pulumi.Output[str]
    """Version id of the model."""
    deployed_model_id: pulumi.Output[str]
    """Id of the deployed model on the endpoint."""
    endpoint: pulumi.Output[str]
    """Endpoint *resource name* (``projects/P/locations/R/endpoints/E``), as given."""
    deployment_key: pulumi.Output[str]
    """Hash of the deployed inputs (value of the ``ml_serving_deployment_key`` label on the model)."""
    instance_id: pulumi.Output[str]
    """Id of this resource instance (label ``ml_serving_instance``, deployed model display-name suffix)."""
    private_predict_uri: pulumi.Output[str]
    """``PrivateEndpoints.predict_http_uri`` on a private endpoint, else empty."""

    def __init__(
        self,
        resource_name: str,
        args: VertexModelDeploymentArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        provider: VertexModelDeploymentProvider | None = None,
    ) -> None:
        """Register the deployment; ``provider`` defaults to one using Application Default Credentials."""
        props = args.to_props()
        props.update(dict.fromkeys(COMPUTED_KEYS))
        super().__init__(provider or VertexModelDeploymentProvider(), resource_name, props, opts)


def __getattr__(name: str) -> Any:
    """``DeploymentSpec`` (0.1.0 exported it from here), imported on first use with the aiplatform client."""
    if name == "DeploymentSpec":
        from .deployment_spec import DeploymentSpec

        return DeploymentSpec
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
