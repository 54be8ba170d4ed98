"""Traces, stack translation, prices and the command line's handling of bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from builders import REPO

from components.simulate import __main__ as cli
from components.simulate.cost import hourly_price, monthly_bounds
from components.simulate.deployments import load_stack, sim_deployments
from components.simulate.model import Schedule
from components.simulate.schedules import firing_times
from components.simulate.traces import TraceError, load_trace, synthetic_trace


def write(tmp_path: Path, text: str, name: str = "trace.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_per_request_trace_counts_requests_per_minute(tmp_path):
    path = write(
        tmp_path,
        "timestamp,user\n2026-11-02T08:00:05Z,a\n2026-11-02T08:00:59Z,b\n1793606520,c\n2026-11-02T08:03:00,d\n",
    )
    trace = load_trace(path)
    assert trace.start == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    # 1793606520 = 2026-11-02T08:02:00Z; naive times are UTC.
    assert trace.per_minute == (2.0, 0.0, 1.0, 1.0)


def test_per_minute_trace_fills_missing_minutes_with_zero(tmp_path):
    path = write(tmp_path, "minute,requests\n2026-11-02T08:00:00Z,120\n2026-11-02T08:03:00Z,30\n")
    assert load_trace(path).per_minute == (120.0, 0.0, 0.0, 30.0)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "the file is empty"),
        ("timestamp\n", "the file has a header but no rows"),
        ("time,count\n1,2\n", "no `timestamp` column and no `minute,requests` columns"),
        ("timestamp\nyesterday\n", "line 2: cannot read the time 'yesterday'"),
        ("minute,requests\n2026-11-02T08:00:00Z,many\n", "line 2: requests 'many' is not a count"),
    ],
)
def test_bad_traces_name_the_file_the_problem_and_the_fix(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(TraceError) as error:
        load_trace(path)
    assert str(error.value).startswith(f"{path}: {problem}")
    assert "fix:" in str(error.value)


def test_cli_exits_2_on_a_bad_trace(tmp_path, capsys):
    path = write(tmp_path, "when,what\n1,2\n")
    code = cli.main(["--config-file", str(REPO / "stacks/Pulumi.dev.yaml"), "--trace", str(path)])
    assert code == 2
    message = capsys.readouterr().err
    assert str(path) in message and "timestamp" in message and "minute,requests" in message


def test_cli_exits_2_on_an_unknown_deployment(capsys):
    code = cli.main(["--config-file", str(REPO / "stacks/Pulumi.dev.yaml"), "--deployment", "nope"])
    assert code == 2
    assert (
        "no deployment named nope; choose from ranker, text-embed, reranker, doc-summarizer" in capsys.readouterr().err
    )


def test_cli_json_has_the_named_keys(capsys):
    code = cli.main(
        ["--config-file", str(REPO / "stacks/Pulumi.dev.yaml"), "--synthetic", "step", "--days", "1", "--json"]
    )
    assert code == 0
    rows = json.loads(capsys.readouterr().out)["deployments"]
    assert [row["name"] for row in rows] == ["ranker", "text-embed", "reranker", "doc-summarizer"]
    for key in (
        "instance_hours",
        "gpu_hours",
        "cost_usd",
        "requests",
        "timed_out",
        "p99_latency_s",
        "oracle_gpu_hours",
        "ratio_to_oracle",
    ):
        assert key in rows[0]
    assert rows[1]["gpu_hours"] == 0.0  # text-embed runs on ml.m5.xlarge, no GPU


def test_stack_translation_of_prod():
    deps = {dep.name: dep for dep in sim_deployments(load_stack(REPO / "stacks/Pulumi.prod.yaml"))}
    ranker = deps["ranker"]
    assert (ranker.instance, ranker.gpus, ranker.metric, ranker.target) == ("ml.g5.xlarge", 1, "concurrency", 3.0)
    assert [s.name for s in ranker.schedules] == ["weekday-peak", "weekday-evening"]
    assert ranker.scale_in_cooldown_s == 600 and ranker.timeout_s == 60
    # max_rps_per_instance 40 x 60 x safety_factor 0.8 = 1920 requests per instance per minute.
    assert (deps["text-embed"].target, deps["text-embed"].capacity_rps) == (1920.0, 40.0)
    summarizer = deps["doc-summarizer"]
    assert summarizer.is_async and summarizer.timeout_s == 21600
    assert summarizer.capacity_rps == 20.0  # 4 concurrent invocations / 0.2 s (assumed service time)
    reranker = deps["reranker"]
    assert (reranker.cloud, reranker.instance, reranker.accelerator, reranker.gpus) == (
        "gcp",
        "g2-standard-4",
        "NVIDIA_L4",
        1,
    )


def test_prices_come_from_the_dated_tables():
    deps = {dep.name: dep for dep in sim_deployments(load_stack(REPO / "stacks/Pulumi.prod.yaml"))}
    assert hourly_price(deps["ranker"]) == 1.57  # ml.g5.xlarge in eu-west-1
    assert hourly_price(deps["reranker"]) == pytest.approx(0.2997 + 0.7091)  # g2-standard-4 + 1 L4, europe-west4
    bounds = monthly_bounds(deps["ranker"])  # min 2 (schedules raise it to 4), max 8; 730 h a month
    assert (bounds.floor_instances, bounds.ceiling_instances) == (2, 8)
    assert bounds.floor_usd == pytest.approx(2 * 1.57 * 730)
    assert bounds.ceiling_usd == pytest.approx(8 * 1.57 * 730)


def test_unknown_instance_has_no_price():
    deps = sim_deployments(load_stack(REPO / "stacks/Pulumi.prod.yaml"))
    assert hourly_price(deps[0].with_scaling(instance="ml.x99.huge")) is None


def test_cron_with_day_ranges_and_time_zone():
    schedule = Schedule("peak", "cron(30 7 ? * MON-FRI *)", "Europe/Amsterdam", min=2)
    times = firing_times(schedule, datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 9, tzinfo=UTC))
    assert [t.isoformat() for t in times] == [f"2026-11-0{day}T06:30:00+00:00" for day in range(2, 7)]


def test_synthetic_traces_are_seeded_and_peak_where_asked():
    one, two = synthetic_trace("spiky", 10.0, days=2, seed=3), synthetic_trace("spiky", 10.0, days=2, seed=3)
    assert one == two
    assert max(one.per_minute) == pytest.approx(600.0)  # 10 requests/s in the busiest minute
    assert one.minutes == 2880


def test_cli_runs_a_per_request_trace(tmp_path, capsys):
    # 30 requests in each of 10 minutes: one text-embed instance (40 requests/s) serves them all.
    rows = [f"2026-11-02T08:{minute:02d}:{second:02d}Z" for minute in range(10) for second in range(0, 60, 2)]
    path = write(tmp_path, "timestamp\n" + "\n".join(rows) + "\n")
    args = ["--config-file", str(REPO / "stacks/Pulumi.prod.yaml"), "--deployment", "text-embed"]
    assert cli.main([*args, "--trace", str(path), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["deployments"]
    assert (row["requests"], row["timed_out"], row["minutes"]) == (300, 0, 10)
    # min 2 instances for 10 minutes: 1/3 instance-hour; the oracle needs 1 instance: 1/6.
    assert row["instance_hours"] == pytest.approx(0.333, abs=0.001)
    assert row["oracle_instance_hours"] == pytest.approx(0.167, abs=0.001)
    assert row["ratio_to_oracle"] == 2.0
