"""When scheduled actions fire: a small evaluator of Application Auto Scaling's ``cron``/``rate``/``at`` expressions.

Format (six fields: minutes hours day-of-month month day-of-week year, with ``?`` for "any"), per
https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html ;
times are in the schedule's IANA time zone (``Timezone`` of ``PutScheduledAction``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from .model import Schedule

_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
_MONTHS = {
    name: index
    for index, name in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int]:
    """Values of one cron field: ``*``, ``?``, ``5``, ``1-5``, ``MON-FRI``, ``0/15``, ``1,3,5``."""
    result: set[int] = set()
    for part in field.upper().split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            start, end = _number(first, names), _number(last, names)
        else:
            start = _number(part, names)
            end = high if step > 1 else start
        result.update(range(start, end + 1, step))
    return result


def _number(text: str, names: dict[str, int] | None) -> int:
    if names and text in names:
        return names[text]
    return int(text)


def firing_times(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    """UTC times in [start, end) at which ``schedule`` fires."""
    expression = schedule.expression.strip()
    zone = ZoneInfo(schedule.timezone)
    if expression.startswith("at("):
        moment = datetime.fromisoformat(expression[3:-1]).replace(tzinfo=zone).astimezone(UTC)
        return [moment] if start <= moment < end else []
    if expression.startswith("rate("):
        amount, unit = expression[5:-1].split()
        seconds = int(amount) * {"minute": 60, "hour": 3600, "day": 86400}[unit.rstrip("s")]
        count = int((end - start).total_seconds() // seconds) + 1
        return [
            start + timedelta(seconds=seconds * index)
            for index in range(count)
            if start + timedelta(seconds=seconds * index) < end
        ]
    match = re.fullmatch(r"cron\((.*)\)", expression)
    if not match:
        raise ValueError(f"unknown schedule expression {expression!r}")
    minute_f, hour_f, dom_f, month_f, dow_f, year_f = match.group(1).split()
    minutes, hours = sorted(_values(minute_f, 0, 59)), sorted(_values(hour_f, 0, 23))
    doms, months = _values(dom_f, 1, 31), _values(month_f, 1, 12, _MONTHS)
    dows, years = _values(dow_f, 1, 7, _DAYS), _values(year_f, 1970, 2199)
    times: list[datetime] = []
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    while day <= last:
        cron_dow = (day.isoweekday() % 7) + 1  # cron: SUN=1 ... SAT=7
        if day.day in doms and day.month in months and cron_dow in dows and day.year in years:
            for hour in hours:
                for minute in minutes:
                    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)
                    if start <= moment < end:
                        times.append(moment)
        day += timedelta(days=1)
    return sorted(times)


def bound_changes(
    schedules: tuple[Schedule, ...], start: datetime, minutes: int
) -> dict[int, list[tuple[int | None, int | None]]]:
    """Minute index -> the (min, max) changes that scheduled actions make at that minute, in time order.

    Actions that fired in the eight days before ``start`` are applied at minute 0, so a trace starting at night
    begins with the night's bounds."""
    end = start + timedelta(minutes=minutes)
    lookback = start - timedelta(days=8)  # actions that fired before the trace set the bounds it starts with
    changes: dict[int, list[tuple[int | None, int | None]]] = {}
    events = sorted(
        (moment, index, schedule)
        for index, schedule in enumerate(schedules)
        for moment in firing_times(schedule, lookback, end)
    )
    for moment, _, schedule in events:
        minute = max(0, int((moment - start).total_seconds() // 60))
        changes.setdefault(minute, []).append((schedule.min, schedule.max))
    return changes
