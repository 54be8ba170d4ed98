"""Property tests: every valid config renders; every invalid one fails with a key path."""

from __future__ import annotations

import re

import pytest
from builders import REPO, aws_deployment, stack_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components import accelerators
from components.config import ConfigError, load_stack_config
from components.mock_runtime import run_main

OFFERED_ON_SAGEMAKER = [(name, count) for name, gpu in accelerators.CATALOG.items() for count in gpu.sagemaker]
KEY_PATH = re.compile(
    r"^(deployments\[\d+\](\.[a-z_]+(\[\d+\])?)*|aws:region|gcp:project|gcp:region|deployments|defaults.*)$"
)

scalings = st.builds(
    lambda low, extra, metric, target: {"min": low, "max": low + extra, "metric": metric, "target": target},
    st.integers(1, 4),
    st.integers(0, 6),
    st.sampled_from(["invocations", "concurrency", "cpu", "gpu"]),
    st.integers(1, 100),
)


@st.composite
def valid_deployments(draw):
    gpu, count = draw(st.sampled_from(OFFERED_ON_SAGEMAKER))
    return aws_deployment(
        name=draw(st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True)),
        accelerator={"type": gpu, "count": count},
        scaling=draw(scalings),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deployment=valid_deployments())
def test_every_valid_deployment_renders(deployment):
    stack = load_stack_config(stack_values(deployment), "prop")
    plan = run_main(REPO, stack="prop", config=stack_values(deployment))
    endpoint_configs = plan.by_type("aws:sagemaker/endpointConfiguration:EndpointConfiguration")
    assert len(endpoint_configs) == 1
    variant = endpoint_configs[0].inputs["productionVariants"][0]
    assert variant["initialInstanceCount"] == max(1, stack.deployments[0].scaling.min)
    expected = accelerators.sagemaker_instance_type(
        deployment["accelerator"]["type"], deployment["accelerator"]["count"]
    )
    assert variant["instanceType"] == expected


breakages = st.sampled_from(
    [
        ("scaling", {"min": 5, "max": 1}),
        ("scaling", {"min": 0, "max": 2, "metric": "cpu"}),
        ("scaling", {"min": 1, "max": 2, "metric": "backlog"}),
        ("scaling", {"min": 1, "max": 3}),
        ("accelerator", {"type": "nvidia-k80"}),
        ("accelerator", {"type": "nvidia-a100-80gb", "count": 2}),
        ("artifacts", "gs://bucket/model.tar.gz"),
        ("image", "ghcr.io/acme/model:1"),
        ("name", "Not A Slug"),
        ("cloud", "azure"),
        ("environment", {"1BAD": "x"}),
        ("tags", {"aws:reserved": "x"}),
        ("unknown_key", 1),
    ]
)


@settings(max_examples=60, deadline=None)
@given(breaks=st.lists(breakages, min_size=1, max_size=3, unique_by=lambda b: b[0]), position=st.integers(0, 2))
def test_every_invalid_config_fails_with_key_paths(breaks, position):
    deployments = [aws_deployment(name=f"model{i}") for i in range(3)]
    for key, value in breaks:
        deployments[position][key] = value
    with pytest.raises(ConfigError) as caught:
        load_stack_config(stack_values(*deployments), "prop")
    problems = caught.value.problems
    assert problems
    for problem in problems:
        assert KEY_PATH.match(problem.path), problem
        assert problem.path.startswith(f"deployments[{position}]"), problem
