"""The shared mock runtime runs the real program and records what a reviewer would read in a preview."""

import pytest
from builders import aws_deployment, stack_values


def test_program_declares_sagemaker_chain_with_parents(run_stack):
    plan = run_stack(stack_values(aws_deployment()))
    component = plan.one("ml-serving:aws:SageMakerDeployment", "ranker")
    endpoint = plan.one("aws:sagemaker/endpoint:Endpoint")
    assert endpoint.parent == component.urn
    assert plan.outputs["ranker"]["endpoint_name"].startswith("ranker-endpoint-")


def test_secrets_show_as_secret_and_options_are_recorded():
    import pulumi

    from components.mock_runtime import run_program

    def program() -> None:
        bucket = pulumi.CustomResource(
            "aws:s3/bucket:Bucket",
            "b",
            {"forceDestroy": False},
            pulumi.ResourceOptions(protect=True, retain_on_delete=True, aliases=[pulumi.Alias(name="old-b")]),
        )
        pulumi.CustomResource(
            "aws:sagemaker/model:Model",
            "m",
            {"primaryContainer": {"environment": {"TOKEN": pulumi.Output.secret("s3cr3t"), "LEVEL": "debug"}}},
            pulumi.ResourceOptions(depends_on=[bucket], ignore_changes=["tags"], delete_before_replace=True),
        )
        pulumi.export("token", pulumi.Output.secret("s3cr3t"))

    plan = run_program(program, stack="test", config={}).to_json()
    by_name = {r["name"]: r for r in plan["resources"]}
    assert by_name["m"]["inputs"] == {"primaryContainer": {"environment": {"LEVEL": "debug", "TOKEN": "[secret]"}}}
    assert plan["outputs"] == {"token": "[secret]"}
    assert "s3cr3t" not in str(plan)
    assert by_name["b"]["options"] == {"aliases": ["name=old-b"], "protect": True, "retainOnDelete": True}
    assert by_name["m"]["options"] == {
        "deleteBeforeReplace": True,
        "dependsOn": ["urn:pulumi:test::ml-serving::aws:s3/bucket:Bucket::b"],
        "ignoreChanges": ["tags"],
    }


def test_the_old_name_of_the_declared_stack_record_still_imports_with_a_warning():
    import components.mock_runtime as mock_runtime

    with pytest.warns(DeprecationWarning, match="use components.mock_runtime.DeclaredStack"):
        from components.mock_runtime import Plan
    assert Plan is mock_runtime.DeclaredStack
    assert "Plan" not in mock_runtime.__all__ and "DeclaredStack" in mock_runtime.__all__
    with pytest.raises(AttributeError):
        mock_runtime.Unknown  # noqa: B018
