"""The waitlist's view: who waits, which cancellations await an offer, the offers in flight.

It is also the waitlist's process manager's memory. A cancellation (of a plan's session
or a visit) is written here as a freed time to offer, in the transaction that moves the
view's tracking position; the scheduler's waitlist job offers each one and marks it
handled. A crash between the cancellation and the offer loses nothing: the row waits,
and the offer's id follows from the session, so offering it twice makes one offer.

Each round of an offer writes one message per client to `waitlist_offer_messages`,
the offers' outbox: created here, but never cleared or dropped with the view (like the
reminders' deliveries), so a rebuild never sends an offer twice.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from service.domain.client import Client
from service.domain.plan import TreatmentPlan
from service.domain.visit import Visit
from service.domain.waitlist import SlotOffer, WaitlistEntry
from service.projections.erasure_purge import waitlist_purged
from service.projections.rows import Write
from service.projections.view import Event, Handler, View, instant, local_minute, text

# A client's entries and offer messages: what their erasure deletes and their pages list.
BY_CLIENT = (
    "CREATE INDEX IF NOT EXISTS rv_waitlist_entries_by_client"
    " ON rv_waitlist_entries (client_id, joined_at, entry_id)",
    "CREATE INDEX IF NOT EXISTS waitlist_offer_messages_by_client"
    " ON waitlist_offer_messages (client_id)",
)
TABLES = (
    "CREATE TABLE IF NOT EXISTS rv_waitlist_entries ("
    " entry_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, therapist_id TEXT, plan_id TEXT,"
    " windows TEXT NOT NULL, first_day TEXT, last_day TEXT, visit_kind TEXT NOT NULL,"
    " joined_at TEXT NOT NULL, status TEXT NOT NULL, position BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS rv_waitlist_entries_by_status"
    " ON rv_waitlist_entries (status, joined_at)",
    "CREATE TABLE IF NOT EXISTS rv_waitlist_freed ("
    " holder_id TEXT NOT NULL, number INTEGER NOT NULL, position BIGINT NOT NULL,"
    " handled INTEGER NOT NULL, PRIMARY KEY (holder_id, number))",
    "CREATE INDEX IF NOT EXISTS rv_waitlist_freed_pending ON rv_waitlist_freed (handled, position)",
    "CREATE TABLE IF NOT EXISTS rv_waitlist_offers ("
    " offer_id TEXT PRIMARY KEY, holder_id TEXT NOT NULL, number INTEGER NOT NULL,"
    " therapist_id TEXT NOT NULL, room_id TEXT, start_utc TEXT NOT NULL, zone TEXT NOT NULL,"
    " local_start TEXT NOT NULL, minutes INTEGER NOT NULL, status TEXT NOT NULL,"
    " round INTEGER NOT NULL, hold_until TEXT, claimed_entry TEXT, closed_reason TEXT,"
    " opened_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS rv_waitlist_offers_by_status"
    " ON rv_waitlist_offers (status, hold_until)",
    "CREATE TABLE IF NOT EXISTS rv_waitlist_offered ("
    " offer_id TEXT NOT NULL, entry_id TEXT NOT NULL, round INTEGER NOT NULL,"
    " PRIMARY KEY (offer_id, entry_id))",
    "CREATE TABLE IF NOT EXISTS waitlist_offer_messages ("
    " message_id TEXT PRIMARY KEY, offer_id TEXT NOT NULL, entry_id TEXT NOT NULL,"
    " client_id TEXT NOT NULL, round INTEGER NOT NULL, hold_until TEXT NOT NULL,"
    " status TEXT NOT NULL, channel TEXT, attempts INTEGER NOT NULL, next_try_utc TEXT,"
    " claimed_by TEXT, claimed_until TEXT, last_error TEXT, sent_at TEXT)",
    "CREATE INDEX IF NOT EXISTS waitlist_offer_messages_by_status"
    " ON waitlist_offer_messages (status, hold_until)",
    *BY_CLIENT,
)
VIEW_TABLES = ("rv_waitlist_entries", "rv_waitlist_freed", "rv_waitlist_offers")
CLEAR = tuple(f"DELETE FROM {table}" for table in (*VIEW_TABLES, "rv_waitlist_offered"))
DROP = tuple(f"DROP TABLE IF EXISTS {table}" for table in (*VIEW_TABLES, "rv_waitlist_offered"))


def message_key(offer_id: UUID, round: int, entry_id: UUID) -> UUID:
    """The offer message's id: its Message-ID, webhook key and outbox file name."""
    return uuid5(NAMESPACE_URL, f"regimen:waitlist-message:{offer_id}:{round}:{entry_id}")


