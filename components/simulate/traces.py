"""Traffic traces: per-minute request counts, read from CSV or generated (seeded) for quick looks.

A CSV trace is either one row per request with a ``timestamp`` column (ISO-8601 or epoch seconds; other columns are
ignored) or per-minute counts with columns ``minute,requests`` (``minute`` as ISO-8601 or epoch seconds). Bad files
raise :class:`TraceError` naming the file and the fix.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

SYNTHETIC = ("diurnal", "spiky", "bursty-idle", "step")
"""Names of the synthetic traces (``--synthetic NAME``)."""

TRACE_FORMAT_FIX = (
    "give either a `timestamp` column (one row per request; ISO-8601 such as 2026-11-02T08:00:00Z or epoch "
    "seconds) or the columns `minute,requests` (one row per minute)"
)


class TraceError(ValueError):
    """A trace file cannot be used; ``str(error)`` names the file, the problem and the fix."""

    def __init__(self, source: str, problem: str, fix: str) -> None:
        super().__init__(f"{source}: {problem}; fix: {fix}")
        self.source = source


@dataclass(frozen=True)
class Trace:
    """Requests per minute from ``start`` (UTC, on a minute boundary).

    Attributes:
        name: where the trace comes from (file path or ``synthetic:NAME``).
        start: UTC time of the first minute.
        per_minute: requests arriving in each minute.
    """

    name: str
    start: datetime
    per_minute: tuple[float, ...]

    @property
    def minutes(self) -> int:
        """Length of the trace in minutes."""
        return len(self.per_minute)

    @property
    def requests(self) -> float:
        """Requests in the whole trace."""
        return sum(self.per_minute)

    def scaled(self, factor: float) -> Trace:
        """The same shape with ``factor`` times the requests."""
        return Trace(self.name, self.start, tuple(value * factor for value in self.per_minute))


def parse_time(text: str) -> datetime:
    """ISO-8601 (naive means UTC) or epoch seconds -> aware UTC datetime; ValueError otherwise."""
    text = text.strip()
    try:
        return datetime.fromtimestamp(float(text), tz=UTC)
    except (ValueError, OverflowError, OSError):
        pass
    value = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def load_trace(path: str | Path) -> Trace:
    """Read a CSV trace (see the module docstring); raises :class:`TraceError` for a file that cannot be used."""
    source = str(path)
    if not Path(path).is_file():
        raise TraceError(source, "no such file", "check the path")
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise TraceError(source, "the file is empty", TRACE_FORMAT_FIX)
        columns = [name.strip().lower() for name in header]
        if "timestamp" in columns:
            return _per_request(source, reader, columns.index("timestamp"))
        if "minute" in columns and "requests" in columns:
            return _per_minute(source, reader, columns.index("minute"), columns.index("requests"))
        raise TraceError(
            source, f"no `timestamp` column and no `minute,requests` columns (found {header})", TRACE_FORMAT_FIX
        )


def _time_at(source: str, row_number: int, text: str) -> datetime:
    try:
        return parse_time(text)
    except ValueError:
        raise TraceError(
            source,
            f"line {row_number}: cannot read the time {text!r}",
            "write times as ISO-8601 (2026-11-02T08:00:00Z) or epoch seconds (1793606400)",
        ) from None


def _per_request(source: str, reader: csv.Reader, column: int) -> Trace:  # type: ignore[name-defined]
    counts: dict[datetime, int] = {}
    for row_number, row in enumerate(reader, start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if column >= len(row):
            raise TraceError(source, f"line {row_number}: no timestamp value", "give every row a timestamp")
        minute = _minute(_time_at(source, row_number, row[column]))
        counts[minute] = counts.get(minute, 0) + 1
    return _from_counts(source, {key: float(value) for key, value in counts.items()})


def _per_minute(source: str, reader: csv.Reader, minute_column: int, requests_column: int) -> Trace:  # type: ignore[name-defined]
    counts: dict[datetime, float] = {}
    for row_number, row in enumerate(reader, start=2):
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if max(minute_column, requests_column) >= len(row):
            raise TraceError(source, f"line {row_number}: missing values", "give every row a minute and a count")
        minute = _minute(_time_at(source, row_number, row[minute_column]))
        try:
            value = float(row[requests_column])
        except ValueError:
            value = -1.0
        if value < 0 or math.isnan(value) or math.isinf(value):
            raise TraceError(
                source, f"line {row_number}: requests {row[requests_column]!r} is not a count", "write a number >= 0"
            )
        counts[minute] = counts.get(minute, 0.0) + value
    return _from_counts(source, counts)


def _from_counts(source: str, counts: dict[datetime, float]) -> Trace:
    if not counts:
        raise TraceError(source, "the file has a header but no rows", TRACE_FORMAT_FIX)
    start, end = min(counts), max(counts)
    length = int((end - start).total_seconds() // 60) + 1
    values = [0.0] * length
    for minute, value in counts.items():
        values[int((minute - start).total_seconds() // 60)] += value
    return Trace(source, start, tuple(values))


# ---------------------------------------------------------------------------------------------------------------
# Synthetic traces: shapes between 0 and 1, scaled to a peak requests-per-second.
# ---------------------------------------------------------------------------------------------------------------
SYNTHETIC_START = datetime(2026, 11, 2, tzinfo=UTC)
"""Synthetic traces start on a Monday at 00:00 UTC, so weekdays and weekends fall where a reader expects them."""


def _daily_shape(minute_of_day: int, weekend: bool) -> float:
    """Office-hours traffic: low at night, ramp from 06:00, peak around 14:00 UTC, lower at weekends."""
    hour = minute_of_day / 60
    day = max(0.0, math.sin(math.pi * (hour - 6) / 16)) if 6 <= hour <= 22 else 0.0
    level = 0.08 + 0.92 * day**1.5
    return level * (0.45 if weekend else 1.0)


def synthetic_trace(name: str, peak_rps: float, days: int = 7, seed: int = 7) -> Trace:
    """A named synthetic trace (see :data:`SYNTHETIC`) whose busiest minute is about ``peak_rps`` requests/s.

    * ``diurnal``: recurring office-hours pattern (weekday peaks, quieter weekends), +-5 % noise.
    * ``spiky``: a lower diurnal base plus unannounced spikes (about 3 a day, 3-5x the base, 5-30 minutes).
    * ``bursty-idle``: idle most of the time, with batches of work at random times (async-style).
    * ``step``: a constant low load that steps to the peak for four hours each day (analytic checks).
    """
    if name not in SYNTHETIC:
        raise ValueError(f"unknown synthetic trace {name!r}; choose one of {', '.join(SYNTHETIC)}")
    rng = random.Random(f"{name}:{seed}")
    minutes = days * 1440
    daily = {weekend: [_daily_shape(minute, weekend) for minute in range(1440)] for weekend in (False, True)}
    noise = rng.uniform
    shape: list[float] = []
    for day in range(days):
        weekend = (SYNTHETIC_START + timedelta(days=day)).weekday() >= 5
        if name == "diurnal":
            shape += [value * (1 + noise(-0.05, 0.05)) for value in daily[weekend]]
        elif name == "spiky":
            shape += [0.25 * value * (1 + noise(-0.05, 0.05)) for value in daily[weekend]]
        elif name == "step":
            shape += [1.0 if 8 * 60 <= minute < 12 * 60 else 0.2 for minute in range(1440)]
        else:
            shape += [0.0] * 1440
    if name == "spiky":
        for _ in range(3 * days):
            at, length, height = rng.randrange(minutes), rng.randint(5, 30), rng.uniform(0.6, 1.0)
            for minute in range(at, min(minutes, at + length)):
                shape[minute] = max(shape[minute], height)
    elif name == "bursty-idle":
        for _ in range(6 * days):
            at, length, height = rng.randrange(minutes), rng.randint(10, 40), rng.uniform(0.3, 1.0)
            for minute in range(at, min(minutes, at + length)):
                shape[minute] = max(shape[minute], height)
    top = max(shape) or 1.0
    return Trace(f"synthetic:{name}", SYNTHETIC_START, tuple(value / top * peak_rps * 60 for value in shape))


def constant_trace(requests_per_minute: float, minutes: int, start: datetime = SYNTHETIC_START) -> Trace:
    """A flat trace (analytic tests, the cost floor)."""
    return Trace("constant", start, (float(requests_per_minute),) * minutes)


def trace_from(values: Sequence[float], start: datetime = SYNTHETIC_START, name: str = "inline") -> Trace:
    """A trace from a list of per-minute counts."""
    return Trace(name, start, tuple(float(value) for value in values))
