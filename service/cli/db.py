"""`regimen db upgrade`: apply the schema steps this release needs, once, and say what it did."""

from __future__ import annotations

import click

from service.application import Regimen
from service.bootstrap import build_regimen
from service.config import Settings
from service.projections.projector import Projector
from service.projections.schema_steps import behind, upgrade


def upgrade_database(settings: Settings) -> list[str]:
    """Apply the missing schema steps under the schema lock, then empty any view whose layout
    changed (it fills again from the log: `regimen projections rebuild`, the projections
    process, or the next read); what was done, a line each.

    Safe beside running servers and beside other upgrades: one applies, the others wait
    for the lock and find nothing to do.
    """
    regimen = build_regimen(settings, create_fresh=False)
    try:
        done = [upgrade(regimen).describe()]
        for name in Projector(regimen).upgrade_views():
            done.append(f"view {name} changed its layout: emptied, it fills again from the log")
        return done
    finally:
        regimen.close()


def require_current_schema(regimen: Regimen, *, views: bool = True) -> None:
    """Stop the command with one line naming `regimen db upgrade` if the database is behind."""
    reason = behind(regimen, views=views)
    if reason is not None:
        raise click.ClickException(reason)


@click.group()
def db() -> None:
    """The database's tables."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the schema steps this release needs (safe beside running servers)."""
    for line in upgrade_database(Settings.from_env()):
        click.echo(line)


COMMANDS = (db,)
