"""The benchmark's raw-SDK baseline registers exactly the resources the plan declared, so the ratio compares like
with like."""

from __future__ import annotations

import sys

import pulumi_aws
import pulumi_gcp
from builders import REPO

from benchmarks.plan_scaling import declare_raw, load_provider_classes, provider_modules, synthetic_stack
from components.mock_runtime import run_main, run_program


def test_the_raw_program_declares_the_same_resources_with_the_same_inputs():
    config = synthetic_stack(3)
    plan = run_main(REPO, stack="bench", config=config).to_json()
    raw = run_program(lambda: declare_raw(plan), stack="bench", config=config).to_json()

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
    classes = load_provider_classes({"aws:sns/topic:Topic", "gcp:vertex/aiEndpoint:AiEndpoint", "ml-serving:aws:X"})
    assert classes == [pulumi_aws.sns.Topic, pulumi_gcp.vertex.AiEndpoint]
    # the provider's module bodies ran: the resource modules are imported, not just the package placeholders
    assert "pulumi_aws.sns.topic" in sys.modules and "pulumi_gcp.vertex.ai_endpoint" in sys.modules
