"""The therapist's SOAP note: record and evaluate in one save, preview a new pace, amend."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.values import Mobility, Recommendation, SessionStatus
from service.domain.visit import Visit, VisitKind
from tests.builders import Clinic, agreed_plan, visit_booking
from tests.fakes import FixedClock
from tests.web.conftest import Desk, signed_in, text
from tests.web.forms import PHRASE, record_url, soap
from tests.web.visits import book_tuesdays, book_visit


@pytest.fixture
def series(regimen: Regimen, plan_id: UUID, clock: FixedClock) -> UUID:
    """Cora's six Tuesdays at 10:00 from 3 March, booked; the clock at noon on 3 March."""
    book_tuesdays(regimen, plan_id, clock)
    clock.now = datetime(2026, 3, 3, 12, tzinfo=clock.now.tzinfo)
    return plan_id


@pytest.fixture
def therapist(client: FlaskClient, tokens: dict[str, str], clinic: Clinic, series: UUID) -> Desk:
    """A browser signed in as the first therapist (linked to her therapist record), once
    the series is booked and its first session is over."""
    return signed_in(client, tokens["therapist"])


@pytest.fixture
def recorded(therapist: Desk, series: UUID) -> UUID:
    """Session 1 of the series recorded and evaluated by the therapist (the series' id)."""
    assert therapist.post(record_url(series), soap()).status_code == 302
    return series


def test_the_form_starts_from_the_plan(therapist: Desk, series: UUID) -> None:
    page = text(therapist.get(record_url(series)))
    assert "Cora Client: session 1 of 6" in page
    for letter in ("What the client reports", "What was done", "How it went", "What next"):
        assert letter in page
    assert 'href="/charts/' in page and f'href="/plans/{series}/progress"' in page


def test_record_and_evaluate_land_in_one_save(
    therapist: Desk, regimen: Regimen, series: UUID
) -> None:
    before = regimen.plan(series).version

    response = therapist.post(record_url(series), soap())

    assert response.status_code == 302 and response.location.endswith(record_url(series))
    plan = regimen.plan(series)
    events = [type(e).__name__ for e in regimen.history(series)]
    assert plan.version == before + 2 and events[-2:] == ["SessionPerformed", "OutcomeEvaluated"]
    session = plan.session(1)
    assert session.performance is not None and session.evaluation is not None
    assert session.performance.client_report == PHRASE
    assert session.performance.techniques == (
        "Swedish massage",
        "trigger point therapy",
        "cupping",
    )
    assert session.performance.areas == ("neck", "right shoulder")
    assert session.evaluation.mobility is Mobility.BETTER
    found = [(r.side, r.joint, r.degrees) for r in session.evaluation.range_of_motion]
    assert found == [("right", "shoulder", 150)]
    shown = text(therapist.get(response.location))
    assert "Session 1 is recorded and evaluated." in shown and PHRASE in shown
    assert "right shoulder flexion 150°" in shown
    assert "Amend the note" in shown and "Amend the evaluation" in shown


def test_the_note_now_and_the_evaluation_later(
    therapist: Desk, regimen: Regimen, series: UUID
) -> None:
    response = therapist.post(record_url(series), soap(save="note", pain_after=""))
    assert response.status_code == 302
    assert regimen.plan(series).session(1).evaluation is None
    page = text(therapist.get(record_url(series)))
    assert "Evaluate the session" in page and PHRASE in page

    evaluation = {k: v for k, v in soap().items() if k not in ("client_report", "pain_before")}
    assert therapist.post(record_url(series), evaluation).status_code == 302
    assert regimen.plan(series).session(1).evaluation is not None


def test_invalid_answers_are_shown_again_with_what_was_typed(
    therapist: Desk, regimen: Regimen, series: UUID
) -> None:
    response = therapist.post(
        record_url(series), soap(pain_after="12", rom_degrees=["", ""], mobility="")
    )

    assert response.status_code == 422
    page = text(response)
    assert 'role="alert"' in page and "Enter a whole number from 0 to 10." in page
    assert "Row 1 is incomplete or wrong" in page and "Choose better, the same or worse." in page
    assert PHRASE in page and 'value="cupping"' in page
    assert regimen.plan(series).session(1).performance is None


