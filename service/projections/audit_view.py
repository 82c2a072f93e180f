"""The audit index: which event, by whom, to which aggregate, when."""

from __future__ import annotations

from functools import cache
from typing import Any

from service.projections.rows import Write
from service.projections.view import View, instant, text

AUDIT_TABLES = (
    "CREATE TABLE IF NOT EXISTS rv_audit ("
    " position BIGINT PRIMARY KEY, originator_id TEXT NOT NULL, version INTEGER NOT NULL,"
    " aggregate TEXT NOT NULL, event_type TEXT NOT NULL, actor_id TEXT, actor_role TEXT,"
    " at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS rv_audit_by_aggregate ON rv_audit (originator_id, position)",
    "CREATE INDEX IF NOT EXISTS rv_audit_by_type ON rv_audit (event_type, position)",
    "CREATE INDEX IF NOT EXISTS rv_audit_by_actor ON rv_audit (actor_id, position)",
    "CREATE INDEX IF NOT EXISTS rv_audit_by_time ON rv_audit (at, position)",
)


@cache  # one entry per kind of event
def _aggregate_and_kind(name: str) -> tuple[str, str]:
    """('TreatmentPlan', 'SessionBooked') for 'TreatmentPlan.SessionBooked'."""
    aggregate, _, kind = name.rpartition(".")
    return aggregate, kind


def _audited(event: Any, position: int) -> list[Write]:
    aggregate, kind = _aggregate_and_kind(type(event).__qualname__)
    actor = getattr(event, "actor", None)
    return [
        (
            "INSERT INTO rv_audit VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (
                position,
                text(event.originator_id),
                event.originator_version,
                aggregate,
                kind,
                actor.user_id if actor else None,
                actor.role.value if actor else None,
                instant(event.timestamp),
            ),
        )
    ]


AUDIT = View(
    name="audit",
    tables=AUDIT_TABLES,
    clear=("DELETE FROM rv_audit",),
    drop=("DROP TABLE IF EXISTS rv_audit",),
    handlers={},
    every_event=_audited,
)

# --- reminders: preferences, sessions and the planned reminders (see reminders.py) ----------
