"""Outcome-measure answers on the therapist's forms: the assessment's baseline and an
evaluation's answers again, read from and shown as the same fields.

Field names (one form answers each instrument once): `nprs`; `psfs_activity_<i>` and
`psfs_rating_<i>` for up to five activities; `ndi_<i>` and `odi_<i>` for the ten
sections, each "0".."5" or "skip". Values are kept as typed, to be shown again; a
problem is kept under `measure_<instrument>`, shown beside that instrument.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from service.domain.errors import InvalidValue
from service.domain.measures import (
    PSFS_ACTIVITIES,
    SECTIONS,
    SECTIONS_OF,
    TITLES,
    Instrument,
    MeasureAnswers,
    change,
    check_answers,
    score,
)
from service.web.forms import Form, FormErrors

SKIP = "skip"
ORDER = (Instrument.NPRS, Instrument.PSFS, Instrument.NDI, Instrument.ODI)
SHORT = {i: i.name for i in Instrument}


def error_key(instrument: Instrument) -> str:
    """Where a form keeps the problem with one instrument's answers."""
    return f"measure_{instrument.value}"


def field_names(instrument: Instrument) -> tuple[str, ...]:
    """The form fields that hold one instrument's answers."""
    if instrument is Instrument.NPRS:
        return ("nprs",)
    if instrument is Instrument.PSFS:
        most = PSFS_ACTIVITIES[1]
        return tuple(f"psfs_{part}_{i}" for i in range(most) for part in ("activity", "rating"))
    return tuple(f"{instrument.value}_{i}" for i in range(SECTIONS))


ALL_FIELDS = tuple(name for instrument in ORDER for name in field_names(instrument))


def entered_from(data: Mapping[str, str]) -> dict[str, str]:
    """The measure fields of a submitted form, trimmed, as typed."""
    return {name: (data.get(name) or "").strip() for name in ALL_FIELDS}


def entered_for(measures: Iterable[MeasureAnswers]) -> dict[str, str]:
    """Recorded answers as the fields show them."""
    entered = dict.fromkeys(ALL_FIELDS, "")
    for answers in measures:
        instrument = answers.instrument
        if instrument is Instrument.NPRS:
            entered["nprs"] = str(answers.items[0])
        elif instrument is Instrument.PSFS:
            for i, (activity, rating) in enumerate(
                zip(answers.activities, answers.items, strict=True)
            ):
                entered[f"psfs_activity_{i}"] = activity
                entered[f"psfs_rating_{i}"] = "" if rating is None else str(rating)
        else:
            for i, item in enumerate(answers.items):
                entered[f"{instrument.value}_{i}"] = SKIP if item is None else str(item)
    return entered


def activities_only(measures: Iterable[MeasureAnswers]) -> dict[str, str]:
    """Fields for asking again: the PSFS activities the client named, ratings blank."""
    entered = dict.fromkeys(ALL_FIELDS, "")
    for answers in measures:
        if answers.instrument is Instrument.PSFS:
            for i, activity in enumerate(answers.activities):
                entered[f"psfs_activity_{i}"] = activity
    return entered


def instruments_in(values: Iterable[str]) -> tuple[Instrument, ...]:
    """The instruments named by a form's checkboxes, in the forms' order; unknown dropped."""
    named = set(values)
    return tuple(i for i in ORDER if i.value in named)


def left_blank(instrument: Instrument, entered: Mapping[str, str]) -> bool:
    """Whether nothing was answered on the instrument (PSFS activity names alone, as the
    evaluation form pre-fills them, are no answer)."""
    names = field_names(instrument)
    if instrument is Instrument.PSFS:
        names = tuple(name for name in names if name.startswith("psfs_rating"))
    return not any(entered.get(name) for name in names)


def read_measures(
    instruments: Iterable[Instrument],
    entered: Mapping[str, str],
    errors: FormErrors,
    *,
    optional: bool = False,
) -> tuple[MeasureAnswers, ...]:
    """The answers to each instrument, checked by its rule; problems go into `errors`.
    With `optional`, an instrument left blank is not measured this time."""
    found = []
    for instrument in instruments:
        if optional and left_blank(instrument, entered):
            continue
        try:
            answers = _answers(instrument, entered)
            check_answers(answers)
        except InvalidValue as invalid:
            errors[error_key(instrument)] = _sentence(str(invalid))
            continue
        found.append(answers)
    return tuple(found)


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}."


