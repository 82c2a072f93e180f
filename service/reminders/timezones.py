"""VTIMEZONEs every calendar reads the same: the zone's current rule as two yearly RRULEs.

The rule is the POSIX TZ footer of the IANA zone's TZif data, turned into STANDARD and
DAYLIGHT observances by the `ical` package (the one Home Assistant's calendars use).
icalendar 7 writes a zone only as long RDATE lists, of which `vobject` (Radicale, many
desktop tools) reads the first value alone, so it put sessions an hour off half the year.

Sessions before the current rule took effect (London's since 1996, New York's since 2007)
get one observance per transition of the feed's span, each without any RDATE, from
icalendar's own reading of the zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from ical.calendar import Calendar as IcalCalendar
from ical.calendar_stream import IcsCalendarStream
from ical.timezone import Timezone as IcalTimezone
from ical.tzif import timezoneinfo
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard

Observance = TimezoneStandard | TimezoneDaylight


def rule_since(key: str) -> datetime | None:
    """When the zone's current rule took over: its last transition listed one by one.

    The TZif data lists transitions until the footer rule can say the rest; None for a
    zone that has always kept one offset.
    """
    transitions = timezoneinfo.read(key).transitions
    if not transitions:
        return None
    return datetime.fromtimestamp(transitions[-1].transition_time, UTC)


@cache
def _current_rule_text(key: str, year: int) -> str:
    """The zone's current rule as iCalendar text, its first onsets in `year` (built once)."""
    zone = IcalTimezone.from_tzif(key, start=datetime(year, 1, 1))
    calendar = IcalCalendar()
    calendar.timezones.append(zone)
    return IcsCalendarStream.calendar_to_ics(calendar)


def _current_rule(key: str, year: int) -> list[Observance]:
    """The zone's current rule as observances whose first onsets fall in `year`."""
    (parsed,) = Calendar.from_ical(_current_rule_text(key, year)).walk("VTIMEZONE")
    return [c for c in parsed.subcomponents if isinstance(c, Observance)]


def _one_per_onset(observance: Observance) -> list[Observance]:
    """An observance with RDATEs split into one observance per onset, none with an RDATE."""
    rdates = observance.get("RDATE", [])
    lists = rdates if isinstance(rdates, list) else [rdates]
    onsets = [observance.DTSTART, *(d.dt for rdate in lists for d in rdate.dts)]
    copies = []
    for onset in onsets:
        copy = type(observance)()
        copy.DTSTART = onset
        copy.TZOFFSETFROM = observance.TZOFFSETFROM
        copy.TZOFFSETTO = observance.TZOFFSETTO
        copy.add("TZNAME", observance["TZNAME"])
        copies.append(copy)
    return copies


def _history(key: str, first: date, until: date) -> list[Observance]:
    """Every onset from `first` to `until` as an observance of its own."""
    zone = Timezone.from_tzinfo(ZoneInfo(key), key, first_date=first, last_date=until)
    found = [c for c in zone.subcomponents if isinstance(c, Observance)]
    return sorted(
        (copy for observance in found for copy in _one_per_onset(observance)),
        key=lambda observance: observance.DTSTART,
    )


def vtimezone(key: str, first: datetime, last: datetime) -> Timezone:
    """A VTIMEZONE for the IANA zone `key`, right for every instant from `first` to `last`.

    Only the years of the span matter, so feeds spanning the same years share one
    (see `vtimezone_of_years`): add it to a calendar, never change it.
    """
    return vtimezone_of_years(key, first.year, last.year)


@lru_cache(maxsize=256)
def vtimezone_of_years(key: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of `key` for sessions from `first_year` to `last_year`, built once.

    The current rule starts the year after it took over, as calendar servers write it: a
    reader that compares zones over 2000-2020 (vobject) then sees London's and New York's
    changes and keeps this definition. For a zone that never changed, or changed after the
    year before `first_year`, the rule starts then. When the feed has sessions from before
    the rule, the years from the one before `first_year` until the rule are listed onset by
    onset.
    """
    since = rule_since(key)
    rule_year = since.year + 1 if since is not None else first_year - 1
    zone = Timezone()
    zone.add("TZID", key)
    history_from = date(first_year - 1, 1, 1)
    if history_from < date(rule_year, 1, 1):
        zone.subcomponents.extend(_history(key, history_from, date(rule_year, 1, 1)))
    if last_year >= rule_year:
        zone.subcomponents.extend(_current_rule(key, rule_year))
    return zone
