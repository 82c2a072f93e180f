"""The lists a therapist picks from: massage modalities (planned, and done in a session)
and home care. Free text may add to either; these are the common ones, offered as
checkboxes."""

from __future__ import annotations

MODALITIES: tuple[str, ...] = (
    "Swedish massage",
    "deep tissue",
    "myofascial release",
    "trigger point therapy",
    "sports massage",
    "lymphatic drainage",
    "neuromuscular therapy",
    "stretching",
    "hot stones",
)

HOME_CARE: tuple[str, ...] = (
    "heat",
    "ice",
    "hydrotherapy",
    "stretches",
)
