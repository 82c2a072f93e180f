"""The `Regimen` facade: every use case of the clinic, on one event-sourced application.

Each use-case class inherits only the store base; steps they share are plain
functions (see calendar_work and series), so no use case depends on another.
"""

from __future__ import annotations

from datetime import UTC, datetime

from service.application.accounts import Accounts
from service.application.booking import Bookings
from service.application.clients import Clients
from service.application.erasure import Erasures
from service.application.housekeeping import Housekeeping
from service.application.payers import Payers
from service.application.plans import Plans
from service.application.reminding import Reminding
from service.application.revision import Revisions
from service.application.self_service import SelfService
from service.application.series import SeriesBookings
from service.application.setup import ClinicSetup
from service.application.visits import Visits
from service.application.waitlist import Waitlists
from service.application.waitlist_claims import WaitlistClaims
from service.audit.trail import AuditTrail


class Regimen(
    ClinicSetup,
    Payers,
    Clients,
    Erasures,
    Plans,
    Bookings,
    Visits,
    SeriesBookings,
    Revisions,
    Housekeeping,
    Reminding,
    Waitlists,
    WaitlistClaims,
    Accounts,
    SelfService,
    AuditTrail,
):
    """The clinic's use cases."""


def utc_now() -> datetime:
    """The current instant: the entry points read the clock and pass `now` inward."""
    return datetime.now(UTC)
