"""The therapist's forms as the browser sends them, for the web tests to fill in and change."""

from __future__ import annotations

from typing import Any
from uuid import UUID

PHRASE = "tingling down the left arm since the gardening"


def filled(**changes: Any) -> dict[str, Any]:
    """The assess form as a therapist fills it in for a 6-session weekly plan."""
    data: dict[str, Any] = {
        "complaint": "Low back pain since May",
        "duration": "4 months",
        "onset": "gradual",
        "pain_description": "dull ache, sharp on bending",
        "pain_level": "6",
        "rom_rows": "3",
        "rom_joint_0": "hip",
        "rom_movement_0": "flexion",
        "rom_side_0": "right",
        "rom_degrees_0": "95",
        "posture": "anterior pelvic tilt",
        "tissue": "hypertonic erector spinae",
        "intention": "clinical",
        "focus_areas": ["lower back", "right hip"],
        "modalities": ["deep tissue", "myofascial release"],
        "other_modalities": "cupping",
        "sessions": "6",
        "interval_days": "7",
        "session_minutes": "60",
        "expected_progress": "pain below 3 by session 4",
        "home_care": ["heat", "stretches"],
        "other_home_care": "walk daily",
        "measures": ["nprs"],
        "measures_for": "lower back|right hip",
        "action": "propose",
    }
    data.update(changes)
    return data


def soap(**changes: str | list[str]) -> dict[str, str | list[str]]:
    """A complete note and evaluation, as the record form sends it."""
    form: dict[str, str | list[str]] = {
        "client_report": PHRASE,
        "pain_before": "6",
        "techniques": ["Swedish massage", "trigger point therapy"],
        "techniques_other": "cupping",
        "areas": ["neck", "right shoulder"],
        "duration_minutes": "55",
        "notes": "",
        "pain_after": "3",
        "mobility": "better",
        "rom_joint": ["shoulder", ""],
        "rom_movement": ["flexion", ""],
        "rom_side": ["right", ""],
        "rom_degrees": ["150", ""],
        "posture": "shoulders level",
        "client_rating": "8",
        "evaluation_notes": "",
        "recommendation": "continue",
        "interval_days": "",
        "save": "all",
    }
    form.update(changes)
    return form


def record_url(plan_id: UUID, number: int = 1) -> str:
    """The record form of the plan's session."""
    return f"/sessions/{plan_id}/{number}/record"


def ndi(items: list[str]) -> dict[str, str]:
    """The NDI's ten sections answered, as the assess and record forms send them."""
    return {f"ndi_{i}": item for i, item in enumerate(items)}


def psfs(*rated: tuple[str, str]) -> dict[str, str]:
    """The PSFS's activities, each named and rated, as the assess and record forms send them."""
    form: dict[str, str] = {}
    for i, (activity, rating) in enumerate(rated):
        form |= {f"psfs_activity_{i}": activity, f"psfs_rating_{i}": rating}
    return form
