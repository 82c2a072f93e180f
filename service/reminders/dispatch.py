"""One dispatch pass: claim due reminders, re-check them against the events, send, record."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from service.adapters.channels import DeliveryFailed, Outgoing, Sender
from service.domain.client import Client
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.clinic_contact import NO_CONTACT
from service.domain.plan import TreatmentPlan
from service.domain.reminders import Channel
from service.domain.staff import Room, Therapist
from service.domain.text import one_line
from service.domain.values import Session, SessionStatus
from service.domain.visit import Visit
from service.reminders.claims import (
    Claim,
    DispatchReport,
    Outbox,
    RetryPolicy,
    deliver_claimed,
    settle_failure,
)
from service.reminders.client_links import ClientPageLinker
from service.reminders.language import clinic_language, named_clinic
from service.reminders.messages import CalendarLinks, ClientActions, SessionFacts, email_message
from service.reminders.sms import sms_message

LOG = logging.getLogger("regimen.reminders")

A = TypeVar("A", bound=Aggregate)
BATCH = 50


class Facts(Protocol):
    """The event store, for the last word on a session before its reminder goes out."""

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate now, or None."""

    def current(self, ids: Iterable[UUID], *, shared: bool = False) -> Mapping[UUID, Aggregate]:
        """These aggregates now (those that exist), read together; `shared`: the store's
        own kept aggregates rather than copies, to be read and never changed."""


class CalendarLinker(Protocol):
    """Makes the calendar links a client's message carries (the feed's token is not kept)."""

    def __call__(self, client: Client, plan_id: UUID, number: int) -> CalendarLinks | None:
        """The feed's webcal and https links and the session's .ics, or None."""


def session_facts(
    client: Client,
    session: Session,
    clinic: Clinic | None,
    name: Callable[[type[Room] | type[Therapist], UUID | None], str],
    *,
    calendar: CalendarLinks | None,
    actions: ClientActions | None,
) -> SessionFacts:
    """What a message about this session says: names, times, the clinic's contact and rule."""
    return SessionFacts(
        client_name=client.name,
        start=session.time.start,
        minutes=session.time.minutes,
        client_zone=client.zone,
        clinic_name=named_clinic(clinic),
        room_name=name(Room, session.room_id),
        therapist_name=name(Therapist, session.therapist_id),
        cancellation_window_hours=clinic.cancellation_window_hours if clinic else 0,
        calendar=calendar,
        contact=clinic.contact if clinic else NO_CONTACT,
        actions=actions,
        language=clinic_language(clinic),
    )


class NotWanted(Exception):
    """The reminder should no longer go out: the reason."""


