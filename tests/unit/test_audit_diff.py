"""Differences between two versions of a document, field by field, by JSON Pointer."""

from __future__ import annotations

from service.audit.diff import ADDED, CHANGED, REMOVED, Change, differences


def test_equal_documents_have_no_differences() -> None:
    document = {"status": "agreed", "sessions": [{"number": 1, "notes": None}]}

    assert differences(document, document) == []


def test_a_changed_field_deep_in_a_list_is_named_by_its_path() -> None:
    before = {"sessions": [{"number": 1, "status": "booked"}, {"number": 2, "status": "booked"}]}
    after = {"sessions": [{"number": 1, "status": "booked"}, {"number": 2, "status": "performed"}]}

    assert differences(before, after) == [
        Change("/sessions/1/status", CHANGED, "booked", "performed")
    ]


def test_added_and_removed_list_items_and_fields_are_told_apart() -> None:
    before = {"sessions": [{"n": 1}], "old": True}
    after = {"sessions": [{"n": 1}, {"n": 2}], "new": 3}

    assert differences(before, after) == [
        Change("/sessions/1", ADDED, None, {"n": 2}),
        Change("/old", REMOVED, True, None),
        Change("/new", ADDED, None, 3),
    ]


def test_a_value_that_becomes_a_document_is_one_change() -> None:
    assert differences({"evaluation": None}, {"evaluation": {"pain_after": 3}}) == [
        Change("/evaluation", CHANGED, None, {"pain_after": 3})
    ]


def test_slashes_and_tildes_in_keys_are_escaped() -> None:
    assert differences({"a/b~c": 1}, {"a/b~c": 2})[0].path == "/a~1b~0c"
