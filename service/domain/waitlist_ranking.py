"""Who a freed time suits, and in what order it is offered (pure: `now` is given).

A waitlisted client matches when the time is theirs to take: not the client who freed
it, not booked elsewhere at that time, with the therapist they asked for (or any), inside
one of their windows and their date range, long enough for their plan's session, and
still in the future. Those whose
plan is furthest behind its pace come first, then those who have waited longest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from service.domain.waitlist import FreedSlot, WaitlistRequest


@dataclass(frozen=True)
class Candidate:
    """A waiting entry as the ranking sees it."""

    entry_id: UUID
    request: WaitlistRequest
    joined_at: datetime
    days_behind: int = 0  # how far the plan is behind its pace; 0 on pace or without a plan
    session_minutes: int | None = None  # the plan's session length; None: a visit takes the slot's
    bookable: bool = True  # the plan can take another session (agreed, open, sessions left)
    booked_then: bool = False  # the client has another session or visit at the freed time


def days_behind_pace(
    interval_days: int,
    performed_on: Sequence[date],
    next_booked_on: date | None,
    today: date,
) -> int:
    """How many days later than its pace the plan's next session falls.

    Pace wants a session `interval_days` after the last one performed. The next session
    is the next one booked, or, with none booked, no earlier than today. A plan with no
    session performed yet has no pace to fall behind.
    """
    if not performed_on:
        return 0
    due = max(performed_on) + timedelta(days=interval_days)
    next_seen = next_booked_on if next_booked_on is not None else today
    return max(0, (next_seen - due).days)


def matches(candidate: Candidate, slot: FreedSlot, now: datetime) -> bool:
    """Whether the freed time is one this waiting client could take."""
    request = candidate.request
    local = slot.time.local_start
    minutes = candidate.session_minutes or slot.time.minutes
    return (
        candidate.bookable
        and not candidate.booked_then
        and slot.time.start > now
        and request.client_id != slot.client_id
        and request.therapist_id in (None, slot.therapist_id)
        and minutes <= slot.time.minutes
        and (request.first_day is None or request.first_day <= local.date())
        and (request.last_day is None or local.date() <= request.last_day)
        and any(window.holds(local, minutes) for window in request.windows)
    )


def rank(candidates: Iterable[Candidate], slot: FreedSlot, now: datetime) -> list[Candidate]:
    """The matching candidates, furthest behind pace first, then longest waiting."""
    matching = [c for c in candidates if matches(c, slot, now)]
    return sorted(matching, key=lambda c: (-c.days_behind, c.joined_at, str(c.entry_id)))


def next_round(
    ranked: Sequence[Candidate], already_offered: Iterable[UUID], size: int
) -> tuple[UUID, ...]:
    """The next `size` ranked entries not offered the time before; one client once."""
    offered = set(already_offered)
    chosen: list[UUID] = []
    clients: set[UUID] = set()
    for candidate in ranked:
        if candidate.entry_id in offered or candidate.request.client_id in clients:
            continue
        chosen.append(candidate.entry_id)
        clients.add(candidate.request.client_id)
        if len(chosen) == size:
            break
    return tuple(chosen)
