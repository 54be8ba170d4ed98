"""The deployer's least-privilege policy: actions that exist, resources of the stack only, the README list current."""

from __future__ import annotations

import json
from functools import cache

import botocore.session
import pytest
from builders import REPO

from components.aws import deployer_policy
from components.config import load_stack_file
from components.plan import main

# IAM action -> API operation where S3 names them differently (Service Authorization Reference, "Actions defined by
# Amazon S3": https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
S3_ACTION_OPERATIONS = {
    "GetAccelerateConfiguration": "GetBucketAccelerateConfiguration",
    "GetBucketCORS": "GetBucketCors",
    "GetBucketObjectLockConfiguration": "GetObjectLockConfiguration",
    "GetBucketPublicAccessBlock": "GetPublicAccessBlock",
    "PutBucketPublicAccessBlock": "PutPublicAccessBlock",
    "GetEncryptionConfiguration": "GetBucketEncryption",
    "GetLifecycleConfiguration": "GetBucketLifecycleConfiguration",
    "GetReplicationConfiguration": "GetBucketReplication",
    "ListBucket": "ListObjectsV2",
    "PutEncryptionConfiguration": "PutBucketEncryption",
    "PutLifecycleConfiguration": "PutBucketLifecycleConfiguration",
}
PERMISSION_ONLY = {"iam:PassRole"}
"""Actions that authorize a parameter of another call, not an API operation of their own
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)."""
# IAM service prefix -> botocore service name (the same for these services).
SERVICES = {
    "application-autoscaling": "application-autoscaling",
    "cloudwatch": "cloudwatch",
    "iam": "iam",
    "kms": "kms",
    "s3": "s3",
    "sagemaker": "sagemaker",
    "sns": "sns",
    "sts": "sts",
}


@cache
def operations(service: str) -> frozenset[str]:
    return frozenset(botocore.session.get_session().get_service_model(service).operation_names)


@cache
def prod_policy() -> dict:
    return deployer_policy.deployer_policy(load_stack_file(REPO / "stacks/Pulumi.prod.yaml"), "111122223333")


@pytest.mark.parametrize("action", deployer_policy.all_actions())
def test_every_action_is_an_api_operation(action):
    if action in PERMISSION_ONLY:
        return
    prefix, _, name = action.partition(":")
    operation = S3_ACTION_OPERATIONS.get(name, name) if prefix == "s3" else name
    assert operation in operations(SERVICES[prefix])


def test_the_endpoint_lifecycle_actions_are_granted():
    granted = {a for s in prod_policy()["Statement"] for a in s["Action"]}
    assert {
        "sagemaker:UpdateEndpoint",
        "sagemaker:DescribeEndpoint",
        "sagemaker:DescribeEndpointConfig",
        "application-autoscaling:RegisterScalableTarget",
        "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:DescribeScalableTargets",
        "iam:PassRole",
        "iam:CreateServiceLinkedRole",
        "kms:CreateGrant",
        "kms:DescribeKey",
    } <= granted


def test_statements_name_the_stack_resources():
    statements = {s["Sid"]: s for s in prod_policy()["Statement"]}
    assert statements["PassExecutionRoles"] == {
        "Sid": "PassExecutionRoles",
        "Effect": "Allow",
        "Action": ["iam:PassRole"],
        "Resource": [
            "arn:aws:iam::111122223333:role/doc-summarizer-execution-role-*",
            "arn:aws:iam::111122223333:role/ranker-execution-role-*",
            "arn:aws:iam::111122223333:role/text-embed-execution-role-*",
        ],
        "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
    }
    assert statements["UseStackKeys"]["Resource"] == [
        "arn:aws:kms:eu-west-1:111122223333:key/9b7e4f2a-3c1d-4e8f-a6b5-0d2c7e9f1a34"
    ]
    assert statements["AsyncOutputBuckets"]["Resource"] == ["arn:aws:s3:::doc-summarizer-async-bucket-*"]
    assert statements["Dashboards"]["Resource"] == [
        # the 0.1.0 name (the upgrade deletes it), then the new one (printf 'ml-serving\0prod\0ranker' | sha256sum)
        "arn:aws:cloudwatch::111122223333:dashboard/ml-serving-prod-doc-summarizer",
        "arn:aws:cloudwatch::111122223333:dashboard/ml-serving-prod-doc-summarizer-24f10758",
        "arn:aws:cloudwatch::111122223333:dashboard/ml-serving-prod-ranker",
        "arn:aws:cloudwatch::111122223333:dashboard/ml-serving-prod-ranker-8f682e56",
        "arn:aws:cloudwatch::111122223333:dashboard/ml-serving-prod-text-embed",
        "arn:aws:cloudwatch::111122223333:dashboard/ml-serving-prod-text-embed-0d5c12a9",
    ]
    assert statements["AutoScalingServiceLinkedRole"]["Resource"] == [
        "arn:aws:iam::111122223333:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
        "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
    ]


def test_no_wildcard_actions_and_star_resources_only_where_aws_has_no_narrower_one():
    for statement in prod_policy()["Statement"]:
        assert all("*" not in action for action in statement["Action"])
        if "*" in statement["Resource"]:
            assert statement["Sid"] in ("ScaleVariants", "WhoAmI"), statement["Sid"]
    (scale,) = [s for s in prod_policy()["Statement"] if s["Sid"] == "ScaleVariants"]
    assert scale["Condition"] == {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}


def test_plan_command_prints_the_policy(capsys):
    assert main(["--deployer-policy", "--stack", "prod", "--account", "111122223333", "--project-dir", str(REPO)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == prod_policy()


def test_readme_lists_the_actions():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert deployer_policy.render_permissions() in text
    assert "- `sagemaker`: AddTags, CreateEndpoint, CreateEndpointConfig, CreateModel" in text


def test_workflows_reference_the_policy():
    for workflow in ("pulumi-up.yml", "pull-request.yml"):
        assert "--deployer-policy" in (REPO / ".github/workflows" / workflow).read_text(encoding="utf-8")
