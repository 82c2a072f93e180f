"""The served OpenAPI document is valid OpenAPI 3.0 and names every operation once."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator

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
