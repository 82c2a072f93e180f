"""IANA time zones: the one check every zone name passes."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from service.domain.errors import InvalidValue


def require_zone(name: str) -> ZoneInfo:
    """The zone of this IANA name, or InvalidValue."""
    try:
        if not name or name != name.strip() or name.startswith(("/", ".")):
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(f"unknown time zone {name!r}; use an IANA name") from None
