"""The SageMaker models of a deployment as plain ``CreateModel`` data, and what their containers may read.

:func:`model_request` renders a resolved model (:class:`~components.resolve.aws.ResolvedModel`) as the containers
of a ``CreateModel`` request with the API's field names (``PrimaryContainer`` or ``Containers`` +
``InferenceExecutionConfig``), contract-tested against botocore's ``sagemaker`` model; :func:`model_args` turns them
into ``aws.sagemaker.Model`` arguments. :func:`deployment_model` / :func:`variant_model` resolve then render.

* one model: ``PrimaryContainer`` with the image, the ``model.tar.gz`` and the environment;
* multi-model: ``PrimaryContainer`` with ``Mode: MultiModel``, the S3 prefix as ``ModelDataUrl`` and
  ``MultiModelConfig.ModelCacheSetting``;
* multi-container: ``Containers`` (the deployment's own first, host name = deployment name) and
  ``InferenceExecutionConfig.Mode`` ``Serial`` or ``Direct``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from ..config import DeploymentConfig, VariantSpec
from ..resolve.aws import ResolvedContainer, ResolvedModel, ResolvedSageMaker, resolve_models
from ..secret_inputs import secret_wrapped
from .provider_inputs import provider_inputs

MODES = {"serial": "Serial", "direct": "Direct"}


def _container(container: ResolvedContainer, multi_model_cache: bool | None = None) -> dict[str, Any]:
    rendered: dict[str, Any] = {}
    if container.hostname is not None:
        rendered["ContainerHostname"] = container.hostname
    rendered["Image"] = container.image
    if container.artifacts is not None:
        rendered["ModelDataUrl"] = container.artifacts
    if container.environment:
        rendered["Environment"] = secret_wrapped(container.environment, container.secret_names)
    if multi_model_cache is not None:
        setting = "Enabled" if multi_model_cache else "Disabled"
        rendered["Mode"] = "MultiModel"
        rendered["MultiModelConfig"] = {"ModelCacheSetting": setting}
    return rendered


def model_request(model: ResolvedModel) -> dict[str, Any]:
    """The containers of a ``CreateModel`` request (API names) for a resolved model."""
    if model.container_mode is None:
        (container,) = model.containers
        return {"PrimaryContainer": _container(container, model.multi_model_cache)}
    return {
        "Containers": [_container(container) for container in model.containers],
        "InferenceExecutionConfig": {"Mode": MODES[model.container_mode]},
    }


def deployment_model(config: DeploymentConfig) -> dict[str, Any]:
    """The containers of the deployment's own model (served by the primary variant)."""
    return model_request(resolve_models(config)[0])


def variant_model(config: DeploymentConfig, variant: VariantSpec) -> dict[str, Any]:
    """The model of a variant that changes the image, artifacts or environment (other keys: the deployment's)."""
    (model,) = [m for m in resolve_models(config) if m.key == variant.name]
    return model_request(model)


@dataclass(frozen=True)
class ReadGrants:
    """What the models' containers load: images, single archives, and prefixes of multi-model containers."""

    images: tuple[str, ...]
    objects: tuple[str, ...]
    prefixes: tuple[str, ...]


def read_grants(models: Iterable[Mapping[str, Any]]) -> ReadGrants:
    """Images and S3 locations that the execution role must be able to read, over all models."""
    images: set[str] = set()
    objects: set[str] = set()
    prefixes: set[str] = set()
    for model in models:
        containers = model.get("Containers") or [model["PrimaryContainer"]]
        for container in containers:
            images.add(container["Image"])
            url = container.get("ModelDataUrl")
            if url is None:
                continue
            (prefixes if container.get("Mode") == "MultiModel" else objects).add(url)
    return ReadGrants(tuple(sorted(images)), tuple(sorted(objects)), tuple(sorted(prefixes)))


def model_args(model: Mapping[str, Any]) -> dict[str, Any]:
    """``aws.sagemaker.Model`` keyword arguments for the containers of ``model`` (API names)."""
    return provider_inputs(model)


def declare_model(
    resource_name: str,
    model: Mapping[str, Any],
    role_arn: pulumi.Input[str],
    options: ResolvedSageMaker,
    tags: Mapping[str, str],
    opts: pulumi.ResourceOptions,
) -> aws.sagemaker.Model:
    """An auto-named ``aws.sagemaker.Model`` with the containers of ``model`` and the deployment's network options."""
    return aws.sagemaker.Model(
        resource_name,
        execution_role_arn=role_arn,
        **model_args(model),
        enable_network_isolation=options.network_isolation,
        vpc_config=(
            aws.sagemaker.ModelVpcConfigArgs(
                subnets=list(options.vpc.subnet_ids),
                security_group_ids=list(options.vpc.security_group_ids),
            )
            if options.vpc
            else None
        ),
        tags=dict(tags),
        opts=opts,
    )
