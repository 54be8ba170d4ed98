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
from ..config import vertex as vertex_rules
from ..secret_inputs import environment_inputs
from ..tags import gcp_labels
from .identity import DeploymentServiceAccount
from .model_deployment import VertexModelDeployment, VertexModelDeploymentArgs
from .output_bucket import VertexOutputBucket

TYPE_TOKEN = "ml-serving:gcp:VertexDeployment"


def vertex_target(config: DeploymentConfig) -> int | None:
    """The autoscaling target as Vertex takes it (an integer), or None without autoscaling."""
    target = config.scaling.resolved_target
    if not config.scaling.autoscaled or target is None:
        return None
    return max(1, round(target))


def predict_url(region: str, endpoint: str, dedicated_dns: str | None = None) -> str:
    """The HTTPS URL of ``:predict`` on the shared regional host, or on the endpoint's dedicated DNS name."""
    host = dedicated_dns or f"{region}-aiplatform.googleapis.com"
    return f"https://{host}/v1/{endpoint}:predict"


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

    Outputs:
        endpoint (resource name), endpoint_id, model, deployed_model_id, predict_url, service_account,
        machine_type, output_bucket (async only).
    """

    endpoint: pulumi.Output[str]
    endpoint_id: pulumi.Output[str]
    model: pulumi.Output[str]
    deployed_model_id: pulumi.Output[str]
    predict_url: pulumi.Output[str]
    service_account: pulumi.Output[str]
    machine_type: pulumi.Output[str]
    output_bucket: pulumi.Output[str] | None

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
        labels = gcp_labels(pulumi.get_project(), stack, config.name, {**config.tags, **(extra_labels or {})})
        options = config.vertex
        machine = vertex_rules.machine(config)

        grants: list[pulumi.Resource] = []
        if options.service_account:
            service_account: pulumi.Output[str] = pulumi.Output.from_input(options.service_account)
            member = pulumi.Output.from_input(f"serviceAccount:{options.service_account}")
        else:
            identity = DeploymentServiceAccount(
                f"{name}-identity", project, stack, config.name, config.artifacts, labels, opts=child
            )
            service_account, member = identity.email, identity.member
            grants.append(identity)  # deploy only once the account may read its artifacts

        endpoint = gcp.vertex.AiEndpoint(
            f"{name}-endpoint",
            display_name=f"{config.name}-{stack}",
            description=f"ml-serving deployment {config.name} ({stack})",
            location=region,
            region=region,
            project=project,
            labels=labels,
            encryption_spec=gcp.vertex.AiEndpointEncryptionSpecArgs(kms_key_name=options.kms_key)
            if options.kms_key
            else None,
            dedicated_endpoint_enabled=options.dedicated_endpoint or None,
            network=options.private_network,
            opts=child,
        )
        deployment = VertexModelDeployment(
            f"{name}-model",
            VertexModelDeploymentArgs(
                project=project,
                region=region,
                endpoint=endpoint.id,
                display_name=f"{config.name}-{stack}",
                image_uri=config.image,
                artifact_uri=config.artifacts,
                predict_route=options.predict_route,
                health_route=options.health_route,
                port=options.port,
                env=environment_inputs(config),
                labels=labels,
                machine_type=machine.machine_type,
                accelerator_type=machine.accelerator_type,
                accelerator_count=machine.accelerator_count,
                min_replicas=config.scaling.min,
                max_replicas=config.scaling.max,
                metric=config.scaling.metric if config.scaling.autoscaled else None,
                target=vertex_target(config),
                service_account=service_account,
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
                kms_key=options.kms_key,
                opts=child,
            )
            self.output_bucket = bucket.url

        self.endpoint = endpoint.id
        self.endpoint_id = endpoint.name
        self.model = deployment.model
        self.deployed_model_id = deployment.deployed_model_id
        dns = endpoint.dedicated_endpoint_dns if options.dedicated_endpoint else None
        self.predict_url = pulumi.Output.all(endpoint.id, dns).apply(lambda v: predict_url(region, v[0], v[1]))
        self.service_account = service_account
        self.machine_type = pulumi.Output.from_input(machine.machine_type)
        self.register_outputs(self.outputs())

    def outputs(self) -> dict[str, pulumi.Output[Any]]:
        """The component's outputs by name, as exported for the stack."""
        outputs: dict[str, pulumi.Output[Any]] = {
            "cloud": pulumi.Output.from_input("gcp"),
            "endpoint": self.endpoint,
            "endpoint_id": self.endpoint_id,
            "model": self.model,
            "deployed_model_id": self.deployed_model_id,
            "predict_url": self.predict_url,
            "service_account": self.service_account,
            "machine_type": self.machine_type,
        }
        if self.output_bucket is not None:
            outputs["output_bucket"] = self.output_bucket
        return outputs
