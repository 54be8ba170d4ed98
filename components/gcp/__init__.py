"""Vertex AI components: deployment, model upload/deploy resource, service account, output bucket."""

from .vertex_deployment import VertexDeployment

__all__ = ["VertexDeployment"]
