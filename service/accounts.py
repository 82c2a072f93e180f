"""Staff accounts: tokens shown once, stored as hashes, checked on every request."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from uuid import UUID

from service.domain.errors import InvalidValue, NotFound
from service.domain.users import ROSTER_ID, StaffRoster, User, token_hash
from service.domain.values import Actor, Role
from service.store import BaseApplication

STAFF_ROLES = (Role.ADMIN, Role.FRONT_DESK, Role.THERAPIST, Role.AUDITOR)


@dataclass(frozen=True)
class Account:
    """A staff account as listed: never its token."""

    user_id: UUID
    name: str
    role: Role
    revoked: bool

    @property
    def actor(self) -> Actor:
        """The actor recorded on the events this account causes."""
        return Actor(user_id=str(self.user_id), role=self.role)


def _account(user: User) -> Account:
    return Account(user_id=user.id, name=user.name, role=user.role, revoked=user.revoked)


class Accounts(BaseApplication):
    """Adding, listing, revoking and authenticating staff."""

    def add_user(self, name: str, role: Role, actor: Actor) -> tuple[Account, str]:
        """Create an account; returns it and its token, which is never stored."""
        if role not in STAFF_ROLES:
            raise InvalidValue(f"role must be one of {', '.join(r.value for r in STAFF_ROLES)}")
        if any(a.name == name and not a.revoked for a in self.list_users()):
            raise InvalidValue(f"a user named {name!r} already exists")
        token = secrets.token_urlsafe(32)

        def attempt() -> Account:
            user = User(token_hash=token_hash(token), name=name, role=role, actor=actor)
            roster = self.find(StaffRoster, ROSTER_ID) or StaffRoster(actor)
            roster.enlist(user, actor)
            self.save(user, roster)
            return _account(user)

        return self.retrying(attempt), token

    def list_users(self) -> list[Account]:
        """Every account ever added, revoked ones included."""
        roster = self.find(StaffRoster, ROSTER_ID)
        if roster is None:
            return []
        return [_account(self.load(User, UUID(user_id))) for user_id in roster.users]

    def revoke_user(self, name_or_id: str, actor: Actor) -> Account:
        """Stop an account's token from working."""
        matches = [
            a for a in self.list_users() if not a.revoked and name_or_id in (a.name, str(a.user_id))
        ]
        if not matches:
            raise NotFound(f"no active user {name_or_id!r}")

        def attempt() -> Account:
            user = self.load(User, matches[0].user_id)
            user.revoke(actor)
            self.save(user)
            return _account(user)

        return self.retrying(attempt)

    def authenticate(self, token: str) -> Account | None:
        """The active account holding this token, or None."""
        user = self.find(User, User.create_id(token_hash(token)))
        if user is None or user.revoked:
            return None
        return _account(user)
