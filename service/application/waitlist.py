"""The waitlist: clients join and leave it; freed times are offered round by round.

Offering is the scheduler's work, not a side effect of a cancellation request: the
waitlist view records each cancellation, and a job offers what it finds (see
bootstrap). The offer's id follows from the cancelled session, so a pass repeated
after a crash finds the offer made and makes no second one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate

from service.adapters.store import BaseApplication, retried
from service.domain.client import Client
from service.domain.errors import DomainError, RuleViolated
from service.domain.plan import TreatmentPlan
from service.domain.staff import Therapist
from service.domain.values import Actor, PlanStatus, Role, SessionStatus
from service.domain.visit import Visit
from service.domain.waitlist import (
    AlreadyWaiting,
    EntryStatus,
    FreedSlot,
    OfferStatus,
    SlotOffer,
    WaitlistEntry,
    WaitlistRequest,
    offer_id,
    waitlist_entry_id,
)
from service.domain.waitlist_policy import POLICY_ID, WaitlistPolicy
from service.domain.waitlist_ranking import Candidate, days_behind_pace, next_round, rank

WAITLIST = Actor(user_id="waitlist", role=Role.SYSTEM)
LOG = logging.getLogger("regimen.waitlist")


class WaitlistBoard(Protocol):
    """What the waitlist's view tells the offering pass (projections' WaitlistQueries)."""

    def waiting_for(self, therapist_id: str) -> list[str]:
        """The waiting entries that would take this therapist."""

    def freed_to_offer(self) -> list[tuple[str, int]]:
        """Cancelled sessions and visits not offered yet: (holder id, number)."""

    def lapsed_offers(self, now: datetime) -> list[tuple[str, str]]:
        """Open offers whose hold has run out: (offer id, therapist id)."""

    def mark_offered(self, holder_id: str, number: int) -> None:
        """Record that a freed time was dealt with."""

    def booked_between(self, clients: Sequence[str], start: datetime, end: datetime) -> set[str]:
        """Those of these clients with a session or visit booked that overlaps [start, end)."""


class WaitingClients(Protocol):
    """What the waitlist's view tells a join (projections' WaitlistQueries, caught up)."""

    def entries_of(self, client_id: str) -> list[str]:
        """Every entry the client has had, waiting or not."""


@dataclass
class WaitlistPass:
    """What one offering pass did."""

    offered: int = 0
    moved_on: int = 0
    closed: int = 0
    failed: int = 0  # freed times or offers that raised (logged; tried again next pass)

    def count(self, offer: SlotOffer | None, *, moved: bool = False) -> None:
        """Count an offer made or moved on: still open (sent to a round), or closed."""
        if offer is not None and offer.status is OfferStatus.OPEN:
            if moved:
                self.moved_on += 1
            else:
                self.offered += 1
        elif offer is not None and offer.status is OfferStatus.CLOSED:
            self.closed += 1


def candidate(entry: WaitlistEntry, plan: Aggregate | None, now: datetime, zone: str) -> Candidate:
    """A waiting entry as the ranking sees it: its plan's pace and session length."""
    if not isinstance(plan, TreatmentPlan):
        return Candidate(entry.id, entry.request, entry.joined_at)
    local = ZoneInfo(zone)
    performed = [
        s.time.start.astimezone(local).date() for s in plan.sessions_in(SessionStatus.PERFORMED)
    ]
    upcoming = plan.future_bookings(now)
    next_on = upcoming[0].time.start.astimezone(local).date() if upcoming else None
    return Candidate(
        entry.id,
        entry.request,
        entry.joined_at,
        days_behind=days_behind_pace(
            plan.series.interval_days, performed, next_on, now.astimezone(local).date()
        ),
        session_minutes=plan.series.session_minutes,
        bookable=plan.status is PlanStatus.AGREED and plan.sessions_to_book > 0,
    )


