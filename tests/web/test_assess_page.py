"""Assess and propose: the therapist's form at the end of an assessment visit."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.application import Regimen
from service.domain.plan import TreatmentPlan
from service.domain.values import Intention, RangeOfMotion
from service.domain.visit import VisitKind
from tests.builders import Clinic, visit_booking
from tests.fakes import FixedClock
from tests.web.conftest import Desk, refused, signed_in, text
from tests.web.forms import filled
from tests.web.visits import book_visit

LATER_TODAY = "2026-03-02T15:00"


@pytest.fixture
def therapist(client: FlaskClient, tokens: dict[str, str], visit_id: UUID) -> Desk:
    """A browser signed in as Ada, the first therapist (once the visit is under way)."""
    return signed_in(client, tokens["therapist"])


def test_the_form_shows_the_visits_complaint_and_the_body_chart(
    therapist: Desk, visit_id: UUID
) -> None:
    response = therapist.get(f"/visits/{visit_id}/assess")
    page = text(response)
    assert response.status_code == 200
    assert "<h1>Assess Cora Client and propose a plan</h1>" in page
    assert 'value="Low back pain since May"' in page
    assert '<fieldset class="body-chart' in page and 'aria-hidden="true"' in page
    assert 'data-area="right hip"' in page and 'data-area="lower back"' in page
    assert 'name="focus_areas" value="right hip"' in page
    assert 'name="rom_joint_2"' in page and 'name="rom_joint_3"' not in page
    assert 'value="Swedish massage"' in page and 'value="hydrotherapy"' in page


def test_the_visit_page_links_a_therapist_to_the_form_but_not_the_desk(
    therapist: Desk, tokens: dict[str, str], visit_id: UUID
) -> None:
    link = f'href="/visits/{visit_id}/assess"'
    assert link in text(therapist.get(f"/visits/{visit_id}"))
    therapist.sign_in(tokens["front_desk"])  # the same browser, now at the desk
    assert link not in text(therapist.get(f"/visits/{visit_id}"))


def test_a_plan_is_proposed_from_the_visit_with_the_areas_marked(
    therapist: Desk, regimen: Regimen, clinic: Clinic, visit_id: UUID
) -> None:
    response = therapist.post(f"/visits/{visit_id}/assess", filled())

    assert response.status_code == 302
    assert response.location == f"/charts/{clinic.client_id}"
    visit = regimen.visit(visit_id)
    assert visit.plan_id is not None
    plan = regimen.load(TreatmentPlan, visit.plan_id)
    assert plan.from_visit_id == visit_id
    assert plan.therapist_id == clinic.therapist_id and plan.client_id == clinic.client_id
    assert list(plan.focus_areas) == ["lower back", "right hip"]
    assert list(plan.modalities) == ["deep tissue", "myofascial release", "cupping"]
    assert list(plan.adjuncts) == ["heat", "stretches", "walk daily"]
    assert plan.intention is Intention.CLINICAL
    assert (plan.series.sessions, plan.series.interval_days) == (6, 7)
    assert visit.assessment is not None and visit.assessment == plan.assessment
    assert visit.assessment.range_of_motion == (RangeOfMotion("hip", "flexion", 95, "right"),)
    with therapist.client.session_transaction() as session:
        assert ("success", "Plan proposed: 6 sessions every 7 days.") in session["_flashes"]


def test_invalid_answers_show_the_form_again_with_what_was_entered(
    therapist: Desk, regimen: Regimen, visit_id: UUID
) -> None:
    form = filled(pain_level="11", focus_areas=[], rom_degrees_0="", other_areas="TMJ", sessions="")
    page = refused(therapist, regimen, f"/visits/{visit_id}/assess", form)

    assert 'role="alert"' in page
    assert "Enter a whole number from 0 to 10." in page
    assert "Enter the degrees (0 to 360)." in page
    assert "Enter the sessions (1 to 100)." in page
    assert 'value="dull ache, sharp on bending"' in page and 'value="hip"' in page
    assert 'value="TMJ"' in page  # the other area is kept, and counts as a focus area
    assert "Mark at least one area" in page
    assert 'value="deep tissue" checked' in page and 'value="cupping"' in page
    assert regimen.visit(visit_id).assessment is None and regimen.visit(visit_id).plan_id is None


def test_a_row_is_added_without_javascript_keeping_the_answers(
    therapist: Desk, visit_id: UUID
) -> None:
    response = therapist.post(f"/visits/{visit_id}/assess", filled(action="add_row"))
    page = text(response)
    assert response.status_code == 200
    assert 'name="rom_joint_3"' in page and 'name="rom_rows" value="4"' in page
    assert 'id="a-rom_joint_3" name="rom_joint_3" value="" type="text" autofocus' in page
    assert 'value="4 months"' in page and 'value="lower back" checked' in page


def test_a_visit_not_yet_started_is_not_assessed_and_says_when_it_starts(
    therapist: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    later = book_visit(regimen, clock, visit_booking(clinic, LATER_TODAY))
    assert "the assessment can be saved once it has started" in text(
        therapist.get(f"/visits/{later}/assess")
    )
    response = therapist.post(f"/visits/{later}/assess", filled())
    assert response.status_code == 409
    assert "The visit has not started yet" in text(response)
    assert 'value="4 months"' in text(response)
    assert regimen.visit(later).assessment is None


def test_a_relaxation_visit_may_record_the_assessment_alone_but_a_clinical_one_proposes(
    therapist: Desk, regimen: Regimen, visit_id: UUID
) -> None:
    clinical = therapist.post(f"/visits/{visit_id}/assess", filled(action="assessment_only"))
    assert clinical.status_code == 422
    assert "A clinical assessment ends with a plan" in text(clinical)

    alone = therapist.post(
        f"/visits/{visit_id}/assess",
        filled(action="assessment_only", intention="relaxation", focus_areas=[]),
    )
    assert alone.status_code == 302
    visit = regimen.visit(visit_id)
    assert visit.assessment is not None and visit.plan_id is None


def test_the_front_desk_gets_403(desk: Desk, visit_id: UUID) -> None:
    desk.sign_in_again()
    response = desk.get(f"/visits/{visit_id}/assess")
    assert response.status_code == 403
    assert "Low back pain" not in text(response)
    assert desk.post(f"/visits/{visit_id}/assess", filled()).status_code == 403


def test_another_therapists_client_gets_403(
    therapist: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    dans = visit_booking(clinic, LATER_TODAY, client_id=clinic.other_client_id)
    with_ben = replace(dans, therapist_id=clinic.other_therapist_id, room_id=clinic.other_room_id)
    theirs = book_visit(regimen, clock, with_ben)
    assert therapist.get(f"/visits/{theirs}/assess").status_code == 403
    assert therapist.post(f"/visits/{theirs}/assess", filled()).status_code == 403
    assert regimen.visit(theirs).assessment is None


def assert_not_assessed_here(
    therapist: Desk, visit_id: UUID, response: TestResponse, why: str
) -> None:
    """The assess form answered 409 saying why, and the visit's page no longer links to it."""
    assert response.status_code == 409
    assert why in text(response)
    assert f'href="/visits/{visit_id}/assess"' not in text(therapist.get(f"/visits/{visit_id}"))


