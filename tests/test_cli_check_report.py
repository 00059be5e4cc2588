"""What `handgrad check` reports (issue #11, items 1 and 3-6): a tolerance's
WRONG note and `min_digits` from a sheet, a folder summary that names what
failed, a problem's error before a missing [answers], and the JSON and CSV
rows (their fields are handgrad.rows.FIELDS, shared with `handgrad grade`)."""

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from cli import handgrad, run_on_a_terminal
from examples import mazur_sheet
from test_cli_check import answers_in

SHEETS = Path(__file__).resolve().parent.parent / "handgrad" / "sheets"
SOFTMAX = answers_in(SHEETS / "seed004_softmax.toml")  # all correct

# Matt Mazur's step-by-step network, one bias per neuron here; his published
# ∂E/∂w5 = 0.082167041 and ∂E/∂w6 = (0.45 − 0.408666186)/0.5.
MAZUR = mazur_sheet("Mazur's example") + """\
[problem.labels]
weights = [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"], ["w7", "w8"]]]
loss = "E"
"""


def sheet(tmp_path, text, name="sheet.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- items 1 and 3: the options of [answers] ----------------------------------------------

def test_a_sheets_tolerance_names_the_engines_value(tmp_path):
    path = sheet(tmp_path, MAZUR + '[answers]\ntol = 1e-4\n[answers.grads]\nw5 = "0.08"\n')
    r = handgrad("check", path, cwd=tmp_path)
    assert r.returncode == 1
    cells = re.split(r"\s{2,}", r.stdout.splitlines()[-1])
    assert cells[0] == "w5" and cells[-2:] == ["WRONG", "should be 0.0822"]


def test_a_sheets_min_digits(tmp_path):
    path = sheet(tmp_path, MAZUR + '[answers]\nmin_digits = 3\n'
                                   '[answers.grads]\nw5 = "0.08"\nw6 = "0.0827"\n')
    r = handgrad("check", path, cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[1] == "2 answers checked against E: 1 too coarse"
    assert lines[3].endswith("TOO COARSE  too coarse: write at least 3 significant digits "
                             "(0.0822)")
    assert lines[4].split()[-1] == "correct"


@pytest.mark.parametrize("value", ["0", "-2", "1.5", "true", '"3"'])
def test_min_digits_must_be_a_positive_integer(tmp_path, value):
    path = sheet(tmp_path, MAZUR + f'[answers]\nmin_digits = {value}\n'
                                   '[answers.grads]\nw5 = "0.08"\n')
    r = handgrad("check", path, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith(f"handgrad check: error: {path}: answers.min_digits: expected a "
                               f"positive integer")


def test_the_help_lists_min_digits():
    assert "min_digits" in handgrad("check", "--help").stdout


# -- item 4: the folder summary names what failed, in each sheet -----------------------------

BROKEN = MAZUR.replace('"half_sse"', '"msee"') + '[answers.grads]\nw5 = "0.0822"\n'


def folder_of_three(tmp_path):
    folder = tmp_path / "sheets"
    folder.mkdir()
    shutil.copy(SHEETS / "seed004_sse.toml", folder / "a.toml")   # sq2 and SSE are wrong
    sheet(folder, BROKEN, "b.toml")
    shutil.copy(SHEETS / "seed004_softmax.toml", folder / "c.toml")
    return folder


def summary(stdout):
    """The summary's lines, each sheet's continuation lines joined to it."""
    lines = stdout.splitlines()
    lines = lines[lines.index(next(line for line in lines if re.match(r"\d+ sheets: ", line))):]
    joined = []
    for line in lines:
        if line.startswith("    "):
            assert len(line) <= 79
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    return joined


def test_the_folder_summary_names_each_failed_sheet_and_what_is_wrong(tmp_path):
    folder = folder_of_three(tmp_path)
    r = handgrad("check", folder, cwd=tmp_path)
    assert r.returncode == 2
    # seed 004 writes (1 − 0.7)² = 0.49 (it is 0.09), so SSE = 0.54 is 0.14
    assert summary(r.stdout) == [
        f"3 sheets: 1 ok, 1 with wrong answers (2 of {4 + SOFTMAX} answers wrong), 1 malformed",
        f"  {folder / 'a.toml'}: 2 of 4 wrong: sq2 = 0.49 (should be 0.09), "
        f"SSE = 0.54 (should be 0.14)",
        f"  {folder / 'b.toml'}: malformed: problem.loss: unknown loss 'msee' (did you mean mse?); "
        f"the losses are "
        + r.stderr.split("the losses are ")[1].rstrip("\n"),
    ]


def test_the_summary_names_too_coarse_answers(tmp_path):
    sheet(tmp_path, MAZUR + '[answers]\nmin_digits = 3\n[answers.grads]\nw5 = "0.08"\n', "m.toml")
    shutil.copy(SHEETS / "seed004_softmax.toml", tmp_path / "s.toml")
    r = handgrad("check", tmp_path, cwd=tmp_path)
    assert r.returncode == 1
    assert summary(r.stdout) == [
        f"2 sheets: 1 ok, 1 with answers not accepted (1 of {1 + SOFTMAX} answers too coarse)",
        f"  {tmp_path / 'm.toml'}: 1 of 1 too coarse: ∂E/∂w5 = 0.08 (write 0.0822)",
    ]


def test_the_summary_counts_a_sheet_only_too_coarse_apart_from_one_with_wrong_answers(tmp_path):
    # it said "1 ok, 2 with wrong answers" when one of the two had no wrong answer
    sheet(tmp_path, MAZUR + '[answers]\nmin_digits = 3\n[answers.grads]\nw5 = "0.08"\n', "m.toml")
    sheet(tmp_path, MAZUR + '[answers.grads]\nw5 = "0.09"\n', "n.toml")
    shutil.copy(SHEETS / "seed004_softmax.toml", tmp_path / "s.toml")
    r = handgrad("check", tmp_path, cwd=tmp_path)
    assert r.returncode == 1
    assert summary(r.stdout)[0] == (
        f"3 sheets: 1 ok, 1 with wrong answers, 1 with answers not accepted "
        f"(1 of {2 + SOFTMAX} answers wrong, 1 of {2 + SOFTMAX} answers too coarse)")


# -- item 5: the problem's error first ---------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    (MAZUR.replace('"half_sse"', '"msee"'), "problem.loss: unknown loss 'msee'"),
    (MAZUR.replace("[[0.40, 0.45], [0.50, 0.55]]", "[[0.40, 0.45, 0.1], [0.50, 0.55, 0.1]]"),
     "problem.layers[2].weights: expected rows of 2 numbers"),
    ('[problem]\nexpression = "x*y"\n',
     "problem.at: missing: a number for every input of the expression (x, y)"),
    ('[problem]\nexpression = "x"\nat = { x = 1 }\n[problem.let]\nq = "x*x"\n',
     "problem.let.q: not used by the expression"),
    ('[problem]\nexpression = "exp(x)"\nat = { x = 1000 }\n',  # found when it is built
     "problem.expression: exp(x): exp overflows for inputs above 709.78"),
])
def test_a_sheet_without_answers_reports_its_problems_error(tmp_path, text, message):
    r = handgrad("check", sheet(tmp_path, text), cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert message in r.stderr and "[answers]" not in r.stderr, r.stderr


def test_a_good_problem_without_answers_says_answers_are_missing(tmp_path):
    path = sheet(tmp_path, MAZUR)
    r = handgrad("check", path, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith(f"handgrad check: error: {path}: answers: missing: [answers]")


# -- item 6: --format json | csv ----------------------------------------------------------------

def test_json_has_one_item_per_answer(tmp_path):
    folder = folder_of_three(tmp_path)
    r = handgrad("check", folder, "--format", "json", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith(f"handgrad check: error: {folder / 'b.toml'}: problem.loss: ")
    data = json.loads(r.stdout)
    a, b, c = data["sheets"]
    assert a["path"] == str(folder / "a.toml") and a["title"].startswith("Seed 004, SSE")
    assert a["summary"] == {"checked": 4, "correct": 2, "close": 0, "wrong": 2, "coarse": 0}
    assert a["items"][1] == {
        "key": "sq2", "kind": "value", "quantity": "sq2", "hand": "0.49",
        "engine": pytest.approx((1 - 0.7) ** 2, rel=1e-15), "expected": "0.09",
        "verdict": "wrong", "note": "should be 0.09"}
    assert [it["verdict"] for it in a["items"]] == ["correct", "wrong", "correct", "wrong"]
    assert b == {"path": str(folder / "b.toml"),
                 "error": r.stderr.removeprefix(f"handgrad check: error: {folder / 'b.toml'}: ")
                 .rstrip("\n")}
    assert c["summary"]["wrong"] == 0 and len(c["items"]) == c["summary"]["checked"] == SOFTMAX


def test_csv_has_one_row_per_answer(tmp_path):
    folder = folder_of_three(tmp_path)
    r = handgrad("check", folder, "--format", "csv", cwd=tmp_path)
    assert r.returncode == 2
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == ["path", "key", "hand", "quantity", "kind", "verdict", "expected",
                             "engine", "note"]
    assert len(rows) == 4 + 1 + SOFTMAX
    sq2 = rows[1]
    assert (sq2["path"], sq2["key"], sq2["hand"], sq2["verdict"], sq2["expected"]) == (
        str(folder / "a.toml"), "sq2", "0.49", "wrong", "0.09")
    assert float(sq2["engine"]) == pytest.approx(0.09, rel=1e-15)
    broken = rows[4]
    assert (broken["path"], broken["verdict"], broken["key"]) == (str(folder / "b.toml"),
                                                                  "error", "")
    assert broken["note"].startswith("problem.loss: unknown loss 'msee'")


def test_out_writes_the_rows_or_tables_to_a_file(tmp_path):
    folder = folder_of_three(tmp_path)
    r = handgrad("check", folder, "--format", "csv", "--out", tmp_path / "grades.csv",
                 cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.endswith(f"wrote {tmp_path / 'grades.csv'}\n")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "grades.csv").read_text("utf-8"))))
    assert len(rows) == 4 + 1 + SOFTMAX
    assert (rows[1]["key"], rows[1]["hand"], rows[1]["expected"]) == ("sq2", "0.49", "0.09")
    # text: the tables and the summary, without colour though stdout is a terminal
    status, shown = run_on_a_terminal(["check", folder, "--out", tmp_path / "grades.txt"],
                                      cwd=tmp_path)
    written = (tmp_path / "grades.txt").read_text("utf-8")
    assert status == 2 and shown == "" and "\033[" not in written
    assert "sq2" in written and "should be 0.09" in written
    assert any(line.startswith("3 sheets: ") for line in written.splitlines())


def test_out_that_cannot_be_written_is_one_line_and_no_file(tmp_path):
    r = handgrad("check", SHEETS / "seed004_sse.toml", "--out", tmp_path / "no" / "g.csv",
                 cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == f"handgrad check: error: --out {tmp_path / 'no' / 'g.csv'}: no such file or folder\n"
    assert not (tmp_path / "no").exists()


def test_the_shared_fields_match_grades_rows():
    from handgrad.rows import CHECK_COLUMNS, FIELDS
    assert list(CHECK_COLUMNS) == [f for f in FIELDS]
    # the fields `handgrad grade` writes for a number (issue #12), where the two overlap
    for name in ("path", "hand", "quantity", "kind", "verdict", "expected", "note"):
        assert name in FIELDS


def test_json_for_one_good_sheet_and_korean_text(tmp_path):
    path = sheet(tmp_path, MAZUR.replace("Mazur's example", "마주르의 예제")
                 + '[answers.grads]\nw5 = "0.0822"\n')
    r = handgrad("check", path, "--format", "json", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == ""
    assert "마주르의 예제" in r.stdout  # written as UTF-8, not \\u escapes
    (only,) = json.loads(r.stdout)["sheets"]
    assert only["items"][0]["verdict"] == "correct"


def test_format_must_be_known(tmp_path):
    r = handgrad("check", SHEETS / "seed004_sse.toml", "--format", "xml", cwd=tmp_path)
    assert r.returncode == 2 and "invalid choice: 'xml'" in r.stderr
