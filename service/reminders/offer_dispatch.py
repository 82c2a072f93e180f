"""Sending offers of freed times: claim due offer messages, re-check them, send, record.

The same channels (SMTP, SMS webhook, file outbox), retry policy and claim rules as the
reminders: a message is claimed by one dispatcher, sent by the client's consented channel
(email first, else SMS), and its key is its Message-ID. A message whose offer has been
claimed, closed or moved on before it goes out is cancelled, not sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from service.adapters.channels import DeliveryFailed, Outgoing, Sender
from service.domain.client import Client
from service.domain.clinic import CLINIC_ID, Clinic
from service.domain.reminders import Channel
from service.domain.staff import Therapist
from service.domain.waitlist import OfferStatus, SlotOffer
from service.reminders.claim_links import ClaimLink, ClaimLinker
from service.reminders.claims import DispatchReport, RetryPolicy, deliver_claimed, settle_failure
from service.reminders.dispatch import Facts, NotWanted
from service.reminders.language import clinic_language, named_clinic
from service.reminders.offer_messages import OfferFacts, offer_email, offer_sms

LOG = logging.getLogger("regimen.waitlist")
BATCH = 50


@dataclass(frozen=True)
class OfferClaim:
    """An offer message this dispatcher alone may send, until its lease runs out."""

    message_id: UUID
    offer_id: UUID
    entry_id: UUID
    client_id: UUID
    round: int
    hold_until: datetime
    attempts: int
    token: str


class OfferOutbox(Protocol):
    """Where offer messages are claimed and their outcomes recorded (waitlist_outbox)."""

    def claim(self, now: datetime, worker: str, limit: int) -> list[OfferClaim]:
        """Atomically take up to `limit` unsent messages whose hold has not run out."""

    def give_up_on_lapsed(self, now: datetime) -> int:
        """Mark failed the unsent messages whose hold has run out; returns how many."""

    def finish(
        self, claim: OfferClaim, now: datetime, status: str, *, channel: str = "", error: str = ""
    ) -> bool:
        """Record the outcome: sent, retry (with `next_try`), failed or cancelled."""

    def retry(self, claim: OfferClaim, now: datetime, error: str, next_try: datetime) -> bool:
        """Record a transient failure; claimable again from `next_try`."""

    def failed(self, claim: OfferClaim, now: datetime, error: str) -> bool:
        """Record that the message will not be sent."""


class OfferDispatcher:
    """Sends each round's offer messages once, however many dispatchers run."""

    def __init__(
        self,
        *,
        outbox: OfferOutbox,
        facts: Facts,
        senders: Mapping[Channel, Sender],
        links: ClaimLinker | None,
        worker: str,
        refresh: Callable[[datetime], object] = lambda now: None,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.outbox = outbox
        self.facts = facts
        self.senders = senders
        self.links = links
        self.worker = worker
        self.refresh = refresh
        self.policy = policy or RetryPolicy()

    def dispatch(self, now: datetime) -> DispatchReport:
        """Bring the outbox up to date, then send every offer message still worth sending."""
        self.refresh(now)
        report = DispatchReport(failed=self.outbox.give_up_on_lapsed(now))
        deliver_claimed(
            lambda: self.outbox.claim(now, self.worker, BATCH),
            lambda claim: self._deliver(claim, now, report),
            self.senders,
        )
        return report

    def _deliver(self, claim: OfferClaim, now: datetime, report: DispatchReport) -> None:
        try:
            channel, outgoing = self._outgoing(claim, now)
            sender = self.senders.get(channel)
            if sender is None:
                raise DeliveryFailed(f"no {channel.value} channel is configured", transient=False)
            sender.send(outgoing)
        except NotWanted as reason:
            self.outbox.finish(claim, now, "cancelled", error=str(reason))
            report.cancelled += 1
            return
        except DeliveryFailed as error:
            next_try = self.policy.retry_at(
                claim.attempts + 1, now, transient=error.transient, deadline=claim.hold_until
            )
            settle_failure(self.outbox, claim, now, str(error), next_try, report)
            return
        self.outbox.finish(claim, now, "sent", channel=channel.value)
        report.sent += 1

    def _outgoing(self, claim: OfferClaim, now: datetime) -> tuple[Channel, Outgoing]:
        """The message and its channel, from the offer and the client as stored now."""
        found = self.facts.current([claim.offer_id, claim.client_id])
        offer, client = found.get(claim.offer_id), found.get(claim.client_id)
        if not isinstance(offer, SlotOffer) or offer.status is not OfferStatus.OPEN:
            raise NotWanted("the offer has been claimed or closed")
        if offer.round != claim.round or not offer.on_hold(now):
            raise NotWanted("the offer has moved on to other clients")
        if not isinstance(client, Client):
            raise NotWanted("the client is no longer registered")
        channel, address = _reachable(client)
        if self.links is None:
            raise DeliveryFailed(
                "REGIMEN_PUBLIC_URL is not set: a claim link has nowhere to point",
                transient=False,
            )
        clinic = self.facts.find(Clinic, CLINIC_ID)
        claim_link = ClaimLink(claim.offer_id, claim.entry_id, claim.round)
        therapist = self.facts.find(Therapist, offer.slot.therapist_id)
        facts = OfferFacts(
            client_name=client.name,
            start=offer.slot.time.start,
            minutes=offer.slot.time.minutes,
            client_zone=client.zone,
            clinic_name=named_clinic(clinic),
            therapist_name=therapist.name if therapist else "",
            hold_until=claim.hold_until,
            link=self.links(claim_link, now, short=channel is Channel.SMS),
            language=clinic_language(clinic),
        )
        message = offer_email(facts) if channel is Channel.EMAIL else offer_sms(facts)
        outgoing = Outgoing(
            key=claim.message_id,
            to=address,
            subject=message.subject,
            text=message.text,
            sent_at=now,
            to_name=client.name,
            client_id=claim.client_id,
        )
        return channel, outgoing


def _reachable(client: Client) -> tuple[Channel, str]:
    """The first channel the client consented to and has an address for: email, then SMS."""
    for channel, address in ((Channel.EMAIL, client.email), (Channel.SMS, client.phone)):
        if client.reminder_preferences.consents_to(channel) and address.strip():
            return channel, address
    raise DeliveryFailed("the client consents to no channel with an address", transient=False)
