"""`VertexDeployment`: a custom-container model uploaded to Vertex AI and deployed with autoscaling.

Children: a dedicated service account (reads only the artifacts) -> the endpoint (pulumi-gcp
``vertex.AiEndpoint``) -> the model upload and deployment (:class:`VertexModelDeployment`, our resource on the
official aiplatform client, because pulumi-gcp cannot upload or deploy a custom model) -> optionally an output
bucket for asynchronous work. A new image, artifacts or machine replaces the model deployment without downtime:
the new model is deployed beside the old one and takes the traffic before the old one is undeployed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_gcp as gcp

from ..config import DeploymentConfig
from ..facts import gcp as facts
from ..resolve.gcp import ResolvedVertex, resolve_vertex
from ..secret_inputs import environment_inputs
from .identity import DeploymentServiceAccount
from .model_deployment import VertexModelDeployment, VertexModelDeploymentArgs
from .output_bucket import VertexOutputBucket

TYPE_TOKEN = "ml-serving:gcp:VertexDeployment"


def predict_url(region: str, endpoint: str, dedicated_dns: str | None = None) -> str:
    """The HTTPS URL of ``:predict`` on the shared regional host, or on the endpoint's dedicated DNS name."""
    return facts.public_predict_url(region, endpoint, dedicated_dns)


def invoke_url(resolved: ResolvedVertex, values: list[Any]) -> str:
    """Where clients send predictions: on a private endpoint the deployed model's private URI (as Vertex reports
    it, else as the docs spell it), else the public predict URL (dedicated DNS name when enabled).

    ``values``: endpoint name, endpoint id, dedicated DNS name, deployed model id, private predict URI.
    """
    endpoint_name, endpoint_id, dedicated_dns, deployed_model_id, private_uri = values
    if resolved.private_network:
        return str(private_uri or facts.private_predict_url(str(endpoint_id), str(deployed_model_id)))
    return predict_url(resolved.region, str(endpoint_name), dedicated_dns)


