"""Shapes of AWS identifiers a stack file may hold (images, S3 locations, instance types, KMS keys, names).

Kept in one module so that the SageMaker options, their variants and containers, and the async options all
validate the same way.
"""

from __future__ import annotations

import re

ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/"
    r"(?P<repository>[a-z0-9][a-z0-9._/-]*)(?::(?P<tag>[A-Za-z0-9_.-]+)|@sha256:[0-9a-f]{64})?$"
)
S3_URI = re.compile(r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(?P<key>.+)$")
INSTANCE_TYPE = re.compile(r"^ml\.[a-z0-9-]+\.[a-z0-9-]+$")
KMS_KEY = re.compile(r"^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+|alias/.+|[0-9a-f-]{36})$")
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$")
"""A KMS key by its key ARN: the only form an IAM policy can grant (aliases and bare ids cannot be scoped)."""
SAGEMAKER_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
"""Variant names and container host names (botocore: VariantName / ContainerHostname patterns, 63 characters)."""


def ecr_repository(image: str) -> str | None:
    """The repository part of an ECR image URI (``ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG`` -> ``REPO``)."""
    match = ECR_IMAGE.match(image)
    return match.group("repository") if match else None
