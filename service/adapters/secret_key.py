"""The server's secret key: set, or kept in a file beside the data (sessions and links)."""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from pathlib import Path

from service.config import ConfigError, Settings

LOG = logging.getLogger("regimen.web")
MIN_KEY_LENGTH = 32
FALLBACK_FILE = Path("var/secret_key")


def session_secret(settings: Settings) -> str:
    """REGIMEN_SECRET_KEY if set; else a key every process on this machine shares.

    Every gunicorn worker (and every restart) must sign cookies with the same key,
    or a sign-in made in one worker is rejected by the next. So without a
    configured key the first process writes a random one to a file beside the
    SQLite database (`var/regimen.db.secret-key` for `make run`), and the others
    read it. An in-memory database lives and dies with its process, and so may its
    key. Several API nodes on one PostgreSQL database do not share a disk: they
    must all be given the same REGIMEN_SECRET_KEY (a warning says so).
    """
    if settings.secret_key:
        if len(settings.secret_key) < MIN_KEY_LENGTH:
            raise ConfigError(f"REGIMEN_SECRET_KEY must be at least {MIN_KEY_LENGTH} characters")
        return settings.secret_key
    if settings.backend == "memory":
        return secrets.token_hex(32)
    database = settings.eventsourcing_env().get("SQLITE_DBNAME", "")
    if database == ":memory:":
        return secrets.token_hex(32)
    if database:
        return shared_key(Path(f"{database}.secret-key"))
    LOG.warning(
        "REGIMEN_SECRET_KEY is not set: web sessions are signed with %s of this machine; "
        "give every API node the same REGIMEN_SECRET_KEY",
        FALLBACK_FILE,
    )
    return shared_key(FALLBACK_FILE)


def shared_key(path: Path) -> str:
    """The key in this file, written first (atomically, owner-only) by whoever comes first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
        try:
            with os.fdopen(fd, "w") as out:  # mkstemp makes it readable by the owner only
                out.write(secrets.token_hex(32))
            os.link(temporary, path)  # fails if another process linked its key first
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if len(key) < MIN_KEY_LENGTH:
        raise ConfigError(f"{path} holds no usable key: delete it to make a new one")
    return key
