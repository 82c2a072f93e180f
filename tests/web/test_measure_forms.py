"""Outcome measures on the therapist's pages: the baseline on the assess form, the answers
again on the record form, and each measure's chart on the progress page."""

from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.measures import Instrument, MeasureAnswers
from service.domain.plan import TreatmentPlan
from service.domain.values import Evaluation, Mobility, RangeOfMotion, Recommendation
from tests.api.helpers import book, perform
from tests.builders import THERAPIST, Clinic, agreed_plan
from tests.fakes import FixedClock
from tests.plans import assessment
from tests.web.conftest import Desk, signed_in, text
from tests.web.test_assess_page import filled
from tests.web.test_record_page import post, soap
from tests.web.visits import book_tuesdays

NDI_24 = ["3", "3", "3", "3", "2", "2", "2", "2", "2", "2"]  # 24 of 50


@pytest.fixture
def therapist(client: FlaskClient, tokens: dict[str, str], visit_id: UUID) -> Desk:
    return signed_in(client, tokens["therapist"])


def ndi(items: list[str]) -> dict[str, str]:
    return {f"ndi_{i}": item for i, item in enumerate(items)}


def fieldset(page: str, key: str) -> str:
    """The opening tag of one instrument's fieldset."""
    found = re.search(rf'<fieldset class="measure[^"]*" id="a-measure_{key}"[^>]*>', page)
    assert found is not None, key
    return found.group(0)


def test_the_form_first_tracks_the_nprs_and_titles_every_section(
    therapist: Desk, visit_id: UUID
) -> None:
    page = text(therapist.get(f"/visits/{visit_id}/assess"))

    assert 'name="measures" value="nprs" data-measure-box checked' in page
    assert 'name="measures" value="ndi" data-measure-box>' in page
    assert "hidden" not in fieldset(page, "nprs")
    assert "hidden" in fieldset(page, "ndi") and "hidden" in fieldset(page, "odi")
    for title in ("5. Headaches", "4. Reading", "10. Recreation"):
        assert f"{title}</label>" in page
    for title in ("4. Walking", "8. Sex life", "10. Travelling"):
        assert f"{title}</label>" in page
    assert '<option value="skip">skipped</option>' in page
    assert 'value="update_measures"' in page


def test_changing_the_focus_areas_ticks_what_they_suggest_on_update(
    therapist: Desk, visit_id: UUID
) -> None:
    response = therapist.post(
        f"/visits/{visit_id}/assess",
        filled(action="update_measures", focus_areas=["neck"], measures=["nprs"], measures_for=""),
    )
    page = text(response)

    assert response.status_code == 200
    assert 'value="ndi" data-measure-box checked' in page
    assert 'value="odi" data-measure-box>' in page
    assert "hidden" not in fieldset(page, "ndi")
    assert 'name="measures_for" value="neck"' in page
    assert "Suggested for these focus areas: NPRS, NDI." in page
    # the pain level fills the empty NPRS, and the form says so
    assert 'name="nprs" type="number" min="0" max="10" inputmode="numeric" value="6"' in page
    assert "Filled in from the pain level above" in page

    unticked = therapist.post(
        f"/visits/{visit_id}/assess",
        filled(
            action="update_measures", focus_areas=["neck"], measures=["nprs"], measures_for="neck"
        ),
    )
    assert 'value="ndi" data-measure-box>' in text(unticked)  # the areas did not change


def test_the_ndi_baseline_and_the_chosen_instruments_are_stored_in_the_plan(
    therapist: Desk, regimen: Regimen, visit_id: UUID
) -> None:
    response = therapist.post(
        f"/visits/{visit_id}/assess",
        filled(focus_areas=["neck"], measures=["nprs", "ndi"], measures_for="neck", **ndi(NDI_24)),
    )

    assert response.status_code == 302, text(response)
    plan_id = regimen.visit(visit_id).plan_id
    assert plan_id is not None
    plan = regimen.load(TreatmentPlan, plan_id)
    assert list(plan.measures) == [Instrument.NPRS, Instrument.NDI]
    assert plan.assessment.measures == (
        MeasureAnswers(Instrument.NPRS, (6,)),  # from the pain level, the NPRS left empty
        MeasureAnswers(Instrument.NDI, (3, 3, 3, 3, 2, 2, 2, 2, 2, 2)),
    )


