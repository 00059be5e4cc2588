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



def _class_folder(tmp_path):
    """A folder of three submissions, the middle one not UTF-8 (byte 14 is 0xff).
    s = σ(w·x) at w = 0.5, x = 2 is σ(1) = 0.7310586: 0.7311 is right, 0.7400 wrong."""
    folder = tmp_path / "sub"
    folder.mkdir()
    (folder / "a.md").write_text("$$s = 0.7311$$\n", encoding="utf-8")
    (folder / "bad.md").write_bytes(b"$$s = 0.7311$$\xff\n")
    (folder / "c.md").write_text("$$s = 0.7400$$\n", encoding="utf-8")
    problem = tmp_path / "p.toml"
    problem.write_text('[problem]\nexpression = "sigmoid(w*x)"\nname = "s"\n'
                       '[problem.at]\nw = 0.5\nx = 2.0\n', encoding="utf-8")
    return folder, problem


BAD = "not UTF-8 text (byte 14 is 0xff)"


def test_one_undecodable_file_in_a_folder_is_an_error_row_and_the_others_are_graded(tmp_path):
    _class_folder(tmp_path)
    run = handgrad("grade", "p.toml", "sub", cwd=tmp_path)
    assert run.returncode == 2  # at the end, after the others are graded
    assert run.stderr == f"handgrad grade: error: sub/bad.md: {BAD}\n"
    table = run.stdout.split("\n\n")[0].splitlines()
    assert [line.split()[:6] for line in table[1:3]] == [
        ["sub/a.md", "1", "1", "1", "0", "0"], ["sub/c.md", "1", "1", "0", "0", "1"]]
    assert table[3].split(None, 1) == ["sub/bad.md", f"error: {BAD}"]
    assert "line 1  0.7400  s: should be 0.7311" in run.stdout


def test_the_error_row_in_json_and_csv_is_check_s(tmp_path):
    import csv
    import io
    import json
    _class_folder(tmp_path)
    run = handgrad("grade", "p.toml", "sub", "--format", "json", cwd=tmp_path)
    assert run.returncode == 2
    subs = json.loads(run.stdout)["submissions"]
    assert [s["path"] for s in subs] == ["sub/a.md", "sub/c.md", "sub/bad.md"]
    assert subs[2] == {"path": "sub/bad.md", "error": BAD}  # as check's {"path", "error"}
    assert [it["verdict"] for s in subs[:2] for it in s["items"]] == ["correct", "wrong"]
    run = handgrad("grade", "p.toml", "sub", "--format", "csv", cwd=tmp_path)
    assert run.returncode == 2
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert [(r["path"], r["verdict"], r["note"]) for r in rows] == [
        ("sub/a.md", "correct", ""), ("sub/c.md", "wrong", "should be 0.7311"),
        ("sub/bad.md", "error", BAD)]
    assert all(rows[2][k] == "" for k in ("line", "hand", "quantity", "kind", "expected"))


def test_the_error_row_in_html_and_python(tmp_path):
    from handgrad.report import grade_files
    folder, problem = _class_folder(tmp_path)
    report = grade_files(str(problem), [folder])
    assert report.errors == [(str(folder / "bad.md"), BAD)] and not report.ok
    assert [r.path for r in report.results] == [str(folder / "a.md"), str(folder / "c.md")]
    assert f"error: {BAD}" in report.to_html()
    with pytest.raises(DocumentError, match="bad.md: not UTF-8"):  # alone: the one line
        grade_files(str(problem), [folder / "bad.md"])


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
