"""What the `handgrad` command's text looks like: colour only where it can
be seen, numbers to 10 significant digits, and tables aligned in a
terminal's columns (Hangul takes two), for every command and report."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Sequence

from autograd.notation import align, display_width


@dataclass(frozen=True)
class Style:
    """ANSI styling, or none: decided once per run from the flags, NO_COLOR
    and whether stdout is a terminal."""

    color: bool

    @classmethod
    def for_stream(cls, stream, no_color: bool) -> "Style":
        isatty = getattr(stream, "isatty", None)
        return cls(not no_color and not os.environ.get("NO_COLOR")
                   and isatty is not None and isatty())

    def bold(self, text: str) -> str:
        return f"\033[1m{text}\033[0m" if self.color else text

    def dim(self, text: str) -> str:
        return f"\033[2m{text}\033[0m" if self.color else text

    def good(self, text: str) -> str:
        return f"\033[32m{text}\033[0m" if self.color else text

    def bad(self, text: str) -> str:
        return f"\033[31m{text}\033[0m" if self.color else text


def number(x: float) -> str:
    """How every number is printed: 10 significant digits, enough to compare
    with a hand answer and short enough to read."""
    return f"{x:.10g}"


def aligned(rows: Sequence[Sequence[str] | None], right: Sequence[bool] = ()) -> list[str]:
    """Rows of cells as lines of a plain-text table, aligned in a terminal's
    columns (Hangul takes two), two spaces apart; columns flagged in `right`
    are right-aligned, and a row that is None is a rule of dashes."""
    cells = [r for r in rows if r is not None]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(cells[0]))]

    def line(row):
        row = row if row is not None else ["-" * w for w in widths]
        return "  ".join(align(c, w, right=i < len(right) and right[i])
                         for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    return [line(r) for r in rows]


def table(header: Sequence[str], rows: Sequence[Sequence[str]], style: Style,
          right: Sequence[bool] = ()) -> list[str]:
    """`aligned` with a bold header over a dim rule, as the commands print."""
    head, rule, *lines = aligned([header, None, *rows], right)
    return [style.bold(head), style.dim(rule), *lines]
