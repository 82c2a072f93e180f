"""A French clinic's booking confirmation goes out in French, dates written the French way."""

from __future__ import annotations

from email import message_from_bytes, policy
from uuid import UUID

from babel.dates import format_datetime

from service.adapters.channels import email_of
from service.application import Regimen
from service.config import Settings
from tests.app.test_client_notices import (
    MAIL_FROM,
    consented_series,
    notices,
    settled,
)
from tests.builders import Clinic, configure_clinic
from tests.fakes import CapturingSender


def test_a_french_clinics_series_confirmation_is_french(
    regimen: Regimen, settings: Settings, clinic: Clinic, plan_id: UUID
) -> None:
    configure_clinic(regimen, language="fr")
    first = consented_series(regimen, clinic, plan_id)
    sender = CapturingSender()
    assert notices(regimen, settings, sender).dispatch(settled()).sent == 1

    [message] = sender.sent
    assert message.subject.startswith("Réservée : 6 séances chez Test Clinic, à partir du mar. ")
    assert "sont réservées :" in message.text and message.text.count("  - ") == 6
    french_date = format_datetime(first, "EEEE d MMMM y 'à' HH:mm", locale="fr")
    assert f"  - {french_date} " in message.text  # e.g. "mardi 9 décembre 2026 à 10:00 GMT"
    assert message.text.startswith("Bonjour Cora Client,") and "Booked" not in message.text
    parsed = message_from_bytes(email_of(message, MAIL_FROM).as_bytes(), policy=policy.default)
    assert parsed.defects == []
