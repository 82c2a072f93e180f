"""The OpenAPI document states the conventions: headers, preconditions and every problem."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.api.resources import Resources

API = "/api/v1/"
WRITES = {"post", "put", "patch", "delete"}
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    """The app's OpenAPI document."""
    return client.get("/api/v1/openapi.json").get_json()


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every operation of the document."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield method, path, operation


def header_names(operation: dict[str, Any]) -> set[str]:
    """The header parameters an operation documents."""
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}


def test_every_post_documents_the_idempotency_key_and_its_refusals(spec: dict[str, Any]) -> None:
    posts = [(path, op) for method, path, op in operations(spec) if method == "post"]
    assert len(posts) >= 15

    for path, operation in posts:
        assert "Idempotency-Key" in header_names(operation), path
        assert {"409", "422"} <= set(operation["responses"]), path


def test_every_write_to_one_resource_documents_if_match_and_412(
    app: Flask, spec: dict[str, Any]
) -> None:
    resources: Resources = app.extensions["regimen.resources"]
    versioned = [
        (path, op)
        for method, path, op in operations(spec)
        if method in WRITES and resources.parameter(path)
    ]
    assert len(versioned) >= 15

    for path, operation in versioned:
        assert "If-Match" in header_names(operation), path
        assert operation["responses"]["412"]["content"] == PROBLEM, path


def test_every_single_resource_read_documents_its_etag(app: Flask, spec: dict[str, Any]) -> None:
    resources: Resources = app.extensions["regimen.resources"]
    reads = [
        (path, op)
        for method, path, op in operations(spec)
        if method == "get" and resources.is_single_resource(path)
    ]
    assert len(reads) >= 6

    for path, operation in reads:
        assert "ETag" in operation["responses"]["200"]["headers"], path


def test_every_operation_with_a_body_documents_malformed_too_large_and_invalid_bodies(
    spec: dict[str, Any],
) -> None:
    with_body = [(path, op) for _, path, op in operations(spec) if "requestBody" in op]
    assert len(with_body) >= 20

    for path, operation in with_body:
        for status in ("400", "413", "422"):
            assert operation["responses"][status]["content"] == PROBLEM, (path, status)


def test_every_api_operation_documents_not_found(spec: dict[str, Any]) -> None:
    guarded = [
        (path, operation)
        for _, path, operation in operations(spec)
        if path.startswith(API) and "security" in operation
    ]
    assert len(guarded) >= 45  # every operation under /api/v1 that takes a token
    for path, operation in guarded:
        assert "404" in operation["responses"], path


def test_every_error_is_documented_as_a_problem_and_nothing_as_a_catch_all(
    spec: dict[str, Any],
) -> None:
    errors = 0
    for method, path, operation in operations(spec):
        assert "default" not in operation["responses"], (method, path)
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert set(response["content"]) == {"application/problem+json"}, (path, status)
                errors += 1
    assert errors >= 200  # several errors documented for each of the ~50 operations
