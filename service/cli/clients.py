"""`regimen clients erase`: a client's right to erasure, from the command line."""

from __future__ import annotations

from uuid import UUID

import click

from service.application.regimen import utc_now
from service.cli.audit import opened
from service.cli.context import CLI_ACTOR
from service.projections.projector import Projector


@click.group()
def clients() -> None:
    """Clients' data."""


@clients.command("erase")
@click.argument("client_id", type=click.UUID)
@click.option(
    "--override-reason",
    default="",
    help="Why the client is erased inside the clinic's retention period (recorded).",
)
def clients_erase(client_id: UUID, override_reason: str) -> None:
    """Erase a client: destroy their data key, cancel what is booked, purge every view."""
    with opened() as regimen:
        erasure = regimen.erase_client(
            client_id, actor=CLI_ACTOR, now=utc_now(), override_reason=override_reason
        )
        Projector(regimen).catch_up()  # the views purge the client now, not at next start
    click.echo(
        f"client {client_id} erased: {len(erasure.plan_ids)} plans and"
        f" {len(erasure.visit_ids)} visits closed, the client's key destroyed"
    )
