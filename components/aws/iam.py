"""Least-privilege execution role of a SageMaker deployment.

The policy is built by :func:`execution_policy_document` from plain values, so it can be read and tested
without the Pulumi runtime: it names every action, and scopes every statement to the deployment's own
artifacts, ECR repository, log group and metric namespace.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from ..facts import aws as facts

SAGEMAKER_PRINCIPAL = "sagemaker.amazonaws.com"


@dataclass(frozen=True)
class ExecutionGrants:
    """What the execution role may touch.

    Attributes:
        partition, region, account: where the deployment lives (``aws``, ``eu-west-1``, ``123456789012``).
        ecr_repository_arn: the repository the deployment's image is pulled from.
        extra_ecr_repository_arns: repositories of further containers and variants (multi-container, variants).
        artifact_object_arns: S3 objects the model may read (``arn:aws:s3:::bucket/key``).
        artifact_prefixes: S3 prefixes the model may list and read (multi-model endpoints), as (bucket, prefix).
        kms_key_arns: the endpoint's storage-volume key (``sagemaker.kms_key``).
        artifact_kms_key_arns: keys of SSE-KMS-encrypted model artifacts: ``kms:Decrypt`` only.
        output_kms_key_arns: the async outputs' key (bucket objects, topics): ``kms:Decrypt`` and
            ``kms:GenerateDataKey`` only (S3 SSE-KMS writes and SNS publishes to encrypted topics need both).
        vpc: True when the containers run in the user's VPC (needs ENI permissions).
        extra_statements: further statements other features add (async outputs and topics, rollback alarms).
    """

    partition: str
    region: str
    account: str
    ecr_repository_arn: str
    extra_ecr_repository_arns: Sequence[str] = ()
    artifact_object_arns: Sequence[str] = ()
    artifact_prefixes: Sequence[tuple[str, str]] = ()
    kms_key_arns: Sequence[str] = ()
    artifact_kms_key_arns: Sequence[str] = ()
    output_kms_key_arns: Sequence[str] = ()
    vpc: bool = False
    extra_statements: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


def assume_role_policy_document(account: str | None = None) -> str:
    """Trust policy letting only SageMaker assume the role (optionally only for the given account)."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": SAGEMAKER_PRINCIPAL},
        "Action": "sts:AssumeRole",
    }
    if account:
        statement["Condition"] = {"StringEquals": {"aws:SourceAccount": account}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, sort_keys=True)


