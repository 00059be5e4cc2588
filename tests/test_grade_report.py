"""The reports of `handgrad grade`: text as a teaching assistant reads it,
JSON and CSV as the issue specifies them, HTML as a page and for Jupyter."""

from __future__ import annotations

import csv
import io
import json
import math
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from examples import neuron_problem

from handgrad.report import grade_files, grade_markdown
from handgrad.rows import GRADE_COLUMNS

NEURON = neuron_problem("One neuron")
S = 1 / (1 + math.exp(-1))  # σ(0.5 × 2) = 0.7310586

DOCUMENT = "\n".join([
    "# Quiz <b>1</b>",                                   # line 1
    "",
    r"$$s = 0.4 \times 2 = 0.8$$",                       # 3: value wrong, arithmetic right
    "",
    r"$$s = \frac{1}{1 + e^{-1}} \approx 0.7312$$",      # 5: both one off in the last digit
    "",
    r"$$s = 0.3 \times 2 = 0.5$$",                       # 7: wrong both ways
    "",
    r"$$W = \begin{bmatrix} 1 & 2 \\ 3 & -4 \end{bmatrix}$$",  # 9: unread
    "",
    r"$$s = 0.7311 \quad t = 0.2 \quad <script>alert(1)</script>$$",  # 11
])


def test_text_one_line_per_number_with_its_checks_joined():
    text = str(grade_markdown(NEURON, DOCUMENT, "quiz.md"))
    lines = text.splitlines()
    assert lines[0].split() == ["submission", "numbers", "checked", "correct", "close", "wrong",
                                "unchecked", "unread"]
    assert "  wrong:" in lines
    wrong = lines[lines.index("  wrong:") + 1:lines.index("  off by one in the last digit:")]
    assert wrong == [
        "    line 3  0.8  s: should be 0.7; the arithmetic is right, so a number it uses is "
        "wrong or was rounded too early",
        "    line 7  0.5  s: should be 0.7; arithmetic: should be 0.6"]
    close = lines[lines.index("  off by one in the last digit:") + 1]
    assert close.startswith("    line 5  0.7312  s: rounds to 0.7311")
    # every unread number, one line per line of the file and reason
    assert "    line 9  1, 2, 3, -4  a 2×2 matrix: the grader reads vectors (one column or one " \
           "row), not matrices" in lines
    assert "    line 11  0.2  't' names nothing in the problem (add it to [notation])" in lines


def test_json_items_have_the_fields_of_the_issue_and_of_check_rows():
    report = grade_markdown(NEURON, DOCUMENT, "quiz.md")
    data = json.loads(report.to_json())
    (sub,) = data["submissions"]
    assert sub["path"] == "quiz.md"
    assert sub["summary"]["wrong"] == 3 and sub["summary"]["numbers_wrong"] == 2
    value = next(it for it in sub["items"] if it["line"] == 3 and it["kind"] == "value")
    assert {k: value[k] for k in ("hand", "quantity", "verdict", "expected")} == {
        "hand": "0.8", "quantity": "s", "verdict": "wrong", "expected": "0.7"}
    assert value["engine"] == S
    arithmetic = next(it for it in sub["items"] if it["line"] == 3 and it["kind"] == "arithmetic")
    assert (arithmetic["verdict"], arithmetic["engine"]) == ("correct", 0.8)
    unread = [it for it in sub["items"] if it["line"] == 9]
    assert [(it["hand"], it["verdict"], it["engine"]) for it in unread] == [
        ("1", "unread", None), ("2", "unread", None), ("3", "unread", None),
        ("-4", "unread", None)]


def test_csv_is_one_row_per_item():
    report = grade_markdown(NEURON, DOCUMENT, "quiz.md")
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert tuple(rows[0]) == GRADE_COLUMNS
    assert len(rows) == len(report.items)
    assert {(r["line"], r["hand"], r["kind"], r["verdict"]) for r in rows if r["line"] == "7"} \
        == {("7", "0.5", "value", "wrong"), ("7", "0.5", "arithmetic", "wrong")}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.marks, self.text = [], [], []
        self._mark = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "mark":
            self._mark = dict(attrs)

    def handle_endtag(self, tag):
        if tag == "mark":
            self._mark = None

    def handle_data(self, data):
        self.text.append(data)
        if self._mark is not None:
            self.marks.append((data, self._mark["class"], self._mark["title"]))


def test_html_page_marks_every_number_and_escapes_the_document():
    report = grade_markdown(NEURON, DOCUMENT, "quiz.md")
    page = report.to_html()
    assert page.startswith("<!DOCTYPE html>") and "<meta charset='utf-8'>" in page
    parsed = _Page()
    parsed.feed(page)
    assert ("script", {}) not in parsed.tags and ("b", {}) not in parsed.tags
    assert "<script>alert(1)</script>" in "".join(parsed.text)  # shown, as text
    marks = {(text, cls) for text, cls, _ in parsed.marks}
    assert {("0.8", "wrong"), ("0.7312", "close"), ("0.5", "wrong"), ("-4", "unread"),
            ("0.7311", "correct")} <= marks
    tip = next(title for text, _, title in parsed.marks if text == "0.8")
    assert tip.startswith("s: should be 0.7")


def test_jupyter_shows_the_lines_for_mathjax_to_typeset():
    report = grade_markdown(NEURON, DOCUMENT, "quiz.md")
    view = report._repr_html_()
    assert view.startswith("<div class='handgrad-grade'>") and "<mark" not in view
    assert r"<div>$$s = 0.4 \times 2 = 0.8$$</div>" in view


# -- the Python functions' arguments ------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: grade_markdown(5, "$$x = 1$$"), TypeError,
     "problem must be a Problem or the path of a problem file, got int"),
    (lambda: grade_markdown(NEURON, b"$$x = 1$$"), TypeError,
     "text must be the document's text (a str), got bytes: decode it first, "
     "e.g. data.decode('utf-8')"),
    (lambda: grade_markdown(NEURON, Path("hw.md")), TypeError,
     "text must be the document's text (a str), got PosixPath: for a file, "
     "use grade_files(problem, [path])"),
    (lambda: grade_files(NEURON, 5), TypeError,
     "paths must be a path or a list of paths (files or folders), got int"),
])
def test_wrong_argument_types_are_named(call, error, message):
    with pytest.raises(error) as e:
        call()
    assert str(e.value) == message


def test_a_notebooks_cells_are_counted_from_1_in_every_report(tmp_path):
    """A reader counts cells down the page from 1, code cells too: the math in
    the third cell is 'cell 3' in the text and HTML reports and cell = 3 in the
    JSON and CSV rows; its line counts the Markdown cells joined (line 2)."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Quiz"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell(r"$$s = 0.4 \times 2 = 0.8$$"),
    ])
    path = tmp_path / "quiz.ipynb"
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    report = grade_files(NEURON, [path])
    assert "2 (cell 3)" in report.text()
    assert "line 2 (cell 3)" in report.to_html()
    items = json.loads(report.to_json())["submissions"][0]["items"]
    assert {(it["line"], it["cell"]) for it in items} == {(2, 3)}
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert rows and {(r["line"], r["cell"]) for r in rows} == {("2", "3")}
