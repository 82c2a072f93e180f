"""A clash as the desk reads it: whose booking is in the way, never an id."""

from __future__ import annotations

import re
from uuid import UUID

from service.domain.client import Client
from service.domain.errors import DomainError, SlotTaken
from service.http.context import regimen
from service.web.forms import problem_text

HELD_BY = re.compile(r"\(plan ([0-9a-f-]{36}), session (\d+)\)")  # service/domain/calendar.py


def client_of_plan(record_id: str) -> str:
    """The name of the client whose plan or visit holds a clashing booking."""
    try:
        record = regimen().chart_of(UUID(record_id))
        return regimen().load(Client, record.client_id).name
    except (DomainError, ValueError):
        return "another booking"


def held_by(match: re.Match[str]) -> str:
    """'(plan …, session 2)' -> '(Cora Client, session 2)'; a visit's one session is 0."""
    what = "a visit" if match[2] == "0" else f"session {match[2]}"
    return f"({client_of_plan(match[1])}, {what})"


def clash_text(problem: DomainError) -> str:
    """A refused booking or move, each booking in the way named by its client."""
    text = problem_text(problem)
    if not isinstance(problem, SlotTaken):
        return text
    named = HELD_BY.sub(held_by, text).rstrip(".")
    return f"That time is not free. {named}. Choose another time, therapist or room."