class Dispatcher:
    """Sends due reminders exactly once, however many dispatchers run at the same time."""

    def __init__(
        self,
        *,
        outbox: Outbox,
        facts: Facts,
        senders: Mapping[Channel, Sender],
        refresh: Callable[[datetime], object],
        worker: str,
        policy: RetryPolicy | None = None,
        batch: int = BATCH,
        calendar_links: CalendarLinker | None = None,
        client_links: ClientPageLinker | None = None,
    ) -> None:
        self.outbox = outbox
        self.facts = facts
        self.senders = senders
        self.refresh = refresh
        self.worker = worker
        self.policy = policy or RetryPolicy()
        self.batch = batch
        self.calendar_links = calendar_links
        self.client_links = client_links
        self._clinic_now: Clinic | None = None  # these three last one pass
        self._names: dict[UUID, str] = {}
        self._unreachable: dict[Channel, DeliveryFailed] = {}

    def dispatch(self, now: datetime) -> DispatchReport:
        """Bring the schedule up to date, then send every reminder due at `now`."""
        self.refresh(now)
        report = DispatchReport(failed=self.outbox.give_up_on_started(now))
        self._clinic_now, self._names, self._unreachable = None, {}, {}
        deliver_claimed(
            lambda: self.outbox.claim(now, self.worker, self.batch),
            lambda claim: self._deliver(claim, now, report),
            self.senders,
            # The batch's plans and clients read together; each send then reads only
            # what was stored since (the store keeps what it last read).
            lambda claims: self.facts.current(
                [i for c in claims for i in (c.plan_id, c.client_id)], shared=True
            ),
        )
        return report

    def _deliver(self, claim: Claim, now: datetime, report: DispatchReport) -> None:
        try:
            address, facts = self._facts(claim, now)
        except NotWanted as reason:
            self.outbox.cancelled(claim, now, str(reason))
            report.cancelled += 1
            return
        except DeliveryFailed as error:
            self.outbox.failed(claim, now, str(error))
            report.failed += 1
            return
        try:
            self._send(claim, address, facts, now)
        except DeliveryFailed as error:
            next_try = self.policy.retry_at(
                claim.attempts + 1, now, transient=error.transient, deadline=claim.session_start
            )
            settle_failure(self.outbox, claim, now, str(error), next_try, report)
            return
        self.outbox.sent(claim, now)
        report.sent += 1

    def _send(self, claim: Claim, address: str, facts: SessionFacts, now: datetime) -> None:
        """Build the message and send it, unless the channel's server was unreachable earlier
        in this pass.

        Anything else that goes wrong with this one message (text stored before today's
        checks, a fault in a channel) fails this message alone: its claim is settled and
        the pass goes on, rather than leaving it claimed and the rest unsent.
        """
        channel = claim.channel
        if channel in self._unreachable:
            raise self._unreachable[channel]
        sender = self.senders[channel]
        try:
            message = email_message(facts) if channel is Channel.EMAIL else sms_message(facts)
            sender.send(
                Outgoing(
                    key=claim.key,
                    to=address,
                    subject=message.subject,
                    text=message.text,
                    sent_at=now,
                    to_name=facts.client_name,
                    from_name=facts.clinic_name,
                    reply_to=facts.contact.email,
                    client_id=claim.client_id,
                )
            )
        except DeliveryFailed as error:
            if error.unreachable:
                self._unreachable[channel] = error
            raise
        except Exception as error:
            LOG.exception("reminder %s could not be built or sent", claim.key)
            sender.close()  # whatever the channel was in the middle of is in doubt
            raise DeliveryFailed(
                one_line(f"could not be built or sent: {type(error).__name__}: {error}"),
                transient=False,
            ) from error

    def _facts(self, claim: Claim, now: datetime) -> tuple[str, SessionFacts]:
        """The address and what the reminder says, from the plan and the client as stored now.

        They are the store's shared copies: nothing here, in the message or in the links
        changes them (a test compares the kept aggregates before and after a pass).
        """
        found = self.facts.current([claim.plan_id, claim.client_id], shared=True)
        plan, client = found.get(claim.plan_id), found.get(claim.client_id)
        session = self._still_booked(claim, plan)
        if not isinstance(client, Client) or not client.reminder_preferences.consents_to(
            claim.channel
        ):
            raise NotWanted(f"the client no longer consents to {claim.channel.value} reminders")
        address = client.email if claim.channel is Channel.EMAIL else client.phone
        if not address.strip():
            raise DeliveryFailed(
                f"the client has no {claim.channel.value} address", transient=False
            )
        return address, session_facts(
            client,
            session,
            self._clinic(),
            self._name,
            calendar=self._calendar(client, claim),
            actions=self._actions(client, claim, now),
        )

    def _actions(self, client: Client, claim: Claim, now: datetime) -> ClientActions | None:
        """Signed links to the client's page for this session (with a public address only)."""
        if self.client_links is None:
            return None
        return self.client_links(
            client.id, client.link_generation, claim.plan_id, claim.number, now
        )

    def _calendar(self, client: Client, claim: Claim) -> CalendarLinks | None:
        """The client's feed and this session's event, when they have a feed to link to."""
        if self.calendar_links is None or not client.feed_token_hash:
            return None
        return self.calendar_links(client, claim.plan_id, claim.number)

    def _clinic(self) -> Clinic | None:
        """The clinic, loaded once per pass (its name and cancellation window)."""
        if self._clinic_now is None:
            self._clinic_now = self.facts.find(Clinic, CLINIC_ID)
        return self._clinic_now

    def _still_booked(self, claim: Claim, holder: object) -> Session:
        """The session (of a plan, or a visit's) from the event store: booked, at the time
        the reminder was planned for."""
        if isinstance(holder, Visit):
            session = holder.session
        elif isinstance(holder, TreatmentPlan) and holder.is_open:
            session = holder.session(claim.number)
        else:
            raise NotWanted("the plan is closed")
        if session.status is not SessionStatus.BOOKED:
            raise NotWanted(f"the session is {session.status.value}")
        if session.time.start != claim.session_start:
            raise NotWanted("the session moved; its reminders were planned again")
        return session

    def _name(self, cls: type[Room] | type[Therapist], aggregate_id: UUID | None) -> str:
        """A room's or therapist's name, loaded once per pass."""
        if aggregate_id is None:
            return ""
        if aggregate_id not in self._names:
            found = self.facts.find(cls, aggregate_id)
            self._names[aggregate_id] = found.name if found else ""
        return self._names[aggregate_id]
