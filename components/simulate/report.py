"""Readable output: the terminal table and the Markdown report for a design review."""

from __future__ import annotations

from collections.abc import Sequence

from . import cloud_behaviour as cb
from .cost import table_date
from .evaluate import Evaluation


def _fmt(value: float | None, digits: int = 1, prefix: str = "") -> str:
    return "n/a" if value is None else f"{prefix}{value:,.{digits}f}"


def table(evaluations: Sequence[Evaluation]) -> str:
    """One line per deployment: hours, cost, timeouts, p99, oracle and ratio."""
    header = (
        f"{'deployment':<18} {'trace':<22} {'inst-h':>8} {'GPU-h':>8} {'cost $':>10} {'requests':>12} "
        f"{'timed out':>10} {'p99 s':>7} {'oracle GPU-h':>12} {'ratio':>6}"
    )
    lines = [header, "-" * len(header)]
    for item in evaluations:
        row = item.row()
        ratio = row["ratio_to_oracle"]
        lines.append(
            f"{row['name']:<18} {item.trace.name[-22:]:<22} {row['instance_hours']:>8.1f} {row['gpu_hours']:>8.1f} "
            f"{_fmt(row['cost_usd'], 2):>10} {row['requests']:>12,} {row['timed_out']:>10,} "
            f"{row['p99_latency_s']:>7.2f} {row['oracle_gpu_hours']:>12.1f} {_fmt(ratio, 2):>6}"
        )
    return "\n".join(lines)


def markdown(stack: str, evaluations: Sequence[Evaluation], assumptions: cb.Assumptions, images: dict[str, str]) -> str:
    """A short report users can paste into a design review."""
    lines = [
        f"# Scaling and cost simulation: stack `{stack}`",
        "",
        "| deployment | cloud / instance | scaling | trace | instance-h | GPU-h | cost USD | timed out | p99 s | "
        "oracle GPU-h | ratio to oracle |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for item in evaluations:
        row, dep = item.row(), item.dep
        scaling = f"{dep.min}-{dep.max}" + (f", {dep.metric} @ {dep.target:g}" if dep.metric and dep.target else "")
        if dep.schedules:
            scaling += f", {len(dep.schedules)} schedules"
        lines.append(
            f"| {dep.name} | {dep.cloud} {dep.instance} | {scaling} | {item.trace.name} | "
            f"{row['instance_hours']:.1f} | {row['gpu_hours']:.1f} | {_fmt(row['cost_usd'], 2)} | "
            f"{row['timed_out']:,} of {row['requests']:,} | {row['p99_latency_s']:.2f} | "
            f"{row['oracle_gpu_hours']:.1f} | {_fmt(row['ratio_to_oracle'], 2)} |"
        )
    lines += [""]
    for name, image in images.items():
        lines += [f"![{name}]({image})", ""]
    lines += [
        "How to read it: the oracle provisions, every minute, exactly the instances the load needs at full capacity and",
        "without start-up delay; a ratio of 1.5 means the declared scaling pays 50 % more instance-hours than that.",
        "",
        "Assumptions (no cloud documents them; override on the command line): "
        f"scale-out after {assumptions.scale_out_datapoints} datapoints above target, scale-in after "
        f"{assumptions.scale_in_datapoints} below {assumptions.scale_in_margin:g} x target, metric delay "
        f"{assumptions.metric_delay_s} s, start-up {assumptions.default_startup_s} s by default (per family: "
        "components/simulate/cloud_behaviour.py), service time "
        f"{assumptions.service_time_s:g} s and {assumptions.max_concurrency} requests at once per instance unless "
        "the stack says otherwise. Prices: on-demand, tables dated "
        f"{table_date('aws')} (aws) and {table_date('gcp')} (gcp).",
    ]
    return "\n".join(lines) + "\n"