def _answers(instrument: Instrument, entered: Mapping[str, str]) -> MeasureAnswers:
    name = instrument.name
    if instrument is Instrument.NPRS:
        return MeasureAnswers(instrument, (_whole(entered["nprs"], "Enter the NPRS, 0 to 10"),))
    if instrument is Instrument.PSFS:
        activities, ratings = [], []
        for i in range(PSFS_ACTIVITIES[1]):
            activity = entered[f"psfs_activity_{i}"]
            rating = entered[f"psfs_rating_{i}"]
            if not activity and not rating:
                continue
            if not activity:
                raise InvalidValue(f"name the activity of PSFS row {i + 1}, rated {rating}")
            unsafe = Form({"a": activity})
            unsafe.text("a", max_length=120)
            if unsafe.errors:
                raise InvalidValue(f"PSFS activity {i + 1}: {unsafe.errors['a']}")
            activities.append(activity)
            ratings.append(_whole(rating, f"rate {activity!r} 0 to 10"))
        fewest, most = PSFS_ACTIVITIES
        if len(activities) < fewest:
            raise InvalidValue(
                f"the PSFS rates {fewest} to {most} activities the client names, each 0-10;"
                f" {len(activities)} given"
            )
        return MeasureAnswers(instrument, tuple(ratings), tuple(activities))
    items: list[int | None] = []
    for i, title in enumerate(SECTIONS_OF[instrument]):
        value = entered[f"{instrument.value}_{i}"]
        if value not in ("0", "1", "2", "3", "4", "5", SKIP):
            said = "answer" if not value else f"{value!r} is not an answer to"
            raise InvalidValue(
                f"{said} {name} section {i + 1} ({title}): choose 0 to 5, or skipped"
            )
        items.append(None if value == SKIP else int(value))
    return MeasureAnswers(instrument, tuple(items))


def _whole(value: str, problem: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidValue(problem) from None


def score_text(answers: MeasureAnswers) -> str:
    """The score as the forms print it: "NDI 24 of 50 (48%)", "ODI 34% moderate disability"."""
    result = score(answers)
    value = f"{result.value:g}"
    if answers.instrument is Instrument.NPRS:
        return f"NPRS {value} of 10"
    if answers.instrument is Instrument.PSFS:
        return f"PSFS mean {value} of 10"
    if answers.instrument is Instrument.NDI:
        return f"NDI {value} of 50 ({result.percent:g}%)"
    return f"ODI {value}% {result.band}"


def score_lines(instruments: Iterable[Instrument], entered: Mapping[str, str]) -> dict[str, str]:
    """The score of each instrument whose answers, as they stand, can be scored."""
    lines = {}
    for instrument in instruments:
        try:
            answers = _answers(instrument, entered)
            check_answers(answers)
        except InvalidValue:
            continue
        lines[instrument.value] = score_text(answers)
    return lines


def instrument_choices() -> list[tuple[str, str]]:
    """The instruments a plan can track, as checkbox options."""
    return [(i.value, f"{TITLES[i]} ({SHORT[i]})") for i in ORDER]


def form_context() -> dict[str, object]:
    """What the measures macro needs beyond the values: titles and section names."""
    return {
        "measure_titles": {i.value: TITLES[i] for i in ORDER},
        "measure_sections": {i.value: SECTIONS_OF[i] for i in SECTIONS_OF},
        "psfs_rows": PSFS_ACTIVITIES[1],
        "measure_order": [i.value for i in ORDER],
    }


def change_text(baseline: MeasureAnswers | None, latest: MeasureAnswers) -> str:
    """The change from the baseline in words: "−8.0 points, meaningful"."""
    if baseline is None:
        return "no baseline to compare with"
    moved = change(baseline, latest)
    points = moved.points
    sign = "+" if points > 0 else "−" if points < 0 else "±"
    said = "meaningful" if moved.meaningful else "not yet meaningful"
    return f"{sign}{abs(points):.1f} points, {said}"


def measure_lines(
    baseline: Iterable[MeasureAnswers], answers: Iterable[MeasureAnswers]
) -> list[tuple[str, str]]:
    """Each answered instrument's score and its change from the baseline, in words."""
    first = {m.instrument: m for m in baseline}
    return [(score_text(m), change_text(first.get(m.instrument), m)) for m in answers]
