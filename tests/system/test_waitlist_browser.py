"""The waitlist in a real browser over a real server: the desk adds a client by keyboard and
sees an offer in flight; the client opens the claim link and claims the time. Every page is
axe-clean at desktop, tablet and phone size; screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from uuid import UUID

import pytest

from service.adapters.secret_key import session_secret
from service.bootstrap import bootstrap
from service.config import Settings
from service.domain.reminders import Channel
from service.domain.waitlist import WaitlistRequest, Window
from service.reminders.claim_links import join_token
from tests.builders import DESK
from tests.fakes import CapturingSender
from tests.reminder_scenario import EMAIL_48_AND_2
from tests.system import browsing
from tests.system.browsing import ARTIFACTS
from tests.system.conftest import DemoWindows

pytestmark = pytest.mark.system
ALL_DAY = (Window(weekdays=(0, 1, 2, 3, 4, 5, 6), start=time(6), end=time(22)),)


def offer_a_freed_session(sqlite_url: str, base_url: str) -> tuple[str, str]:
    """A demo client waits; another's next booked session is cancelled; the scheduler's pass
    offers the time and sends the waiting client a claim link; that link, and the path of
    a link for the waiting client to choose their own times."""
    sender = CapturingSender()
    settings = Settings(database_url=sqlite_url, public_url=base_url)
    wiring = bootstrap(settings, senders={Channel.EMAIL: sender, Channel.SMS: sender})
    regimen, now = wiring.regimen, datetime.now(UTC)
    try:
        rows = wiring.reads.fresh().sessions_between(now.isoformat()[:16], "9999", limit=50)
        freed = next(r for r in rows.items if r["status"] == "booked" and r["kind"] == "session")
        waiting = [
            r["id"]
            for r in wiring.reads.directory("client", "", limit=50).items
            if r["id"] != freed["client_id"]
        ][-1]  # not the first of the list: the desk adds that one, who waits for nothing yet
        regimen.set_reminder_preferences(UUID(waiting), EMAIL_48_AND_2, DESK)
        request = WaitlistRequest(client_id=UUID(waiting), therapist_id=None, windows=ALL_DAY)
        regimen.join_waitlist(request, actor=DESK, now=now, listed=wiring.waitlist())
        plan, number = UUID(freed["plan_id"]), int(freed["number"])
        regimen.cancel_sessions(plan, number, reason="moving away", actor=DESK, now=now)
        wiring.offer_waitlist(now)
        join = f"/waitlist/join/{join_token(session_secret(settings), UUID(waiting), now)}"
    finally:
        wiring.close()
    [message] = sender.sent
    return re.search(r"(http\S+/waitlist/claim/\S+)", message.text).group(1), join  # type: ignore[union-attr]


def test_the_desk_runs_the_waitlist_by_keyboard_and_a_client_claims_an_offer(
    demo_windows: DemoWindows,
) -> None:
    claim_link, join_path = offer_a_freed_session(demo_windows.database_url, demo_windows.base_url)
    folder = ARTIFACTS / "waitlist"
    folder.mkdir(parents=True, exist_ok=True)
    page = demo_windows.signed_in()
    page.wait_for_url("**/calendar")

    page.get_by_role("link", name="Waitlist").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/waitlist")
    assert "Held until" in page.inner_text("main")  # the offer made above, in flight
    page.get_by_label("Client", exact=True).focus()
    page.keyboard.press("ArrowDown")  # the first client of the list
    page.get_by_label("Sat", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Add to the waitlist").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".flash.success")
    assert "is on the waitlist" in page.inner_text(".flash.success")

    found: dict[str, list[str]] = {}
    for size, viewport in browsing.VIEWPORTS.items():
        page.set_viewport_size(viewport)
        pages = (("waitlist", "/waitlist"), ("join", join_path), ("claim", claim_link))
        for name, path in pages:
            response = page.goto(path)
            assert response is not None and response.status == 200, (size, path)
            page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
            found[f"{name} ({size})"] = browsing.axe_problems(page)
            assert not browsing.scrolls_sideways(page), (size, path)
            assert browsing.words_broken(page) == [], (size, path)  # 'Therapis|t', 'Remo|ve'
    assert {name: problems for name, problems in found.items() if problems} == {}

    page.get_by_role("button", name="Claim this time").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('you are booked')")
    page.screenshot(path=str(folder / "claimed-phone.png"), full_page=True)
    assert browsing.axe_problems(page) == []
