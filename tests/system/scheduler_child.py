"""A scheduler process for the failover tests: its one job appends "<pid> <now>" to a file."""

from __future__ import annotations

import logging
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from service.adapters.leader import leader_lock_for
from service.config import Settings
from service.scheduler.jobs import Job
from service.scheduler.runner import SchedulerRunner, install_signal_handlers

POLL_SECONDS = 0.2


def heartbeat(path: Path) -> Job:
    """A job writing one line per run, so the test can see who ran it and when."""

    def write(now: datetime) -> str:
        line = f"{os.getpid()} {now.isoformat()}\n"
        with path.open("a") as out:
            out.write(line)
        return line.strip()

    return Job("heartbeat", write, every_seconds=1)


def main(database_url: str, heartbeat_file: str) -> None:
    """Run a scheduler on this database until SIGTERM."""
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(process)d %(message)s"
    )
    stop = threading.Event()
    install_signal_handlers(stop)
    runner = SchedulerRunner(
        [heartbeat(Path(heartbeat_file))],
        leader_lock_for(Settings(database_url=database_url)),
        clock=lambda: datetime.now(UTC),
        poll_seconds=POLL_SECONDS,
    )
    runner.run_forever(stop)


if __name__ == "__main__":
    main(*sys.argv[1:])
