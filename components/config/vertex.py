"""Vertex AI-only options of a deployment and the rules a deployment must follow to run on Vertex AI."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import Field, field_validator

from .. import accelerators
from .base import ConfigModel
from .problems import Problem, mismatch

if TYPE_CHECKING:
    from .deployment import DeploymentConfig

VERTEX_IMAGE = re.compile(
    r"^(?:[a-z0-9-]+-docker\.pkg\.dev|(?:[a-z]+\.)?gcr\.io)/[a-z0-9][a-z0-9._/-]*(?::[A-Za-z0-9_.-]+|@sha256:[0-9a-f]{64})?$"
)
GCS_URI = re.compile(r"^gs://(?P<bucket>[a-z0-9][a-z0-9._-]{1,220}[a-z0-9])(?:/(?P<path>.*))?$")
CMEK_KEY = re.compile(r"^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/]+$")
LABEL = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
VERTEX_METRICS = {"cpu", "gpu", "invocations"}


class VertexOptions(ConfigModel):
    """Options that exist only on Vertex AI (key `vertex:` of a deployment)."""

    predict_route: str = Field(
        "/predict", description="HTTP path of the container's prediction route, default `/predict`."
    )
    health_route: str = Field("/health", description="HTTP path of the container's health route, default `/health`.")
    port: int = Field(8080, ge=1, le=65535, description="Port the container listens on, default 8080.")
    kms_key: str | None = Field(
        None,
        description="Customer-managed encryption key (projects/P/locations/L/keyRings/R/cryptoKeys/K) of the endpoint, default none.",
    )
    dedicated_endpoint: bool = Field(
        False,
        description="Use a dedicated endpoint (own DNS name, larger payloads, no shared quota), default false.",
    )
    private_network: str | None = Field(
        None,
        description="VPC network (projects/NUMBER/global/networks/NAME) for a private endpoint, default none (public).",
    )
    service_account: str | None = Field(
        None,
        description="Existing service account e-mail for the model; default: a dedicated one per deployment.",
    )

    @field_validator("predict_route", "health_route")
    @classmethod
    def _route(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"'{value}' must be an absolute path starting with '/'")
        return value

    @field_validator("kms_key")
    @classmethod
    def _kms(cls, value: str | None) -> str | None:
        if value is not None and not CMEK_KEY.match(value):
            raise ValueError(f"'{value}' is not a Cloud KMS key name (projects/P/locations/L/keyRings/R/cryptoKeys/K)")
        return value

    @field_validator("private_network")
    @classmethod
    def _network(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^projects/[^/]+/global/networks/[^/]+$", value):
            raise ValueError(f"'{value}' is not a network name (projects/NUMBER/global/networks/NAME)")
        return value

    @field_validator("service_account")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[^@\s]+@[a-z0-9.-]+\.iam\.gserviceaccount\.com$", value):
            raise ValueError(f"'{value}' is not a service account e-mail (NAME@PROJECT.iam.gserviceaccount.com)")
        return value


def check(deployment: DeploymentConfig) -> list[Problem]:
    """Everything that makes ``deployment`` impossible on Vertex AI, with paths relative to the deployment."""
    problems: list[Problem] = []
    if "sagemaker" in deployment.model_fields_set:
        problems.append(
            Problem(
                "sagemaker",
                "SageMaker options on a gcp deployment",
                "move them under `vertex:` or set cloud: aws",
            )
        )
    if deployment.instance_type is not None:
        problems.append(
            Problem(
                "instance_type",
                "instance_type is the SageMaker key",
                "use machine_type (e.g. g2-standard-8) on gcp",
            )
        )
    problems += location_problems(deployment.image, deployment.artifacts)
    problems += _machine_problems(deployment)
    problems += _scaling_problems(deployment)
    for key, value in deployment.tags.items():
        if not LABEL.match(key) or not LABEL_VALUE.match(value):
            problems.append(
                Problem(
                    f"tags.{key}",
                    f"'{key}: {value}' cannot be a GCP label (lowercase letters, digits, '_' and '-', up to 63 characters)",
                    "rename the tag or lowercase its value",
                )
            )
    return problems


def location_problems(image: object, artifacts: object) -> list[Problem]:
    """Image and artifact locations Vertex AI cannot use (also run on raw values of a deployment that failed)."""
    return mismatch(
        "image",
        image,
        VERTEX_IMAGE,
        "'{value}' is not an Artifact Registry or Container Registry image; Vertex AI pulls only from those",
        "push the image to REGION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE:TAG",
    ) + mismatch(
        "artifacts",
        artifacts,
        GCS_URI,
        "'{value}' is not a Cloud Storage URI ({scheme}); Vertex AI loads artifacts from GCS",
        "copy the artifacts to gs://BUCKET/PATH/ (a directory)",
    )


def _machine_problems(deployment: DeploymentConfig) -> list[Problem]:
    accelerator = deployment.accelerator
    if accelerator is None:
        return []
    try:
        accelerators.vertex_machine(accelerator.type, accelerator.count)
    except accelerators.AcceleratorError as error:
        offered = accelerators.get_accelerator(accelerator.type).vertex
        path = "accelerator.count" if offered else "accelerator.type"
        return [Problem(path, str(error))]
    return []


def _scaling_problems(deployment: DeploymentConfig) -> list[Problem]:
    scaling = deployment.scaling
    problems: list[Problem] = []
    if scaling.min == 0:
        problems.append(
            Problem(
                "scaling.min",
                "Vertex AI scales to zero only in its v1beta1 (preview) API, which ml-serving does not use",
                "set min: 1 or more; for scale-to-zero use cloud: aws with `async: true`",
            )
        )
    if scaling.metric is not None and scaling.metric not in VERTEX_METRICS:
        reason = {
            "concurrency": "Vertex AI has no in-flight request metric for autoscaling",
            "backlog": "Vertex AI has no asynchronous endpoint, hence no backlog metric",
        }[scaling.metric]
        problems.append(
            Problem(
                "scaling.metric",
                f"{scaling.metric} is not available on gcp: {reason}",
                "use cpu, gpu or invocations",
            )
        )
    if scaling.metric == "gpu" and deployment.accelerator is None:
        problems.append(
            Problem(
                "scaling.metric",
                "gpu duty cycle needs an accelerator",
                "add accelerator: {type: ...} or use cpu",
            )
        )
    for key in ("scale_out_cooldown", "scale_in_cooldown", "disable_scale_in", "schedules"):
        if key in scaling.model_fields_set:
            problems.append(
                Problem(
                    f"scaling.{key}",
                    "Vertex AI autoscaling has no such setting",
                    f"remove scaling.{key} on gcp",
                )
            )
    return problems


def machine(deployment: DeploymentConfig) -> accelerators.VertexMachine:
    """The Vertex machine: catalog choice for the GPU (with the machine_type override), or the CPU default."""
    if deployment.accelerator is not None:
        chosen = accelerators.vertex_machine(deployment.accelerator.type, deployment.accelerator.count)
        if deployment.machine_type is not None:
            return accelerators.VertexMachine(
                deployment.machine_type, chosen.accelerator_type, chosen.accelerator_count
            )
        return chosen
    return accelerators.VertexMachine(deployment.machine_type or accelerators.DEFAULT_VERTEX_CPU_MACHINE, None, 0)
