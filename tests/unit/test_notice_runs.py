"""A run of notice writes folded into one leaves the notices exactly as written one by one."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from service.domain.plan import TreatmentPlan
from service.domain.values import Actor, Role
from service.projections.notice_view import NOTICE_TABLES, NOTICES
from service.projections.rows import Write, coalesce

DESK = Actor(user_id="desk", role=Role.FRONT_DESK)
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
PLANS = (UUID(int=1), UUID(int=2))
booked = NOTICES.handlers[TreatmentPlan.SessionBooked]
cancelled = NOTICES.handlers[TreatmentPlan.SessionCancelled]


@dataclass
class SessionEvent:
    """The fields of a plan's session event that the notices read."""

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    number: int
    actor: Actor = DESK


Statements = Sequence[tuple[str, Sequence[Any]]]


def notices_after(statements: Statements, before: Statements = ()) -> list[tuple[Any, ...]]:
    database = sqlite3.connect(":memory:")
    for table in NOTICE_TABLES:
        database.execute(table)
    for sql, params in (*before, *statements):
        database.execute(sql.replace("%s", "?"), tuple(params))
    return database.execute("SELECT * FROM rv_client_notices ORDER BY notice_id").fetchall()


def one_by_one(writes: Sequence[Write]) -> Statements:
    return [s for w in writes for s in ([w] if isinstance(w, tuple) else w.statements())]


def test_a_booked_series_is_one_notice_written_with_two_statements() -> None:
    writes = [
        w
        for n in range(1, 7)
        for w in booked(SessionEvent(PLANS[0], n + 1, START + timedelta(seconds=n), n), n)
    ]
    statements = coalesce(writes)
    assert len(statements) == 2
    assert notices_after(statements) == notices_after(one_by_one(writes))
    [(_, _, kind, numbers, opened, last)] = notices_after(statements)
    assert (kind, numbers, opened, last) == (
        "booked",
        "1,2,3,4,5,6",
        "2025-03-03T09:00:01Z",
        "2025-03-03T09:00:06Z",
    )


def test_any_order_of_bookings_and_cancellations_gives_the_notices_of_one_by_one() -> None:
    """Gaps under and over a minute, times going back, two plans, two kinds, and notices
    already written by an earlier batch: folded or not, the same rows."""
    rng = random.Random(22)
    for _ in range(300):
        clock = {plan: START + timedelta(seconds=rng.randint(0, 90)) for plan in PLANS}
        writes_of = []
        for version in range(1, rng.randint(2, 12)):
            plan = rng.choice(PLANS)
            clock[plan] += timedelta(seconds=rng.choice((0, 1, 30, 59, 60, 61, 200, -5)))
            handler = rng.choice((booked, booked, cancelled))
            event = SessionEvent(plan, version, clock[plan], rng.randint(1, 9))
            writes_of.append(handler(event, version))
        earlier, now = writes_of[: len(writes_of) // 3], writes_of[len(writes_of) // 3 :]
        before = one_by_one([w for ws in earlier for w in ws])
        writes = [w for ws in now for w in ws]
        expected = notices_after(one_by_one(writes), before)
        assert notices_after(coalesce(writes), before) == expected
