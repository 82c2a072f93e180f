"""The served OpenAPI document is valid OpenAPI 3.0 and names every operation once."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator

from service.api.conventions import IF_MATCH
from service.api.fields import upcoming_example
from tests.api.helpers import Headers
from tests.builders import Clinic
from tests.fakes import FixedClock

# Query values the server defaults the same whether sent or not: page sizes, lengths.
PAGING_AND_SIZES = {"limit", "after", "duration_minutes", "step_minutes", "expiring_within_days"}
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    """The app's OpenAPI document, as served."""
    return client.get("/api/v1/openapi.json").get_json()


def operation_ids(spec: dict[str, Any]) -> list[str | None]:
    """The operationId of every operation, None where one is missing."""
    return [
        operation.get("operationId")
        for item in spec["paths"].values()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_the_openapi_document_is_valid_openapi_3_0(spec: dict[str, Any]) -> None:
    problems = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in OpenAPIV30SpecValidator(spec).iter_errors()
    ]

    assert not problems, "\n".join(problems)


def test_every_operation_has_an_operation_id(spec: dict[str, Any]) -> None:
    ids = operation_ids(spec)

    assert len(ids) >= 50
    assert None not in ids


def test_no_two_operations_share_an_operation_id(spec: dict[str, Any]) -> None:
    shared = [name for name, count in Counter(operation_ids(spec)).items() if count > 1]

    assert not shared


def test_an_operation_id_names_the_blueprint_the_method_and_the_view(
    spec: dict[str, Any],
) -> None:
    plan = spec["paths"]["/api/v1/plans/{plan_id}"]["get"]
    agree = spec["paths"]["/api/v1/plans/{plan_id}/agree"]["post"]

    assert (plan["operationId"], agree["operationId"]) == ("plans.getPlan", "plans.postAgree")


def test_the_documented_if_match_is_exactly_what_the_service_reads(
    spec: dict[str, Any],
) -> None:
    parameters = spec["paths"]["/api/v1/clinic"]["put"]["parameters"]
    documented = next(p for p in parameters if p["name"] == "If-Match")["schema"]["pattern"]
    samples = ['"3"', 'W/"3", "4"', "*", '"a b"', '"\t"', ' "3" ', '"é"', "3", '"3",']

    assert [bool(re.search(documented, s)) for s in samples] == [
        bool(IF_MATCH.fullmatch(s)) for s in samples
    ]


def test_a_string_in_a_body_documents_the_characters_it_may_not_hold(
    spec: dict[str, Any],
) -> None:
    client = spec["components"]["schemas"]["Client"]["properties"]

    assert re.search(client["name"]["pattern"], "Cora Client")
    assert not re.search(client["name"]["pattern"], "Cora\x01")
    assert not re.search(client["name"]["pattern"], "   ")
    assert re.search(client["notes"]["pattern"], "two\nlines")
    assert not re.search(client["phone"]["pattern"], "two\nlines")


def test_dates_and_local_times_document_the_bookable_years(spec: dict[str, Any]) -> None:
    closure = spec["components"]["schemas"]["Closure"]["properties"]
    booking = spec["components"]["schemas"]["Booking"]["properties"]

    assert re.search(closure["first_day"]["pattern"], "2026-03-09")
    assert not re.search(closure["first_day"]["pattern"], "2101-03-09")
    assert not re.search(booking["start"]["pattern"], "2086-27-04T26:18")


def test_a_nested_object_that_may_be_null_is_that_object_or_null(spec: dict[str, Any]) -> None:
    referral = spec["components"]["schemas"]["PlanProposal"]["properties"]["referral"]

    assert referral["anyOf"][1] == {"type": "object", "nullable": True, "enum": [None]}


# The request bodies a new therapist tries first from /api/docs, and the values they need.
MAIN_COMMANDS = (
    "PlanProposal",
    "Assessment",
    "RangeOfMotion",
    "Series",
    "Booking",
    "SeriesBooking",
    "Performance",
    "EvaluationRequest",
    "VisitBooking",
    "RecordAmendment",
    "EvaluationAmendment",
)


def test_every_value_a_main_command_requires_has_a_realistic_example(
    spec: dict[str, Any],
) -> None:
    schemas = spec["components"]["schemas"]
    for name in MAIN_COMMANDS:
        for field in schemas[name]["required"]:
            value = schemas[name]["properties"][field]
            chosen = "$ref" in value or "enum" in value or value.get("format") == "uuid"
            assert chosen or "example" in value, (name, field)


def test_the_proposal_example_is_a_plausible_assessment_and_a_weekly_series(
    spec: dict[str, Any],
) -> None:
    schemas = spec["components"]["schemas"]
    example = {
        name: {field: value.get("example") for field, value in schemas[name]["properties"].items()}
        for name in ("Assessment", "RangeOfMotion", "Series")
    }

    assert example["Assessment"] == {
        "complaint": "low back pain after lifting",
        "duration": "3 weeks",
        "onset": "sudden",
        "pain_description": "sharp when bending, a dull ache at rest",
        "pain_level": 6,
        "range_of_motion": None,  # a list of RangeOfMotion, shown from its example
        "posture": "guarded, leans to the left",
        "tissue": "hypertonic right erector spinae",
        "measures": [
            {"instrument": "odi", "items": [2, 3, 2, 1, 2, 2, 1, 2, 0, 2], "activities": []}
        ],
    }
    assert example["RangeOfMotion"] == {
        "joint": "lumbar spine",
        "movement": "flexion",
        "degrees": 40,
        "side": "",  # the spine has no side
    }
    assert example["Series"] == {"sessions": 6, "interval_days": 7, "session_minutes": 60}


