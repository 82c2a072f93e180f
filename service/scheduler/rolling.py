"""Where a rolling series goes on from: the occurrences that passed unbooked, and those due now."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from service.domain.values import SeriesRule
from service.scheduler.recurrence import series_local_starts, session_time


@dataclass(frozen=True)
class Resumption:
    """What extending a series faces now: occurrences that passed with nothing booked, the
    next occurrence after now, and how many occurrences from it start within the horizon."""

    passed: tuple[datetime, ...]
    first: datetime
    due: int


def resume(
    rule: SeriesRule,
    *,
    minutes: int,
    last_held: datetime | None,
    session_days: Collection[date],
    now: datetime,
    horizon_days: int,
    wanted: int,
) -> Resumption:
    """Walk the series' occurrences (local wall times) after the last session held.

    An occurrence that started before `now` is not a reason to stop (the scheduler was
    not running, or it could not be booked in time): it is named in `passed`, unless a
    session was booked on its day (and cancelled or missed since), and the series goes
    on from the first occurrence after now at its own pace. Only the occurrences that
    start within the horizon are `due`, so a conflict beyond it blocks nothing yet.
    """
    passed: list[datetime] = []
    first: datetime | None = None
    for local in series_local_starts(rule.first_local_start, rule.interval_days):
        if last_held is not None and local.date() <= last_held.date():
            continue
        if session_time(local, rule.zone, minutes).start >= now:
            first = local
            break
        if local.date() not in session_days:
            passed.append(local)
    assert first is not None  # the occurrences go on for ever
    reach = now + timedelta(days=horizon_days)
    due = 0
    for local in series_local_starts(first, rule.interval_days):
        if due == wanted or session_time(local, rule.zone, minutes).start > reach:
            break
        due += 1
    return Resumption(tuple(passed), first, due)
