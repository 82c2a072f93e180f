"""Replaying a plan: its history in pages, the plan at every version and between events, diffs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from service.application import Regimen
from service.audit.diff import differences
from service.audit.records import plan_document
from service.domain.errors import InvalidValue, NotFound
from service.domain.values import Referral
from tests.audit_story import EVENT_TYPES, Story, treated_and_revised
from tests.builders import THERAPIST, small_clinic


@pytest.fixture
def story(regimen: Regimen) -> Story:
    """The story, each state read the ordinary way (the plan as it stands)."""
    clinic = small_clinic(regimen)
    return treated_and_revised(
        regimen, clinic, lambda plan_id: plan_document(regimen.plan(plan_id))
    )


def timestamps(regimen: Regimen, plan_id: UUID) -> list[Any]:
    """When each version of the plan was recorded, version 1 first."""
    return [event.timestamp for event in regimen.history(plan_id)]


def test_the_story_gives_one_event_per_step(regimen: Regimen, story: Story) -> None:
    history = regimen.history(story.plan_id)

    assert [type(e).__name__ for e in history] == EVENT_TYPES
    assert story.last_version == len(EVENT_TYPES)


def test_the_plan_at_each_version_is_the_plan_as_it_stood_after_that_step(
    regimen: Regimen, story: Story
) -> None:
    for version, expected in story.states.items():
        assert plan_document(regimen.plan_at(story.plan_id, version=version)) == expected, version


def test_the_plan_as_of_any_instant_is_the_plan_after_the_last_event_up_to_it(
    regimen: Regimen, story: Story
) -> None:
    times = timestamps(regimen, story.plan_id)
    assert len(times) == story.last_version >= 5  # so every gap between two events is checked

    for version, recorded in enumerate(times, start=1):
        at_event = regimen.plan_at(story.plan_id, as_of=recorded)
        assert plan_document(at_event) == story.states[version], version
        if version < len(times):
            between = recorded + (times[version] - recorded) / 2
            assert (
                plan_document(regimen.plan_at(story.plan_id, as_of=between))
                == (story.states[version])
            ), version
    later = regimen.plan_at(story.plan_id, as_of=times[-1] + timedelta(days=365))
    assert plan_document(later) == story.states[story.last_version]


def test_before_the_proposal_there_was_no_plan(regimen: Regimen, story: Story) -> None:
    first = timestamps(regimen, story.plan_id)[0]

    with pytest.raises(NotFound, match="did not exist yet"):
        regimen.plan_at(story.plan_id, as_of=first - timedelta(microseconds=1))


@pytest.mark.parametrize("version", [len(EVENT_TYPES) + 1, 1000])
def test_a_version_the_plan_never_had_is_not_found(
    regimen: Regimen, story: Story, version: int
) -> None:
    with pytest.raises(NotFound, match=f"no version {version}"):
        regimen.plan_at(story.plan_id, version=version)


def test_a_version_below_one_or_both_a_version_and_an_instant_are_invalid(
    regimen: Regimen, story: Story
) -> None:
    with pytest.raises(InvalidValue):
        regimen.plan_at(story.plan_id, version=0)
    with pytest.raises(InvalidValue):
        regimen.plan_at(story.plan_id, version=1, as_of=timestamps(regimen, story.plan_id)[0])


def test_an_unknown_plan_has_no_past(regimen: Regimen, story: Story) -> None:
    with pytest.raises(NotFound):
        regimen.plan_at(uuid4(), version=1)
    with pytest.raises(NotFound):
        regimen.plan_at(uuid4(), as_of=timestamps(regimen, story.plan_id)[0])
    with pytest.raises(NotFound):
        regimen.history_page(uuid4())


def test_the_history_read_in_pages_is_every_event_once_in_order(
    regimen: Regimen, story: Story
) -> None:
    seen, after, pages = [], 0, 0
    while True:
        events, more = regimen.history_page(story.plan_id, after, limit=4)
        seen += [e.originator_version for e in events]
        pages += 1
        if not more:
            break
        after = events[-1].originator_version

    assert seen == list(range(1, len(EVENT_TYPES) + 1))
    assert pages == 4  # 13 events, 4 a page


def test_the_changes_between_two_versions_name_each_field_that_changed(
    regimen: Regimen, story: Story
) -> None:
    # Version 6 moved session 2; version 9 recorded that session as performed.
    before, after, events = regimen.plan_changes(story.plan_id, 6, 9)

    assert (before.version, after.version) == (6, 9)
    assert [type(e).__name__ for e in events] == EVENT_TYPES[6:9]
    changed = {
        c.path: (c.before, c.after)
        for c in differences(plan_document(before), plan_document(after))
    }
    assert changed["/version"] == (6, 9)
    assert changed["/sessions/0/status"] == ("booked", "performed")
    assert changed["/sessions/1/status"] == ("booked", "performed")
    assert changed["/sessions/0/evaluation"][0] is None
    assert changed["/sessions/0/evaluation"][1]["pain_after"] == 4
    assert "/sessions/2/status" not in changed  # session 3 was still booked at version 9
    assert "/series/interval_days" not in changed


def test_the_changes_up_to_now_include_the_revision(regimen: Regimen, story: Story) -> None:
    before, after, _ = regimen.plan_changes(story.plan_id, story.last_version - 1)

    changed = {
        c.path: (c.before, c.after)
        for c in differences(plan_document(before), plan_document(after))
    }
    assert changed["/series/interval_days"] == (7, 14)


def test_changes_from_a_later_version_to_an_earlier_one_are_invalid(
    regimen: Regimen, story: Story
) -> None:
    with pytest.raises(InvalidValue):
        regimen.plan_changes(story.plan_id, 5, 3)


def test_the_feed_read_in_pages_returns_every_stored_event_once_in_order(
    regimen: Regimen, story: Story
) -> None:
    everything = [n.id for n in regimen.recorder.select_notifications(start=1, limit=10_000)]
    seen, after = [], 0
    while True:
        events, more = regimen.event_feed(after, limit=7)
        seen += [e.position for e in events]
        if not more:
            break
        after = events[-1].position

    assert seen == everything
    assert len(set(seen)) == len(seen)


def test_a_feed_consumer_that_resumes_from_its_last_position_misses_nothing(
    regimen: Regimen, story: Story
) -> None:
    first_page, _ = regimen.event_feed(0, limit=10)
    last_read = first_page[-1].position
    # While the consumer is down, the clinic carries on.
    referral = Referral(profession="physiotherapist", reason="shoulder assessment")
    regimen.refer_client(story.plan_id, referral=referral, actor=THERAPIST)

    rest, after = [], last_read
    while True:
        events, more = regimen.event_feed(after, limit=10)
        rest += events
        if not more:
            break
        after = events[-1].position

    everything = [n.id for n in regimen.recorder.select_notifications(start=1, limit=10_000)]
    assert [e.position for e in first_page + rest] == everything
    assert type(rest[-1].event).__name__ == "ClientReferred"
