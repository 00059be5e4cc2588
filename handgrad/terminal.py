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


def table(header: Sequence[str], rows: Sequence[Sequence[str]], style: Style,
          right: Sequence[bool] = ()) -> list[str]:
    """A plain-text table aligned in a terminal's columns (Hangul takes two);
    columns flagged in `right` are right-aligned."""
    widths = [max(display_width(h), *(display_width(r[i]) for r in rows))
              for i, h in enumerate(header)]

    def line(cells):
        parts = [align(c, w, right=i < len(right) and right[i])
                 for i, (c, w) in enumerate(zip(cells, widths))]
        return "  ".join(parts).rstrip()

    return [style.bold(line(header)), style.dim(line(["-" * w for w in widths]))] + [
        line(r) for r in rows]
