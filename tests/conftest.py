"""Fixtures: settings -> regimen -> app -> client, over memory, SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import closing
from datetime import time
from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.application import Regimen
from service.bootstrap import build_regimen
from service.config import Settings
from service.domain.values import Role
from service.http.app import create_app
from tests.builders import ADMIN, Clinic, agreed_plan, small_clinic
from tests.fakes import FixedClock

os.environ["REGIMEN_CHECK_DUMPS"] = "1"  # every API answer also dumped by marshmallow, compared
POSTGRES_URL = os.environ.get("REGIMEN_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("REGIMEN_REQUIRE_POSTGRES", "") == "1"
SHARED_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
BACKENDS = ["memory", *SHARED_BACKENDS]


def postgres_schema_url() -> Iterator[str]:
    """A database URL on a fresh schema of the test PostgreSQL, dropped afterwards."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("REGIMEN_TEST_POSTGRES_URL is not set but PostgreSQL tests are required")
        pytest.skip("REGIMEN_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}schema={schema}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def database_url_for(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of this backend."""
    if backend == "memory":
        yield "memory://"
    elif backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'regimen.db'}"
    else:
        yield from postgres_schema_url()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each test using this runs once per backend."""
    yield from database_url_for(request.param, tmp_path)


@pytest.fixture(params=SHARED_BACKENDS)
def shared_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh SQLite file or PostgreSQL schema: a store that separate applications (as
    separate processes would) can share."""
    yield from database_url_for(request.param, tmp_path)


@pytest.fixture
def two_processes(shared_database_url: str) -> Iterator[tuple[Regimen, Regimen]]:
    """Two applications on one shared database, standing for two processes; closed after."""
    settings = Settings(database_url=shared_database_url)
    with closing(build_regimen(settings)) as one, closing(build_regimen(settings)) as other:
        yield one, other


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'regimen.db'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL schema."""
    yield from postgres_schema_url()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for a fresh database."""
    return Settings(
        database_url=database_url,
        outbox_dir=str(tmp_path / "outbox"),
        public_url="http://localhost",  # where the test client sends its requests
    )


@pytest.fixture
def regimen(settings: Settings) -> Iterator[Regimen]:
    """The application on a fresh database."""
    app = build_regimen(settings)
    yield app
    app.close()


@pytest.fixture
def clock() -> FixedClock:
    """Monday 2 March 2026, 08:00 UTC, until a test moves it."""
    return FixedClock()


@pytest.fixture
def app(settings: Settings, regimen: Regimen, clock: FixedClock) -> Flask:
    """The Flask app over the test application."""
    flask_app = create_app(settings, regimen=regimen, clock=clock)
    flask_app.testing = True
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def tokens(regimen: Regimen) -> dict[str, str]:
    """A token for each staff role, by role name."""
    return {
        role.value: regimen.add_user(f"test-{role.value}", role, ADMIN)[1]
        for role in (Role.ADMIN, Role.FRONT_DESK, Role.THERAPIST, Role.AUDITOR)
    }


@pytest.fixture
def clinic(regimen: Regimen, tokens: dict[str, str]) -> Clinic:
    """A London clinic with two therapists, two rooms and two clients; the therapist
    token's user is the first therapist."""
    built = small_clinic(regimen)
    regimen.link_user("test-therapist", built.therapist_id, ADMIN)
    return built


@pytest.fixture
def plan_id(regimen: Regimen, clinic: Clinic) -> UUID:
    """An agreed plan of the first client with the first therapist in Room A: 6 weekly
    sessions of 60 minutes, nothing booked."""
    return agreed_plan(regimen, clinic)


def office_hours() -> tuple[time, time]:
    """The clinic's and therapists' weekday hours in the tests."""
    return time(8), time(20)
