"""A therapist opens a plan's progress graph in a real browser over a real server: three
sessions performed and evaluated through the application draw three points per line, the
table beside the graph has the same numbers, axe finds nothing serious, and nothing scrolls
sideways. Screenshots go to test-artifacts/browser/therapist/ for people to look at."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from service.application.commands import Slot
from service.bootstrap import build_regimen
from service.cli.demo import seed_demo
from service.config import Settings
from service.domain.measures import Instrument, MeasureAnswers
from service.domain.proposal import PlanProposal
from service.domain.values import Evaluation, Mobility, Performance, Recommendation, Role
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import CLI, DESK
from tests.system import browsing
from tests.system.browsing import ARTIFACTS

pytestmark = pytest.mark.system

PAIN = [(7, 5), (6, 4), (5, 2)]  # before and after, sessions 1 to 3
NDI = [  # the baseline (24 of 50), then sessions 1 to 3: 20, 17.8 (a section skipped), 16
    MeasureAnswers(Instrument.NDI, (3, 3, 3, 3, 2, 2, 2, 2, 2, 2)),
    MeasureAnswers(Instrument.NDI, (2,) * 10),
    MeasureAnswers(Instrument.NDI, (2, 2, 2, 2, 2, 2, 2, 1, 1, None)),
    MeasureAnswers(Instrument.NDI, (2, 2, 2, 2, 2, 2, 1, 1, 1, 1)),
]


def treat_three_sessions(database_url: str, *, ndi: bool = False) -> tuple[UUID, UUID, str]:
    """In the demo clinic, Hannah Fischer's agreed plan (nothing booked) gets three weekly
    sessions a month ago, each performed and evaluated by her therapist after it began.
    With `ndi`, a plan like it tracking the NDI from a baseline of 24 of 50 is proposed
    and agreed for her first, and its evaluations answer the NDI at 20, 17.8 and 16.
    Returns the plan, the client and the therapist's sign-in token."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        seed_demo(regimen, CLI)
        reads = ReadModel(Projector(regimen)).fresh()
        row = next(
            p
            for p in reads.plans(status="agreed").items
            if p["sessions_booked"] == 0 and p["sessions_planned"] == 6
        )
        plan = regimen.plan(UUID(row["plan_id"]))
        if ndi:
            plan = regimen.plan(
                regimen.propose_plan(
                    PlanProposal(
                        client_id=plan.client_id,
                        therapist_id=plan.therapist_id,
                        assessment=replace(plan.assessment, measures=(NDI[0],)),
                        intention=plan.intention,
                        focus_areas=tuple(plan.focus_areas),
                        modalities=tuple(plan.modalities),
                        series=plan.series,
                        room_id=plan.room_id,
                        measures=(Instrument.NDI,),
                    ),
                    actor=CLI,
                )
            )
            regimen.agree_plan(plan.id, actor=DESK)
        account, token = regimen.add_user(
            "browser-therapist", Role.THERAPIST, CLI, therapist_id=plan.therapist_id
        )
        booked_at = datetime.now(UTC) - timedelta(days=40)
        for number, (before, after) in enumerate(PAIN, start=1):
            week = booked_at.date() + timedelta(days=1 + 7 * (number - 1))
            free = regimen.free_time(
                plan.therapist_id,
                first_day=week,
                last_day=week + timedelta(days=4),
                minutes=plan.series.session_minutes,
                now=booked_at,
                room_id=plan.room_id,
            )[0]
            regimen.book_session(
                plan.id, Slot(free.local_start, free.zone), actor=DESK, now=booked_at
            )
            regimen.perform_session(
                plan.id,
                number,
                performance=Performance(
                    techniques=("swedish",),
                    areas=("upper back",),
                    duration_minutes=60,
                    pain_before=before,
                ),
                actor=account.actor,
                now=free.start + timedelta(minutes=50),
            )
            regimen.evaluate_session(
                plan.id,
                number,
                evaluation=Evaluation(
                    pain_after=after,
                    mobility=Mobility.BETTER,
                    recommendation=Recommendation.CONTINUE,
                    measures=(NDI[number],) if ndi else (),
                ),
                actor=account.actor,
            )
    finally:
        regimen.close()
    return plan.id, plan.client_id, token


def sign_in(chromium: Any, base_url: str, token: str, **context: Any) -> Any:
    """A new window signed in as the therapist with the keyboard only."""
    page = browsing.watched(
        chromium.new_context(viewport=browsing.DESKTOP, base_url=base_url, **context).new_page()
    )
    browsing.keyboard_sign_in(page, token)
    page.wait_for_url(re.compile(r"/(calendar|today)"))
    return page


