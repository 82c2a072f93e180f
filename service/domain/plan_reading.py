"""What a treatment plan knows of itself, and the guards its commands share."""

from __future__ import annotations

from datetime import datetime

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
        """Visits the authorization still covers, or None without one."""
        if self.authorization is None:
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

    def _check_authorization(self, time: SessionTime, override: str, *, extra_visit: bool) -> None:
        auth = self.authorization
        if auth is None or override.strip():
            return
        if extra_visit and self.authorized_visits_used + 1 > auth.visits:
            raise AuthorizationExceeded(
                f"authorization {auth.number} covers {auth.visits} visits and all are "
                "used or booked; book with an override reason to go beyond it"
            )
        if time.local_start.date() > auth.valid_until:
            raise AuthorizationExceeded(
                f"authorization {auth.number} is valid until {auth.valid_until}; "
                "book with an override reason to go beyond it"
            )
