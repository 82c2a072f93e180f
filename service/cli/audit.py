"""The audit commands of `regimen`: replay, audit verify|seal|export, keys generate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

import click
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import MapperDeserialisationError

from service.application.regimen import Regimen, utc_now
from service.audit.chain import ChainBroken
from service.audit.records import json_record, plan_document, report_record
from service.audit.replay import MAX_VERSION
from service.audit.seals import KeyMismatch
from service.cli.context import CLI_ACTOR, regimen_from_env
from service.config import ConfigError
from service.domain.errors import DomainError

UNREADABLE = (
    "the stored events cannot be read: REGIMEN_CIPHER_KEY is missing, or is not the key "
    "they were written with"
)


class ClearErrors(click.Group):
    """A command group that reports known failures as one clear line, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; turn domain, key, store and settings errors into click errors."""
        try:
            return super().invoke(ctx)
        except MapperDeserialisationError:
            raise click.ClickException(UNREADABLE) from None
        except (DomainError, KeyMismatch, ChainBroken, ConfigError) as error:
            raise click.ClickException(str(error)) from None


@contextmanager
def opened() -> Iterator[Regimen]:
    """The application on the configured database, closed afterwards."""
    regimen = regimen_from_env()
    try:
        yield regimen
    finally:
        regimen.close()


@click.command()
@click.argument("plan_id", type=click.UUID)
@click.option(
    "--version", type=click.IntRange(min=1, max=MAX_VERSION), help="The plan at this version."
)
@click.option("--as-of", "as_of", help="The plan at this instant (ISO 8601 with offset).")
def replay(plan_id: UUID, version: int | None, as_of: str | None) -> None:
    """Print a plan as JSON: now, at a version, or as it stood at an instant."""
    if version is not None and as_of is not None:
        raise click.UsageError("give --version or --as-of, not both")
    instant = _instant(as_of) if as_of is not None else None
    with opened() as regimen:
        plan = regimen.plan_at(plan_id, version=version, as_of=instant)
        detail = f"version={version}" if version else f"as_of={as_of}" if as_of else ""
        regimen.record_views(
            [plan_id], actor=CLI_ACTOR, record="plan", detail=detail, via="cli", now=utc_now()
        )
        click.echo(json.dumps(plan_document(plan), indent=2, sort_keys=True))


def _instant(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not an ISO 8601 instant", param_hint="--as-of"
        ) from None
    if instant.tzinfo is None:
        raise click.BadParameter(
            "give the instant with its offset, e.g. +00:00", param_hint="--as-of"
        )
    return instant


@click.group()
def audit() -> None:
    """Tamper evidence and exports of the event store."""


@audit.command("verify")
@click.option("--anchor", help="POSITION:HASH printed by an earlier verify; check it still holds.")
def audit_verify(anchor: str | None) -> None:
    """Check every stored event against its seal and the chained seals of the whole log."""
    verify_store(parse_anchor(anchor) if anchor else None)


def verify_store(expected: tuple[int, bytes] | None = None) -> None:
    """Verify the configured store, print OK and the head (POSITION:HASH) or every problem;
    exit 1 on a problem. `regimen audit verify` and `regimen restore` both end here."""
    with opened() as regimen:
        end = regimen.log_end()
        with click.progressbar(length=end, label="Verifying", show_pos=True) as bar:
            reached = [0]

            def progress(position: int) -> None:
                bar.update(position - reached[0])
                reached[0] = position

            report = regimen.verify_log(progress, expected)
        regimen.record_verification(report, utc_now())
    summary = report_record(report)
    if report.ok:
        click.echo(
            f"OK: {report.events_checked} events and {report.seals_checked} seals verified; "
            f"head: {summary['head_position']}:{summary['head_hash']}"
        )
        return
    click.echo(f"FAILED: {report.problem_count} problem(s) " + json.dumps(report.counts))
    for problem in report.problems:
        click.echo(f"  position {problem.position}: {problem.kind}: {problem.detail}")
    raise SystemExit(1)


def parse_anchor(text: str) -> tuple[int, bytes]:
    position, _, digest = text.partition(":")
    try:
        return int(position), bytes.fromhex(digest)
    except ValueError:
        raise click.BadParameter(
            "expected POSITION:HASH, e.g. 1234:9f86d0...", param_hint="--anchor"
        ) from None


@audit.command("seal")
def audit_seal() -> None:
    """Seal events stored before sealing began; refuses if any sealed event fails verification."""
    with opened() as regimen:
        sealed = regimen.seal_unsealed()
    click.echo(f"sealed {sealed} events" if sealed else "every stored event is already sealed")


@audit.command("export")
@click.argument("plan_id", type=click.UUID)
def audit_export(plan_id: UUID) -> None:
    """Print a plan's events as JSON lines, one event a line, in order."""
    with opened() as regimen:
        events = regimen.plan_events(plan_id)
        regimen.record_views([plan_id], actor=CLI_ACTOR, record="export", via="cli", now=utc_now())
    for logged in events:
        click.echo(json.dumps(json_record(logged), sort_keys=True))


@click.group()
def keys() -> None:
    """Keys for encryption at rest."""


@keys.command("generate")
def keys_generate() -> None:
    """Print a new AES-256 key for REGIMEN_CIPHER_KEY (keep it safe: without it nothing reads)."""
    click.echo(AESCipher.create_key(32))


COMMANDS = (replay, audit, keys)
