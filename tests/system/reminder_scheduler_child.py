"""A scheduler process whose only job dispatches reminders, for the leader-kill test.

Run as: python -m tests.system.reminder_scheduler_child DATABASE_URL SMTP_URL START
Its clock starts at START (an ISO instant) and runs at real speed, so claims left
by a killed leader expire (their lease is 2 seconds here) while every reminder
stays due and no session starts. Leadership comes from leader_lock_for(settings),
the same election `regimen scheduler` uses.
"""

from __future__ import annotations

import sys
import threading
import time
from datetime import datetime, timedelta

from service.adapters.leader import leader_lock_for
from service.bootstrap import bootstrap
from service.config import Settings
from service.scheduler.jobs import Job
from service.scheduler.runner import SchedulerRunner, install_signal_handlers


def main() -> None:
    database_url, smtp_url, start = sys.argv[1], sys.argv[2], datetime.fromisoformat(sys.argv[3])
    began = time.monotonic()

    def clock() -> datetime:
        return start + timedelta(seconds=time.monotonic() - began)

    settings = Settings(database_url=database_url, smtp_url=smtp_url)
    wiring = bootstrap(settings, clock=clock)
    regimen = wiring.regimen
    dispatcher = wiring.dispatcher(
        lease=timedelta(seconds=2),
        batch=1,  # one claim at a time: a kill strands at most the reminder in flight
    )
    runner = SchedulerRunner(
        [Job("dispatch-reminders", dispatcher.dispatch, every_seconds=1)],
        leader_lock_for(settings),
        clock=clock,
        poll_seconds=0.2,
    )
    stop = threading.Event()
    install_signal_handlers(stop)
    try:
        runner.run_forever(stop)
    finally:
        runner.close()
        regimen.close()


if __name__ == "__main__":
    main()