def test_a_local_time_a_request_sends_shows_an_example_ahead_of_the_clock(
    spec: dict[str, Any],
) -> None:
    schemas = spec["components"]["schemas"]

    # The clock of the test app says Monday 2 March 2026: the Monday after next, at ten.
    assert schemas["Booking"]["properties"]["start"]["example"] == "2026-03-16T10:00"
    assert schemas["VisitBooking"]["properties"]["start"]["example"] == "2026-03-16T10:00"
    assert schemas["SeriesBooking"]["properties"]["first_start"]["example"] == "2026-03-16T10:00"
    time_off = schemas["TimeOff"]["properties"]
    assert (time_off["start"]["example"], time_off["end"]["example"]) == (
        "2026-03-16T13:00",
        "2026-03-16T17:00",
    )


def test_no_header_or_query_value_is_filled_in_for_the_user(spec: dict[str, Any]) -> None:
    parameters = [
        parameter
        for item in spec["paths"].values()
        for method, operation in item.items()
        if method in METHODS
        for parameter in operation.get("parameters", [])
        if parameter["in"] in ("header", "query")
    ]
    if_match = [p for p in parameters if p["name"] == "If-Match"]

    assert len(if_match) >= 20
    assert all('e.g. "3"' in p["description"] for p in if_match)
    for parameter in parameters:
        assert "example" not in parameter and "examples" not in parameter, parameter["name"]
        assert "example" not in parameter["schema"], parameter["name"]
        if parameter["schema"].get("default") not in (None, ""):  # the server's own default
            assert parameter["name"] in PAGING_AND_SIZES, parameter


@pytest.mark.parametrize(
    ("today", "example"),
    [
        (date(2026, 3, 2), "2026-03-16T10:00"),  # a Monday: two weeks on
        (date(2026, 3, 8), "2026-03-16T10:00"),  # a Sunday: eight days on
        (date(2026, 12, 28), "2027-01-11T10:00"),  # over the new year
    ],
)
def test_the_example_local_time_is_the_monday_after_next(today: date, example: str) -> None:
    assert upcoming_example(today, time(10)) == example


def example_body(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    """The body Swagger UI's "Try it out" starts from: each property's example, else its
    default, else (an object) its own example body, else (a list) one example item; an id
    is a placeholder to replace."""
    if "$ref" in schema:
        return example_body(spec, spec["components"]["schemas"][schema["$ref"].split("/")[-1]])
    if "example" in schema or "default" in schema:
        return schema.get("example", schema.get("default"))
    if "anyOf" in schema:
        return example_body(spec, schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("format") == "uuid":
        return "3fa85f64-5717-4562-b3fc-2c963f66afa6"  # Swagger UI's: an id to copy in
    if schema.get("type") == "array":
        return [example_body(spec, schema["items"])]
    if "properties" in schema:
        return {name: example_body(spec, value) for name, value in schema["properties"].items()}
    raise AssertionError(f"no example for {schema}")


def test_the_documented_examples_with_real_ids_are_accepted(
    client: FlaskClient, spec: dict[str, Any], clinic: Clinic, auth: Headers, clock: FixedClock
) -> None:
    schemas = spec["components"]["schemas"]
    ids = {"client_id": str(clinic.client_id), "therapist_id": str(clinic.therapist_id)}
    proposal = {**example_body(spec, schemas["PlanProposal"]), "client_id": ids["client_id"]}
    visit = {**example_body(spec, schemas["VisitBooking"]), **ids}

    proposed = client.post("/api/v1/plans", json=proposal, headers=auth["therapist"])
    booked = client.post("/api/v1/visits", json=visit, headers=auth["front_desk"])
    clock.now = datetime(2026, 3, 16, 11, 0, tzinfo=UTC)  # the example visit has ended
    performed = client.post(
        f"/api/v1/visits/{booked.get_json()['id']}/perform",
        json=example_body(spec, schemas["Performance"]),
        headers=auth["therapist"],
    )

    assert proposed.status_code == 201, proposed.get_json()
    assert booked.status_code == 201, booked.get_json()
    assert performed.status_code == 200, performed.get_json()


def test_every_list_taking_a_cursor_documents_the_refusal_of_a_cursor_not_ours(
    spec: dict[str, Any],
) -> None:
    paged = [
        (path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
        and any(p.get("name") == "cursor" for p in operation.get("parameters", []))
    ]
    assert len(paged) >= 10  # clients, plans, therapists, rooms, reminders, history, ...
    for path, operation in paged:
        assert "400" in operation["responses"], path
