"""Several models behind one SageMaker endpoint: multi-model, multi-container, variants and a shadow variant.

The deployment's own ``image``, ``artifacts``, ``environment`` and instance always make the first container of
the primary production variant (named ``sagemaker.variant_name``). These keys add to it:

* ``sagemaker.multi_model``: the container loads many models on demand from the S3 prefix in ``artifacts``
  (``Mode: MultiModel``). On GPU instances SageMaker runs multi-model endpoints only with NVIDIA Triton
  Inference Server images.
* ``sagemaker.containers``: up to 14 more containers (15 in all, botocore ``Containers`` max 15), invoked one
  after the other (``container_mode: serial``, an inference pipeline) or one at a time by host name
  (``container_mode: direct``, ``TargetContainerHostname``). The first container's host name is the
  deployment's name.
* ``sagemaker.variants``: more production variants sharing the traffic by weight (A/B, v1/v2), each with its
  own image / artifacts / instance type and its own autoscaling (10 variants in all, botocore max 10).
* ``sagemaker.shadow``: a shadow variant receiving a copy of the requests; its responses are not returned.

Rules come from the SageMaker API reference (botocore's ``sagemaker`` model documentation) and developer guide:
``ShadowProductionVariants`` allows one production variant only; shadow variants exclude async, multi-model and
multi-container endpoints; ``ModelDataUrl`` of a single model is one ``.tar.gz`` archive.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from .. import accelerators
from ..facts import aws as aws_facts
from ..facts.aws import ECR_IMAGE, S3_URI, ecr_repository
from . import rules
from .problems import Problem, mismatch
from .sagemaker_variants import ContainerSpec, MultiModelOptions, VariantSpec, parse_multi_model

if TYPE_CHECKING:
    from .deployment import DeploymentConfig

__all__ = [
    "ContainerSpec",
    "MultiModelOptions",
    "VariantSpec",
    "check",
    "gpus_of",
    "instance_type_problems",
    "location_problems",
    "parse_multi_model",
]

MAX_CONTAINERS = aws_facts.MAX_CONTAINERS
MAX_PRODUCTION_VARIANTS = aws_facts.MAX_PRODUCTION_VARIANTS
TRITON_MARKERS = ("triton",)
"""Repository names of NVIDIA Triton Inference Server images contain this (``sagemaker-tritonserver``...)."""


def instance_type_problems(path: str, instance_type: str) -> list[Problem]:
    """An instance type SageMaker endpoints do not offer (botocore's ProductionVariantInstanceType enum)."""
    if instance_type in aws_facts.INSTANCE_TYPES:
        return []
    close = difflib.get_close_matches(instance_type, sorted(aws_facts.INSTANCE_TYPES), n=3)
    hint = f"did you mean {' or '.join(close)}?" if close else "use a name like ml.g5.xlarge"
    return [
        Problem(
            path,
            f"'{instance_type}' is not an instance type SageMaker endpoints offer (ProductionVariantInstanceType)",
            hint,
        )
    ]


def gpus_of(instance_type: str, accelerator_count: int | None = None) -> int:
    """GPUs per instance: the accelerator count when given, else the catalog's count for the instance type."""
    if accelerator_count is not None:
        return accelerator_count
    found = accelerators.gpu_count_of_sagemaker_instance(instance_type)
    return found[1] if found else 0


def check(deployment: DeploymentConfig, instance_type: str) -> list[Problem]:
    """Rules of multi-model, multi-container, variant and shadow keys; paths relative to the deployment."""
    options = deployment.sagemaker
    problems = _multi_model_problems(deployment, instance_type)
    problems += _container_problems(deployment)
    problems += _variant_problems(deployment, instance_type)
    if options.shadow is not None:
        problems += _shadow_problems(deployment)
    return problems


def location_problems(image: object, artifacts: object) -> list[Problem]:
    """Image and artifact locations SageMaker cannot use (the deployment's, a container's or a variant's; also run
    on raw values of a deployment that failed)."""
    return mismatch(
        "image",
        image,
        ECR_IMAGE,
        "'{value}' is not an Amazon ECR image URI; SageMaker pulls only from ECR",
        "push the image to ECR and use ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG",
    ) + mismatch(
        "artifacts",
        artifacts,
        S3_URI,
        "'{value}' is not an S3 URI ({scheme}); SageMaker loads artifacts from S3",
        "copy the artifacts to S3 and use s3://BUCKET/KEY/model.tar.gz",
    )


def _locations(path: str, image: str | None, artifacts: str | None, multi_model: bool) -> list[Problem]:
    problems = [problem.under(path) for problem in location_problems(image, artifacts)]
    if artifacts is not None and S3_URI.match(artifacts):
        problems += _prefix_problems(f"{path}.artifacts", artifacts, multi_model)
    return problems


def _prefix_problems(path: str, artifacts: str, multi_model: bool) -> list[Problem]:
    if multi_model and not artifacts.endswith("/"):
        return [
            Problem(
                path,
                f"'{artifacts}' is not an S3 prefix; a multi-model endpoint loads its models on demand from a prefix",
                "set it to the prefix that holds the model archives, ending with '/' (s3://BUCKET/models/)",
            )
        ]
    if not multi_model and artifacts.endswith("/"):
        return [
            Problem(
                path,
                f"'{artifacts}' is an S3 prefix; a single-model container loads one archive (ModelDataUrl is a .tar.gz)",
                "point it at the archive (s3://BUCKET/KEY/model.tar.gz), or set sagemaker.multi_model: true to load "
                "the models under the prefix on demand",
            )
        ]
    return []


def _multi_model_problems(deployment: DeploymentConfig, instance_type: str) -> list[Problem]:
    options = deployment.sagemaker
    multi_model = options.multi_model is not None
    problems: list[Problem] = []
    if deployment.artifacts is not None and S3_URI.match(deployment.artifacts):
        problems += _prefix_problems("artifacts", deployment.artifacts, multi_model)
    if options.multi_model is None:
        return problems
    if deployment.artifacts is None:
        problems.append(
            Problem(
                "artifacts",
                "a multi-model endpoint needs the S3 prefix its models are loaded from",
                "set artifacts: s3://BUCKET/models/ (the prefix holding the model archives, ending with '/')",
            )
        )
    accelerator_count = deployment.accelerator.count if deployment.accelerator else None
    repository = ecr_repository(deployment.image) or deployment.image
    triton = any(marker in repository.lower() for marker in TRITON_MARKERS)
    if (
        gpus_of(instance_type, accelerator_count)
        and not triton
        and not options.multi_model.gpu_image_supports_multi_model
    ):
        problems.append(
            Problem(
                "sagemaker.multi_model",
                f"SageMaker serves multi-model endpoints on GPU instances ({instance_type}) only with NVIDIA Triton "
                f"Inference Server images, and repository '{repository}' does not look like one",
                "use a Triton image (repository name containing 'tritonserver', e.g. SageMaker's sagemaker-tritonserver), "
                "or set sagemaker.multi_model.gpu_image_supports_multi_model: true if your image is Triton-based",
            )
        )
    if options.containers:
        problems.append(
            Problem(
                "sagemaker.containers",
                "a multi-model endpoint has a single container (Mode MultiModel)",
                "remove sagemaker.containers or sagemaker.multi_model",
            )
        )
    return problems


def _container_problems(deployment: DeploymentConfig) -> list[Problem]:
    options = deployment.sagemaker
    problems: list[Problem] = []
    if "container_mode" in options.model_fields_set and not options.containers:
        problems.append(
            Problem(
                "sagemaker.container_mode",
                "applies only to multi-container endpoints",
                "remove container_mode, or list the other containers under sagemaker.containers",
            )
        )
    if not options.containers:
        return problems
    if len(options.containers) + 1 > MAX_CONTAINERS:
        problems.append(
            Problem(
                "sagemaker.containers",
                f"{len(options.containers)} containers plus the deployment's own make {len(options.containers) + 1}; "
                f"SageMaker allows {MAX_CONTAINERS} per model",
                f"keep at most {MAX_CONTAINERS - 1} entries under sagemaker.containers",
            )
        )
    hostnames = [(c.hostname, f"sagemaker.containers[{i}].hostname") for i, c in enumerate(options.containers)]
    own = {deployment.name: "the deployment's own container (named after the deployment)"}
    problems += rules.duplicate_problems(hostnames, "container host name", taken=own)
    for index, container in enumerate(options.containers):
        path = f"sagemaker.containers[{index}]"
        problems += _locations(path, container.image, container.artifacts, multi_model=False)
    return problems


def _variant_problems(deployment: DeploymentConfig, instance_type: str) -> list[Problem]:
    options = deployment.sagemaker
    multi_model = options.multi_model is not None
    problems: list[Problem] = []
    others = [(f"sagemaker.variants[{i}]", v) for i, v in enumerate(options.variants)]
    if options.shadow is not None:
        others.append(("sagemaker.shadow", options.shadow))
    primary = {options.variant_name: "sagemaker.variant_name"}
    problems += rules.duplicate_problems(
        ((v.name, f"{path}.name") for path, v in others), "variant name", taken=primary
    )
    for path, variant in others:
        problems += _locations(path, variant.image, variant.artifacts, multi_model)
        if variant.instance_type is not None:
            problems += instance_type_problems(f"{path}.instance_type", variant.instance_type)
        if options.containers and variant.own_model:
            problems.append(
                Problem(
                    path,
                    "variants of a multi-container endpoint serve the deployment's containers",
                    "remove image, artifacts and environment from the variant (keep name, weight, instance_type, scaling)",
                )
            )
        problems += _variant_scaling_problems(path, variant, deployment, instance_type)
    if not options.variants:
        return problems
    if deployment.is_async:
        problems.append(
            Problem(
                "sagemaker.variants",
                "an async endpoint is declared with one variant: its backlog metrics (which drive scaling to and from "
                "zero) exist per endpoint, not per variant",
                "use one deployment per model version, or make this deployment real-time (remove async)",
            )
        )
    count = 1 + len(options.variants)
    if count > MAX_PRODUCTION_VARIANTS:
        problems.append(
            Problem(
                "sagemaker.variants",
                f"{count} production variants (the primary plus {len(options.variants)}); SageMaker allows "
                f"{MAX_PRODUCTION_VARIANTS}",
                f"keep at most {MAX_PRODUCTION_VARIANTS - 1} entries under sagemaker.variants",
            )
        )
    if options.variant_weight + sum(v.weight for v in options.variants) <= 0:
        problems.append(
            Problem(
                "sagemaker.variants",
                "every production variant has weight 0, so no variant would receive traffic",
                "give at least one variant (or sagemaker.variant_weight) a weight above 0",
            )
        )
    return problems


def _variant_scaling_problems(
    path: str, variant: VariantSpec, deployment: DeploymentConfig, instance_type: str
) -> list[Problem]:
    scaling = variant.scaling
    problems: list[Problem] = []
    if scaling.min == 0:
        problems.append(
            Problem(
                f"{path}.scaling.min",
                "0 is not supported on a real-time variant (it needs at least one instance)",
                "set min: 1 or more",
            )
        )
    if scaling.metric == "backlog":
        problems.append(
            Problem(
                f"{path}.scaling.metric",
                "backlog exists only on async endpoints, which have a single variant",
                "choose invocations, concurrency, cpu or gpu",
            )
        )
    if variant.instance_type is not None:
        gpus = gpus_of(variant.instance_type)
    else:
        gpus = gpus_of(instance_type, deployment.accelerator.count if deployment.accelerator else None)
    if scaling.metric == "gpu" and not gpus:
        problems.append(
            Problem(
                f"{path}.scaling.metric",
                "gpu on a CPU-only instance never moves",
                "give the variant a GPU instance_type or use cpu / invocations",
            )
        )
    return problems


def _shadow_problems(deployment: DeploymentConfig) -> list[Problem]:
    options = deployment.sagemaker
    problems: list[Problem] = []
    reasons = [
        (bool(options.variants), "sagemaker.variants", "a shadow variant mirrors a single production variant"),
        (deployment.is_async, "async", "SageMaker shadow variants do not work with asynchronous endpoints"),
        (
            options.multi_model is not None,
            "sagemaker.multi_model",
            "SageMaker shadow variants exclude multi-model endpoints",
        ),
        (
            bool(options.containers),
            "sagemaker.containers",
            "SageMaker shadow variants exclude multi-container endpoints",
        ),
    ]
    for applies, key, reason in reasons:
        if applies:
            problems.append(
                Problem(
                    "sagemaker.shadow",
                    f"{reason} (found {key})",
                    f"remove sagemaker.shadow or {key}",
                )
            )
    return problems
