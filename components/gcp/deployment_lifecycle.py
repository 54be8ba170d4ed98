"""What the Vertex model deployment provider does on create, update, delete and read (the API call sequences).

Ownership rule: a resource instance adopts, mutates, undeploys or deletes only the models labelled with its
instance id (:data:`INSTANCE_LABEL`) and the deployed models whose display name ends with ``-{instance id}``. State
written by 0.1.0 has no instance id: there the model and deployed model ids stored in the state are the
ownership, and a model still deployed elsewhere is never deleted.

Create: upload (labelled ``pending``) -> deploy with 100 % of the traffic -> label the model ``live``. A create that
failed leaves no state in Pulumi, so the next create resumes a ``pending`` model with the same inputs (same
deployment key): the only case where a model is reused. A deploy that fails removes the model it uploaded; orphans
of earlier failed creates of the same deployment (``pending``, deployed nowhere) are deleted by the next create.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from google.cloud import aiplatform_v1

from ..facts import gcp as facts
from ..tags import label_value
from .deployment_args import COMPUTED_KEYS, DEPLOYMENT_KEY_LABEL, INSTANCE_LABEL, NAME_LABEL, PROVIDER_KEY, STATE_LABEL
from .deployment_spec import DeploymentSpec, new_instance_id
from .reading import accelerator_name, metric_from_specs
from .traffic import traffic_split_after_undeploy, traffic_split_for_new_model
from .vertex_api import UploadedModel, VertexApi, VertexApiError, resource_id


def owns_deployed(deployed: aiplatform_v1.DeployedModel, instance_id: str | None, model: str | None) -> bool:
    """Whether ``deployed`` belongs to the instance (by display-name suffix; 0.1.0 state: by its model id)."""
    if instance_id:
        return str(deployed.display_name).endswith(f"-{instance_id}")
    return model is not None and resource_id(str(deployed.model)) == resource_id(model)


def find_deployed(
    endpoint: aiplatform_v1.Endpoint, *, deployed_model_id: str | None = None, instance_id: str | None = None
) -> aiplatform_v1.DeployedModel | None:
    """The deployed model with that id, or the one owned by ``instance_id``."""
    for deployed in endpoint.deployed_models:
        if deployed_model_id is not None and deployed.id == deployed_model_id:
            return deployed
        if instance_id is not None and str(deployed.display_name).endswith(f"-{instance_id}"):
            return deployed
    return None


def require_endpoint(api: VertexApi, spec: DeploymentSpec) -> aiplatform_v1.Endpoint:
    """The endpoint, or an error saying to create it first."""
    endpoint = api.get_endpoint(spec.endpoint)
    if endpoint is None:
        raise VertexApiError(
            f"Vertex AI deployment '{spec.display_name}': endpoint {spec.endpoint} does not exist in "
            f"project {spec.project}, region {spec.region}. Create it first (vertex.AiEndpoint) and pass "
            "its id as `endpoint`.",
            deployment=spec.display_name,
            action=f"reading endpoint {spec.endpoint}",
            reason="not_found",
        )
    return endpoint


def _private_predict_uri(deployed: aiplatform_v1.DeployedModel) -> str:
    return str(deployed.private_endpoints.predict_http_uri or "")


def _outputs(spec: DeploymentSpec, model: str, version: str, deployed: aiplatform_v1.DeployedModel, key: str,
             instance_id: str) -> dict[str, Any]:  # fmt: skip
    return {
        **spec.to_props(),
        "model": model,
        "model_version_id": str(deployed.model_version_id or version),
        "deployed_model_id": str(deployed.id),
        "deployment_key": key,
        "instance_id": instance_id,
        "private_predict_uri": _private_predict_uri(deployed),
    }


def _sweep_orphans(api: VertexApi, spec: DeploymentSpec, keep: str) -> None:
    """Delete the models of earlier failed creates of this deployment: ``pending``, deployed nowhere, not ``keep``.

    This includes a duplicate upload of this very create (an upload whose answer was lost while its operation was
    still running, so the retry did not see it and uploaded again).
    """
    for model in api.find_models_by_label(NAME_LABEL, label_value(spec.display_name)):
        labels = dict(model.labels)
        if labels.get(STATE_LABEL) == "pending" and str(model.name) != keep and not model.deployed_models:
            with contextlib.suppress(VertexApiError):  # best effort: the next create tries again
                api.delete_model(str(model.name))


def create(api: VertexApi, spec: DeploymentSpec) -> tuple[str, dict[str, Any]]:
    """Upload (or resume a pending upload of the same inputs), deploy with all traffic, mark live."""
    key = spec.deployment_key()
    endpoint = require_endpoint(api, spec)
    pending = [
        m
        for m in api.find_models_by_label(DEPLOYMENT_KEY_LABEL, key)
        if m.labels.get(STATE_LABEL) == "pending" and m.labels.get(INSTANCE_LABEL)
    ]
    uploaded_here = False
    if pending:
        instance_id = str(pending[0].labels[INSTANCE_LABEL])
        model, version = str(pending[0].name), str(pending[0].version_id)
    else:
        instance_id = new_instance_id()

        def took_effect() -> UploadedModel | None:
            found = api.find_models_by_label(INSTANCE_LABEL, instance_id)
            return UploadedModel(str(found[0].name), str(found[0].version_id)) if found else None

        model, version = api.upload_model(spec.model(key, instance_id), took_effect=took_effect)
        uploaded_here = True
        endpoint = require_endpoint(api, spec)  # an upload takes minutes: the split must name today's models
    deployed = find_deployed(endpoint, instance_id=instance_id)
    if deployed is None:

        def deployed_by_first_attempt() -> aiplatform_v1.DeployedModel | None:
            current = api.get_endpoint(spec.endpoint)
            return find_deployed(current, instance_id=instance_id) if current is not None else None

        try:
            deployed = api.deploy_model(
                spec.endpoint,
                spec.deployed_model(model, instance_id),
                traffic_split_for_new_model(str(d.id) for d in endpoint.deployed_models),
                took_effect=deployed_by_first_attempt,
            )
        except VertexApiError as err:
            raise _after_failed_deploy(api, spec, err, model, key, uploaded_here) from err.__cause__
    api.update_model(aiplatform_v1.Model(name=model, labels=spec.model_labels(key, instance_id, "live")), ["labels"])
    _sweep_orphans(api, spec, keep=model)
    return f"{spec.endpoint}/deployedModels/{deployed.id}", _outputs(spec, model, version, deployed, key, instance_id)


def _after_failed_deploy(
    api: VertexApi, spec: DeploymentSpec, err: VertexApiError, model: str, key: str, uploaded_here: bool
) -> VertexApiError:
    """Remove the model this attempt uploaded (no orphan); if that fails too, say it stays for an identical retry."""
    maybe_running = err.reason in ("timeout", "unavailable")  # the deploy may still finish on Vertex
    current = api.get_model(model) if uploaded_here and not maybe_running else None
    if current is not None and not current.deployed_models:
        try:
            api.delete_model(model)
            return err.with_note(f"The model {model} uploaded for this deploy was deleted again.")
        except VertexApiError:
            pass
    return err.with_note(
        f"The uploaded model {model} (label {DEPLOYMENT_KEY_LABEL}={key}) is kept: re-running `pulumi up` with "
        "the same inputs resumes at the deploy step; with other inputs it is deleted."
    )


def update(api: VertexApi, olds: Mapping[str, Any], old: DeploymentSpec, new: DeploymentSpec) -> dict[str, Any]:
    """Mutate replica bounds / autoscaling specs and update the model's display name / labels in place."""
    key = str(olds.get("deployment_key") or old.deployment_key())
    instance_id = str(olds.get("instance_id") or "")
    model = str(olds["model"])
    deployed_model_id = str(olds["deployed_model_id"])
    paths: list[str] = []
    if old.min_replicas != new.min_replicas:
        paths.append("dedicated_resources.min_replica_count")
    if old.max_replicas != new.max_replicas:
        paths.append("dedicated_resources.max_replica_count")
    if old.autoscaling_metric_specs != new.autoscaling_metric_specs:
        paths.append("dedicated_resources.autoscaling_metric_specs")
    if paths:
        resources = aiplatform_v1.DedicatedResources(
            min_replica_count=new.min_replicas,
            max_replica_count=new.max_replicas,
            autoscaling_metric_specs=new.metric_spec_messages(),
        )
        api.mutate_deployed_model(
            new.endpoint, aiplatform_v1.DeployedModel(id=deployed_model_id, dedicated_resources=resources), paths
        )
    changed = [
        p
        for p, c in (("display_name", old.display_name != new.display_name), ("labels", old.labels != new.labels))
        if c
    ]
    if changed:
        labels = (
            new.model_labels(key, instance_id, "live") if instance_id else {**new.labels, DEPLOYMENT_KEY_LABEL: key}
        )
        api.update_model(aiplatform_v1.Model(name=model, display_name=new.display_name, labels=labels), changed)
    outs = {key_: olds.get(key_) for key_ in COMPUTED_KEYS if key_ in olds}
    outs.update(new.to_props())
    outs.setdefault("private_predict_uri", "")
    return outs


