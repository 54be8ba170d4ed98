"""The SageMaker models of a deployment as plain ``CreateModel`` data, and what their containers may read.

:func:`deployment_model` and :func:`variant_model` return the containers of a model with the API's field names
(``PrimaryContainer`` or ``Containers`` + ``InferenceExecutionConfig``), contract-tested against botocore's
``sagemaker`` model; :func:`model_args` turns them into ``aws.sagemaker.Model`` arguments.

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

from ..config import DeploymentConfig, SageMakerOptions, VariantSpec
from ..secret_inputs import environment_inputs

MODES = {"serial": "Serial", "direct": "Direct"}


def _container(
    image: str, artifacts: str | None, environment: Mapping[str, Any], hostname: str | None = None
) -> dict[str, Any]:
    container: dict[str, Any] = {}
    if hostname is not None:
        container["ContainerHostname"] = hostname
    container["Image"] = image
    if artifacts is not None:
        container["ModelDataUrl"] = artifacts
    if environment:
        container["Environment"] = dict(environment)
    return container


def _multi_model(container: dict[str, Any], config: DeploymentConfig) -> dict[str, Any]:
    options = config.sagemaker.multi_model
    if options is None:
        return container
    setting = "Enabled" if options.model_cache else "Disabled"
    return {**container, "Mode": "MultiModel", "MultiModelConfig": {"ModelCacheSetting": setting}}


def deployment_model(config: DeploymentConfig) -> dict[str, Any]:
    """The containers of the deployment's own model (served by the primary variant)."""
    options = config.sagemaker
    if not options.containers:
        primary = _container(config.image, config.artifacts, environment_inputs(config))
        return {"PrimaryContainer": _multi_model(primary, config)}
    containers = [_container(config.image, config.artifacts, environment_inputs(config), config.name)]
    containers += [_container(c.image, c.artifacts, c.environment, c.hostname) for c in options.containers]
    return {"Containers": containers, "InferenceExecutionConfig": {"Mode": MODES[options.container_mode]}}


def variant_model(config: DeploymentConfig, variant: VariantSpec) -> dict[str, Any]:
    """The model of a variant that changes the image, artifacts or environment (other keys: the deployment's)."""
    primary = _container(
        variant.image or config.image,
        variant.artifacts or config.artifacts,
        environment_inputs(config) if variant.environment is None else variant.environment,
    )
    return {"PrimaryContainer": _multi_model(primary, config)}


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
    if "PrimaryContainer" in model:
        c = model["PrimaryContainer"]
        cache = c.get("MultiModelConfig")
        return {
            "primary_container": aws.sagemaker.ModelPrimaryContainerArgs(
                image=c["Image"],
                model_data_url=c.get("ModelDataUrl"),
                environment=c.get("Environment"),
                mode=c.get("Mode"),
                multi_model_config=(
                    aws.sagemaker.ModelPrimaryContainerMultiModelConfigArgs(
                        model_cache_setting=cache["ModelCacheSetting"]
                    )
                    if cache
                    else None
                ),
            )
        }
    return {
        "containers": [
            aws.sagemaker.ModelContainerArgs(
                container_hostname=c.get("ContainerHostname"),
                image=c["Image"],
                model_data_url=c.get("ModelDataUrl"),
                environment=c.get("Environment"),
            )
            for c in model["Containers"]
        ],
        "inference_execution_config": aws.sagemaker.ModelInferenceExecutionConfigArgs(
            mode=model["InferenceExecutionConfig"]["Mode"]
        ),
    }


def declare_model(
    resource_name: str,
    model: Mapping[str, Any],
    role_arn: pulumi.Input[str],
    options: SageMakerOptions,
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
