"""Regimen's schema steps, in order, and the checks the long-running processes make at start.

Step 1 is every table as Regimen first recorded a schema version: the event store's
(events, seals, snapshots), the views' (tracking, versions, faults, each view's tables
at its current layout) and the adapters' own (idempotency keys, browser sessions, the
scheduler's leader board, the last seal verification). A later change of a table that
cannot be rebuilt from the log is a new step at the end of `STEPS`; a view's layout
changes with its own `version` instead (service/projections/view.py), and a view is
rebuilt from the log by `regimen projections rebuild` or the projections process.
"""

from __future__ import annotations

from typing import Any

from service.adapters.browser_sessions import BrowserSessions
from service.adapters.client_keys import CREATE_STATEMENTS as CLIENT_KEY_TABLES
from service.adapters.dialects import OnlyOn
from service.adapters.idempotency import IdempotencyKeys
from service.adapters.leader_board import LeaderBoard
from service.adapters.rate_limits import RateLimits
from service.adapters.schema_versions import SchemaStep, Upgrade, schema_version, upgrade_schema
from service.adapters.verifications import Verifications
from service.adapters.view_recorders import view_recorder_for
from service.projections.faults import FAULTS_TABLE
from service.projections.notice_view import DELIVERIES as NOTICE_DELIVERIES
from service.projections.notice_view import NOTICES
from service.projections.projector import VERSIONS_TABLE
from service.projections.views import ALL_VIEWS, WAITLIST
from service.projections.waitlist_view import BY_CLIENT as WAITLIST_BY_CLIENT

UPGRADE_COMMAND = "regimen db upgrade"


# pg_trgm (a trusted extension: a user who may create in the database may add it) goes
# in `public`, which every schema of the database sees and no test schema's drop takes.
EXTENSIONS = (OnlyOn("postgres", "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"),)


def first_tables() -> list[str]:
    """Step 1: every table of the views and the adapters, and the views' versions (a new
    database makes its views at their current layout, so it needs the extensions first)."""
    return [
        *EXTENSIONS,
        *VERSIONS_TABLE,
        FAULTS_TABLE,
        *(table for view in ALL_VIEWS for table in view.tables),
        *(kept.create_statement for kept in (IdempotencyKeys, BrowserSessions, LeaderBoard)),
        Verifications.create_statement,
        # A view made here is at its current layout; one made earlier keeps its record.
        *(
            f"INSERT INTO rv_view_versions VALUES ('{view.name}', {view.version})"
            " ON CONFLICT (view) DO NOTHING"
            for view in ALL_VIEWS
        ),
    ]


def client_page_tables() -> list[str]:
    """Step 2: the request counts that limit clients' links and feeds; the notices view
    (bookings confirmed, changes announced) and its deliveries."""
    return [
        RateLimits.create_statement,
        *NOTICES.tables,
        NOTICE_DELIVERIES,
        f"INSERT INTO rv_view_versions VALUES ('{NOTICES.name}', {NOTICES.version})"
        " ON CONFLICT (view) DO NOTHING",
    ]


def client_key_tables() -> list[str]:
    """Step 3: the clients' wrapped data keys, and which client each aggregate is about."""
    return list(CLIENT_KEY_TABLES)


def waitlist_tables() -> list[str]:
    """Step 4: the waitlist's view, its record of freed times to offer, and its outbox."""
    return [
        *WAITLIST.tables,
        f"INSERT INTO rv_view_versions VALUES ('{WAITLIST.name}', {WAITLIST.version})"
        " ON CONFLICT (view) DO NOTHING",
    ]


def waitlist_client_indexes() -> list[str]:
    """Step 6: the waitlist's entries and offer messages by client (a database made at step 6
    or later has them from step 4 already)."""
    return list(WAITLIST_BY_CLIENT)


STEPS: tuple[SchemaStep, ...] = (
    SchemaStep(1, "every table of Regimen 1", first_tables, event_store=True),
    SchemaStep(2, "rate limits of clients' links; notices to clients", client_page_tables),
    SchemaStep(3, "clients' data keys and the client each aggregate is about", client_key_tables),
    SchemaStep(4, "the waitlist: entries, freed times, offers and their outbox", waitlist_tables),
    SchemaStep(5, "the trigram extension client search uses (PostgreSQL)", lambda: EXTENSIONS),
    SchemaStep(6, "the waitlist's entries and offer messages by client", waitlist_client_indexes),
)
CURRENT = STEPS[-1].version


def upgrade(app: Any) -> Upgrade:
    """Apply the missing steps (one process at a time) and record the version."""
    return upgrade_schema(app, STEPS)


def create_if_fresh(app: Any) -> Upgrade:
    """Make an empty database current; leave one holding an older schema alone."""
    return upgrade_schema(app, STEPS, only_if_fresh=True)


def behind(app: Any, *, views: bool = True) -> str | None:
    """Why this release cannot run on the database yet (one line naming the command that
    fixes it), or None if the schema (and, with `views`, every view's layout) is current."""
    version = schema_version(app)
    if version < CURRENT:
        return (
            f"the database schema is version {version} and this release needs {CURRENT}:"
            f" run `{UPGRADE_COMMAND}` first"
        )
    if views:
        stored = {
            row["view"]: row["version"]
            for row in view_recorder_for(app).query("SELECT view, version FROM rv_view_versions")
        }
        stale = [view.name for view in ALL_VIEWS if stored.get(view.name) != view.version]
        if stale:
            return (
                f"the layout of view {', '.join(stale)} is older than this release needs:"
                f" run `{UPGRADE_COMMAND}` first"
            )
    return None
