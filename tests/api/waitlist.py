"""The waitlist through the API: the desk puts a client on it, a client presses the claim
page's button."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.api.helpers import Headers

MORNINGS = [{"weekdays": [0, 1, 2, 3, 4], "start": "09:00", "end": "12:00"}]


def join(client: FlaskClient, auth: Headers, client_id: UUID, **body: Any) -> dict[str, Any]:
    """The desk puts the client on the waitlist for weekday mornings (and what else is given)."""
    answer = client.post(
        "/api/v1/waitlist",
        json={"client_id": str(client_id), "windows": MORNINGS, **body},
        headers=auth["front_desk"],
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()  # type: ignore[no-any-return]


def press_claim(client: FlaskClient, path: str) -> TestResponse:
    """Open the claim page and press its button (the form carries the page's CSRF token)."""
    opened = client.get(path).get_data(as_text=True)
    if 'name="csrf_token"' not in opened:  # a refusal has no form: the sign-in page's token
        opened = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', opened).group(1)  # type: ignore[union-attr]
    return client.post(path, data={"csrf_token": token})
