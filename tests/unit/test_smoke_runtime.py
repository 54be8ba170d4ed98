"""The shared mock runtime runs the real program and records what a reviewer would read in a preview."""

from builders import aws_deployment, stack_values


def test_program_declares_sagemaker_chain_with_parents(run_stack):
    plan = run_stack(stack_values(aws_deployment()))
    component = plan.one("ml-serving:aws:SageMakerDeployment", "ranker")
    endpoint = plan.one("aws:sagemaker/endpoint:Endpoint")
    assert endpoint.parent == component.urn
    assert plan.outputs["ranker"]["endpoint_name"].startswith("ranker-endpoint-")
