"""Every desk page, at desktop, tablet and phone size: axe finds nothing, the page does not
scroll sideways (a wide table scrolls in its own region), no word of a table header or a
button is split across lines, and a screenshot of each is saved under
test-artifacts/browser/pages/ for people to look at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.visit import VisitBooking, VisitKind
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.builders import DESK
from tests.system import browsing
from tests.system.browsing import ARTIFACTS
from tests.system.conftest import DemoWindows

pytestmark = pytest.mark.system


def page_paths(database_url: str) -> dict[str, str]:
    """The desk's pages in the demo clinic, one of each kind, a visit booked to show one."""
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        reads = ReadModel(Projector(regimen)).fresh()
        rows = reads.sessions_between("0000", "9999", limit=500).items
        session = next(r for r in rows if r["status"] == "booked")
        plan = next(p for p in reads.plans(status="agreed").items if p["sessions_booked"] == 0)
        now = datetime.now(UTC)
        therapist = UUID(session["therapist_id"])
        [free, *_] = regimen.free_time(
            therapist,
            first_day=now.date() + timedelta(days=1),
            last_day=now.date() + timedelta(days=14),
            minutes=60,
            now=now,
        )
        booking = VisitBooking(
            client_id=UUID(session["client_id"]),
            therapist_id=therapist,
            room_id=None,
            kind=VisitKind.ASSESSMENT,
            time=free,
            complaint="stiff neck",
        )
        visit = regimen.book_visit(booking, actor=DESK, now=now)
    finally:
        regimen.close()
    day = session["local_start"][:10]
    return {
        "calendar-day": f"/calendar?date={day}",
        "calendar-week": f"/calendar?date={day}&view=week",
        "clients": "/clients?q=a",
        "client": f"/clients/{session['client_id']}",
        "book-series": f"/plans/{plan['plan_id']}/book",
        "session": f"/sessions/{session['plan_id']}/{session['number']}",
        "visit": f"/visits/{visit.id}",
        "book-visit": f"/visits/new?therapist_id={session['therapist_id']}&date={day}&time=09:00",
        "authorizations": "/authorizations?within=60",
    }


def test_every_desk_page_is_axe_clean_at_every_size(demo_windows: DemoWindows) -> None:
    paths = page_paths(demo_windows.database_url)
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[str]] = {}
    page = demo_windows.signed_in()
    page.wait_for_url("**/calendar")
    for size, viewport in browsing.VIEWPORTS.items():
        page.set_viewport_size(viewport)
        for name, path in paths.items():
            response = page.goto(path)
            assert response is not None and response.status == 200, (size, path)
            page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
            sideways = ["the page scrolls sideways"] if browsing.scrolls_sideways(page) else []
            broken = [f"split across lines: {word}" for word in browsing.words_broken(page)]
            found[f"{name} ({size})"] = sideways + broken + browsing.axe_problems(page)
    assert len(found) == len(paths) * len(browsing.VIEWPORTS)
    assert {page: problems for page, problems in found.items() if problems} == {}
