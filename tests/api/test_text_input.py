"""Text at the boundary: never control characters or lone surrogates; one line where meant."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.api.schemas import Strict
from tests.api.helpers import Headers, Refuse, assert_problem, proposal_body
from tests.api.operations import served_operations
from tests.builders import Clinic

pytestmark = pytest.mark.usefixtures("clinic")

CLIENT = {"name": "Ada Lovelace", "email": "ada@example.org", "phone": "020 7946 0000"}
NEVER_TEXT = ["Nul\x00Byte", "\ud800", "bell\x07", "delete\x7f", "next line\x85"]
NOT_ONE_LINE = ["two\nlines", "carriage\rreturn", "tab\there", "line\u2028separator", "\u202eevil"]


@pytest.mark.parametrize(
    ("field", "text"),
    # a name must be one line of text; free-text notes may break lines but are still text
    [("name", t) for t in NEVER_TEXT + NOT_ONE_LINE] + [("notes", t) for t in NEVER_TEXT],
)
def test_a_client_field_given_text_it_cannot_hold_is_refused_at_that_field(
    auth: Headers, field: str, text: str, refused: Refuse
) -> None:
    response = refused(
        "POST",
        "/api/v1/clients",
        json={**CLIENT, field: text},
        headers=auth["front_desk"],
    )

    body = assert_problem(response, 422)
    assert list(body["errors"]["json"]) == [field]


def test_free_text_notes_keep_tabs_and_line_breaks(client: FlaskClient, auth: Headers) -> None:
    notes = "allergic to:\r\n\t- almond oil\n\t- lanolin"

    response = client.post(
        "/api/v1/clients", json={**CLIENT, "notes": notes}, headers=auth["front_desk"]
    )

    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["notes"] == notes


def test_a_zero_width_joiner_in_a_name_is_kept(client: FlaskClient, auth: Headers) -> None:
    name = "Mehr\u200cdad"  # Persian names need the zero-width non-joiner

    response = client.post(
        "/api/v1/clients", json={**CLIENT, "name": name}, headers=auth["front_desk"]
    )

    assert response.status_code == 201, response.get_data(as_text=True)


def test_a_clinic_name_with_a_line_break_is_refused(
    client: FlaskClient, auth: Headers, refused: Refuse
) -> None:
    clinic = client.get("/api/v1/clinic", headers=auth["admin"]).get_json()
    body = {key: clinic[key] for key in ("timezone", "opening_hours")}

    response = refused(
        "PUT",
        "/api/v1/clinic",
        json={**body, "name": "Clinic\r\nBcc: victim@example.org"},
        headers=auth["admin"],
    )

    assert "name" in assert_problem(response, 422)["errors"]["json"]


def test_a_nested_field_is_refused_where_it_is(
    clinic: Clinic, auth: Headers, refused: Refuse
) -> None:
    proposal = proposal_body(clinic)
    proposal["assessment"]["complaint"] = "stiff\nneck"

    response = refused("POST", "/api/v1/plans", json=proposal, headers=auth["therapist"])

    errors = assert_problem(response, 422)["errors"]["json"]
    assert list(errors["assessment"]) == ["complaint"]


def test_an_item_of_a_list_of_text_is_refused(
    clinic: Clinic, auth: Headers, refused: Refuse
) -> None:
    proposal = proposal_body(clinic, focus_areas=["neck", "sh\x00oulders"])

    response = refused("POST", "/api/v1/plans", json=proposal, headers=auth["therapist"])

    assert list(assert_problem(response, 422)["errors"]["json"]) == ["focus_areas"]


def test_a_query_parameter_with_a_nul_is_refused(client: FlaskClient, auth: Headers) -> None:
    response = client.get("/api/v1/clients?q=a%00b", headers=auth["front_desk"])

    assert "q" in assert_problem(response, 422)["errors"]["query"]


def argument_schemas(app: Flask) -> list[ma.Schema]:
    """Every schema an operation loads its arguments with, nested ones included."""
    found: list[ma.Schema] = []
    for operation in served_operations(app):
        view = app.view_functions[operation.endpoint]
        handler: Any = getattr(getattr(view, "view_class", None), operation.method.lower(), view)
        for argument in getattr(handler, "_apidoc", {}).get("arguments", {}).get("parameters", []):
            # Plain OpenAPI parameters (such as the access-reason header) only document a
            # header their view checks itself; every loaded argument is a marshmallow schema.
            if isinstance(argument["schema"], ma.Schema):
                found.append(argument["schema"])
    pending = list(found)
    while pending:
        for field in pending.pop().fields.values():
            inner = getattr(field, "inner", field)
            if isinstance(inner, ma.fields.Nested):
                nested = inner.schema
                found.append(nested)
                pending.append(nested)
    return found


def test_every_schema_that_reads_input_checks_its_text(app: Flask) -> None:
    schemas = argument_schemas(app)

    assert len(schemas) > 20
    assert [type(s).__name__ for s in schemas if not isinstance(s, Strict)] == []
