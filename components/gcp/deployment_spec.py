"""``DeploymentSpec``: the plain values of one Vertex model deployment and the aiplatform messages built from them.

Ownership: every model a resource instance uploads carries :data:`INSTANCE_LABEL` = its instance id, and the
deployed model's display name ends with ``-{instance id}``; the provider adopts, undeploys or deletes only what
carries its own id. Model labels belong to one model *version* in the Model Registry, so when a later release
uploads several versions of one Registry model (``UploadModelRequest.parent_model``) each version still names the
instance that owns it, and the parent model goes only with its last version.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from google.cloud import aiplatform_v1

from ..facts import gcp as facts
from ..tags import label_value
from .deployment_args import (
    DEPLOYMENT_KEY_LABEL,
    INSTANCE_LABEL,
    NAME_LABEL,
    REPLACE_KEYS,
    STATE_LABEL,
    as_int,
    canonical_inputs,
    opt_str,
    specs_of,
    str_map,
)
from .deployment_checks import validate_inputs
from .vertex_api import DeploymentContext

_HASHED_KEYS = tuple(k for k in REPLACE_KEYS if k != "kms_key_name")  # 0.1.0's key: the same hash for old models


def new_instance_id() -> str:
    """A fresh resource-instance id: 16 lowercase hex characters (a valid label value)."""
    return secrets.token_hex(8)


@dataclass(frozen=True)
class DeploymentSpec:
    """The resolved inputs of one deployment (plain values, defaults applied, numbers as ``int``)."""

    project: str
    """Project id."""
    region: str
    """Vertex AI region."""
    endpoint: str
    """Full endpoint resource name."""
    display_name: str
    """Display name of the model."""
    image_uri: str
    """Serving container image."""
    machine_type: str
    """Machine type of each replica."""
    artifact_uri: str | None
    """``gs://`` artifact directory or ``None``."""
    predict_route: str
    """Prediction HTTP path."""
    health_route: str
    """Health check HTTP path."""
    port: int
    """Container port."""
    env: dict[str, str]
    """Container environment."""
    labels: dict[str, str]
    """User labels of the model (without the provider's labels)."""
    accelerator_type: str | None
    """Accelerator enum name or ``None``."""
    accelerator_count: int
    """Accelerators per replica (0 without accelerator)."""
    min_replicas: int
    """Minimum replicas."""
    max_replicas: int
    """Maximum replicas."""
    metric: str | None
    """Neutral autoscaling metric or ``None``."""
    target: int | None
    """Target of ``metric`` or ``None``."""
    autoscaling_metric_specs: list[dict[str, Any]]
    """Metric specs sent, ``[{"metric_name", "target"}]``."""
    service_account: str | None
    """Service account e-mail or ``None``."""
    kms_key_name: str | None
    """CMEK key of the model or ``None``."""
    private_endpoint: bool | None
    """Whether the endpoint is private (``None``: not said, public)."""
    api_endpoint: str | None
    """API endpoint override or ``None``."""
    operation_timeout_seconds: float
    """Operation (and retry) timeout."""
    poll_interval_seconds: float
    """First operation poll interval."""

    @classmethod
    def from_props(cls, props: Mapping[str, Any], *, strict: bool = True) -> DeploymentSpec:
        """Resolve a property dict: new inputs (``strict``: invalid ones raise ``ValueError``) or prior state.

        Only copies and converts: every default (of a direct user's omitted input, or of a key a 0.1.0 state lacks)
        is applied once, by :func:`components.gcp.deployment_args.canonical_inputs`; the component sends every
        value resolved by :func:`components.resolve.gcp.resolve_vertex`, so none of those defaults applies to it.
        """
        failures = validate_inputs(props) if strict else []
        if failures:
            raise ValueError("invalid VertexModelDeployment inputs: " + "; ".join(r for _, r in failures))
        inputs = canonical_inputs(props, state=not strict)
        get = inputs.__getitem__
        accelerator = opt_str(inputs.get("accelerator_type"))
        metric = opt_str(inputs.get("metric"))
        target = inputs.get("target")
        return cls(
            project=str(inputs["project"]),
            region=str(inputs["region"]),
            endpoint=str(inputs["endpoint"]),
            display_name=str(inputs["display_name"]),
            image_uri=str(inputs["image_uri"]),
            machine_type=str(get("machine_type")),
            artifact_uri=opt_str(inputs.get("artifact_uri")),
            predict_route=str(get("predict_route")),
            health_route=str(get("health_route")),
            port=as_int(get("port"), "port"),
            env=str_map(inputs.get("env"), "env"),
            labels=str_map(inputs.get("labels"), "labels"),
            accelerator_type=accelerator,
            accelerator_count=as_int(get("accelerator_count"), "accelerator_count") if accelerator else 0,
            min_replicas=as_int(get("min_replicas"), "min_replicas"),
            max_replicas=as_int(get("max_replicas"), "max_replicas"),
            metric=metric,
            target=as_int(target, "target") if metric else None,
            autoscaling_metric_specs=specs_of(inputs.get("autoscaling_metric_specs")),
            service_account=opt_str(inputs.get("service_account")),
            kms_key_name=opt_str(inputs.get("kms_key_name")),
            private_endpoint=True if inputs.get("private_endpoint") is True else None,
            api_endpoint=opt_str(inputs.get("api_endpoint")),
            operation_timeout_seconds=float(get("operation_timeout_seconds")),
            poll_interval_seconds=float(get("poll_interval_seconds")),
        )

    def to_props(self) -> dict[str, Any]:
        """Return the inputs as a property dict (the ``inputs`` part of the outputs)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def deployment_key(self) -> str:
        """A hash of the replace-triggering inputs and the display name (label :data:`DEPLOYMENT_KEY_LABEL`).

        It identifies *what* is deployed, not *which resource* deployed it: two resource instances with the same
        inputs (a revert while the old one is still pending deletion) have the same key. Only a model still
        ``pending`` (its create failed before finishing) is ever reused by key; ownership is the instance id.
        The CMEK key joins the hash only when set, so models uploaded by 0.1.0 keep their key.
        """
        identity: dict[str, Any] = {key: getattr(self, key) for key in (*_HASHED_KEYS, "display_name")}
        if self.kms_key_name:
            identity["kms_key_name"] = self.kms_key_name
        text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:40]

    def context(self) -> DeploymentContext:
        """What error messages say about this deployment."""
        return DeploymentContext(
            display_name=self.display_name,
            project=self.project,
            region=self.region,
            endpoint=self.endpoint,
            image_uri=self.image_uri,
            machine_type=self.machine_type,
            accelerator_type=self.accelerator_type,
            accelerator_count=self.accelerator_count,
            max_replicas=self.max_replicas,
            service_account=self.service_account,
            kms_key_name=self.kms_key_name,
        )

    def model_labels(self, key: str, instance_id: str, state: str) -> dict[str, str]:
        """User labels plus the provider's ownership labels."""
        return {
            **self.labels,
            DEPLOYMENT_KEY_LABEL: key,
            INSTANCE_LABEL: instance_id,
            STATE_LABEL: state,
            NAME_LABEL: label_value(self.display_name),
        }

    def model(self, key: str, instance_id: str) -> aiplatform_v1.Model:
        """The ``Model`` to upload, labelled as owned by ``instance_id`` and ``pending``."""
        model = aiplatform_v1.Model(
            display_name=self.display_name,
            artifact_uri=self.artifact_uri or "",
            labels=self.model_labels(key, instance_id, "pending"),
            container_spec=aiplatform_v1.ModelContainerSpec(
                image_uri=self.image_uri,
                predict_route=self.predict_route,
                health_route=self.health_route,
                ports=[aiplatform_v1.Port(container_port=self.port)],
                env=[aiplatform_v1.EnvVar(name=k, value=v) for k, v in sorted(self.env.items())],
            ),
        )
        if self.kms_key_name:
            model.encryption_spec = aiplatform_v1.EncryptionSpec(kms_key_name=self.kms_key_name)
        return model

    def metric_spec_messages(self) -> list[aiplatform_v1.AutoscalingMetricSpec]:
        """The autoscaling metric specs, as sent."""
        return [
            aiplatform_v1.AutoscalingMetricSpec(metric_name=spec["metric_name"], target=spec["target"])
            for spec in self.autoscaling_metric_specs
        ]

    def dedicated_resources(self) -> aiplatform_v1.DedicatedResources:
        """Machine, replica bounds and autoscaling of the deployed model."""
        machine = aiplatform_v1.MachineSpec(machine_type=self.machine_type)
        if self.accelerator_type:
            machine.accelerator_type = aiplatform_v1.AcceleratorType.__members__[self.accelerator_type]
            machine.accelerator_count = self.accelerator_count
        return aiplatform_v1.DedicatedResources(
            machine_spec=machine,
            min_replica_count=self.min_replicas,
            max_replica_count=self.max_replicas,
            autoscaling_metric_specs=self.metric_spec_messages(),
        )

    def deployed_display_name(self, instance_id: str) -> str:
        """``{display_name}-{instance_id}``, cut to the 128 characters Vertex allows."""
        suffix = f"-{instance_id}"
        return self.display_name[: facts.DISPLAY_NAME_MAX - len(suffix)] + suffix

    def deployed_model(self, model: str, instance_id: str) -> aiplatform_v1.DeployedModel:
        """The ``DeployedModel`` to create for ``model``."""
        return aiplatform_v1.DeployedModel(
            model=model,
            display_name=self.deployed_display_name(instance_id),
            dedicated_resources=self.dedicated_resources(),
            service_account=self.service_account or "",
        )