def test_a_skipped_section_is_stored_as_skipped(
    therapist: Desk, regimen: Regimen, visit_id: UUID
) -> None:
    answers = ndi(["3", "skip", *NDI_24[2:]])
    response = therapist.post(
        f"/visits/{visit_id}/assess",
        filled(focus_areas=["neck"], measures=["ndi"], measures_for="neck", **answers),
    )

    assert response.status_code == 302, text(response)
    plan_id = regimen.visit(visit_id).plan_id
    assert plan_id is not None
    baseline = regimen.load(TreatmentPlan, plan_id).assessment.measures
    assert baseline == (MeasureAnswers(Instrument.NDI, (3, None, 3, 3, 2, 2, 2, 2, 2, 2)),)


def test_a_bad_odi_answer_shows_the_form_again_with_the_message_beside_the_odi(
    therapist: Desk, regimen: Regimen, visit_id: UUID
) -> None:
    odi = {f"odi_{i}": "2" for i in range(10)} | {"odi_3": "7"}
    response = therapist.post(
        f"/visits/{visit_id}/assess",
        filled(
            measures=["nprs", "ndi", "odi"],
            focus_areas=["lower back", "neck"],
            measures_for="lower back|neck",
            **ndi(NDI_24),
            **odi,
        ),
    )
    page = text(response)

    assert response.status_code == 422
    odi_part = page[page.index('id="a-measure_odi"') :]
    assert odi_part.index(
        "&#39;7&#39; is not an answer to ODI section 4 (Walking): choose 0 to 5, or skipped."
    ) < odi_part.index("1. Pain intensity")
    assert 'href="#a-measure_odi"' in page  # the summary links to it
    # what could be scored is scored as the answers stand
    assert "<strong>NDI 24 of 50 (48%)</strong>" in page
    assert "<strong>NPRS 6 of 10</strong>" in page
    assert regimen.visit(visit_id).plan_id is None


def test_an_unanswered_section_is_named_and_the_odi_band_shown_once_answered(
    therapist: Desk, visit_id: UUID
) -> None:
    odi = {f"odi_{i}": "2" for i in range(10)} | {"odi_7": ""}
    page = text(
        therapist.post(
            f"/visits/{visit_id}/assess",
            filled(measures=["odi"], measures_for="lower back|right hip", **odi),
        )
    )
    assert "Answer ODI section 8 (Sex life): choose 0 to 5, or skipped." in page

    odi["odi_7"] = "skip"
    page = text(
        therapist.post(
            f"/visits/{visit_id}/assess",
            filled(measures=["odi"], sessions="", measures_for="lower back|right hip", **odi),
        )
    )
    assert "<strong>ODI 40% moderate disability</strong>" in page


def test_a_plan_tracks_at_least_one_measure(therapist: Desk, visit_id: UUID) -> None:
    response = therapist.post(f"/visits/{visit_id}/assess", filled(measures=[]))
    assert response.status_code == 422
    assert "Choose at least one outcome measure the plan tracks." in text(response)


def test_the_psfs_needs_three_named_activities(therapist: Desk, visit_id: UUID) -> None:
    psfs = {
        "psfs_activity_0": "turning my head to reverse",
        "psfs_rating_0": "3",
        "psfs_activity_1": "reading",
        "psfs_rating_1": "5",
    }
    response = therapist.post(f"/visits/{visit_id}/assess", filled(measures=["psfs"], **psfs))
    assert response.status_code == 422
    assert "The PSFS rates 3 to 5 activities the client names, each 0-10; 2 given." in text(
        response
    )
    assert 'value="turning my head to reverse"' in text(response)


NDI_BASELINE = MeasureAnswers(Instrument.NDI, (3, 3, 3, 3, 2, 2, 2, 2, 2, 2))  # 24 of 50
PSFS_BASELINE = MeasureAnswers(
    Instrument.PSFS, (3, 4, 2), ("reversing the car", "reading in bed", "lifting a child")
)


