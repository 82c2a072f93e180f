"""`regimen serve`, `regimen dev` and `regimen demo`: the web server, with or without the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import click

from service.bootstrap import build_regimen
from service.cli.context import CLI_ACTOR, regimen_from_env
from service.cli.db import require_current_schema, upgrade_database
from service.cli.demo import DEMO_ROLES, seed_demo
from service.cli.users import demo_therapist
from service.config import Settings
from service.domain.values import Role
from service.http.server import serve as serve_http


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the HTTP API with gunicorn (the application is built in each worker)."""
    settings = Settings.from_env()
    if not settings.public_url:
        # Links handed out (calendar feeds) must not be built from a Host header that
        # anyone can forge, and the address a server binds to is rarely the public one.
        raise click.ClickException(
            "REGIMEN_PUBLIC_URL is not set: set it to the address clients use to reach "
            "this server, for example REGIMEN_PUBLIC_URL=https://clinic.example.org"
        )
    # Checked once, before any worker starts: workers never run DDL. A new, empty database
    # is made current here; one holding an older schema waits for `regimen db upgrade`.
    regimen = build_regimen(settings)
    try:
        require_current_schema(regimen)
    finally:
        regimen.close()
    serve_http(host, port, workers, settings)


def local_address(host: str, port: int) -> str:
    """The address `regimen dev` serves on, as a browser on this machine reaches it."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@click.command()
def demo() -> None:
    """Bring the schema up to date, then fill an empty database with a realistic demo clinic."""
    for line in upgrade_database(Settings.from_env()):
        click.echo(line)
    regimen = regimen_from_env()
    if not seed_demo(regimen, CLI_ACTOR):
        click.echo("the database already holds a clinic; the demo was not added")
        return
    click.echo("demo clinic added")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def dev(host: str, port: int) -> None:
    """Seed the demo if the database is empty, print fresh tokens, and serve."""
    settings = Settings.from_env()
    if not settings.public_url:  # links point at this machine unless told otherwise
        settings = replace(settings, public_url=local_address(host, port))
    for line in upgrade_database(settings):  # `make run` never meets an older schema
        click.echo(line)
    regimen = build_regimen(settings)
    if seed_demo(regimen, CLI_ACTOR):
        click.echo("demo clinic added")
    click.echo("Tokens for this run (earlier demo tokens are revoked):")
    for role in DEMO_ROLES:
        name = f"demo-{role.value.replace('_', '-')}"
        if any(a.name == name and not a.revoked for a in regimen.list_users()):
            regimen.revoke_user(name, CLI_ACTOR)
        linked = demo_therapist(regimen) if role is Role.THERAPIST else None
        _, token = regimen.add_user(name, role, CLI_ACTOR, linked)
        click.echo(f"  {role.value:<11} {token}")
    click.echo(f"API docs: {settings.public_url}/api/docs")
    click.echo(f"Front desk: {settings.public_url}/  (sign in with the front_desk token)")
    click.echo(f"Therapist:  {settings.public_url}/  (the therapist token is Amira Haddad's day)")
    click.echo(f"Auditor:    {settings.public_url}/  (the auditor token: read-only audit pages)")
    regimen.close()
    # One scheduler beside the web server, in its own process (never in a web worker),
    # putting the same address in the reminders' calendar links as the server hands out.
    environment = {**os.environ, "REGIMEN_PUBLIC_URL": settings.public_url}
    scheduler = [sys.executable, "-m", "service", "scheduler"]
    scheduler_process = subprocess.Popen(scheduler, env=environment)
    try:
        serve_http(host, port, workers=2, settings=settings)
    finally:
        scheduler_process.terminate()
        scheduler_process.wait(timeout=15)
