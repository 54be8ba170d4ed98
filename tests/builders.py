"""Builders of stack-file values for tests: valid deployments of each cloud, and whole stacks."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

BASE_CONFIG: dict[str, Any] = {
    "aws:region": "eu-west-1",
    "gcp:project": "acme-ml",
    "gcp:region": "europe-west4",
}

AWS_DEPLOYMENT: dict[str, Any] = {
    "name": "ranker",
    "cloud": "aws",
    "image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1",
    "artifacts": "s3://acme-models/ranker/v7/model.tar.gz",
    "accelerator": {"type": "nvidia-a10g", "count": 1},
    "scaling": {"min": 2, "max": 6, "metric": "concurrency", "target": 3},
}

GCP_DEPLOYMENT: dict[str, Any] = {
    "name": "reranker",
    "cloud": "gcp",
    "image": "europe-west4-docker.pkg.dev/acme-ml/serving/reranker:1.0.0",
    "artifacts": "gs://acme-models/reranker/v2/",
    "accelerator": {"type": "nvidia-l4", "count": 1},
    "scaling": {"min": 1, "max": 4, "metric": "gpu", "target": 60},
}


def aws_deployment(**overrides: Any) -> dict[str, Any]:
    """A valid aws deployment mapping (as in a stack file) with ``overrides`` applied at the top level."""
    return {**copy.deepcopy(AWS_DEPLOYMENT), **overrides}


def gcp_deployment(**overrides: Any) -> dict[str, Any]:
    """A valid gcp deployment mapping (as in a stack file) with ``overrides`` applied at the top level."""
    return {**copy.deepcopy(GCP_DEPLOYMENT), **overrides}


def stack_values(*deployments: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """Stack-file config keys holding ``deployments`` (plus extra keys such as ``ml-serving:defaults``)."""
    values = dict(BASE_CONFIG)
    values["ml-serving:deployments"] = list(deployments)
    values.update(extra)
    return values
