"""`--diff`: what changes between two plans, replacements and data deletions first."""

from __future__ import annotations

import shutil
import subprocess
import sys

import yaml
from builders import REPO, aws_deployment, gcp_deployment, stack_values

from components.plan_diff import diff_plans
from components.plan_review import render_diff


def plan_json(run_stack, *deployments):
    return run_stack(stack_values(*deployments), stack="prod").to_json()


def test_new_image_rolls_over_model_and_endpoint_config_and_updates_endpoint(run_stack):
    base = plan_json(run_stack, aws_deployment())
    head = plan_json(run_stack, aws_deployment(image="111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.4.0"))
    diff = diff_plans(base, head)
    replaced = {r.name: r for r in diff.of("replace")}
    assert set(replaced) == {"ranker-model", "ranker-config"}
    assert replaced["ranker-model"].changes[0].path == "primaryContainer.image"
    assert replaced["ranker-config"].reason == "ranker-model is replaced"
    # The roll-over is an update of the endpoint's lifecycle; its name holder ignores the configuration.
    assert [r.name for r in diff.of("update")] == ["ranker-endpoint-lifecycle"]
    text = render_diff(diff)
    assert text.index("REPLACED (2)") < text.index("Summary:")
    assert "!! " not in text  # a roll-over is no risk
    assert "primaryContainer.image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1 -> " in text


def test_scaling_bounds_change_updates_in_place(run_stack):
    base = plan_json(run_stack, aws_deployment())
    head = plan_json(run_stack, aws_deployment(scaling={"min": 2, "max": 10, "metric": "concurrency", "target": 3}))
    diff = diff_plans(base, head)
    assert diff.of("replace") == []
    (update,) = diff.of("update")
    assert update.name == "ranker-scaling-target"
    assert [(c.path, c.old, c.new) for c in update.changes] == [("maxCapacity", 6, 10)]


def test_removed_output_bucket_is_flagged_unless_retained(run_stack):
    with_bucket = plan_json(run_stack, gcp_deployment(**{"async": {"force_destroy": True}}))
    without = plan_json(run_stack, gcp_deployment())
    text = render_diff(diff_plans(with_bucket, without))
    assert text.splitlines()[1] == "!! DATA (1): stored outputs deleted or expired sooner"
    assert text.splitlines()[2] == (
        "   - reranker-output-bucket (gcp:storage/bucket:Bucket) is deleted: the outputs stored in it are deleted"
    )
    retained = plan_json(run_stack, gcp_deployment(**{"async": True}))
    text = render_diff(diff_plans(retained, without))
    assert "!! DATA" not in text and "Retained in the cloud when dropped (1)" in text


def test_vertex_image_change_replaces_the_model_deployment_only(run_stack):
    base = plan_json(run_stack, gcp_deployment())
    head = plan_json(run_stack, gcp_deployment(image="europe-west4-docker.pkg.dev/acme-ml/serving/reranker:1.1.0"))
    diff = diff_plans(base, head)
    assert [r.name for r in diff.of("replace")] == ["reranker-model"]
    assert diff.of("update") == [] and diff.of("delete") == []


def test_identical_plans_have_no_changes(run_stack):
    plan = plan_json(run_stack, aws_deployment())
    assert "No changes." in render_diff(diff_plans(plan, plan))