def delete(api: VertexApi, spec: DeploymentSpec, id_: str, props: Mapping[str, Any]) -> None:
    """Undeploy (handing its traffic to the other deployed models) and delete the model, if this instance owns them.

    Run after the replacement was created, so the endpoint keeps serving. Already-gone resources are not errors;
    a deployed model or model owned by another instance is left alone.
    """
    instance_id = str(props.get("instance_id") or "") or None
    model = str(props.get("model") or "") or None
    deployed_model_id = str(props.get("deployed_model_id") or id_.rsplit("/", 1)[-1])
    endpoint = api.get_endpoint(spec.endpoint)
    deployed = find_deployed(endpoint, deployed_model_id=deployed_model_id) if endpoint is not None else None
    if endpoint is not None and deployed is not None and owns_deployed(deployed, instance_id, model):
        remaining = [str(d.id) for d in endpoint.deployed_models if d.id != deployed_model_id]
        split = traffic_split_after_undeploy(dict(endpoint.traffic_split), deployed_model_id, remaining)
        api.undeploy_model(spec.endpoint, deployed_model_id, split)
    if model is None:
        return
    current = api.get_model(model)
    if current is None:
        return
    owner = current.labels.get(INSTANCE_LABEL)
    if (instance_id and owner != instance_id) or (not instance_id and owner):
        return  # another instance's model (0.1.0 state never owned a model carrying an instance id)
    if current.deployed_models:
        return  # still deployed elsewhere (a 0.1.0 collision): deleting would take a serving model down
    api.delete_model(model)


