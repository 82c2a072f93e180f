"""`regimen backup` while clients book, `regimen restore` into a fresh database, verified."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from uuid import UUID

from click.testing import CliRunner

from service.bootstrap import build_regimen
from service.cli.commands import main
from service.config import Settings
from service.domain.visit import Visit, VisitBooking, VisitKind
from service.scheduler.recurrence import session_time
from tests.builders import DESK, ZONE, Clinic, small_clinic

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
FIRST_DAY = date(2026, 3, 9)  # a Monday
BOOKERS = 4
ACKNOWLEDGED_BEFORE_BACKUP = 12  # the backup starts once this many are booked
HOURS = range(8, 20)


def slots(booker: int) -> list[datetime]:
    """The booker's own hours: every open hour of its own days (Monday to Saturday)."""
    days = [
        FIRST_DAY + timedelta(days=d)
        for d in range(400)
        if (FIRST_DAY + timedelta(days=d)).weekday() < 6
    ]
    own = days[booker::BOOKERS]
    return [datetime.combine(day, time(hour)) for day in own for hour in HOURS]


class Booker(threading.Thread):
    """A desk booking visit after visit, each acknowledged when `book_visit` returns."""

    def __init__(
        self,
        number: int,
        settings: Settings,
        clinic: Clinic,
        booked: list[UUID],
        enough: threading.Event,
        stop: threading.Event,
    ) -> None:
        super().__init__(name=f"booker-{number}")
        self.number, self.settings, self.clinic = number, settings, clinic
        self.booked, self.enough, self.stop = booked, enough, stop
        self.error: BaseException | None = None

    def run(self) -> None:
        regimen = build_regimen(self.settings)
        try:
            for local in slots(self.number):
                if self.stop.is_set():
                    return
                booking = VisitBooking(
                    client_id=self.clinic.client_id,
                    therapist_id=self.clinic.therapist_id,
                    room_id=None,
                    kind=VisitKind.SINGLE,
                    time=session_time(local, ZONE, 60),
                )
                visit = regimen.book_visit(booking, actor=DESK, now=NOW)
                self.booked.append(visit.id)  # acknowledged
                if len(self.booked) >= ACKNOWLEDGED_BEFORE_BACKUP:
                    self.enough.set()
            raise AssertionError("the booker ran out of slots before it was stopped")
        except BaseException as error:  # reported by the test
            self.error = error
            self.enough.set()
        finally:
            regimen.close()


def live_clinic(tmp_path: Path) -> tuple[Settings, Clinic]:
    """A SQLite file holding the small clinic, its application closed again."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'live.db'}")
    regimen = build_regimen(settings)
    try:
        return settings, small_clinic(regimen)
    finally:
        regimen.close()


def test_a_backup_taken_while_four_desks_book_restores_every_acknowledged_booking(
    tmp_path: Path,
) -> None:
    settings, clinic = live_clinic(tmp_path)
    booked: list[UUID] = []
    enough, stop = threading.Event(), threading.Event()
    bookers = [Booker(n, settings, clinic, booked, enough, stop) for n in range(BOOKERS)]
    for booker in bookers:
        booker.start()
    try:
        enough.wait()
        acknowledged = list(booked)  # every booking acknowledged before the backup starts
        copy = tmp_path / "backup.db"
        taken = CliRunner().invoke(
            main, ["backup", str(copy)], env={"REGIMEN_DATABASE_URL": settings.database_url}
        )
        still_booking = [b.name for b in bookers if b.is_alive()]
    finally:
        stop.set()
        for booker in bookers:
            booker.join()
    assert [b.error for b in bookers] == [None] * BOOKERS
    assert taken.exit_code == 0, taken.output
    assert "REGIMEN_CIPHER_KEY" in taken.output
    assert len(acknowledged) >= ACKNOWLEDGED_BEFORE_BACKUP
    assert still_booking  # the backup was taken while bookings went on

    fresh_url = f"sqlite:///{tmp_path / 'restored.db'}"
    restored = CliRunner().invoke(
        main, ["restore", str(copy)], env={"REGIMEN_DATABASE_URL": fresh_url}
    )
    assert restored.exit_code == 0, restored.output
    assert "OK: " in restored.output  # `regimen audit verify` ran and passed

    regimen = build_regimen(Settings(database_url=fresh_url))
    try:
        missing = [v for v in acknowledged if regimen.find(Visit, v) is None]
    finally:
        regimen.close()
    assert missing == []


def test_restore_refuses_a_database_that_holds_events(tmp_path: Path) -> None:
    settings, _ = live_clinic(tmp_path)
    env = {"REGIMEN_DATABASE_URL": settings.database_url}
    copy = tmp_path / "backup.db"
    assert CliRunner().invoke(main, ["backup", str(copy)], env=env).exit_code == 0
    again = CliRunner().invoke(main, ["backup", str(copy)], env=env)
    assert again.exit_code == 1 and "exists already" in again.output

    refused = CliRunner().invoke(main, ["restore", str(copy)], env=env)
    assert refused.exit_code == 1
    assert "is not empty" in refused.output


def test_restore_with_an_anchor_checks_the_head_kept_with_the_backup(tmp_path: Path) -> None:
    settings, _ = live_clinic(tmp_path)
    env = {"REGIMEN_DATABASE_URL": settings.database_url}
    verified = CliRunner().invoke(main, ["audit", "verify"], env=env)
    head = verified.output.rsplit("head: ", 1)[1].strip()
    copy = tmp_path / "backup.db"
    assert CliRunner().invoke(main, ["backup", str(copy)], env=env).exit_code == 0

    fresh = {"REGIMEN_DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"}
    kept = CliRunner().invoke(main, ["restore", str(copy), "--anchor", head], env=fresh)
    assert kept.exit_code == 0, kept.output
    position = head.split(":")[0]
    wrong = f"{position}:{'0' * 64}"
    other = {"REGIMEN_DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"}
    refused = CliRunner().invoke(main, ["restore", str(copy), "--anchor", wrong], env=other)
    assert refused.exit_code == 1
    assert "FAILED" in refused.output


def test_on_postgresql_backup_names_pg_dump_and_never_the_password() -> None:
    env = {"REGIMEN_DATABASE_URL": "postgresql://clinic:s3cret@db.internal:5432/regimen"}
    answer = CliRunner().invoke(main, ["backup", "copy.dump"], env=env)
    assert answer.exit_code == 1
    assert (
        "pg_dump --host=db.internal --port=5432 --username=clinic --dbname=regimen" in answer.output
    )
    assert "pg_restore" in answer.output
    assert "s3cret" not in answer.output
