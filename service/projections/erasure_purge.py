"""What each view deletes when a client is erased: every row about the client.

Replayed from the start (a rebuild), an erased client's events give placeholders, and
the rows they make are deleted again at `ClientErased`: the views end with no trace.
"""

from __future__ import annotations

from typing import Any

from service.projections.rows import Write
from service.projections.view import text

REMINDER_TABLES_BY_CLIENT = (
    "rv_reminder_clients",
    "rv_reminder_plans",
    "rv_reminder_sessions",
    "rv_reminders",
    "reminder_deliveries",  # the outbox: nothing pending is sent to an erased client
)


def _by_client(tables: tuple[str, ...], column: str = "client_id") -> Any:
    def handler(event: Any, _: int) -> list[Write]:
        return [
            (f"DELETE FROM {table} WHERE {column} = %s", (text(event.originator_id),))
            for table in tables
        ]

    return handler


def directory_purged(event: Any, _: int) -> list[Write]:
    """The client's entry in the directory (name, email and phone)."""
    return [
        ("DELETE FROM rv_directory WHERE kind = 'client' AND id = %s", (text(event.originator_id),))
    ]


sessions_purged = _by_client(("rv_sessions", "rv_plans"))
reminders_purged = _by_client(REMINDER_TABLES_BY_CLIENT)


def progress_purged(event: Any, _: int) -> list[Write]:
    """The measures and minutes of the client's plans (the event names them)."""
    return [
        (f"DELETE FROM {table} WHERE plan_id = %s", (text(plan_id),))
        for plan_id in event.plan_ids
        for table in ("rv_measures", "rv_delivered")
    ]


def notices_purged(event: Any, _: int) -> list[Write]:
    """The notices owed for the client's plans and visits (the erasure's own cancellations
    among them), and what was kept of their delivery."""
    writes: list[Write] = []
    for holder in (*event.plan_ids, *event.visit_ids):
        writes += [
            (
                "DELETE FROM notice_deliveries WHERE notice_id IN"
                " (SELECT notice_id FROM rv_client_notices WHERE holder_id = %s)",
                (text(holder),),
            ),
            ("DELETE FROM rv_client_notices WHERE holder_id = %s", (text(holder),)),
        ]
    return writes


def waitlist_purged(event: Any, _: int) -> list[Write]:
    """The client's waitlist entries, the offers sent to them and their offer messages."""
    client = text(event.originator_id)
    return [
        (
            "DELETE FROM rv_waitlist_offered WHERE entry_id IN"
            " (SELECT entry_id FROM rv_waitlist_entries WHERE client_id = %s)",
            (client,),
        ),
        ("DELETE FROM waitlist_offer_messages WHERE client_id = %s", (client,)),
        ("DELETE FROM rv_waitlist_entries WHERE client_id = %s", (client,)),
    ]
