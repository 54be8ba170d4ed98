"""The stack-file examples of the README are valid stack files that render."""

from __future__ import annotations

import re

import pytest
import yaml
from builders import REPO

from components.config import load_stack_config

DOC = REPO / "README.md"
EXAMPLES = [yaml.safe_load(block)["config"] for block in re.findall(r"```yaml\n(.*?)```", DOC.read_text(), re.S)]


def test_every_feature_has_an_example():
    keys = " ".join(str(example) for example in EXAMPLES)
    for key in ("async", "backlog", "multi_model", "containers", "variants", "shadow", "rollout"):
        assert key in keys, key


@pytest.mark.parametrize("index", range(len(EXAMPLES)))
def test_example_loads_and_renders(index, run_stack):
    values = EXAMPLES[index]
    stack = load_stack_config(values, "docs")
    plan = run_stack(values, stack="docs")
    for deployment in stack.deployments:
        assert plan.outputs[deployment.name]["dashboard_url"].startswith("https://eu-west-1.console.aws.amazon.com/")
