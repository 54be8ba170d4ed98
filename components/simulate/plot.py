"""``--plot DIR``: one PNG per deployment (load, instances, in-flight / queued, timeouts over time).

matplotlib is imported here only (Agg backend, no display), so the rest of the simulator starts fast and runs
without it; install it with ``pip install 'ml-serving[plot]'`` or from requirements-dev.txt.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from .evaluate import Evaluation


def write_plots(evaluations: Sequence[Evaluation], directory: Path) -> dict[str, str]:
    """Write ``<deployment>.png`` per evaluation (recorded with series) into ``directory``; name -> file name."""
    try:
        import matplotlib
    except ImportError:
        raise ValueError("--plot needs matplotlib: pip install 'matplotlib>=3.8,<4' (or ml-serving[plot])") from None
    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    for item in evaluations:
        series = item.result.series
        if series is None:
            raise ValueError("write_plots needs evaluations recorded with record=True")
        times = [item.trace.start + timedelta(minutes=minute) for minute in range(item.trace.minutes)]
        figure, (load_ax, count_ax, queue_ax) = plt.subplots(3, 1, figsize=(11, 7.5), sharex=True)
        row = item.row()
        figure.suptitle(
            f"{item.dep.name} ({item.dep.cloud} {item.dep.instance}) on {item.trace.name}: "
            f"{row['instance_hours']:.0f} instance-h, {row['ratio_to_oracle']}x oracle, "
            f"{row['timed_out']:,} timed out, p99 {row['p99_latency_s']:.2f} s",
            fontsize=10,
        )
        load_ax.plot(times, [value / 60 for value in series.load], color="tab:blue", linewidth=0.8)
        load_ax.set_ylabel("requests / s")
        load_ax.grid(alpha=0.3)

        count_ax.step(times, series.provisioned, where="post", color="tab:orange", label="provisioned (billed)")
        count_ax.step(times, series.in_service, where="post", color="tab:green", label="in service")
        count_ax.step(times, series.oracle, where="post", color="grey", linestyle=":", label="oracle")
        count_ax.set_ylabel("instances")
        count_ax.legend(loc="upper left", fontsize=8, ncol=3)
        count_ax.grid(alpha=0.3)

        queue_ax.plot(times, series.in_flight, color="tab:purple", linewidth=0.8, label="in flight + queued")
        queue_ax.plot(times, series.queued, color="tab:brown", linewidth=0.8, label="queued")
        queue_ax.set_ylabel("requests")
        queue_ax.grid(alpha=0.3)
        timeout_ax = queue_ax.twinx()
        timeout_ax.fill_between(
            times, series.timed_out, step="post", color="tab:red", alpha=0.5, linewidth=0, label="timed out / min"
        )
        timeout_ax.set_ylabel("timed out / min", color="tab:red")
        handles = queue_ax.get_legend_handles_labels()
        extra = timeout_ax.get_legend_handles_labels()
        queue_ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper left", fontsize=8, ncol=3)
        queue_ax.xaxis.set_major_formatter(mdates.DateFormatter("%a %H:%M"))
        figure.autofmt_xdate()
        figure.tight_layout()
        name = f"{item.dep.name}.png"
        figure.savefig(directory / name, dpi=110)
        plt.close(figure)
        written[item.dep.name] = name
    return written
