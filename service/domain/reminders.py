"""How a client wants to be reminded: channels they consented to, lead times, quiet hours.

Enums here are plain Enums on purpose (see values.py): a str mixin would come back as str.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from enum import Enum

from service.domain.errors import InvalidValue

MIN_LEAD = timedelta(minutes=15)
MAX_LEAD = timedelta(days=14)
MAX_LEADS = 4
DEFAULT_LEADS = (timedelta(hours=48), timedelta(hours=2))


class Channel(Enum):
    """A way of reaching a client with a reminder."""

    EMAIL = "email"
    SMS = "sms"


@dataclass(frozen=True)
class QuietHours:
    """No reminder after `start` until `end`, client-local wall time; may span midnight."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        """Whether a local time of day falls inside (start itself is still allowed)."""
        if self.start < self.end:
            return self.start < moment < self.end
        return moment > self.start or moment < self.end


DEFAULT_QUIET_HOURS = QuietHours(start=time(21), end=time(8))


@dataclass(frozen=True)
class ReminderPreferences:
    """The channels a client explicitly consented to, how long before, and when not."""

    consented_channels: tuple[Channel, ...] = ()
    leads: tuple[timedelta, ...] = DEFAULT_LEADS
    quiet_hours: QuietHours | None = DEFAULT_QUIET_HOURS

    def consents_to(self, channel: Channel) -> bool:
        """Whether the client agreed to be reminded this way."""
        return channel in self.consented_channels


NO_REMINDERS = ReminderPreferences()


def validate_preferences(preferences: ReminderPreferences) -> ReminderPreferences:
    """Check the values; returns them in a canonical order (channels, leads longest first)."""
    channels = preferences.consented_channels
    if len(set(channels)) != len(channels):
        raise InvalidValue("each channel can be consented to once")
    leads = preferences.leads
    if not 1 <= len(leads) <= MAX_LEADS:
        raise InvalidValue(f"give between 1 and {MAX_LEADS} lead times")
    if len(set(leads)) != len(leads):
        raise InvalidValue("lead times must differ")
    for lead in leads:
        if not MIN_LEAD <= lead <= MAX_LEAD or lead % timedelta(minutes=1):
            raise InvalidValue(
                "each lead time must be whole minutes, from 15 minutes to 14 days before"
            )
    quiet = preferences.quiet_hours
    if quiet is not None and quiet.start == quiet.end:
        raise InvalidValue("quiet hours must start and end at different times")
    if quiet is not None and (quiet.start.tzinfo or quiet.end.tzinfo):
        raise InvalidValue("quiet hours are the client's wall times: give them without an offset")
    return ReminderPreferences(
        consented_channels=tuple(sorted(channels, key=lambda c: c.value)),
        leads=tuple(sorted(leads, reverse=True)),
        quiet_hours=quiet,
    )
