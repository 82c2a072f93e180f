"""Adherence: the gaps between performed sessions against the planned interval."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from service.domain.adherence import SessionTally, adherence

MONDAY = date(2026, 3, 2)


def on(*offsets: int) -> list[date]:
    return [MONDAY + timedelta(days=d) for d in offsets]


def test_a_weekly_plan_kept_weekly_does_not_drift() -> None:
    kept = adherence(
        7, on(0, 7, 14), SessionTally(kept=3), today=MONDAY + timedelta(15), open_plan=True
    )
    assert (kept.gaps_days, kept.mean_gap_days, kept.drifting) == ((7, 7), 7.0, False)


def test_gaps_of_7_14_and_21_days_drift_from_a_weekly_plan() -> None:
    found = adherence(
        7, on(0, 7, 21, 42), SessionTally(), today=MONDAY + timedelta(43), open_plan=True
    )
    assert found.gaps_days == (7, 14, 21) and found.drifting
    assert found.mean_gap_days == 14.0


def test_half_an_interval_late_is_the_edge() -> None:
    assert not adherence(
        14, on(0, 21), SessionTally(), today=MONDAY + timedelta(22), open_plan=True
    ).drifting
    assert adherence(
        14, on(0, 22), SessionTally(), today=MONDAY + timedelta(22), open_plan=True
    ).drifting


def test_a_plan_still_open_drifts_when_nothing_was_performed_for_too_long() -> None:
    waiting = adherence(7, on(0, 7), SessionTally(), today=MONDAY + timedelta(19), open_plan=True)
    assert (waiting.days_since_last, waiting.drifting) == (12, True)
    closed = adherence(7, on(0, 7), SessionTally(), today=MONDAY + timedelta(60), open_plan=False)
    assert (closed.days_since_last, closed.drifting) == (None, False)


@given(st.integers(1, 60), st.lists(st.integers(0, 400), max_size=12))
def test_drift_means_some_gap_past_one_and_a_half_intervals(
    interval: int, offsets: list[int]
) -> None:
    days = on(*offsets)
    found = adherence(
        interval, days, SessionTally(), today=max(days, default=MONDAY), open_plan=False
    )
    assert found.drifting == any(gap * 2 > interval * 3 for gap in found.gaps_days)
    assert sum(found.gaps_days) == ((max(days) - min(days)).days if days else 0)
