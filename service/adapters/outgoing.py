"""One message on its way out, whatever the channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class Outgoing:
    """One message to one address; `key` makes sending it twice recognisable as one."""

    key: UUID
    to: str
    subject: str
    text: str
    sent_at: datetime
    to_name: str = ""  # the client's name, for an email's To header
    from_name: str = ""  # the clinic's name, shown as the sender (the address stays configured)
    reply_to: str = ""  # the clinic's own email: where a client's reply goes
    client_id: UUID | None = None  # whose message it is: the file outbox names its copy by it
