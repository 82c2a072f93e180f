"""Seals: what each hash covers, keyed and unkeyed, and how a key mismatch is told."""

from __future__ import annotations

from base64 import b64encode
from uuid import uuid4

import pytest

from service.audit.seals import GENESIS, UNKEYED, Hasher, KeyMismatch, content_digest, id_bytes

KEY = b64encode(bytes(range(32))).decode()
OTHER_KEY = b64encode(bytes(range(1, 33))).decode()


def test_an_event_hash_covers_the_previous_hash_the_id_the_version_and_the_content() -> None:
    hasher, aggregate = Hasher(), uuid4()
    digest = content_digest("plan:Booked", b'{"number":1}')
    base = hasher.event_hash(GENESIS, aggregate, 1, digest)

    assert hasher.event_hash(GENESIS, aggregate, 1, digest) == base
    assert hasher.event_hash(bytes([1] * 32), aggregate, 1, digest) != base
    assert hasher.event_hash(GENESIS, uuid4(), 1, digest) != base
    assert hasher.event_hash(GENESIS, aggregate, 2, digest) != base
    assert hasher.event_hash(GENESIS, aggregate, 1, content_digest("plan:Booked", b"{}")) != base


def test_the_content_digest_separates_topic_from_state() -> None:
    assert content_digest("ab", b"c") != content_digest("a", b"bc")


def test_a_log_hash_covers_the_previous_seal_and_the_position() -> None:
    hasher, event_hash = Hasher(), bytes([7] * 32)
    base = hasher.log_hash(GENESIS, 5, event_hash)

    assert hasher.log_hash(GENESIS, 6, event_hash) != base
    assert hasher.log_hash(bytes([1] * 32), 5, event_hash) != base


def test_a_keyed_hasher_gives_other_hashes_than_an_unkeyed_one_or_another_key() -> None:
    digest = content_digest("t", b"s")
    hashes = {
        h.event_hash(GENESIS, "0" * 32, 1, digest)
        for h in (Hasher(), Hasher.for_cipher_key(KEY), Hasher.for_cipher_key(OTHER_KEY))
    }

    assert len(hashes) == 3


def test_the_fingerprint_names_the_key_without_revealing_it() -> None:
    keyed = Hasher.for_cipher_key(KEY)

    assert Hasher.for_cipher_key("").fingerprint == UNKEYED
    assert keyed.fingerprint == Hasher.for_cipher_key(KEY).fingerprint
    assert keyed.fingerprint != Hasher.for_cipher_key(OTHER_KEY).fingerprint
    assert KEY not in keyed.fingerprint


@pytest.mark.parametrize(
    ("sealed_with", "using", "says"),
    [
        (UNKEYED, KEY, "written without one"),
        (Hasher.for_cipher_key(KEY).fingerprint, "", "set the same key"),
        (Hasher.for_cipher_key(KEY).fingerprint, OTHER_KEY, "not the key"),
    ],
)
def test_a_store_sealed_with_another_key_is_refused_with_a_clear_message(
    sealed_with: str, using: str, says: str
) -> None:
    with pytest.raises(KeyMismatch, match=says):
        Hasher.for_cipher_key(using).check(sealed_with)


def test_the_same_key_or_a_store_not_sealed_yet_is_accepted() -> None:
    Hasher.for_cipher_key(KEY).check(Hasher.for_cipher_key(KEY).fingerprint)
    Hasher.for_cipher_key(KEY).check(None)


def test_an_id_hashes_the_same_however_the_database_returns_it() -> None:
    aggregate = uuid4()

    assert {
        id_bytes(aggregate),
        id_bytes(aggregate.hex),
        id_bytes(str(aggregate)),
        id_bytes(aggregate.bytes),
    } == {aggregate.bytes}
