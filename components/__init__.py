"""Reusable Pulumi components for model serving on AWS SageMaker and Google Vertex AI."""

__version__ = "0.1.0"
"""The package version (semantic versioning; see CHANGELOG.md). pyproject.toml reads it from here."""
