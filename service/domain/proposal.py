"""A plan proposal: everything a therapist decides at the end of an assessment, checked."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any
from uuid import UUID

from service.domain.errors import InvalidValue
from service.domain.measures import Instrument, suggested_instruments
from service.domain.rules import (
    check_diagnosis_codes,
    require_range,
    require_text,
    validate_assessment,
    validate_series,
)
from service.domain.values import (
    Assessment,
    Authorization,
    Intention,
    Prescription,
    Referral,
    SeriesSpec,
)


@dataclass(frozen=True)
class PlanProposal:
    """A treatment plan as proposed: for whom, by whom, why, and the series of sessions."""

    client_id: UUID
    therapist_id: UUID
    assessment: Assessment
    intention: Intention
    focus_areas: tuple[str, ...]
    modalities: tuple[str, ...]
    series: SeriesSpec
    room_id: UUID | None = None
    expected_progress: str = ""
    adjuncts: tuple[str, ...] = ()
    referral: Referral | None = None
    prescription: Prescription | None = None
    authorization: Authorization | None = None
    from_visit_id: UUID | None = None  # the assessment or follow-up visit it came out of
    measures: tuple[Instrument, ...] = ()  # the instruments tracked; none given: suggested

    def __post_init__(self) -> None:
        if not self.measures:  # frozen: the suggestion is set the way dataclasses set fields
            object.__setattr__(self, "measures", suggested_instruments(self.focus_areas))
        if len(set(self.measures)) != len(self.measures):
            raise InvalidValue("each instrument is tracked once")
        self._check()

    def _check(self) -> None:
        validate_assessment(self.assessment)
        validate_series(self.series)
        if not self.focus_areas:
            raise InvalidValue("a plan needs at least one focus area")
        if not self.modalities:
            raise InvalidValue("a plan needs at least one modality")
        for area in self.focus_areas:
            require_text("focus area", area)
        for modality in self.modalities:
            require_text("modality", modality)
        if self.prescription is not None:
            check_diagnosis_codes(self.prescription.diagnosis_codes)
        if self.authorization is not None:
            if self.authorization.visits is not None:
                require_range("authorization.visits", self.authorization.visits, 1, 1000)
            require_text("authorization.payer", self.authorization.payer)
            if self.authorization.units is not None:
                require_range("authorization.units", self.authorization.units, 1, 10000)

    def arguments(self) -> dict[str, Any]:
        """The proposal as the keyword arguments of the plan's first event."""
        return {field.name: getattr(self, field.name) for field in fields(self)}
