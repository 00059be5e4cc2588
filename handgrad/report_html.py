"""A graded submission as HTML: each line of math that holds numbers, with
every number marked.

`page` is a self-contained file (`handgrad grade --format html`): the line is
shown as written, in a monospace block, each number highlighted in the
colour of its verdict with what it should be on hover, and the numbers'
verdicts listed under it.  Nothing is loaded, so LaTeX stays as written.
`fragment(typeset=True)` is what Jupyter shows (`Report._repr_html_`): the
line as a Markdown cell would show it, so Jupyter's MathJax typesets it, with
the same list under it.  Everything from the document is escaped.
"""

from __future__ import annotations

import html

from autograd.rounding import CLOSE, CORRECT, WRONG

from .grading import SubmissionResult
from .part_grader import UNCHECKED, UNREAD, Item
from .latex import NUMBER
from .report_text import SUMMARY_COLUMNS, by_number, counts_text, judged, summary, where, worst

_MARK = {CORRECT: "✓", CLOSE: "≈", WRONG: "✗", UNCHECKED: "?", UNREAD: "·"}
_STYLE = """
.handgrad-grade { font-family: system-ui, sans-serif; font-size: 14px; line-height: 1.45;
  color: #1f2328; }
.handgrad-grade table { border-collapse: collapse; margin: 4px 0 12px; }
.handgrad-grade th, .handgrad-grade td { padding: 2px 10px; border-bottom: 1px solid #d0d7de;
  text-align: right; }
.handgrad-grade th:first-child, .handgrad-grade td:first-child { text-align: left; }
.handgrad-grade h3 { margin: 18px 0 2px; font-size: 16px; }
.handgrad-grade .counts { margin: 0 0 8px; color: #57606a; }
.handgrad-grade .line { border-left: 4px solid #d0d7de; padding: 2px 0 2px 10px; margin: 8px 0; }
.handgrad-grade .where { color: #57606a; font-size: 12px; }
.handgrad-grade details > summary { color: #57606a; cursor: pointer; }
.handgrad-grade code.source { display: block; white-space: pre-wrap; word-break: break-all;
  font-size: 13px; background: #f6f8fa; padding: 4px 6px; border-radius: 4px; }
.handgrad-grade ul { margin: 4px 0; padding-left: 18px; list-style: none; }
.handgrad-grade li { margin: 1px 0; }
.handgrad-grade .n { font-family: ui-monospace, monospace; font-weight: 600; }
.handgrad-grade mark { background: none; border-radius: 3px; padding: 0 1px; }
.handgrad-grade .wrong { border-color: #cf222e; }
.handgrad-grade .close { border-color: #bf8700; }
.handgrad-grade .correct { border-color: #1a7f37; }
.handgrad-grade .unchecked, .handgrad-grade .unread { border-color: #8c959f; }
.handgrad-grade mark.wrong { background: #ffebe9; color: #a40e26; }
.handgrad-grade mark.close { background: #fff8c5; color: #7d4e00; }
.handgrad-grade mark.correct { background: #dafbe1; color: #116329; }
.handgrad-grade mark.unchecked, .handgrad-grade mark.unread { background: #eaeef2;
  color: #57606a; }
.handgrad-grade li .mark { display: inline-block; width: 1.2em; font-weight: 700; }
.handgrad-grade li.wrong .mark { color: #cf222e; }
.handgrad-grade li.close .mark { color: #9a6700; }
.handgrad-grade li.correct .mark { color: #1a7f37; }
.handgrad-grade li.unchecked, .handgrad-grade li.unread { color: #57606a; }
"""


def page(results: list[SubmissionResult], title: str,
         errors: list[tuple[str, str]] = ()) -> str:
    """A whole HTML document."""
    name = html.escape(title or "handgrad grade")
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{name}</title></head><body>\n<h2 style='font-family:system-ui,"
            f"sans-serif'>{name}</h2>\n{fragment(results, typeset=False, errors=errors)}\n"
            "</body></html>\n")


