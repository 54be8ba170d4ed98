"""The pack's entry point, run with pulumi-policy itself (in policies/venv, as Pulumi runs it), reports exactly
what the plain rules report, for the offline plan of every stack with that stack's policy config."""

from __future__ import annotations

import json
import subprocess

import pytest
from builders import REPO
from ml_serving_policies import RESOURCE_RULES, STACK_RULES, PolicySettings, check_resources
from ml_serving_policies.rules import resources_from_plan

from components.plan import plan_stack_file

POLICY_PYTHON = REPO / "policies" / "venv" / "bin" / "python"
RUNNER = REPO / "tests" / "policies" / "run_pack_in_policy_venv.py"
STACK_FILES = sorted((REPO / "stacks").glob("Pulumi.*.yaml"))


@pytest.fixture(scope="module")
def policy_python():
    if not POLICY_PYTHON.exists():
        pytest.fail("policies/venv is missing: scripts/test creates it from policies/requirements.txt")
    return POLICY_PYTHON


@pytest.mark.parametrize("stack_file", STACK_FILES, ids=lambda p: p.stem.removeprefix("Pulumi."))
def test_entry_point_reports_what_the_rules_report(policy_python, stack_file, tmp_path):
    stack = stack_file.stem.removeprefix("Pulumi.")
    config_file = REPO / "policies" / "config" / f"{stack}.json"
    plan = plan_stack_file(stack_file, REPO).to_json()
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    result = subprocess.run(
        [str(policy_python), str(RUNNER), str(REPO / "policies" / "__main__.py"), str(plan_file), str(config_file)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    pack = json.loads(result.stdout)
    assert pack["name"] == "ml-serving"
    assert pack["policies"] == [rule.name for rule in (*RESOURCE_RULES, *STACK_RULES)]
    expected = check_resources(
        resources_from_plan(plan), PolicySettings.from_pack_config(json.loads(config_file.read_text(encoding="utf-8")))
    )
    assert sorted((v["policy"], v["urn"], v["message"]) for v in pack["violations"]) == sorted(
        (v.rule, v.urn, v.message) for v in expected
    )


def test_the_pack_reads_the_fact_modules_and_nothing_heavier(policy_python, tmp_path):
    code = (
        "import json, runpy, sys, pulumi_policy\n"
        "pulumi_policy.PolicyPack = lambda **_: None\n"
        f"runpy.run_path({str(REPO / 'policies' / '__main__.py')!r}, run_name='__main__')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('components'))))\n"
    )
    result = subprocess.run([str(policy_python), "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert "components.accelerators.data" in loaded
    assert [m for m in loaded if not m.startswith(("components.accelerators", "components.facts"))] == ["components"]


def test_a_pack_without_the_fact_modules_fails_loudly(policy_python, tmp_path):
    """Before, a failed import made the GPU-budget rule pass silently."""
    import shutil

    pack = tmp_path / "policies"
    shutil.copytree(REPO / "policies", pack, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    result = subprocess.run(
        [str(policy_python), str(pack / "__main__.py")], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode != 0
    assert "components/facts not found; the pack reads its cloud facts from the repository it lives in" in (
        result.stderr
    )
