"""The API's own description, its health check, and routes or methods it does not have."""

from __future__ import annotations

import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.helpers import Headers, assert_problem

NOT_OPERATIONS = {"HEAD", "OPTIONS"}
NOT_DOCUMENTED = {
    "static",
    "api-docs.openapi_json",
    "api-docs.openapi_swagger_ui",
    "docs_assets.swagger_ui_asset",
}


def documented_form(rule: str) -> str:
    """A Flask rule as OpenAPI writes its path: /plans/<uuid:plan_id> -> /plans/{plan_id}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_the_openapi_document_describes_every_route_and_method_of_the_service(
    app: Flask, client: FlaskClient
) -> None:
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    spec = json.loads(response.get_data(as_text=True))
    served = {
        (documented_form(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in NOT_DOCUMENTED
        and not rule.endpoint.startswith("web.")  # the front desk's HTML pages, not the API
        and not rule.endpoint.startswith("client.")  # the client's HTML page, not the API
        for method in (rule.methods or set()) - NOT_OPERATIONS
    }
    documented = {
        (path, method)
        for path, operations in spec["paths"].items()
        for method in operations
        if method != "parameters"
    }
    assert len(served) >= 25
    assert documented == served


def test_the_openapi_document_declares_bearer_auth_on_every_api_operation(
    client: FlaskClient,
) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()

    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    guarded = [
        (method, path, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if path.startswith("/api/v1/") and method != "parameters"
    ]
    assert len(guarded) >= 45
    for method, path, operation in guarded:
        assert operation["security"] == [{"bearerAuth": []}], (method, path)


def test_the_interactive_docs_answer_with_files_from_this_server(client: FlaskClient) -> None:
    response = client.get("/api/docs")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "/api/v1/openapi.json" in page
    assert "https://" not in page and "http://" not in page  # no CDN
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"):
        assert f'"/api/docs/assets/{asset}"' in page
        with client.get(f"/api/docs/assets/{asset}") as served:
            assert served.status_code == 200 and len(served.data) > 1000, asset
    assert client.get("/api/docs/assets/../../setup.cfg").status_code == 404


def test_health_answers_without_a_token(client: FlaskClient) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    "url", ["/nowhere", "/api/v1/nowhere", "/api/v2/plans", "/api/v1/plans/x/y/z"]
)
def test_an_unknown_route_is_a_not_found_problem(
    client: FlaskClient, auth: Headers, url: str
) -> None:
    response = client.get(url, headers=auth["admin"])

    assert_problem(response, 404, "not found")


def test_a_method_the_route_does_not_have_is_a_method_not_allowed_problem(
    client: FlaskClient, auth: Headers
) -> None:
    response = client.delete("/api/v1/clinic", headers=auth["admin"])

    assert_problem(response, 405, "not allowed")


def test_a_method_not_allowed_answer_lists_the_allowed_methods(
    client: FlaskClient, auth: Headers
) -> None:
    response = client.delete("/api/v1/clinic", headers=auth["admin"])

    assert set(response.headers.get("Allow", "").replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
        "PUT",
    }
