"""Equation chains as expression trees: `LHS = seg₁ = seg₂ ≈ number`.

`equations(source)` splits a math source at its separators (\\quad, \\\\,
top-level commas, `|`) into equations, each a chain of segments joined by
relations (=, ≈, :=), and parses every segment into a tree (`segment`, which
also holds the reading rule that names symbols).
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
