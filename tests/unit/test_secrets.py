"""Secret environment values: accepted as written by `pulumi config set --secret --path`, kept Pulumi secrets in
every resource input, shown as [secret] in the plan and the diff (a plan of stack files: as their ciphertext's fingerprint), never in
plain text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from builders import REPO, aws_deployment, gcp_deployment, stack_values
from pulumi.runtime.config import set_all_config

from components.config import ConfigError, load_stack_config
from components.mock_runtime import config_for_engine, run_main, run_program
from components.plan import main, plan_stack_file
from components.plan_diff import diff_plans, render_diff
from components.program import declare_deployments, stack_config_from_pulumi

CIPHERTEXT = "v1:c2VjcmV0Y2lwaGVydGV4dA=="
OTHER_CIPHERTEXT = "v1:bmV3Y2lwaGVydGV4dA=="
FINGERPRINT = "[secret, ciphertext 991ed466]"
OTHER_FINGERPRINT = "[secret, ciphertext fa3d00c7]"  # sha256("v1:bmV3Y2lwaGVydGV4dA==") starts fa3d00c7
PLAINTEXT = "hunter2-do-not-print"


def secret_stack(value: object) -> dict:
    return stack_values(
        aws_deployment(environment={"API_KEY": value, "LOG_LEVEL": "info"}),
        gcp_deployment(environment={"API_KEY": value}),
        **{"ml-serving:defaults": {"environment": {"SHARED_TOKEN": value}}},
    )


def environments(plan_json: dict) -> dict[str, object]:
    found = {}
    for resource in plan_json["resources"]:
        if resource["type"] == "aws:sagemaker/model:Model":
            found["aws"] = resource["inputs"]["primaryContainer"]["environment"]
        if resource["type"].endswith("VertexModelDeployment"):
            found["gcp"] = resource["inputs"]["env"]
    return found


def test_secret_environment_values_are_accepted_and_remembered():
    stack = load_stack_config(secret_stack({"secure": CIPHERTEXT}), "sec")
    ranker, reranker = stack.deployments
    assert ranker.secret_environment == frozenset({"API_KEY", "SHARED_TOKEN"})
    assert reranker.secret_environment == frozenset({"API_KEY", "SHARED_TOKEN"})
    assert ranker.environment["LOG_LEVEL"] == "info"


def test_offline_plan_shows_secrets_as_their_ciphertext_fingerprint_where_they_sit(tmp_path, capsys):
    path = tmp_path / "Pulumi.sec.yaml"
    path.write_text(yaml.safe_dump({"config": secret_stack({"secure": CIPHERTEXT})}), encoding="utf-8")
    assert main(["--config-file", str(path), "--json", "--project-dir", str(REPO)]) == 0
    output = capsys.readouterr().out
    assert CIPHERTEXT not in output
    # 991ed466: the first 8 hex digits of sha256("v1:c2VjcmV0Y2lwaGVydGV4dA==") (`printf %s ... | sha256sum`)
    assert environments(json.loads(output)) == {
        "aws": {"API_KEY": FINGERPRINT, "LOG_LEVEL": "info", "SHARED_TOKEN": FINGERPRINT},
        "gcp": {"API_KEY": FINGERPRINT, "SHARED_TOKEN": FINGERPRINT},
    }


def stack_file_plan(directory: Path, ciphertext: str) -> dict:
    """The offline plan of a stack file ``Pulumi.sec.yaml`` holding ``ciphertext`` as its secrets."""
    directory.mkdir()
    path = directory / "Pulumi.sec.yaml"
    path.write_text(yaml.safe_dump({"config": secret_stack({"secure": ciphertext})}), encoding="utf-8")
    return plan_stack_file(path, REPO).to_json()


def test_a_changed_ciphertext_shows_as_a_roll_over_without_either_value(tmp_path):
    base = stack_file_plan(tmp_path / "base", CIPHERTEXT)
    head = stack_file_plan(tmp_path / "head", OTHER_CIPHERTEXT)
    rendered = render_diff(diff_plans(base, head), "base", "head")
    assert CIPHERTEXT not in rendered and OTHER_CIPHERTEXT not in rendered
    lines = [line.strip() for line in rendered.splitlines()]
    assert "+- aws:sagemaker/model:Model  ranker-model  (primaryContainer)" in lines
    assert (
        "+- aws:sagemaker/endpointConfiguration:EndpointConfiguration  ranker-config  (ranker-model is replaced)"
        in lines
    )
    assert f"primaryContainer.environment.API_KEY: {FINGERPRINT} -> {OTHER_FINGERPRINT}" in lines
    assert "+- pulumi-python:dynamic/gcp:VertexModelDeployment  reranker-model  (env)" in lines
    assert f"env.SHARED_TOKEN: {FINGERPRINT} -> {OTHER_FINGERPRINT}" in lines


def test_the_same_ciphertext_shows_no_change(tmp_path):
    base = stack_file_plan(tmp_path / "base", CIPHERTEXT)
    head = stack_file_plan(tmp_path / "head", CIPHERTEXT)
    assert diff_plans(base, head).empty


def test_a_plan_made_before_fingerprints_is_not_read_as_a_changed_secret(tmp_path):
    # The base revision's code showed every secret as [secret]: whether the value changed is unknown, and the
    # first diff after the upgrade must not claim a roll-over of every deployment with a secret.
    base = run_main(REPO, stack="sec", config=secret_stack({"secure": CIPHERTEXT})).to_json()
    assert environments(base)["gcp"] == {"API_KEY": "[secret]", "SHARED_TOKEN": "[secret]"}
    head = stack_file_plan(tmp_path / "head", OTHER_CIPHERTEXT)
    assert diff_plans(base, head).empty


def run_as_pulumi_up(project_dir: Path, stack: str, file_values: dict) -> dict:
    """Run the program as `pulumi up` would: the engine hands over decrypted config and marks the keys secret."""
    decrypted = json.loads(json.dumps(file_values).replace(json.dumps({"secure": CIPHERTEXT}), json.dumps(PLAINTEXT)))
    secret_keys = [key for key, value in file_values.items() if CIPHERTEXT in json.dumps(value)]

    def program() -> None:
        set_all_config(config_for_engine(decrypted), secret_keys=secret_keys)
        cwd = Path.cwd()
        import os

        os.chdir(project_dir)
        try:
            declare_deployments(stack_config_from_pulumi())
        finally:
            os.chdir(cwd)

    return run_program(program, stack=stack, config=decrypted).to_json()


def project_with_stack(tmp_path: Path, stack: str, values: dict) -> Path:
    shutil.copy(REPO / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    (tmp_path / "stacks").mkdir()
    path = tmp_path / "stacks" / f"Pulumi.{stack}.yaml"
    path.write_text(yaml.safe_dump({"config": values}), encoding="utf-8")
    return tmp_path


def test_under_pulumi_up_a_secret_never_appears_in_plain_text(tmp_path):
    values = secret_stack({"secure": CIPHERTEXT})
    plan = run_as_pulumi_up(project_with_stack(tmp_path, "sec", values), "sec", values)
    text = json.dumps(plan)
    assert PLAINTEXT not in text
    assert environments(plan) == {
        "aws": {"API_KEY": "[secret]", "LOG_LEVEL": "info", "SHARED_TOKEN": "[secret]"},
        "gcp": {"API_KEY": "[secret]", "SHARED_TOKEN": "[secret]"},
    }
    base = run_main(REPO, stack="sec", config=secret_stack("old-plain-value")).to_json()
    rendered = render_diff(diff_plans(base, plan), "base", "head")
    assert PLAINTEXT not in rendered
    assert "[secret]" in rendered


def test_without_the_stack_file_every_environment_value_is_treated_as_secret(tmp_path):
    shutil.copy(REPO / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    values = secret_stack({"secure": CIPHERTEXT})
    plan = run_as_pulumi_up(tmp_path, "sec", values)
    assert PLAINTEXT not in json.dumps(plan)
    assert environments(plan) == {
        "aws": {"API_KEY": "[secret]", "LOG_LEVEL": "[secret]", "SHARED_TOKEN": "[secret]"},
        "gcp": {"API_KEY": "[secret]", "SHARED_TOKEN": "[secret]"},
    }


POST_IMAGE = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/post:1.0"


def sagemaker_models_stack(value: object) -> dict:
    """Secrets in a second container's, a variant's and a shadow's environment."""
    return stack_values(
        aws_deployment(
            name="pipeline",
            sagemaker={
                "containers": [
                    {"hostname": "post", "image": POST_IMAGE, "environment": {"POST_KEY": value, "MODE": "fast"}}
                ]
            },
        ),
        aws_deployment(
            name="ranker", sagemaker={"variants": [{"name": "challenger", "environment": {"API_KEY": value}}]}
        ),
        aws_deployment(
            name="scorer", sagemaker={"shadow": {"name": "shadow", "environment": {"API_KEY": value, "MODE": "shadow"}}}
        ),
    )


