"""Setting the clinic up over HTTP: the clinic, its closures, therapists and rooms."""

from __future__ import annotations

from uuid import UUID

from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.staff import Therapist
from tests.api.helpers import Headers, admin_sets_and_desk_reads_back, assert_problem
from tests.builders import Clinic

WEEKDAYS_9_TO_17 = [{"weekday": d, "start": "09:00", "end": "17:00"} for d in range(5)]
CLINIC = {
    "name": "Riverside Clinic",
    "timezone": "Europe/London",
    "opening_hours": WEEKDAYS_9_TO_17,
    "cancellation_window_hours": 48,
    "late_cancel_counts": True,
}
EASTER = {"first_day": "2026-04-03", "last_day": "2026-04-06", "reason": "Easter"}


def test_the_admin_sets_the_clinic_up_and_anyone_on_staff_reads_it_back(
    client: FlaskClient, auth: Headers
) -> None:
    got = admin_sets_and_desk_reads_back(client, auth, "/api/v1/clinic", CLINIC)

    clinic = got.get_json()
    assert clinic["closures"] == []
    assert got.headers["ETag"] == f'"{clinic["version"]}"'


def test_a_closure_added_by_the_admin_is_listed(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    added = client.post("/api/v1/clinic/closures", json=EASTER, headers=auth["admin"])
    listed = client.get("/api/v1/clinic/closures", headers=auth["front_desk"])

    assert added.status_code == 201, added.get_json()
    assert added.get_json() == EASTER
    assert listed.get_json() == [EASTER]


def test_a_closure_ending_before_it_starts_is_invalid(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    backwards = {**EASTER, "last_day": "2026-04-01"}

    response = client.post("/api/v1/clinic/closures", json=backwards, headers=auth["admin"])

    assert_problem(response, 422, "last day comes before its first")


def test_a_registered_therapist_is_listed_and_readable_at_its_location(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    details = {"name": "Cy Therapist", "email": "cy@example.org", "modalities": ["thai"]}

    created = client.post("/api/v1/therapists", json=details, headers=auth["admin"])

    assert created.status_code == 201, created.get_json()
    therapist = created.get_json()
    assert {k: therapist[k] for k in details} == details
    assert therapist["working_hours"] is None
    listed = client.get("/api/v1/therapists", headers=auth["front_desk"]).get_json()
    assert [t["name"] for t in listed] == ["Ada Therapist", "Ben Therapist", "Cy Therapist"]
    read = client.get(created.headers["Location"], headers=auth["front_desk"])
    assert read.status_code == 200
    assert read.get_json()["id"] == therapist["id"]


def test_a_therapist_is_read_with_its_version_as_etag(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    stored = regimen.load(Therapist, clinic.therapist_id).version

    response = client.get(f"/api/v1/therapists/{clinic.therapist_id}", headers=auth["front_desk"])

    assert response.status_code == 200
    therapist = response.get_json()
    assert (therapist["name"], therapist["version"]) == ("Ada Therapist", stored)
    assert response.headers["ETag"] == f'"{stored}"'


def test_an_unknown_therapist_is_not_found(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    response = client.get(f"/api/v1/therapists/{clinic.room_id}", headers=auth["admin"])

    assert_problem(response, 404, f"no therapist with id {clinic.room_id}")


def test_working_hours_put_by_the_admin_replace_the_old_ones(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    mondays = [{"weekday": 0, "start": "09:00", "end": "12:00"}]

    response = client.put(
        f"/api/v1/therapists/{clinic.therapist_id}/working-hours",
        json={"hours": mondays},
        headers=auth["admin"],
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["working_hours"] == mondays


def test_time_off_given_in_local_time_is_stored_as_utc_instants(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, auth: Headers
) -> None:
    summer_morning = {
        "start": "2026-07-14T09:00",
        "end": "2026-07-14T13:00",
        "timezone": "Europe/London",
        "reason": "dentist",
    }

    response = client.post(
        f"/api/v1/therapists/{clinic.therapist_id}/time-off",
        json=summer_morning,
        headers=auth["admin"],
    )

    assert response.status_code == 201, response.get_json()
    (away,) = response.get_json()["time_off"]
    assert away == {
        "start": "2026-07-14T08:00:00+00:00",
        "end": "2026-07-14T12:00:00+00:00",
        "reason": "dentist",
    }


def test_a_room_added_by_the_admin_is_listed(
    client: FlaskClient, clinic: Clinic, auth: Headers
) -> None:
    added = client.post("/api/v1/rooms", json={"name": "Room C"}, headers=auth["admin"])
    listed = client.get("/api/v1/rooms", headers=auth["therapist"]).get_json()

    assert added.status_code == 201, added.get_json()
    room_id = added.get_json()["id"]
    assert UUID(room_id)
    assert {"id": room_id, "name": "Room C"} in listed
    assert [r["name"] for r in listed] == ["Room A", "Room B", "Room C"]


def test_a_new_rooms_location_answers(client: FlaskClient, clinic: Clinic, auth: Headers) -> None:
    added = client.post("/api/v1/rooms", json={"name": "Room C"}, headers=auth["admin"])

    assert client.get(added.headers["Location"], headers=auth["admin"]).status_code == 200
