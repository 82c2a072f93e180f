"""The two checks every value starts from, below the value types (which use them too)."""

from __future__ import annotations

from service.domain.errors import InvalidValue
from service.domain.text import require_safe_text


def require_range(name: str, value: int, low: int, high: int) -> None:
    """Raise InvalidValue unless low <= value <= high."""
    if not low <= value <= high:
        raise InvalidValue(f"{name} must be between {low} and {high}, not {value}")


def require_text(name: str, value: str) -> None:
    """Raise InvalidValue if the text is empty, blank, or not one line of printable text."""
    if not value or not value.strip():
        raise InvalidValue(f"{name} must not be empty")
    require_safe_text(name, value)
