"""The assess-and-propose form as the therapist filled it in: kept as typed, to show again,
and what a fresh form starts from (the visit's complaint, or the assessment recorded)."""

from __future__ import annotations

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from service.domain.measures import Instrument, suggested_instruments
from service.domain.values import Intention
from service.domain.visit import Visit
from service.web.measure_fields import entered_for, entered_from, instruments_in

ROM_ROWS = 3  # blank range-of-motion rows offered at first
MAX_ROM_ROWS = 20
ROM_FIELDS = ("joint", "movement", "side", "degrees")
TEXT_FIELDS = (
    "complaint",
    "duration",
    "onset",
    "pain_description",
    "pain_level",
    "posture",
    "tissue",
    "intention",
    "other_areas",
    "other_modalities",
    "sessions",
    "interval_days",
    "session_minutes",
    "expected_progress",
    "other_home_care",
    "referral_profession",
    "referral_name",
    "referral_reason",
    "prescription_physician",
    "prescription_issued_on",
    "prescription_notes",
    "prescription_diagnosis_codes",
    "authorization_payer",
    "authorization_number",
    "authorization_visits",
    "authorization_valid_until",
    "authorization_payer_id",
    "authorization_units",
)
LIST_FIELDS = ("focus_areas", "modalities", "home_care")


@dataclass
class Entered:
    """The form as the therapist filled it in: kept as typed, to show again."""

    text: dict[str, str]
    lists: dict[str, list[str]]
    rom: list[dict[str, str]] = field(default_factory=list)
    measures: list[str] = field(default_factory=lambda: [Instrument.NPRS.value])  # tracked
    answers: dict[str, str] = field(default_factory=lambda: entered_from({}))  # as typed
    measures_for: str = ""  # the focus areas the instruments were last suggested for
    nprs_note: str = ""  # said when the NPRS answer was taken from the pain level

    @classmethod
    def from_form(cls, data: MultiDict[str, str]) -> Entered:
        rows = _row_count(data.get("rom_rows", ""))
        entered = cls(
            text={name: (data.get(name) or "").strip() for name in TEXT_FIELDS},
            lists={
                name: [v.strip() for v in data.getlist(name) if v.strip()] for name in LIST_FIELDS
            },
            rom=[
                {name: (data.get(f"rom_{name}_{i}") or "").strip() for name in ROM_FIELDS}
                for i in range(rows)
            ],
            measures=[i.value for i in instruments_in(data.getlist("measures"))],
            answers=entered_from(data),
            measures_for=data.get("measures_for", ""),
        )
        return entered

    @classmethod
    def for_visit(cls, visit: Visit) -> Entered:
        """A fresh form: the visit's complaint, or the assessment already recorded."""
        text = dict.fromkeys(TEXT_FIELDS, "")
        text.update(intention=Intention.CLINICAL.value, interval_days="7", session_minutes="60")
        text["complaint"] = visit.complaint
        rom: list[dict[str, str]] = []
        measures = [Instrument.NPRS.value]
        answers = entered_from({})
        if visit.assessment is not None:
            a = visit.assessment
            if a.measures:
                measures = [m.instrument.value for m in a.measures]
                answers = entered_for(a.measures)
            text.update(
                complaint=a.complaint,
                duration=a.duration,
                onset=a.onset,
                pain_description=a.pain_description,
                pain_level=str(a.pain_level),
                posture=a.posture,
                tissue=a.tissue,
            )
            rom = [
                {
                    "joint": f.joint,
                    "movement": f.movement,
                    "side": f.side,
                    "degrees": str(f.degrees),
                }
                for f in a.range_of_motion
            ]
        blank = dict.fromkeys(ROM_FIELDS, "")
        rom += [dict(blank) for _ in range(max(ROM_ROWS - len(rom), 1))]
        lists: dict[str, list[str]] = {name: [] for name in LIST_FIELDS}
        return cls(text=text, lists=lists, rom=rom, measures=measures, answers=answers)

    def focus_key(self) -> str:
        """The focus areas as entered, one string (what the suggestion was made for)."""
        return "|".join([*self.lists["focus_areas"], *split_items(self.text["other_areas"])])

    def suggest_measures(self) -> None:
        """Tick the instruments the focus areas newly suggest, when the areas changed since
        the form was last shown (an instrument the therapist unticked stays unticked while
        the areas stay the same)."""
        key = self.focus_key()
        if key == self.measures_for:
            return
        before = set(suggested_instruments(tuple(self.measures_for.split("|"))))
        for instrument in suggested_instruments(tuple(key.split("|"))):
            if instrument not in before and instrument.value not in self.measures:
                self.measures.append(instrument.value)
        self.measures = [i.value for i in instruments_in(self.measures)]
        self.measures_for = key

    @property
    def tracked(self) -> tuple[Instrument, ...]:
        return instruments_in(self.measures)

    def prefill_nprs(self) -> None:
        """Take the NPRS answer from the pain level when it was left empty, and say so."""
        if Instrument.NPRS.value not in self.measures or self.answers["nprs"]:
            return
        if not self.text["pain_level"]:
            return
        self.answers["nprs"] = self.text["pain_level"]
        self.nprs_note = (
            "Filled in from the pain level above; change it if the client answered otherwise."
        )

    def add_row(self) -> None:
        if len(self.rom) < MAX_ROM_ROWS:
            self.rom.append(dict.fromkeys(ROM_FIELDS, ""))


def _row_count(value: str) -> int:
    try:
        return min(max(int(value), 1), MAX_ROM_ROWS)
    except ValueError:
        return ROM_ROWS


def split_items(text: str) -> list[str]:
    """Free text of several items: one per comma or semicolon."""
    return [item.strip() for item in text.replace(";", ",").split(",") if item.strip()]
