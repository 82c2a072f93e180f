"""A process that builds the whole app on a database once every sibling is ready."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from service.config import Settings
from service.http.app import create_app


def main(database_url: str, ready_dir: str, siblings: int) -> None:
    """Say ready, wait for every sibling to say so too, then build the app at once."""
    ready = Path(ready_dir)
    (ready / str(os.getpid())).touch()
    while len(list(ready.iterdir())) < siblings:
        time.sleep(0.01)  # polling the start line; the files are the synchronisation
    app = create_app(Settings(database_url=database_url))
    app.extensions["regimen"].close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
