"""The `regimen` command: the composition root beside create_app."""

from __future__ import annotations

from typing import Any

import click

from service.api import build_regimen, create_app
from service.application import Regimen
from service.config import Settings
from service.demo import DEMO_ROLES, seed_demo
from service.domain.values import Actor, Role

CLI_ACTOR = Actor(user_id="cli", role=Role.ADMIN)


def _regimen() -> Regimen:
    return build_regimen(Settings.from_env())


@click.group()
def main() -> None:
    """Regimen: booking and treatment series for massage and manual-therapy clinics."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the HTTP API with gunicorn (the application is built in each worker)."""
    _serve(host, port, workers)


def _serve(host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("preload_app", False)
            self.cfg.set("accesslog", "-")
            self.cfg.set("graceful_timeout", 10)

        def load(self) -> Any:
            return create_app(Settings.from_env())

    Server().run()


@main.group()
def users() -> None:
    """Staff accounts and their tokens."""


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice([r.value for r in DEMO_ROLES]))
def users_add(name: str, role: str) -> None:
    """Add a user and print its token (shown this once only)."""
    account, token = _regimen().add_user(name, Role(role), CLI_ACTOR)
    click.echo(f"{account.name} ({account.role.value}) token: {token}")


@users.command("list")
def users_list() -> None:
    """List users (never their tokens)."""
    for account in _regimen().list_users():
        state = "revoked" if account.revoked else "active"
        click.echo(f"{account.user_id}  {account.name:<24} {account.role.value:<11} {state}")


@users.command("revoke")
@click.argument("name_or_id")
def users_revoke(name_or_id: str) -> None:
    """Revoke a user's token."""
    account = _regimen().revoke_user(name_or_id, CLI_ACTOR)
    click.echo(f"revoked {account.name}")


@main.command()
def demo() -> None:
    """Fill an empty database with a realistic demo clinic."""
    regimen = _regimen()
    if not seed_demo(regimen, CLI_ACTOR):
        click.echo("the database already holds a clinic; the demo was not added")
        return
    click.echo("demo clinic added")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def dev(host: str, port: int) -> None:
    """Seed the demo if the database is empty, print fresh tokens, and serve."""
    regimen = _regimen()
    if seed_demo(regimen, CLI_ACTOR):
        click.echo("demo clinic added")
    click.echo("Tokens for this run (earlier demo tokens are revoked):")
    for role in DEMO_ROLES:
        name = f"demo-{role.value.replace('_', '-')}"
        if any(a.name == name and not a.revoked for a in regimen.list_users()):
            regimen.revoke_user(name, CLI_ACTOR)
        _, token = regimen.add_user(name, role, CLI_ACTOR)
        click.echo(f"  {role.value:<11} {token}")
    click.echo(f"API docs: http://{host}:{port}/api/docs")
    regimen.close()
    _serve(host, port, workers=2)


if __name__ == "__main__":
    main()