def test_a_session_not_yet_started_is_not_recorded(
    therapist: Desk, regimen: Regimen, series: UUID
) -> None:
    response = therapist.post(record_url(series, 2), soap())
    assert response.status_code == 422
    assert "has not started yet" in text(response) and PHRASE in text(response)
    assert regimen.plan(series).session(2).status is SessionStatus.BOOKED


def test_a_new_interval_is_previewed_and_nothing_is_saved(
    therapist: Desk, regimen: Regimen, series: UUID
) -> None:
    before = regimen.plan(series).version

    response = therapist.post(
        record_url(series),
        soap(recommendation="change_interval", interval_days="14"),
    )

    assert response.status_code == 200
    page = text(response)
    assert "The remaining sessions every 14 days: 5 sessions" in page
    assert "Tue 10 Mar, 10:00" in page and "Tue 24 Mar, 10:00" in page
    assert "<td>2</td>" in page and "<td>6</td>" in page and "<td>1</td>" not in page
    assert "Confirm and save" in page and PHRASE in page
    assert regimen.plan(series).version == before


def test_confirming_the_preview_saves_and_re_paces(
    therapist: Desk, regimen: Regimen, series: UUID
) -> None:
    form = soap(recommendation="change_interval", interval_days="14")
    preview = text(therapist.post(record_url(series), form))
    expected = preview.split('name="expected" value="')[1].split('"')[0]

    response = therapist.post(record_url(series), {**form, "confirm": "yes", "expected": expected})

    assert response.status_code == 302
    plan = regimen.plan(series)
    assert plan.series.interval_days == 14
    assert plan.session(1).evaluation is not None
    assert plan.session(1).evaluation.recommendation is Recommendation.CHANGE_INTERVAL
    later = [f"{s.time.local_start:%d %b}" for s in plan.sessions[1:]]
    assert later == ["10 Mar", "24 Mar", "07 Apr", "21 Apr", "05 May"]


def test_a_confirmation_after_the_calendar_changed_shows_the_new_preview(
    therapist: Desk, regimen: Regimen, series: UUID
) -> None:
    form = soap(recommendation="change_interval", interval_days="14")
    response = therapist.post(record_url(series), {**form, "confirm": "yes", "expected": "stale"})
    assert response.status_code == 409
    assert "changed since your preview" in text(response)
    assert regimen.plan(series).session(1).performance is None


def test_a_referral_joins_the_plan(therapist: Desk, regimen: Regimen, series: UUID) -> None:
    form = soap(
        recommendation="refer",
        referral_profession="physiotherapist",
        referral_name="J. Osei",
        referral_reason="knee laxity",
    )
    assert therapist.post(record_url(series), form).status_code == 302
    assert regimen.plan(series).referrals[-1].name == "J. Osei"


def test_the_desk_may_not_open_the_note_nor_see_it(
    desk: Desk, therapist: Desk, recorded: UUID, client: FlaskClient
) -> None:
    therapist_page = text(therapist.get(f"/sessions/{recorded}/1"))
    assert "Open the note" in therapist_page

    desk.sign_in(desk.token)
    assert desk.get(record_url(recorded)).status_code == 403
    assert desk.post(record_url(recorded), soap()).status_code == 403
    session_page = text(desk.get(f"/sessions/{recorded}/1"))
    assert "nothing more can be done with it here" in session_page
    assert PHRASE not in session_page and "Open the note" not in session_page


def test_another_therapists_client_is_refused(
    regimen: Regimen, clinic: Clinic, therapist: Desk, clock: FixedClock
) -> None:
    other = agreed_plan(
        regimen, clinic, therapist_id=clinic.other_therapist_id, client_id=clinic.other_client_id
    )
    assert therapist.get(record_url(other)).status_code == 403


def note_form(**changes: str | list[str]) -> dict[str, str | list[str]]:
    """The amend-the-note form as sent: the note's fields and a reason."""
    keys = ("client_report", "pain_before", "techniques", "techniques_other", "areas")
    form = {k: v for k, v in soap().items() if k in (*keys, "duration_minutes", "notes")}
    return {**form, "reason": "the client added this at checkout", **changes}


