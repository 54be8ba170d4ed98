"""An application stack composing ml-serving's components with its own resources.

It declares a SageMaker ranker and a Vertex AI reranker from typed configs (no ml-serving stack file), then:
- lets its API's IAM role invoke the ranker endpoint (and nothing else),
- alarms on the ranker's 5xx errors into the team's own SNS topic,
- exports what the API needs to call both models.
"""

import json

import pulumi
import pulumi_aws as aws

from components.aws import SageMakerDeployment
from components.config import DeploymentConfig
from components.facts import aws as aws_facts
from components.gcp import VertexDeployment

config = pulumi.Config()
gcp_config = pulumi.Config("gcp")

ranker = SageMakerDeployment(
    "ranker",
    DeploymentConfig(
        name="ranker",
        cloud="aws",
        image="111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1",
        artifacts="s3://acme-models/ranker/v7/model.tar.gz",
        accelerator={"type": "nvidia-l4"},
        scaling={"min": 1, "max": 4, "metric": "concurrency", "target": 2},
    ),
    extra_tags={"app": "ranking-api"},
)

reranker = VertexDeployment(
    "reranker",
    DeploymentConfig(
        name="reranker",
        cloud="gcp",
        image="europe-west4-docker.pkg.dev/acme-ml/serving/reranker:1.0.0",
        artifacts="gs://acme-models/reranker/v2/",
        accelerator={"type": "nvidia-l4"},
        scaling={"min": 1, "max": 3, "metric": "gpu", "target": 60},
    ),
    project=gcp_config.require("project"),
    region=gcp_config.require("region"),
    extra_labels={"app": "ranking-api"},
)

# The application's own resources, wired to the components' outputs.
app_role = aws.iam.Role(
    "api-role",
    name=config.get("app-role-name"),
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
aws.iam.RolePolicy(
    "api-invoke-ranker",
    role=app_role.id,
    policy=ranker.endpoint_arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": ["sagemaker:InvokeEndpoint"], "Resource": [arn]}],
            }
        )
    ),
)
alerts = aws.sns.Topic("ranking-alerts", kms_master_key_id="alias/aws/sns")
aws.cloudwatch.MetricAlarm(
    "ranker-5xx",
    namespace=aws_facts.INVOCATION_5XX_ERRORS.namespace,  # AWS/SageMaker
    metric_name=aws_facts.INVOCATION_5XX_ERRORS.name,
    dimensions={"EndpointName": ranker.endpoint_name, "VariantName": ranker.variant_name},
    statistic="Sum",
    period=60,
    evaluation_periods=5,
    threshold=5,
    comparison_operator="GreaterThanThreshold",
    treat_missing_data="notBreaching",
    alarm_actions=[alerts.arn],
)

pulumi.export("ranker_invoke_url", ranker.invoke_url)
pulumi.export("reranker_invoke_url", reranker.invoke_url)
pulumi.export("reranker_predict_url", reranker.invoke_url)  # deprecated export name, kept until the next MAJOR
pulumi.export("api_role_arn", app_role.arn)
