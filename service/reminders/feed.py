"""A client's calendar feed as RFC 5545 iCalendar, through the `icalendar` package.

One VEVENT per session, its UID fixed for the session's life, its SEQUENCE raised with
every change; cancelled sessions stay with STATUS:CANCELLED so subscribed calendars
drop them. Stamps come from the events, never the clock, so an unchanged schedule gives
byte-identical output (and the same ETag).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, vDuration, vText

from service.domain.languages import DEFAULT_LANGUAGE
from service.domain.text import one_line
from service.reminders.language import words
from service.reminders.timezones import vtimezone

PRODID = "-//Regimen//Client calendar feed//EN"
POLL_EVERY = timedelta(hours=1)
FEED_STATUS = {"cancelled": "CANCELLED"}  # booked, performed and missed all took place


@dataclass(frozen=True)
class FeedSession:
    """One session as the feed shows it."""

    plan_id: str
    number: int
    status: str
    start: datetime  # aware, UTC
    minutes: int
    zone: str
    sequence: int
    stamp: datetime  # when the session (or its alarms) last changed
    therapist_name: str
    room_name: str


@dataclass(frozen=True)
class FeedHeader:
    """What the whole calendar says."""

    client_id: str
    clinic_name: str
    cancel_hint: str
    leads: tuple[timedelta, ...]
    language: str = DEFAULT_LANGUAGE  # the clinic's: the words of summaries and alarms


def session_uid(plan_id: str, number: int) -> str:
    """A session's UID: the same however often it moves."""
    return f"{plan_id}-{number}@regimen"


def _event(session: FeedSession, header: FeedHeader) -> Event:
    zone = ZoneInfo(session.zone)
    start = session.start.astimezone(zone)
    status = FEED_STATUS.get(session.status, "CONFIRMED")
    uid = session_uid(session.plan_id, session.number)
    clinic, room, therapist = (
        one_line(n) for n in (header.clinic_name, session.room_name, session.therapist_name)
    )
    _ = words(header.language)
    with_whom = _(" with {therapist}").format(therapist=therapist) if therapist else ""
    cancel_hint = one_line(header.cancel_hint)
    if session.number:  # visits are number 0
        summary = _("Session {number} at {clinic}").format(number=session.number, clinic=clinic)
        about = _("Your {minutes}-minute session{with_whom}.")
    else:
        summary = _("Visit at {clinic}").format(clinic=clinic)
        about = _("Your {minutes}-minute visit{with_whom}.")
    event = Event.new(
        uid=uid,
        summary=summary,
        start=start,
        end=start + timedelta(minutes=session.minutes),
        sequence=session.sequence,
        stamp=session.stamp,
        status=status,  # type: ignore[arg-type]
        location=", ".join(p for p in (room, clinic) if p),
        description=about.format(minutes=session.minutes, with_whom=with_whom) + f" {cancel_hint}",
    )
    if status != "CANCELLED":
        for lead in header.leads:
            minutes = lead // timedelta(minutes=1)
            alarm = Alarm.new_display(
                description=_("Session at {clinic}").format(clinic=clinic),
                trigger=-lead,
                uid=f"{uid}-alarm-{minutes}",
            )
            event.add_component(alarm)
    return event


def _calendar(header: FeedHeader, uid: str) -> Calendar:
    """An empty calendar named after the clinic, with how often to poll it.

    Names are single lines by the domain's rules, but ones stored before those rules may
    hold a line break or a control character, which no TEXT value may (RFC 5545 3.3.11).
    The calendar's name is added as TEXT by hand: icalendar knows NAME and X-WR-CALNAME
    by no type, so it would write a line break in them unescaped, and refuse to.
    REFRESH-INTERVAL (RFC 7986) is for clients that know it, X-PUBLISHED-TTL for the rest.
    """
    calendar = Calendar.new(prodid=PRODID, uid=uid)
    _ = words(header.language)
    name = vText(_("{clinic} sessions").format(clinic=one_line(header.clinic_name)))
    calendar.add("NAME", name)
    calendar.add("X-WR-CALNAME", name)
    calendar.add("REFRESH-INTERVAL", vDuration(POLL_EVERY), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(POLL_EVERY))
    return calendar


def _finish(calendar: Calendar, sessions: list[FeedSession]) -> bytes:
    """The events, then a VTIMEZONE for every zone they use, spanning their sessions."""
    for zone in sorted({s.zone for s in sessions}):
        starts = [s.start for s in sessions if s.zone == zone]
        calendar.subcomponents.insert(0, vtimezone(zone, min(starts), max(starts)))
    return bytes(calendar.to_ical())


def render_feed(sessions: Iterable[FeedSession], header: FeedHeader) -> bytes:
    """The whole calendar: one event per session, a VTIMEZONE for every zone used."""
    sessions = list(sessions)
    calendar = _calendar(header, f"{header.client_id}@regimen")
    for session in sessions:
        calendar.add_component(_event(session, header))
    return _finish(calendar, sessions)


def render_session(session: FeedSession, header: FeedHeader) -> bytes:
    """One session alone, as a calendar to open or attach (the same event as in the feed)."""
    calendar = _calendar(header, session_uid(session.plan_id, session.number))
    calendar.add_component(_event(session, header))
    return _finish(calendar, [session])


def subscribe_links(feed_url: str) -> tuple[str, str]:
    """The feed as a webcal:// link (a calendar app subscribes) and as https (any browser)."""
    _, _, rest = feed_url.partition("://")
    return f"webcal://{rest}", feed_url


def feed_etag(body: bytes) -> str:
    """A strong ETag: the same bytes, the same tag."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
