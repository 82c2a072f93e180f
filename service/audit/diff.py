"""Field-level differences between two JSON-ready documents, addressed by JSON Pointer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    """One field that differs: its RFC 6901 path, what it was and what it became."""

    path: str
    change: str
    before: Any = None
    after: Any = None


def differences(before: Any, after: Any, path: str = "") -> list[Change]:
    """Every leaf that was added, removed or changed, in document order."""
    if isinstance(before, dict) and isinstance(after, dict):
        keys = list(before) + [k for k in after if k not in before]
        return _children(before, after, path, keys)
    if isinstance(before, list) and isinstance(after, list):
        return _children(
            dict(enumerate(before)),
            dict(enumerate(after)),
            path,
            range(max(len(before), len(after))),
        )
    if before == after:
        return []
    return [Change(path or "/", CHANGED, before, after)]


def session_number(path: str) -> int | None:
    """The number of the session a plan document's path is in, as the clinic counts them
    (from 1; the pointer's list index is from 0): 3 for '/sessions/2/status'."""
    tokens = path.split("/")
    if len(tokens) > 2 and tokens[1] == "sessions" and tokens[2].isdigit():
        return int(tokens[2]) + 1
    return None


def _children(before: dict[Any, Any], after: dict[Any, Any], path: str, keys: Any) -> list[Change]:
    changes = []
    for key in keys:
        child = f"{path}/{_escape(str(key))}"
        if key not in before:
            changes.append(Change(child, ADDED, None, after[key]))
        elif key not in after:
            changes.append(Change(child, REMOVED, before[key], None))
        else:
            changes.extend(differences(before[key], after[key], child))
    return changes


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