def execution_policy_document(grants: ExecutionGrants) -> str:
    """The role's inline policy as JSON. No `*` action; `*` resources only where the API has no narrower one."""
    p, r, a = grants.partition, grants.region, grants.account
    log_group = f"arn:{p}:logs:{r}:{a}:log-group:{facts.ENDPOINT_LOG_GROUP_PREFIX}/*"
    statements: list[dict[str, Any]] = [
        {
            "Sid": "PullImage",
            "Effect": "Allow",
            "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            "Resource": sorted({grants.ecr_repository_arn, *grants.extra_ecr_repository_arns}),
        },
        {
            # GetAuthorizationToken has no resource-level permission: AWS accepts only "*" here.
            "Sid": "EcrLogin",
            "Effect": "Allow",
            "Action": ["ecr:GetAuthorizationToken"],
            "Resource": ["*"],
        },
        {
            "Sid": "WriteLogs",
            "Effect": "Allow",
            "Action": [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
            ],
            "Resource": [log_group, f"{log_group}:log-stream:*"],
        },
        {
            # PutMetricData has no resource-level permission; the condition pins the namespace instead.
            "Sid": "WriteMetrics",
            "Effect": "Allow",
            "Action": ["cloudwatch:PutMetricData"],
            "Resource": ["*"],
            "Condition": {"StringLike": {"cloudwatch:namespace": ["/aws/sagemaker/*", facts.SAGEMAKER_NAMESPACE]}},
        },
    ]
    if grants.artifact_object_arns:
        statements.append(
            {
                "Sid": "ReadArtifacts",
                "Effect": "Allow",
                "Action": ["s3:GetObject"],
                "Resource": sorted(grants.artifact_object_arns),
            }
        )
    for index, (bucket, prefix) in enumerate(sorted(grants.artifact_prefixes)):
        statements.append(
            {
                "Sid": f"ListArtifactPrefix{index}",
                "Effect": "Allow",
                "Action": ["s3:ListBucket"],
                "Resource": [f"arn:{p}:s3:::{bucket}"],
                "Condition": {"StringLike": {"s3:prefix": [f"{prefix}*"]}},
            }
        )
        statements.append(
            {
                "Sid": f"ReadArtifactPrefix{index}",
                "Effect": "Allow",
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:{p}:s3:::{bucket}/{prefix}*"],
            }
        )
    if grants.kms_key_arns:
        statements.append(
            {
                "Sid": "UseKeys",
                "Effect": "Allow",
                "Action": [
                    "kms:CreateGrant",
                    "kms:Decrypt",
                    "kms:DescribeKey",
                    "kms:Encrypt",
                    "kms:GenerateDataKey",
                ],
                "Resource": sorted(grants.kms_key_arns),
            }
        )
    if grants.artifact_kms_key_arns:
        statements.append(
            {
                "Sid": "DecryptArtifacts",
                "Effect": "Allow",
                "Action": ["kms:Decrypt"],
                "Resource": sorted(grants.artifact_kms_key_arns),
                "Condition": {"StringEquals": {"kms:ViaService": f"s3.{r}.amazonaws.com"}},
            }
        )
    if grants.output_kms_key_arns:
        statements.append(
            {
                "Sid": "EncryptAsyncOutputs",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": sorted(grants.output_kms_key_arns),
            }
        )
    if grants.vpc:
        statements.append(
            {
                # EC2 network-interface calls for VPC placement do not support resource-level scoping on Describe*.
                "Sid": "VpcNetworkInterfaces",
                "Effect": "Allow",
                "Action": [
                    "ec2:CreateNetworkInterface",
                    "ec2:CreateNetworkInterfacePermission",
                    "ec2:DeleteNetworkInterface",
                    "ec2:DeleteNetworkInterfacePermission",
                    "ec2:DescribeDhcpOptions",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSecurityGroups",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcs",
                ],
                "Resource": ["*"],
                "Condition": {"StringEquals": {"aws:RequestedRegion": r}},
            }
        )
    statements += [dict(statement) for statement in grants.extra_statements]
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)


def s3_object_arn(partition: str, uri: str) -> str:
    """``s3://bucket/key`` -> ``arn:aws:s3:::bucket/key``."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return f"arn:{partition}:s3:::{bucket}/{key}"


def ecr_repository_arn(partition: str, image: str) -> str:
    """``ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO:TAG`` -> ``arn:aws:ecr:REGION:ACCOUNT:repository/REPO``."""
    registry, _, rest = image.partition("/")
    account, _, remainder = registry.partition(".dkr.ecr.")
    region = remainder.split(".amazonaws.com", 1)[0]
    repository = rest.split("@", 1)[0].split(":", 1)[0]
    return f"arn:{partition}:ecr:{region}:{account}:repository/{repository}"


class ExecutionRole(pulumi.ComponentResource):
    """An IAM role SageMaker assumes to run one deployment, with the least-privilege inline policy.

    Outputs: ``arn`` and ``name`` of the role.
    """

    arn: pulumi.Output[str]
    name: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        grants: pulumi.Input[ExecutionGrants],
        tags: Mapping[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("ml-serving:aws:ExecutionRole", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-role",
            assume_role_policy=pulumi.Output.from_input(grants).apply(lambda g: assume_role_policy_document(g.account)),
            description=f"SageMaker execution role of ml-serving deployment {name}",
            tags=dict(tags),
            opts=child,
        )
        policy = aws.iam.RolePolicy(
            f"{name}-policy",
            role=role.id,
            policy=pulumi.Output.from_input(grants).apply(execution_policy_document),
            opts=child,
        )
        # Consumers of the ARN (the model) wait for the policy too: SageMaker checks image access at CreateModel.
        self.arn = pulumi.Output.all(role.arn, policy.id).apply(lambda values: str(values[0]))
        self.name = role.name
        self.register_outputs({"arn": self.arn, "name": self.name})
