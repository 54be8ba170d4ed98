"""The simulator against cases solved by hand: every expected value is a literal derived in the comments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sim_builders import dep

from components.simulate import cloud_behaviour as cb
from components.simulate.engine import oracle_instances, simulate
from components.simulate.model import Schedule
from components.simulate.traces import trace_from


def test_the_assumed_start_up_of_g5_is_six_minutes():
    assert cb.Assumptions().startup_of("ml.g5.xlarge") == 360
    assert cb.Assumptions().startup_of("g2-standard-4") == 360
    assert cb.Assumptions().with_overrides(startup={"g5": 120}).startup_of("ml.g5.2xlarge") == 120


def test_constant_invocations_settle_at_load_over_target():
    # 1050 requests/min, target 100 per instance per minute: ceil(10.5) = 11 instances; at 11 the metric is
    # 95.5, above the scale-in threshold 90 (0.9 x target), so it stays there.
    result = simulate(dep(), trace_from([1050] * 180), record=True)
    assert result.series is not None
    assert result.series.in_service[-1] == 11
    assert result.timed_out == 0


def test_constant_concurrency_settles_at_in_flight_over_target():
    # 100 requests/s x 0.2 s = 20 in flight; target 3 per instance: ceil(6.67) = 7 (at 7: 2.86 > 2.7, no scale-in).
    model = dep(metric="concurrency", target=3.0, capacity_rps=1000.0)
    result = simulate(model, trace_from([6000] * 180), record=True)
    assert result.step_s == 10  # high-resolution metric
    assert result.series is not None and result.series.in_service[-1] == 7


def test_vertex_constant_cpu_settles_at_utilisation_over_target():
    # 100 requests/s on replicas of 20 requests/s: 9 replicas run at 55.6 % (below 60), 8 would run at 62.5 %.
    model = dep(cloud="gcp", instance="g2-standard-4", metric="cpu", target=60.0, capacity_rps=20.0)
    result = simulate(model, trace_from([6000] * 240), record=True)
    assert result.series is not None and result.series.in_service[-1] == 9


def test_first_step_is_met_after_metric_delay_alarm_window_and_start_up():
    # Load steps from 50 to 250 requests/min at minute 30. Datapoints of minutes 30, 31, 32 exceed the target
    # (3-datapoint window); the last is seen 60 s after its minute ends (minute 34), the alarm scales out to
    # ceil(1 x 250 / 100) = 3 at once, and the instances serve after the 360 s start-up: minute 30+3+1+6 = 40.
    # A 600 s scale-out cooldown does not delay the first scale-out.
    model = dep(scale_out_cooldown_s=600)
    result = simulate(model, trace_from([50] * 30 + [250] * 30), record=True)
    assert result.series is not None
    assert result.series.in_service[39] == 1
    assert result.series.in_service[40] == 3
    assert result.series.provisioned[34] == 3  # billed from the decision on


def test_first_step_on_high_resolution_concurrency():
    # 10-second datapoints: 3 x 10 s window + 10 s delay + 360 s start-up = 400 s after 30:00, i.e. at 36:40.
    model = dep(metric="concurrency", target=3.0, capacity_rps=1000.0)
    result = simulate(model, trace_from([600] * 30 + [3000] * 30), record=True)  # 2 then 10 in flight
    assert result.series is not None
    assert result.series.in_service[35] == 1
    assert result.series.in_service[36] == 4  # ceil(10 / 3)


def test_async_scales_from_zero_after_the_backlog_alarm():
    # Nothing for 10 minutes, then 10 requests/min. HasBacklogWithoutCapacity is 1 for minute 10, seen at
    # minute 12 (one 60 s period + 60 s delay), the step policy adds one instance, serving at 12 + 6 = 18.
    model = dep(is_async=True, min=0, max=2, metric="backlog", target=5.0, capacity_rps=20.0, timeout_s=21600)
    result = simulate(model, trace_from([0] * 10 + [10] * 50), record=True)
    assert result.series is not None
    assert result.series.in_service[17] == 0
    assert result.series.in_service[18] == 1
    assert result.timed_out == 0
    # 500 requests; the 10 of minute 10 waited 8 minutes: p99 = 480 s + 0.2 s service.
    assert result.p99_latency_s == pytest.approx(480.2)


def test_real_time_requests_time_out_after_sixty_seconds_of_queueing():
    # One instance serving 1 request/s, 120 arrive per minute for 10 minutes: 600 served, the queue holds what
    # finishes within 60 s (59.8 s of waiting + 0.2 s of service = 59.8 requests), the other 540.2 time out.
    model = dep(min=1, max=1, metric=None, target=None, capacity_rps=1.0)
    result = simulate(model, trace_from([120] * 10))
    assert result.timed_out == pytest.approx(540.2)
    assert result.p99_latency_s == pytest.approx(60.0)


def test_oracle_is_exact():
    # 60 requests/min per instance at full capacity, no start-up delay.
    trace = trace_from([0, 60, 61, 1200, 0])
    assert oracle_instances(dep(capacity_rps=1.0), trace) == [1, 1, 2, 20, 1]
    assert oracle_instances(dep(capacity_rps=1.0, is_async=True, min=0), trace) == [0, 1, 2, 20, 0]
    result = simulate(dep(capacity_rps=1.0, min=1, max=1, metric=None, target=None), trace)
    assert result.oracle_instance_hours == pytest.approx(25 / 60)
    assert result.oracle_gpu_hours == pytest.approx(25 / 60)


def test_a_scheduled_action_raises_min_at_its_local_time():
    # cron(0 8 ? * MON-FRI *) in Europe/Amsterdam on Monday 2 November 2026 (CET, UTC+1) fires at 07:00 UTC:
    # minute 420 of a trace starting at midnight UTC; the two extra instances serve from minute 426. (Without the
    # evening action, last Friday's 08:00 action would still hold min at 3.)
    schedules = (
        Schedule("office-hours", "cron(0 8 ? * MON-FRI *)", "Europe/Amsterdam", min=3),
        Schedule("evening", "cron(0 19 ? * MON-FRI *)", "Europe/Amsterdam", min=1),
    )
    model = dep(schedules=schedules, metric=None, target=None, max=5)
    trace = trace_from([10] * 600, start=datetime(2026, 11, 2, tzinfo=UTC))
    result = simulate(model, trace, record=True)
    assert result.series is not None
    assert result.series.provisioned[419] == 1 and result.series.provisioned[420] == 3
    assert result.series.in_service[425] == 1 and result.series.in_service[426] == 3


def test_a_schedule_that_fired_before_the_trace_sets_the_starting_bounds():
    # Sunday 1 November 2026: the Friday 19:00 "nights" action (min 1) is the last one; Monday's 08:00 not yet.
    schedules = (
        Schedule("day", "cron(0 8 ? * MON-FRI *)", "Europe/Amsterdam", min=4),
        Schedule("night", "cron(0 19 ? * MON-FRI *)", "Europe/Amsterdam", min=1),
    )
    model = dep(schedules=schedules, min=2, metric=None, target=None, max=6)
    result = simulate(model, trace_from([1] * 60, start=datetime(2026, 11, 1, 12, tzinfo=UTC)), record=True)
    assert result.series is not None and result.series.provisioned[0] == 1


def test_vertex_never_goes_below_one_replica():
    model = dep(cloud="gcp", instance="g2-standard-4", min=0, max=3, metric="cpu", target=60.0)
    result = simulate(model, trace_from([0] * 120), record=True)
    assert result.series is not None and min(result.series.in_service) == 1


def test_instance_and_gpu_hours_count_starting_instances():
    # 2 GPUs per instance, a fixed 3 instances for 120 minutes: 6 instance-hours, 12 GPU-hours.
    result = simulate(dep(min=3, max=3, gpus=2, metric=None, target=None), trace_from([0] * 120))
    assert result.instance_hours == pytest.approx(6.0)
    assert result.gpu_hours == pytest.approx(12.0)


def test_high_resolution_concurrency_scales_in_at_the_one_minute_pace():
    # 3300 requests/min x 0.2 s = 11 in flight -> 4 instances (2.75 each, above 0.9 x 3). At minute 60 the load
    # drops to 2 in flight; the scale-in alarm needs 15 minutes of datapoints below 2.7 (not 15 x 10 s): the 90th
    # 10-second datapoint (minutes 60-74) is seen 10 s after it, so capacity drops to ceil(4 x 0.5 / 3) = 1 at
    # minute 75.
    model = dep(metric="concurrency", target=3.0, capacity_rps=1000.0)
    result = simulate(model, trace_from([3300] * 60 + [600] * 30), record=True)
    assert result.series is not None
    assert result.series.provisioned[59] == 4
    assert result.series.provisioned[74] == 4
    assert result.series.provisioned[75] == 1


def test_scale_in_after_fifteen_datapoints_below_the_margin():
    # 11 instances at 1050 requests/min; at minute 60 the load drops to 300 (27.3 per instance, below 90). The
    # 15th low datapoint (minute 74) is seen at minute 76: capacity drops to ceil(11 x 27.3 / 100) = 3.
    result = simulate(dep(), trace_from([1050] * 60 + [300] * 30), record=True)
    assert result.series is not None
    assert result.series.provisioned[75] == 11
    assert result.series.provisioned[76] == 3


def test_vertex_scales_down_to_the_highest_recommendation_of_the_window():
    # 9 replicas at 100 requests/s; at minute 120 the load drops to 20/s (11 % CPU -> recommendation 2). The
    # minute-120 sample is seen at minute 122; the last recommendation of 9 (seen at minute 121) leaves the assumed
    # 5-minute window at minute 126, when the replicas drop to 2.
    model = dep(cloud="gcp", instance="g2-standard-4", metric="cpu", target=60.0, capacity_rps=20.0)
    result = simulate(model, trace_from([6000] * 120 + [1200] * 30), record=True)
    assert result.series is not None
    assert result.series.provisioned[125] == 9
    assert result.series.provisioned[126] == 2
