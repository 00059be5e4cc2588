"""A graded submission as a teaching assistant reads it: plain text.

One line per number, not per check: a number judged as a value and as
arithmetic is one line that says what it should be and why, and how its
other check went ("arithmetic correct" tells a wrong factor from a slip).
Wrong numbers first, then those off by one in the last digit, then every
unchecked and unread number, grouped by line and reason.  `summary` gives
the counts the text, JSON and HTML reports share.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from autograd.notation import align, count, display_width
from autograd.rounding import CLOSE, CORRECT, WRONG

from .grading import SubmissionResult
from .part_grader import UNCHECKED, UNREAD, Item
from .terminal import aligned


def _plain(text: str) -> str:
    return text


def summary(result: SubmissionResult) -> dict:
    """The counts of one submission.  `checked` (by verdict: `correct`,
    `close`, `wrong`), `unchecked` and `unread` count claims, the items of
    the JSON and the rows of the CSV (a number may be checked as a value and
    as arithmetic, or checked as arithmetic with its value unchecked), so
    checked + unchecked + unread is the number of items; `numbers_*` count
    numbers, each once: graded (some claim of it checked), unchecked (none
    checked, some unchecked), unread, and operands (of checked computations)
    and constants (of formulas), which claim nothing themselves."""
    items = result.items
    checked = [it for it in items if it.verdict in (CORRECT, CLOSE, WRONG)]
    c = result.counts
    graded = {it.offset for it in checked}
    return {"checked": len(checked),
            "correct": sum(it.verdict == CORRECT for it in checked),
            "close": sum(it.verdict == CLOSE for it in checked),
            "wrong": sum(it.verdict == WRONG for it in checked),
            "unchecked": sum(it.verdict == UNCHECKED for it in items),
            "unread": sum(it.verdict == UNREAD for it in items),
            "unchecked_of_graded": sum(it.verdict == UNCHECKED and it.offset in graded
                                       for it in items),
            "numbers": c.numbers, "numbers_graded": c.graded,
            "numbers_wrong": len({it.offset for it in checked if it.verdict == WRONG}),
            "numbers_unchecked": c.unchecked, "numbers_unread": c.unread,
            "numbers_operands": c.operands + c.constants,
            "formulas": c.formulas}


SUMMARY_COLUMNS = ("numbers", "checked", "correct", "close", "wrong", "unchecked", "unread")
"""The class summary's columns: `numbers` counts numbers, the others claims
(as `summary` says)."""


def summary_table(results: list[SubmissionResult], bold: Callable[[str], str] = _plain,
                  errors: list[tuple[str, str]] = ()) -> str:
    """One row per submission, for a class; a submission that could not be
    read is a row of its path and its one-line error."""
    head = ("submission",) + SUMMARY_COLUMNS
    rows = [(r.path,) + tuple(str(summary(r)[k]) for k in SUMMARY_COLUMNS) for r in results]
    rows += [(path,) + ("",) * len(SUMMARY_COLUMNS) for path, _ in errors]
    lines = aligned([head] + rows, right=[False] + [True] * len(SUMMARY_COLUMNS))
    width = max(display_width(row[0]) for row in [head] + rows)
    lines[len(lines) - len(errors):] = [f"{align(path, width)}  error: {why}"
                                        for path, why in errors]
    return "\n".join([bold(lines[0])] + lines[1:])


def counts_text(r: SubmissionResult) -> list[str]:
    """The two lines of counts under a submission's name: numbers, then claims."""
    s = summary(r)
    wrong = f" ({s['numbers_wrong']} wrong)" if s["wrong"] else ""
    n = s["unchecked_of_graded"]
    of_graded = f" ({n} on {'a graded number' if n == 1 else 'graded numbers'})" if n else ""
    return [f"{count(s['numbers'], 'number')} read: {s['numbers_graded']} graded{wrong}, "
            f"{s['numbers_unchecked']} unchecked, {s['numbers_unread']} unread, "
            f"{s['numbers_operands']} operands and constants of formulas",
            f"{count(s['checked'] + s['unchecked'] + s['unread'], 'claim')}: "
            f"{s['checked']} checked ({s['correct']} correct, {s['close']} close, "
            f"{s['wrong']} wrong), {s['unchecked']} unchecked{of_graded}, "
            f"{s['unread']} unread; {count(s['formulas'], 'formula')} without numbers"]