class Waitlists(BaseApplication):
    """Joining and leaving the waitlist, its settings, and offering freed times."""

    @retried
    def join_waitlist(
        self, request: WaitlistRequest, *, actor: Actor, now: datetime, listed: WaitingClients
    ) -> WaitlistEntry:
        """Put a client on the waitlist (for a therapist or any, for a plan or a visit);
        AlreadyWaiting if one of the client's waiting entries asks for that already.

        The view, caught up by the caller, names the client's entries; the store says how
        each stands now. The new entry's id follows from the request and those entries, so
        the same request sent twice at once (a double click, a resent request) makes one
        entry: the second save fails, and its retry finds the first. Two joins that differ
        but overlap, sent within the moment before the view has the first, can both be
        kept; the desk takes one off.
        """
        self.load(Client, request.client_id).require_not_erased()
        if request.therapist_id is not None:
            self.load(Therapist, request.therapist_id)
        if request.plan_id is not None:
            plan = self.load(TreatmentPlan, request.plan_id)
            if plan.client_id != request.client_id:
                raise RuleViolated("the plan is another client's")
            if plan.status is not PlanStatus.AGREED:
                raise RuleViolated("only an agreed, open plan can wait for its next session")
        known = [UUID(entry) for entry in listed.entries_of(str(request.client_id))]
        new_id = waitlist_entry_id(request, known)
        self._refuse_repeat(request, [*known, new_id])
        entry = WaitlistEntry(request, now, actor, id=new_id)
        self.save(entry)
        return entry

    def _refuse_repeat(self, request: WaitlistRequest, entry_ids: list[UUID]) -> None:
        """Raise AlreadyWaiting if one of these entries still waits for what `request` asks."""
        for entry in self.current(entry_ids).values():
            if (
                isinstance(entry, WaitlistEntry)
                and entry.status is EntryStatus.WAITING
                and request.repeats(entry.request)
            ):
                raise AlreadyWaiting(
                    "the client already waits for this, at times that overlap: leave that "
                    "entry first to change its times",
                    entry_id=str(entry.id),
                )

    def leave_waitlist(self, entry_id: UUID, *, reason: str, actor: Actor) -> WaitlistEntry:
        """Take a client off the waitlist."""
        return self.change(WaitlistEntry, entry_id, lambda e: e.leave(reason=reason, actor=actor))

    def waitlist_entry(self, entry_id: UUID) -> WaitlistEntry:
        """A waitlist entry as it stands."""
        return self.load(WaitlistEntry, entry_id)

    def slot_offer(self, offer_id: UUID) -> SlotOffer:
        """An offer of a freed time as it stands."""
        return self.load(SlotOffer, offer_id)

    def waitlist_policy(self) -> WaitlistPolicy:
        """The hold and round size; the defaults until an administrator sets them."""
        return self.find(WaitlistPolicy, POLICY_ID) or WaitlistPolicy(actor=WAITLIST)

    @retried
    def set_waitlist_policy(
        self, *, hold_minutes: int, round_size: int, actor: Actor
    ) -> WaitlistPolicy:
        """Change how long an offer is held and how many clients each round reaches."""
        policy = self.find(WaitlistPolicy, POLICY_ID) or WaitlistPolicy(actor=actor)
        policy.set(hold_minutes=hold_minutes, round_size=round_size, actor=actor)
        if policy.pending_events:
            self.save(policy)
        return policy

    def run_waitlist(self, board: WaitlistBoard, now: datetime) -> WaitlistPass:
        """Offer every freed time not offered yet, then move on every offer whose hold ran
        out; each freed time is marked dealt with only after its offer is saved."""
        done = WaitlistPass()
        for holder, number in board.freed_to_offer():
            try:
                made = self.offer_freed_slot(UUID(holder), number, board, now=now)
            except DomainError:  # one freed time that cannot be offered holds up no other
                LOG.exception("the time freed by %s/%s could not be offered", holder, number)
                done.failed += 1
                continue
            board.mark_offered(holder, number)
            done.count(made)
        for offer, _ in board.lapsed_offers(now):
            try:
                done.count(self.move_offer_on(UUID(offer), board, now=now), moved=True)
            except DomainError:
                LOG.exception("offer %s could not move on", offer)
                done.failed += 1
        return done

    @retried
    def offer_freed_slot(
        self, holder_id: UUID, number: int, board: WaitlistBoard, *, now: datetime
    ) -> SlotOffer | None:
        """Offer the time a cancelled session or visit freed to the first round of waiting
        clients (or close the offer at once when no one matches). None when there is
        nothing to offer: offered already, not cancelled, or no longer in the future."""
        if self.find(SlotOffer, offer_id(holder_id, number)) is not None:
            return None
        slot = self._freed(holder_id, number)
        if slot is None or slot.time.start <= now:
            return None
        offer = SlotOffer.open(slot, WAITLIST)
        self._next_round(offer, board, now)
        self.save(offer)
        return offer

    @retried
    def move_offer_on(
        self, offer_id: UUID, board: WaitlistBoard, *, now: datetime
    ) -> SlotOffer | None:
        """Once its hold has run out unclaimed, send the offer to the next round of waiting
        clients, or close it; None if it is not open or still held."""
        offer = self.load(SlotOffer, offer_id)
        if offer.status is not OfferStatus.OPEN or offer.on_hold(now):
            return None
        if offer.round > offer.lapsed_round:
            offer.lapse(now=now, actor=WAITLIST)
        self._next_round(offer, board, now)
        self.save(offer)
        return offer

    def _next_round(self, offer: SlotOffer, board: WaitlistBoard, now: datetime) -> None:
        """Send the offer to the best-placed entries not offered it yet, or close it."""
        if offer.slot.time.start <= now:
            offer.close(reason="the time has begun", actor=WAITLIST)
            return
        policy = self.waitlist_policy()
        waiting = [UUID(e) for e in board.waiting_for(str(offer.slot.therapist_id))]
        ranked = rank(self._candidates(waiting, offer.slot, board, now), offer.slot, now)
        chosen = next_round(ranked, offer.offered, policy.round_size)
        if not chosen:
            offer.close(reason="no one else waiting matches", actor=WAITLIST)
            return
        offer.send(chosen, hold=policy.hold, now=now, actor=WAITLIST)

    def _candidates(
        self, waiting: Iterable[UUID], slot: FreedSlot, board: WaitlistBoard, now: datetime
    ) -> list[Candidate]:
        """The waiting entries among these ids, with their plans read in one query, each
        marked if its client is booked elsewhere at the freed time."""
        entries = [
            e
            for e in self.current(waiting).values()
            if isinstance(e, WaitlistEntry) and e.status is EntryStatus.WAITING
        ]
        plans: Mapping[UUID, Aggregate] = self.current(
            e.request.plan_id for e in entries if e.request.plan_id is not None
        )
        zone = slot.time.zone
        clients = sorted({str(e.request.client_id) for e in entries})
        busy = board.booked_between(clients, slot.time.start, slot.time.end) if clients else set()
        return [
            replace(
                candidate(
                    e, plans.get(e.request.plan_id) if e.request.plan_id else None, now, zone
                ),
                booked_then=str(e.request.client_id) in busy,
            )
            for e in entries
        ]

    def _freed(self, holder_id: UUID, number: int) -> FreedSlot | None:
        """The cancelled session's time, or None if it is not cancelled."""
        holder = self.current([holder_id]).get(holder_id)
        if isinstance(holder, Visit):
            session = holder.session
        elif isinstance(holder, TreatmentPlan) and 1 <= number <= len(holder.sessions):
            session = holder.session(number)
        else:
            return None
        if session.status is not SessionStatus.CANCELLED:
            return None
        return FreedSlot(
            holder_id=holder_id,
            number=number,
            client_id=holder.client_id,
            therapist_id=session.therapist_id,
            room_id=session.room_id,
            time=session.time,
        )
