"""A visit and a plan session racing for one therapist slot, across two server processes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from service.bootstrap import build_regimen
from service.config import Settings
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from tests.api.helpers import bearer
from tests.system.test_server import prepare

pytestmark = pytest.mark.system

SLOT = {"start": "2030-03-11T10:00", "timezone": "Europe/London"}
REQUESTS = 20


@pytest.mark.postgres
def test_twenty_requests_for_one_slot_book_exactly_one_visit_or_session(  # type: ignore[no-untyped-def]
    serve, postgres_url: str
) -> None:
    tokens, (clinic, plans) = prepare(postgres_url)
    servers = [serve(postgres_url, workers=2), serve(postgres_url, workers=2)]
    desk = bearer(tokens["front_desk"])
    visit = {
        **SLOT,
        "client_id": str(clinic.client_id),
        "therapist_id": str(clinic.therapist_id),
        "kind": "assessment",
        "minutes": 60,
    }

    def book(index: int) -> int:
        server = servers[index % len(servers)]
        if index < len(plans):  # a plan's session, or else a first visit, for the same slot
            url, body = server.url(f"/api/v1/plans/{plans[index]}/sessions"), SLOT
        else:
            url, body = server.url("/api/v1/visits"), visit
        return requests.post(url, json=body, headers=desk, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        statuses = list(pool.map(book, range(REQUESTS)))

    assert sorted(statuses) == [201] + [409] * (REQUESTS - 1)
    regimen = build_regimen(Settings(database_url=postgres_url))
    try:
        sessions = sum(len(regimen.plan(p).sessions) for p in plans)
        day = (
            ReadModel(Projector(regimen))
            .fresh()
            .sessions_between(
                "2030-03-11T00:00", "2030-03-12T00:00", therapist_id=str(clinic.therapist_id)
            )
        )
    finally:
        regimen.close()
    [held] = day.items  # one booking holds the slot, whichever kind won
    assert (held["kind"] == "session") == (sessions == 1)
    assert statuses.index(201) < len(plans) if sessions else statuses.index(201) >= len(plans)
