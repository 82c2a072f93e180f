"""The plan's progress page: the therapist's own client only, recorded in the access log."""

from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID

import pytest
from flask.testing import FlaskClient

from service.application import Regimen
from service.application.commands import PlanRevision
from service.domain.values import Performance, SeriesSpec
from tests.api.helpers import book, evaluate
from tests.builders import THERAPIST, Clinic
from tests.fakes import FixedClock
from tests.web.conftest import Desk, signed_in, signed_in_as_ben, text

LATER_ON = "2027-01-01T00:00:00+00:00"  # after every session booked here


def treat(regimen: Regimen, plan_id: UUID, number: int, before: int, after: int) -> None:
    """The therapist performs a session with a pain score before it, and evaluates it."""
    regimen.perform_session(
        plan_id,
        number,
        performance=Performance(
            techniques=("effleurage",), areas=("neck",), duration_minutes=60, pain_before=before
        ),
        actor=THERAPIST,
        now=datetime.fromisoformat(LATER_ON),
    )
    evaluate(regimen, plan_id, number, pain_after=after)


@pytest.fixture
def treated_plan(regimen: Regimen, plan_id: UUID, clock: FixedClock) -> UUID:
    """Three weekly sessions (9, 16 and 23 March 2026), performed and evaluated."""
    for number, (day, before, after) in enumerate(
        [("09", 7, 5), ("16", 6, 4), ("23", 5, 2)], start=1
    ):
        book(regimen, plan_id, f"2026-03-{day}T10:00", clock.now)
        treat(regimen, plan_id, number, before, after)
    return plan_id


def cells(page: str) -> list[list[str]]:
    """The data table's body rows, each cell's text without tags."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_three_evaluated_sessions_give_three_points_and_a_table_of_the_same_numbers(
    therapist: Desk, treated_plan: UUID
) -> None:
    response = therapist.get(f"/plans/{treated_plan}/progress")

    assert response.status_code == 200
    page = text(response)
    pain_chart = page.split("<svg", 2)[1]
    assert 'role="img"' in pain_chart and "<title" in pain_chart and "<desc" in pain_chart
    for name, values in (("Pain before", (7, 6, 5)), ("Pain after", (5, 4, 2))):
        titles = re.findall(rf"<title>{name}, session (\d), [^:]+: (\d+)</title>", pain_chart)
        assert titles == [(str(n), str(v)) for n, v in zip((1, 2, 3), values, strict=True)]
    assert cells(page) == [
        ["1", "9 Mar 2026", "7", "5", "−2", "first", "—"],
        ["2", "16 Mar 2026", "6", "4", "−2", "7", "7"],
        ["3", "23 Mar 2026", "5", "2", "−3", "7", "7"],
    ]
    assert "<caption" in page and 'scope="col"' in page


def test_a_plan_with_nothing_performed_says_so_and_draws_no_axes(
    therapist: Desk, plan_id: UUID
) -> None:
    page = text(therapist.get(f"/plans/{plan_id}/progress"))

    assert "No session of this plan has been performed yet" in page
    assert "<svg" not in page and "<table" not in page


def test_opening_the_page_is_recorded_in_the_plans_access_log(
    therapist: Desk, treated_plan: UUID, regimen: Regimen, clock: FixedClock
) -> None:
    day = clock.now.date()
    assert regimen.access_log(treated_plan, day, day) == []

    therapist.get(f"/plans/{treated_plan}/progress")

    (view,) = regimen.access_log(treated_plan, day, day)
    (account,) = [a for a in regimen.list_users() if a.name == "test-therapist"]
    assert view.actor == account.actor
    assert (view.record, view.via, view.reason) == ("progress", "web", "")


def test_the_front_desk_is_refused_and_never_sees_the_numbers(
    desk: Desk, treated_plan: UUID, regimen: Regimen, clock: FixedClock
) -> None:
    response = desk.get(f"/plans/{treated_plan}/progress")

    assert response.status_code == 403
    page = text(response)
    assert "<svg" not in page and "Pain before" not in page and "<table" not in page
    assert regimen.access_log(treated_plan, clock.now.date(), clock.now.date()) == []


def test_the_therapist_of_another_client_is_refused(
    client: FlaskClient, regimen: Regimen, clinic: Clinic, treated_plan: UUID
) -> None:
    ben = signed_in_as_ben(client, regimen, clinic)

    response = ben.get(f"/plans/{treated_plan}/progress")

    assert response.status_code == 403
    assert "Not your client" in text(response) and "Pain before" not in text(response)


def test_the_client_page_links_the_therapist_to_the_progress_but_not_the_desk(
    therapist: Desk, client: FlaskClient, tokens: dict[str, str], clinic: Clinic, plan_id: UUID
) -> None:
    link = f'href="/plans/{plan_id}/progress"'

    assert link in text(therapist.get(f"/clients/{clinic.client_id}"))

    desk = signed_in(client, tokens["front_desk"])
    assert link not in text(desk.get(f"/clients/{clinic.client_id}"))


def test_a_revised_interval_is_marked_from_the_first_session_paced_anew(
    therapist: Desk, regimen: Regimen, plan_id: UUID, clock: FixedClock
) -> None:
    for day in ("09", "16", "23", "30"):
        book(regimen, plan_id, f"2026-03-{day}T10:00", clock.now)
    treat(regimen, plan_id, 1, 7, 5)
    treat(regimen, plan_id, 2, 6, 4)
    regimen.revise_plan(  # session 3 keeps its time; 4 moves to two weeks after it
        plan_id,
        PlanRevision(
            SeriesSpec(sessions=6, interval_days=14, session_minutes=60),
            "settling: every other week",
        ),
        actor=THERAPIST,
        now=datetime.fromisoformat("2026-03-17T09:00:00+00:00"),
    )
    treat(regimen, plan_id, 3, 5, 3)
    treat(regimen, plan_id, 4, 4, 2)

    page = text(therapist.get(f"/plans/{plan_id}/progress"))

    rows = cells(page)
    assert [row[1] for row in rows] == ["9 Mar 2026", "16 Mar 2026", "23 Mar 2026", "6 Apr 2026"]
    assert [row[5:] for row in rows] == [["first", "—"], ["7", "7"], ["7", "7"], ["14", "14"]]
    assert "From session 4 on, sessions were planned 14 days apart instead of 7." in page
    assert page.count(">every 14 days</text>") == 2  # the mark on both charts


def test_a_plan_that_does_not_exist_is_not_found(therapist: Desk) -> None:
    response = therapist.get("/plans/00000000-0000-4000-8000-00000000dead/progress")

    assert response.status_code == 404


def test_when_the_read_cannot_be_logged_nothing_is_shown(
    therapist: Desk, treated_plan: UUID, regimen: Regimen, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("the disk is full")

    monkeypatch.setattr(regimen, "record_views", broken)

    response = therapist.get(f"/plans/{treated_plan}/progress")

    assert response.status_code == 503
    assert "Pain before" not in text(response) and "<svg" not in text(response)
