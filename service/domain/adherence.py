"""Whether a plan is kept at its pace: the planned interval against the actual ones.

The source documents say weekly sessions bring quicker progress than waiting two or
three weeks, so a plan whose sessions drift apart is worth a therapist's look. A gap
counts as drift when it is longer than the interval by more than half an interval: a
weekly plan drifts at a gap of 11 days or more, a fortnightly one at 22.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DRIFT_FRACTION = 0.5  # how far past its interval a gap may go before the plan drifts


@dataclass(frozen=True)
class SessionTally:
    """How a plan's sessions went, counted."""

    kept: int = 0
    missed: int = 0
    late_cancelled: int = 0
    cancelled: int = 0
    rescheduled: int = 0  # changes of time, however many sessions they touched
    minutes_planned: int = 0
    minutes_delivered: int = 0


@dataclass(frozen=True)
class Adherence:
    """The planned interval, the gaps between performed sessions, and whether it drifts."""

    planned_interval_days: int
    gaps_days: tuple[int, ...]  # between consecutive performed sessions
    days_since_last: int | None  # from the last performed session to today, while open
    drifting: bool
    tally: SessionTally

    @property
    def mean_gap_days(self) -> float | None:
        """The mean gap between performed sessions, or None before the second one."""
        if not self.gaps_days:
            return None
        return round(sum(self.gaps_days) / len(self.gaps_days), 1)

    @property
    def longest_allowed_gap(self) -> float:
        """The longest gap that is not drift."""
        return self.planned_interval_days * (1 + DRIFT_FRACTION)


def adherence(
    planned_interval_days: int,
    performed_on: list[date],
    tally: SessionTally,
    *,
    today: date,
    open_plan: bool,
) -> Adherence:
    """Gaps between the days sessions were performed, and drift: a gap, or (for a plan
    still going) the time since the last session, past the interval by more than half."""
    days = sorted(performed_on)
    gaps = tuple((later - earlier).days for earlier, later in zip(days, days[1:], strict=False))
    since = (today - days[-1]).days if days and open_plan else None
    allowed = planned_interval_days * (1 + DRIFT_FRACTION)
    drifting = any(gap > allowed for gap in gaps) or (since is not None and since > allowed)
    return Adherence(planned_interval_days, gaps, since, drifting, tally)
