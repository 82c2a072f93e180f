"""A refusal from the domain reaches a client in the clinic's language, never in the
domain's own English words."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.errors import DomainError, SlotTaken
from service.web.client_refusals import domain_refusal
from tests.builders import configure_clinic
from tests.web.client_links import CorasPage
from tests.web.conftest import text


def shown(error: DomainError) -> str:
    """The page a client reads for this refusal (inside a client page's request)."""
    refused = domain_refusal(error)
    assert refused.status_code == 409
    return refused.get_data(as_text=True)


def test_confirming_a_cancelled_session_is_refused_in_french(
    client: FlaskClient, regimen: Regimen, cora: CorasPage
) -> None:
    configure_clinic(regimen, language="fr")
    assert client.post(cora.path(2, "cancel")).status_code == 303
    refused = client.post(cora.path(2, "confirm"))
    assert refused.status_code == 409
    page = text(refused)
    assert "Cette séance ne peut plus être modifiée ici. Veuillez contacter le cabinet." in page
    assert "Cela n’a pas pu être fait" in page
    assert "cancelled" not in page and "Traceback" not in page


def test_a_taken_time_and_an_unlisted_refusal_read_french(app: Flask, regimen: Regimen) -> None:
    configure_clinic(regimen, language="fr")
    with app.test_request_context("/c/any-token"):
        taken = shown(SlotTaken("therapist already booked at 10:00"))
        other = shown(DomainError("an English rule the client never reads"))
    assert "Cet horaire vient d’être pris. Veuillez en choisir un autre." in taken
    assert "therapist already booked" not in taken
    assert "Les règles du cabinet ne le permettent pas ici." in other
    assert "English rule" not in other


def test_an_english_clinics_client_reads_the_english_sentence(app: Flask, regimen: Regimen) -> None:
    configure_clinic(regimen)
    with app.test_request_context("/c/any-token"):
        taken = shown(SlotTaken("therapist already booked at 10:00"))
    assert "That time was taken a moment ago. Please choose another time." in taken
    assert "therapist already booked" not in taken
