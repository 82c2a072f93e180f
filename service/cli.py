"""The `regimen` command: the composition root beside create_app."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

import click

from service.api import build_regimen, create_app
from service.api.limits import MAX_FIELD_BYTES, MAX_FIELDS
from service.application import Regimen, utc_now
from service.audit_commands import COMMANDS as AUDIT_COMMANDS
from service.audit_commands import ClearErrors
from service.config import Settings
from service.db_commands import COMMANDS as DB_COMMANDS
from service.db_commands import upgrade_database
from service.demo import DEMO_ROLES, THERAPISTS, seed_demo
from service.dispatching import reminder_dispatcher
from service.domain.errors import DomainError
from service.domain.values import Actor, Role
from service.housekeeping import UNRECORDED_GRACE
from service.projections.projector import Projector
from service.projections.queries import ReadModel
from service.projections.views import ALL_VIEWS
from service.scheduler.leader import leader_lock_for
from service.scheduler.runner import Job, SchedulerRunner, install_signal_handlers

CLI_ACTOR = Actor(user_id="cli", role=Role.ADMIN)


def _regimen() -> Regimen:
    return build_regimen(Settings.from_env())


@click.group(cls=ClearErrors)
def main() -> None:
    """Regimen: booking and treatment series for massage and manual-therapy clinics."""


for command in (*AUDIT_COMMANDS, *DB_COMMANDS):  # replay, audit, keys generate, db upgrade
    main.add_command(command)


@main.command()
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
    # The tables are made here, once, before any worker starts (workers then find them).
    upgrade_database(settings)
    _serve(host, port, workers, settings)


def local_address(host: str, port: int) -> str:
    """The address `regimen dev` serves on, as a browser on this machine reaches it."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _serve(host: str, port: int, workers: int, settings: Settings) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("preload_app", False)
            self.cfg.set("accesslog", "-")
            self.cfg.set("graceful_timeout", 10)
            # Above the app's own limits (service.api.limits), so that the app answers
            # an oversized request with a problem; gunicorn's plain page is left for
            # request lines over 8190 bytes (its maximum) and heads twice the app's limits.
            self.cfg.set("limit_request_line", 8190)
            self.cfg.set("limit_request_fields", 2 * MAX_FIELDS)
            self.cfg.set("limit_request_field_size", 2 * MAX_FIELD_BYTES)

        def load(self) -> Any:
            return create_app(settings)

    Server().run()


@main.command()
@click.option("--once", is_flag=True, help="Run every job once, now, and exit.")
def scheduler(once: bool) -> None:
    """Run the scheduler: one leader per database runs the jobs; the others stand by."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # the runner logs each run
    settings = Settings.from_env()
    regimen = build_regimen(settings)  # built in this process, never before a fork
    runner = SchedulerRunner(
        scheduler_jobs(regimen, settings), leader_lock_for(settings), clock=utc_now
    )
    try:
        if once:
            outcomes = runner.run_once(utc_now())
            for outcome in outcomes:
                click.echo(f"{outcome.job_id}: {outcome.result if outcome.ok else outcome.error}")
            if not all(outcome.ok for outcome in outcomes):
                raise SystemExit(1)
            return
        stop = threading.Event()
        install_signal_handlers(stop)
        runner.run_forever(stop)
    finally:
        runner.close()
        regimen.close()


def scheduler_jobs(regimen: Regimen, settings: Settings) -> list[Job]:
    """The scheduler's jobs, with fixed ids, each taking `now`; read models say where to look."""
    reads = ReadModel(Projector(regimen))
    dispatcher = reminder_dispatcher(regimen, settings)

    def extend(now: datetime) -> int:
        plan_ids = reads.fresh().open_plan_ids()
        return regimen.extend_rolling_series(now, settings.booking_horizon_days, plan_ids)

    def flag(now: datetime) -> int:
        ended = now - UNRECORDED_GRACE
        return regimen.flag_unrecorded_sessions(
            now, reads.fresh().plans_with_sessions_ended_unrecorded(ended)
        )

    def warn(now: datetime) -> int:
        plan_ids = reads.fresh().open_plan_ids(with_authorization=True)
        return regimen.warn_expiring_authorizations(now, plan_ids)

    return [
        Job("extend-rolling-series", extend, every_seconds=3600),
        Job("flag-unrecorded-sessions", flag, every_seconds=300),
        Job("warn-expiring-authorizations", warn, every_seconds=3600),
        Job("dispatch-reminders", dispatcher.dispatch, every_seconds=60),
    ]


@main.group()
def projections() -> None:
    """The read models: follow the log live, or rebuild from zero."""


