"""The benchmark's raw-SDK baseline registers exactly the resources the plan declared, so the ratio compares like
with like."""

from __future__ import annotations

import subprocess
import sys

from builders import REPO

from benchmarks.plan_scaling import declare_raw, provider_modules, synthetic_stack
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
