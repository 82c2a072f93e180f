"""The served OpenAPI document is valid OpenAPI 3.0 and names every operation once."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator

from service.api.conventions import IF_MATCH

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
