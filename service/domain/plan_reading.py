"""What a treatment plan knows of itself, and the guards its commands share."""

from __future__ import annotations

from datetime import datetime

from service.domain.billing_units import units_for
from service.domain.errors import (
    AuthorizationExceeded,
    NotFound,
    PlanClosed,
    PlanNotAgreed,
    SessionStateError,
)
from service.domain.values import (
    Authorization,
    PlanStatus,
    SeriesSpec,
    Session,
    SessionStatus,
    SessionTime,
)

OPEN = (PlanStatus.PROPOSED, PlanStatus.AGREED)


class PlanReading:
    """Read-only questions about a plan's state; mixed into TreatmentPlan (no events here)."""

    status: PlanStatus
    series: SeriesSpec
    sessions: list[Session]
    authorization: Authorization | None

    # --- what the plan knows -------------------------------------------------

    @property
    def is_open(self) -> bool:
        """Whether the plan can still change."""
        return self.status in OPEN

    def session(self, number: int) -> Session:
        """The session with this number, or NotFound."""
        if not 1 <= number <= len(self.sessions):
            raise NotFound(f"plan has no session {number}")
        return self.sessions[number - 1]

    def sessions_in(self, *statuses: SessionStatus) -> list[Session]:
        """The sessions currently in any of these states."""
        return [s for s in self.sessions if s.status in statuses]

    @property
    def active_sessions(self) -> int:
        """Sessions that use up the series: booked or performed."""
        return len(self.sessions_in(SessionStatus.BOOKED, SessionStatus.PERFORMED))

    def rest_from(self, number: int) -> list[Session]:
        """Session `number` and every other booked session starting with it or later: what
        "this and the rest of the series" moves or cancels (one start time counts as later)."""
        first = self.session(number)
        return [first] + [
            s
            for s in self.sessions_in(SessionStatus.BOOKED)
            if s.number != number and s.time.start >= first.time.start
        ]

    def future_bookings(self, now: datetime) -> list[Session]:
        """Booked sessions that start after now, earliest first."""
        booked = self.sessions_in(SessionStatus.BOOKED)
        return sorted((s for s in booked if s.time.start > now), key=lambda s: s.time.start)

    @property
    def sessions_to_book(self) -> int:
        """How many more sessions the series needs."""
        return max(self.series.sessions - self.active_sessions, 0)

    @property
    def authorized_visits_left(self) -> int | None:
        """Visits the authorization still covers, or None unless it counts visits."""
        if self.authorization is None or self.authorization.visits is None:
            return None
        return max(self.authorization.visits - self.authorized_visits_used, 0)

    @property
    def authorized_visits_used(self) -> int:
        """Visits charged to the authorization, booked ones included."""
        return sum(
            1
            for s in self.sessions
            if s.status in (SessionStatus.BOOKED, SessionStatus.PERFORMED)
            or s.counts_against_authorization
        )

    @property
    def authorized_units_left(self) -> int | None:
        """Units the authorization still covers, or None unless it counts units."""
        if self.authorization is None or self.authorization.units is None:
            return None
        return max(self.authorization.units - self.authorized_units_used, 0)

    @property
    def authorized_units_used(self) -> int:
        """Units charged to the authorization: a booked session's planned units (those its
        minutes bill), a performed one's billed units (its planned ones if it was recorded
        without codes, so that nothing slips past the count), and a late cancel's or no-show's
        planned units when they count."""
        return sum(session_units(s) for s in self.sessions)

    # --- guards -------------------------------------------------------------

    def _require_open(self) -> None:
        if not self.is_open:
            raise PlanClosed(f"the plan is {self.status.value}; nothing can change it")

    def _require_agreed(self) -> None:
        self._require_open()
        if self.status is not PlanStatus.AGREED:
            raise PlanNotAgreed("the client has not agreed to the plan yet")

    def _booked(self, number: int) -> Session:
        session = self.session(number)
        if session.status is not SessionStatus.BOOKED:
            raise SessionStateError(f"session {number} is {session.status.value}, not booked")
        return session

    def _check_units(self, more: int, need: str) -> None:
        """Refuse `more` units beyond what the authorization has left, if it counts units;
        `need` says what needs them."""
        auth, left = self.authorization, self.authorized_units_left
        if auth is None or left is None or more <= left:
            return
        raise AuthorizationExceeded(
            f"authorization {auth.number} covers {auth.units} units and {left} are left; "
            f"{need}; go on with an override reason to go beyond it"
        )

    def _check_authorization(self, time: SessionTime, override: str, *, extra_visit: bool) -> None:
        auth = self.authorization
        if auth is None or override.strip():
            return
        if extra_visit and self.authorized_visits_left == 0:
            raise AuthorizationExceeded(
                f"authorization {auth.number} covers {auth.visits} visits and all are "
                "used or booked; book with an override reason to go beyond it"
            )
        if extra_visit:
            more = units_for(time.minutes)
            self._check_units(more, f"a {time.minutes}-minute session needs {more}")
        if time.local_start.date() > auth.valid_until:
            raise AuthorizationExceeded(
                f"authorization {auth.number} is valid until {auth.valid_until}; "
                "book with an override reason to go beyond it"
            )


def session_units(session: Session) -> int:
    """The units a session charges to an authorization (see authorized_units_used)."""
    planned = units_for(session.time.minutes)
    if session.status is SessionStatus.BOOKED:
        return planned
    if session.status is SessionStatus.PERFORMED:
        return sum(b.units for b in session.billed) if session.billed else planned
    return planned if session.counts_against_authorization else 0
