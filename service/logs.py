"""Logging for every process: JSON lines on stderr, each stamped with the request's id.

`configure_logging` is called once per process by the `regimen` command (serve, scheduler,
projections run, reminders dispatch and the rest); gunicorn's workers inherit it through the
fork, and gunicorn's own messages use the same format (`service.http.server`). Nothing here
knows about Flask: the HTTP layer sets the request id (`service.http.access`) and every
record logged while a request is handled carries it.

What is logged never holds personal data: no names, emails, phone numbers, query strings,
feed or link tokens. Requests are logged by their route template, users by id and role.
"""

from __future__ import annotations

import logging
import re
import secrets
import sys
from contextvars import ContextVar
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

REQUEST_ID: ContextVar[str] = ContextVar("regimen_request_id", default="")
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
FIELDS = ("asctime", "levelname", "name", "process", "message")
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"}
QUIET = {
    "apscheduler": logging.WARNING,  # the scheduler runner logs each run itself
    "werkzeug": logging.WARNING,  # its access lines hold raw paths and query strings
}


def request_id_from(header: str | None) -> str:
    """The id a caller sent (`X-Request-ID`) if it is short and safe to log, else a new one."""
    if header and REQUEST_ID_PATTERN.fullmatch(header):
        return header
    return secrets.token_hex(16)


def current_request_id() -> str:
    """The id of the request being handled in this context ('' outside a request)."""
    return REQUEST_ID.get()


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request being handled, if any."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add `request_id` (a record given one explicitly keeps it)."""
        request_id = current_request_id()
        if request_id and not getattr(record, "request_id", None):
            record.request_id = request_id
        return True


class _Stderr(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a record is emitted (as logging's last resort
    does), so a command run under a test runner that swaps stderr never writes to a closed one."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def json_formatter() -> logging.Formatter:
    """One JSON object a line: time, level, logger, message and any extra fields."""
    return JsonFormatter(
        list(FIELDS),
        rename_fields=RENAMED,
        datefmt="%Y-%m-%dT%H:%M:%S%z",
        json_ensure_ascii=False,
    )


def configure_logging(level: int = logging.INFO, stream: TextIO | None = None) -> None:
    """Send every logger's records to stderr (or `stream`) as JSON lines; safe to call again
    (the handler installed before is replaced, handlers others installed are kept)."""
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "regimen", False):
            root.removeHandler(old)
    handler: logging.Handler = _Stderr() if stream is None else logging.StreamHandler(stream)
    handler.regimen = True  # type: ignore[attr-defined]
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level)
    for name, quiet in QUIET.items():
        logging.getLogger(name).setLevel(quiet)
