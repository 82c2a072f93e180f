"""What any request must be before a view reads it, and what every JSON answer says back.

Installed right after authentication (service.api.auth), so that the idempotency
and If-Match hooks already see a body that is whole and readable:

- A chunked body (no Content-Length) is read up to REGIMEN_MAX_BODY_BYTES here: one
  longer is a 413, as a sized one is. werkzeug would cut it at the limit silently and
  the truncated JSON would answer a misleading 400.
- A request line over MAX_TARGET_BYTES is a 414; more than MAX_FIELDS header fields, or
  one over MAX_FIELD_BYTES, a 431. The server's own limits (service.cli.commands) sit above
  these, so these answers are problems, not the server's plain pages.
- A JSON body the parser cannot read (nested too deeply, or an integer of more digits
  than Python converts) is a 400 like any other unreadable JSON.
- Every JSON answer, problems included, says nosniff and, unless its view chose
  otherwise, Cache-Control: no-store: answers hold clients' details and tokens. So does
  every other answer under the API's prefix (the progress report, HTML or PDF); the
  calendar feed and Swagger UI's files, outside it, keep their own caching.
"""

from __future__ import annotations

import io
import json

from flask import Flask, Response, request

from service.api.problems import problem

MAX_TARGET_BYTES = 4096
MAX_FIELDS = 100
MAX_FIELD_BYTES = 8190
JSON_TYPES = frozenset({"application/json", "application/problem+json"})


def install(app: Flask, prefix: str) -> None:
    """Install the request limits and the answers' headers (before the other checks)."""

    @app.before_request
    def refuse_oversized_requests() -> Response | None:
        target = request.environ.get("RAW_URI") or request.full_path
        if len(target) > MAX_TARGET_BYTES:
            return problem(414, f"the URL is over {MAX_TARGET_BYTES} bytes")
        fields = list(request.headers.items())
        if len(fields) > MAX_FIELDS or any(
            len(name) + len(value) + 2 > MAX_FIELD_BYTES for name, value in fields
        ):
            return problem(
                431,
                f"send at most {MAX_FIELDS} header fields of at most {MAX_FIELD_BYTES} bytes",
            )
        return read_chunked_body(app.config["MAX_CONTENT_LENGTH"])

    @app.before_request
    def refuse_unreadable_json() -> Response | None:
        if not request.is_json or not request.content_length:
            return None
        try:
            json.loads(request.get_data(cache=True))
        except (ValueError, RecursionError):  # a syntax error, too deep, or too many digits
            return problem(400, "the body is not valid JSON (UTF-8), or nests or counts too far")
        return None

    @app.after_request
    def forbid_sniffing_and_storing(response: Response) -> Response:
        json_answer = response.mimetype in JSON_TYPES
        if json_answer:
            response.headers["X-Content-Type-Options"] = "nosniff"
        if json_answer or request.path == prefix or request.path.startswith(prefix + "/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def read_chunked_body(limit: int) -> Response | None:
    """Read a chunked body whole (a 413 if over the limit) and hand it on as a sized one."""
    environ = request.environ
    if request.content_length is not None or not environ.get("wsgi.input_terminated"):
        return None  # sized, or a server that gives no chunked bodies: werkzeug limits it
    body = environ["wsgi.input"].read(limit + 1)
    if len(body) > limit:
        return problem(413, f"the body is over the size limit ({limit} bytes)")
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    request.__dict__.pop("content_length", None)  # werkzeug caches what it read before
    return None
