"""Diagnosis codes as the FHIR export writes them: as ICD-10-CM does, whatever the entry."""

from __future__ import annotations

import pytest

from service.reports.fhir_diagnoses import icd10_cm


@pytest.mark.parametrize(
    ("entered", "written"),
    [
        ("M54.2", "M54.2"),
        ("m545", "M54.5"),
        ("m62.838", "M62.838"),
        ("S134XXA", "S13.4XXA"),
        ("M54", "M54"),  # a category alone has no dot
    ],
)
def test_a_code_is_written_upper_case_with_a_dot_after_its_category(
    entered: str, written: str
) -> None:
    assert icd10_cm(entered) == written
