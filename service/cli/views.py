"""`regimen projections run|rebuild`: keep the read models up to date, or rebuild them."""

from __future__ import annotations

import logging
import threading

import click

from service.cli.context import regimen_from_env
from service.cli.db import require_current_schema
from service.projections.projector import Projector
from service.projections.views import ALL_VIEWS
from service.scheduler.runner import install_signal_handlers

LOG = logging.getLogger("regimen.projections")


@click.group()
def projections() -> None:
    """The read models: follow the log live, or rebuild from zero."""


@projections.command("run")
@click.option("--interval", default=0.5, show_default=True, help="Seconds between polls.")
def projections_run(interval: float) -> None:
    """Keep every view up to date until stopped (SIGTERM or Ctrl-C)."""
    regimen = regimen_from_env()
    try:
        require_current_schema(regimen, views=False)
    except click.ClickException:
        regimen.close()
        raise
    projector = Projector(regimen)
    projector.upgrade_views()  # a view whose layout changed is emptied here, then refilled
    stop = threading.Event()
    install_signal_handlers(stop)
    try:
        while not stop.is_set():
            done = projector.catch_up()
            if done:
                LOG.info("processed %d events", done, extra={"events": done})
            stop.wait(interval)
    finally:
        regimen.close()


@projections.command("rebuild")
@click.option("--view", "views", multiple=True, type=click.Choice([v.name for v in ALL_VIEWS]))
def projections_rebuild(views: tuple[str, ...]) -> None:
    """Empty the views (all, or those named) and replay the whole log into them."""
    regimen = regimen_from_env()
    try:
        require_current_schema(regimen, views=False)
        projector = Projector(regimen)
        projector.upgrade_views()  # then rebuilt below with the others
        total = regimen.recorder.max_notification_id() or 0
        with click.progressbar(length=total, label="rebuilding", show_pos=True) as bar:
            done = projector.rebuild(views, progress=bar.update)
        chosen = [view.name for view in ALL_VIEWS if not views or view.name in views]
        rebuilt = [name for name in chosen if name not in projector.stuck]
        click.echo(f"rebuilt {', '.join(rebuilt) or 'no view'} from {done} events")
        stuck = [projector.stuck[name] for name in chosen if name in projector.stuck]
        if stuck:
            raise click.ClickException("; ".join(fault.describe(detail=True) for fault in stuck))
    finally:
        regimen.close()