def fragment(results: list[SubmissionResult], typeset: bool,
             errors: list[tuple[str, str]] = ()) -> str:
    """The summary table (a submission that could not be read: its error
    across the counts), then each submission's lines with their marks."""
    e = html.escape
    out = ["<div class='handgrad-grade'>", f"<style>{_STYLE}</style>", "<table><thead><tr>"
           + "".join(f"<th>{h}</th>" for h in ("submission",) + SUMMARY_COLUMNS)
           + "</tr></thead><tbody>"]
    for r in results:
        s = summary(r)
        out.append("<tr>" + "".join(f"<td>{e(str(x))}</td>" for x in
                                    [r.path] + [s[k] for k in SUMMARY_COLUMNS]) + "</tr>")
    out += [f"<tr class='wrong'><td>{e(path)}</td><td colspan='{len(SUMMARY_COLUMNS)}'>"
            f"error: {e(why)}</td></tr>" for path, why in errors]
    out.append("</tbody></table>")
    for r in results:
        out.append(f"<h3>{e(r.path)}</h3>")
        out.append(f"<p class='counts'>{'<br>'.join(map(e, counts_text(r)))}</p>")
        out += [f"<p><em>{e(n)}</em></p>" for n in r.notes]
        out += _lines(r, typeset)
    out.append("</div>")
    return "\n".join(out)


def _lines(r: SubmissionResult, typeset: bool) -> list[str]:
    """A block per line of the file that holds numbers; a run of lines whose
    numbers are all unread for one reason (before the first part, say) is
    folded into one <details>."""
    text_lines = r.text.split("\n")
    starts = [0]
    for line in text_lines:
        starts.append(starts[-1] + len(line) + 1)
    by_line: dict[int, list[list[Item]]] = {}
    for its in by_number(r.items):
        by_line.setdefault(its[0].line, []).append(its)
    runs: list[tuple[str | None, list[tuple[int, str, int]]]] = []
    for line, numbers in by_line.items():
        source = text_lines[line - 1] if line <= len(text_lines) else ""
        block = _block(line, source, starts[line - 1], numbers, typeset)
        items = [it for its in numbers for it in its]
        unread = items[0].note if all(it.verdict == UNREAD and it.note == items[0].note
                                      for it in items) else None
        if runs and unread is not None and runs[-1][0] == unread:
            runs[-1][1].append((line, block, len(numbers)))
        else:
            runs.append((unread, [(line, block, len(numbers))]))
    out = []
    for unread, blocks in runs:
        if unread is None or len(blocks) == 1:
            out += [block for _, block, _ in blocks]
            continue
        count = sum(n for _, _, n in blocks)
        out.append(f"<details class='line unread'><summary>lines {blocks[0][0]}–"
                   f"{blocks[-1][0]}: {count} numbers unread, {html.escape(unread)}</summary>")
        out += [block for _, block, _ in blocks]
        out.append("</details>")
    return out


def _block(line: int, source: str, start: int, numbers: list[list[Item]],
           typeset: bool) -> str:
    e = html.escape
    verdict = worst([it for its in numbers for it in its])
    out = [f"<div class='line {verdict}'><div class='where'>line {e(where(numbers[0][0]))}</div>",
           f"<div>{e(source)}</div>" if typeset else
           f"<code class='source'>{_marked(source, start, numbers)}</code>", "<ul>"]
    for its in numbers:
        v = worst(its)
        said = ", ".join(dict.fromkeys(it.quantity or it.kind for it in its
                                       if it.verdict == CORRECT)) \
            if v == CORRECT else judged(its) if v in (WRONG, CLOSE) else its[0].note
        out.append(f"<li class='{v}'><span class='mark'>{_MARK[v]}</span>"
                   f"<span class='n'>{e(its[0].hand)}</span> {e(said)}</li>")
        if v != UNCHECKED:  # a graded number's unchecked claims are listed too, with why
            out += [f"<li class='{UNCHECKED}'><span class='mark'>{_MARK[UNCHECKED]}</span>"
                    f"<span class='n'>{e(it.hand)}</span> {e(it.note)}</li>"
                    for it in its if it.verdict == UNCHECKED]
    out.append("</ul></div>")
    return "\n".join(out)


def _marked(source: str, start: int, numbers: list[list[Item]]) -> str:
    """The line escaped, each number in a <mark> of its verdict (what it
    should be on hover)."""
    spans = []
    for its in numbers:
        at = its[0].offset - start
        m = NUMBER.match(source, at) if 0 <= at < len(source) else None
        if m:
            signed = its[0].hand.startswith("-") and source[at - 1:at] in ("-", "−")
            spans.append((at - signed, m.end(), worst(its), its))
    out, cursor = [], 0
    for begin, end, verdict, its in sorted(spans):
        if begin < cursor:
            continue
        tip = judged(its) if verdict in (WRONG, CLOSE) else its[0].note or verdict
        out.append(html.escape(source[cursor:begin]))
        out.append(f"<mark class='{verdict}' title='{html.escape(tip, quote=True)}'>"
                   f"{html.escape(source[begin:end])}</mark>")
        cursor = end
    out.append(html.escape(source[cursor:]))
    return "".join(out)
