"""The store's transcoder writes exactly the bytes of the library's, which the seals cover."""

from __future__ import annotations

import math
from base64 import b64encode
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum, IntEnum
from pathlib import Path
from typing import Any, NamedTuple
from uuid import UUID

import pytest
from eventsourcing.persistence import JSONTranscoder, Transcoding, TranscodingNotRegisteredError
from hypothesis import given, settings
from hypothesis import strategies as st

from service.adapters.encoding import KEPT_KEYS, CompiledTranscoder
from service.adapters.transcodings import ENUM_TYPES, TimedeltaAsMicroseconds
from service.application import Regimen
from service.bootstrap import build_regimen
from service.cli.demo import seed_demo
from service.config import Settings
from service.domain.values import Role
from service.scheduler.booking_policy import ConflictPolicy
from tests.builders import ADMIN
from tests.unit.test_transcodings import SAMPLES


def transcoders() -> tuple[JSONTranscoder, CompiledTranscoder]:
    """The library's transcoder and this one, each knowing the application's types."""
    app = Regimen(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    library, compiled = JSONTranscoder(), CompiledTranscoder()
    for transcoder in (library, compiled):
        app.register_transcodings(transcoder)
    app.close()
    return library, compiled


LIBRARY, COMPILED = transcoders()


def test_the_application_encodes_with_it() -> None:
    app = Regimen(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    try:
        assert type(app.mapper.transcoder) is CompiledTranscoder
    finally:
        app.close()


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: type(s).__name__)
def test_every_value_object_is_written_as_the_library_writes_it(sample: Any) -> None:
    state = {"value": sample, "in_a_list": [sample, None], "in_a_tuple": (sample,)}

    assert COMPILED.encode(state) == LIBRARY.encode(state)


@pytest.mark.parametrize("member", [m for enum in ENUM_TYPES for m in enum], ids=str)
def test_every_enum_member_is_written_as_the_library_writes_it(member: Enum) -> None:
    assert COMPILED.encode({"member": member}) == LIBRARY.encode({"member": member})


class Level(IntEnum):
    LOW = 1


class Pair(NamedTuple):
    left: int
    right: str


TEXT = st.text(st.characters(codec="utf-8"))  # control characters, quotes, any plane
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | TEXT
    | st.uuids()
    | st.dates()
    | st.times()
    | st.datetimes(timezones=st.sampled_from([None, UTC]))
    | st.timedeltas()
    | st.decimals(allow_nan=False)
    | st.sampled_from([Role.ADMIN, ConflictPolicy.SHIFT, Level.LOW, Pair(1, "a")])
    | st.sampled_from(SAMPLES)
)
NESTED = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(deadline=None)  # a busy machine slows an example, not the encoding's result
@given(value=NESTED)
def test_any_nested_value_is_written_as_the_library_writes_it(value: Any) -> None:
    assert COMPILED.encode(value) == LIBRARY.encode(value)


def test_subclasses_of_what_json_writes_are_written_as_json_writes_them() -> None:
    state = {"policy": ConflictPolicy.FAIL, "level": Level.LOW, "pair": Pair(2, "b")}

    assert COMPILED.encode(state) == LIBRARY.encode(state)
    assert COMPILED.encode(state) == b'{"policy":"fail","level":1,"pair":[2,"b"]}'


def test_floats_that_are_not_numbers_are_written_as_json_writes_them() -> None:
    state = [math.nan, math.inf, -math.inf, 0.1, -0.0, 1e300]

    assert COMPILED.encode(state) == LIBRARY.encode(state)


def test_keys_that_are_not_text_are_left_to_the_library() -> None:
    state = {1: "one", None: "none", 2.5: "half", False: "no"}

    assert COMPILED.encode(state) == LIBRARY.encode(state)
    assert COMPILED.encode(state) == b'{"1":"one","null":"none","2.5":"half","false":"no"}'


def test_a_type_without_a_transcoding_raises_the_librarys_error() -> None:
    class Unknown:
        pass

    with pytest.raises(TranscodingNotRegisteredError, match="Unknown"):
        COMPILED.encode({"value": Unknown()})


def test_a_value_that_contains_itself_raises_the_librarys_error() -> None:
    looped: list[Any] = []
    looped.append(looped)

    with pytest.raises(ValueError, match="Circular reference"):
        COMPILED.encode(looped)


def test_a_later_transcoding_of_a_type_replaces_its_writer() -> None:
    transcoder, library = CompiledTranscoder(), JSONTranscoder()
    for each in (transcoder, library):
        each.register(TimedeltaAsMicroseconds())
    assert transcoder.encode(timedelta(hours=2)) == b'{"_type_":"timedelta_us","_data_":7200000000}'

    for each in (transcoder, library):
        each.register(Hours())

    assert transcoder.encode(timedelta(hours=2)) == b'{"_type_":"hours","_data_":2.0}'
    assert transcoder.encode(timedelta(hours=2)) == library.encode(timedelta(hours=2))


def test_keys_of_a_dict_keyed_by_data_are_written_but_not_all_kept() -> None:
    transcoder = CompiledTranscoder()
    state = {f"key {n}": n for n in range(KEPT_KEYS + 500)}

    assert transcoder.encode(state) == JSONTranscoder().encode(state)
    assert len(transcoder.keys) == KEPT_KEYS


class Hours(Transcoding):
    type = timedelta
    name = "hours"

    def encode(self, obj: timedelta) -> float:
        return obj / timedelta(hours=1)

    def decode(self, data: float) -> timedelta:
        return timedelta(hours=data)


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Every state the application encodes, each checked against the library's bytes."""
    written: list[bytes] = []
    encode = CompiledTranscoder.encode

    def checked(self: CompiledTranscoder, obj: Any) -> bytes:
        answer = encode(self, obj)
        assert answer == JSONTranscoder.encode(self, obj)
        written.append(answer)
        return answer

    monkeypatch.setattr(CompiledTranscoder, "encode", checked)
    yield written


def test_every_event_of_the_demo_clinic_is_written_as_the_library_writes_it(
    compared: list[bytes], tmp_path: Path
) -> None:
    """On SQLite with a cipher key, so clients' personal fields are written apart, to be
    sealed under their own keys, as in service (every payload is then encrypted)."""
    key = b64encode(bytes(range(32))).decode()
    app = build_regimen(Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}", cipher_key=key))
    try:
        seed_demo(app, ADMIN)
        stored = list(app.recorder.select_notifications(start=None, limit=100_000))
    finally:
        app.close()

    assert len(stored) > 300  # the demo is a clinic's worth of plans, days and people
    assert len(compared) >= len(stored)  # each event's state, and its personal fields apart
    assert any(b'"_personal"' in state for state in compared)
    topics = {s.topic.rsplit(":", 1)[1] for s in stored}
    assert {
        "TreatmentPlan.SessionBooked",
        "CalendarDay.SlotReserved",
        "Client.ClientRegistered",
    } <= (topics)


def test_dates_and_times_are_written_by_their_iso_transcodings() -> None:
    state = {"on": date(2026, 3, 9), "at": time(9, 30), "when": datetime(2026, 3, 9, 9, 30)}

    assert COMPILED.encode(state) == (
        b'{"on":{"_type_":"date_iso","_data_":"2026-03-09"},'
        b'"at":{"_type_":"time_iso","_data_":"09:30:00"},'
        b'"when":{"_type_":"datetime_iso","_data_":"2026-03-09T09:30:00"}}'
    )
    assert COMPILED.encode({"id": UUID(int=1), "n": Decimal("1.5")}) == LIBRARY.encode(
        {"id": UUID(int=1), "n": Decimal("1.5")}
    )
