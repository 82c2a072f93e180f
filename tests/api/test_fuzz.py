"""Schemathesis over the app's own OpenAPI document: no 5xx, and every answer as documented.

Every operation of the document is fuzzed in-process (WSGI) with valid and invalid
requests, each sent with a real token: once as a role the operation allows (so the
request reaches the command), once as the front desk (whose reads are redacted).
In about half the requests the generated ids, zones, local times and dates become those of
a real clinic, each operation getting a plan of its own, so that the fuzzer gets past
404 and 422 into the commands. Bounded and derandomized for CI.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.application import Regimen
from service.domain.values import Role
from tests.api.helpers import Headers, book
from tests.api.operations import served_operations
from tests.builders import Clinic, agreed_plan
from tests.fakes import FixedClock

pytestmark = pytest.mark.fuzz

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# About 1.5 minutes on two cores; REGIMEN_FUZZ_EXAMPLES=500 digs deeper, off CI.
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
# In the "allowed" run each operation is called as the first role it allows, in this order.
PREFERENCE = (Role.THERAPIST, Role.ADMIN, Role.FRONT_DESK, Role.AUDITOR)


@pytest.fixture
def arrange(regimen: Regimen, clinic: Clinic, clock: FixedClock) -> Callable[[], dict[str, str]]:
    """Each call: a new agreed plan with session 1 booked; real ids and plausible values."""
    slots = itertools.count()

    def fresh_plan() -> dict[str, str]:
        plan_id = agreed_plan(regimen, clinic)
        slot = next(slots)  # ten a day from Monday 9 March, so that no two collide
        book(regimen, plan_id, f"2026-03-{9 + slot // 10:02}T{8 + slot % 10:02}:00", clock.now)
        return {
            "plan_id": str(plan_id),
            "client_id": str(clinic.client_id),
            "therapist_id": str(clinic.therapist_id),
            "room_id": str(clinic.room_id),
            "number": "1",
            **PLAUSIBLE,
        }

    return fresh_plan


def is_heads(generated: Any) -> bool:
    """A coin flip decided by the generated values, so that a run can be reproduced."""
    return hashlib.sha256(repr(generated).encode()).digest()[0] < 128


def fuzz(
    app: Flask, auth: Headers, arrange: Callable[[], dict[str, str]], as_role: Role | None
) -> list[str]:
    """Fuzz every operation; the failures, each with its operation and a curl to reproduce."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    roles = {(o.method, o.path): o.roles for o in served_operations(app)}
    operations = [result.ok() for result in schema.get_all_operations()]
    # A plan of its own for each operation, arranged before the fuzzer changes the clinic.
    arranged = [arrange() for _ in operations]
    failures = []
    for operation, real in zip(operations, arranged, strict=True):
        allowed = roles[(operation.method.upper(), operation.path)]
        role = as_role or next((r for r in PREFERENCE if r in (allowed or ())), None)
        headers = auth[role.value] if role and allowed else {}
        try:
            fuzz_operation(operation, headers, real)
        except (Exception, BaseExceptionGroup) as error:  # every failing operation, not one
            failures.append(f"{operation.label} as {role}: {error}")
    return failures


def fuzz_operation(operation: Any, headers: dict[str, str], real: dict[str, str]) -> None:
    """Send valid and invalid requests to one operation and check each answer."""
    cases = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @FUZZ_SETTINGS
    @given(case=cases)
    def exercise(case: Any) -> None:
        generated = (case.path_parameters, case.query, case.body)
        if is_heads(generated):
            for values in generated:
                if isinstance(values, dict):
                    values.update((name, real[name]) for name in real.keys() & values.keys())
        case.call_and_validate(headers=headers, checks=CHECKS)

    exercise()


def test_every_operation_answers_as_documented_to_a_role_it_allows(
    app: Flask, auth: Headers, arrange: Callable[[], dict[str, str]]
) -> None:
    failures = fuzz(app, auth, arrange, as_role=None)

    assert not failures, "\n\n".join(failures)


def test_every_operation_answers_as_documented_to_the_front_desk(
    app: Flask, auth: Headers, arrange: Callable[[], dict[str, str]]
) -> None:
    failures = fuzz(app, auth, arrange, as_role=Role.FRONT_DESK)

    assert not failures, "\n\n".join(failures)
