"""How long a client's clinical records must be kept, and whether an erasure may go ahead."""

from __future__ import annotations

from datetime import datetime

from service.domain.errors import RetentionHold

DEFAULT_RETENTION_YEARS = 10  # many jurisdictions ask 7-16 years after the last treatment


def years_after(moment: datetime, years: int) -> datetime:
    """The same wall time `years` later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def retained_until(last_treated: datetime | None, years: int) -> datetime | None:
    """Until when the records must be kept: `years` after the last treatment (None if the
    client was never treated: nothing clinical to keep)."""
    return None if last_treated is None else years_after(last_treated, years)


def require_erasable(
    last_treated: datetime | None, years: int, now: datetime, override_reason: str
) -> None:
    """RetentionHold unless the retention period is over or an override says why."""
    until = retained_until(last_treated, years)
    if until is not None and now < until and not override_reason.strip():
        raise RetentionHold(
            f"the client's records are kept until {until.date().isoformat()} ({years} years"
            " after the last treatment, the clinic's retention period); erasing them now"
            " needs an override with a reason",
            retained_until=until.isoformat(),
        )
