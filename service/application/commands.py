"""Commands crossing the application boundary as typed values that check themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from service.domain.errors import InvalidValue
from service.domain.rules import require_range, require_text, validate_series
from service.domain.values import SeriesSpec, SessionTime
from service.domain.zones import require_zone
from service.scheduler.booking_policy import ConflictPolicy
from service.scheduler.recurrence import session_time

MAX_SHIFT_WINDOW_DAYS = 14


@dataclass(frozen=True)
class Slot:
    """A session asked for at a local wall time in a zone, and with whom and where.

    A therapist or room left out keeps the plan's (or, when moving, the session's own).
    """

    local_start: datetime
    zone: str
    therapist_id: UUID | None = None
    room_id: UUID | None = None
    authorization_override: str = ""

    def __post_init__(self) -> None:
        require_zone(self.zone)
        if self.local_start.tzinfo is not None:
            raise InvalidValue("a session's start is a local wall time, without an offset")

    def time(self, minutes: int) -> SessionTime:
        """The session's time when it lasts `minutes` (DST gaps and folds resolved)."""
        return session_time(self.local_start, self.zone, minutes)


@dataclass(frozen=True, kw_only=True)
class ClientDetails:
    """A client to register, as the desk gives them: the email is checked and the phone
    number read in the clinic's country when the client is registered."""

    name: str
    zone: str
    email: str = ""
    phone: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        require_text("name", self.name)
        require_zone(self.zone)


@dataclass(frozen=True, kw_only=True)
class TherapistDetails:
    """A therapist to register (working hours are set separately): the email is checked
    and the phone number read in the clinic's country when the therapist is registered."""

    name: str
    email: str = ""
    phone: str = ""
    modalities: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require_text("name", self.name)


@dataclass(frozen=True)
class SeriesBooking:
    """A whole series asked for: its first session's slot, what to do about a clash, and how
    far ahead to book now (0: every session; otherwise the scheduler books the rest later)."""

    first: Slot
    policy: ConflictPolicy
    shift_window_days: int = 3
    horizon_days: int = 0

    def __post_init__(self) -> None:
        require_range("shift_window_days", self.shift_window_days, 0, MAX_SHIFT_WINDOW_DAYS)


@dataclass(frozen=True)
class PlanRevision:
    """A plan's series re-paced or re-sized, and why; `policy` says what to do when a
    future session, re-booked to the new pace, meets a clash."""

    series: SeriesSpec
    reason: str
    policy: ConflictPolicy = ConflictPolicy.FAIL

    def __post_init__(self) -> None:
        validate_series(self.series)
        require_text("reason", self.reason)
