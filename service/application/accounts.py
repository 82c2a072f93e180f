"""Staff accounts: tokens shown once, stored as hashes, checked on every request."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from uuid import UUID

from service.adapters.store import BaseApplication, retried
from service.domain.errors import InvalidValue, NotFound
from service.domain.staff import Therapist
from service.domain.users import ROSTER_ID, StaffRoster, User, token_hash
from service.domain.values import Actor, Role

STAFF_ROLES = (Role.ADMIN, Role.FRONT_DESK, Role.THERAPIST, Role.AUDITOR)
# How long a process trusts a token it verified without asking the store again: a token
# revoked by another process stops working there within this; in the revoking process, at once.
TOKEN_TRUST = timedelta(seconds=5)
# Whoever runs the `regimen` command on the server: it adds the first accounts, so it is
# none itself, and the audit trail names it as this.
OPERATOR = Actor(user_id="cli", role=Role.ADMIN)
OPERATOR_NAME = "Command line (server operator)"


@dataclass(frozen=True)
class Account:
    """A staff account as listed: never its token."""

    user_id: UUID
    name: str
    role: Role
    revoked: bool
    therapist_id: UUID | None = None  # the therapist record a therapist user is

    @property
    def actor(self) -> Actor:
        """The actor recorded on the events this account causes."""
        return Actor(user_id=str(self.user_id), role=self.role)


def _account(user: User) -> Account:
    return Account(
        user_id=user.id,
        name=user.name,
        role=user.role,
        revoked=user.revoked,
        therapist_id=getattr(user, "therapist_id", None),
    )


class VerifiedTokens:
    """The tokens this process verified in the last `TOKEN_TRUST`, by hash, with their
    accounts: a busy client's requests skip the store's read of its user (a round trip on
    PostgreSQL). Only accounts found active are kept, so unknown tokens cost what they did."""

    def __init__(self, trust: timedelta = TOKEN_TRUST) -> None:
        self.trust = trust
        self.seen: dict[str, tuple[Account, datetime]] = {}

    def get(self, hashed: str, now: datetime) -> Account | None:
        """The account verified for this token hash since `now - trust`, or None."""
        found = self.seen.get(hashed)
        if found is None or not found[1] <= now < found[1] + self.trust:
            return None
        return found[0]

    def put(self, hashed: str, account: Account, now: datetime) -> None:
        """Trust this token for a while from `now`."""
        if len(self.seen) > 10_000:  # tokens are few; only a leak of them would grow this
            self.seen.clear()
        self.seen[hashed] = (account, now)

    def forget(self, user_id: UUID) -> None:
        """Trust no token of this user any more (revoked, or changed)."""
        for hashed, (account, _) in list(self.seen.items()):
            if account.user_id == user_id:
                self.seen.pop(hashed, None)


class Accounts(BaseApplication):
    """Adding, listing, revoking and authenticating staff."""

    @retried
    def add_user(
        self, name: str, role: Role, actor: Actor, therapist_id: UUID | None = None
    ) -> tuple[Account, str]:
        """Create an account (a therapist's linked to their record); returns it and its token."""
        if role not in STAFF_ROLES:
            raise InvalidValue(f"role must be one of {', '.join(r.value for r in STAFF_ROLES)}")
        if any(a.name == name and not a.revoked for a in self.list_users()):
            raise InvalidValue(f"a user named {name!r} already exists")
        token = secrets.token_urlsafe(32)
        user = User(token_hash=token_hash(token), name=name, role=role, actor=actor)
        if therapist_id is not None:
            user.link_therapist(self._therapist(therapist_id), actor)
        roster = self.find(StaffRoster, ROSTER_ID) or StaffRoster(actor)
        roster.enlist(user, actor)
        self.save(user, roster)
        return _account(user), token

    def list_users(self) -> list[Account]:
        """Every account ever added, revoked ones included."""
        roster = self.find(StaffRoster, ROSTER_ID)
        if roster is None:
            return []
        return [_account(self.load(User, UUID(user_id))) for user_id in roster.users]

    def actor_names(self) -> dict[str, str]:
        """Who acted, by user id: every account's name (revoked ones too: they acted; names
        never change) and the command line's."""
        names = {str(a.user_id): a.name for a in self.list_users()}
        return {OPERATOR.user_id: OPERATOR_NAME, **names}

    @retried
    def revoke_user(self, name_or_id: str, actor: Actor) -> Account:
        """Stop an account's token from working."""
        account = self._active(name_or_id)
        self.verified_tokens.forget(account.user_id)
        revoked = _account(self.change(User, account.user_id, lambda u: u.revoke(actor)))
        self.verified_tokens.forget(account.user_id)  # a request may have trusted it meanwhile
        return revoked

    @retried
    def link_user(self, name_or_id: str, therapist_id: UUID, actor: Actor) -> Account:
        """Tie an active therapist user to their therapist record."""
        account = self._active(name_or_id)
        therapist_id = self._therapist(therapist_id)

        linked = _account(
            self.change(User, account.user_id, lambda u: u.link_therapist(therapist_id, actor))
        )
        self.verified_tokens.forget(account.user_id)
        return linked

    def _therapist(self, therapist_id: UUID) -> UUID:
        if self.find(Therapist, therapist_id) is None:
            raise NotFound(f"no therapist with id {therapist_id}")
        return therapist_id

    def _active(self, name_or_id: str) -> Account:
        matches = [
            a for a in self.list_users() if not a.revoked and name_or_id in (a.name, str(a.user_id))
        ]
        if not matches:
            raise NotFound(f"no active user {name_or_id!r}")
        return matches[0]

    @cached_property
    def verified_tokens(self) -> VerifiedTokens:
        """The tokens this process verified lately (see VerifiedTokens)."""
        return VerifiedTokens()

    def authenticate(self, token: str, now: datetime | None = None) -> Account | None:
        """The active account holding this token, or None. Given `now`, a token verified
        in the last `TOKEN_TRUST` is trusted without reading the store again."""
        hashed = token_hash(token)
        if now is not None and (trusted := self.verified_tokens.get(hashed, now)):
            return trusted
        user = self.find(User, User.create_id(hashed))
        if user is None or user.revoked:
            return None
        account = _account(user)
        if now is not None:
            self.verified_tokens.put(hashed, account, now)
        return account
