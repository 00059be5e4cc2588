"""Equation chains as expression trees: `LHS = seg₁ = seg₂ ≈ number`.

`equations(source)` splits a math source at its separators (\\quad, \\\\,
top-level commas, `|`) into equations, each a chain of segments joined by
relations (=, ≈, :=), and parses every segment into a tree (`segment`, which
also holds the reading rule that names symbols).

A remark written in the math (`= 0.4607 \\text{ (rounded)}`, `\\text{, so}`,
`\\text{(반올림)}`: words, see `latex.Token.prose`) separates as \\quad does,
where it stands at the top level of a side: it is no symbol multiplying the
number before it, and `= …` after it carries the chain on.  Inside a
subscript, a group or brackets (`y_{1\\text{target}}`, `w(\\text{new})`) a
\\text{…} is part of a name, as the reading rule says.
"""

from __future__ import annotations

from dataclasses import dataclass

from .latex import LatexError, Token, number_offsets, tokenize
from .segment import parse_segment, split_at


@dataclass(frozen=True)
class Equation:
    """A chain: segments[0] rel[0] segments[1] rel[1] ...; `continues` when
    it starts with a relation (it carries on the previous equation)."""

    segments: tuple
    relations: tuple
    continues: bool
    pos: int


def equations(source: str) -> tuple[list[Equation], list[tuple[int, str]]]:
    """The equations of a math source, and numbers that cannot be read at
    all (offset, why), e.g. when the whole piece is too long."""
    try:
        tokens, lost = tokenize(source)
    except LatexError as e:
        return [], [(p, e.reason) for p in number_offsets(source)]
    unread = [(p, "the LaTeX around it is malformed (dropped by the parser)") for p in lost]
    tokens = _remarks_apart(tokens, source, unread)
    out = []
    for chunk in _split(tokens):
        if not chunk:
            continue
        parts: list[list[Token]] = [[]]
        relations = []
        for t in chunk:
            if t.kind in ("rel", "cmp"):  # a comparison chains a condition, not a value
                relations.append(t.text)
                parts.append([])
            else:
                parts[-1].append(t)
        # "≈ 0.07128" on its own carries on the equation before; "> 0" does not
        continues = not parts[0] and bool(relations) and relations[0] in ("=", "≈", ":=")
        if continues:
            parts = parts[1:]
        segments = tuple(parse_segment(p) for p in parts)
        out.append(Equation(segments, tuple(relations), continues, chunk[0].pos))
    return out, unread


def _split(tokens: list[Token]) -> list[list[Token]]:
    """Split at separators outside brackets: \\quad, \\\\, `,` `;` `|` and `:`
    (not :=) at bracket depth 0."""
    return split_at(tokens, lambda t: t.kind == "sep" or (t.kind == "op" and t.text in ",;|:"))


REMARK = "in the words of a remark (\\text{…}), which are not graded"
"""Why a number written inside a remark is unread."""


def _remarks_apart(tokens: list[Token], source: str, unread: list) -> list[Token]:
    """The tokens with each remark at the top level of a side (outside
    brackets, not after `_`, `^` or ∂) made a separator; the numbers written
    in a remark are added to `unread`, so none is silently dropped."""
    out: list[Token] = []
    depth = 0
    for i, t in enumerate(tokens):
        if t.kind == "op" and t.text in "([":
            depth += 1
        elif t.kind == "op" and t.text in ")]":
            depth = max(0, depth - 1)
        after = out[-1] if out else None
        labels = after is not None and (after.kind == "partial" or (
            after.kind == "op" and after.text in "_^"))
        alone = (after is None or after.kind in ("rel", "cmp", "sep")) and \
            i + 1 < len(tokens) and tokens[i + 1].kind in ("rel", "cmp")
        # \text{Loss } = 0.27: a side of its own is what the relation is about, a name
        if t.kind == "text" and t.prose and depth == 0 and not labels and not alone:
            unread += [(t.pos + p, REMARK) for p in number_offsets(source[t.pos:t.end])]
            t = Token("sep", t.pos, "remark", end=t.end)
        out.append(t)
    return out
