"""Every view the projector keeps, in one list (each view lives in its own module)."""

from __future__ import annotations

from service.projections.audit_view import AUDIT
from service.projections.directory_view import DIRECTORY
from service.projections.notice_view import NOTICES
from service.projections.progress_view import PROGRESS
from service.projections.reminders import (
    REMINDER_CLEAR,
    REMINDER_DROP,
    REMINDER_HANDLERS,
    REMINDER_TABLES,
)
from service.projections.session_view import SESSIONS
from service.projections.view import View, instant
from service.projections.waitlist_view import WAITLIST

__all__ = [
    "ALL_VIEWS",
    "AUDIT",
    "DIRECTORY",
    "NOTICES",
    "PROGRESS",
    "REMINDERS",
    "SESSIONS",
    "View",
    "WAITLIST",
    "instant",
]

REMINDERS = View(
    name="reminders",
    tables=REMINDER_TABLES,
    clear=REMINDER_CLEAR,
    drop=REMINDER_DROP,
    handlers=REMINDER_HANDLERS,
)

ALL_VIEWS: tuple[View, ...] = (SESSIONS, DIRECTORY, AUDIT, REMINDERS, PROGRESS, NOTICES, WAITLIST)
