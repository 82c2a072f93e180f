"""The front desk never receives what a therapist wrote: a crawl of every page and fragment a
desk browser can reach finds none of a therapist's unique phrases, while a therapist's
crawl of the same clinic does find them (so the phrases are really on the pages)."""

from __future__ import annotations

import html
import re
from collections import deque
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.values import Assessment, Evaluation, Mobility, Performance, Recommendation
from service.reminders.client_links import make_link_token
from tests.builders import THERAPIST, Clinic, visit_booking
from tests.fakes import FixedClock
from tests.web.conftest import Desk, text
from tests.web.visits import book_tuesdays, book_visit

PHRASE = "quokka"  # written only by the therapist, in every clinical field below
LINK = re.compile(r'(href|hx-get)="(/[^"]*)"')
DATE = re.compile(r"date=(\d{4}-\d{2}-\d{2})")
WEEK = ("2026-03-02", "2026-03-08")  # the calendar pages crawled: the week of the records
SKIPPED = ("/assets/", "/api/", "/sign-out")
MAX_PAGES = 400


@pytest.fixture
def charted(regimen: Regimen, clinic: Clinic, plan_id: UUID, clock: FixedClock) -> UUID:
    """Cora's visit assessed and her plan's first session recorded and evaluated, every
    clinical text carrying the phrase."""
    visit_id = book_visit(regimen, clock, visit_booking(clinic, "2026-03-02T09:00"))
    book_tuesdays(regimen, plan_id, clock)
    clock.advance(hours=28)  # Tuesday 3 March, 12:00: both have ended
    assessment = Assessment("neck", "3 weeks", "gradual", f"a {PHRASE} ache", pain_level=6)
    regimen.record_assessment(visit_id, assessment, actor=THERAPIST, now=clock())
    performance = Performance(
        ("swedish",),
        ("neck",),
        60,
        pain_before=6,
        notes=f"{PHRASE} knots",
        client_report=f"{PHRASE} at night",
    )
    regimen.perform_session(plan_id, 1, performance=performance, actor=THERAPIST, now=clock())
    evaluation = Evaluation(
        pain_after=3,
        mobility=Mobility.BETTER,
        recommendation=Recommendation.CONTINUE,
        notes=f"{PHRASE} eased",
    )
    regimen.evaluate_session(plan_id, 1, evaluation=evaluation, actor=THERAPIST)
    return plan_id


def crawl(browser: Desk, starts: list[str]) -> dict[tuple[str, str], str]:
    """Every page and fragment reachable by GET from the starts (fragments asked for the
    way htmx asks): (how, path) -> body."""
    seen: dict[tuple[str, str], str] = {}
    queue = deque(("href", path) for path in starts)
    while queue and len(seen) < MAX_PAGES:
        how, path = queue.popleft()
        if (how, path) in seen or path.startswith(SKIPPED) or not in_week(path):
            continue
        response = browser.htmx(path) if how == "hx-get" else browser.get(path)
        seen[how, path] = text(response)
        for found_how, found in LINK.findall(seen[how, path]):
            queue.append((found_how, html.unescape(found).split("#")[0]))
    return seen


def in_week(path: str) -> bool:
    """Whether a path is no calendar page, or one of the week crawled (the calendar's
    links go on for ever)."""
    found = DATE.search(path)
    return found is None or WEEK[0] <= found.group(1) <= WEEK[1]


def starts(clinic: Clinic, plan_id: UUID) -> list[str]:
    return [
        "/",
        "/calendar?date=2026-03-02",
        "/calendar?date=2026-03-02&view=week",
        "/clients?q=Cora",
        f"/clients/{clinic.client_id}",
        f"/sessions/{plan_id}/1",
        "/today?date=2026-03-03",  # the therapist's pages, should a desk browser try them
        f"/charts/{clinic.client_id}",
        f"/sessions/{plan_id}/1/record",
    ]


def test_no_page_the_desk_reaches_shows_what_the_therapist_wrote(
    desk: Desk, clinic: Clinic, charted: UUID
) -> None:
    desk.sign_in_again()
    pages = crawl(desk, starts(clinic, charted))
    paths = {path for _, path in pages}
    assert f"/sessions/{charted}/1" in paths and f"/clients/{clinic.client_id}" in paths
    assert any(path.startswith("/visits/") for path in paths)
    assert any(how == "hx-get" for how, _ in pages)
    leaking = sorted(path for (_, path), body in pages.items() if PHRASE in body.lower())
    assert leaking == []


def test_the_same_crawl_as_the_therapist_finds_the_phrase(
    therapist: Desk, clinic: Clinic, charted: UUID
) -> None:
    """The phrase is on the therapist's pages the crawl reaches: a crawl that finds it
    nowhere for the desk is not blind to it."""
    therapist.sign_in_again()
    pages = crawl(therapist, starts(clinic, charted))
    showing = {path for (_, path), body in pages.items() if PHRASE in body.lower()}
    assert f"/charts/{clinic.client_id}" in showing
    assert f"/sessions/{charted}/1/record" in showing


def test_no_page_a_clients_link_reaches_shows_what_the_therapist_wrote(
    client: FlaskClient, clinic: Clinic, charted: UUID, clock: FixedClock
) -> None:
    """The client's own page (by signed link, no sign-in) lists their sessions and visits,
    never a word of their chart."""
    token = make_link_token(str(client.application.secret_key), clinic.client_id, 0, clock())
    pages = crawl(Desk(client), [f"/c/{token}"])
    assert len(pages) > 5  # the page, and each later session's confirm, cancel and move
    assert all(path.startswith("/c/") for _, path in pages)
    leaking = sorted(path for (_, path), body in pages.items() if PHRASE in body.lower())
    assert leaking == []
