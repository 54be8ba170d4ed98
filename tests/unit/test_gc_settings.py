"""The program raises the garbage collector's thresholds for its run, and in-process runs (the offline plan, the
tests) get the process's own settings back afterwards."""

from __future__ import annotations

import gc
import runpy

import pulumi
import pytest
from builders import REPO, aws_deployment, stack_values

from components.gc_settings import PROGRAM_THRESHOLDS
from components.mock_runtime import run_main, run_program

DISTINCT = (701, 11, 12)


@pytest.fixture
def distinct_thresholds():
    before = gc.get_threshold()
    gc.set_threshold(*DISTINCT)
    yield
    gc.set_threshold(*before)


def test_the_program_runs_with_raised_thresholds(distinct_thresholds):
    seen: list[tuple[int, ...]] = []

    def program() -> None:
        runpy.run_path(str(REPO / "__main__.py"), run_name="__pulumi_main__")
        seen.append(gc.get_threshold())

    run_program(program, stack="dev", config=stack_values(aws_deployment()))
    assert seen == [(10_000, 20, 1_000)]
    assert PROGRAM_THRESHOLDS == (10_000, 20, 1_000)


def test_an_in_process_plan_gives_the_process_its_settings_back(distinct_thresholds):
    plan = run_main(REPO, stack="dev", config=stack_values(aws_deployment()))
    assert any(r.type == "aws:sagemaker/endpoint:Endpoint" for r in plan.resources)
    assert gc.get_threshold() == DISTINCT


def test_settings_come_back_when_the_program_fails(distinct_thresholds):
    bad = stack_values(aws_deployment(scaling={"min": 9, "max": 2, "metric": "concurrency", "target": 3}))
    with pytest.raises(pulumi.RunError, match="scaling"):
        run_main(REPO, stack="dev", config=bad)
    assert gc.get_threshold() == DISTINCT