@pytest.fixture
def tracked_plan(regimen: Regimen, clinic: Clinic, clock: FixedClock) -> UUID:
    """Cora's weekly neck plan tracking the NDI (24 of 50 at the baseline) and the PSFS,
    booked Tuesdays from 3 March at 10:00; the clock at noon on 3 March."""
    plan_id = agreed_plan(
        regimen,
        clinic,
        assessment=assessment(measures=(NDI_BASELINE, PSFS_BASELINE)),
        measures=(Instrument.NDI, Instrument.PSFS),
    )
    book_tuesdays(regimen, plan_id, clock)
    clock.now = datetime(2026, 3, 3, 12, tzinfo=clock.now.tzinfo)
    return plan_id


@pytest.fixture
def plan_therapist(client: FlaskClient, tokens: dict[str, str], tracked_plan: UUID) -> Desk:
    return signed_in(client, tokens["therapist"])


def soap_with(ndi_items: list[str], **changes: str | list[str]) -> dict[str, str | list[str]]:
    return soap(**{f"ndi_{i}": item for i, item in enumerate(ndi_items)}, **changes)


def note_of(page: str) -> str:
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
    first = post(plan_therapist, f"/sessions/{tracked_plan}/1/record", soap_with(to_20))
    assert first.status_code == 302, text(first)
    page = text(plan_therapist.get(f"/sessions/{tracked_plan}/1/record"))
    assert "NDI 20 of 50 (40%); −4.0 points, not yet meaningful since the baseline" in note_of(page)

    clock.now = datetime(2026, 3, 10, 12, tzinfo=clock.now.tzinfo)
    assert plan_therapist.sign_in_again().status_code == 302  # a week later
    second = post(plan_therapist, f"/sessions/{tracked_plan}/2/record", soap_with(to_16))
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
    response = post(
        plan_therapist,
        f"/sessions/{tracked_plan}/1/record",
        soap_with(
            answers,
            psfs_activity_0="reversing the car",
            psfs_rating_0="5",
            psfs_activity_1="reading in bed",
            psfs_rating_1="6",
            psfs_activity_2="lifting a child",
            psfs_rating_2="4",
        ),
    )
    page = text(response)

    assert response.status_code == 422
    assert "Answer NDI section 5 (Headaches): choose 0 to 5, or skipped." in page
    assert "<strong>PSFS mean 5 of 10</strong>" in page
    assert regimen.plan(tracked_plan).session(1).performance is None


