"""Schemathesis over the app's own OpenAPI document: every check it has, as three staff roles.

Every operation of the document is fuzzed in-process (WSGI) with valid and invalid
requests, each sent with a real token, once as the admin, once as the front desk
(whose reads are redacted) and once as a therapist linked to the clinic's first
therapist (whose plans they may change), in that order. Between them they reach
every operation (each one allows the admin or a therapist). In about half the requests the generated
ids, zones, local times and dates become those of a real clinic, each operation
getting a plan of its own, so that the fuzzer gets past 404 and 422 into the commands.
Besides the generated requests, schemathesis's coverage scenarios of an undeclared
method and of a missing parameter are sent to every operation. Bounded and
derandomized for CI.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario
from schemathesis.generation.overrides import Override
from schemathesis.specs.openapi import checks

from service.application import Regimen
from service.domain.values import Role
from service.domain.visit import VisitBooking, VisitKind
from service.scheduler.recurrence import session_time
from tests.api.helpers import Headers, book
from tests.api.operations import served_operations
from tests.builders import DESK, ZONE, Clinic, agreed_plan, people_of
from tests.fakes import FixedClock

pytestmark = pytest.mark.fuzz

load_all_checks()
BUILT_IN_CHECKS = CHECKS.get_all()
# Every check schemathesis has runs on every answer. These pass vacuously here, and why:
# - use_after_free, ensure_resource_availability: they compare an answer with earlier
#   calls of a stateful scenario (links between operations); each call here stands alone.
# - object_level_authorization: needs identities configured as peers that own objects;
#   scoping by role and chart is tested in test_role_matrix.py and test_chart_scope.py.
# The others apply to one call: not_a_server_error, status_code_conformance,
# content_type_conformance, response_headers_conformance, response_schema_conformance,
# negative_data_rejection (wrapped below: a 412 refuses too), positive_data_acceptance
# (wrapped below: a rule the schema cannot state may refuse valid data), ignored_auth
# (the request is sent again without the token), allow_header_conformance, and, on the
# coverage cases below, missing_required_header and unsupported_method.
ALL_CHECKS = {
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
    "object_level_authorization",
}
# Schema-valid requests the service may still refuse, each for a rule that OpenAPI 3.0
# cannot state: a resource that moved on since the If-Match was read (412), a value that
# breaks a rule of the clinic (a cursor it never gave out: 400 invalid-cursor; an
# Idempotency-Key already used for another request: 422 invalid-value), two fields that
# exclude or order each other, a zone missing from the IANA database, a day the month
# does not have, an instant outside the years (with its offset), a JSON number with a fraction part
# (8.0) where JSON Schema's integer lets it pass, an email address of the documented
# shape that email-validator still refuses. Any other refusal of data the
# document calls valid fails the run: then the document must say it.
STATE_STATUSES = {412}
RULE_PROBLEMS = {"invalid-value", "idempotency-key-reused"}
RULE_MESSAGES = (
    "give version or as_of, not both",
    "end must be after start",
    "unknown time zone",
    "is not a local time like",
    "give an instant between",
    "must be a whole number",
    "is not a usable email address",
)
# The coverage scenarios that the two header and method checks look at.
COVERAGE_SCENARIOS = {CoverageScenario.UNSPECIFIED_HTTP_METHOD, CoverageScenario.MISSING_PARAMETER}
# About two minutes on two idle cores; REGIMEN_FUZZ_EXAMPLES=150 digs deeper, off CI.
EXAMPLES_PER_OPERATION = int(os.environ.get("REGIMEN_FUZZ_EXAMPLES", "40"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# Values the fuzzer rarely hits by chance (a zone, a free local time), by field name.
PLAUSIBLE = {
    "timezone": "Europe/London",
    "start": "2026-03-16T10:00",
    "first_start": "2026-03-16T10:00",
    "from": "2026-03-09",
    "to": "2026-03-13",
    "date": "2026-03-09",
}
ROLES = (Role.ADMIN, Role.FRONT_DESK, Role.THERAPIST)


@pytest.fixture
def arrange(regimen: Regimen, clinic: Clinic, clock: FixedClock) -> Callable[[], dict[str, Any]]:
    """Each call: a new agreed plan with session 1 booked, and a visit; real ids and
    plausible values."""
    slots = itertools.count()

    def next_slot() -> datetime:
        """Twelve an opening day (08:00-19:00) from Monday 9 March, Sundays skipped."""
        slot = next(slots)
        day = slot // 12
        return datetime(2026, 3, 9, 8 + slot % 12) + timedelta(days=day + day // 6)

    def fresh_plan() -> dict[str, Any]:
        plan_id = agreed_plan(regimen, clinic)
        book(regimen, plan_id, f"{next_slot():%Y-%m-%dT%H:%M}", clock.now)
        visit = VisitBooking(
            client_id=clinic.client_id,
            therapist_id=clinic.therapist_id,
            room_id=clinic.room_id,
            kind=VisitKind.ASSESSMENT,
            time=session_time(next_slot(), ZONE, 60),
        )
        return {
            "visit_id": str(regimen.book_visit(visit, actor=DESK, now=clock.now).id),
            "plan_id": str(plan_id),
            **people_of(clinic),
            "number": 1,
            **PLAUSIBLE,
        }

    return fresh_plan


def is_heads(generated: Any) -> bool:
    """A coin flip decided by the generated values, so that a run can be reproduced."""
    return hashlib.sha256(repr(generated).encode()).digest()[0] < 128


def messages(errors: Any) -> Iterator[str]:
    """Every message of a problem's field errors, however deep."""
    if isinstance(errors, str):
        yield errors
    elif isinstance(errors, dict | list):
        for inner in errors.values() if isinstance(errors, dict) else errors:
            yield from messages(inner)


