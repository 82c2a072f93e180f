"""Outcome measures on the record form: asked again at each evaluation, shown against the
baseline, and amended with the evaluation."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from service.application import Regimen
from service.domain.measures import Instrument, MeasureAnswers
from tests.fakes import FixedClock
from tests.web.conftest import Desk, refused, text
from tests.web.forms import ndi, psfs, soap


def soap_with(ndi_items: list[str], **changes: str | list[str]) -> dict[str, str | list[str]]:
    """The record form with these NDI answers."""
    return soap(**ndi(ndi_items), **changes)


def note_of(page: str) -> str:
    """The note's section of the record page."""
    return page.split('id="note-h"', 1)[1].split("</section>", 1)[0]


def test_the_evaluation_asks_the_tracked_measures_with_the_psfs_activities_named(
    plan_therapist: Desk, tracked_plan: UUID
) -> None:
    page = text(plan_therapist.get(f"/sessions/{tracked_plan}/1/record"))

    assert 'id="r-measure_ndi"' in page and 'id="r-measure_psfs"' in page
    assert 'id="r-measure_odi"' not in page and 'id="r-measure_nprs"' not in page
    assert 'name="psfs_activity_0" type="text" value="reversing the car"' in page
    assert 'name="psfs_activity_2" type="text" value="lifting a child"' in page
    assert "6. Concentration</label>" in page


def test_recorded_ndi_answers_show_the_change_from_the_baseline_as_they_go(
    plan_therapist: Desk, regimen: Regimen, tracked_plan: UUID, clock: FixedClock
) -> None:
    to_20 = ["2", "2", "2", "2", "2", "2", "2", "2", "2", "2"]
    to_16 = ["2", "2", "2", "2", "2", "2", "1", "1", "1", "1"]
    first = plan_therapist.post(f"/sessions/{tracked_plan}/1/record", soap_with(to_20))
    assert first.status_code == 302, text(first)
    page = text(plan_therapist.get(f"/sessions/{tracked_plan}/1/record"))
    assert "NDI 20 of 50 (40%); −4.0 points, not yet meaningful since the baseline" in note_of(page)

    clock.now = datetime(2026, 3, 10, 12, tzinfo=clock.now.tzinfo)
    assert plan_therapist.sign_in_again().status_code == 302  # a week later
    second = plan_therapist.post(f"/sessions/{tracked_plan}/2/record", soap_with(to_16))
    assert second.status_code == 302, text(second)
    page = text(plan_therapist.get(f"/sessions/{tracked_plan}/2/record"))
    assert "NDI 16 of 50 (32%); −8.0 points, meaningful since the baseline" in note_of(page)
    evaluation = regimen.plan(tracked_plan).session(2).evaluation
    assert evaluation is not None
    assert evaluation.measures == (
        MeasureAnswers(Instrument.NDI, (2, 2, 2, 2, 2, 2, 1, 1, 1, 1)),
    )  # the PSFS left blank is not measured this time


def test_half_answered_measures_show_the_form_again_with_422(
    plan_therapist: Desk, regimen: Regimen, tracked_plan: UUID
) -> None:
    answers = ["2", "2", "2", "2", "", "", "", "", "", ""]
    rated = psfs(("reversing the car", "5"), ("reading in bed", "6"), ("lifting a child", "4"))
    page = refused(
        plan_therapist, regimen, f"/sessions/{tracked_plan}/1/record", soap_with(answers, **rated)
    )

    assert "Answer NDI section 5 (Headaches): choose 0 to 5, or skipped." in page
    assert "<strong>PSFS mean 5 of 10</strong>" in page
    assert regimen.plan(tracked_plan).session(1).performance is None


def test_amending_an_evaluation_keeps_and_edits_its_measures(
    plan_therapist: Desk, regimen: Regimen, tracked_plan: UUID
) -> None:
    to_20 = ["2"] * 10
    assert (
        plan_therapist.post(f"/sessions/{tracked_plan}/1/record", soap_with(to_20)).status_code
        == 302
    )
    page = text(plan_therapist.get(f"/sessions/{tracked_plan}/1/record"))
    amend_form = page.split("Amend the evaluation</summary>", 1)[1]
    assert '<option value="2" selected>2</option>' in amend_form.split('id="ae-ndi_0"', 1)[1][:400]
    assert (
        'id="ae-psfs-activity-0" name="psfs_activity_0" type="text" value="reversing the car"'
        in amend_form
    )

    amended = soap_with(["1"] * 10, reason="read the form again: every section was 1")
    response = plan_therapist.post(f"/sessions/{tracked_plan}/1/record/amend-evaluation", amended)
    assert response.status_code == 302, text(response)
    evaluation = regimen.plan(tracked_plan).session(1).evaluation
    assert evaluation is not None
    assert evaluation.measures == (MeasureAnswers(Instrument.NDI, (1,) * 10),)
    page = text(plan_therapist.get(f"/sessions/{tracked_plan}/1/record"))
    assert "NDI 10 of 50 (20%); −14.0 points, meaningful since the baseline" in note_of(page)
    # the original, with its own score, stays in the history
    assert "NDI 20 of 50 (40%); −4.0 points, not yet meaningful" in note_of(page)
