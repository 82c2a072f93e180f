"""Reminder dispatch vs bare smtplib: the same messages to the same local SMTP server.

Regimen's dispatcher claims each due reminder, checks it against the event store,
composes the message, sends it and records it as sent; the baseline only sends the
same number of messages, composed to bytes beforehand, with `sendmail` over one smtplib
connection (the cheapest correct loop). Target: within 1.3x.

Recording each message as sent before the next goes out (so that a crash re-sends at
most the message in flight) is one committed write a message, which the bare loop does
not make. A second baseline does: the same `sendmail`s, each followed by one committed
UPDATE of a row in a SQLite database of the same journal mode and synchronous setting
as Regimen's (WAL, SQLite's default synchronous=FULL: every commit waits for the disk).
The three alternate, `--repeat` times each, and both ratios are printed.

    python -m bench.reminder_dispatch [--reminders 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import smtplib
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from bench.common import free_port, machine
from service.application.commands import ClientDetails, Slot
from service.bootstrap import bootstrap, build_regimen
from service.config import Settings
from service.domain.reminders import Channel, ReminderPreferences
from service.domain.values import SeriesSpec
from tests.builders import DESK, ZONE, agreed_plan, small_clinic

LEAD = timedelta(days=14)
FIRST_DAY = datetime(2026, 3, 16)  # a Monday
BOOKED_AT = datetime(2026, 3, 1, tzinfo=UTC)


Seconds = tuple[float, float]  # wall-clock, and the CPU of the thread that sends


def stopwatch() -> Callable[[], Seconds]:
    """Started now; called, the wall-clock and this thread's CPU seconds since. The CPU
    is what the sending code itself costs; on a busy machine the wall-clock also holds
    the waits for a core, each longer the more often the code gives its core up."""
    wall, cpu = time.perf_counter(), time.thread_time()
    return lambda: (time.perf_counter() - wall, time.thread_time() - cpu)


class Inbox:
    """Counts what the server accepts."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.count += 1
        return "250 OK"


def slots(count: int) -> list[tuple[datetime, int]]:
    """Local starts Monday to Saturday, 08:00 to 19:00, on both therapists."""
    found: list[tuple[datetime, int]] = []
    day = FIRST_DAY
    while len(found) < count:
        if day.weekday() < 6:
            found += [(day.replace(hour=h), t) for h in range(8, 20) for t in (0, 1)]
        day += timedelta(days=1)
    return found[:count]


def arrange(url: str, count: int) -> datetime:
    """`count` clients, each consenting to email 14 days ahead, with one session booked."""
    regimen = build_regimen(Settings(database_url=url))
    clinic = small_clinic(regimen)
    wanted = ReminderPreferences((Channel.EMAIL,), (LEAD,), None)
    starts = slots(count)
    for n, (local, therapist) in enumerate(starts):
        client_id = regimen.register_client(
            ClientDetails(name=f"Client {n}", email=f"c{n}@example.org", zone=ZONE),
            actor=DESK,
        )
        regimen.set_reminder_preferences(client_id, wanted, DESK)
        plan_id = agreed_plan(
            regimen,
            clinic,
            client_id=client_id,
            therapist_id=(clinic.therapist_id, clinic.other_therapist_id)[therapist],
            room_id=(clinic.room_id, clinic.other_room_id)[therapist],
            series=SeriesSpec(sessions=1, interval_days=7, session_minutes=60),
        )
        regimen.book_session(plan_id, Slot(local_start=local, zone=ZONE), actor=DESK, now=BOOKED_AT)
    bootstrap(Settings(database_url=url), regimen=regimen).dispatcher().refresh(
        BOOKED_AT
    )  # planned
    regimen.close()
    last = starts[-1][0].replace(tzinfo=UTC)
    return last - LEAD + timedelta(hours=2)  # every reminder due, every session ahead


def dispatch_once(url: str, smtp_url: str, at: datetime) -> Seconds:
    """Seconds for one dispatch pass."""
    settings = Settings(database_url=url, smtp_url=smtp_url)
    wiring = bootstrap(settings)
    regimen = wiring.regimen
    dispatcher = wiring.dispatcher()
    dispatcher.refresh(at)  # the views are warm, as they are in a running scheduler
    elapsed = stopwatch()
    report = dispatcher.dispatch(at)
    seconds = elapsed()
    regimen.close()
    assert report.failed == 0, report
    return seconds


