"""Reports of graded submissions: text, JSON, CSV (one row per number) and
HTML (each equation with its marks; Jupyter typesets the LaTeX).

`Report` holds the results of one or more submissions: `str()` is a class
summary (one row per submission: checked / correct / close / wrong / unread)
followed by each submission's report naming every wrong number with its
cause and listing every unread one; `.ok` is True when no checked number is
wrong; `to_json()`, `to_csv()` and `to_html()` give the machine formats.
"""

from __future__ import annotations

import csv
import html
import io
import json

from .grading import UNCHECKED, UNREAD, SubmissionResult

CORRECT, CLOSE, WRONG = "correct", "close", "wrong"
_MARK = {CORRECT: "✓", CLOSE: "≈", WRONG: "✗", UNCHECKED: "?", UNREAD: "·"}
CSV_COLUMNS = ("path", "line", "cell", "part", "hand", "quantity", "kind", "verdict",
               "expected", "note")


def summary(result: SubmissionResult) -> dict:
    items = result.items
    checked = [it for it in items if it.verdict in (CORRECT, CLOSE, WRONG)]
    c = result.counts
    return {"checked": len(checked),
            "correct": sum(it.verdict == CORRECT for it in checked),
            "close": sum(it.verdict == CLOSE for it in checked),
            "wrong": sum(it.verdict == WRONG for it in checked),
            "unchecked": sum(it.verdict == UNCHECKED for it in items),
            "unread": sum(it.verdict == UNREAD for it in items),
            "numbers": c.numbers, "numbers_graded": c.graded, "numbers_unread": c.unread,
            "formulas": c.formulas}


class Report:
    """Graded submissions (see the module doc)."""

    def __init__(self, results: list[SubmissionResult], title: str = ""):
        self.results, self.title = results, title
        self._documents: dict[str, list[str]] = {}

    @property
    def ok(self) -> bool:
        return all(it.verdict != WRONG for r in self.results for it in r.items)

    @property
    def items(self):
        return [it for r in self.results for it in r.items]

    @property
    def wrong(self):
        return [it for it in self.items if it.verdict == WRONG]

    # -- text --------------------------------------------------------------------------
    def summary_table(self) -> str:
        head = ("submission", "checked", "correct", "close", "wrong", "unread")
        rows = [(r.path,) + tuple(str(summary(r)[k]) for k in head[1:]) for r in self.results]
        widths = [max(len(x[i]) for x in [head] + rows) for i in range(len(head))]
        lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                           for i, (c, w) in enumerate(zip(row, widths))).rstrip()
                 for row in [head] + rows]
        return "\n".join(lines)

    def submission_text(self, r: SubmissionResult) -> str:
        s = summary(r)
        lines = [f"{r.path}: {s['checked']} checked, {s['correct']} correct, {s['close']} "
                 f"close, {s['wrong']} wrong; {s['unchecked']} unchecked, {s['unread']} unread "
                 f"({s['numbers']} numbers read, {s['formulas']} formulas without numbers)"]
        lines += [f"  note: {n}" for n in r.notes]
        wrong = [it for it in r.items if it.verdict == WRONG]
        if wrong:
            lines.append("  wrong:")
            lines += [f"    line {_where(it)}: {it.hand}  {_what(it)}: {it.note}" for it in wrong]
        close = [it for it in r.items if it.verdict == CLOSE]
        if close:
            lines.append("  off by one in the last digit:")
            lines += [f"    line {_where(it)}: {it.hand}  {_what(it)}: {it.note}" for it in close]
        unchecked = [it for it in r.items if it.verdict == UNCHECKED]
        if unchecked:
            lines.append("  unchecked:")
            lines += [f"    line {_where(it)}: {it.hand}  {it.note}" for it in unchecked]
        unread = [it for it in r.items if it.verdict == UNREAD]
        if unread:
            lines.append("  unread:")
            lines += [f"    line {_where(it)}: {it.hand}  {it.note}" for it in unread]
        return "\n".join(lines)

    def __str__(self) -> str:
        parts = [self.summary_table()] + [self.submission_text(r) for r in self.results]
        return "\n\n".join(parts)

    __repr__ = __str__

    # -- machine formats ----------------------------------------------------------------------
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
                            it.hand, it.quantity, it.kind, it.verdict, it.expected, it.note])
        return out.getvalue()

    def to_html(self) -> str:
        return _html(self, self._documents)

    def _repr_html_(self) -> str:
        return self.to_html()


