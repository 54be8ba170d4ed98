"""The least-privilege IAM policy of the identity that runs ``pulumi up`` on a stack's SageMaker deployments.

``python -m components.plan --deployer-policy --stack prod [--account 111122223333]`` prints it. It is built from
the validated stack (its deployments' names, keys, async settings and execution roles) and the naming rules of the
components, so each statement names the resources the stack declares:

* SageMaker models, endpoint configurations and endpoints (``{deployment}-*``), including the calls an endpoint
  update needs (UpdateEndpoint, DescribeEndpoint, DescribeEndpointConfig);
* the execution roles (create, inline policy, ``iam:PassRole`` to SageMaker only), or ``iam:PassRole`` on the
  roles the stack file names;
* Application Auto Scaling (register, deregister and describe scalable targets, policies, scheduled actions) and
  its service-linked role for SageMaker endpoints;
* CloudWatch alarms and dashboards; for async deployments the output bucket and notification topics;
* ``kms:CreateGrant`` / ``kms:DescribeKey`` on the keys the stack uses (SageMaker and S3 / SNS create grants with
  the caller's credentials).

Pure data (no Pulumi): the plan command imports it without a runtime. Actions are checked against botocore's
operation names in ``tests/aws/test_deployer_policy.py``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..config import StackConfig
from ..facts import aws as facts
from ..resolve.aws import dashboard_name

SAGEMAKER_ACTIONS = (
    "sagemaker:AddTags",
    "sagemaker:CreateEndpoint",
    "sagemaker:CreateEndpointConfig",
    "sagemaker:CreateModel",
    "sagemaker:DeleteEndpoint",
    "sagemaker:DeleteEndpointConfig",
    "sagemaker:DeleteModel",
    "sagemaker:DeleteTags",
    "sagemaker:DescribeEndpoint",
    "sagemaker:DescribeEndpointConfig",
    "sagemaker:DescribeModel",
    "sagemaker:ListTags",
    "sagemaker:UpdateEndpoint",
)
ROLE_ACTIONS = (
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListInstanceProfilesForRole",
    "iam:ListRolePolicies",
    "iam:PutRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:UpdateAssumeRolePolicy",
)
AUTOSCALING_ACTIONS = (
    "application-autoscaling:DeleteScalingPolicy",
    "application-autoscaling:DeleteScheduledAction",
    "application-autoscaling:DeregisterScalableTarget",
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingPolicies",
    "application-autoscaling:DescribeScheduledActions",
    "application-autoscaling:ListTagsForResource",
    "application-autoscaling:PutScalingPolicy",
    "application-autoscaling:PutScheduledAction",
    "application-autoscaling:RegisterScalableTarget",
    "application-autoscaling:TagResource",
)
ALARM_ACTIONS = (
    "cloudwatch:DeleteAlarms",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:ListTagsForResource",
    "cloudwatch:PutMetricAlarm",
    "cloudwatch:TagResource",
)
DASHBOARD_ACTIONS = ("cloudwatch:DeleteDashboards", "cloudwatch:GetDashboard", "cloudwatch:PutDashboard")
BUCKET_ACTIONS = (
    "s3:CreateBucket",
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:GetAccelerateConfiguration",
    "s3:GetBucketAcl",
    "s3:GetBucketCORS",
    "s3:GetBucketLocation",
    "s3:GetBucketLogging",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetBucketOwnershipControls",
    "s3:GetBucketPolicy",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketRequestPayment",
    "s3:GetBucketTagging",
    "s3:GetBucketVersioning",
    "s3:GetBucketWebsite",
    "s3:GetEncryptionConfiguration",
    "s3:GetLifecycleConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:ListBucket",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketTagging",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
)
TOPIC_ACTIONS = (
    "sns:CreateTopic",
    "sns:DeleteTopic",
    "sns:GetTopicAttributes",
    "sns:ListTagsForResource",
    "sns:SetTopicAttributes",
    "sns:TagResource",
)
KEY_ACTIONS = ("kms:CreateGrant", "kms:DescribeKey")
IDENTITY_ACTIONS = ("sts:GetCallerIdentity",)


def _statement(sid: str, actions: Sequence[str], resources: Sequence[str], **extra: Any) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": sorted(set(resources)), **extra}


def deployer_statements(
    stack: StackConfig, account: str = "*", partition: str = "aws", project: str = "ml-serving"
) -> list[dict[str, Any]]:
    """The policy's statements for the aws deployments of ``stack`` of ``project`` (empty when it has none)."""
    deployments = [d for d in stack.deployments if d.cloud == "aws"]
    if not deployments:
        return []
    region = stack.aws_region or "*"
    names = [d.name for d in deployments]
    sagemaker = f"arn:{partition}:sagemaker:{region}:{account}"
    statements = [
        _statement(
            "SageMakerEndpoints",
            SAGEMAKER_ACTIONS,
            [f"{sagemaker}:{kind}/{name}-*" for name in names for kind in ("model", "endpoint-config", "endpoint")],
        )
    ]
    created = [f"arn:{partition}:iam::{account}:role/{d.name}-execution-role-*" for d in deployments]
    created = [role for role, d in zip(created, deployments, strict=True) if not d.sagemaker.execution_role_arn]
    given = [d.sagemaker.execution_role_arn for d in deployments if d.sagemaker.execution_role_arn]
    if created:
        statements.append(_statement("ExecutionRoles", ROLE_ACTIONS, created))
    statements.append(
        _statement(
            "PassExecutionRoles",
            ["iam:PassRole"],
            [*created, *given],
            Condition={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        )
    )
    # Application Auto Scaling has no resource-level permissions for SageMaker scalable targets: "*" in the region.
    statements.append(
        _statement(
            "ScaleVariants",
            AUTOSCALING_ACTIONS,
            ["*"],
            Condition={"StringEquals": {"aws:RequestedRegion": region}},
        )
    )
    statements.append(
        _statement(
            "AutoScalingServiceLinkedRole",
            ["iam:CreateServiceLinkedRole"],
            [
                f"arn:{partition}:iam::{account}:role/aws-service-role/"
                f"{facts.SCALING_SERVICE_LINKED_ROLE_PRINCIPAL}/{facts.SCALING_SERVICE_LINKED_ROLE}"
            ],
            Condition={"StringLike": {"iam:AWSServiceName": facts.SCALING_SERVICE_LINKED_ROLE_PRINCIPAL}},
        )
    )
    cloudwatch = f"arn:{partition}:cloudwatch:{region}:{account}"
    alarms = [
        f"{cloudwatch}:alarm:{prefix}-*" for name in names for prefix in (name, f"{project}-{stack.stack}-{name}")
    ]
    statements.append(_statement("Alarms", ALARM_ACTIONS, alarms))
    # The name before the hash suffix (``{project}-{stack}-{deployment}``, 0.1.0) stays allowed so that the upgrade's
    # replacement can delete the old dashboard.
    dashboards = [
        f"arn:{partition}:cloudwatch::{account}:dashboard/{board}"
        for name in names
        for board in (dashboard_name(project, stack.stack, name), f"{project}-{stack.stack}-{name}")
    ]
    statements.append(_statement("Dashboards", DASHBOARD_ACTIONS, dashboards))
    asynchronous = [d.name for d in deployments if d.async_inference is not None]
    if asynchronous:
        statements.append(
            _statement(
                "AsyncOutputBuckets", BUCKET_ACTIONS, [f"arn:{partition}:s3:::{n}-async-bucket-*" for n in asynchronous]
            )
        )
        topics = [
            f"arn:{partition}:sns:{region}:{account}:{n}-async-{kind}-*"
            for d in deployments
            if d.async_inference is not None and d.async_inference.notifications
            for n, kind in ((d.name, "success"), (d.name, "error"))
        ]
        if topics:
            statements.append(_statement("AsyncNotificationTopics", TOPIC_ACTIONS, topics))
    keys = {d.sagemaker.kms_key for d in deployments if d.sagemaker.kms_key}
    keys |= {d.async_inference.kms_key for d in deployments if d.async_inference and d.async_inference.kms_key}
    if keys:
        statements.append(_statement("UseStackKeys", KEY_ACTIONS, sorted(keys)))
    statements.append(_statement("WhoAmI", IDENTITY_ACTIONS, ["*"]))
    return statements


def deployer_policy(
    stack: StackConfig, account: str = "*", partition: str = "aws", project: str = "ml-serving"
) -> dict[str, Any]:
    """The IAM policy document (``Version`` + ``Statement``) for the identity deploying ``stack``."""
    return {"Version": "2012-10-17", "Statement": deployer_statements(stack, account, partition, project)}


def deployer_policy_json(stack: StackConfig, account: str = "*", project: str = "ml-serving") -> str:
    """:func:`deployer_policy` as indented JSON, as the plan command prints it."""
    return json.dumps(deployer_policy(stack, account, project=project), indent=2)


def all_actions() -> tuple[str, ...]:
    """Every action the deployer policy may grant, sorted (the README lists them)."""
    groups = (
        SAGEMAKER_ACTIONS, ROLE_ACTIONS, ("iam:PassRole", "iam:CreateServiceLinkedRole"), AUTOSCALING_ACTIONS,
        ALARM_ACTIONS, DASHBOARD_ACTIONS, BUCKET_ACTIONS, TOPIC_ACTIONS, KEY_ACTIONS, IDENTITY_ACTIONS,
    )  # fmt: skip
    return tuple(sorted({action for group in groups for action in group}))


def render_permissions() -> str:
    """The README's list of the deployer's actions, grouped by service (generated; a test keeps it current)."""
    services: dict[str, list[str]] = {}
    for action in all_actions():
        service, _, name = action.partition(":")
        services.setdefault(service, []).append(name)
    lines = [f"- `{service}`: {', '.join(names)}" for service, names in sorted(services.items())]
    return "\n".join(lines) + "\n"
