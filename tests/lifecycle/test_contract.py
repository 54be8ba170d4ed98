"""Every stack's rollout settings, as the lifecycle will send them, pass botocore's validation of UpdateEndpoint."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.validate import ParamValidator
from builders import REPO

from components.plan import plan_stack_file

LIFECYCLE = "pulumi-python:dynamic/aws:SageMakerEndpointLifecycle"
STACKS = sorted(path.name for path in (REPO / "stacks").glob("Pulumi.*.yaml"))


@pytest.mark.parametrize("stack_file", STACKS)
def test_update_endpoint_requests_of_every_stack_are_valid(stack_file: str) -> None:
    plan = plan_stack_file(REPO / "stacks" / stack_file, REPO)
    shape = botocore.session.get_session().get_service_model("sagemaker").operation_model("UpdateEndpoint").input_shape
    lifecycles = plan.by_type(LIFECYCLE)
    assert lifecycles, "every stack file declares SageMaker deployments"
    for resource in lifecycles:
        request = {
            "EndpointName": "ranker-endpoint-b0ffe71",
            "EndpointConfigName": "ranker-20261130000000000000000001",
            "RetainAllVariantProperties": resource.inputs["retain_all_variant_properties"],
        }
        if resource.inputs.get("deployment_config"):
            request["DeploymentConfig"] = resource.inputs["deployment_config"]
        report = ParamValidator().validate(request, shape)
        assert not report.has_errors(), f"{resource.name}: {report.generate_report()}"
