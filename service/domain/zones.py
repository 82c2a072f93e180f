"""IANA time zones: the one check every zone name passes."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from service.domain.errors import InvalidValue


@cache
def known_zones() -> frozenset[str]:
    """The IANA zone names this machine's time-zone database holds."""
    return frozenset(available_timezones())


def require_zone(name: str) -> ZoneInfo:
    """The zone of this IANA name, or InvalidValue (names like 'Europe' or 'localtime' too)."""
    if not isinstance(name, str) or name not in known_zones():
        raise InvalidValue(f"unknown time zone {name!r}; use an IANA name such as Europe/London")
    return ZoneInfo(name)
