"""A clash as the desk reads it: whose booking is in the way, and what to do next."""

from __future__ import annotations

from service.domain.errors import DomainError, SlotTaken
from service.web.forms import problem_text
from service.web.preview import readable


def clash_text(problem: DomainError) -> str:
    """A refused booking or move in words for the desk; the domain names the client and
    session in the way (service/application/calendar_work.py), each reason time first."""
    if not isinstance(problem, SlotTaken):
        return problem_text(problem)
    reasons = ". ".join(readable(part) for part in str(problem).split(";") if part.strip())
    return f"That time is not free. {reasons}. Choose another time, therapist or room."
