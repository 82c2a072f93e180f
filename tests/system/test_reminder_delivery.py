"""Reminders through a real SMTP server, two dispatchers at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime, timedelta
from email import message_from_string, policy
from email.message import EmailMessage
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller

from service.application import Regimen
from service.application.setup import load_clinic
from service.bootstrap import bootstrap, build_regimen
from service.config import Settings
from service.domain.client import Client
from service.domain.values import Role
from service.http.app import create_app
from service.reminders.claims import RetryPolicy
from service.reminders.planning import delivery_key
from tests.api.helpers import bearer
from tests.builders import ADMIN, DESK
from tests.conftest import database_url_for
from tests.fakes import FixedClock
from tests.reminder_scenario import END, NOW, book_series_of_four, run_together, schedule

pytestmark = pytest.mark.system
FIRST_DUE = datetime.fromisoformat("2026-03-07T10:00:00+00:00")
QUICK = RetryPolicy(
    first_delay=timedelta(minutes=1), max_delay=timedelta(minutes=8), max_attempts=5
)


MAIL_FROM = "Riverside Clinic <reminders@riverside.example>"


def message_id(row: dict[str, Any]) -> str:
    """The Message-ID a planned reminder is sent with: at the sender's domain."""
    start = datetime.fromisoformat(row["session_start_utc"])
    return f"<{delivery_key(UUID(row['reminder_id']), start)}@riverside.example>"


class Inbox:
    """An aiosmtpd handler keeping every message it accepts, and its envelope's recipients."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        # Read as a server that offers SMTPUTF8 does: headers may be UTF-8.
        email = message_from_string(envelope.content.decode("utf-8"), policy=policy.default)
        assert isinstance(email, EmailMessage)
        self.messages.append(email)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A port nobody listens on now (the SMTP server may start on it later)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class SmtpServer:
    """A local SMTP server that the test starts and stops on a fixed port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self, *, smtputf8: bool = False) -> None:
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=smtputf8
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite file, or a fresh PostgreSQL schema."""
    yield from database_url_for(request.param, tmp_path)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1, not yet started."""
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def apps(database: str, smtp: SmtpServer) -> Iterator[tuple[Settings, Regimen, Regimen]]:
    """Settings for the SMTP server, and two applications on the database: two dispatchers."""
    settings = Settings(database_url=database, smtp_url=smtp.url, mail_from=MAIL_FROM)
    first = build_regimen(settings)
    second = build_regimen(settings)
    yield settings, first, second
    second.close()
    first.close()