class VertexDeployment(pulumi.ComponentResource):
    """A model served by a Vertex AI endpoint, with its service account and autoscaling.

    Args:
        name: component name; children are ``{name}-endpoint``, ``{name}-model``, ``{name}-identity``...
        config: the validated deployment (``cloud: gcp``).
        project: GCP project (``gcp:project``).
        region: Vertex AI region (``gcp:region``).
        extra_labels: labels added to the standard ones.
        api_endpoint: override of the Vertex API host (tests use a local fake server).
        opts: options of the component; children inherit providers through ``parent``.

    Outputs (named like the SageMaker component's):
        endpoint_name (resource name ``projects/P/locations/R/endpoints/ID``), endpoint_id (``ID``), invoke_url
        (where to send predictions), model, deployed_model_id, service_account, machine_type, output_bucket
        (async only); deprecated until the next MAJOR version: endpoint (= endpoint_name), predict_url
        (= invoke_url).
    """

    endpoint_name: pulumi.Output[str]
    """Endpoint resource name ``projects/P/locations/R/endpoints/ID``."""
    endpoint: pulumi.Output[str]
    """Deprecated alias of :attr:`endpoint_name` (0.1.0 output name)."""
    endpoint_id: pulumi.Output[str]
    """Endpoint id (last segment of the resource name)."""
    model: pulumi.Output[str]
    """Model resource name."""
    deployed_model_id: pulumi.Output[str]
    """Deployed model id on the endpoint."""
    invoke_url: pulumi.Output[str]
    """Where clients send predictions (public, dedicated or private URL)."""
    predict_url: pulumi.Output[str]
    """Deprecated alias of :attr:`invoke_url` (0.1.0 output name)."""
    service_account: pulumi.Output[str]
    """Service account the model runs as."""
    machine_type: pulumi.Output[str]
    """Machine of each replica."""
    output_bucket: pulumi.Output[str] | None
    """``gs://`` URL of the output bucket (async only)."""

    def __init__(
        self,
        name: str,
        config: DeploymentConfig,
        project: str | None,
        region: str | None,
        extra_labels: Mapping[str, str] | None = None,
        api_endpoint: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(TYPE_TOKEN, name, None, opts)
        if config.cloud != "gcp":
            raise ValueError(f"deployment {config.name} is for cloud {config.cloud}; use the component of that cloud")
        if not project or not region:
            raise ValueError(f"deployment {config.name} needs gcp:project and gcp:region")
        child = pulumi.ResourceOptions(parent=self)
        stack = pulumi.get_stack()
        logical = f"{name}-endpoint"
        problem = facts.endpoint_autoname_problem(logical)
        if problem:
            raise ValueError(f"VertexDeployment '{name}': {problem}; name the component with a lowercase slug")
        resolved = resolve_vertex(
            config,
            project=project,
            region=region,
            stack=stack,
            project_name=pulumi.get_project(),
            extra_labels=extra_labels,
        )
        labels = dict(resolved.labels)

        grants: list[pulumi.Resource] = []
        if resolved.service_account:
            service_account: pulumi.Output[str] = pulumi.Output.from_input(resolved.service_account)
            member = pulumi.Output.from_input(f"serviceAccount:{resolved.service_account}")
        else:
            identity = DeploymentServiceAccount(
                f"{name}-identity", project, stack, config.name, config.artifacts, labels, opts=child
            )
            service_account, member = identity.email, identity.member
            grants.append(identity)  # deploy only once the account may read its artifacts

        # The endpoint id is Pulumi's auto-name ``{logical}-{7 hex}`` (checked above against the API rule); setting
        # ``name`` now would replace existing endpoints and change their URL.
        endpoint = gcp.vertex.AiEndpoint(
            logical,
            display_name=resolved.display_name,
            description=f"ml-serving deployment {config.name} ({stack})",
            location=region,
            region=region,
            project=project,
            labels=labels,
            encryption_spec=gcp.vertex.AiEndpointEncryptionSpecArgs(kms_key_name=resolved.kms_key)
            if resolved.kms_key
            else None,
            dedicated_endpoint_enabled=resolved.dedicated_endpoint or None,
            network=resolved.private_network,
            opts=child,
        )
        deployment = VertexModelDeployment(
            f"{name}-model",
            VertexModelDeploymentArgs(
                project=project,
                region=region,
                endpoint=endpoint.id,
                display_name=resolved.display_name,
                image_uri=resolved.image,
                artifact_uri=resolved.artifact_uri,
                predict_route=resolved.predict_route,
                health_route=resolved.health_route,
                port=resolved.port,
                env=environment_inputs(config, resolved.env),
                labels=labels,
                machine_type=resolved.machine_type,
                accelerator_type=resolved.accelerator_type,
                accelerator_count=resolved.accelerator_count,
                min_replicas=resolved.min_replicas,
                max_replicas=resolved.max_replicas,
                metric=resolved.metric,
                target=resolved.target,
                autoscaling_metric_specs=resolved.metric_spec_inputs,
                service_account=service_account,
                kms_key_name=resolved.kms_key,
                private_endpoint=True if resolved.private_network else None,
                api_endpoint=api_endpoint,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=grants),
        )
        self.output_bucket = None
        if config.async_inference is not None:
            bucket = VertexOutputBucket(
                f"{name}-output",
                project,
                region,
                config.async_inference,
                writer_member=member,
                labels=labels,
                kms_key=resolved.kms_key,
                opts=child,
            )
            self.output_bucket = bucket.url

        self.endpoint_name = endpoint.id
        self.endpoint = self.endpoint_name
        self.endpoint_id = endpoint.name
        self.model = deployment.model
        self.deployed_model_id = deployment.deployed_model_id
        dns = endpoint.dedicated_endpoint_dns if resolved.dedicated_endpoint else None
        self.invoke_url = pulumi.Output.all(
            endpoint.id, endpoint.name, dns, deployment.deployed_model_id, deployment.private_predict_uri
        ).apply(lambda values: invoke_url(resolved, values))
        self.predict_url = self.invoke_url
        self.service_account = service_account
        self.machine_type = pulumi.Output.from_input(resolved.machine_type)
        self.register_outputs(self.outputs())

    def outputs(self) -> dict[str, pulumi.Output[Any]]:
        """The component's outputs by name, as exported for the stack."""
        outputs: dict[str, pulumi.Output[Any]] = {
            "cloud": pulumi.Output.from_input("gcp"),
            "endpoint_name": self.endpoint_name,
            "endpoint_id": self.endpoint_id,
            "invoke_url": self.invoke_url,
            "model": self.model,
            "deployed_model_id": self.deployed_model_id,
            "endpoint": self.endpoint,  # deprecated: same as endpoint_name, removed in the next MAJOR version
            "predict_url": self.predict_url,  # deprecated: same as invoke_url, removed in the next MAJOR version
            "service_account": self.service_account,
            "machine_type": self.machine_type,
        }
        if self.output_bucket is not None:
            outputs["output_bucket"] = self.output_bucket
        return outputs
