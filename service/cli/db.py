"""`regimen db upgrade`: create or bring up to date every table Regimen keeps, once."""

from __future__ import annotations

import click

from service.adapters.browser_sessions import BrowserSessions
from service.adapters.idempotency import IdempotencyKeys
from service.adapters.leader_board import LeaderBoard
from service.adapters.verifications import Verifications
from service.bootstrap import build_regimen
from service.config import Settings
from service.projections.projector import Projector


def upgrade_database(settings: Settings) -> None:
    """Create every table (event store, seals, views, idempotency keys, browser sessions,
    the scheduler's leader board, the last seal verification) under the schema lock.

    `regimen serve` runs this in gunicorn's master before it forks, so workers starting
    together find the tables made; the application built here is closed again, because
    an application (and its connection pool) must never cross a fork.
    """
    regimen = build_regimen(settings)
    try:
        Projector(regimen)  # the views' tables, and any view whose layout changed
        IdempotencyKeys.of(regimen)
        BrowserSessions.of(regimen)
        LeaderBoard.of(regimen)
        Verifications.of(regimen)
    finally:
        regimen.close()


@click.group()
def db() -> None:
    """The database's tables."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Create the tables that do not exist yet (safe to run beside running servers)."""
    upgrade_database(Settings.from_env())
    click.echo("the database is up to date")


COMMANDS = (db,)