def _where(it) -> str:
    return f"{it.line}" + (f" (cell {it.cell})" if it.cell is not None else "")


def _what(it) -> str:
    return it.quantity or it.kind


def _item_dict(it) -> dict:
    d = {"line": it.line, "hand": it.hand, "quantity": it.quantity, "verdict": it.verdict,
         "expected": it.expected, "note": it.note, "kind": it.kind, "part": it.part}
    if it.cell is not None:
        d["cell"] = it.cell
    return d


_COLOUR = {CORRECT: "#1a7f37", CLOSE: "#9a6700", WRONG: "#cf222e", UNCHECKED: "#57606a",
           UNREAD: "#57606a"}


def _html(report: Report, documents: dict) -> str:
    """Each line of a submission that holds graded numbers, its math shown as
    written (MathJax in Jupyter typesets it), followed by the marks."""
    out = ["<div class='handgrad-grade'>", "<table><thead><tr>" + "".join(
        f"<th>{h}</th>" for h in ("submission", "checked", "correct", "close", "wrong",
                                  "unread")) + "</tr></thead><tbody>"]
    for r in report.results:
        s = summary(r)
        out.append("<tr>" + "".join(f"<td>{html.escape(str(x))}</td>" for x in (
            r.path, s["checked"], s["correct"], s["close"], s["wrong"], s["unread"])) + "</tr>")
    out.append("</tbody></table>")
    for r in report.results:
        out.append(f"<h3>{html.escape(r.path)}</h3>")
        for n in r.notes:
            out.append(f"<p><em>{html.escape(n)}</em></p>")
        by_line: dict[int, list] = {}
        for it in r.items:
            by_line.setdefault(it.line, []).append(it)
        lines = documents.get(r.path)
        for line, items in by_line.items():
            source = lines[line - 1] if lines and line <= len(lines) else ""
            worst = next((v for v in (WRONG, CLOSE, CORRECT, UNCHECKED, UNREAD)
                          if any(it.verdict == v for it in items)), UNREAD)
            out.append(f"<div style='border-left:4px solid {_COLOUR[worst]};padding-left:8px;"
                       f"margin:6px 0'><div><b>line {line}</b></div>")
            if source.strip():
                out.append(f"<div>{html.escape(source)}</div>")
            out.append("<ul style='margin:2px 0'>")
            for it in items:
                out.append(
                    f"<li><span style='color:{_COLOUR[it.verdict]};font-weight:bold'>"
                    f"{_MARK[it.verdict]} {html.escape(it.verdict)}</span> "
                    f"<code>{html.escape(it.hand)}</code> {html.escape(it.quantity or it.kind)}"
                    + (f" — {html.escape(it.note)}" if it.note else "") + "</li>")
            out.append("</ul></div>")
    out.append("</div>")
    return "\n".join(out)


def _problem(problem):
    from .problem import Problem, load_problem
    return problem if isinstance(problem, Problem) else load_problem(problem)


def grade_markdown(problem, text: str, name: str = "submission") -> Report:
    """Grade one document's text (Markdown with $…$ math) against a problem
    (a `Problem` or the path of a problem file): a `Report`."""
    from .grading import grade_text
    p = _problem(problem)
    result = grade_text(p, text, name)
    report = Report([result], p.title)
    report._documents = {name: text.replace("\r\n", "\n").split("\n")}
    return report


def grade_files(problem, paths) -> Report:
    """Grade submission files or folders (.md, .txt, .ipynb) against a problem.
    DocumentError for a file that cannot be read."""
    from .document import read_path, submissions
    from .grading import grade_document
    p = _problem(problem)
    results, documents = [], {}
    for path in submissions(paths if isinstance(paths, (list, tuple)) else [paths]):
        doc = read_path(path)
        results.append(grade_document(p, doc))
        documents[doc.path] = doc.text.split("\n")
    report = Report(results, p.title)
    report._documents = documents
    return report