def test_amending_an_evaluation_keeps_and_edits_its_measures(
    plan_therapist: Desk, regimen: Regimen, tracked_plan: UUID
) -> None:
    to_20 = ["2"] * 10
    assert (
        post(plan_therapist, f"/sessions/{tracked_plan}/1/record", soap_with(to_20)).status_code
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
    response = post(plan_therapist, f"/sessions/{tracked_plan}/1/record/amend-evaluation", amended)
    assert response.status_code == 302, text(response)
    evaluation = regimen.plan(tracked_plan).session(1).evaluation
    assert evaluation is not None
    assert evaluation.measures == (MeasureAnswers(Instrument.NDI, (1,) * 10),)
    page = text(plan_therapist.get(f"/sessions/{tracked_plan}/1/record"))
    assert "NDI 10 of 50 (20%); −14.0 points, meaningful since the baseline" in note_of(page)
    # the original, with its own score, stays in the history
    assert "NDI 20 of 50 (40%); −4.0 points, not yet meaningful" in note_of(page)


def ndi_plan(regimen: Regimen, clinic: Clinic, clock: FixedClock, days: list[str]) -> UUID:
    """A weekly neck plan tracking the NDI from 24 of 50, with sessions on these March days
    performed and evaluated at 20 and then 16 (and 16 again after that)."""
    plan_id = agreed_plan(
        regimen,
        clinic,
        assessment=assessment(measures=(NDI_BASELINE,)),
        measures=(Instrument.NDI,),
    )
    totals = [(2,) * 10, (2,) * 6 + (1,) * 4, (2,) * 6 + (1,) * 4]
    for number, (day, items) in enumerate(zip(days, totals, strict=False), start=1):
        book(regimen, plan_id, f"2026-03-{day}T10:00", clock.now)
        perform(regimen, plan_id, number)
        regimen.evaluate_session(
            plan_id,
            number,
            evaluation=Evaluation(
                pain_after=3,
                mobility=Mobility.BETTER,
                recommendation=Recommendation.CONTINUE,
                measures=(MeasureAnswers(Instrument.NDI, items),),
            ),
            actor=THERAPIST,
        )
    return plan_id


def test_the_progress_page_charts_the_ndi_from_its_baseline_with_adherence(
    plan_therapist: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    plan_id = ndi_plan(regimen, clinic, clock, ["09", "16"])
    page = text(plan_therapist.get(f"/plans/{plan_id}/progress"))

    part = page.split('id="measures-h"', 1)[1]
    assert "Neck Disability Index (NDI)</h3>" in part
    chart = part.split("<svg", 1)[1].split("</svg>", 1)[0]
    points = re.findall(r"<title>Neck Disability Index, ([^,]+), [^:]+: ([\d.]+)</title>", chart)
    assert points == [("the baseline", "24"), ("session 1", "20"), ("session 2", "16")]
    assert ">Baseline</text>" in chart and ">S2</text>" in chart
    assert "−8 points from the baseline, better: clinically meaningful" in part
    assert "(the threshold is 7.5 points)" in part
    rows = re.findall(
        r"<tr><th scope=\"row\">([^<]+)</th><td[^>]*>[^<]+</td><td>([^<]+)</td>"
        r"<td>([^<]+)</td></tr>",
        part,
    )
    assert rows == [("Baseline", "24", "—"), ("S1", "20", "−4"), ("S2", "16", "−8")]
    adherence = page.split('id="adherence-h"', 1)[1]
    assert "every 7 days" in adherence and "7 days (mean 7)" in adherence
    assert "2 kept, 0 missed, 0 cancelled late, 0 rescheduled" in adherence
    assert "120 of " in adherence and "Drifting" not in adherence


def test_a_change_short_of_the_threshold_is_not_yet_meaningful_and_a_drift_is_flagged(
    plan_therapist: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    plan_id = ndi_plan(regimen, clinic, clock, ["09"])  # 24 -> 20, then a fortnight's gap
    book(regimen, plan_id, "2026-03-23T10:00", clock.now)
    perform(regimen, plan_id, 2)
    page = text(plan_therapist.get(f"/plans/{plan_id}/progress"))

    assert "−4 points from the baseline: not yet clinically meaningful" in page
    drift = page.split('class="drifting"', 1)[1].split("</p>", 1)[0]
    assert "a gap of 14 days between sessions" in drift and "planned 7 days" in drift


def test_range_of_motion_is_charted_in_degrees_against_the_assessment(
    plan_therapist: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    hip = RangeOfMotion("hip", "flexion", 95, "right")
    plan_id = agreed_plan(regimen, clinic, assessment=assessment(range_of_motion=(hip,)))
    book(regimen, plan_id, "2026-03-09T10:00", clock.now)
    perform(regimen, plan_id, 1)
    regimen.evaluate_session(
        plan_id,
        1,
        evaluation=Evaluation(
            pain_after=3,
            mobility=Mobility.BETTER,
            recommendation=Recommendation.CONTINUE,
            range_of_motion=(RangeOfMotion("hip", "flexion", 110, "right"),),
        ),
        actor=THERAPIST,
    )
    page = text(plan_therapist.get(f"/plans/{plan_id}/progress"))

    assert "Range of motion, hip flexion (right)</h3>" in page
    assert "+15 degrees from the baseline (no published threshold" in page
    chart = page.split('id="measures-h"', 1)[1].split("</svg>", 1)[0]
    assert ">200</text>" in chart and ">360</text>" not in chart  # a scale that shows 15°


def test_the_front_desk_gets_403_on_every_page_with_the_measures(
    tracked_plan: UUID, desk: Desk, regimen: Regimen, clinic: Clinic, clock: FixedClock
) -> None:
    """(The plan is booked first: the desk signs in on the day it is looking.)"""
    plan_id = ndi_plan(regimen, clinic, clock, ["09", "16"])
    for url in (
        f"/plans/{plan_id}/progress",
        f"/sessions/{plan_id}/1/record",
        f"/sessions/{tracked_plan}/1/record",
    ):
        response = desk.get(url)
        assert response.status_code == 403, url
        page = text(response)
        assert "Neck Disability Index" not in page and "NDI" not in page, url
