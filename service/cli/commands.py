"""The `regimen` command: every group and command, each in the module of its job."""

from __future__ import annotations

import click

from service.cli import audit, backup, clients, db, scheduling, serving, users, views
from service.cli.audit import ClearErrors
from service.logs import configure_logging


@click.group(cls=ClearErrors)
def main() -> None:
    """Regimen: booking and treatment series for massage and manual-therapy clinics."""
    configure_logging()  # JSON lines on stderr, for every command and every process it starts


for command in (
    *audit.COMMANDS,  # replay, audit verify|seal|export, keys generate
    *db.COMMANDS,  # db upgrade
    *backup.COMMANDS,  # backup, restore
    serving.serve,
    serving.dev,
    serving.demo,
    scheduling.scheduler,
    scheduling.reminders,
    views.projections,
    users.users,
    clients.clients,  # clients erase
):
    main.add_command(command)


if __name__ == "__main__":
    main()
