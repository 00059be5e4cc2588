"""Reports of graded submissions, for people and for programs.

`Report` holds the results of one or more submissions: `str()` is a class
summary (one row per submission: numbers, checked / correct / close / wrong,
unchecked, unread) followed by each submission's report (`report_text`),
which names every wrong number with its cause and lists every unchecked and
unread one; `.ok` is True when no checked number is wrong.  `to_json()` and
`to_csv()` give one item per check a number gets (a number can be judged as
a value and as arithmetic), with the fields of `rows.GRADE_FIELDS`, named as
`handgrad check`'s rows are where the two overlap; `to_html()` is a page and `_repr_html_()` Jupyter's view
(`report_html`).  `grade_markdown` and `grade_files` make reports.  A
submission among several that cannot be read (not UTF-8, say) is in
`errors`, one row of each format after the graded ones, as `handgrad
check` reports a malformed sheet among others, so that one bad file does
not stop a class's grading.
"""

from __future__ import annotations

import os
from typing import Callable

from autograd.rounding import WRONG

from . import rows
from .grading import SubmissionResult
from .part_grader import Item
from .report_html import fragment, page
from .report_text import submission_text, summary, summary_table


def _plain(text: str) -> str:
    return text


class Report:
    """Graded submissions (see the module doc)."""

    def __init__(self, results: list[SubmissionResult], title: str = "",
                 errors: list[tuple[str, str]] | None = None):
        self.results, self.title = results, title
        self.errors = errors or []  # (path, why) of each submission that could not be read

    @property
    def ok(self) -> bool:
        return not self.errors and all(
            r.counts.graded and all(it.verdict != WRONG for it in r.items) for r in self.results)

    @property
    def items(self) -> list[Item]:
        return [it for r in self.results for it in r.items]

    @property
    def wrong(self) -> list[Item]:
        return [it for it in self.items if it.verdict == WRONG]

    def summary_table(self) -> str:
        return summary_table(self.results, errors=self.errors)

    def text(self, *, bad: Callable[[str], str] = _plain,
             bold: Callable[[str], str] = _plain) -> str:
        """The class summary and every submission's report; `bad` and `bold`
        style the headings (the command passes its terminal colours)."""
        return "\n\n".join([summary_table(self.results, bold, self.errors)] + [
            submission_text(r, bad=bad, bold=bold) for r in self.results])

    def __str__(self) -> str:
        return self.text()

    __repr__ = __str__

    def to_dict(self) -> dict:
        return {"submissions": [
            {"path": r.path, "summary": summary(r), "notes": r.notes,
             "items": [_item_dict(it) for it in r.items]} for r in self.results] +
            [{"path": path, "error": why} for path, why in self.errors]}

    def to_json(self) -> str:
        """`{"submissions": [{"path", "summary", "notes", "items": [...]}]}`, the
        items with the fields of `rows.GRADE_FIELDS` (a notebook's with `cell`);
        a submission that could not be read is `{"path", "error"}`, as in
        `handgrad check`'s JSON."""
        return rows.to_json(self.to_dict())

    def to_csv(self) -> str:
        """One row per check of a number, the columns `rows.GRADE_COLUMNS`, and
        one (verdict error) per submission that could not be read."""
        graded = [{"path": r.path} | _item_dict(it) for r in self.results for it in r.items]
        return rows.to_csv(rows.GRADE_COLUMNS, graded + [
            rows.error_row(path, why, rows.GRADE_COLUMNS) for path, why in self.errors])

    def to_html(self) -> str:
        """A self-contained HTML page (it loads nothing)."""
        return page(self.results, self.title, self.errors)

    def _repr_html_(self) -> str:
        return fragment(self.results, typeset=True, errors=self.errors)


def _item_dict(it: Item) -> dict:
    d = {"line": it.line, "part": it.part, "hand": it.hand, "quantity": it.quantity,
         "kind": it.kind, "verdict": it.verdict, "expected": it.expected, "engine": it.engine,
         "note": it.note}
    return d if it.cell is None else {"line": it.line, "cell": it.cell} | d


def _problem(problem):
    from .problem import Problem, load_problem
    if isinstance(problem, Problem):
        return problem
    if not isinstance(problem, (str, os.PathLike)):
        raise TypeError(f"problem must be a Problem or the path of a problem file, got "
                        f"{type(problem).__name__}")
    return load_problem(problem)


def grade_markdown(problem, text: str, name: str = "submission") -> Report:
    """Grade one document's text (Markdown with $…$ math) against a problem
    (a `Problem` or the path of a problem file): a `Report`."""
    from .grading import grade_text
    if not isinstance(text, str):
        hint = ("decode it first, e.g. data.decode('utf-8')" if isinstance(text, bytes) else
                "for a file, use grade_files(problem, [path])" if isinstance(text, os.PathLike)
                else "")
        raise TypeError(f"text must be the document's text (a str), got "
                        f"{type(text).__name__}" + (f": {hint}" if hint else ""))
    p = _problem(problem)
    return Report([grade_text(p, text, name)], p.title)


def grade_files(problem, paths) -> Report:
    """Grade submission files or folders (.md, .txt, .ipynb) against a problem:
    `paths` is one path or a list of them.  DocumentError for a missing path
    or an empty folder, and for one file that cannot be read; among several,
    such a file is in the report's `errors` and the others are graded."""
    from .document import DocumentError, read_path, submissions
    from .grading import grade_document
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    elif not isinstance(paths, (list, tuple)) or not all(
            isinstance(q, (str, os.PathLike)) for q in paths):
        raise TypeError(f"paths must be a path or a list of paths (files or folders), got "
                        f"{type(paths).__name__}")
    p = _problem(problem)
    files = submissions(paths)
    results, errors = [], []
    for path in files:
        try:
            doc = read_path(path)
        except DocumentError as e:
            if len(files) == 1:
                raise
            errors.append((e.path, e.reason))
            continue
        results.append(grade_document(p, doc))
    return Report(results, p.title, errors)
