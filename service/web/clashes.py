"""A clash as the desk reads it: whose booking is in the way, never an id."""

from __future__ import annotations

from uuid import UUID

from service.domain.client import Client
from service.domain.errors import DomainError, SlotTaken
from service.http.context import regimen
from service.web.forms import problem_text
from service.web.preview import readable


def client_of_plan(record_id: str) -> str:
    """The name of the client whose plan or visit holds a clashing booking."""
    try:
        record = regimen().chart_of(UUID(record_id))
        return regimen().load(Client, record.client_id).name
    except (DomainError, ValueError):
        return "another booking"


def clash_text(problem: DomainError) -> str:
    """A refused booking or move in a sentence or two: each reason with the client in the way."""
    if not isinstance(problem, SlotTaken):
        return problem_text(problem)
    reasons = [readable(part.strip(), client_of_plan) for part in str(problem).split(";")]
    return f"That time is not free. {'. '.join(reasons)}. Choose another time, therapist or room."