def test_an_amended_note_keeps_the_original_in_view(
    therapist: Desk, regimen: Regimen, recorded: UUID
) -> None:
    response = therapist.post(
        f"{record_url(recorded)}/amend-note",
        note_form(client_report="pins and needles in the right hand"),
    )

    assert response.status_code == 302
    performance = regimen.plan(recorded).session(1).performance
    assert performance is not None
    assert performance.client_report == "pins and needles in the right hand"
    page = text(therapist.get(record_url(recorded)))
    assert "Note amended by test-therapist on Tue 03 Mar 2026, 12:00" in page
    assert "the client added this at checkout" in page
    assert PHRASE in page.split('class="amendments"')[1]  # the original, in the history


def test_an_amendment_needs_a_reason(therapist: Desk, regimen: Regimen, recorded: UUID) -> None:
    response = therapist.post(
        f"{record_url(recorded)}/amend-note", note_form(client_report="new", reason="")
    )

    assert response.status_code == 422
    assert "Fill this in." in text(response) and ">new</textarea>" in text(response)
    performance = regimen.plan(recorded).session(1).performance
    assert performance is not None and performance.client_report == PHRASE


def test_an_amended_evaluation_keeps_the_original_in_view(
    therapist: Desk, regimen: Regimen, recorded: UUID
) -> None:
    form = {k: v for k, v in soap(pain_after="4").items() if k not in note_form()}
    form["reason"] = "pain re-scored after the client stood up"

    response = therapist.post(f"{record_url(recorded)}/amend-evaluation", form)

    assert response.status_code == 302
    evaluation = regimen.plan(recorded).session(1).evaluation
    assert evaluation is not None and evaluation.pain_after == 4
    page = text(therapist.get(record_url(recorded)))
    assert "Evaluation amended by test-therapist" in page
    assert "3 / 10" in page.split('class="amendments"')[1]


def test_the_desk_may_not_amend(desk: Desk, recorded: UUID) -> None:
    desk.sign_in(desk.token)
    assert desk.post(f"{record_url(recorded)}/amend-note", note_form()).status_code == 403


def test_no_preview_is_offered_for_a_session_not_yet_started(therapist: Desk, series: UUID) -> None:
    form = soap(recommendation="change_interval", interval_days="14")
    response = therapist.post(record_url(series, 2), form)
    assert response.status_code == 422
    assert "has not started yet" in text(response) and "Confirm and save" not in text(response)


def test_an_amendment_that_changes_nothing_is_refused_plainly(
    therapist: Desk, regimen: Regimen, recorded: UUID
) -> None:
    version = regimen.plan(recorded).version

    response = therapist.post(f"{record_url(recorded)}/amend-note", note_form())

    assert response.status_code == 422
    assert "Nothing changed" in text(response) and 'role="alert"' in text(response)
    assert regimen.plan(recorded).version == version


def test_a_single_session_visit_is_recorded_and_amended_without_an_evaluation(
    therapist: Desk, regimen: Regimen, clinic: Clinic
) -> None:
    monday = FixedClock(datetime(2026, 3, 2, 8, tzinfo=UTC))
    visit_id = book_visit(
        regimen, monday, visit_booking(clinic, "2026-03-03T09:00", kind=VisitKind.SINGLE)
    )
    url = f"/sessions/{visit_id}/0/record"
    assert "Record the visit" in text(therapist.get(f"/visits/{visit_id}"))

    page = text(therapist.get(url))
    assert "Cora Client: single session" in page and "Record the visit" in page
    assert "How it went" not in page and "/progress" not in page

    note = {k: v for k, v in note_form().items() if k != "reason"}
    response = therapist.post(url, note)
    assert response.status_code == 302
    assert regimen.load(Visit, visit_id).session.performance is not None
    assert "The visit is recorded." in text(therapist.get(url))
    assert "Open the note" in text(therapist.get(f"/visits/{visit_id}"))

    amended = therapist.post(f"{url}/amend-note", note_form(client_report="better on the left"))
    assert amended.status_code == 302
    page = text(therapist.get(url))
    assert "Note amended by test-therapist" in page and PHRASE in page