def model_environments(plan_json: dict) -> dict[str, object]:
    found: dict[str, object] = {}
    for resource in plan_json["resources"]:
        if resource["type"] == "aws:sagemaker/model:Model":
            inputs = resource["inputs"]
            containers = inputs.get("containers") or [inputs["primaryContainer"]]
            found[resource["name"]] = [container.get("environment") for container in containers]
    return found


def test_container_variant_and_shadow_environments_take_secrets(tmp_path):
    path = tmp_path / "Pulumi.sec.yaml"
    path.write_text(yaml.safe_dump({"config": sagemaker_models_stack({"secure": CIPHERTEXT})}), encoding="utf-8")
    plan = plan_stack_file(path, REPO).to_json()
    assert CIPHERTEXT not in json.dumps(plan)
    assert model_environments(plan) == {
        "pipeline-model": [None, {"MODE": "fast", "POST_KEY": FINGERPRINT}],
        "ranker-model": [None],
        "ranker-challenger-model": [{"API_KEY": FINGERPRINT}],
        "scorer-model": [None],
        "scorer-shadow-model": [{"API_KEY": FINGERPRINT, "MODE": "shadow"}],
    }


def test_under_pulumi_up_container_variant_and_shadow_secrets_never_appear_in_plain_text(tmp_path):
    values = sagemaker_models_stack({"secure": CIPHERTEXT})
    plan = run_as_pulumi_up(project_with_stack(tmp_path, "sec", values), "sec", values)
    assert PLAINTEXT not in json.dumps(plan)
    environments = model_environments(plan)
    assert environments["pipeline-model"] == [None, {"MODE": "fast", "POST_KEY": "[secret]"}]
    assert environments["ranker-challenger-model"] == [{"API_KEY": "[secret]"}]
    assert environments["scorer-shadow-model"] == [{"API_KEY": "[secret]", "MODE": "shadow"}]


def test_a_long_secret_in_a_variant_is_not_refused_for_a_length_only_its_plain_text_has():
    # SageMaker's limit is on the value (1024 characters); offline only the ciphertext is known.
    long_ciphertext = "v1:" + "A" * 2000
    stack = load_stack_config(
        stack_values(
            aws_deployment(sagemaker={"variants": [{"name": "v2", "environment": {"K": {"secure": long_ciphertext}}}]})
        ),
        "sec",
    )
    assert stack.deployments[0].sagemaker.variants[0].secret_environment == frozenset({"K"})
    plain = stack_values(aws_deployment(sagemaker={"variants": [{"name": "v2", "environment": {"K": "A" * 2000}}]}))
    with pytest.raises(ConfigError) as caught:
        load_stack_config(plain, "sec")
    assert [problem.path for problem in caught.value.problems] == ["deployments[0].sagemaker.variants[0].environment.K"]
