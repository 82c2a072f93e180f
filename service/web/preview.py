"""A series preview as the desk reads it: one line per session asked for, conflicts marked."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from service.scheduler.booking_policy import SeriesPlan

# service/application/calendar_work.py's Held, then scheduler/availability.py's span
BOOKED_FOR = re.compile(r"^(therapist|room) booked for (.+?'s (?:session \d+|[a-z-]+ visit)) (.+)$")
STATES = {
    "free": "Free",
    "moved": "Conflict — moved",
    "skipped": "Conflict — skipped",
    "conflict": "Conflict",
    "unplaced": "Conflict — no free time found",
    "added": "Added at the end",
}


@dataclass(frozen=True)
class PreviewRow:
    """One session of the series: the time asked for, where it lands, and why."""

    occurrence: int
    requested: datetime
    booked_start: datetime | None
    booked_end: datetime | None
    state: str
    reasons: list[str] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        """The state in words."""
        return STATES[self.state]

    @property
    def has_conflict(self) -> bool:
        """Whether the time asked for was not free."""
        return bool(self.reasons)


def preview_rows(proposal: SeriesPlan, count: int, zone: str) -> list[PreviewRow]:
    """Every occurrence asked for (and any added by skip), earliest asked first."""
    tz = ZoneInfo(zone)
    slots = {slot.occurrence: slot for slot in proposal.slots}
    reasons: dict[int, list[str]] = {}
    requested: dict[int, datetime] = {}
    for conflict in proposal.conflicts:
        reasons.setdefault(conflict.occurrence, []).append(readable(conflict.detail))
        requested[conflict.occurrence] = conflict.local_start
    rows = []
    for occurrence in sorted(set(slots) | set(reasons)):
        slot = slots.get(occurrence)
        asked = slot.requested_local_start if slot else requested[occurrence]
        start = slot.time.start.astimezone(tz) if slot else None
        end = slot.time.end.astimezone(tz) if slot else None
        rows.append(
            PreviewRow(
                occurrence,
                asked,
                start,
                end,
                _state(proposal, occurrence, slot is not None, occurrence in reasons, count),
                reasons.get(occurrence, []),
            )
        )
    return rows


def _state(proposal: SeriesPlan, occurrence: int, placed: bool, clashed: bool, count: int) -> str:
    if not clashed:
        return "added" if occurrence > count else "free"
    if not placed:
        return "skipped" if proposal.policy.value == "skip" else "unplaced"
    return "moved" if proposal.policy.value == "shift" else "conflict"


def readable(detail: str) -> str:
    """'therapist booked for Samuel Adeyemi's session 1 10:00–11:00' -> 'Therapist already
    booked 10:00–11:00 (Samuel Adeyemi's session 1)': the time first, as in the table."""
    match = BOOKED_FOR.match(detail.strip())
    if not match:
        return detail.strip()[0].upper() + detail.strip()[1:]
    resource, holder, when = match.groups()
    return f"{resource.capitalize()} already booked {when} ({holder})"


def fingerprint(proposal: SeriesPlan) -> str:
    """A short digest of the slots a preview showed, to notice a changed calendar on confirm."""
    starts = ",".join(slot.time.start.isoformat() for slot in proposal.slots)
    return hashlib.sha256(starts.encode()).hexdigest()[:16]
