"""Reports of graded submissions: text, JSON, CSV (one row per number) and
HTML (each equation with its marks; Jupyter typesets the LaTeX).

`Report` holds the results of one or more submissions: `str()` is a class
summary (one row per submission: checked / correct / close / wrong / unread)
followed by each submission's report, which names every wrong number with
its cause and lists every unchecked and unread one; `.ok` is True when no
checked number is wrong; `to_json()`, `to_csv()` and `to_html()` give the
machine formats, one item per claim a number makes (a number can be judged
as a value and as arithmetic), as `check`'s rows give them.
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Callable

from autograd.rounding import CLOSE, CORRECT, WRONG

from .grading import UNCHECKED, UNREAD, Item, SubmissionResult

_MARK = {CORRECT: "✓", CLOSE: "≈", WRONG: "✗", UNCHECKED: "?", UNREAD: "·"}
CSV_COLUMNS = ("path", "line", "cell", "part", "hand", "quantity", "kind", "verdict",
               "expected", "engine", "note")


def summary(result: SubmissionResult) -> dict:
    """The counts of one submission: checks (a number may be checked as a
    value and as arithmetic) and numbers."""
    items = result.items
    checked = [it for it in items if it.verdict in (CORRECT, CLOSE, WRONG)]
    c = result.counts
    return {"checked": len(checked),
            "correct": sum(it.verdict == CORRECT for it in checked),
            "close": sum(it.verdict == CLOSE for it in checked),
            "wrong": sum(it.verdict == WRONG for it in checked),
            "unchecked": c.unchecked, "unread": c.unread,
            "numbers": c.numbers, "numbers_graded": c.graded,
            "numbers_wrong": len({it.offset for it in checked if it.verdict == WRONG}),
            "formulas": c.formulas}


def _plain(text: str) -> str:
    return text


class Report:
    """Graded submissions (see the module doc)."""

    def __init__(self, results: list[SubmissionResult], title: str = ""):
        self.results, self.title = results, title
        self._documents: dict[str, list[str]] = {}

    @property
    def ok(self) -> bool:
        return all(it.verdict != WRONG for r in self.results for it in r.items)

    @property
    def items(self) -> list[Item]:
        return [it for r in self.results for it in r.items]

    @property
    def wrong(self) -> list[Item]:
        return [it for it in self.items if it.verdict == WRONG]

    # -- text --------------------------------------------------------------------------
    def summary_table(self, bold: Callable[[str], str] = _plain) -> str:
        head = ("submission", "numbers", "checked", "correct", "close", "wrong", "unchecked",
                "unread")
        rows = [(r.path,) + tuple(str(summary(r)[k]) for k in head[1:]) for r in self.results]
        widths = [max(len(x[i]) for x in [head] + rows) for i in range(len(head))]
        lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                           for i, (c, w) in enumerate(zip(row, widths))).rstrip()
                 for row in [head] + rows]
        return "\n".join([bold(lines[0])] + lines[1:])

    def submission_text(self, r: SubmissionResult, *, bad: Callable[[str], str] = _plain,
                        bold: Callable[[str], str] = _plain, brief: bool = False) -> str:
        """One submission: its counts, then every wrong number (its items
        joined: what it should be, why, and how its other checks went), the
        numbers off by one in the last digit, and (unless `brief`) every
        unchecked and unread number with the reason, one line per reason."""
        s = summary(r)
        operands = s["numbers"] - s["numbers_graded"] - s["unchecked"] - s["unread"]
        lines = [bold(r.path),
                 f"  {s['numbers']} numbers read: {s['numbers_graded']} graded, "
                 f"{s['unchecked']} unchecked, {s['unread']} unread, {operands} operands and "
                 f"constants of formulas",
                 f"  {s['checked']} checks: {s['correct']} correct, {s['close']} close, "
                 f"{s['wrong']} wrong"
                 + (f" ({s['numbers_wrong']} numbers)" if s["wrong"] else "")
                 + f"; {s['formulas']} formulas without numbers"]
        lines += [f"  note: {n}" for n in r.notes]
        numbers = _by_number(r.items)
        wrong = [its for its in numbers if any(it.verdict == WRONG for it in its)]
        if wrong:
            lines.append(bad("  wrong:"))
            lines += _merged(f"    line {_where(its[0])}  {its[0].hand}  {_judged(its, WRONG)}"
                             for its in wrong)
        close = [its for its in numbers if not any(it.verdict == WRONG for it in its)
                 and any(it.verdict == CLOSE for it in its)]
        if close:
            lines.append("  off by one in the last digit:")
            lines += _merged(f"    line {_where(its[0])}  {its[0].hand}  {_judged(its, CLOSE)}"
                             for its in close)
        for verdict, title in ((UNCHECKED, "unchecked"), (UNREAD, "unread")):
            alone = [its[0] for its in numbers if all(it.verdict == verdict for it in its)]
            if not alone:
                continue
            if brief:
                lines.append(f"  {len(alone)} {title} (handgrad grade lists them with the reason)")
                continue
            lines.append(f"  {title}:")
            groups: list[list[Item]] = []
            for it in alone:  # one line per line of the file and reason
                if groups and (groups[-1][0].line, groups[-1][0].note) == (it.line, it.note):
                    groups[-1].append(it)
                else:
                    groups.append([it])
            lines += [f"    line {_where(g[0])}  {', '.join(it.hand for it in g)}  {g[0].note}"
                      for g in groups]
        return "\n".join(lines)

    def text(self, *, bad: Callable[[str], str] = _plain,
             bold: Callable[[str], str] = _plain) -> str:
        """The class summary and every submission's report; `bad` and `bold`
        style the headings (the command passes its terminal colours)."""
        parts = [self.summary_table(bold)] + [self.submission_text(r, bad=bad, bold=bold)
                                              for r in self.results]
        return "\n\n".join(parts)

    def __str__(self) -> str:
        return self.text()

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
                            it.hand, it.quantity, it.kind, it.verdict, it.expected,
                            "" if it.engine is None else repr(it.engine), it.note])
        return out.getvalue()

    def to_html(self) -> str:
        return _html(self, self._documents)

    def _repr_html_(self) -> str:
        return self.to_html()


def _where(it: Item) -> str:
    return f"{it.line}" + (f" (cell {it.cell})" if it.cell is not None else "")


def _by_number(items: list[Item]) -> list[list[Item]]:
    """The items grouped by the number they judge, in document order."""
    groups: dict[int, list[Item]] = {}
    for it in items:
        groups.setdefault(it.offset, []).append(it)
    return list(groups.values())


def _judged(items: list[Item], verdict: str) -> str:
    """What a number's items with `verdict` say, then how its other checks
    went: "∂Loss/∂w(1)10: should be -0.0558; first wrong factor …; arithmetic
    correct" tells a wrong factor from an arithmetic slip."""
    items = sorted(items, key=lambda it: it.kind == "arithmetic")  # the quantity first
    said = [_said(it) for it in items if it.verdict == verdict]
    others = [f"{'arithmetic' if it.kind == 'arithmetic' else it.quantity or it.kind} "
              f"{it.verdict}" for it in items
              if it.verdict != verdict and it.verdict in (CORRECT, CLOSE, WRONG)]
    wrong_values = [it for it in items if it.verdict == WRONG and it.kind == "value"]
    if verdict == WRONG and "arithmetic correct" in others and wrong_values and not any(
            "factor" in it.note for it in wrong_values):
        others[others.index("arithmetic correct")] = (
            "the arithmetic is right, so a number it uses is wrong or was rounded too early")
    return "; ".join(said + others)


def _said(it: Item) -> str:
    """An item as a TA says it: what it should be, and why (check's notes
    start with "should be" or "rounds to"; the others get it here)."""
    name = it.quantity or it.kind
    if not it.note.startswith(("should be", "rounds to")) and it.expected:
        lead = "should be" if it.verdict == WRONG else "rounds to"
        return f"{name}: {lead} {it.expected}" + (f"; {it.note}" if it.note else "")
    return f"{name}: {it.note}"


def _merged(lines) -> list[str]:
    """Identical lines once, with how many times (0.54 × (1 − 0.54): two 0.54)."""
    out: list[str] = []
    counts: list[int] = []
    for line in lines:
        if out and out[-1] == line:
            counts[-1] += 1
        else:
            out.append(line)
            counts.append(1)
    return [line if n == 1 else f"{line}  (×{n})" for line, n in zip(out, counts)]


def _item_dict(it: Item) -> dict:
    d = {"line": it.line, "hand": it.hand, "quantity": it.quantity, "verdict": it.verdict,
         "expected": it.expected, "engine": it.engine, "note": it.note, "kind": it.kind,
         "part": it.part}
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
