"""Staff users: a role, a secret token stored only as its hash, and (therapists) who they are."""

from __future__ import annotations

import hashlib
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from service.domain.errors import InvalidValue
from service.domain.events import ActorEvent, AggregateCreated
from service.domain.rules import require_text
from service.domain.values import Actor, Role

ROSTER_ID = uuid5(NAMESPACE_URL, "regimen:staff-roster")


def token_hash(token: str) -> str:
    """The SHA-256 of a token: tokens are random and long, so no salt is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


class User(Aggregate):
    """A staff member's credential, found by the hash of its token."""

    @staticmethod
    def create_id(token_hash: str) -> UUID:
        """Looking a token up is one read by id."""
        return uuid5(NAMESPACE_URL, f"regimen:user:{token_hash}")

    class UserAdded(AggregateCreated):
        """User added."""

        token_hash: str
        name: str
        role: Role
        actor: Actor

    @event(UserAdded)
    def __init__(self, token_hash: str, name: str, role: Role, actor: Actor):
        self.token_hash = token_hash
        self.name = name
        self.role = role
        self.revoked = False
        self.therapist_id: UUID | None = None

    def link_therapist(self, therapist_id: UUID, actor: Actor) -> None:
        """Tie a therapist user to their therapist record: it scopes which charts they see."""
        if self.role is not Role.THERAPIST:
            raise InvalidValue(f"only therapists are linked to a therapist, not {self.role.value}")
        if self.therapist_id != therapist_id:
            self.trigger_event(self.TherapistLinked, therapist_id=therapist_id, actor=actor)

    class TherapistLinked(ActorEvent):
        """Therapist linked."""

        therapist_id: UUID

        def apply(self, aggregate: User) -> None:
            aggregate.therapist_id = self.therapist_id

    def revoke(self, actor: Actor) -> None:
        """Stop the token from working."""
        if not self.revoked:
            self.trigger_event(self.UserRevoked, actor=actor)

    class UserRevoked(ActorEvent):
        """User revoked."""

        def apply(self, aggregate: User) -> None:
            aggregate.revoked = True


class StaffRoster(Aggregate):
    """The list of users, for listing and revoking by name."""

    @staticmethod
    def create_id() -> UUID:
        """One roster per installation."""
        return ROSTER_ID

    class RosterStarted(AggregateCreated):
        """Roster started."""

        actor: Actor

    @event(RosterStarted)
    def __init__(self, actor: Actor) -> None:
        self.users: dict[str, str] = {}

    def enlist(self, user: User, actor: Actor) -> None:
        """Add a user by name; a name is used once."""
        require_text("name", user.name)
        self.trigger_event(
            self.UserEnlisted, user_id=str(user.id), name=user.name, role=user.role, actor=actor
        )

    class UserEnlisted(ActorEvent):
        """User enlisted."""

        user_id: str
        name: str
        role: Role

        def apply(self, aggregate: StaffRoster) -> None:
            aggregate.users[self.user_id] = self.name
