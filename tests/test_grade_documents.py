"""The blind test submissions (tests/documents/, written without seeing the
grader): every number the answer key lists as wrong is marked wrong, at its
line, and no other number is."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from handgrad.report import grade_files

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOCUMENTS = Path(__file__).with_name("documents")
KEY = tomllib.loads((DOCUMENTS / "key.toml").read_text(encoding="utf-8"))["submission"]


@pytest.mark.parametrize("entry", KEY, ids=[e["file"] for e in KEY])
def test_every_planted_error_is_flagged_and_nothing_else(entry):
    report = grade_files(DOCUMENTS / entry["problem"], [DOCUMENTS / entry["file"]])
    wrong = {(it.line, it.hand) for it in report.wrong}
    expected = {(w["line"], w["hand"]) for w in entry.get("wrong", [])}
    missed = expected - wrong
    extra = wrong - expected
    assert not missed and not extra, (
        f"missed {sorted(missed)}, wrongly marked {sorted(extra)}\n{report}")


def test_the_key_covers_every_kind_of_planted_error_in_both_languages():
    kinds = {w["kind"] for e in KEY for w in e.get("wrong", []) if w.get("planted")}
    assert {"wrong value", "arithmetic slip", "wrong factor", "premature rounding",
            "wrong update", "wrong sign"} <= kinds
    assert {e["language"] for e in KEY} == {"en", "ko"}
