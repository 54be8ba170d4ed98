"""The benchmark's raw-SDK baseline registers exactly the resources the plan declared, so the ratio compares like
with like."""

from __future__ import annotations

import subprocess
import sys

import pytest
from builders import REPO

from benchmarks.plan_scaling import declare_raw, declare_typed, provider_modules, synthetic_stack
from components.mock_runtime import run_main, run_program


@pytest.mark.parametrize("declare", [declare_raw, declare_typed], ids=["raw", "typed classes"])
def test_each_baseline_declares_the_same_resources_with_the_same_inputs(declare):
    config = synthetic_stack(3)
    plan = run_main(REPO, stack="bench", config=config).to_json()
    raw = run_program(lambda: declare(plan), stack="bench", config=config).to_json()

    def shape(p: dict) -> list[tuple]:
        return sorted(
            (r["urn"], r["parent"], tuple((r.get("options") or {}).get("dependsOn", []))) for r in p["resources"]
        )

    assert shape(raw) == shape(plan)
    assert {r["urn"]: r["inputs"] for r in raw["resources"]} == {r["urn"]: r["inputs"] for r in plan["resources"]}
    kinds = {r["type"] for r in plan["resources"]}
    assert {"aws:sagemaker/endpoint:Endpoint", "aws:s3/bucket:Bucket", "gcp:vertex/aiEndpoint:AiEndpoint"} <= kinds
    assert "pulumi_aws.sagemaker" in provider_modules(kinds) and "pulumi_gcp.vertex" in provider_modules(kinds)


def test_the_raw_program_loads_the_provider_classes_not_only_their_lazy_placeholders():
    # In a fresh interpreter: importing the package only leaves the provider's lazy placeholder (no resource module
    # ran); loading the classes runs the resource modules, as the program does.
    code = (
        "import importlib, sys\n"
        "from benchmarks.plan_scaling import load_provider_classes\n"
        "importlib.import_module('pulumi_aws.sns')\n"
        "print('pulumi_aws.sns.topic' in sys.modules)\n"
        "classes = load_provider_classes({'aws:sns/topic:Topic', 'ml-serving:aws:X'})\n"
        "print([c.__module__ + '.' + c.__name__ for c in classes], 'pulumi_aws.sns.topic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["False", "['pulumi_aws.sns.topic.Topic'] True"]


def test_the_typed_baseline_uses_the_provider_classes():
    config = synthetic_stack(3)
    plan = run_main(REPO, stack="bench", config=config).to_json()
    declared: list[str] = []

    def program() -> None:
        import pulumi

        original = pulumi.CustomResource.__init__

        def record(self, t, name, props=None, opts=None, *args, **kwargs):  # type: ignore[no-untyped-def]
            declared.append(f"{type(self).__module__}.{type(self).__name__} {t}")
            original(self, t, name, props, opts, *args, **kwargs)

        pulumi.CustomResource.__init__ = record  # type: ignore[method-assign]
        try:
            declare_typed(plan)
        finally:
            pulumi.CustomResource.__init__ = original  # type: ignore[method-assign]

    run_program(program, stack="bench", config=config)
    assert "pulumi_aws.sagemaker.endpoint.Endpoint aws:sagemaker/endpoint:Endpoint" in declared
    assert "pulumi_gcp.vertex.ai_endpoint.AiEndpoint gcp:vertex/aiEndpoint:AiEndpoint" in declared
    assert "pulumi.resource.CustomResource pulumi-python:dynamic/aws:SageMakerEndpointLifecycle" in declared
