"""IANA time zones: the one check every zone name passes."""

from __future__ import annotations

from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from service.domain.errors import InvalidValue


@cache
def known_zones() -> frozenset[str]:
    """The IANA zone names, from the tzdata package's list.

    Not zoneinfo.available_timezones(): on many systems it also lists files such
    as 'localtime' or 'posixrules', whose meaning depends on the server.
    """
    listing = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    return frozenset(listing.split())


def require_zone(name: str) -> ZoneInfo:
    """The zone of this IANA name, or InvalidValue (names like 'Europe' or 'localtime' too)."""
    if not isinstance(name, str) or name not in known_zones():
        raise InvalidValue(f"unknown time zone {name!r}; use an IANA name such as Europe/London")
    return ZoneInfo(name)
