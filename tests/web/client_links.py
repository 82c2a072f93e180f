"""Cora's own page as the web tests open it: her signed link, her sessions' paths, and what
the application now holds for each session."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from flask.testing import FlaskClient

from service.application import Regimen
from service.application.self_service import ClientSession
from service.domain.clinic_contact import ClinicContact
from service.reminders.client_links import make_link_token
from tests.builders import ADMIN, Clinic
from tests.fakes import FixedClock
from tests.web.visits import book_tuesdays

RULE = "A late cancellation is charged at half the fee."


def link(client: FlaskClient, regimen: Regimen, clinic: Clinic, clock: FixedClock) -> str:
    """The path of Cora's page, signed now for her current generation."""
    secret = str(client.application.secret_key)
    generation = regimen.client_link_generation(clinic.client_id) or 0
    return f"/c/{make_link_token(secret, clinic.client_id, generation, clock())}"


def booked(regimen: Regimen, plan_id: UUID, clock: FixedClock) -> None:
    """Cora's plan booked on Tuesdays, and the clinic's phone and late-cancel rule set."""
    book_tuesdays(regimen, plan_id, clock)
    regimen.set_clinic_contact(
        ClinicContact(phone="0117 496 0123", late_cancel_rule=RULE), actor=ADMIN
    )


@dataclass(frozen=True)
class CorasLink:
    """Cora's link to her own page, signed when asked for."""

    client: FlaskClient
    regimen: Regimen
    clinic: Clinic
    clock: FixedClock

    def link(self) -> str:
        """The path of her page, signed now."""
        return link(self.client, self.regimen, self.clinic, self.clock)


@dataclass(frozen=True)
class CorasPage(CorasLink):
    """Cora's page with her plan's sessions booked, opened through her link."""

    plan_id: UUID

    def path(self, number: int, action: str) -> str:
        """The path of one of her plan's sessions, to confirm, cancel or reschedule."""
        return f"{self.link()}/sessions/{self.plan_id}/{number}/{action}"

    def session(self, number: int) -> ClientSession:
        """Her plan's session as the application holds it now."""
        return self.regimen.client_session(
            self.clinic.client_id, self.plan_id, number, now=self.clock()
        )
