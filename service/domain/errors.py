"""Named domain errors: each says which rule of the clinic a command broke."""

from __future__ import annotations


class DomainError(Exception):
    """A command broke a rule of the clinic; the message says which, for people.

    `details` carries structured facts for machines (e.g. every conflict of a series).
    """

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.details = details


class NotFound(DomainError):
    """The thing asked for does not exist."""


class ClinicNotSetUp(NotFound):
    """Nothing can be booked or shown before an administrator has set the clinic up."""


class InvalidValue(DomainError, ValueError):
    """A value is out of its allowed range (a pain score of 11, an unknown zone)."""


class InvalidCursor(InvalidValue):
    """A page cursor this service did not give out for this list, or one altered since."""


class RuleViolated(DomainError):
    """The command is valid on its own but conflicts with the current state."""


class PlanClosed(RuleViolated):
    """Nothing changes a completed or cancelled plan."""


class PlanNotAgreed(RuleViolated):
    """Sessions are booked only for plans the client agreed to."""


class SeriesFull(RuleViolated):
    """The plan already has as many sessions as planned."""


class AuthorizationExceeded(RuleViolated):
    """The insurer's authorization does not cover this session."""


class SessionStateError(RuleViolated):
    """The session is not in the state the command needs."""


class SlotTaken(RuleViolated):
    """A therapist or room is already booked at that time."""


class LikelyDuplicate(RuleViolated):
    """The client to register seems registered already: same email, or same name and phone."""


class ConcurrentChange(RuleViolated):
    """Someone else changed the same records at the same moment; try again."""


class AccessDenied(DomainError):
    """The user's role does not allow the command."""


class RetentionHold(RuleViolated):
    """The client's records are inside the clinic's retention period: erasing them needs an
    override with a reason."""


class NothingToShred(RuleViolated):
    """Erasure destroys a client's data key, and without a cipher key there is none."""


class ClientErasedError(RuleViolated):
    """The client was erased: nothing more is booked, proposed or recorded for them."""
