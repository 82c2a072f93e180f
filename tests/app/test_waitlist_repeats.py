"""A client waits once for the same thing: a join repeating a waiting entry is refused, even
when sent twice at once, before the view has either."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from service.application import Regimen
from service.domain.waitlist import AlreadyWaiting, WaitlistEntry, WaitlistRequest, Window
from tests.builders import DESK, small_clinic, waitlist_view

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MORNINGS = (Window(weekdays=(0, 1, 2, 3, 4), start=time(9), end=time(12)),)


class ViewNotCaughtUp:
    """The waitlist's view as a join reads it before any entry of the client reached it."""

    def entries_of(self, client_id: str) -> list[str]:
        return []


def test_the_same_join_sent_twice_at_once_makes_one_entry(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    waiting = WaitlistRequest(client_id=clinic.client_id, therapist_id=None, windows=MORNINGS)
    first = regimen.join_waitlist(waiting, actor=DESK, now=NOW, listed=ViewNotCaughtUp())

    with pytest.raises(AlreadyWaiting) as refused:
        later = NOW + timedelta(milliseconds=300)
        regimen.join_waitlist(waiting, actor=DESK, now=later, listed=ViewNotCaughtUp())

    assert refused.value.details["entry_id"] == str(first.id)
    assert waitlist_view(regimen).entries_of(str(clinic.client_id)) == [str(first.id)]


def test_a_client_who_left_can_join_again_for_the_same(regimen: Regimen) -> None:
    clinic = small_clinic(regimen)
    waiting = WaitlistRequest(client_id=clinic.client_id, therapist_id=None, windows=MORNINGS)
    first = regimen.join_waitlist(waiting, actor=DESK, now=NOW, listed=waitlist_view(regimen))
    regimen.leave_waitlist(first.id, reason="booked elsewhere", actor=DESK)

    again = regimen.join_waitlist(waiting, actor=DESK, now=NOW, listed=waitlist_view(regimen))

    assert again.id != first.id
    assert regimen.load(WaitlistEntry, again.id).request == waiting
