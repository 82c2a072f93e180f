"""The store's mapper: a client's personal and clinical fields encrypted under the client's key.

The library has one cipher for the whole application (it still encrypts every payload when
a cipher key is set); this mapper first takes the personal fields of an event about a
client (service/domain/personal_data.py) out of its state and stores them as one AES-GCM
message under that client's data key, beside the client's id:

    {..., "_personal": {"client": "<client id>", "sealed": "<base64>"}}

Reading it back puts them back, or, once the client's key is destroyed, placeholders of
their types (after the library's upcasters ran: none of these classes is upcast yet, and
a test says so). The stored bytes never change, so the seals over them verify after an erasure
without any key.
"""

from __future__ import annotations

from base64 import b64decode, b64encode
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Mapper, StoredEvent

from service.adapters.client_keys import ClientKeys
from service.domain.personal_data import client_named, personal_fields, placeholders

ENVELOPE = "_personal"


class ClientKeyedMapper(Mapper[UUID]):
    """The library's mapper, with per-client encryption of personal fields when keys are set."""

    keys: ClientKeys | None = None  # set by the store once its database is reachable
    # Told the ids of an erased client's records (a ClientErased read, by any process).
    on_erasure: Callable[[Iterable[UUID]], None] | None = None

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        """The stored event, its personal fields sealed under the client's key."""
        keys = self.keys
        if keys is None:
            return super().to_stored_event(domain_event)
        if isinstance(domain_event, Aggregate.Created):
            self._link(keys, domain_event)
        fields = personal_fields(domain_event.__class__)
        if not fields:
            return super().to_stored_event(domain_event)
        client_id = client_named(domain_event) or keys.client_of(domain_event.originator_id)
        if client_id is None:
            return super().to_stored_event(domain_event)
        state = dict(vars(domain_event))
        personal = {name: state.pop(name) for name in fields if name in state}
        if not any(personal.values()):  # all empty (a booking without an override): no secret
            return super().to_stored_event(domain_event)
        cipher = keys.cipher_of(client_id, make=True)
        # An erased client's key is gone: what is said of them now is not kept at all.
        sealed = b64encode(cipher.encrypt(self.transcoder.encode(personal))) if cipher else b""
        state[ENVELOPE] = {"client": client_id.hex, "sealed": sealed.decode()}
        stand_in = object.__new__(type(domain_event))
        stand_in.__dict__.update(state)
        return super().to_stored_event(stand_in)

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        """The domain event, its personal fields opened, or placeholders if erased."""
        event = super().to_domain_event(stored_event)
        state = event.__dict__
        if getattr(type(event), "erases_client", False):
            self._erased(event)
        envelope = state.pop(ENVELOPE, None)
        if envelope is None:
            return event
        client_id = UUID(envelope["client"])
        cipher = self.keys.cipher_of(client_id) if self.keys and envelope["sealed"] else None
        if cipher is None:
            state.update(placeholders(type(event)))
        else:
            state.update(self.transcoder.decode(cipher.decrypt(b64decode(envelope["sealed"]))))
        return event

    def _erased(self, event: Any) -> None:
        """Forget this process's copies of an erased client's key and records."""
        if self.keys is not None:
            self.keys.forget(event.originator_id)
        if self.on_erasure is not None:
            self.on_erasure([event.originator_id, *event.plan_ids, *event.visit_ids])

    @staticmethod
    def _link(keys: ClientKeys, created: Any) -> None:
        """Remember the client a new aggregate is about: the one it names, or the client of
        the plan it names (a plan's access log); the aggregate's later events name neither."""
        named = client_named(created)
        plan_id = getattr(created, "plan_id", None)
        if named is None and isinstance(plan_id, UUID):
            named = keys.client_of(plan_id)
        if named is not None:
            keys.link(created.originator_id, named)
