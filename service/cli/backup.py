"""`regimen backup PATH` and `regimen restore PATH`: a consistent copy of a SQLite database
taken while the service runs, and its return into an empty database, verified at once.

On PostgreSQL the database's own tools do this; the commands print them and exit non-zero.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import click

from service.adapters.backup import BackupRefused
from service.adapters.backup import backup as backup_copy
from service.adapters.backup import restore as restore_copy
from service.cli.audit import parse_anchor, verify_store
from service.config import Settings

KEEP = (
    "Keep with it, but not in the same place: REGIMEN_CIPHER_KEY (without it the events "
    "cannot be read), REGIMEN_SECRET_KEY, and the head POSITION:HASH the last `regimen "
    "audit verify` printed."
)


def sqlite_path(settings: Settings, doing: str) -> Path:
    """The SQLite file the settings name; a clear error on another database."""
    if settings.backend == "postgresql":
        raise click.ClickException(postgres_commands(settings.database_url, doing))
    if settings.backend != "sqlite":
        raise click.ClickException(f"an in-memory database cannot be {doing}")
    path = settings.eventsourcing_env()["SQLITE_DBNAME"]
    if path == ":memory:":
        raise click.ClickException(f"an in-memory database cannot be {doing}")
    return Path(path)


def postgres_commands(url: str, doing: str) -> str:
    """What to run instead on PostgreSQL (the password is never printed)."""
    parts = urlsplit(url)
    schema = parse_qs(parts.query).get("schema", [""])[0]
    host = parts.hostname or "127.0.0.1"
    target = f"--host={host} --port={parts.port or 5432}"
    target += f" --username={parts.username or 'postgres'} --dbname={parts.path.lstrip('/')}"
    only = f" --schema={schema}" if schema else ""
    return (
        f"on PostgreSQL the database is {doing} with its own tools, not by regimen:\n"
        f"  back up:  pg_dump {target}{only} --format=custom --file=regimen.dump\n"
        f"  restore:  pg_restore {target} --exit-on-error regimen.dump  (into an empty "
        "database), then: regimen audit verify\n"
        "(the password from PGPASSWORD or ~/.pgpass)"
    )


@contextmanager
def refusal_as_error() -> Iterator[None]:
    """A refused copy as the command's one-line error, not a traceback."""
    try:
        yield
    except BackupRefused as error:
        raise click.ClickException(str(error)) from None


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Copy the SQLite database to PATH, safely while the service runs."""
    database = sqlite_path(Settings.from_env(), "backed up")
    with refusal_as_error():
        position = backup_copy(database, path)
    click.echo(f"backed up {database} to {path}: events up to position {position}")
    click.echo(KEEP)


@click.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--anchor", help="POSITION:HASH printed by a verify before the backup; check it holds."
)
def restore(path: Path, anchor: str | None) -> None:
    """Copy the backup at PATH into the configured (empty) database, then verify it."""
    expected = parse_anchor(anchor) if anchor else None
    database = sqlite_path(Settings.from_env(), "restored")
    with refusal_as_error():
        position = restore_copy(path, database)
    click.echo(f"restored {path} into {database}: events up to position {position}")
    click.echo("verifying the restored events and seals (regimen audit verify)")
    verify_store(expected)


COMMANDS = (backup, restore)
