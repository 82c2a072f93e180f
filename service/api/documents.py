"""Documents served in more than one form, as the request's Accept header asks: their media
types, and the 200 response that tells the OpenAPI document which forms there are."""

from __future__ import annotations

from typing import Any

JSON, FHIR_JSON = "application/json", "application/fhir+json"
CSV, HTML, PDF = "text/csv", "text/html", "application/pdf"
NO_STORE = {"Cache-Control": "no-store"}  # a document names a client
BODIES: dict[str, dict[str, str]] = {  # each form's body, as the OpenAPI document says it
    JSON: {"type": "object"},
    FHIR_JSON: {"type": "object"},
    CSV: {"type": "string"},
    HTML: {"type": "string"},
    PDF: {"type": "string", "format": "binary"},
}


def document_responses(description: str, *forms: str) -> dict[str, Any]:
    """The responses of an operation that answers in one of `forms` (for `blp.doc`)."""
    content = {form: {"schema": dict(BODIES[form])} for form in forms}
    return {"200": {"description": description, "content": content}}
