"""The waitlist through the API and the claim page: join, cancel, offer, claim, taken, lapsed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.api.helpers import Headers, assert_problem
from tests.api.waitlist import MORNINGS, join, press_claim
from tests.builders import Clinic
from tests.fakes import FixedClock

API = "/api/v1"


def test_the_desk_puts_a_client_on_the_waitlist_and_sees_them_there(
    client: FlaskClient, auth: Headers, clinic: Clinic
) -> None:
    entry = join(client, auth, clinic.client_id, therapist_id=str(clinic.therapist_id))
    assert (entry["status"], entry["windows"]) == ("waiting", MORNINGS)

    [row] = client.get(f"{API}/waitlist", headers=auth["front_desk"]).get_json()
    assert (row["client_name"], row["therapist_name"]) == ("Cora Client", "Ada Therapist")
    assert row["windows"] == "0,1,2,3,4 09:00-12:00"

    left = client.post(
        f"{API}/waitlist/{entry['id']}/leave",
        json={"reason": "booked elsewhere"},
        headers=auth["front_desk"],
    )
    assert left.get_json()["status"] == "left"
    assert client.get(f"{API}/waitlist", headers=auth["front_desk"]).get_json() == []


def test_a_client_already_waiting_for_the_same_is_refused_and_another_therapist_is_not(
    client: FlaskClient, auth: Headers, clinic: Clinic
) -> None:
    ada = join(client, auth, clinic.client_id, therapist_id=str(clinic.therapist_id))
    mondays = [{"weekdays": [0], "start": "11:00", "end": "13:00"}]  # overlaps her mornings
    body = {"client_id": str(clinic.client_id), "therapist_id": str(clinic.therapist_id)}

    again = client.post(
        f"{API}/waitlist", json={**body, "windows": mondays}, headers=auth["front_desk"]
    )

    problem = assert_problem(again, 409, "already waits")
    assert problem["type"].endswith("/already-waiting") and problem["entry_id"] == ada["id"]
    ben = join(client, auth, clinic.client_id, therapist_id=str(clinic.other_therapist_id))
    assert ben["status"] == "waiting"
    rows = client.get(f"{API}/waitlist", headers=auth["front_desk"]).get_json()
    assert sorted(row["entry_id"] for row in rows) == sorted([ada["id"], ben["id"]])


def test_a_client_who_left_the_waitlist_can_join_it_again_for_the_same(
    client: FlaskClient, auth: Headers, clinic: Clinic
) -> None:
    first = join(client, auth, clinic.client_id)
    client.post(
        f"{API}/waitlist/{first['id']}/leave", json={"reason": "away"}, headers=auth["front_desk"]
    )

    assert join(client, auth, clinic.client_id)["id"] != first["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"windows": [{"weekdays": [0], "start": "12:00", "end": "09:00"}]}, "end"),
        ({"windows": [{"weekdays": [9], "start": "09:00", "end": "12:00"}]}, "weekdays"),
        ({"windows": []}, "windows"),
        ({"first_day": "2026-03-10", "last_day": "2026-03-01"}, "last_day"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_malformed_waitlist_request_is_a_problem_naming_its_field(
    client: FlaskClient, auth: Headers, clinic: Clinic, change: dict[str, Any], field: str
) -> None:
    body = {"client_id": str(clinic.client_id), "windows": MORNINGS, **change}
    answer = client.post(f"{API}/waitlist", json=body, headers=auth["front_desk"])
    problem = assert_problem(answer, 422)
    assert field in str(problem["errors"])


def test_a_freed_time_is_offered_claimed_on_its_page_and_shown_to_the_desk(
    client: FlaskClient, auth: Headers, offer_to_cora: Callable[[], str], clock: FixedClock
) -> None:
    path = offer_to_cora()
    [offer] = client.get(
        f"{API}/waitlist/offers?status=open", headers=auth["front_desk"]
    ).get_json()
    assert (offer["offered"], offer["messages_sent"]) == (1, 1)
    assert (offer["round"], offer["local_start"]) == (1, "2026-03-04T10:00")

    page = client.get(path)
    assert page.status_code == 200 and "Claim this time" in page.get_data(as_text=True)
    assert "Wednesday 4 March 2026 at 10:00" in page.get_data(as_text=True)

    booked = press_claim(client, path)
    assert booked.status_code == 200 and "you are booked" in booked.get_data(as_text=True)
    again = press_claim(client, path)
    assert again.status_code == 409 and "taken" in again.get_data(as_text=True)
    [offer] = client.get(f"{API}/waitlist/offers", headers=auth["front_desk"]).get_json()
    assert (offer["status"], offer["claimed_by"]) == ("claimed", "Cora Client")


def test_a_changed_link_is_refused_and_a_lapsed_one_has_expired(
    client: FlaskClient, auth: Headers, offer_to_cora: Callable[[], str], clock: FixedClock
) -> None:
    path = offer_to_cora()
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")

    refused = press_claim(client, tampered)
    assert refused.status_code == 403 and "does not work" in refused.get_data(as_text=True)
    assert client.get("/waitlist/claim/not-a-token").status_code == 403

    clock.advance(minutes=30)
    lapsed = press_claim(client, path)
    assert lapsed.status_code == 410 and "expired" in lapsed.get_data(as_text=True)
    assert "Traceback" not in lapsed.get_data(as_text=True)


def test_only_an_admin_sets_the_hold_and_the_round_size(
    client: FlaskClient, auth: Headers, clinic: Clinic
) -> None:
    policy = {"hold_minutes": 45, "round_size": 2}
    assert client.get(f"{API}/clinic/waitlist-policy", headers=auth["front_desk"]).get_json() == {
        "hold_minutes": 30,
        "round_size": 3,
    }
    refused = client.put(f"{API}/clinic/waitlist-policy", json=policy, headers=auth["front_desk"])
    assert refused.status_code == 403
    assert (
        client.put(f"{API}/clinic/waitlist-policy", json=policy, headers=auth["admin"]).get_json()
        == policy
    )
    assert_problem(
        client.put(
            f"{API}/clinic/waitlist-policy",
            json={**policy, "hold_minutes": 1},
            headers=auth["admin"],
        ),
        422,
    )


def test_the_hold_set_by_the_admin_is_the_one_an_offer_gets(
    client: FlaskClient, auth: Headers, offer_to_cora: Callable[[], str], clock: FixedClock
) -> None:
    policy = {"hold_minutes": 45, "round_size": 1}
    client.put(f"{API}/clinic/waitlist-policy", json=policy, headers=auth["admin"])
    offer_to_cora()
    [offer] = client.get(f"{API}/waitlist/offers", headers=auth["front_desk"]).get_json()
    assert offer["hold_until"] == (clock.now + timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M:%SZ")
