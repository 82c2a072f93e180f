"""Which procedure code a modality usually bills, so that a session's record starts from
the codes its techniques suggest (the therapist corrects the minutes before saving).

The default table: massage (Swedish, therapeutic, deep tissue, sports) is CPT 97124;
manual therapy techniques (myofascial release, lymphatic drainage, trigger point,
neuromuscular therapy, craniosacral, manual therapy itself) are 97140; stretching is
therapeutic exercise, 97110; PNF is neuromuscular re-education, 97112. A technique not in
the table (hot stones, a clinic's own words) suggests no code.
"""

from __future__ import annotations

from collections.abc import Iterable

from service.domain.billing_units import (
    EXERCISE,
    MANUAL_THERAPY,
    MASSAGE,
    NEUROMUSCULAR,
    ProcedureMinutes,
)

# The codes the record offers first, with what each is called on a bill.
STANDARD_CODES: tuple[tuple[str, str], ...] = (
    (MASSAGE, "Massage"),
    (MANUAL_THERAPY, "Manual therapy"),
    (EXERCISE, "Therapeutic exercise"),
    (NEUROMUSCULAR, "Neuromuscular re-education"),
)
DEFAULT_CODES: dict[str, str] = {
    "swedish": MASSAGE,
    "swedish massage": MASSAGE,
    "therapeutic massage": MASSAGE,
    "massage": MASSAGE,
    "deep tissue": MASSAGE,
    "sports massage": MASSAGE,
    "myofascial release": MANUAL_THERAPY,
    "lymphatic drainage": MANUAL_THERAPY,
    "manual lymphatic drainage": MANUAL_THERAPY,
    "manual therapy": MANUAL_THERAPY,
    "trigger point therapy": MANUAL_THERAPY,
    "trigger point": MANUAL_THERAPY,
    "neuromuscular therapy": MANUAL_THERAPY,
    "craniosacral": MANUAL_THERAPY,
    "craniosacral therapy": MANUAL_THERAPY,
    "stretching": EXERCISE,
    "pnf": NEUROMUSCULAR,
    "pnf stretching": NEUROMUSCULAR,
}


def default_code(technique: str) -> str | None:
    """The code a technique usually bills, or None (case and spacing do not matter)."""
    return DEFAULT_CODES.get(" ".join(technique.casefold().split()))


def suggested_minutes(techniques: Iterable[str], minutes: int) -> tuple[ProcedureMinutes, ...]:
    """The session's minutes shared evenly among the codes its techniques suggest (each code
    once, in the order its first technique comes; the odd minutes to the first code)."""
    codes = list(dict.fromkeys(c for t in techniques if (c := default_code(t)) is not None))
    if not codes or minutes < 1:
        return ()
    share, odd = divmod(minutes, len(codes))
    shares = [share + (odd if i == 0 else 0) for i in range(len(codes))]
    return tuple(ProcedureMinutes(c, m) for c, m in zip(codes, shares, strict=True) if m > 0)
