"""--recommend: pre-warming from recurring peaks, the 1.3x-oracle target, the curve on unpredictable spikes."""

from __future__ import annotations

from builders import REPO
from sim_builders import dep

from components.simulate import cloud_behaviour as cb
from components.simulate.deployments import load_stack, sim_deployments
from components.simulate.evaluate import synthetic_for
from components.simulate.model import Schedule
from components.simulate.recommend import prewarm_schedules, recommend, snippet
from components.simulate.traces import trace_from


def prod(name: str):
    return {d.name: d for d in sim_deployments(load_stack(REPO / "stacks/Pulumi.prod.yaml"))}[name]


def test_prewarming_raises_min_ahead_of_a_recurring_peak():
    # Mon-Wed: 30 requests/min, 240 from 08:00 to 10:00 UTC; 60 requests/min per instance at full use -> 4 needed.
    # Lead = 360 s start-up + 60 s metric delay + 3 x 60 s alarm window = 10 min, + 1 -> 07:49.
    day = [30.0] * 480 + [240.0] * 120 + [30.0] * 840
    schedules = prewarm_schedules(dep(capacity_rps=1.0), trace_from(day * 3), 1.0, cb.Assumptions())
    assert schedules == (
        Schedule("prewarm-weekday-0749", "cron(49 7 ? * MON-FRI *)", "UTC", min=4),
        Schedule("prewarm-weekday-1000", "cron(0 10 ? * MON-FRI *)", "UTC", min=1),
    )


def test_a_one_off_spike_is_not_prewarmed():
    day = [30.0] * 1440
    spike = day[:600] + [240.0] * 60 + day[660:]
    assert prewarm_schedules(dep(capacity_rps=1.0), trace_from(day + spike + day), 1.0, cb.Assumptions()) == ()


def test_recurring_peaks_get_prewarming_within_1_3x_the_oracle_without_timeouts():
    ranker = prod("ranker")
    trace = synthetic_for(ranker, "step", days=3, seed=7)
    outcome = recommend(ranker, trace)
    assert outcome.default.timed_out > 0  # the declared scaling reacts too late to the 08:00 step
    assert outcome.best is not None and outcome.best.prewarm
    assert outcome.best.result.timed_out == 0
    assert outcome.best.result.ratio_to_oracle <= 1.3
    assert "schedules:" in snippet(outcome.best.dep) and "timezone: UTC" in snippet(outcome.best.dep)


def test_unpredictable_spikes_get_a_curve_not_a_single_answer():
    ranker = prod("ranker")
    outcome = recommend(ranker, synthetic_for(ranker, "spiky", days=3, seed=7))
    assert outcome.best is None
    timeouts = [c.result.timed_out for c in outcome.curve]
    hours = [c.hours for c in outcome.curve]
    assert timeouts == sorted(timeouts, reverse=True) and hours == sorted(hours)
    assert outcome.curve[-1].result.timed_out == 0 and outcome.curve[-1].floor  # provisioned for the peak


def test_vertex_gets_no_scheduled_actions():
    reranker = prod("reranker")
    outcome = recommend(reranker, synthetic_for(reranker, "step", days=3, seed=7))
    assert outcome.prewarm_refused is not None and "MutateDeployedModel" in outcome.prewarm_refused
    assert outcome.best is None or not outcome.best.dep.schedules


def test_cli_recommend_prints_the_snippet_and_json(capsys):
    from components.simulate import __main__ as cli

    args = ["--config-file", str(REPO / "stacks/Pulumi.staging.yaml"), "--deployment", "text-embed"]
    assert cli.main([*args, "--recommend", "--synthetic", "step", "--days", "2"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("text-embed (aws ml.c5.xlarge) on synthetic:step, 2.0 days")
    assert "declared (stack file)" in text and "cost versus timeouts" in text
    assert cli.main([*args, "--recommend", "--synthetic", "diurnal", "--days", "2", "--json"]) == 0
    import json

    body = json.loads(capsys.readouterr().out)["recommendations"][0]
    assert body["name"] == "text-embed" and body["recommended"]["timed_out"] == 0
    assert body["recommended"]["snippet"].startswith("scaling:\n  min: 1\n")


def test_a_p99_bound_rules_out_settings_that_only_avoid_timeouts():
    # The async summarizer never times out (6 h TTL) but its declared scaling waits for a backlog: p99 = start-up.
    summarizer = prod("doc-summarizer")
    trace = synthetic_for(summarizer, "diurnal", days=3, seed=7)
    free = recommend(summarizer, trace)
    bounded = recommend(summarizer, trace, p99_bound=10.0)
    assert free.default.p99_latency_s > 300
    assert bounded.best is not None and bounded.best.result.p99_latency_s <= 10.0
    assert free.best is not None and free.best.hours <= bounded.best.hours