def progress_at_every_size(page: Any, plan_id: UUID) -> Iterator[str]:
    """The plan's progress page opened afresh at each size; yields the size's name."""
    for size, viewport in browsing.VIEWPORTS.items():
        page.set_viewport_size(viewport)
        response = page.goto(f"/plans/{plan_id}/progress")
        assert response is not None and response.status == 200
        yield size


def test_the_therapist_sees_three_points_and_the_same_numbers_in_the_table(
    browser: Any,
    sqlite_url: str,
    serve: Callable[..., Any],
) -> None:
    plan_id, client_id, token = treat_three_sessions(sqlite_url)
    base_url = serve(sqlite_url).base_url
    folder = ARTIFACTS / "therapist"
    folder.mkdir(parents=True, exist_ok=True)

    # From the client's page, under the page's own CSP (nothing inline refused).
    page = sign_in(browser, base_url, token)
    page.goto(f"/clients/{client_id}")
    page.get_by_role("link", name="Progress graph").click()
    page.wait_for_url(f"**/plans/{plan_id}/progress")
    pain = page.get_by_role("img", name="Pain", exact=True)
    points = pain.locator("g.series title").all_text_contents()
    for name, values in (
        ("Pain before", [b for b, _ in PAIN]),
        ("Pain after", [a for _, a in PAIN]),
    ):
        drawn = [p for p in points if p.startswith(f"{name},")]
        assert [int(p.rsplit(": ", 1)[1]) for p in drawn] == values
    rows = page.locator("table.progress-table tbody tr")
    assert rows.count() == 3
    for row, (number, (before, after)) in zip(rows.all(), enumerate(PAIN, start=1), strict=True):
        cells = row.locator("th, td").all_inner_texts()
        assert cells[0] == str(number)
        assert cells[2:5] == [str(before), str(after), f"−{before - after}"]
    assert page.problems == []

    # In print, the graph and the table are black on white.
    page.emulate_media(media="print")
    page.screenshot(path=str(folder / "progress-print.png"), full_page=True)
    ink = page.evaluate(
        """() => [document.querySelector('.chart-svg .stroke.series-1'),
                  document.querySelector('.chart-svg .mark.series-0'),
                  document.querySelector('table.progress-table thead th'), document.body]
            .map(e => [getComputedStyle(e).stroke, getComputedStyle(e).fill,
                       getComputedStyle(e).color, getComputedStyle(e).backgroundColor])"""
    )
    black, white = "rgb(0, 0, 0)", "rgb(255, 255, 255)"
    assert ink[0][0] == black and ink[1][1] == black
    assert ink[2][2] == black and ink[2][3] == white and ink[3][3] == white
    page.context.close()

    # axe is injected as a script, which the pages' own CSP would (rightly) refuse.
    page = sign_in(browser, base_url, token, bypass_csp=True)
    found: dict[str, list[str]] = {}
    for size in progress_at_every_size(page, plan_id):
        page.screenshot(path=str(folder / f"progress-{size}.png"), full_page=True)
        found[size] = browsing.axe_problems(page, browsing.SERIOUS)
        assert not browsing.scrolls_sideways(page), f"the page scrolls sideways at {size}"
    page.context.close()
    assert found == {"desktop": [], "tablet": [], "phone": []}


def test_each_outcome_measure_is_charted_from_its_baseline_beside_adherence(
    browser: Any,
    sqlite_url: str,
    serve: Callable[..., Any],
) -> None:
    plan_id, _, token = treat_three_sessions(sqlite_url, ndi=True)
    base_url = serve(sqlite_url).base_url
    folder = ARTIFACTS / "therapist"
    folder.mkdir(parents=True, exist_ok=True)

    # axe is injected as a script, which the pages' own CSP would (rightly) refuse.
    page = sign_in(browser, base_url, token, bypass_csp=True)
    found: dict[str, list[str]] = {}
    for size in progress_at_every_size(page, plan_id):
        measure = page.locator("section.measure-progress")
        measure.screenshot(path=str(folder / f"progress-ndi-{size}.png"))
        page.locator("section.adherence").screenshot(
            path=str(folder / f"progress-adherence-{size}.png")
        )
        found[size] = browsing.axe_problems(page, browsing.SERIOUS)
        assert not browsing.scrolls_sideways(page), f"the page scrolls sideways at {size}"
    chart = page.get_by_role("img", name="Neck Disability Index", exact=True)
    points = chart.locator("g.series title").all_text_contents()
    assert [p.rsplit(": ", 1)[1] for p in points] == ["24", "20", "17.8", "16"]
    assert points[0].startswith("Neck Disability Index, the baseline,")
    assert "−8 points from the baseline, better: clinically meaningful" in measure.inner_text()
    assert "3 kept" in page.locator("section.adherence").inner_text()
    assert page.problems == []
    page.context.close()
    assert found == {"desktop": [], "tablet": [], "phone": []}
