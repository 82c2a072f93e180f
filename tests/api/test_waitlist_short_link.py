"""The claim page answers on its short address (the one an SMS carries) as on its long one."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from tests.api.waitlist import press_claim


def test_the_short_address_opens_the_offer_and_claims_it(
    client: FlaskClient,
    offer_to_cora: Callable[[], str],
) -> None:
    path = offer_to_cora()
    short = path.replace("/waitlist/claim/", "/w/")
    opened = client.get(short)
    assert opened.status_code == 200 and f'action="{path}"' in opened.get_data(as_text=True)
    claimed = press_claim(client, path)  # the page's button posts to the long address
    assert claimed.status_code == 200 and "booked" in claimed.get_data(as_text=True).lower()
    assert client.get("/w/not-a-token").status_code == 403
