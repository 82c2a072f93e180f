"""A French clinic's client in a real browser: the page, a session's move and cancel pages,
the self-booking page and the waitlist join form are French; axe finds nothing serious
and nothing scrolls sideways at phone, tablet and desktop widths. Screenshots are saved
under test-artifacts/browser/client/ (named fr-...)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from service.adapters.secret_key import session_secret
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.clinic import ClinicSettings
from service.reminders.claim_links import join_token
from service.reminders.client_links import read_link_token
from tests.builders import CLI
from tests.system import browsing
from tests.system.test_client_page_browser import ALL_DAY, FOLDER, served

pytestmark = pytest.mark.system


def speak_french(sqlite_url: str, page_url: str) -> str:
    """The clinic of `seeded`, now in French; the path of its client's waitlist join link."""
    settings = Settings(database_url=sqlite_url)
    secret, now = session_secret(settings), datetime.now(UTC)
    client_id = read_link_token(secret, page_url.rsplit("/", 1)[-1], now).client_id
    assert client_id is not None
    regimen = build_regimen(Settings(database_url=sqlite_url))
    try:
        settings = ClinicSettings(
            "Riverside Clinic", "UTC", ALL_DAY, 24, True, self_booking=True, language="fr"
        )
        regimen.configure_clinic(settings, actor=CLI)
    finally:
        regimen.close()
    return f"/waitlist/join/{join_token(secret, client_id, now)}"


def test_a_french_clinics_client_pages_read_well_at_every_width(
    browser: Any,
    sqlite_url: str,
    serve: Callable[..., Any],
    tmp_path: Path,
) -> None:
    server, page_url, _ = served(sqlite_url, serve, tmp_path)
    join_path = speak_french(sqlite_url, page_url)

    context, page = browsing.axe_window(browser, server.base_url)
    page = browsing.watched(page)
    look = browsing.EverySize(FOLDER)
    page.goto(page_url)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.title() == "Vos séances · Riverside Clinic"
    look(page, "fr-page")
    cards = page.locator("ul.client-sessions > li")
    cards.nth(1).get_by_role("link", name="Déplacer").click()
    assert page.get_by_role("radio").count() > 10
    look(page, "fr-move")
    page.goto(page_url)
    cards.nth(0).get_by_role("link", name="Annuler").click()
    assert "annulation tardive" in page.get_by_role("alert").inner_text()
    look(page, "fr-cancel")
    page.goto(page_url)
    page.get_by_role("link", name="Réserver").click()
    look(page, "fr-book")
    page.goto(join_path)
    assert page.get_by_label("Thérapeute").count() == 1 and page.get_by_label("lun.").count() == 1
    look(page, "fr-join")
    assert page.problems == []
    context.close()
    assert len(look.found) == 5 * len(browsing.VIEWPORTS)
    assert look.problems() == {}