def test_a_single_session_visit_is_not_assessed_here(
    therapist: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    single = book_visit(regimen, clock, visit_booking(clinic, LATER_TODAY, kind=VisitKind.SINGLE))
    response = therapist.get(f"/visits/{single}/assess")
    assert_not_assessed_here(therapist, single, response, "this is a single session")


def test_a_plan_already_proposed_is_not_proposed_twice(
    therapist: Desk, regimen: Regimen, visit_id: UUID
) -> None:
    assert therapist.post(f"/visits/{visit_id}/assess", filled()).status_code == 302
    again = therapist.post(f"/visits/{visit_id}/assess", filled())
    assert_not_assessed_here(
        therapist, visit_id, again, "A plan was already proposed from this visit"
    )


def test_a_referral_prescription_or_authorization_begun_must_be_finished(
    therapist: Desk, regimen: Regimen, visit_id: UUID
) -> None:
    form = filled(referral_reason="numbness", authorization_payer="Acme Health")
    page = refused(therapist, regimen, f"/visits/{visit_id}/assess", form)
    assert '<p class="field-error" id="a-referral_profession-error">' in page
    assert '<p class="field-error" id="a-authorization_number-error">' in page
    assert "Enter the visits authorized (1 to 1000)." in page
    assert '<p class="field-error" id="a-authorization_valid_until-error">' in page
    assert '<details class="extra" open>' in page and 'value="Acme Health"' in page

    complete = filled(
        referral_profession="physiotherapist",
        referral_reason="numbness",
        prescription_physician="Dr Okafor",
        prescription_issued_on="2026-02-20",
        authorization_payer="Acme Health",
        authorization_number="AH-1",
        authorization_visits="6",
        authorization_valid_until="2026-06-30",
    )
    assert therapist.post(f"/visits/{visit_id}/assess", complete).status_code == 302
    plan_id = regimen.visit(visit_id).plan_id
    assert plan_id is not None
    plan = regimen.load(TreatmentPlan, plan_id)
    assert [r.profession for r in plan.referrals] == ["physiotherapist"]
    assert plan.prescription is not None and plan.prescription.physician == "Dr Okafor"
    assert plan.authorization is not None and plan.authorization.visits == 6
