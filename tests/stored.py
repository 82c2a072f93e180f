"""Events as an earlier release stored them: fields a later release added dropped from the
stored JSON, then replayed as the repository would, to prove old events still load."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent

from service.application import Regimen


def without(data: Any, key: str) -> Any:
    """The JSON data with `key` dropped from every object, at every depth."""
    if isinstance(data, dict):
        return {k: without(v, key) for k, v in data.items() if k != key}
    if isinstance(data, list):
        return [without(v, key) for v in data]
    return data


def as_stored_before(regimen: Regimen, aggregate: Aggregate, *keys: str) -> list[StoredEvent]:
    """The aggregate's new events as stored, each key dropped wherever a later release added it."""
    stored = []
    for event in aggregate.collect_events():
        record = regimen.mapper.to_stored_event(event)
        state = json.loads(record.state)
        for key in keys:
            state = without(state, key)
        stored.append(replace(record, state=json.dumps(state).encode()))
    return stored


def replayed(regimen: Regimen, stored: list[StoredEvent]) -> Any:
    """The aggregate rebuilt from stored events, as a repository would."""
    aggregate = None
    for record in stored:
        aggregate = regimen.mapper.to_domain_event(record).mutate(aggregate)
    assert aggregate is not None
    return aggregate
