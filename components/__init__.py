"""Reusable Pulumi components for model serving on AWS SageMaker and Google Vertex AI."""
