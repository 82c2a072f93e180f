"""Outcome measures on the assess form: the instruments chosen and their baseline answers."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.measures import Instrument, MeasureAnswers
from service.domain.plan import TreatmentPlan
from tests.web.conftest import Desk, signed_in, text
from tests.web.forms import filled, ndi, psfs

NDI_24 = ["3", "3", "3", "3", "2", "2", "2", "2", "2", "2"]  # 24 of 50


@pytest.fixture
def therapist(client: FlaskClient, tokens: dict[str, str], visit_id: UUID) -> Desk:
    return signed_in(client, tokens["therapist"])


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
    rated = psfs(("turning my head to reverse", "3"), ("reading", "5"))
    response = therapist.post(f"/visits/{visit_id}/assess", filled(measures=["psfs"], **rated))
    assert response.status_code == 422
    assert "The PSFS rates 3 to 5 activities the client names, each 0-10; 2 given." in text(
        response
    )
    assert 'value="turning my head to reverse"' in text(response)
