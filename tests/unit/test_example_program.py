"""examples/composed: another team's program reusing the components, run under the shared mock runtime."""

from __future__ import annotations

import json
import subprocess
import sys

from builders import REPO

from components.config import read_stack_file
from components.mock_runtime import run_main

EXAMPLE = REPO / "examples" / "composed"


def example_plan():
    return run_main(
        EXAMPLE, stack="example", config=read_stack_file(EXAMPLE / "Pulumi.example.yaml"), project="ranking-app"
    )


def test_app_role_may_invoke_only_the_ranker_endpoint():
    plan = example_plan()
    policy = json.loads(plan.one("aws:iam/rolePolicy:RolePolicy", "api-invoke-ranker").inputs["policy"])
    endpoint_arn = plan.one("ml-serving:aws:SageMakerDeployment", "ranker")
    assert endpoint_arn.type == "ml-serving:aws:SageMakerDeployment"
    (statement,) = policy["Statement"]
    assert statement["Action"] == ["sagemaker:InvokeEndpoint"]
    name = plan.outputs["ranker_invoke_url"].split("/endpoints/")[1].split("/")[0]
    assert statement["Resource"] == [f"arn:aws:sagemaker:eu-west-1:123456789012:endpoint/{name}"]


def test_alarm_watches_the_ranker_endpoint_and_variant():
    plan = example_plan()
    alarm = plan.one("aws:cloudwatch/metricAlarm:MetricAlarm", "ranker-5xx")
    name = plan.outputs["ranker_invoke_url"].split("/endpoints/")[1].split("/")[0]
    assert alarm.inputs["dimensions"] == {"EndpointName": name, "VariantName": "primary"}
    assert alarm.inputs["alarmActions"][0].startswith("arn:aws:sns:eu-west-1:123456789012:ranking-alerts-")


def test_components_keep_their_tags_and_labels_with_the_apps_project_name():
    plan = example_plan()
    endpoint = plan.one("aws:sagemaker/endpoint:Endpoint")
    assert endpoint.inputs["tags"]["project"] == "ranking-app" and endpoint.inputs["tags"]["app"] == "ranking-api"
    assert plan.one("gcp:vertex/aiEndpoint:AiEndpoint").inputs["labels"]["app"] == "ranking-api"


def test_example_runs_against_the_installed_package(tmp_path):
    """pip-install the repository (as the example's requirements.txt does) and run the example from it."""
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    script = (
        "import sys, json; sys.path.insert(0, sys.argv[1]); import components;"
        "from components.mock_runtime import run_main; from components.config import read_stack_file;"
        "plan = run_main(sys.argv[2], stack='example', config=read_stack_file(sys.argv[3]), project='ranking-app');"
        "print(json.dumps({'file': components.__file__, 'count': len(plan.resources)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(site), str(EXAMPLE), str(EXAMPLE / "Pulumi.example.yaml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"},
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["file"].startswith(str(site))
    assert figures["count"] == len(example_plan().resources)


def test_the_reranker_exports_its_invoke_url_and_the_deprecated_predict_url():
    plan = example_plan()
    url = plan.outputs["reranker_invoke_url"]
    assert url.startswith("https://europe-west4-aiplatform.googleapis.com/v1/projects/") and url.endswith(":predict")
    assert plan.outputs["reranker_predict_url"] == url
