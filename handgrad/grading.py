"""Grade a submission as it is written: every number of its math, judged.

`grade_text(problem, text)` (or `grade_document`) reads the document's math,
assigns it to the problem's parts by their markers, reads each equation
chain's claims (`chains`), and judges them with `autograd.check`: values,
gradients, factors (the first wrong factor, an arithmetic slip, premature
rounding) and updates (which gradient the step used) are `check`'s verdicts
and notes, and every other number (arithmetic, expressions of nodes, givens)
goes through `check.grade`, the same rounding rule.  Nothing here decides
what is correct on its own.  This module splits the document into parts and
chains; `part_grader` judges a part's chains, claim by claim.
"""

from __future__ import annotations
from dataclasses import dataclass

from . import chains as ch
from .document import Document, read_text
from .formula import equations
from .latex import number_offsets
from .part_grader import UNCHECKED, UNREAD, Counts, Item, PartGrader, add_unread
from .problem import Problem
from .tree import Unreadable, numbers_in


@dataclass
class SubmissionResult:
    """The graded items of one submission, in document order."""

    path: str
    items: list[Item]
    counts: Counts
    notes: list[str]
    text: str = ""  # the document's text as read (lines as `Item.line` counts them)


def grade_document(problem: Problem, doc: Document) -> SubmissionResult:
    """Grade every number of a read document against the problem."""
    items: list[Item] = []
    counts = Counts()
    notes: list[str] = []
    spans = _part_spans(problem, doc, notes)
    graders = {id(part): PartGrader(part, doc, items, counts) for part in problem.parts}
    chains: list[tuple[PartGrader, ch.Chain]] = []
    for m in doc.math:
        part = _part_at(spans, m.offset)
        eqs, unread = equations(m.source)
        for p, why in unread:
            add_unread(items, doc, m.offset + p, why, part)
        if part is None:
            for e in eqs:
                for node, _ in _segments(e, m.offset):
                    for n in numbers_in(node) if not isinstance(node, Unreadable) else []:
                        add_unread(items, doc, m.offset + n.pos, _before(problem), None)
                    if isinstance(node, Unreadable):
                        for p in node.numbers:
                            add_unread(items, doc, m.offset + p, _before(problem), None)
            continue
        grader = graders[id(part)]
        for e in eqs:
            segs = _segments(e, m.offset)
            if e.continues and chains and chains[-1][0] is grader:
                previous = chains[-1][1]
                previous.segments = previous.segments + segs
                previous.relations = previous.relations + e.relations
                continue
            chains.append((grader, ch.Chain(segs, len(chains), e.relations)))
    for grader, chain in chains:
        grader.chain(chain)
    for m in doc.skipped:
        for p in number_offsets(m.source):
            add_unread(items, doc, m.offset + p, "beyond the math the grader reads from one "
                    "document", _part_at(spans, m.offset))
    items.sort(key=lambda it: it.offset)
    counts.numbers = len({it.offset for it in items}) + counts.operands + counts.constants
    counts.graded = len({it.offset for it in items if it.verdict not in (UNCHECKED, UNREAD)})
    counts.unchecked = len({it.offset for it in items if it.verdict == UNCHECKED} -
                           {it.offset for it in items if it.verdict not in (UNCHECKED, UNREAD)})
    counts.unread = len({it.offset for it in items if it.verdict == UNREAD})
    if not counts.graded:  # said, so that an empty file never passes as "all right"
        notes.insert(0, NOTHING_GRADED[bool(doc.math or doc.skipped)])  # before parts' notes
    return SubmissionResult(doc.path, items, counts, notes, doc.text)


NOTHING_GRADED = {
    False: "no math in this document ($…$ or $$…$$): nothing was graded",
    True: "no number of this document could be checked against the problem: nothing was "
          "graded"}
"""The note of a submission with no graded number: whether it has math at all."""


def _segments(e, base: int) -> list:
    return [(node, base) for node in e.segments]


def _before(problem: Problem) -> str:
    return (f"before the first part ({problem.parts[0].start}): not graded")


def _part_spans(problem: Problem, doc: Document, notes: list[str]) -> list:
    if len(problem.parts) == 1 and problem.parts[0].start is None:
        return [(0, problem.parts[0])]
    spans = []
    for part in problem.parts:
        at = doc.marker(part.start)
        if at is None:
            notes.append(f"no line starts with {part.start!r}: part {part.title} not graded")
            continue
        spans.append((at, part))
    spans.sort(key=lambda s: s[0])
    return spans


def _part_at(spans, offset: int):
    found = None
    for start, part in spans:
        if start <= offset:
            found = part
    return found


def grade_text(problem: Problem, text: str, path: str = "<text>") -> SubmissionResult:
    return grade_document(problem, read_text(text, path))
