"""A therapist assesses a client in a real browser and proposes a plan, marking the focus
areas on the body chart by mouse and by keyboard. axe checks the form (and the form shown
again with problems) at desktop, tablet and phone size; screenshots are saved under
test-artifacts/browser/therapist/ for people to look at."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from service.application.calendar_work import CalendarWork
from service.application.commands import ClientDetails, TherapistDetails
from service.bootstrap import build_regimen
from service.cli.demo import ZONE
from service.config import Settings
from service.domain.measures import Instrument, MeasureAnswers
from service.domain.plan import TreatmentPlan
from service.domain.values import Role
from service.domain.visit import Visit, VisitBooking, VisitKind
from service.scheduler.recurrence import session_time
from tests.builders import CLI, DESK
from tests.system import browsing
from tests.system.browsing import ARTIFACTS
from tests.system.conftest import DemoWindows

pytestmark = pytest.mark.system

FOLDER = ARTIFACTS / "therapist"


def under_way_visit(database_url: str) -> tuple[str, UUID]:
    """A new therapist's token and their assessment visit with a new client, started ten
    minutes ago. Booking refuses a start in the past, so the visit is stored below that
    guard (its calendar still held): the test needs a visit under way at the real time."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        therapist_id = regimen.register_therapist(
            TherapistDetails(
                name="Tess Keyboard", email="tess@example.com", modalities=("deep tissue",)
            ),
            actor=CLI,
        )
        _, token = regimen.add_user("browser-therapist", Role.THERAPIST, CLI, therapist_id)
        client_id = regimen.register_client(ClientDetails(name="Bea Browser", zone=ZONE), actor=CLI)
        local_now = datetime.now(ZoneInfo(ZONE)).replace(tzinfo=None, second=0, microsecond=0)
        booking = VisitBooking(
            client_id=client_id,
            therapist_id=therapist_id,
            room_id=None,
            kind=VisitKind.ASSESSMENT,
            time=session_time(local_now - timedelta(minutes=10), ZONE, 60),
            complaint="Low back pain after moving house",
        )
        visit = Visit.book(booking, DESK)
        work = CalendarWork(regimen, DESK)
        work.reserve(visit.id, visit.session)
        regimen.save(visit, *work.changed())
    finally:
        regimen.close()
    return token, visit.id


def check_every_size(page: Any, name: str) -> dict[str, list[str]]:
    """Screenshots of the page and its body chart at each size; axe's findings and any
    sideways scrolling, by size."""
    found: dict[str, list[str]] = {}
    for size, viewport in browsing.VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(FOLDER / f"{name}-{size}.png"), full_page=True)
        page.locator("fieldset.body-chart").screenshot(
            path=str(FOLDER / f"{name}-chart-{size}.png")
        )
        found[size] = browsing.axe_problems(page) + (
            ["scrolls sideways"] if browsing.scrolls_sideways(page) else []
        )
    page.set_viewport_size(browsing.DESKTOP)
    return {size: problems for size, problems in found.items() if problems}


def area(page: Any, label: str) -> Any:
    """The drawn shape of an area on the body chart."""
    return page.locator(f'fieldset.body-chart path[data-area="{label}"]')


