"""API limits the stack-file validation checks, each with its source.

These restate facts that belong in ``components/facts`` (issue 8); the names match the facts modules'
(``components/facts/aws.py``, ``components/facts/gcp.py``) so moving them is a change of import.
"""

from __future__ import annotations

import re

INT32_MAX = 2_147_483_647
"""Counts and capacities are 32-bit integers in every API that receives them (botocore ``Integer`` shapes such as
``InitialInstanceCount``, ``MinCapacity`` / ``MaxCapacity``; aiplatform ``int32 min_replica_count`` /
``max_replica_count``)."""

# ---- AWS (botocore sagemaker / s3 service models) ------------------------------------------------------------------
MAX_TAGS = 50
"""botocore sagemaker: TagList max 50."""
TAG_KEY_MAX = 128
TAG_VALUE_MAX = 256
"""botocore sagemaker: TagKey 1-128, TagValue 0-256 characters."""
TAG_CHARACTERS = re.compile(r"^[\w\s.:/=+\-@]*$")
"""botocore sagemaker TagKey / TagValue pattern ``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*``."""
MAX_ENVIRONMENT_ENTRIES = 100
"""botocore sagemaker: EnvironmentMap max 100 entries."""
ENVIRONMENT_KEY_MAX = 1024
ENVIRONMENT_VALUE_MAX = 1024
"""botocore sagemaker: EnvironmentKey / EnvironmentValue max 1024 characters."""
S3_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
S3_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
"""S3 general purpose bucket naming rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
names must not start or end with these."""

# ---- Google Cloud (aiplatform / Cloud Storage) ---------------------------------------------------------------------
GCP_MAX_LABELS = 64
"""Resource labels: at most 64 per resource (https://cloud.google.com/resource-manager/docs/labels-overview)."""
GCP_RESERVED_ENV_PREFIX = "AIP_"
"""Vertex AI sets ``AIP_*`` variables in the serving container; user variables must not start with it
(https://cloud.google.com/vertex-ai/docs/predictions/custom-container-requirements#aip-variables)."""
GCS_RESERVED_PREFIX = "goog"
GCS_FORBIDDEN_WORDS = ("google", "g00gle", "googl", "g00gl")
"""Cloud Storage bucket names cannot start with ``goog`` or contain ``google`` or close misspellings such as
``g00gle`` (https://cloud.google.com/storage/docs/buckets#naming)."""

# ---- Provider settings ---------------------------------------------------------------------------------------------
AWS_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
"""AWS region codes such as eu-west-1, us-gov-west-1 (https://docs.aws.amazon.com/global-infrastructure/latest/regions/)."""
GCP_REGION = re.compile(r"^[a-z]+-[a-z]+\d{1,2}$")
"""Google Cloud region names such as europe-west4, us-central1 (https://cloud.google.com/compute/docs/regions-zones)."""
GCP_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
"""Project IDs: 6-30 lowercase letters, digits and hyphens, starting with a letter
(https://cloud.google.com/resource-manager/docs/creating-managing-projects)."""
