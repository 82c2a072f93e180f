"""What the web views share: the application, fresh reads, the clock and the clinic's zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request, url_for

from service.application import Regimen
from service.config import Settings
from service.domain.errors import InvalidValue
from service.projections.queries import ReadModel
from service.projections.reminder_queries import ReminderQueries
from service.projections.views import instant


def regimen() -> Regimen:
    """The eventsourcing application built for this process."""
    return cast(Regimen, current_app.extensions["regimen"])


def reads() -> ReadModel:
    """The read model, brought up to the end of the log (read-your-writes)."""
    return cast(ReadModel, current_app.extensions["regimen.reads"]).fresh()


def reminder_reads() -> ReminderQueries:
    """The reminder schedule, caught up and planned up to the end of the log."""
    model = reads()
    queries = current_app.extensions.get("regimen.reminder_reads")
    if queries is None:
        queries = current_app.extensions["regimen.reminder_reads"] = ReminderQueries(
            model.recorder, model.cursors
        )
    return cast(ReminderQueries, queries).fresh(now())


def now() -> datetime:
    """The current instant from the app's clock (a fixed one in tests)."""
    return cast(Callable[[], datetime], current_app.extensions["regimen.clock"])()


def public_url_for(endpoint: str, **values: Any) -> str:
    """The absolute address of an endpoint, on the configured public URL (REGIMEN_PUBLIC_URL),
    never on the Host header a request claims. Unset (only an app built outside `regimen
    serve` and `regimen dev`), the request's own address is used."""
    base = cast(Settings, current_app.extensions["regimen.settings"]).public_url
    path = url_for(endpoint, **values)[len(request.script_root) :]
    if not base:
        return request.host_url.rstrip("/") + request.script_root + path
    return base + path


def clinic_zone() -> str:
    """The clinic's IANA zone: every time on the page is shown in it."""
    return regimen().clinic().zone


def likely_duplicates(name: str, email: str, phone: str) -> list[dict[str, Any]]:
    """Registered clients a new one may be: same email, or same name and phone (E.164)."""
    region = regimen().phone_region() if phone else None  # to read numbers stored before E.164
    return reads().likely_duplicates(name, email, phone, region)


def directory_search(query: str) -> str:
    """What to look for in the directory: a whole phone number as numbers are kept (E.164),
    so '07700 900102' finds '+447700900102'; anything else as typed."""
    if any(c.isalpha() for c in query) or sum(c.isdigit() for c in query) < 6:
        return query
    try:
        return regimen().client_phone(query) or query
    except InvalidValue:
        return query


def today(zone: str) -> date:
    """The clinic's local date now."""
    return now().astimezone(ZoneInfo(zone)).date()


def zone_label(zone: str, on: date | None = None) -> str:
    """'Europe/London (GMT)': the zone's name and its abbreviation on that day."""
    moment = datetime.combine(on, datetime.min.time().replace(hour=12)) if on else now()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    abbreviation = moment.astimezone(ZoneInfo(zone)).tzname()
    return f"{zone} ({abbreviation})" if abbreviation and abbreviation != zone else zone


def local(utc_text: str, zone: str) -> datetime:
    """A stored UTC instant ('2026-03-02T10:00:00Z') as the clinic's wall time."""
    moment = datetime.strptime(utc_text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone))


def utc_text(moment: datetime) -> str:
    """An aware instant as the read model stores it."""
    return instant(moment)


def is_htmx() -> bool:
    """Whether htmx sent this request (it wants a fragment, not a whole page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def page(template: str, status: int = 200, **values: Any) -> tuple[str, int]:
    """A rendered template and its status."""
    return render_template(template, **values), status
