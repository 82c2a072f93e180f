"""The outcome measures a plan tracks, the baseline in its assessment, and evaluations."""

from __future__ import annotations

import pytest

from service.domain.errors import InvalidValue
from service.domain.measures import Instrument, MeasureAnswers
from tests.plans import (
    LATER,
    THERAPIST,
    assessment,
    booked_plan,
    evaluation,
    performance,
    proposed_plan,
)

NDI_24 = MeasureAnswers(Instrument.NDI, (3, 3, 2, 3, 2, 3, 2, 2, 2, 2))


def test_a_plan_tracks_the_nprs_and_what_its_focus_areas_suggest_unless_chosen() -> None:
    assert proposed_plan(focus_areas=("neck",)).measures == [Instrument.NPRS, Instrument.NDI]
    chosen = proposed_plan(focus_areas=("neck",), measures=(Instrument.PSFS,))
    assert chosen.measures == [Instrument.PSFS]


def test_an_instrument_is_tracked_once() -> None:
    with pytest.raises(InvalidValue, match="once"):
        proposed_plan(measures=(Instrument.NDI, Instrument.NDI))


def test_the_baseline_is_checked_with_the_assessment() -> None:
    baseline = assessment(measures=(NDI_24,))
    assert proposed_plan(assessment=baseline).assessment.measures == (NDI_24,)
    with pytest.raises(InvalidValue, match="NDI section 1"):
        proposed_plan(assessment=assessment(measures=(MeasureAnswers(Instrument.NDI, (9,) * 10),)))


def test_an_evaluation_answers_the_instruments_again_and_bad_answers_are_refused() -> None:
    plan = booked_plan(sessions=2)
    plan.perform_session(1, performance=performance(), actor=THERAPIST, now=LATER)
    with pytest.raises(InvalidValue, match="PSFS"):
        bad = MeasureAnswers(Instrument.PSFS, (3,), ("lifting",))
        plan.evaluate_session(1, evaluation=evaluation(measures=(bad,)), actor=THERAPIST)
    plan.evaluate_session(1, evaluation=evaluation(measures=(NDI_24,)), actor=THERAPIST)
    assert plan.session(1).evaluation.measures == (NDI_24,)
