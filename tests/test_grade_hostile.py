"""Hostile documents: data, never code.  Every input gives unread or
unchecked items or a one-line error, never a traceback; nothing is
expanded or read from disk.  Big inputs are generated here."""

from __future__ import annotations

import os

import pytest
from cli import handgrad
from examples import neuron_problem

from handgrad.document import DocumentError, read_path
from handgrad.problem import loads_problem
from handgrad.report import grade_markdown

PROBLEM = neuron_problem()


def _grade(text: str):
    report = grade_markdown(PROBLEM, text)
    return report, report.results[0]


@pytest.mark.parametrize("text", [
    "$$" + "{" * 10_000 + "1" + "}" * 10_000 + " = 1$$",         # deep braces
    "$$" + "(" * 5_000 + "1 = 1$$",                                 # unbalanced brackets
    "$$s = " + "0.5 + " * 200_000 + "0.5$$",                       # a megabyte line
    "$$s = 10^{10^{10^{10}}}$$", "$$s = e^{100000000}$$", "$$s = 1/0$$",
    "$$s = \\log(-1)$$", "$$s = \\sqrt{-4}$$", "$$s = (-8)^{0.5}$$",
    "$$\\frac{1}{$$", "$$\\end{bmatrix} 5 = 5$$", "$$\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 "
    "\\end{bmatrix} = 1$$", "$$s = \\unknown{3} = 0.7311$$", "$$ = = = 1$$",
    "$$s \\approx$$", "$" * 1_000, "\x00\x01\x02 $s = 0.73$ \ufffd",
])
def test_hostile_math_gives_items_not_tracebacks(text):
    report, result = _grade(text)
    str(report), report.to_json(), report.to_csv(), report.to_html()
    for it in result.items:
        assert it.verdict in ("correct", "close", "wrong", "unchecked", "unread")


def test_ten_thousand_equations_are_all_accounted_for():
    text = "\n\n".join("$s = 0.7311$" for _ in range(10_000))
    report, result = _grade(text)
    # σ(0.5 × 2) = 0.7310586: each is correct; beyond the math read, unread
    verdicts = [it.verdict for it in result.items]
    assert len(verdicts) == 10_000
    assert set(verdicts) <= {"correct", "unread"} and "correct" in verdicts
    # past the math read (and past where Markdown is parsed), each number is listed
    # where it stands: equation i is on line 2i + 1
    last = result.items[-1]
    assert (last.line, last.hand, last.verdict) == (19_999, "0.7311", "unread")
    assert last.note == "beyond the math the grader reads from one document"


def test_input_and_macros_are_not_followed(tmp_path):
    secret = tmp_path / "secret.tex"
    secret.write_text("$$s = 0.7311$$ TOPSECRET", encoding="utf-8")
    text = (f"$$\\input{{{secret}}}$$\n\n$$\\include{{{secret}}} = 1$$\n\n"
            "$$\\def\\x{0.7311} s = \\x$$\n\n$$\\newcommand{\\y}{2} s = \\y$$")
    report, result = _grade(text)
    assert "TOPSECRET" not in str(report) + report.to_json()
    assert not any(it.verdict == "correct" for it in result.items)  # \x is not 0.7311


def test_bad_utf8_names_the_file(tmp_path):
    bad = tmp_path / "hw.md"
    bad.write_bytes(b"$$s = 0.73$$ \xff\xfe caf\xe9")
    with pytest.raises(DocumentError, match=r"hw\.md: not UTF-8 text \(byte 13"):
        read_path(bad)


def test_binary_junk_and_the_command_line_give_one_line(tmp_path):
    junk = tmp_path / "junk.md"
    junk.write_bytes(os.urandom(1) * 0 + bytes(range(256)) * 40)
    problem = tmp_path / "p.toml"
    problem.write_text('[problem]\nexpression = "w*x"\n[problem.at]\nw = 1.0\nx = 2.0\n',
                       encoding="utf-8")
    run = handgrad("grade", problem, junk)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "junk.md: not UTF-8 text" in run.stderr


# -- nothing to grade: an empty file, or math the problem cannot check --------------------------

@pytest.mark.parametrize("text, note", [
    ("", "no math in this document ($…$ or $$…$$): nothing was graded"),
    ("Homework 4, done on paper.\n", "no math in this document ($…$ or $$…$$): nothing was graded"),
    ("$$s = \\sigma(wx)$$\n", "no number of this document could be checked against the "
                              "problem: nothing was graded"),
    ("$$q = 0.25$$\n", "no number of this document could be checked against the problem: "
                       "nothing was graded"),  # q names nothing in the problem: unchecked
])
def test_a_submission_with_nothing_graded_says_so_and_is_not_ok(text, note):
    report, result = _grade(text)
    assert note in result.notes
    assert not report.ok  # a vacuous "every checked number is right" is not a pass
    assert f"  note: {note}" in str(report)
    assert note in report.to_json() and note in report.to_html()


def test_a_class_with_one_empty_submission_is_not_ok_but_grades_the_others(tmp_path):
    (tmp_path / "a.md").write_text("$$s = \\sigma(0.5 \\times 2) \\approx 0.7311$$\n",
                                   encoding="utf-8")
    (tmp_path / "b.md").write_text("", encoding="utf-8")
    problem = tmp_path / "p.toml"
    problem.write_text('[problem]\nexpression = "sigmoid(w*x)"\nname = "s"\n[problem.at]\n'
                       'w = 0.5\nx = 2.0\n', encoding="utf-8")
    run = handgrad("grade", problem, tmp_path)
    assert run.returncode == 1, run.stderr
    b = run.stdout.split(f"{tmp_path / 'b.md'}\n")[-1].splitlines()
    assert b[2] == "  note: no math in this document ($…$ or $$…$$): nothing was graded"
    a = grade_markdown(PROBLEM, (tmp_path / "a.md").read_text(encoding="utf-8"))
    assert a.ok  # σ(1) = 0.731059 rounds to 0.7311
    assert handgrad("grade", problem, tmp_path / "a.md").returncode == 0


def test_the_nothing_graded_note_comes_before_the_parts_it_has_no_marker_for():
    problem = loads_problem('[[parts]]\nstart = "Q3."\n[parts.problem]\nexpression = "w*x"\n'
                            '[parts.problem.at]\nw = 1.0\nx = 2.0\n')
    notes = grade_markdown(problem, "").results[0].notes
    assert notes == ["no math in this document ($…$ or $$…$$): nothing was graded",
                     "no line starts with 'Q3.': part Q3. not graded"]  # untitled: its marker


@pytest.mark.parametrize("content, reason", [
    ("{not json", "not a Jupyter notebook: the file is not JSON"),  # was "(NotJSONError)"
    ('{"cells": 5}', "not a Jupyter notebook: JSON, but not in the notebook format"),
    ("[1, 2]", "not a Jupyter notebook: JSON, but not in the notebook format"),  # AttributeError
])
def test_a_broken_notebook_says_what_is_wrong_with_it(tmp_path, content, reason):
    nb = tmp_path / "hw.ipynb"
    nb.write_text(content, encoding="utf-8")
    with pytest.raises(DocumentError) as e:
        read_path(nb)
    assert str(e.value) == f"{nb}: {reason}"
