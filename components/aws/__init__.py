"""SageMaker components: deployment, execution role, autoscaling."""

from .sagemaker_deployment import SageMakerDeployment

__all__ = ["SageMakerDeployment"]