def test_every_due_reminder_arrives_once_with_two_dispatchers_and_none_for_a_cancellation(
    apps: tuple[Settings, Regimen, Regimen], smtp: SmtpServer
) -> None:
    settings, first, second = apps
    series = book_series_of_four(first)
    first.cancel_sessions(series.plan_id, 2, reason="away", actor=DESK, now=NOW)
    planned = schedule(first, NOW)
    smtp.start()
    one = bootstrap(settings, regimen=first).dispatcher(worker="one")
    two = bootstrap(settings, regimen=second).dispatcher(worker="two")
    # Step over the whole series: every three hours, and exactly at each due time.
    steps = {NOW + timedelta(hours=3 * n) for n in range((END - NOW) // timedelta(hours=3))}
    steps |= {datetime.fromisoformat(r["due_utc"]) for r in planned}
    for moment in sorted(steps):
        run_together(partial(one.dispatch, moment), partial(two.dispatch, moment))
    wanted = {message_id(r) for r in planned if r["number"] != 2}
    ids = [m["Message-ID"] for m in smtp.inbox.messages]
    assert len(ids) == 6 and set(ids) == wanted
    assert {m["To"] for m in smtp.inbox.messages} == {"Cora Client <cora@example.org>"}
    assert all("16 Mar" not in m["Subject"] for m in smtp.inbox.messages)
    statuses = sorted((r["number"], r["status"]) for r in schedule(first, END))
    assert (
        statuses
        == [(1, "sent")] * 2 + [(2, "cancelled")] * 2 + [(3, "sent")] * 2 + [(4, "sent")] * 2
    )


def test_a_name_beyond_ascii_arrives_encoded_and_the_message_id_is_at_the_senders_domain(
    apps: tuple[Settings, Regimen, Regimen], smtp: SmtpServer
) -> None:
    settings, first, _ = apps
    series = book_series_of_four(first)
    first.update_client(
        series.clinic.client_id, {"name": "Zoë Ñúñez", "email": "zoe@exämple.org"}, DESK
    )
    schedule(first, NOW)
    smtp.start()
    assert bootstrap(settings, regimen=first).dispatcher().dispatch(FIRST_DUE).sent == 1
    (email,) = smtp.inbox.messages
    assert smtp.inbox.recipients == [["zoe@xn--exmple-cua.org"]]
    (to,) = email["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Zoë Ñúñez", "zoe@xn--exmple-cua.org")
    # The sender's name is the clinic's own; its address and domain are REGIMEN_MAIL_FROM's.
    assert email["From"].addresses[0].display_name == load_clinic(first).name
    assert email["From"].addresses[0].addr_spec == "reminders@riverside.example"
    assert email["Message-ID"].endswith("@riverside.example>")
    assert "Hello Zoë Ñúñez" in email.get_content()


@pytest.mark.parametrize("smtputf8", [True, False])
def test_a_mailbox_name_beyond_ascii_stored_before_the_rule_needs_the_servers_smtputf8(
    apps: tuple[Settings, Regimen, Regimen], smtp: SmtpServer, smtputf8: bool
) -> None:
    settings, first, _ = apps
    series = book_series_of_four(first)
    # The domain refuses such an address now: it is stored below that check.
    client = first.repository.get(series.clinic.client_id)
    assert isinstance(client, Client)
    client.trigger_event(
        client.ClientDetailsChanged, changes={"email": "zoë@example.org"}, actor=DESK
    )
    first.save(client)
    schedule(first, NOW)
    smtp.start(smtputf8=smtputf8)
    report = bootstrap(settings, regimen=first).dispatcher(policy=QUICK).dispatch(FIRST_DUE)
    if smtputf8:
        assert report.sent == 1
        assert smtp.inbox.recipients == [["zoë@example.org"]]
        assert smtp.inbox.messages[0]["To"].addresses[0].addr_spec == "zoë@example.org"
    else:  # no use trying again: the server will not take it
        assert (report.sent, report.retried, report.failed) == (0, 0, 1)
        assert "SMTPUTF8" in report.errors[0]


def test_reminders_wait_out_an_smtp_outage_and_arrive_once_it_is_back(
    apps: tuple[Settings, Regimen, Regimen], smtp: SmtpServer
) -> None:
    settings, first, _ = apps
    book_series_of_four(first)
    schedule(first, NOW)
    dispatcher = bootstrap(settings, regimen=first).dispatcher(policy=QUICK)
    assert dispatcher.dispatch(FIRST_DUE).retried == 1  # nobody listens yet
    assert dispatcher.dispatch(FIRST_DUE + timedelta(minutes=1)).retried == 1
    smtp.start()
    assert dispatcher.dispatch(FIRST_DUE + timedelta(minutes=2)).sent == 0  # backing off
    assert dispatcher.dispatch(FIRST_DUE + timedelta(minutes=3)).sent == 1
    assert dispatcher.dispatch(FIRST_DUE + timedelta(minutes=30)).sent == 0
    assert len(smtp.inbox.messages) == 1
    (row,) = [r for r in schedule(first, NOW) if r["status"] == "sent"]
    assert row["attempts"] == 3 and row["due_utc"] == "2026-03-07T10:00:00Z"


def test_with_smtp_down_for_good_reminders_end_failed_and_are_listed(
    apps: tuple[Settings, Regimen, Regimen],
) -> None:
    settings, first, _ = apps
    book_series_of_four(first)
    clock = FixedClock(NOW)
    app = create_app(settings, regimen=first, clock=clock)
    token = first.add_user("auditor", Role.AUDITOR, ADMIN)[1]
    web = app.test_client()
    headers = bearer(token)
    assert len(web.get("/api/v1/reminders", headers=headers).get_json()) == 8  # planned
    dispatcher = bootstrap(settings, regimen=first).dispatcher(policy=QUICK)
    clock.advance(days=5, hours=2)  # Saturday 7 March, 10:00 UTC: the first one is due
    for _ in range(60):
        dispatcher.dispatch(clock.advance(minutes=1))
    failed = web.get("/api/v1/reminders", query_string={"status": "failed"}, headers=headers)
    (row,) = failed.get_json()
    assert (row["session_number"], row["lead_minutes"], row["attempts"]) == (1, 2880, 5)
    assert "SMTP unavailable" in row["last_error"]
