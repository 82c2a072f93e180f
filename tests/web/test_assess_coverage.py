"""The assess page's coverage: a registered payer, units authorized, and the prescription's
ICD-10 diagnosis codes, as the superbill and the authorization count need them."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.plan import TreatmentPlan
from service.domain.values import Authorization, Prescription
from tests.builders import ACME_TERMS, ADMIN
from tests.web.conftest import Desk, signed_in, text
from tests.web.forms import filled


@pytest.fixture
def payer_id(regimen: Regimen) -> UUID:
    """Acme Health, counting visits and units."""
    return regimen.register_payer(ACME_TERMS, actor=ADMIN)


@pytest.fixture
def therapist(client: FlaskClient, tokens: dict[str, str], visit_id: UUID, payer_id: UUID) -> Desk:
    return signed_in(client, tokens["therapist"])


COVERED = {
    "prescription_physician": "Dr Amal Haddad",
    "prescription_issued_on": "2026-02-27",
    "prescription_diagnosis_codes": "M54.5, m62.838",
    "authorization_number": "AUTH-12",
    "authorization_visits": "6",
    "authorization_units": "24",
    "authorization_valid_until": "2026-06-30",
}


def test_the_plan_records_the_registered_payer_its_units_and_the_diagnosis_codes(
    therapist: Desk, regimen: Regimen, visit_id: UUID, payer_id: UUID
) -> None:
    page = text(therapist.get(f"/visits/{visit_id}/assess"))
    saved = therapist.post(
        f"/visits/{visit_id}/assess",
        filled(**COVERED, authorization_payer_id=str(payer_id)),
    )

    assert f'<option value="{payer_id}">Acme Health</option>' in page
    assert 'name="prescription_diagnosis_codes"' in page
    assert saved.status_code == 302, text(saved)
    plan_id = regimen.visit(visit_id).plan_id
    assert plan_id is not None
    plan = regimen.load(TreatmentPlan, plan_id)
    assert plan.authorization == Authorization(
        "Acme Health", "AUTH-12", 6, date(2026, 6, 30), payer_id, 24
    )
    assert plan.prescription == Prescription(
        "Dr Amal Haddad", date(2026, 2, 27), "", ("M54.5", "m62.838")
    )


def test_a_code_not_shaped_like_icd10_is_shown_beside_its_field(
    therapist: Desk, regimen: Regimen, visit_id: UUID, payer_id: UUID
) -> None:
    response = therapist.post(
        f"/visits/{visit_id}/assess",
        filled(
            **{**COVERED, "prescription_diagnosis_codes": "M54.5 backache"},
            authorization_payer="Acme",
        ),
    )

    assert response.status_code == 422
    assert "Diagnosis code &#39;backache&#39; is not shaped like an ICD-10 code." in text(response)
    assert regimen.visit(visit_id).plan_id is None


def test_a_payer_counting_units_without_the_units_is_refused_with_its_reason(
    therapist: Desk, regimen: Regimen, visit_id: UUID, payer_id: UUID
) -> None:
    without_units = {**COVERED, "authorization_units": "", "authorization_payer_id": str(payer_id)}

    response = therapist.post(f"/visits/{visit_id}/assess", filled(**without_units))

    assert response.status_code == 409
    assert "Acme Health authorizes units: give the authorization" in text(response)
    assert regimen.visit(visit_id).plan_id is None
