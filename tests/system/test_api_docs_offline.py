"""/api/docs in a real browser with the network unplugged: every request to another host is
refused, the operations still render, and "Try it out" starts from a realistic body."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.system.browsing import ARTIFACTS, DESKTOP

pytestmark = pytest.mark.system


def operation(page: Any, tag: str, operation_id: str) -> Any:
    """One operation's block; Swagger UI escapes the dot of the id in the element's id."""
    return page.locator(f'xpath=//div[@id="operations-{tag}-{tag}\\.{operation_id}"]')


def try_it_out(page: Any, tag: str, operation_id: str) -> Any:
    """Open an operation and press "Try it out"; its block."""
    block = operation(page, tag, operation_id)
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    return block


def test_the_docs_render_offline_with_a_realistic_proposal_and_no_if_match_filled_in(
    browser: Any,
    sqlite_url: str,
    serve: Callable[..., Any],
) -> None:
    base_url = serve(sqlite_url, workers=1).base_url
    page = browser.new_context(viewport=DESKTOP, base_url=base_url).new_page()
    left_the_host: list[str] = []

    def unplugged(route: Any) -> None:
        url = route.request.url
        if url == base_url or url.startswith(f"{base_url}/"):
            route.continue_()
        else:
            left_the_host.append(url)
            route.abort("internetdisconnected")

    page.route("**/*", unplugged)
    page.goto("/api/docs")

    plans = page.locator(".opblock-tag", has_text="Treatment plans and their lifecycle")
    plans.wait_for()
    propose = operation(page, "plans", "postPlans")
    assert propose.locator(".opblock-summary-path").inner_text().strip() == "/api/v1/plans"
    assert operation(page, "sessions", "postRecordAmendments").is_visible()

    example = try_it_out(page, "plans", "postPlans").locator("textarea")
    body = json.loads(example.input_value())
    assert body["assessment"]["complaint"] == "low back pain after lifting"
    assert (body["assessment"]["duration"], body["assessment"]["onset"]) == ("3 weeks", "sudden")
    assert body["assessment"]["pain_level"] == 6
    assert body["assessment"]["range_of_motion"] == [
        {"joint": "lumbar spine", "movement": "flexion", "degrees": 40, "side": ""}
    ]
    assert body["series"] == {"sessions": 6, "interval_days": 7, "session_minutes": 60}
    assert body["focus_areas"] == ["lower back", "right hip"]
    assert "string" not in json.dumps(body)
    example.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs-proposal.png"))

    perform = try_it_out(page, "sessions", "postPerform")
    if_match = perform.locator("tr[data-param-name='If-Match'] input")
    assert if_match.input_value() == ""
    assert json.loads(perform.locator("textarea").input_value())["pain_before"] == 6

    assert left_the_host == []
