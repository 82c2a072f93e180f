"""How a claimed reminder ended: recorded by the claim's holder alone, committed at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service.application import Regimen
from tests.fakes import CapturingSender
from tests.reminder_scenario import NOW, book_series_of_four, dispatcher_with, schedule

FIRST_DUE = datetime(2026, 3, 7, 10, tzinfo=UTC)  # session 1's 48 h reminder, due alone
LEASE_OVER = FIRST_DUE + timedelta(minutes=11)  # a claim's lease is 10 minutes


def test_only_the_holder_of_a_claim_records_how_it_ended(regimen: Regimen) -> None:
    book_series_of_four(regimen)
    dispatcher = dispatcher_with(regimen, CapturingSender())
    dispatcher.refresh(FIRST_DUE)
    outbox = dispatcher.outbox
    (stale,) = outbox.claim(FIRST_DUE, "crashed", 10)  # and then its holder stalled
    (taken,) = outbox.claim(LEASE_OVER, "survivor", 10)
    assert taken.reminder_id == stale.reminder_id
    assert outbox.sent(stale, LEASE_OVER) is False
    assert outbox.failed(stale, LEASE_OVER, "too late") is False
    assert outbox.sent(taken, LEASE_OVER) is True
    assert outbox.sent(taken, LEASE_OVER) is False  # no longer claimed: recorded once
    (sent,) = schedule(regimen, NOW, status="sent")
    assert (sent["number"], sent["attempts"]) == (1, 1)


def test_a_reminder_recorded_as_sent_is_so_for_another_process_at_once(
    two_processes: tuple[Regimen, Regimen],
) -> None:
    """Two applications on one database stand for two dispatching processes."""
    one, other = two_processes
    book_series_of_four(one)
    dispatcher = dispatcher_with(one, CapturingSender())
    dispatcher.refresh(FIRST_DUE)
    (claim,) = dispatcher.outbox.claim(FIRST_DUE, "one", 10)
    assert dispatcher.outbox.sent(claim, FIRST_DUE)
    # The other process finds it sent, not a claim whose lease ran out.
    elsewhere = dispatcher_with(other, CapturingSender(), refresh=False).outbox
    assert elsewhere.claim(LEASE_OVER, "other", 10) == []
    assert [r["number"] for r in schedule(other, NOW, status="sent")] == [1]
