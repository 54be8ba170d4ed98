"""API limits the stack-file validation checks, each with its source.

Those read from ``components.facts`` where the facts module has them; the others restate facts that belong there
(issue 8), under the names the facts modules use, so moving them is a change of import.
"""

from __future__ import annotations

import re

from ..facts import gcp as gcp_facts

INT32_MAX = gcp_facts.INT32_MAX
"""2^31 - 1 (from ``components.facts.gcp``): counts and capacities are 32-bit integers in every API that receives
them (aiplatform ``int32 min_replica_count`` / ``max_replica_count``; botocore ``Integer`` shapes such as
``InitialInstanceCount``, ``MinCapacity`` / ``MaxCapacity``)."""

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
GCP_RESERVED_ENV_PREFIX = gcp_facts.RESERVED_ENV_PREFIX
"""Vertex AI sets ``AIP_*`` variables in the serving container (from ``components.facts.gcp``)."""
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
