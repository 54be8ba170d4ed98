"""__main__.py under the engine: a bad stack file stops `pulumi up` with the report, before any resource."""

from __future__ import annotations

import pulumi
import pytest
from builders import REPO, aws_deployment, gcp_deployment, stack_values

from components.mock_runtime import RecordingMonitor, run_main


def test_invalid_stack_stops_the_program_with_a_run_error_and_declares_nothing(monkeypatch):
    declared: list[str] = []
    original = RecordingMonitor.RegisterResource

    def spy(self, request):
        declared.append(request.type)
        return original(self, request)

    monkeypatch.setattr(RecordingMonitor, "RegisterResource", spy)
    values = stack_values(aws_deployment(scaling={"min": 0, "max": 2, "metric": "cpu"}), gcp_deployment(name="ranker"))
    with pytest.raises(pulumi.RunError) as caught:
        run_main(REPO, stack="prod", config=values)
    message = str(caught.value)
    assert message.startswith("stacks/Pulumi.prod.yaml: 2 problems in the ml-serving config; nothing was declared.")
    assert "deployments[0].scaling.min" in message and "deployments[1].name" in message
    assert [t for t in declared if t != "pulumi:pulumi:Stack"] == []  # no resource of any deployment


def test_outputs_are_exported_per_deployment_for_both_clouds(run_stack):
    plan = run_stack(stack_values(aws_deployment(), gcp_deployment()))
    assert plan.outputs["ranker"]["cloud"] == "aws" and plan.outputs["reranker"]["cloud"] == "gcp"
    components = {
        r.name: r.type for r in plan.resources if r.type.startswith("ml-serving:") and r.parent.endswith("-test")
    }
    assert components == {"ranker": "ml-serving:aws:SageMakerDeployment", "reranker": "ml-serving:gcp:VertexDeployment"}
