"""`regimen scheduler` and `regimen reminders dispatch`: the processes beside the web server."""

from __future__ import annotations

import logging
import os
import socket
import threading

import click

from service.adapters.leader import leader_lock_for
from service.adapters.leader_board import LeaderBoard
from service.bootstrap import bootstrap
from service.cli.db import require_current_schema
from service.scheduler.runner import SchedulerRunner, counts, install_signal_handlers

LOG = logging.getLogger("regimen.reminders")


@click.command()
@click.option("--once", is_flag=True, help="Run every job once, now, and exit.")
def scheduler(once: bool) -> None:
    """Run the scheduler: one leader per database runs the jobs; the others stand by."""
    wiring = bootstrap()  # built in this process, never before a fork
    try:
        require_current_schema(wiring.regimen)
    except click.ClickException:
        wiring.close()
        raise
    board = LeaderBoard.of(wiring.regimen)
    node = f"{socket.gethostname()}:{os.getpid()}"
    runner = SchedulerRunner(
        wiring.jobs(),
        leader_lock_for(wiring.settings),
        clock=wiring.clock,
        while_leading=lambda now: board.beat(node, now),
    )
    try:
        if once:
            outcomes = runner.run_once(wiring.clock())
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
        wiring.close()


@click.group()
def reminders() -> None:
    """Reminders to clients: the outbox of due reminders."""


@reminders.command("dispatch")
@click.option("--once", is_flag=True, help="One pass now, then exit.")
@click.option("--interval", default=60.0, show_default=True, help="Seconds between passes.")
def reminders_dispatch(once: bool, interval: float) -> None:
    """Send every due reminder (safe beside other dispatchers: each is sent once)."""
    wiring = bootstrap()
    try:
        require_current_schema(wiring.regimen)
    except click.ClickException:
        wiring.close()
        raise
    dispatcher = wiring.dispatcher()
    stop = threading.Event()
    try:
        while True:
            report = dispatcher.dispatch(wiring.clock())
            LOG.info(
                "reminders: dispatch pass", extra={"job": "dispatch-reminders", **counts(report)}
            )
            if once:
                click.echo(
                    f"sent {report.sent}, retrying {report.retried}, failed {report.failed},"
                    f" cancelled {report.cancelled}"
                )
                return
            install_signal_handlers(stop)
            if stop.wait(interval):
                return
    finally:
        wiring.close()
