"""A session the client books from their own page is confirmed like the desk's booking."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from service.application import Regimen
from service.application.commands import Slot
from service.application.self_service import client_actor
from service.config import Settings
from tests.app.test_client_notices import consenting, next_tuesday_10, notices, settled
from tests.builders import ZONE, Clinic
from tests.fakes import CapturingSender


def test_a_session_the_client_books_is_confirmed(
    regimen: Regimen, settings: Settings, clinic: Clinic, plan_id: UUID
) -> None:
    consenting(regimen, clinic)
    first = next_tuesday_10()
    actor = client_actor(clinic.client_id)
    regimen.book_session(plan_id, Slot(first, ZONE), actor=actor, now=datetime.now(UTC))
    sender = CapturingSender()
    assert notices(regimen, settings, sender).dispatch(settled()).sent == 1
    [message] = sender.sent
    assert message.subject.startswith("Booked") and "12 River Street" in message.text
    assert f"{first:%A} {first.day} {first:%B %Y at %H:%M}" in message.text
