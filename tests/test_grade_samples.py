"""The sample submissions `handgrad demo` grades from their text
(handgrad/samples/, written without seeing the grader): every number their
key (EXPECTED.toml) lists as wrong is marked wrong, at its line, and no other
number is; the demo prints each of them."""

from __future__ import annotations

import re
import sys

import pytest
from cli import handgrad

from handgrad.grade_command import SAMPLES, samples
from handgrad.report import grade_files

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KEY = tomllib.loads((SAMPLES / "EXPECTED.toml").read_text(encoding="utf-8"))["submission"]


def test_every_sample_has_its_key_and_problem():
    assert sorted((doc.name, problem.name) for doc, problem in samples()) == sorted(
        (e["file"], e["problem"]) for e in KEY)


@pytest.mark.parametrize("entry", KEY, ids=[e["file"] for e in KEY])
def test_every_planted_error_is_flagged_and_nothing_else(entry):
    report = grade_files(SAMPLES / entry["problem"], [SAMPLES / entry["file"]])
    wrong = {(it.line, it.hand) for it in report.wrong}
    expected = {(w["line"], w["hand"]) for w in entry.get("wrong", [])}
    assert wrong == expected, f"missed {sorted(expected - wrong)}, wrongly marked " \
                              f"{sorted(wrong - expected)}\n{report}"


def test_the_demo_grades_the_samples_from_their_text(tmp_path):
    r = handgrad("demo", "--out", "graphs", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    part = r.stdout.split("The sample submissions, graded from their text (handgrad grade)\n")
    assert len(part) == 2
    shown = set(re.findall(r"^    line (\d+)  (\S+)  ", part[1], re.M))
    for entry in KEY:
        assert f"\n{entry['file']}: " in part[1]
        for w in entry.get("wrong", []):
            assert (str(w["line"]), w["hand"]) in shown, (entry["file"], w)
    wrong = sum(len({(w["line"], w["hand"]) for w in e.get("wrong", [])}) for e in KEY)
    assert re.search(rf"^3 samples: \d+ numbers graded, {wrong} wrong$", part[1], re.M)
    assert f"\nthe samples: {SAMPLES}\ngrade your own: " in part[1]
    assert part[1].rstrip().endswith(" grade PROBLEM.toml SUBMISSION")
