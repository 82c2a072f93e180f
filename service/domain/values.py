"""Value objects of the clinic's language: immutable, compared by value.

Enums here are plain Enums on purpose: a str mixin would make JSON write them
as bare strings, bypassing their transcodings, so they would come back as str.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import cached_property
from uuid import UUID

from service.domain.billing_units import ProcedureMinutes, ProcedureUnits
from service.domain.measures import MeasureAnswers

# A session's record is expected within this long after it ends; later it is flagged.
RECORDING_GRACE = timedelta(hours=2)


class Role(Enum):
    """What a user may do: the four staff roles, plus the scheduler itself."""

    ADMIN = "admin"
    FRONT_DESK = "front_desk"
    THERAPIST = "therapist"
    AUDITOR = "auditor"
    SYSTEM = "system"
    CLIENT = "client"  # a client acting through a signed link (never a user account)


@dataclass(frozen=True)
class Actor:
    """Who caused an event: recorded on every event."""

    user_id: str
    role: Role


class Intention(Enum):
    """Why the client comes: to fix a problem, or to relax."""

    CLINICAL = "clinical"
    RELAXATION = "relaxation"


class PlanStatus(Enum):
    """Where a treatment plan stands."""

    PROPOSED = "proposed"
    AGREED = "agreed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class SessionStatus(Enum):
    """Where one session of a plan stands."""

    BOOKED = "booked"
    CANCELLED = "cancelled"
    MISSED = "missed"
    PERFORMED = "performed"


class Mobility(Enum):
    """Change in mobility the therapist observed after a session."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class Recommendation(Enum):
    """What the therapist recommends after evaluating a session."""

    CONTINUE = "continue"
    CHANGE_INTERVAL = "change_interval"
    REFER = "refer"
    DISCHARGE = "discharge"


@dataclass(frozen=True)
class RangeOfMotion:
    """One range-of-motion finding: joint, movement, degrees, and the client's side measured
    ("left", "right", or "" for the spine or a finding recorded before sides were)."""

    joint: str
    movement: str
    degrees: int
    side: str = ""  # the default keeps findings stored without a side loading


@dataclass(frozen=True)
class Assessment:
    """The therapist's assessment before proposing a plan."""

    complaint: str
    duration: str
    onset: str
    pain_description: str
    pain_level: int
    range_of_motion: tuple[RangeOfMotion, ...] = ()
    posture: str = ""
    tissue: str = ""
    measures: tuple[MeasureAnswers, ...] = ()  # the baseline of the instruments tracked


@dataclass(frozen=True)
class SeriesSpec:
    """The planned series: how many sessions, how far apart, how long."""

    sessions: int
    interval_days: int
    session_minutes: int


@dataclass(frozen=True)
class Referral:
    """A referral to another health professional."""

    profession: str
    name: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Prescription:
    """A physician's prescription for the treatment."""

    physician: str
    issued_on: date
    notes: str = ""
    diagnosis_codes: tuple[str, ...] = ()  # ICD-10 codes as the physician wrote them; added later


@dataclass(frozen=True)
class Authorization:
    """An insurer's authorization: how many visits and how many 15-minute units, each when
    the payer counts them (None when it does not), until when; `payer_id` names the
    registered payer whose terms apply. Only a payer counting units only leaves out visits."""

    payer: str
    number: str
    visits: int | None  # None when the payer counts units only; stored ones all give visits
    valid_until: date
    payer_id: UUID | None = None
    units: int | None = None


@dataclass(frozen=True, order=True)
class DayHours:
    """Open (or working) from start to end, local wall time, on one weekday (0 = Monday)."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class WeeklyHours:
    """A weekly timetable of local opening or working hours."""

    intervals: tuple[DayHours, ...] = ()

    def covers(self, local_start: datetime, local_end: datetime) -> bool:
        """Whether one interval of the weekday holds the whole local span."""
        ends_at_midnight = local_end == datetime.combine(
            local_start.date() + timedelta(days=1), time(0)
        )
        if local_end.date() != local_start.date() and not ends_at_midnight:
            return False
        end = time.max if ends_at_midnight else local_end.time()
        return any(
            hours.weekday == local_start.weekday()
            and hours.start <= local_start.time()
            and end <= hours.end
            for hours in self.intervals
        )

    def on(self, weekday: int) -> tuple[DayHours, ...]:
        """The intervals of one weekday, earliest first."""
        return tuple(sorted(h for h in self.intervals if h.weekday == weekday))


@dataclass(frozen=True)
class Closure:
    """Days the clinic is closed, first to last inclusive (local dates)."""

    first_day: date
    last_day: date
    reason: str

    def includes(self, day: date) -> bool:
        """Whether the clinic is closed on this local date."""
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True)
class TimeOff:
    """A therapist away from start to end (UTC instants)."""

    start: datetime
    end: datetime
    reason: str

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether the absence overlaps the span [start, end)."""
        return self.start < end and start < self.end


@dataclass(frozen=True)
class SessionTime:
    """When a session takes place: UTC instant, IANA zone, local wall time, length."""

    start: datetime
    zone: str
    local_start: datetime
    minutes: int

    @cached_property  # asked for by every check of a slot; not a field, so never stored
    def end(self) -> datetime:
        """The UTC instant the session ends."""
        return self.start + timedelta(minutes=self.minutes)

    def recorded_late(self, now: datetime) -> bool:
        """Whether a record made at `now` comes later than the clinic expects one."""
        return now > self.end + RECORDING_GRACE


@dataclass(frozen=True)
class Performance:
    """What the therapist did in a session."""

    techniques: tuple[str, ...]
    areas: tuple[str, ...]
    duration_minutes: int
    pain_before: int
    notes: str = ""
    client_report: str = ""  # what the client reports (the S of a SOAP note); added later
    procedures: tuple[ProcedureMinutes, ...] = ()  # minutes per billed code; added later


@dataclass(frozen=True)
class Evaluation:
    """The outcome of a session and what should happen next."""

    pain_after: int
    mobility: Mobility
    recommendation: Recommendation
    range_of_motion: tuple[RangeOfMotion, ...] = ()
    posture: str = ""
    client_rating: int | None = None
    recommended_interval_days: int | None = None
    notes: str = ""
    measures: tuple[MeasureAnswers, ...] = ()  # the instruments answered again


@dataclass(frozen=True)
class Amendment:
    """A recorded note or evaluation replaced by a corrected one: why, by whom, when, and
    the value it replaced, which stays in the record."""

    what: str  # "record" (what was done) or "evaluation"
    reason: str
    actor: Actor
    at: datetime
    replaced: Performance | Evaluation


@dataclass(frozen=True)
class Session:
    """One session of a plan as it stands now."""

    number: int
    therapist_id: UUID
    room_id: UUID | None
    time: SessionTime
    status: SessionStatus = SessionStatus.BOOKED
    late_cancel: bool = False
    counts_against_authorization: bool = False
    authorization_override: str = ""
    performance: Performance | None = None
    evaluation: Evaluation | None = None
    unrecorded: bool = False
    amendments: tuple[Amendment, ...] = ()  # earliest first; the replaced values stay here
    billed: tuple[ProcedureUnits, ...] = ()  # the codes performed, with minutes and units


@dataclass(frozen=True)
class SeriesRule:
    """How a series was booked, so that it can be extended and re-booked the same way."""

    first_local_start: datetime
    zone: str
    interval_days: int
    conflict_policy: str
    shift_window_days: int
    therapist_id: UUID
    room_id: UUID | None