def refused_for_a_rule(response: Any) -> bool:
    """Whether the answer refuses the request for a rule the schema cannot state."""
    if response.status_code in STATE_STATUSES:
        return True
    if response.status_code == 400 and response.json().get("type", "").endswith("/invalid-cursor"):
        return True  # a well-formed cursor the service never gave out (documented: 400)
    if response.status_code != 422:
        return False
    body = response.json()
    if body.get("type", "").rsplit("/", 1)[-1] in RULE_PROBLEMS:
        return True
    said = list(messages(body.get("errors")))
    return bool(said) and all(any(rule in message for rule in RULE_MESSAGES) for message in said)


def positive_data_acceptance(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis's check, but letting a rule the schema cannot state refuse valid data."""
    if refused_for_a_rule(response):
        return None
    return checks.positive_data_acceptance(ctx, response, case)


def negative_data_rejection(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis's check, but a 412 refuses too: If-Match is evaluated before the
    request's content is read (RFC 9110, 13.2.1), so a stale version may answer first."""
    if response.status_code == 412:
        return None
    return checks.negative_data_rejection(ctx, response, case)


WRAPPED = {
    checks.positive_data_acceptance: positive_data_acceptance,
    checks.negative_data_rejection: negative_data_rejection,
}
CHECKS_RUN = [WRAPPED.get(check, check) for check in BUILT_IN_CHECKS]


def use_real_values(case: Any, real: dict[str, Any]) -> None:
    """On heads, put the clinic's real values in each part of the request left valid.

    A part made invalid on purpose keeps its values, so that it reaches the service as
    invalid as generated (negative_data_rejection expects it refused); a value of
    another type is kept too (`from` is a date in one query, a version in another).
    """
    parts = {
        ParameterLocation.PATH: case.path_parameters,
        ParameterLocation.QUERY: case.query,
        ParameterLocation.BODY: case.body,
    }
    if not is_heads(tuple(parts.values())):
        return
    components = case.meta.components if case.meta is not None else {}
    for location, values in parts.items():
        component = components.get(location)
        if isinstance(values, dict) and (component is None or component.mode.is_positive):
            values.update(
                (name, real[name])
                for name in real.keys() & values.keys()
                if type(values[name]) is type(real[name])
            )


def coverage_cases(operation: Any) -> Iterator[Any]:
    """Schemathesis's coverage cases of an undeclared method or a missing parameter."""
    schema = operation.schema
    for case in CoverageGenerator(
        operation=operation,
        generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
        auth_storage=None,
        override=Override(),
        feedback=FeedbackSources(),
    ):
        data = case.meta.phase.data if case.meta is not None else None
        if isinstance(data, CoveragePhaseData) and data.scenario in COVERAGE_SCENARIOS:
            yield case


def fuzz(app: Flask, auth: Headers, arrange: Callable[[], dict[str, Any]]) -> list[str]:
    """Fuzz every operation; the failures, each with its operation and a curl to reproduce."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # The token is each role's real one; ignored_auth sends every request again without it.
    schema.config.generation.update(with_security_parameters=False)
    public = {(o.method, o.path) for o in served_operations(app) if o.roles is None}
    operations = [result.ok() for result in schema.get_all_operations()]
    # A plan of its own for each operation, arranged before the fuzzer changes the clinic.
    arranged = [arrange() for _ in operations]
    failures = []
    for operation, real in zip(operations, arranged, strict=True):
        is_public = (operation.method.upper(), operation.path) in public
        tokens = {"public": {}} if is_public else {role: auth[role.value] for role in ROLES}
        try:
            fuzz_operation(operation, tokens, real)
        except (Exception, BaseExceptionGroup) as error:  # every failing operation, not one
            failures.append(f"{operation.label}: {error}")
    return failures


def fuzz_operation(operation: Any, tokens: dict[Any, dict[str, str]], real: dict[str, Any]) -> None:
    """Send valid and invalid requests to one operation, each as every role, and check
    each answer (generating the requests costs more than answering them)."""

    def send(case: Any) -> None:
        use_real_values(case, real)
        for role, headers in tokens.items():
            try:
                case.call_and_validate(headers=headers, checks=CHECKS_RUN)
            except (Exception, BaseExceptionGroup) as error:
                error.add_note(f"as {role}")
                raise

    for case in coverage_cases(operation):
        send(case)
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )
    FUZZ_SETTINGS(given(case=cases)(send))()


def test_the_fuzzer_runs_every_check_schemathesis_has() -> None:
    assert {check.__name__ for check in BUILT_IN_CHECKS} == ALL_CHECKS
    assert len(CHECKS_RUN) == len(ALL_CHECKS)


def test_every_operation_answers_as_documented_to_the_admin_front_desk_and_therapist(
    app: Flask, auth: Headers, arrange: Callable[[], dict[str, Any]]
) -> None:
    failures = fuzz(app, auth, arrange)

    assert not failures, "\n\n".join(failures)
