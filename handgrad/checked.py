"""What a `handgrad check` run over several sheets reports, beyond each
sheet's table: the summary that names every sheet that failed and what is
wrong in it, and the JSON and CSV documents, whose rows `rows` makes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from autograd.notation import count, display_width
from autograd.report import CheckReport

from . import rows


@dataclass(frozen=True)
class Checked:
    """One sheet of a run: its report, or why it could not be graded."""

    path: Path
    title: str = ""
    report: CheckReport | None = None
    error: str = ""


def summary_lines(checked: list[Checked], width: int = 79) -> list[str]:
    """The counts, then one entry per sheet that failed: each wrong or too
    coarse answer with what it should read, or the sheet's error, so that
    the end of a long run says who needs a look and why."""
    graded = [c.report for c in checked if c.report is not None]
    answers = sum(len(r) for r in graded)
    wrong = sum(len(r.wrong) for r in graded)
    coarse = sum(len(r.coarse) for r in graded)
    failed = sum(not r.ok for r in graded)
    with_wrong = sum(bool(r.wrong) for r in graded)  # the others failed by coarseness alone
    parts = [f"{len(graded) - failed} ok"]
    if failed:
        counts = [f"{n} of {count(answers, 'answer')} {what}" for n, what in
                  ((wrong, "wrong"), (coarse, "too coarse")) if n]
        sheets = [f"{n} with {what}" for n, what in ((with_wrong, "wrong answers"),
                  (failed - with_wrong, "answers not accepted")) if n]
        parts.append(f"{', '.join(sheets)} ({', '.join(counts)})")
    else:
        parts[0] += f" ({count(answers, 'answer')}, none wrong)"
    if len(graded) < len(checked):
        parts.append(f"{len(checked) - len(graded)} malformed")
    lines = [f"{count(len(checked), 'sheet')}: {', '.join(parts)}"]
    for c in checked:
        if c.report is None:
            lines.append(f"  {c.path}: malformed: {c.error}")
        elif not c.report.ok:
            head = f"  {c.path}:"
            for found, what, says in ((c.report.wrong, "wrong", "should be"),
                                      (c.report.coarse, "too coarse", "write")):
                if found:
                    lines += _packed(f"{head} {len(found)} of {len(c.report)} {what}:", [
                        f"{r.quantity} = {r.hand} ({says} {r.expected})" for r in found], width)
                    head = "   "
    return lines


def _packed(head: str, items: list[str], width: int, indent: str = "    ") -> list[str]:
    """`head` and the items, comma-separated, in lines of `width` terminal
    columns (Hangul takes two) where they fit, never breaking an item."""
    lines, line = [], head
    for i, item in enumerate(items):
        item += "," if i < len(items) - 1 else ""
        if line != head and display_width(line) + 1 + display_width(item) > width:
            lines.append(line)
            line = indent + item
        else:
            line += " " + item
    return lines + [line]


def json_document(checked: list[Checked]) -> dict:
    """{"sheets": [{"path", "title", "summary", "items"} or {"path", "error"}]}."""
    return {"sheets": [
        {"path": str(c.path), "error": c.error} if c.report is None else
        {"path": str(c.path), "title": c.title, "summary": rows.summary(c.report),
         "items": [rows.check_row(r) for r in c.report]} for c in checked]}


def csv_rows(checked: list[Checked]) -> Iterator[dict]:
    """One row per answer, and one (verdict error) per sheet that could not be graded."""
    for c in checked:
        if c.report is None:
            yield rows.error_row(str(c.path), c.error)
        else:
            yield from ({"path": str(c.path)} | rows.check_row(r) for r in c.report)
