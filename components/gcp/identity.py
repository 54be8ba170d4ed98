"""The dedicated service account of a Vertex AI deployment, allowed to read its artifacts and nothing more."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

import pulumi
import pulumi_gcp as gcp

from ..config.vertex import GCS_URI

READ_ROLE = "roles/storage.objectViewer"


def account_id(stack: str, deployment: str) -> str:
    """A service account id (6-30 chars, ``[a-z][a-z0-9-]*[a-z0-9]``) unique per stack and deployment."""
    digest = hashlib.sha256(f"{stack}/{deployment}".encode()).hexdigest()[:6]
    stem = re.sub(r"[^a-z0-9-]", "-", f"mls-{deployment}")[:23].rstrip("-")
    return f"{stem}-{digest}"


def prefix_condition(uri: str) -> tuple[str, str]:
    """(bucket, IAM condition expression) granting the artifacts under ``uri`` and listing of their bucket.

    Cloud Storage evaluates listing against the bucket itself, so the condition allows the bucket resource
    (object names can be listed) and object resources under the prefix (only those can be read).
    """
    match = GCS_URI.match(uri)
    if not match:
        raise ValueError(f"{uri} is not a gs:// URI")
    bucket, path = match.group("bucket"), (match.group("path") or "")
    expression = (
        f'resource.name == "projects/_/buckets/{bucket}" || '
        f'resource.name.startsWith("projects/_/buckets/{bucket}/objects/{path}")'
    )
    return bucket, expression


class DeploymentServiceAccount(pulumi.ComponentResource):
    """A service account per deployment with read access to its artifacts (bucket-level IAM with a condition).

    The identity running Pulumi needs ``roles/iam.serviceAccountUser`` on it to deploy a model that runs as it.
    Outputs: ``email`` and ``member`` (``serviceAccount:EMAIL``).
    """

    email: pulumi.Output[str]
    member: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        project: str,
        stack: str,
        deployment: str,
        artifacts: str | None,
        labels: Mapping[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("ml-serving:gcp:DeploymentServiceAccount", name, None, opts)
        account = gcp.serviceaccount.Account(
            f"{name}-account",
            account_id=account_id(stack, deployment),
            display_name=f"ml-serving {stack}/{deployment}",
            description=f"Runs the Vertex AI model of ml-serving deployment {deployment} ({stack}); reads its artifacts only.",
            project=project,
            opts=pulumi.ResourceOptions(parent=self),
        )
        if artifacts:
            bucket, expression = prefix_condition(artifacts)
            gcp.storage.BucketIAMMember(
                f"{name}-read-artifacts",
                bucket=bucket,
                role=READ_ROLE,
                member=account.member,
                condition=gcp.storage.BucketIAMMemberConditionArgs(
                    title=f"ml-serving-{deployment}-artifacts"[:100],
                    description=f"Read the artifacts of {deployment} under {artifacts}",
                    expression=expression,
                ),
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.email = account.email
        self.member = account.member
        self.register_outputs({"email": self.email, "member": self.member})
