"""The role matrix of DESIGN §7, read off every route the app serves, and the desk's redaction."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.application import Regimen
from service.domain.values import Role
from tests.api.helpers import Headers, book, perform_and_evaluate
from tests.api.operations import Operation, served_operations
from tests.builders import Clinic
from tests.fakes import FixedClock

API = "/api/v1"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
SETUP = re.compile(rf"^{API}/(clinic|therapists|rooms|users)(/|$)")
CLINICAL_COMMANDS = re.compile(
    rf"^{API}/plans(/<uuid:plan_id>/(revise|refer|complete|sessions/<int:number>/(perform|evaluate)))?$"
)
AUDIT_TRAIL = re.compile(r"/(history|changes|access-log|events|audit)(/|$)")
CLINICAL_KEYS = {"assessment", "expected_progress", "closing_note", "prescription"}
CLINICAL_KEYS |= {"performance", "evaluation"}
PUBLIC_DOCUMENTS = {"api-docs.openapi_json"}
# Values for the query parameters some reads require, by name.
QUERY = {"from": "2026-03-01", "to": "2026-03-31", "date": "2026-03-09"}


def operations(app: Flask) -> list[Operation]:
    """Every API operation the app serves (not its OpenAPI document)."""
    found = [
        o
        for o in served_operations(app)
        if o.rule.startswith(f"{API}/") and o.endpoint not in PUBLIC_DOCUMENTS
    ]
    assert len(found) >= 30
    return found


def matching(app: Flask, writes: bool, pattern: re.Pattern[str]) -> Iterator[Operation]:
    """The operations that write (or read) and whose rule matches the pattern."""
    for o in operations(app):
        if (o.method in WRITES) == writes and pattern.search(o.rule):
            yield o


def test_every_api_operation_names_the_roles_it_lets_in(app: Flask) -> None:
    unguarded = [(o.method, o.rule) for o in operations(app) if o.roles is None]

    assert unguarded == []


def test_the_auditor_reads_everything_and_changes_nothing(app: Flask) -> None:
    for o in operations(app):
        assert (Role.AUDITOR in (o.roles or ())) == (o.method == "GET"), o


def test_only_the_admin_changes_the_clinics_setup(app: Flask) -> None:
    setup = list(matching(app, True, SETUP))
    assert len(setup) >= 6

    for o in setup:
        assert o.roles == (Role.ADMIN,), o


def test_only_the_therapist_gives_clinical_commands(app: Flask) -> None:
    clinical = list(matching(app, True, CLINICAL_COMMANDS))
    commands = {o.rule.rsplit("/", 1)[-1] for o in clinical}
    assert commands == {"plans", "revise", "refer", "complete", "perform", "evaluate"}

    for o in clinical:
        assert o.roles == (Role.THERAPIST,), o


def test_the_front_desk_runs_clients_booking_and_every_other_command(app: Flask) -> None:
    for o in matching(app, True, re.compile(".")):
        if not SETUP.search(o.rule) and not CLINICAL_COMMANDS.search(o.rule):
            assert Role.FRONT_DESK in (o.roles or ()), o


def test_the_front_desk_reads_everything_but_the_audit_trail(app: Flask) -> None:
    for o in matching(app, False, re.compile(".")):
        expected = not AUDIT_TRAIL.search(o.rule)
        assert (Role.FRONT_DESK in (o.roles or ())) == expected, o


@pytest.fixture
def treated(regimen: Regimen, clinic: Clinic, plan_id: UUID, clock: FixedClock) -> dict[str, Any]:
    """Path and query values of a plan whose first session was performed and evaluated."""
    book(regimen, plan_id, "2026-03-09T10:00", clock.now)
    perform_and_evaluate(regimen, plan_id, 1)
    return {
        "plan_id": plan_id,
        "number": 1,
        "client_id": clinic.client_id,
        "therapist_id": clinic.therapist_id,
        "room_id": clinic.room_id,
    }


def clinical_keys_in(value: Any) -> set[str]:
    """Every clinical key anywhere in a JSON document."""
    if isinstance(value, dict):
        found = CLINICAL_KEYS & set(value)
        return found.union(*(clinical_keys_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(clinical_keys_in(v) for v in value))
    return set()


def test_nothing_the_front_desk_may_read_shows_assessments_or_session_notes(
    app: Flask, client: FlaskClient, treated: dict[str, Any], auth: Headers
) -> None:
    therapist_sees = client.get(f"{API}/plans/{treated['plan_id']}", headers=auth["therapist"])
    assert clinical_keys_in(therapist_sees.get_json()) == CLINICAL_KEYS

    urls = app.url_map.bind("localhost")
    for o in matching(app, False, re.compile(".")):
        if Role.FRONT_DESK not in (o.roles or ()):
            continue
        url = urls.build(o.endpoint, {**treated, **QUERY})
        response = client.get(url, headers=auth["front_desk"])

        assert response.status_code == 200, (url, response.get_json())
        assert clinical_keys_in(response.get_json()) == set(), url
