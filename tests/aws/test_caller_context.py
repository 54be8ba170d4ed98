"""The AWS partition, region and account are asked once per stack and AWS provider, not per deployment."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pulumi
import pulumi_aws as aws
import pytest
from builders import aws_deployment

from components.aws.sagemaker_deployment import SageMakerDeployment
from components.config import DeploymentConfig
from components.mock_cloud import CloudLikeMocks
from components.mock_runtime import run_program

PARTITION = "aws:index/getPartition:getPartition"
REGION = "aws:index/getRegion:getRegion"
IDENTITY = "aws:index/getCallerIdentity:getCallerIdentity"


@pytest.fixture
def invokes(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str]]:
    """(token, provider name) of every invoke the mock cloud answers."""
    seen: Counter[tuple[str, str]] = Counter()
    answer = CloudLikeMocks.call

    def counting(self: CloudLikeMocks, args: Any) -> Any:
        # the default provider has no reference; an explicit one is "urn:...::aws::frankfurt::id"
        seen[(args.token, args.provider.split("::")[-2] if args.provider else "default")] += 1
        return answer(self, args)

    monkeypatch.setattr(CloudLikeMocks, "call", counting)
    return seen


def _deployment(name: str) -> DeploymentConfig:
    return DeploymentConfig.model_validate(aws_deployment(name=name))


def test_three_deployments_on_the_default_provider_ask_three_invokes_once(invokes: Counter) -> None:
    def program() -> None:
        for name in ("alpha", "beta", "gamma"):
            SageMakerDeployment(name, _deployment(name))

    run_program(program, stack="dev", config={"aws:region": "eu-west-1"})
    assert sorted(invokes.items()) == [
        ((IDENTITY, "default"), 1),
        ((PARTITION, "default"), 1),
        ((REGION, "default"), 1),
    ]


def test_a_deployment_on_its_own_provider_asks_its_own_invokes(invokes: Counter) -> None:
    def program() -> None:
        frankfurt = aws.Provider("frankfurt", region="eu-central-1")
        SageMakerDeployment("alpha", _deployment("alpha"))
        SageMakerDeployment("beta", _deployment("beta"), opts=pulumi.ResourceOptions(providers={"aws": frankfurt}))
        SageMakerDeployment("gamma", _deployment("gamma"), opts=pulumi.ResourceOptions(providers={"aws": frankfurt}))

    run_program(program, stack="dev", config={"aws:region": "eu-west-1"})
    assert sorted(invokes.items()) == [
        ((IDENTITY, "default"), 1),
        ((IDENTITY, "frankfurt"), 1),
        ((PARTITION, "default"), 1),
        ((PARTITION, "frankfurt"), 1),
        ((REGION, "default"), 1),
        ((REGION, "frankfurt"), 1),
    ]


def test_each_plan_asks_again(invokes: Counter) -> None:
    for _ in range(2):
        run_program(lambda: SageMakerDeployment("alpha", _deployment("alpha")), stack="dev", config={})
    assert invokes[(REGION, "default")] == 2
