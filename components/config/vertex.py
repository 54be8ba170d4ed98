"""Vertex AI-only options of a deployment and the rules a deployment must follow to run on Vertex AI."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import Field, field_validator

from .. import accelerators, tags
from ..facts import gcp as facts
from . import rules
from .base import ConfigModel
from .problems import Problem, mismatch

if TYPE_CHECKING:
    from .deployment import DeploymentConfig

GCS_URI = facts.GCS_URI
"""Re-exported for :mod:`components.gcp.identity` (the fact lives in :mod:`components.facts.gcp`)."""


class VertexOptions(ConfigModel):
    """Options that exist only on Vertex AI (key `vertex:` of a deployment)."""

    predict_route: str = Field(
        facts.DEFAULT_PREDICT_ROUTE,
        description=f"HTTP path of the container's prediction route, default `{facts.DEFAULT_PREDICT_ROUTE}`.",
    )
    health_route: str = Field(
        facts.DEFAULT_HEALTH_ROUTE,
        description=f"HTTP path of the container's health route, default `{facts.DEFAULT_HEALTH_ROUTE}`.",
    )
    port: int = Field(
        facts.DEFAULT_PORT,
        ge=facts.PORT_RANGE[0],
        le=facts.PORT_RANGE[1],
        description=f"Port the container listens on, default {facts.DEFAULT_PORT}.",
    )
    kms_key: str | None = Field(
        None,
        description="Customer-managed encryption key (projects/P/locations/L/keyRings/R/cryptoKeys/K, in `gcp:region`) of the endpoint, the uploaded model and the output bucket, default none.",
    )
    dedicated_endpoint: bool = Field(
        False,
        description="Use a dedicated endpoint (own DNS name, larger payloads, no shared quota; not with private_network), default false.",
    )
    private_network: str | None = Field(
        None,
        description="VPC network (projects/PROJECT_NUMBER/global/networks/NAME) for a private endpoint, default none (public).",
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
        if value is not None and not facts.KMS_KEY.match(value):
            raise ValueError(f"'{value}' is not a Cloud KMS key name (projects/P/locations/L/keyRings/R/cryptoKeys/K)")
        return value

    @field_validator("service_account")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[^@\s]+@[a-z0-9.-]+\.iam\.gserviceaccount\.com$", value):
            raise ValueError(f"'{value}' is not a service account e-mail (NAME@PROJECT.iam.gserviceaccount.com)")
        return value


def check(deployment: DeploymentConfig) -> list[Problem]:
    """Everything that makes ``deployment`` impossible on Vertex AI, with paths relative to the deployment."""
    problems = rules.other_cloud_problems(deployment)
    problems += location_problems(deployment.image, deployment.artifacts)
    problems += _machine_problems(deployment)
    problems += _scaling_problems(deployment)
    problems += _endpoint_problems(deployment)
    for key, value in deployment.tags.items():
        label = rules.label_problem(key, value)
        if label:
            problems.append(Problem(f"tags.{key}", label, "rename the tag or lowercase its value"))
    room = facts.MAX_LABELS - len(tags.STANDARD_KEYS) - len(tags.VERTEX_PROVIDER_LABELS)
    extra = [key for key in deployment.tags if key not in tags.STANDARD_KEYS]
    if len(extra) > room:
        problems.append(
            Problem(
                "tags",
                f"{len(extra)} tags; a Vertex model takes at most {facts.MAX_LABELS} labels",
                f"keep {room} tags or fewer",
            )
        )
    return problems


def region_problems(deployment: DeploymentConfig, region: str | None) -> list[Problem]:
    """Rules that need the stack's ``gcp:region`` (paths relative to the deployment)."""
    key = deployment.vertex.kms_key
    match = facts.KMS_KEY.match(key) if key else None
    if match and region and match["location"] != region:
        return [
            Problem(
                "vertex.kms_key",
                f"the key is in {match['location']}; Vertex AI needs the key in the region of the endpoint and "
                f"model ({region})",
                f"create a key ring in {region} and use projects/{match['project']}/locations/{region}/keyRings/...",
            )
        ]
    return []


def _network_problems(value: str | None) -> list[Problem]:
    """Checked with the deployment rather than the field, so that the deployment's other problems show too."""
    if value is None or facts.PRIVATE_NETWORK.match(value):
        return []
    match = re.match(r"^projects/([^/]+)/global/networks/[^/]+$", value)
    if match:
        return [
            Problem(
                "vertex.private_network",
                f"'{match[1]}' in '{value}' must be the project NUMBER, not its id",
                f"use projects/NUMBER/global/networks/... (gcloud projects describe {match[1]} "
                "--format='value(projectNumber)')",
            )
        ]
    return [
        Problem(
            "vertex.private_network",
            f"'{value}' is not a network name",
            "use projects/PROJECT_NUMBER/global/networks/NAME",
        )
    ]


