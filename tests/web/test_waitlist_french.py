"""A French clinic's waitlist pages for clients are French; the desk's stay English."""

from __future__ import annotations

from uuid import UUID

from flask import Flask

from service.application import Regimen
from tests.builders import Clinic, configure_clinic
from tests.web.conftest import Desk, text
from tests.web.test_waitlist_join import CSRF, TIMES, join_link


def test_a_french_clinics_client_joins_the_waitlist_in_french(
    desk: Desk, app: Flask, regimen: Regimen, clinic: Clinic, plan_id: UUID
) -> None:
    configure_clinic(regimen, language="fr")
    path = join_link(desk, clinic)
    client = app.test_client()
    form = text(client.get(path))
    assert 'lang="fr"' in form and "S’inscrire sur la liste d’attente" in form
    assert "Bonjour Cora Client, dites-nous quand vous pouvez venir" in form
    for label in ("Thérapeute", "N’importe quel thérapeute", ">De<", "Jusqu’à", "Premier jour"):
        assert label in form
    assert 'Dernier jour <span class="optional">(facultatif)</span>' in form
    assert "La prochaine séance du plan avec Ada Therapist (6 × 60 min)" in form
    assert ">lun.</label>" in form and ">dim.</label>" in form
    for english in (
        ">Therapist<",
        "Any therapist",
        "The next session",
        ">Until<",
        "First day",
        "(optional)",
        ">Mon<",
    ):
        assert english not in form
    token = CSRF.search(form).group(1)  # type: ignore[union-attr]
    wrong = client.post(path, data={**TIMES, "weekdays": "", "end": "09:00", "csrf_token": token})
    problems = text(wrong)
    assert wrong.status_code == 422 and "Choisissez au moins un jour." in problems
    assert "Choisissez une fin après le début." in problems and "Erreur :" in problems
    assert "Choose at least one day" not in problems and "Error:" not in problems
    # The shared form reader's own words (service.web.forms) are French here too.
    unreadable = {**TIMES, "start": "noon", "first_day": "soon", "csrf_token": token}
    problems = text(client.post(path, data=unreadable))
    assert "Saisissez une heure comme 10:00." in problems
    assert "Saisissez une date comme 2026-03-16." in problems
    assert "Enter a time like" not in problems and "Enter a date like" not in problems
    joined = text(client.post(path, data={**TIMES, "csrf_token": token}))
    assert "Vous êtes sur la liste d’attente" in joined
    assert "You are on the waitlist" not in joined


def test_a_changed_claim_link_answers_in_french(
    app: Flask, regimen: Regimen, clinic: Clinic
) -> None:
    configure_clinic(regimen, language="fr")
    refused = app.test_client().get("/waitlist/claim/not-a-token")
    assert refused.status_code == 403
    assert "Ce lien ne fonctionne pas" in text(refused)
    assert "This link does not work" not in text(refused)


def test_the_desks_waitlist_page_stays_english(desk: Desk, regimen: Regimen) -> None:
    configure_clinic(regimen, language="fr")
    page = text(desk.get("/waitlist"))
    assert "Waitlist" in page and "liste d’attente" not in page
    assert ">Therapist</label>" in page and ">Any therapist</option>" in page
    assert ">Until</label>" in page and "(optional)" in page and ">Mon</label>" in page
    assert "Thérapeute" not in page and "facultatif" not in page