@projections.command("run")
@click.option("--interval", default=0.5, show_default=True, help="Seconds between polls.")
def projections_run(interval: float) -> None:
    """Keep every view up to date until stopped (SIGTERM or Ctrl-C)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    regimen = _regimen()
    projector = Projector(regimen)
    stop = threading.Event()
    install_signal_handlers(stop)
    try:
        while not stop.is_set():
            done = projector.catch_up()
            if done:
                logging.getLogger("regimen.projections").info("processed %d events", done)
            stop.wait(interval)
    finally:
        regimen.close()


@projections.command("rebuild")
@click.option("--view", "views", multiple=True, type=click.Choice([v.name for v in ALL_VIEWS]))
def projections_rebuild(views: tuple[str, ...]) -> None:
    """Empty the views (all, or those named) and replay the whole log into them."""
    regimen = _regimen()
    try:
        projector = Projector(regimen)
        total = regimen.recorder.max_notification_id() or 0
        with click.progressbar(length=total, label="rebuilding", show_pos=True) as bar:
            done = projector.rebuild(views, progress=bar.update)
        chosen = [view.name for view in ALL_VIEWS if not views or view.name in views]
        rebuilt = [name for name in chosen if name not in projector.stuck]
        click.echo(f"rebuilt {', '.join(rebuilt) or 'no view'} from {done} events")
        stuck = [projector.stuck[name] for name in chosen if name in projector.stuck]
        if stuck:
            raise click.ClickException("; ".join(fault.describe() for fault in stuck))
    finally:
        regimen.close()


@main.group()
def reminders() -> None:
    """Reminders to clients: the outbox of due reminders."""


@reminders.command("dispatch")
@click.option("--once", is_flag=True, help="One pass now, then exit.")
@click.option("--interval", default=60.0, show_default=True, help="Seconds between passes.")
def reminders_dispatch(once: bool, interval: float) -> None:
    """Send every due reminder (safe beside other dispatchers: each is sent once)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = Settings.from_env()
    regimen = build_regimen(settings)
    dispatcher = reminder_dispatcher(regimen, settings)
    stop = threading.Event()
    try:
        while True:
            report = dispatcher.dispatch(utc_now())
            click.echo(
                f"sent {report.sent}, retrying {report.retried}, failed {report.failed},"
                f" cancelled {report.cancelled}"
            )
            if once:
                return
            install_signal_handlers(stop)
            if stop.wait(interval):
                return
    finally:
        regimen.close()


@main.group()
def users() -> None:
    """Staff accounts and their tokens."""


THERAPIST_HELP = "the therapist record (id or exact name) a therapist user is"


@users.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice([r.value for r in DEMO_ROLES]))
@click.option("--therapist", "therapist", default=None, help=THERAPIST_HELP)
def users_add(name: str, role: str, therapist: str | None) -> None:
    """Add a user and print its token (shown this once only)."""
    regimen = _regimen()
    if Role(role) is Role.THERAPIST and therapist is None:
        click.echo("warning: without --therapist this user reads no charts; link it later")
    try:
        therapist_id = None if therapist is None else _therapist_id(regimen, therapist)
        account, token = regimen.add_user(name, Role(role), CLI_ACTOR, therapist_id)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{account.name} ({account.role.value}) token: {token}")


@users.command("link")
@click.argument("name_or_id")
@click.option("--therapist", "therapist", required=True, help=THERAPIST_HELP)
def users_link(name_or_id: str, therapist: str) -> None:
    """Link a therapist user to their therapist record (it decides which charts they see)."""
    regimen = _regimen()
    try:
        account = regimen.link_user(name_or_id, _therapist_id(regimen, therapist), CLI_ACTOR)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{account.name} is therapist {account.therapist_id}")


def _demo_therapist(regimen: Regimen) -> UUID | None:
    """The demo therapist the demo's therapist token is, if this database holds the demo."""
    try:
        return _therapist_id(regimen, THERAPISTS[0][0])
    except click.ClickException:
        return None


def _therapist_id(regimen: Regimen, id_or_name: str) -> UUID:
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
    for account in _regimen().list_users():
        state = "revoked" if account.revoked else "active"
        therapist = f"  therapist {account.therapist_id}" if account.therapist_id else ""
        click.echo(
            f"{account.user_id}  {account.name:<24} {account.role.value:<11} {state}{therapist}"
        )


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
    settings = Settings.from_env()
    if not settings.public_url:  # links point at this machine unless told otherwise
        settings = replace(settings, public_url=local_address(host, port))
    regimen = build_regimen(settings)
    if seed_demo(regimen, CLI_ACTOR):
        click.echo("demo clinic added")
    click.echo("Tokens for this run (earlier demo tokens are revoked):")
    for role in DEMO_ROLES:
        name = f"demo-{role.value.replace('_', '-')}"
        if any(a.name == name and not a.revoked for a in regimen.list_users()):
            regimen.revoke_user(name, CLI_ACTOR)
        linked = _demo_therapist(regimen) if role is Role.THERAPIST else None
        _, token = regimen.add_user(name, role, CLI_ACTOR, linked)
        click.echo(f"  {role.value:<11} {token}")
    click.echo(f"API docs: {settings.public_url}/api/docs")
    click.echo(f"Front desk: {settings.public_url}/  (sign in with the front_desk token)")
    regimen.close()
    # One scheduler beside the web server, in its own process (never in a web worker).
    scheduler_process = subprocess.Popen([sys.executable, "-m", "service.cli", "scheduler"])
    try:
        _serve(host, port, workers=2, settings=settings)
    finally:
        scheduler_process.terminate()
        scheduler_process.wait(timeout=15)


if __name__ == "__main__":
    main()
