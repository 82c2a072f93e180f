"""Request bodies loaded as the domain's value objects: one post_load hook for them all."""

from __future__ import annotations

from typing import Any

import marshmallow as ma


def value_from(cls: type, data: dict[str, Any]) -> Any:
    """The value object `cls` built from loaded fields, sequences as tuples."""
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def builds(cls: type) -> Any:
    """A post_load hook building the value object `cls` from the loaded fields."""

    @ma.post_load
    def make(self: Any, data: dict[str, Any], **kwargs: Any) -> Any:
        return value_from(cls, data)

    return make
