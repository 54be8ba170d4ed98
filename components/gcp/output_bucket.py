"""The async output bucket of a Vertex AI deployment.

Vertex AI has no asynchronous endpoint. ``async: true`` on gcp declares the bucket a queue worker (your
Pub/Sub subscriber or Cloud Run job that calls the endpoint) or a Vertex batch prediction job writes results
to: uniform bucket-level access, public access prevention enforced, lifecycle expiry of ``outputs/`` and
``failures/`` after the retention period, optional CMEK. Outputs are user data: the bucket is retained when the
stack is destroyed unless ``async.force_destroy`` is true.
"""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_gcp as gcp

from ..config import AsyncOptions

EXPIRING_PREFIXES = ("outputs/", "failures/")


class VertexOutputBucket(pulumi.ComponentResource):
    """A private, uniform-access, expiring GCS bucket for asynchronous results; the model may write into it.

    Outputs: ``name``, ``url`` (gs://...), ``output_prefix``, ``failure_prefix``, ``input_prefix``.
    """

    name: pulumi.Output[str]
    url: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        project: str,
        region: str,
        options: AsyncOptions,
        writer_member: pulumi.Input[str],
        labels: Mapping[str, str],
        kms_key: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("ml-serving:gcp:VertexOutputBucket", name, None, opts)
        keep = not options.force_destroy
        bucket = gcp.storage.Bucket(
            f"{name}-bucket",
            project=project,
            location=region,
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            force_destroy=options.force_destroy,
            versioning=gcp.storage.BucketVersioningArgs(enabled=False),
            lifecycle_rules=[
                gcp.storage.BucketLifecycleRuleArgs(
                    action=gcp.storage.BucketLifecycleRuleActionArgs(type="Delete"),
                    condition=gcp.storage.BucketLifecycleRuleConditionArgs(
                        age=options.output_retention_days, matches_prefixes=list(EXPIRING_PREFIXES)
                    ),
                )
            ],
            encryption=gcp.storage.BucketEncryptionArgs(default_kms_key_name=kms_key) if kms_key else None,
            labels=dict(labels),
            opts=pulumi.ResourceOptions(parent=self, retain_on_delete=keep, protect=options.protect),
        )
        for role in ("roles/storage.objectCreator", "roles/storage.objectViewer"):
            gcp.storage.BucketIAMMember(
                f"{name}-{role.rsplit('.', 1)[-1].lower()}",
                bucket=bucket.name,
                role=role,
                member=writer_member,
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.name = bucket.name
        self.url = bucket.url
        self.register_outputs({"name": self.name, "url": self.url})