def read(api: VertexApi, spec: DeploymentSpec, id_: str, props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """Report the live state; an empty id when the owned deployed model (or its endpoint) is gone."""
    instance_id = str(props.get("instance_id") or "") or None
    deployed_model_id = str(props.get("deployed_model_id") or id_.rsplit("/", 1)[-1])
    endpoint = api.get_endpoint(spec.endpoint)
    deployed = find_deployed(endpoint, deployed_model_id=deployed_model_id) if endpoint is not None else None
    if deployed is not None and not owns_deployed(deployed, instance_id, str(props.get("model") or deployed.model)):
        deployed = None
    model = api.get_model(str(props.get("model") or deployed.model)) if deployed is not None else None
    if deployed is None or model is None:
        return "", {}
    resources = deployed.dedicated_resources
    container = model.container_spec
    metric, target = metric_from_specs(list(resources.autoscaling_metric_specs), props)
    accelerator = accelerator_name(resources.machine_spec)
    outs = {key: value for key, value in props.items() if key != PROVIDER_KEY}
    outs.update(
        display_name=model.display_name,
        labels={k: v for k, v in model.labels.items() if not k.startswith("ml_serving_")},
        image_uri=container.image_uri,
        artifact_uri=model.artifact_uri or None,
        predict_route=container.predict_route,
        health_route=container.health_route,
        port=int(container.ports[0].container_port) if container.ports else facts.DEFAULT_PORT,
        env={e.name: e.value for e in container.env},
        machine_type=resources.machine_spec.machine_type,
        accelerator_type=accelerator,
        accelerator_count=int(resources.machine_spec.accelerator_count) if accelerator else 0,
        min_replicas=int(resources.min_replica_count),
        max_replicas=int(resources.max_replica_count) or int(resources.min_replica_count),
        metric=metric,
        target=target,
        autoscaling_metric_specs=[
            {"metric_name": s.metric_name, "target": int(s.target) or facts.DEFAULT_METRIC_TARGET}
            for s in resources.autoscaling_metric_specs
        ],
        service_account=deployed.service_account or None,
        kms_key_name=model.encryption_spec.kms_key_name or None,
        model=str(props.get("model") or deployed.model),
        model_version_id=str(deployed.model_version_id or model.version_id),
        deployed_model_id=str(deployed.id),
        deployment_key=model.labels.get(DEPLOYMENT_KEY_LABEL, props.get("deployment_key")),
        private_predict_uri=_private_predict_uri(deployed),
    )
    if instance_id:
        outs["instance_id"] = instance_id
    return id_, outs
