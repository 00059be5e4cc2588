"""Reports of graded submissions, for people and for programs.

`Report` holds the results of one or more submissions: `str()` is a class
summary (one row per submission: numbers, checked / correct / close / wrong,
unchecked, unread) followed by each submission's report (`report_text`),
which names every wrong number with its cause and lists every unchecked and
unread one; `.ok` is True when no checked number is wrong.  `to_json()` and
`to_csv()` give one item per check a number gets (a number can be judged as
a value and as arithmetic), with the fields of `check`'s rows where the two
overlap; `to_html()` is a page and `_repr_html_()` Jupyter's view
(`report_html`).  `grade_markdown` and `grade_files` make reports.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Callable

from autograd.rounding import WRONG

from .grading import Item, SubmissionResult
from .report_html import fragment, page
from .report_text import submission_text, summary, summary_table

CSV_COLUMNS = ("path", "line", "cell", "part", "hand", "quantity", "kind", "verdict",
               "expected", "engine", "note")


def _plain(text: str) -> str:
    return text


class Report:
    """Graded submissions (see the module doc)."""

    def __init__(self, results: list[SubmissionResult], title: str = ""):
        self.results, self.title = results, title

    @property
    def ok(self) -> bool:
        return all(it.verdict != WRONG for r in self.results for it in r.items)

    @property
    def items(self) -> list[Item]:
        return [it for r in self.results for it in r.items]

    @property
    def wrong(self) -> list[Item]:
        return [it for it in self.items if it.verdict == WRONG]

    def summary_table(self) -> str:
        return summary_table(self.results)

    def text(self, *, bad: Callable[[str], str] = _plain,
             bold: Callable[[str], str] = _plain) -> str:
        """The class summary and every submission's report; `bad` and `bold`
        style the headings (the command passes its terminal colours)."""
        return "\n\n".join([summary_table(self.results, bold)] + [
            submission_text(r, bad=bad, bold=bold) for r in self.results])

    def __str__(self) -> str:
        return self.text()

    __repr__ = __str__

    def to_dict(self) -> dict:
        return {"submissions": [
            {"path": r.path, "summary": summary(r), "notes": r.notes,
             "items": [_item_dict(it) for it in r.items]} for r in self.results]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for r in self.results:
            for it in r.items:
                w.writerow([r.path, it.line, "" if it.cell is None else it.cell, it.part,
                            it.hand, it.quantity, it.kind, it.verdict, it.expected,
                            "" if it.engine is None else repr(it.engine), it.note])
        return out.getvalue()

    def to_html(self) -> str:
        """A self-contained HTML page (it loads nothing)."""
        return page(self.results, self.title)

    def _repr_html_(self) -> str:
        return fragment(self.results, typeset=True)


def _item_dict(it: Item) -> dict:
    d = {"line": it.line, "hand": it.hand, "quantity": it.quantity, "verdict": it.verdict,
         "expected": it.expected, "engine": it.engine, "note": it.note, "kind": it.kind,
         "part": it.part}
    if it.cell is not None:
        d["cell"] = it.cell
    return d


def _problem(problem):
    from .problem import Problem, load_problem
    return problem if isinstance(problem, Problem) else load_problem(problem)


def grade_markdown(problem, text: str, name: str = "submission") -> Report:
    """Grade one document's text (Markdown with $…$ math) against a problem
    (a `Problem` or the path of a problem file): a `Report`."""
    from .grading import grade_text
    p = _problem(problem)
    return Report([grade_text(p, text, name)], p.title)


def grade_files(problem, paths) -> Report:
    """Grade submission files or folders (.md, .txt, .ipynb) against a problem.
    DocumentError for a file that cannot be read."""
    from .document import read_path, submissions
    from .grading import grade_document
    p = _problem(problem)
    files = submissions(paths if isinstance(paths, (list, tuple)) else [paths])
    return Report([grade_document(p, read_path(path)) for path in files], p.title)
