"""The therapist's day and a client chart in a real browser, as the demo's therapist (Amira):
axe finds nothing serious, no page scrolls sideways at desktop, tablet or phone size, and a
screenshot of each is saved under test-artifacts/browser/therapist/ for people to look at."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from service.bootstrap import build_regimen
from service.cli.demo import seed_demo
from service.cli.users import demo_therapist
from service.config import Settings
from service.domain.values import Role
from tests.builders import CLI
from tests.system import browsing
from tests.system.browsing import ARTIFACTS

pytestmark = pytest.mark.system


@pytest.fixture
def therapist_clinic(sqlite_url: str, serve: Callable[..., Any]) -> tuple[str, str]:
    """The `make run` demo behind a real server; its URL and a token for Amira Haddad, the
    therapist the demo's therapist token is."""
    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        seed_demo(regimen, CLI)
        _, token = regimen.add_user(
            "browser-therapist", Role.THERAPIST, CLI, demo_therapist(regimen)
        )
    finally:
        regimen.close()
    return serve(sqlite_url).base_url, token


def test_the_therapist_opens_their_day_and_a_clients_chart_at_every_size(
    browser: Any,
    therapist_clinic: tuple[str, str],
) -> None:
    base_url, token = therapist_clinic
    folder = ARTIFACTS / "therapist"
    folder.mkdir(parents=True, exist_ok=True)
    context, page = browsing.axe_window(browser, base_url)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # Signing in with the keyboard lands on My day, titled and navigated for a therapist.
    browsing.keyboard_sign_in(page, token)
    page.wait_for_url("**/today")
    assert page.title() == "My day · Regimen"
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link").all_inner_texts() == ["My day", "Calendar", "Clients"]

    # Noah's session 3 is on the list, with his chart a link away.
    day = page.locator("ol.my-day")
    assert day.get_by_role("link", name="Noah Fitzgerald", exact=True).count() == 1
    chart_path = day.get_by_role("link", name="Noah Fitzgerald", exact=True).get_attribute("href")
    assert chart_path and re.fullmatch(r"/charts/[0-9a-f-]{36}", chart_path)

    found: dict[str, list[str]] = {}
    for size, viewport in browsing.VIEWPORTS.items():
        page.set_viewport_size(viewport)
        for name, path in {"my-day": "/today", "chart": chart_path}.items():
            response = page.goto(path)
            assert response is not None and response.status == 200, (size, path)
            page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
            found[f"{name} ({size})"] = browsing.axe_problems(page, browsing.SERIOUS)
            assert not browsing.scrolls_sideways(page), f"{name} scrolls sideways at {size}"
    chart = page.content()
    assert "Chart: Noah Fitzgerald" in chart and "lower back pain after a long drive" in chart
    context.close()
    assert {page: problems for page, problems in found.items() if problems} == {}
    assert errors == []
