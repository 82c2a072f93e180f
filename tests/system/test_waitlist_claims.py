"""Two waiting clients claim one offered time at the same instant, each through a different
server process: exactly one gets it, the other sees "taken", and the time's reminders go
to the winner alone (through a real SMTP server)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from service.application.commands import ClientDetails
from service.bootstrap import bootstrap, build_regimen
from service.config import Settings
from service.domain.client import Client
from service.domain.values import Role
from service.domain.visit import Visit, VisitBooking, VisitKind
from service.domain.waitlist import (
    EntryStatus,
    OfferStatus,
    WaitlistRequest,
    Window,
    offer_id,
)
from service.scheduler.recurrence import session_time
from tests.api.helpers import bearer
from tests.builders import ADMIN, DESK, ZONE, small_clinic, waitlist_view
from tests.reminder_scenario import EMAIL_48_AND_2, run_together
from tests.system.test_reminder_delivery import MAIL_FROM, SmtpServer, database, smtp  # noqa: F401

pytestmark = pytest.mark.system
SECRET = "w" * 64  # every server and the scheduler sign and read links with the same key
WEEKDAYS = (Window(weekdays=(0, 1, 2, 3, 4), start=time(9), end=time(12)),)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def next_wednesday_ten(now: datetime) -> datetime:
    """Ten o'clock London time on a Wednesday at least three days after now."""
    day = now.astimezone(ZoneInfo(ZONE)).date() + timedelta(days=3)
    day += timedelta(days=(2 - day.weekday()) % 7)
    return datetime.combine(day, time(10))


def ready_to_claim(browser: requests.Session, link: str) -> Callable[[], requests.Response]:
    """Open the claim page (the browser gets its form token), and return the button's press."""
    opened = browser.get(link, timeout=60)
    assert opened.status_code == 200, opened.text
    token = CSRF.search(opened.text).group(1)  # type: ignore[union-attr]
    return partial(browser.post, link, data={"csrf_token": token}, timeout=60)


def test_two_clients_claiming_one_offer_on_two_servers_at_once_book_it_once(
    serve: Any,
    database: str,  # noqa: F811
    smtp: SmtpServer,  # noqa: F811
) -> None:
    smtp.start()
    now = datetime.now(UTC)
    settings = Settings(
        database_url=database, smtp_url=smtp.url, mail_from=MAIL_FROM, secret_key=SECRET
    )
    regimen = build_regimen(settings)
    clinic = small_clinic(regimen)
    start = next_wednesday_ten(now)
    for client in (clinic.client_id, clinic.other_client_id):
        regimen.set_reminder_preferences(client, EMAIL_48_AND_2, DESK)
    eve = regimen.register_client(
        ClientDetails(name="Eve Client", email="eve@example.org", zone=ZONE),
        actor=DESK,
    )
    visit = regimen.book_visit(
        VisitBooking(
            eve,
            clinic.therapist_id,
            clinic.room_id,
            VisitKind.SINGLE,
            session_time(start, ZONE, 60),
        ),
        actor=DESK,
        now=now,
    )
    entries = {
        client: regimen.join_waitlist(
            WaitlistRequest(client_id=client, therapist_id=None, windows=WEEKDAYS),
            actor=DESK,
            now=now,
            listed=waitlist_view(regimen),
        ).id
        for client in (clinic.client_id, clinic.other_client_id)
    }
    servers = [serve(database, env={"REGIMEN_SECRET_KEY": SECRET}) for _ in range(2)]
    cancelled = requests.post(
        servers[0].url(f"/api/v1/visits/{visit.id}/cancel"),
        json={"reason": "called in sick"},
        headers=bearer(regimen.add_user("desk", Role.FRONT_DESK, ADMIN)[1]),
        timeout=60,
    )
    assert cancelled.status_code == 200

    scheduler = bootstrap(replace(settings, public_url=servers[0].base_url))
    scheduler.offer_waitlist(now)  # the offer goes to both, by real SMTP

    links = {
        m["To"].addresses[0].addr_spec: re.search(r"/waitlist/claim/\S+", m.get_content()).group(0)  # type: ignore[union-attr]
        for m in smtp.inbox.messages
    }
    assert set(links) == {"cora@example.org", "dan@example.org"}
    presses = [
        ready_to_claim(requests.Session(), server.url(links[address]))
        for server, address in zip(servers, ("cora@example.org", "dan@example.org"), strict=True)
    ]
    answers: list[requests.Response] = []
    run_together(*(lambda press=press: answers.append(press()) for press in presses))

    assert sorted(a.status_code for a in answers) == [200, 409]
    won, lost = sorted(answers, key=lambda a: a.status_code)
    assert "you are booked" in won.text and "This time has been taken" in lost.text
    offer = regimen.slot_offer(offer_id(visit.id, 0))
    assert offer.status is OfferStatus.CLAIMED
    winner = next(c for c, e in entries.items() if e == offer.claimed_by)
    loser = next(c for c in entries if c != winner)
    assert regimen.waitlist_entry(entries[loser]).status is EntryStatus.WAITING
    booked = regimen.load(Visit, regimen.waitlist_entry(entries[winner]).booked_with)  # type: ignore[arg-type]
    assert booked.client_id == winner and booked.session.time.start == offer.slot.time.start

    offers_sent = len(smtp.inbox.messages)
    report = scheduler.dispatcher().dispatch(booked.session.time.start - timedelta(hours=1))
    reminders = smtp.inbox.messages[offers_sent:]
    winner_address = regimen.load(Client, winner).email
    assert report.sent == len(reminders) == 2  # 48 h and 2 h before, both due by then
    assert {m["To"].addresses[0].addr_spec for m in reminders} == {winner_address}
    scheduler.close()
    regimen.close()
