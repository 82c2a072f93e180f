"""The audit tests' story: a plan proposed, booked, moved, treated three times and revised.

Every step is one command that adds exactly one event to the plan, and the plan is
read (the ordinary way, as it stands) after each, so every version's expected state
is known without replaying anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from service.application import Regimen
from service.application.commands import PlanRevision, Slot
from service.domain.proposal import PlanProposal
from service.domain.values import SeriesSpec
from tests.api.helpers import book, evaluate, perform
from tests.builders import DESK, THERAPIST, ZONE, Clinic, proposal

EVENT_TYPES = [
    "PlanProposed",
    "PlanAgreed",
    "SessionBooked",
    "SessionBooked",
    "SessionBooked",
    "SessionRescheduled",
    "SessionPerformed",
    "OutcomeEvaluated",
    "SessionPerformed",
    "OutcomeEvaluated",
    "SessionPerformed",
    "OutcomeEvaluated",
    "PlanRevised",
]
BOOKED_FROM = datetime(2026, 3, 2, 8, tzinfo=UTC)
REVISED_AT = datetime(2026, 3, 24, 9, tzinfo=UTC)


@dataclass
class Story:
    """The plan's id and what the plan looked like after each version."""

    plan_id: UUID
    states: dict[int, Any] = field(default_factory=dict)

    @property
    def last_version(self) -> int:
        """The plan's version at the end of the story."""
        return max(self.states)


def treated_and_revised(
    regimen: Regimen, clinic: Clinic, read: Callable[[UUID], Any], notes: str = ""
) -> Story:
    """Tell the story; `read(plan_id)` records how the plan looks after each step."""
    plan_id = regimen.propose_plan(PlanProposal(**proposal(clinic)), actor=THERAPIST)
    story = Story(plan_id)

    def step(command: Callable[[], object]) -> None:
        command()
        story.states[len(story.states) + 1] = read(plan_id)

    story.states[1] = read(plan_id)
    step(lambda: regimen.agree_plan(plan_id, actor=DESK))
    for day in ("2026-03-09", "2026-03-16", "2026-03-23"):
        step(lambda day=day: book(regimen, plan_id, f"{day}T10:00", BOOKED_FROM))  # type: ignore[misc]
    step(
        lambda: regimen.reschedule_session(
            plan_id,
            2,
            Slot(local_start=datetime(2026, 3, 17, 11), zone=ZONE),
            actor=DESK,
            now=BOOKED_FROM,
        )
    )
    for number in (1, 2, 3):
        step(lambda number=number: perform(regimen, plan_id, number, 7 - number, notes))  # type: ignore[misc]
        step(lambda number=number: evaluate(regimen, plan_id, number, 5 - number))  # type: ignore[misc]
    step(
        lambda: regimen.revise_plan(
            plan_id,
            PlanRevision(
                SeriesSpec(sessions=6, interval_days=14, session_minutes=60),
                "progressing well: every other week",
            ),
            actor=THERAPIST,
            now=REVISED_AT,
        )
    )
    return story
