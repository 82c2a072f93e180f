"""A table an adapter keeps for itself in the event store's database, beside the views.

Every server process reads the same rows and they survive restarts; the table is
made by the schema's first step (service/projections/schema_steps.py), never by a
process merely opening it.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from service.adapters.view_recorders import ViewRecorder, view_recorder_for


class KeptTable:
    """An adapter's own table: its CREATE statement, and the recorder that reaches it."""

    create_statement: ClassVar[str]

    def __init__(self, recorder: ViewRecorder) -> None:
        self.recorder = recorder

    @classmethod
    def of(cls, application: Any) -> Self:
        """The table in an application's database."""
        return cls.on(view_recorder_for(application), application)

    @classmethod
    def on(cls, recorder: ViewRecorder, application: Any) -> Self:
        """The table reached through this recorder, for this application."""
        return cls(recorder)

    def create_table(self) -> None:
        """Create the table if it does not exist."""
        self.recorder.create_view_tables([self.create_statement])
