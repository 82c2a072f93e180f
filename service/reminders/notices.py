"""One pass of notices: claim those due, read the sessions as they are now, send, record.

A notice lists only what is still true when it goes out: a confirmation the sessions still
booked and to come, a move the moved sessions still booked, a cancellation the cancelled
ones. It goes by every channel the client consented to; none, and it is not sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from service.adapters.channels import DeliveryFailed, Outgoing, Sender
from service.domain.client import Client
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.plan import TreatmentPlan
from service.domain.reminders import Channel
from service.domain.staff import Room, Therapist
from service.domain.values import Session, SessionStatus
from service.domain.visit import Visit
from service.reminders.claims import deliver_claimed
from service.reminders.client_links import ClientPageLinker
from service.reminders.dispatch import CalendarLinker, Facts, session_facts
from service.reminders.notice_messages import NoticeFacts, notice_email, notice_sms

LOG = logging.getLogger("regimen.reminders")
BATCH = 50


@dataclass(frozen=True)
class NoticeClaim:
    """A notice one dispatcher holds: whose change, what kind, which sessions."""

    notice_id: UUID
    holder_id: UUID
    kind: str  # booked, moved, cancelled
    numbers: tuple[int, ...]  # the sessions, each once, in order
    token: str


class NoticeClaims(Protocol):
    """The notices' outbox (service/projections/notice_outbox.py)."""

    def claim(self, now: datetime, worker: str, limit: int) -> list[NoticeClaim]:
        """Take up to `limit` due notices."""

    def settle(self, claim: NoticeClaim, now: datetime, status: str, detail: str = "") -> bool:
        """Record what became of a notice."""


@dataclass
class NoticeReport:
    """What one pass did."""

    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)


def _sessions(holder: object, claim: NoticeClaim, now: datetime) -> list[Session]:
    """The notice's sessions as they stand now, those it can still truly tell of."""
    if isinstance(holder, Visit):
        found = [holder.session]
    elif isinstance(holder, TreatmentPlan):
        found = [holder.session(n) for n in claim.numbers if 1 <= n <= len(holder.sessions)]
    else:
        return []
    if claim.kind == "cancelled":
        return [s for s in found if s.status is SessionStatus.CANCELLED]
    return [s for s in found if s.status is SessionStatus.BOOKED and s.time.start > now]


@dataclass
class NoticeDispatcher:
    """Sends each due notice once, however many dispatchers run at the same time."""

    outbox: NoticeClaims
    facts: Facts
    senders: Mapping[Channel, Sender]
    refresh: Callable[[datetime], object]
    worker: str
    calendar_links: CalendarLinker | None = None
    client_links: ClientPageLinker | None = None
    batch: int = BATCH

    def dispatch(self, now: datetime) -> NoticeReport:
        """Bring the notices up to date, then send every one due at `now`."""
        self.refresh(now)
        report = NoticeReport()
        deliver_claimed(
            lambda: self.outbox.claim(now, self.worker, self.batch),
            lambda claim: self._deliver(claim, now, report),
            self.senders,
        )
        return report

    def _deliver(self, claim: NoticeClaim, now: datetime, report: NoticeReport) -> None:
        holder = self.facts.current([claim.holder_id]).get(claim.holder_id)
        sessions = _sessions(holder, claim, now)
        client_id = getattr(holder, "client_id", None)
        client = self.facts.find(Client, client_id) if client_id else None
        channels = [
            c
            for c in (client.reminder_preferences.consented_channels if client else ())
            if _address(client, c)
        ]
        if not sessions or client is None or not channels:
            why = "nothing left to tell" if not sessions else "no consented channel"
            self.outbox.settle(claim, now, "cancelled", why)
            report.cancelled += 1
            return
        facts = self._notice(claim, client, sessions, now)
        errors = [e for e in (self._send(claim, client, c, facts, now) for c in channels) if e]
        report.errors.extend(errors)
        sent_any = len(errors) < len(channels)
        self.outbox.settle(claim, now, "sent" if sent_any else "failed", "; ".join(errors))
        if sent_any:
            report.sent += 1
        else:
            report.failed += 1

    def _notice(
        self, claim: NoticeClaim, client: Client, sessions: list[Session], now: datetime
    ) -> NoticeFacts:
        first = sessions[0]
        clinic = self.facts.find(Clinic, CLINIC_ID)
        calendar = (
            self.calendar_links(client, claim.holder_id, first.number)
            if self.calendar_links and client.feed_token_hash
            else None
        )
        actions = (
            self.client_links(client.id, client.link_generation, claim.holder_id, first.number, now)
            if self.client_links
            else None
        )
        facts = session_facts(client, first, clinic, self._name, calendar=calendar, actions=actions)
        return NoticeFacts(claim.kind, tuple(s.time.start for s in sessions), facts)

    def _send(
        self,
        claim: NoticeClaim,
        client: Client,
        channel: Channel,
        facts: NoticeFacts,
        now: datetime,
    ) -> str:
        """Send by one channel; '' when sent, else what went wrong."""
        message = notice_email(facts) if channel is Channel.EMAIL else notice_sms(facts)
        outgoing = Outgoing(
            key=uuid5(NAMESPACE_URL, f"{claim.notice_id}:{channel.value}"),
            to=_address(client, channel),
            subject=message.subject,
            text=message.text,
            sent_at=now,
            to_name=client.name,
            from_name=facts.first.clinic_name,
            reply_to=facts.first.contact.email,
            client_id=client.id,
        )
        try:
            self.senders[channel].send(outgoing)
        except DeliveryFailed as error:
            return f"{channel.value}: {error}"
        return ""

    def _name(self, cls: type[Room] | type[Therapist], aggregate_id: UUID | None) -> str:
        found = self.facts.find(cls, aggregate_id) if aggregate_id else None
        return found.name if found else ""


def _address(client: Client | None, channel: Channel) -> str:
    if client is None:
        return ""
    return (client.email if channel is Channel.EMAIL else client.phone).strip()