def submission_text(r: SubmissionResult, *, bad: Callable[[str], str] = _plain,
                    bold: Callable[[str], str] = _plain, brief: bool = False) -> str:
    """One submission: its counts, then every wrong number (its items
    joined: what it should be, why, and how its other checks went), the
    numbers off by one in the last digit, and (unless `brief`) every
    unchecked and unread number with the reason, one line per reason."""
    lines = [bold(r.path)] + [f"  {line}" for line in counts_text(r)]
    lines += [f"  note: {n}" for n in r.notes]
    numbers = by_number(r.items)
    for verdict, title in ((WRONG, bad("  wrong:")), (CLOSE, "  off by one in the last digit:")):
        shown = [its for its in numbers if worst(its) == verdict]
        if shown:
            lines.append(title)
            lines += _merged(f"    line {where(its[0])}  {its[0].hand}  {judged(its)}"
                             for its in shown)
    for verdict in (UNCHECKED, UNREAD):
        listed = [_with_checks(it, its) for its in numbers for it in its if it.verdict == verdict]
        if not listed:
            continue
        if brief:
            lines.append(f"  {len(listed)} {verdict} (handgrad grade lists them with the reason)")
            continue
        lines.append(f"  {verdict}:")
        lines += [f"    line {where(g[0])}  {', '.join(it.hand for it in g)}  {g[0].note}"
                  for g in by_reason(listed)]
    return "\n".join(lines)


def _with_checks(it: Item, its: list[Item]) -> Item:
    """An unchecked claim of a number, its note saying how the number's
    other claims went where some were checked (w_{new} = … = 0.4607: the
    arithmetic is checked, the value is not, and the report says both)."""
    checked = [f"{'arithmetic' if o.kind == 'arithmetic' else o.quantity or o.kind} "
               f"{o.verdict}" for o in its if o.verdict in (CORRECT, CLOSE, WRONG)]
    if not checked:
        return it
    return replace(it, note=f"{it.note}; checked only: {', '.join(checked)}")


def by_number(items: list[Item]) -> list[list[Item]]:
    """The items grouped by the number they judge, in document order."""
    groups: dict[int, list[Item]] = {}
    for it in items:
        groups.setdefault(it.offset, []).append(it)
    return list(groups.values())


def by_reason(items: list[Item]) -> list[list[Item]]:
    """Consecutive items of one line with one reason, together."""
    groups: list[list[Item]] = []
    for it in items:
        if groups and (groups[-1][0].line, groups[-1][0].note) == (it.line, it.note):
            groups[-1].append(it)
        else:
            groups.append([it])
    return groups


_ORDER = (WRONG, CLOSE, CORRECT, UNCHECKED, UNREAD)


def worst(items: list[Item]) -> str:
    """What a number is, all its checks taken together."""
    return next(v for v in _ORDER if any(it.verdict == v for it in items))


def where(it: Item) -> str:
    return f"{it.line}" + (f" (cell {it.cell})" if it.cell is not None else "")


def judged(items: list[Item]) -> str:
    """What a number's items of its worst verdict say, then how its other
    checks went: "∂Loss/∂w(1)10: should be -0.0558; first wrong factor …; arithmetic
    correct" tells a wrong factor from an arithmetic slip."""
    verdict = worst(items)
    items = sorted(items, key=lambda it: it.kind == "arithmetic")  # the quantity first
    said = [_said(it) for it in items if it.verdict == verdict]
    others = [f"{'arithmetic' if it.kind == 'arithmetic' else it.quantity or it.kind} "
              f"{it.verdict}" for it in items
              if it.verdict != verdict and it.verdict in (CORRECT, CLOSE, WRONG)]
    wrong = [it for it in items if it.verdict == WRONG]
    right = [it for it in items if it.verdict in (CORRECT, CLOSE)]
    if verdict == WRONG and "arithmetic correct" in others and not any(
            "factor" in it.note for it in wrong) and any(
            it.kind in ("value", "grad", "derivative") for it in wrong):
        others[others.index("arithmetic correct")] = (
            "the arithmetic is right, so a number it uses is wrong or was rounded too early")
    elif verdict == WRONG and all(it.kind == "arithmetic" for it in wrong) and right:
        others = [f"{it.quantity or it.kind} {it.verdict}" for it in right]
        others[-1] += (": the number itself is right, so it was not computed from the numbers "
                       "as written (more digits, or a slip in writing them)")
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
