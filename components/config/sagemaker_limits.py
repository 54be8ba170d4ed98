"""What SageMaker and Application Auto Scaling would refuse at deploy time, refused here with the key and the fix.

Each rule reads its fact from :mod:`components.facts.aws`:

* a KMS key on the endpoint configuration of an instance type with local NVMe storage (CreateEndpointConfig fails;
  the storage is encrypted by the instance's hardware);
* auto-names longer than SageMaker's 63 characters;
* scheduled actions outside the variant's ``scaling.min`` / ``max``;
* images and KMS keys in another region than ``aws:region`` (:func:`region_problems`, run on the whole stack).

Environment and tag limits are checked on the deployment (:mod:`components.config.deployment`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..facts import aws as facts
from .problems import Problem

if TYPE_CHECKING:
    from .deployment import DeploymentConfig
    from .scaling import ScalingConfig


def instance_types(deployment: DeploymentConfig, primary: str) -> list[tuple[str, str]]:
    """``(key path, instance type)`` of every variant of the endpoint configuration, the primary first."""
    options = deployment.sagemaker
    found = [("instance_type", primary)]
    others = [(f"sagemaker.variants[{i}]", v) for i, v in enumerate(options.variants)]
    if options.shadow is not None:
        others.append(("sagemaker.shadow", options.shadow))
    found += [(f"{path}.instance_type", v.instance_type or primary) for path, v in others]
    return found


def kms_problems(deployment: DeploymentConfig, primary: str) -> list[Problem]:
    """``sagemaker.kms_key`` with an instance type whose local NVMe storage SageMaker refuses to encrypt with it."""
    if deployment.sagemaker.kms_key is None:
        return []
    local = sorted({t for _, t in instance_types(deployment, primary) if facts.has_local_nvme(t)})
    if not local:
        return []
    keep = (
        "; async.kms_key still encrypts the outputs"
        if deployment.async_inference is not None
        else "; set async.kms_key on async deployments to encrypt their outputs"
    )
    return [
        Problem(
            "sagemaker.kms_key",
            f"SageMaker refuses a KMS key on endpoint configurations of instance types with local NVMe storage "
            f"({', '.join(local)}): CreateEndpointConfig would fail. Their instance storage is encrypted by the "
            "instance's hardware",
            "remove sagemaker.kms_key from this deployment (also when it comes from ml-serving:defaults.sagemaker: "
            f"move it to the deployments on EBS-backed instance types such as ml.c5 or ml.m5){keep}",
        )
    ]


def auto_name_problems(deployment: DeploymentConfig) -> list[Problem]:
    """Auto-named SageMaker models of variants with a model of their own: ``{deployment}-{variant}-model-XXXXXXX``."""
    options = deployment.sagemaker
    problems: list[Problem] = []
    others = [(f"sagemaker.variants[{i}]", v) for i, v in enumerate(options.variants)]
    if options.shadow is not None:
        others.append(("sagemaker.shadow", options.shadow))
    for path, variant in others:
        if not variant.own_model:
            continue
        length = len(f"{deployment.name}-{variant.name}-model") + facts.AUTO_NAME_SUFFIX
        if length > facts.SAGEMAKER_NAME_MAX:
            room = facts.SAGEMAKER_NAME_MAX - facts.AUTO_NAME_SUFFIX - len(f"{deployment.name}--model")
            problems.append(
                Problem(
                    f"{path}.name",
                    f"the variant's model would be auto-named '{deployment.name}-{variant.name}-model-' plus 7 "
                    f"characters, {length} in all; SageMaker model names have at most {facts.SAGEMAKER_NAME_MAX}",
                    f"shorten the variant name to at most {room} characters (or the deployment name)",
                )
            )
    return problems


def schedule_problems(path: str, scaling: ScalingConfig, realtime: bool) -> list[Problem]:
    """Scheduled bounds outside ``scaling.min`` / ``max`` (paths under ``path``, e.g. ``scaling``)."""
    problems: list[Problem] = []
    for index, schedule in enumerate(scaling.schedules):
        where = f"{path}.schedules[{index}]"
        for key, value in (("min", schedule.min), ("max", schedule.max)):
            if value is None:
                continue
            if not scaling.min <= value <= scaling.max:
                problems.append(
                    Problem(
                        f"{where}.{key}",
                        f"{value} is outside the variant's scaling bounds {scaling.min}-{scaling.max}: the scheduled "
                        "action would move the scalable target beyond what the stack file declares",
                        f"use a value from {scaling.min} to {scaling.max}, or widen {path}.min / {path}.max",
                    )
                )
        if realtime and schedule.min == 0:
            problems.append(
                Problem(
                    f"{where}.min",
                    "0 instances on a real-time endpoint: SageMaker needs at least one",
                    "set min: 1 or more",
                )
            )
    return problems


def region_problems(deployment: DeploymentConfig, region: str) -> list[Problem]:
    """Images and KMS keys of an aws deployment in another region than ``aws:region`` (paths under the deployment)."""
    options = deployment.sagemaker
    images: list[tuple[str, str | None]] = [("image", deployment.image)]
    images += [(f"sagemaker.containers[{i}].image", c.image) for i, c in enumerate(options.containers)]
    images += [(f"sagemaker.variants[{i}].image", v.image) for i, v in enumerate(options.variants)]
    if options.shadow is not None:
        images.append(("sagemaker.shadow.image", options.shadow.image))
    keys: list[tuple[str, str | None]] = [
        ("sagemaker.kms_key", options.kms_key),
        ("sagemaker.artifacts_kms_key", options.artifacts_kms_key),
    ]
    if deployment.async_inference is not None:
        keys.append(("async.kms_key", deployment.async_inference.kms_key))
    return list(_elsewhere(images, facts.ecr_region, region, "image", "push the image to ECR in {region}")) + list(
        _elsewhere(keys, facts.kms_region, region, "KMS key", "use a key of {region} (KMS keys are regional)")
    )


def _elsewhere(
    values: Iterable[tuple[str, str | None]],
    region_of: Callable[[str], str | None],
    region: str,
    what: str,
    fix: str,
) -> Iterable[Problem]:
    for path, value in values:
        found = region_of(value) if value is not None else None
        if found is not None and found != region:
            yield Problem(
                path,
                f"the {what} is in {found}, the stack deploys to aws:region {region}; SageMaker uses only "
                f"{what}s of its own region",
                fix.format(region=region),
            )