def prepared(count: int) -> list[tuple[str, bytes]]:
    """`count` messages like a reminder, composed to bytes."""
    messages = []
    for n in range(count):
        message = EmailMessage()
        message["From"], message["To"] = "Regimen <r@localhost>", f"c{n}@example.org"
        message["Subject"] = "Reminder: your session at Test Clinic, Mon 16 Mar 10:00"
        message.set_content("Hello,\n\nThis is a reminder of your 60-minute session.\n" * 3)
        messages.append((f"c{n}@example.org", message.as_bytes()))
    return messages


def bare_smtplib(port: int, count: int) -> Seconds:
    """Seconds to send `count` similar messages over one smtplib connection: the cheapest
    correct loop, `sendmail` of messages composed to bytes beforehand (outside the timing)."""
    messages = prepared(count)
    elapsed = stopwatch()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, data in messages:
            smtp.sendmail("r@localhost", [to], data)
    return elapsed()


def marks_database(path: Path, count: int) -> sqlite3.Connection:
    """A SQLite database of `count` unsent rows, opened as the event store's are: WAL,
    auto-commit, the synchronous setting left at SQLite's default (as Regimen's)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE deliveries (id INTEGER PRIMARY KEY, sent_at TEXT)")
    connection.executemany("INSERT INTO deliveries VALUES (?, NULL)", [(n,) for n in range(count)])
    return connection


def bare_smtplib_marking_sent(port: int, count: int, path: Path) -> Seconds:
    """Seconds for the same `sendmail`s, each followed by one committed UPDATE: the floor
    of a loop that records every message as sent before sending the next."""
    messages, marks = prepared(count), marks_database(path, count)
    elapsed = stopwatch()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n, (to, data) in enumerate(messages):
            smtp.sendmail("r@localhost", [to], data)
            marks.execute("UPDATE deliveries SET sent_at = ? WHERE id = ?", ("now", n))
    seconds = elapsed()
    marks.close()
    return seconds


def synchronous_setting(url: str) -> str:
    """The synchronous setting of Regimen's own connections to the database (none is set:
    SQLite's default, in WAL mode)."""
    regimen = build_regimen(Settings(database_url=url))
    with regimen.recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute("PRAGMA synchronous")
        level = cursor.fetchone()[0]
    regimen.close()
    return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[level]


def main() -> None:
    """Run the three, `repeat` times each in turn, and print the medians and both ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    port = free_port()
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    ours: list[Seconds] = []
    bare: list[Seconds] = []
    marking: list[Seconds] = []
    try:
        with tempfile.TemporaryDirectory() as directory:
            for run in range(args.repeat):
                url = f"sqlite:///{Path(directory) / f'run{run}.db'}"
                at = arrange(url, args.reminders)
                ours.append(dispatch_once(url, f"smtp://127.0.0.1:{port}", at))
                bare.append(bare_smtplib(port, args.reminders))
                marks = Path(directory) / f"marks{run}.db"
                marking.append(bare_smtplib_marking_sent(port, args.reminders, marks))
            synchronous = synchronous_setting(url)
    finally:
        controller.stop()
    print(f"\nreminder dispatch, {args.reminders} emails, SQLite (WAL, synchronous={synchronous})")
    print(f"({machine()}; medians of {args.repeat} runs, in ms)")
    for name, which in (("wall-clock", 0), ("CPU of the sending thread", 1)):
        base, floor, mine = (
            statistics.median(r[which] for r in runs) for runs in (bare, marking, ours)
        )
        print(f"{name}: bare smtplib {base * 1000:.1f}, with a commit a message", end="")
        print(f" {floor * 1000:.1f}, dispatcher {mine * 1000:.1f}; ratio to bare", end="")
        print(
            f" {mine / base:.2f} (target <= 1.3), to the commit-a-message floor {mine / floor:.2f}"
        )


if __name__ == "__main__":
    main()