def test_diff_against_a_git_revision_uses_that_revisions_files(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for item in ("components", "stacks", "__main__.py", "Pulumi.yaml"):
        source = REPO / item
        if source.is_dir():
            shutil.copytree(source, project / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, project / item)
    stack_file = project / "stacks" / "Pulumi.review.yaml"
    stack_file.write_text(yaml.safe_dump({"config": stack_values(aws_deployment())}), encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "."], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=project, check=True)
    changed = stack_values(aws_deployment(accelerator={"type": "nvidia-l4"}))
    stack_file.write_text(yaml.safe_dump({"config": changed}), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "components.plan", "--diff", "HEAD", "--stack", "review"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "Plan diff of stack review: HEAD -> working tree" in result.stdout
    assert "productionVariants[0].instanceType: ml.g5.xlarge -> ml.g6.xlarge" in result.stdout
    assert "+- aws:sagemaker/endpointConfiguration:EndpointConfiguration  ranker-config" in result.stdout


def _resource(urn: str, name: str, parent: str | None, **options: object) -> dict:
    return {
        "urn": urn,
        "type": urn.split("::")[2].rsplit("$", 1)[-1],
        "name": name,
        "parent": parent,
        "inputs": {"x": 1},
        "options": options,
    }


STACK_URN = "urn:pulumi:prod::ml-serving::pulumi:pulumi:Stack::ml-serving-prod"
COMPONENT = "urn:pulumi:prod::ml-serving::ml-serving:aws:SageMakerDeployment::ranker"


def test_a_renamed_resource_with_an_alias_is_the_same_resource():
    old = "urn:pulumi:prod::ml-serving::ml-serving:aws:SageMakerDeployment$aws:sagemaker/model:Model::ranker-model"
    new = "urn:pulumi:prod::ml-serving::ml-serving:aws:SageMakerDeployment$aws:sagemaker/model:Model::ranker-m"
    base = {"stack": "prod", "recorded_options": ["aliases"], "resources": [_resource(old, "ranker-model", COMPONENT)]}
    by_urn = {
        "stack": "prod",
        "recorded_options": ["aliases"],
        "resources": [_resource(new, "ranker-m", COMPONENT, aliases=[old])],
    }
    by_spec = {
        "stack": "prod",
        "recorded_options": ["aliases"],
        "resources": [_resource(new, "ranker-m", COMPONENT, aliases=["name=ranker-model"])],
    }
    unaliased = {"stack": "prod", "recorded_options": ["aliases"], "resources": [_resource(new, "ranker-m", COMPONENT)]}
    for head in (by_urn, by_spec):
        diff = diff_plans(base, head)
        assert [(r.action, r.name) for r in diff.resources] == [("update", "ranker-m")]
        assert [c.path for c in diff.resources[0].option_changes] == ["aliases"]
    assert sorted((r.action, r.name) for r in diff_plans(base, unaliased).resources) == [
        ("add", "ranker-m"),
        ("delete", "ranker-model"),
    ]


def test_a_reparented_resource_with_a_parent_alias_is_the_same_resource():
    old = "urn:pulumi:prod::ml-serving::aws:sns/topic:Topic::ranker-topic"
    new = "urn:pulumi:prod::ml-serving::ml-serving:aws:SageMakerDeployment$aws:sns/topic:Topic::ranker-topic"
    base = {"stack": "prod", "recorded_options": ["aliases"], "resources": [_resource(old, "ranker-topic", STACK_URN)]}
    head = {
        "stack": "prod",
        "recorded_options": ["aliases"],
        "resources": [_resource(new, "ranker-topic", COMPONENT, aliases=[f"parent={STACK_URN}"])],
    }
    assert [r.action for r in diff_plans(base, head).resources] == ["update"]


def test_options_a_plan_did_not_record_are_not_compared():
    urn = "urn:pulumi:prod::ml-serving::aws:s3/bucket:Bucket::b"
    legacy = {"stack": "prod", "resources": [_resource(urn, "b", STACK_URN, protect=True)]}  # 0.1.0: no list
    recorded = ["protect", "retainOnDelete", "aliases"]
    head = {
        "stack": "prod",
        "recorded_options": recorded,
        "resources": [_resource(urn, "b", STACK_URN, protect=True, aliases=["type=aws:s3/bucketV2:BucketV2"])],
    }
    assert diff_plans(legacy, head).resources == []
    base = {**head, "resources": [_resource(urn, "b", STACK_URN, protect=True)]}
    (update,) = diff_plans(base, head).resources
    assert [(c.path, c.old, c.new) for c in update.option_changes] == [
        ("aliases", None, ["type=aws:s3/bucketV2:BucketV2"])
    ]
