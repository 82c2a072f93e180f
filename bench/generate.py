"""Fill a database with a realistic clinic history of about N events, fast.

Plans are built through the domain model (so every event is a real one) and
saved many aggregates per transaction, bypassing only the per-booking
availability checks, which a generator does not need: its bookings never
collide, because each therapist gets one plan per weekly slot.

    python bench/generate.py sqlite:///var/bench/1m.db 1000000
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

from service.application import Regimen
from service.application.calendar_work import CalendarWork
from service.bootstrap import build_regimen
from service.cli.demo import seed_demo
from service.config import Settings
from service.domain.client import Client
from service.domain.plan import TreatmentPlan
from service.domain.proposal import PlanProposal
from service.domain.staff import Therapist
from service.domain.values import Actor, Role
from service.scheduler.recurrence import session_time
from tests.plans import assessment, evaluation, performance, proposal_values

ZONE = "Europe/London"
THERAPIST = Actor(user_id="bench-therapist", role=Role.THERAPIST)
DESK = Actor(user_id="bench-desk", role=Role.FRONT_DESK)
ADMIN = Actor(user_id="bench-admin", role=Role.ADMIN)
START = datetime(2024, 1, 1, 9, 0)
HOURS = range(9, 17)
SAVE_EVERY = 200


def therapists_and_clients(
    regimen: Regimen, therapists: int, clients: int
) -> tuple[list[UUID], list[UUID]]:
    """Register staff and clients in bulk."""
    staff = [
        Therapist.register(
            name=f"Therapist {n:03d}", email="", modalities=("swedish",), actor=ADMIN
        )
        for n in range(therapists)
    ]
    people = [
        Client.register(
            name=f"Client {n:06d}",
            email=f"c{n}@example.org",
            phone="",
            zone=ZONE,
            notes="",
            actor=DESK,
        )
        for n in range(clients)
    ]
    for chunk in range(0, len(staff + people), 500):
        regimen.save(*(staff + people)[chunk : chunk + 500])
    return [t.id for t in staff], [c.id for c in people]


def one_plan(
    regimen: Regimen,
    work: CalendarWork,
    therapist: UUID,
    client: UUID,
    slot: int,
    rng: random.Random,
) -> TreatmentPlan:
    """A weekly plan of 6 sessions in its own slot; most sessions performed and evaluated."""
    plan = TreatmentPlan.propose(
        PlanProposal(
            **proposal_values(
                client,
                therapist,
                None,
                assessment=assessment(pain_level=rng.randint(3, 8)),
                focus_areas=("neck",),
            )
        ),
        THERAPIST,
    )
    plan.agree(DESK)
    week, hour = divmod(slot, len(HOURS) * 5)
    day, hour = divmod(hour, len(HOURS))
    first = START + timedelta(weeks=week * 6, days=day, hours=HOURS[hour] - START.hour)
    for n in range(6):
        session = plan.book_session(
            time=session_time(first + timedelta(weeks=n), ZONE, 60),
            therapist_id=therapist,
            room_id=None,
            actor=DESK,
        )
        work.reserve(plan.id, session)
        if n < 4:
            plan.perform_session(
                session.number,
                actor=THERAPIST,
                now=session.time.end,
                performance=performance(pain_before=rng.randint(2, 8)),
            )
            plan.evaluate_session(
                session.number,
                actor=THERAPIST,
                evaluation=evaluation(pain_after=rng.randint(0, 6)),
            )
    return plan


def generate(database_url: str, target_events: int, seed: int = 7) -> int:
    """Write about `target_events` events; returns the log's last position."""
    rng = random.Random(seed)
    regimen = build_regimen(Settings(database_url=database_url))
    try:
        seed_demo(regimen, ADMIN, now=datetime(2024, 1, 1, tzinfo=UTC))
        plans_needed = max(target_events // 24, 1)  # ~24 events per plan with its calendar days
        therapist_count = max(plans_needed // 400, 3)
        therapists, clients = therapists_and_clients(
            regimen, therapist_count, max(plans_needed // 2, 10)
        )
        slots = [0] * len(therapists)
        pending: list[object] = []
        work = CalendarWork(regimen, DESK)
        for n in range(plans_needed):
            index = n % len(therapists)
            plan = one_plan(
                regimen, work, therapists[index], clients[n % len(clients)], slots[index], rng
            )
            slots[index] += 1
            pending.append(plan)
            if len(pending) >= SAVE_EVERY:
                regimen.save(*pending, *work.changed())  # type: ignore[arg-type]
                pending, work = [], CalendarWork(regimen, DESK)
        if pending:
            regimen.save(*pending, *work.changed())  # type: ignore[arg-type]
        return regimen.recorder.max_notification_id() or 0
    finally:
        regimen.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("events", type=int)
    args = parser.parse_args()
    started = time.perf_counter()
    last = generate(args.database_url, args.events)
    print(f"{last} events in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
