"""Outcome measures on the progress page: each measure charted from its baseline, whether
the change is meaningful, adherence, and range of motion; none of it for the front desk."""

from __future__ import annotations

import re
from uuid import UUID

from service.application import Regimen
from service.domain.measures import Instrument, MeasureAnswers
from service.domain.values import Evaluation, Mobility, RangeOfMotion, Recommendation
from tests.api.helpers import book, perform
from tests.builders import THERAPIST, Clinic, agreed_plan
from tests.fakes import FixedClock
from tests.plans import assessment
from tests.web.conftest import NDI_BASELINE, Desk, text


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