def _endpoint_problems(deployment: DeploymentConfig) -> list[Problem]:
    options = deployment.vertex
    problems = _network_problems(options.private_network)
    for (first, second), reason in facts.UNSUPPORTED_ENDPOINT_COMBINATIONS.items():
        if getattr(options, first) and getattr(options, second):
            problems.append(
                Problem(
                    f"vertex.{second}",
                    f"not with vertex.{first}: {reason}",
                    f"remove vertex.{first} or vertex.{second}",
                )
            )
    return problems


def location_problems(image: object, artifacts: object) -> list[Problem]:
    """Image and artifact locations Vertex AI cannot use (also run on raw values of a deployment that failed)."""
    return (
        mismatch(
            "image",
            image,
            facts.IMAGE,
            "'{value}' is not an Artifact Registry or Container Registry image; Vertex AI pulls only from those",
            "push the image to REGION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE:TAG",
        )
        + mismatch(
            "artifacts",
            artifacts,
            facts.GCS_URI,
            "'{value}' is not a Cloud Storage URI ({scheme}); Vertex AI loads artifacts from GCS",
            "copy the artifacts to gs://BUCKET/PATH/ (a directory)",
        )
        + _artifact_problems(artifacts)
    )


def _artifact_problems(artifacts: object) -> list[Problem]:
    if not isinstance(artifacts, str):
        return []
    match = facts.GCS_URI.match(artifacts)
    if not match:
        return []
    problem = facts.bucket_name_problem(match["bucket"])
    if problem:
        return [Problem("artifacts", problem, "use the name of an existing bucket")]
    if artifacts.rstrip("/").endswith(facts.ARTIFACT_FILE_SUFFIXES):
        directory = artifacts.rstrip("/").rsplit("/", 1)[0] + "/"
        return [
            Problem(
                "artifacts",
                f"'{artifacts}' is a file; Vertex AI loads the artifacts from a directory (Model.artifact_uri)",
                f"point artifacts at the directory holding the files, e.g. {directory}",
            )
        ]
    return []


def _machine_problems(deployment: DeploymentConfig) -> list[Problem]:
    accelerator = deployment.accelerator
    machine_type = deployment.machine_type
    if accelerator is None:
        problem = facts.machine_problem(machine_type, None, 0) if machine_type else None
        if problem:
            return [Problem("machine_type", problem, "add the accelerator it comes with, or use e.g. n1-standard-4")]
        return []
    try:
        chosen = accelerators.vertex_machine(accelerator.type, accelerator.count)
    except accelerators.AcceleratorError as error:
        offered = accelerators.get_accelerator(accelerator.type).vertex
        path = "accelerator.count" if offered else "accelerator.type"
        return [Problem(path, str(error))]
    if machine_type is None:
        return []
    problem = facts.machine_problem(machine_type, chosen.accelerator_type, chosen.accelerator_count)
    if problem:
        return [
            Problem(
                "machine_type",
                f"{problem} (accelerator: {accelerator.type} x {accelerator.count})",
                f"remove machine_type (the catalog picks {chosen.machine_type}) or pick a machine that takes "
                f"{chosen.accelerator_count} x {chosen.accelerator_type}",
            )
        ]
    return []


def _scaling_problems(deployment: DeploymentConfig) -> list[Problem]:
    scaling = deployment.scaling
    problems: list[Problem] = []
    if scaling.min < facts.MIN_REPLICAS:
        problems.append(
            Problem(
                "scaling.min",
                "Vertex AI scales to zero only in its v1beta1 (preview) API, which ml-serving does not use",
                f"set min: {facts.MIN_REPLICAS} or more; for scale-to-zero use cloud: aws with `async: true`",
            )
        )
    if scaling.metric is not None and scaling.metric not in facts.METRICS:
        reason = facts.NOT_OFFERED[scaling.metric]
        problems.append(
            Problem(
                "scaling.metric",
                f"{scaling.metric} is not available on gcp: {reason}",
                f"use {', '.join(facts.METRICS)}",
            )
        )
    for key, value in (("max", scaling.max), ("target", scaling.resolved_target)):
        if value is not None and value > facts.INT32_MAX:
            problems.append(
                Problem(
                    f"scaling.{key}", f"{value:g} does not fit Vertex's int32 field", f"use at most {facts.INT32_MAX}"
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
