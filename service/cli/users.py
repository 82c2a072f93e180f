"""`regimen users add|link|list|revoke`: staff accounts and their tokens."""

from __future__ import annotations

from uuid import UUID

import click

from service.application import Regimen
from service.cli.context import CLI_ACTOR, regimen_from_env
from service.cli.demo import DEMO_ROLES, THERAPISTS
from service.domain.errors import DomainError
from service.domain.values import Role
from service.projections.projector import Projector
from service.projections.queries import ReadModel


@click.group()
def users() -> None:
    """Staff accounts and their tokens."""


THERAPIST_HELP = "the therapist record (id or exact name) a therapist user is"


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice([r.value for r in DEMO_ROLES]))
@click.option("--therapist", "therapist", default=None, help=THERAPIST_HELP)
def users_add(name: str, role: str, therapist: str | None) -> None:
    """Add a user and print its token (shown this once only)."""
    regimen = regimen_from_env()
    if Role(role) is Role.THERAPIST and therapist is None:
        click.echo("warning: without --therapist this user reads no charts; link it later")
    try:
        linked = None if therapist is None else therapist_id(regimen, therapist)
        account, token = regimen.add_user(name, Role(role), CLI_ACTOR, linked)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{account.name} ({account.role.value}) token: {token}")


@users.command("link")
@click.argument("name_or_id")
@click.option("--therapist", "therapist", required=True, help=THERAPIST_HELP)
def users_link(name_or_id: str, therapist: str) -> None:
    """Link a therapist user to their therapist record (it decides which charts they see)."""
    regimen = regimen_from_env()
    try:
        account = regimen.link_user(name_or_id, therapist_id(regimen, therapist), CLI_ACTOR)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{account.name} is therapist {account.therapist_id}")


def demo_therapist(regimen: Regimen) -> UUID | None:
    """The demo therapist the demo's therapist token is, if this database holds the demo."""
    try:
        return therapist_id(regimen, THERAPISTS[0][0])
    except click.ClickException:
        return None


def therapist_id(regimen: Regimen, id_or_name: str) -> UUID:
    """A therapist's id, given as an id or as their exact name."""
    try:
        return UUID(id_or_name)
    except ValueError:
        pass
    rows = ReadModel(Projector(regimen)).fresh().directory("therapist", id_or_name).items
    matches = [row["id"] for row in rows if row["name"] == id_or_name]
    if len(matches) != 1:
        raise click.ClickException(
            f"{len(matches) or 'no'} therapists are named {id_or_name!r}: give the id instead"
        )
    return UUID(matches[0])


@users.command("list")
def users_list() -> None:
    """List users (never their tokens)."""
    for account in regimen_from_env().list_users():
        state = "revoked" if account.revoked else "active"
        therapist = f"  therapist {account.therapist_id}" if account.therapist_id else ""
        click.echo(
            f"{account.user_id}  {account.name:<24} {account.role.value:<11} {state}{therapist}"
        )


@users.command("revoke")
@click.argument("name_or_id")
def users_revoke(name_or_id: str) -> None:
    """Revoke a user's token."""
    account = regimen_from_env().revoke_user(name_or_id, CLI_ACTOR)
    click.echo(f"revoked {account.name}")