def test_a_therapist_assesses_and_proposes_a_plan_marking_areas_on_the_body_chart(
    demo_windows: DemoWindows,
) -> None:
    base_url = demo_windows.base_url
    token, visit_id = under_way_visit(demo_windows.database_url)
    FOLDER.mkdir(parents=True, exist_ok=True)
    page = demo_windows.window()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    browsing.keyboard_sign_in(page, token)
    page.wait_for_url(lambda url: "/sign-in" not in url and url.rstrip("/") != base_url)

    page.goto(f"/visits/{visit_id}")
    page.get_by_role("link", name="Assess and propose a plan").click()
    page.wait_for_url(f"**/visits/{visit_id}/assess")
    assert page.locator("#a-complaint").input_value() == "Low back pain after moving house"

    # The assessment, with the keyboard: Tab from field to field.
    page.locator("#a-complaint").focus()
    page.keyboard.press("Tab")
    page.keyboard.type("4 months")
    page.keyboard.press("Tab")
    page.keyboard.type("6")
    page.keyboard.press("Tab")  # onto the onset radios: Sudden, Gradual
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("dull ache, sharp when bending")
    page.keyboard.press("Tab")
    page.keyboard.type("hip")
    page.keyboard.press("Tab")
    page.keyboard.type("flexion")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # side: right
    page.keyboard.press("Tab")
    page.keyboard.type("95")
    page.get_by_label("Posture").focus()
    page.keyboard.type("anterior pelvic tilt")
    page.keyboard.press("Tab")
    page.keyboard.type("hypertonic lumbar erectors")
    assert page.locator('input[name="onset"][value="gradual"]').is_checked()
    assert page.locator("#a-rom_side_0").input_value() == "right"

    # Sent without focus areas or sessions: shown again, answers kept, problems named.
    page.get_by_role("button", name="Save the assessment and propose the plan").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector('[role="alert"]')
    assert "Mark at least one area on the body chart." in page.inner_text("main")
    assert page.locator("#a-duration").input_value() == "4 months"
    assert page.locator("#a-rom_joint_0").input_value() == "hip"
    assert check_every_size(page, "assess-problems") == {}

    # Focus areas: lower back by clicking the drawing, right hip on the list by keyboard.
    area(page, "lower back").click()
    assert page.get_by_label("lower back", exact=True).is_checked()
    assert "is-on" in (area(page, "lower back").get_attribute("class") or "")
    page.get_by_label("right hip", exact=True).focus()
    page.keyboard.press("Space")
    assert "is-on" in (area(page, "right hip").get_attribute("class") or "")
    area(page, "left knee").click()  # a slip, clicked again to take it back
    assert page.get_by_label("left knee", exact=True).is_checked()
    area(page, "left knee").click()
    assert not page.get_by_label("left knee", exact=True).is_checked()
    assert "is-on" not in (area(page, "left knee").get_attribute("class") or "")

    # The plan: a modality, 6 sessions a week apart (7 days and 60 minutes are offered).
    page.get_by_label("deep tissue", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_label("Sessions", exact=True).focus()
    page.keyboard.type("6")
    page.get_by_label("heat", exact=True).focus()
    page.keyboard.press("Space")
    assert check_every_size(page, "assess-filled") == {}

    # The outcome measures: the NPRS is tracked and filled in from the pain level (the
    # form was shown again); ticking the ODI shows its ten sections at once.
    assert page.get_by_label("Numeric Pain Rating Scale (NPRS)").is_checked()
    assert page.locator("#a-nprs").input_value() == "6"
    odi = page.locator("#a-measure_odi")
    assert odi.is_hidden()
    page.get_by_label("Oswestry Disability Index (ODI)").focus()
    page.keyboard.press("Space")
    assert odi.is_visible()
    assert page.get_by_label("8. Sex life").is_visible()
    measures = page.locator("fieldset.measures")
    for size, viewport in browsing.VIEWPORTS.items():
        page.set_viewport_size(viewport)
        measures.screenshot(path=str(FOLDER / f"assess-measures-{size}.png"))
        wide = browsing.scrolls_sideways(page)
        assert (size, browsing.axe_problems(page), wide) == (size, [], False)
    page.set_viewport_size(browsing.DESKTOP)
    page.keyboard.press("Space")  # untick the ODI again: only the NPRS is tracked
    assert odi.is_hidden()

    page.get_by_role("button", name="Save the assessment and propose the plan").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/charts/**")
    assert errors == []

    regimen = build_regimen(Settings(database_url=demo_windows.database_url))
    try:
        visit = regimen.visit(visit_id)
        assert visit.plan_id is not None
        plan = regimen.load(TreatmentPlan, visit.plan_id)
        assert page.url.endswith(f"/charts/{visit.client_id}")
        assert plan.from_visit_id == visit_id
        assert list(plan.focus_areas) == ["lower back", "right hip"]
        assert list(plan.modalities) == ["deep tissue"] and list(plan.adjuncts) == ["heat"]
        assert (plan.series.sessions, plan.series.interval_days) == (6, 7)
        assert visit.assessment is not None
        assert (visit.assessment.onset, visit.assessment.pain_level) == ("gradual", 6)
        assert visit.assessment.range_of_motion[0].side == "right"
        assert list(plan.measures) == [Instrument.NPRS]
        assert visit.assessment.measures == (MeasureAnswers(Instrument.NPRS, (6,)),)
    finally:
        regimen.close()