def windows_text(windows: Any) -> str:
    """'0,1,2 09:00-12:00; 5 10:00-13:00': the weekdays and the local span of each window."""
    return "; ".join(
        f"{','.join(str(d) for d in w.weekdays)} {w.start:%H:%M}-{w.end:%H:%M}" for w in windows
    )


def _joined(event: Any, position: int) -> list[Write]:
    request = event.request
    optional = (request.therapist_id, request.plan_id)
    return [
        (
            "INSERT INTO rv_waitlist_entries VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'waiting', %s)"
            " ON CONFLICT (entry_id) DO NOTHING",
            (
                text(event.originator_id),
                text(request.client_id),
                *(text(value) if value else None for value in optional),
                windows_text(request.windows),
                request.first_day.isoformat() if request.first_day else None,
                request.last_day.isoformat() if request.last_day else None,
                request.visit_kind.value,
                instant(event.joined_at),
                position,
            ),
        )
    ]


def _entry_status(status: str) -> Handler:
    def handler(event: Any, _: int) -> list[Write]:
        return [
            (
                "UPDATE rv_waitlist_entries SET status = %s WHERE entry_id = %s",
                (status, text(event.originator_id)),
            )
        ]

    return handler


def _cancelled(event: Any, position: int) -> list[Write]:
    return [
        (
            "INSERT INTO rv_waitlist_freed VALUES (%s, %s, %s, 0)"
            " ON CONFLICT (holder_id, number) DO NOTHING",
            (text(event.originator_id), event.number, position),
        )
    ]


def _offer_opened(event: Any, _: int) -> list[Write]:
    slot = event.slot
    time = slot.time
    return [
        (
            "INSERT INTO rv_waitlist_offers VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'open', 0, NULL, NULL, NULL, %s)"
            " ON CONFLICT (offer_id) DO NOTHING",
            (
                text(event.originator_id),
                text(slot.holder_id),
                slot.number,
                text(slot.therapist_id),
                text(slot.room_id) if slot.room_id else None,
                instant(time.start),
                time.zone,
                local_minute(time.local_start),
                time.minutes,
                instant(event.timestamp),
            ),
        ),
        (
            "UPDATE rv_waitlist_freed SET handled = 1 WHERE holder_id = %s AND number = %s",
            (text(slot.holder_id), slot.number),
        ),
    ]


def _offer_sent(event: Any, _: int) -> list[Write]:
    offer_id, hold_until = text(event.originator_id), instant(event.hold_until)
    writes: list[Write] = [
        (
            "UPDATE rv_waitlist_offers SET round = %s, hold_until = %s WHERE offer_id = %s",
            (event.round, hold_until, offer_id),
        )
    ]
    for entry_id in event.entry_ids:
        entry = text(entry_id)
        message_id = str(message_key(event.originator_id, event.round, entry_id))
        writes += [
            (
                "INSERT INTO rv_waitlist_offered VALUES (%s, %s, %s)"
                " ON CONFLICT (offer_id, entry_id) DO NOTHING",
                (offer_id, entry, event.round),
            ),
            (
                "INSERT INTO waitlist_offer_messages SELECT %s, %s, e.entry_id, e.client_id,"
                " %s, %s, 'due', NULL, 0, NULL, NULL, NULL, NULL, NULL"
                " FROM rv_waitlist_entries e WHERE e.entry_id = %s"
                " ON CONFLICT (message_id) DO NOTHING",
                (message_id, offer_id, event.round, hold_until, entry),
            ),
        ]
    return writes


def _offer_ended(status: str) -> Handler:
    def handler(event: Any, _: int) -> list[Write]:
        claimed = text(event.entry_id) if status == "claimed" else None
        reason = getattr(event, "reason", None)
        return [
            (
                "UPDATE rv_waitlist_offers SET status = %s, claimed_entry = %s,"
                " closed_reason = %s WHERE offer_id = %s",
                (status, claimed, reason, text(event.originator_id)),
            )
        ]

    return handler


HANDLERS: dict[type[Event], Handler] = {
    WaitlistEntry.WaitlistJoined: _joined,
    WaitlistEntry.WaitlistLeft: _entry_status("left"),
    WaitlistEntry.WaitlistBooked: _entry_status("booked"),
    TreatmentPlan.SessionCancelled: _cancelled,
    Visit.VisitCancelled: _cancelled,
    SlotOffer.SlotOfferOpened: _offer_opened,
    SlotOffer.OfferSent: _offer_sent,
    SlotOffer.OfferClaimed: _offer_ended("claimed"),
    SlotOffer.OfferClosed: _offer_ended("closed"),
    Client.ClientErased: waitlist_purged,
}

WAITLIST = View(name="waitlist", tables=TABLES, clear=CLEAR, drop=DROP, handlers=HANDLERS)
