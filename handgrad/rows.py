"""Graded numbers as machine-readable rows: the fields, and JSON and CSV.

`handgrad check --format json|csv` writes one row per hand answer of a
sheet.  The field names are chosen to be shared: `handgrad grade` (issue
#12) writes one row per number of a document with the same names where the
two overlap (path, hand, quantity, kind, verdict, expected, note), so a
teaching assistant's spreadsheet of one reads like the other's, and its
writers can be these.  What a check row holds is `FIELDS`, said once; the
`--help` of `check` and the README point here.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Iterable, Mapping, Sequence

from autograd.report import CheckReport, Row
from autograd.rounding import CLOSE, COARSE, CORRECT, WRONG

FIELDS: dict[str, str] = {
    "path": "the file graded (here, the answer sheet)",
    "key": "the answer's key in the sheet, as written",
    "hand": "the hand answer as written",
    "quantity": "what the key means: a10, ∂Loss/∂w(1)10, w − 0.1·∂L/∂w",
    "kind": "value, grad (of the root), derivative (between labels) or update",
    "verdict": "correct, close (last digit one off), wrong or coarse (too few digits); "
               "error for a sheet that cannot be graded",
    "expected": "the engine's value as the answer should read it",
    "engine": "the engine's value, in full",
    "note": "why an answer is not plainly correct (for an error: the message)",
}
CHECK_COLUMNS: tuple[str, ...] = tuple(FIELDS)
"""The CSV columns of `handgrad check`, in order."""

GRADE_FIELDS: dict[str, str] = {
    "path": "the submission graded",
    "line": "the 1-based line of the file where the number stands (for a notebook, of its "
            "Markdown cells joined in order)",
    "cell": "for a notebook: the number's cell, counted from 1 among all its cells (code "
            "cells too), as the text and HTML reports' '(cell N)' counts",
    "part": "the part of the problem file it was graded in (its title), if there are parts",
    "hand": "the number as written",
    "quantity": FIELDS["quantity"] + ", or arithmetic",
    "kind": "what the number claims: value, grad or derivative (a derivative's value, named "
            "as check's kind: of the root or between labels), update (as check's), factor (of "
            "a product), arithmetic, lr (the step's learning rate) or expression (of nodes); "
            "unchecked or unread",
    "verdict": "correct, close (last digit one off), wrong, unchecked (read, but nothing to "
               "check it against: the note says why) or unread (the note says why); error "
               "for a submission that cannot be read (the note is why; in JSON it is "
               '{"path", "error"})',
    "expected": FIELDS["expected"],
    "engine": FIELDS["engine"],
    "note": "why it is not plainly correct, or why it is unchecked or unread",
}
GRADE_COLUMNS: tuple[str, ...] = tuple(GRADE_FIELDS)
"""The CSV columns of `handgrad grade` (one row per check of a number), in
order; JSON items have the same fields, under their submission's path."""

ERROR = "error"
VERDICTS = (CORRECT, CLOSE, WRONG, COARSE)


def check_row(row: Row) -> dict:
    """One answer of a check report as `FIELDS` but the path (JSON items
    stand under their sheet's path; a CSV row adds it)."""
    return {"key": row.key, "hand": row.hand, "quantity": row.quantity, "kind": row.kind,
            "verdict": row.verdict, "expected": row.expected, "engine": row.engine,
            "note": row.note}


def error_row(path: str, message: str, columns: Sequence[str] = CHECK_COLUMNS) -> dict:
    """The row of a sheet (or, with `GRADE_COLUMNS`, a submission) that could
    not be graded: nothing is silently left out."""
    return dict.fromkeys(columns, "") | {"path": path, "verdict": ERROR, "note": message}


def summary(report: CheckReport) -> dict[str, int]:
    """How many answers were checked, by verdict."""
    return {"checked": len(report)} | {v: sum(r.verdict == v for r in report) for v in VERDICTS}


def to_json(document) -> str:
    """JSON text, UTF-8 as written (Korean labels stay readable), with a
    final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_csv(columns: Sequence[str], rows: Iterable[Mapping]) -> str:
    """CSV text with a header row; numbers are written in full (repr), so a
    spreadsheet reads back the engine's exact float."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([repr(v) if isinstance(v, float) else v for v in
                         (row.get(c, "") for c in columns)])
    return out.getvalue()
