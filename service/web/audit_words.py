"""The audit workspace's words: who acted (name and role), a plain line per event, field
labels with sessions counted as the clinic counts them (from 1). Pure: no request, no clock."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from service.audit.plain import event_type
from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Role, SeriesSpec, SessionTime

ROLE_WORDS = {
    Role.ADMIN: "Admin",
    Role.FRONT_DESK: "Front desk",
    Role.THERAPIST: "Therapist",
    Role.AUDITOR: "Auditor",
    Role.SYSTEM: "Scheduler",
    Role.CLIENT: "Client",
}
SCHEDULER = "Scheduler"


@dataclass(frozen=True)
class Who:
    """Who caused an event: their role in words and their name ('' for the scheduler)."""

    role: str
    name: str

    @property
    def label(self) -> str:
        """'Front desk — Maria Lopez', or 'Scheduler'."""
        return f"{self.role} — {self.name}" if self.name else self.role


def who(actor: Actor | None, users: Mapping[str, str]) -> Who:
    """The actor by name (from the accounts list) and role; the system is the scheduler."""
    if actor is None:
        return Who("Unknown", "nobody recorded")
    if actor.role is Role.SYSTEM:
        return Who(SCHEDULER, "")
    if actor.role is Role.CLIENT:  # through their signed link: the actor is the client's id
        return Who(ROLE_WORDS[Role.CLIENT], "by their own link")
    short = actor.user_id if len(actor.user_id) <= 24 else actor.user_id[:8] + "…"
    name = users.get(actor.user_id) or f"user {short} (not in the accounts list)"
    return Who(ROLE_WORDS.get(actor.role, actor.role.value), name)


def type_words(name: str) -> str:
    """'Session rescheduled' for 'SessionRescheduled'."""
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()
    return words[:1].upper() + words[1:]


def short_time(moment: datetime) -> str:
    """'Tue 9 Dec 10:00' (a wall time, as it stands)."""
    return f"{moment:%a} {moment.day} {moment:%b %H:%M}"


def long_time(moment: datetime) -> str:
    """'Tue 9 Dec 2026, 10:00:05'."""
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M:%S}"


def day_text(day: date) -> str:
    """'9 Dec 2026'."""
    return f"{day.day} {day:%b %Y}"


def in_zone(moment: datetime, zone: str) -> datetime:
    """An aware instant as the clinic's wall time."""
    return moment.astimezone(ZoneInfo(zone))


def session_time(time: SessionTime) -> str:
    """When a session is, as the clinic reads it."""
    return short_time(time.local_start)


def series_text(series: SeriesSpec) -> str:
    """'6 sessions every 7 days, 60 minutes each'."""
    sessions = "1 session" if series.sessions == 1 else f"{series.sessions} sessions"
    every = "every day" if series.interval_days == 1 else f"every {series.interval_days} days"
    return f"{sessions} {every}, {series.session_minutes} minutes each"


def _with(names: Mapping[UUID, str], therapist_id: Any) -> str:
    name = names.get(therapist_id) if isinstance(therapist_id, UUID) else None
    return f" with {name}" if name else ""


def _reason(text: str) -> str:
    return f" ({text})" if text else ""


Line = Callable[[Any, Mapping[UUID, str]], str]
LINES: dict[type, Line] = {
    TreatmentPlan.PlanProposed: lambda e, n: (
        f"proposed the plan: {series_text(e.series)}" + _with(n, e.therapist_id)
    ),
    TreatmentPlan.PlanAgreed: lambda e, n: "agreed the plan with the client",
    TreatmentPlan.SessionBooked: lambda e, n: (
        f"booked session {e.number} for {session_time(e.time)}" + _with(n, e.therapist_id)
    ),
    TreatmentPlan.SessionRescheduled: lambda e, n: (
        f"moved session {e.number} from "
        f"{session_time(e.previous)} to {session_time(e.time)}" + _with(n, e.therapist_id)
    ),
    TreatmentPlan.SessionCancelled: lambda e, n: (
        f"cancelled session {e.number}" + (" late" if e.late_cancel else "") + _reason(e.reason)
    ),
    TreatmentPlan.SessionMissed: lambda e, n: f"recorded session {e.number} as missed",
    TreatmentPlan.SessionPerformed: lambda e, n: (
        f"recorded session {e.number} as performed"
        + (" (recorded late)" if e.recorded_late else "")
    ),
    TreatmentPlan.OutcomeEvaluated: lambda e, n: f"evaluated the outcome of session {e.number}",
    TreatmentPlan.SessionRecordAmended: lambda e, n: (
        f"amended the record of session {e.number}" + _reason(e.reason)
    ),
    TreatmentPlan.EvaluationAmended: lambda e, n: (
        f"amended the evaluation of session {e.number}" + _reason(e.reason)
    ),
    TreatmentPlan.PlanRevised: lambda e, n: (
        f"revised the plan to {series_text(e.series)}" + _reason(e.reason)
    ),
    TreatmentPlan.ClientReferred: lambda e, n: f"referred the client to a {e.referral.profession}",
    TreatmentPlan.SeriesScheduled: lambda e, n: (
        f"scheduled the series every "
        f"{e.rule.interval_days} days from {short_time(e.rule.first_local_start)}"
    ),
    TreatmentPlan.SessionLeftUnrecorded: lambda e, n: (
        f"marked session {e.number} as left unrecorded"
    ),
    TreatmentPlan.AuthorizationRunningOut: lambda e, n: (
        "warned that the authorization runs out"
        + (f": {e.visits_left} visits left" if e.visits_left is not None else "")
        + (f", {e.units_left} units left" if e.units_left is not None else "")
        + f", valid until {day_text(e.valid_until)}"
    ),
    TreatmentPlan.OccurrencesPassedUnbooked: lambda e, n: (
        f"noted {len(e.occurrences)} occurrences of the series passed unbooked"
    ),
    TreatmentPlan.SeriesExtensionBlocked: lambda e, n: (
        f"could not extend the series: {len(e.conflicts)} occurrences clash"
    ),
    TreatmentPlan.SeriesExtensionUnblocked: lambda e, n: "noted that the series extends again",
    TreatmentPlan.PlanCompleted: lambda e, n: "completed the plan",
    TreatmentPlan.PlanCancelled: lambda e, n: "cancelled the plan" + _reason(e.reason),
}


def plain_line(event: Any, actor: Who, names: Mapping[UUID, str]) -> str:
    """'Front desk — Maria Lopez moved session 3 from Tue 9 Dec 10:00 to Thu 11 Dec 14:00'."""
    line = LINES.get(type(event))
    what = line(event, names) if line else type_words(event_type(event)).lower()
    return f"{actor.label} {what}"


def field_label(path: str) -> str:
    """A JSON Pointer of a plan document in words, sessions from 1:
    '/sessions/2/time/local_start' -> 'Session 3 › time › local start'."""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in path.strip("/").split("/")]
    words = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token == "sessions" and following.isdigit():
            words.append(f"Session {int(following) + 1}")
            index += 2
            continue
        words.append(f"item {int(token) + 1}" if token.isdigit() else token.replace("_", " "))
        index += 1
    label = " › ".join(words) or "the plan"
    return label[:1].upper() + label[1:]


def value_text(value: Any) -> str:
    """A JSON-ready value in a table cell: '—' for nothing, lists joined."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {value_text(v)}" for k, v in value.items())
    return str(value)
