"""`python -m components.plan`: what a user sees on the terminal, offline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from builders import REPO, aws_deployment, stack_values

from components.plan import main


def plan_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "components.plan", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def write_stack(tmp_path: Path, name: str, values: dict) -> Path:
    path = tmp_path / f"Pulumi.{name}.yaml"
    path.write_text(yaml.safe_dump({"config": values}), encoding="utf-8")
    return path


def test_dev_stack_renders_as_a_tree_with_outputs():
    result = plan_cli("--stack", "dev")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Stack dev: ")
    assert "+ pulumi:pulumi:Stack  ml-serving-dev" in lines
    assert "    + ml-serving:aws:SageMakerDeployment  ranker" in lines
    assert "        + aws:sagemaker/endpoint:Endpoint  ranker-endpoint" in lines
    assert "Outputs:" in lines


def test_json_plan_shape_parents_and_engine_property_names(capsys):
    assert main(["--stack", "dev", "--json", "--project-dir", str(REPO)]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["stack"] == "dev"
    urns = {resource["urn"] for resource in plan["resources"]}
    for resource in plan["resources"]:
        assert set(resource) >= {"urn", "type", "name", "parent", "inputs"}
        assert resource["parent"] is None or resource["parent"] in urns
    roots = [r for r in plan["resources"] if r["parent"] is None]
    assert [r["type"] for r in roots] == ["pulumi:pulumi:Stack"]
    endpoint = next(
        r
        for r in plan["resources"]
        if r["type"] == "aws:sagemaker/endpoint:Endpoint" and r["name"] == "ranker-endpoint"
    )
    assert "endpointConfigName" in endpoint["inputs"]
    assert plan["outputs"]["ranker"]["endpoint_name"].startswith("ranker-endpoint-")


def test_two_runs_are_identical():
    first, second = plan_cli("--stack", "dev", "--json"), plan_cli("--stack", "dev", "--json")
    assert first.returncode == 0 and first.stdout == second.stdout


def test_config_file_takes_stack_name_from_file_name(tmp_path, capsys):
    path = write_stack(tmp_path, "qa", stack_values(aws_deployment()))
    assert main(["--config-file", str(path), "--json", "--project-dir", str(REPO)]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["stack"] == "qa"
    tags = next(r for r in plan["resources"] if r["type"] == "aws:sagemaker/endpoint:Endpoint")["inputs"]["tags"]
    assert tags["stack"] == "qa"


def test_invalid_stack_file_exits_2_with_report_and_no_traceback(tmp_path):
    path = write_stack(tmp_path, "broken", stack_values(aws_deployment(scaling={"min": 4, "max": 2})))
    result = plan_cli("--config-file", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert f"{path}: 1 problem in the ml-serving config; nothing was declared." in result.stderr
    assert "deployments[0].scaling.max: max (2) is below min (4)" in result.stderr


def test_missing_stack_file_is_reported():
    result = plan_cli("--stack", "nope")
    assert result.returncode == 2 and "Pulumi.nope.yaml does not exist" in result.stderr


def test_invalid_yaml_is_reported_with_the_file(tmp_path):
    path = tmp_path / "Pulumi.bad.yaml"
    path.write_text("config: [unclosed\n", encoding="utf-8")
    result = plan_cli("--config-file", str(path))
    assert result.returncode == 2 and "not valid YAML" in result.stderr and str(path) in result.stderr
