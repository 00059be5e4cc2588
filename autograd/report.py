"""`CheckReport`: the table a check prints, one row per hand answer."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Iterator

from .notation import align, count, display_width
from .rounding import CLOSE, COARSE, CORRECT, WRONG


@dataclass(frozen=True)
class Row:
    """One checked answer.  `key` and `hand` are as the user wrote them;
    `expected` is the engine's value at the answer's precision."""

    key: str
    kind: str       # "value", "grad" (∂root/∂x), "derivative" (∂u/∂v), "update";
                    # "number" for `grade`
    quantity: str   # what the key means, e.g. "∂Loss/∂w10"
    hand: str
    engine: float
    difference: float  # hand − engine
    verdict: str    # "correct", "close", "wrong" or "coarse" (too few digits)
    expected: str
    note: str

    @property
    def ok(self) -> bool:
        """Correct or close: the answer is accepted."""
        return self.verdict in (CORRECT, CLOSE)


_COLUMNS = ("answer", "quantity", "hand", "engine", "Δ", "verdict", "note")
_SHOWN = {CORRECT: "correct", CLOSE: "close", WRONG: "WRONG", COARSE: "TOO COARSE"}


class CheckReport:
    """The rows of a check (`root_name` is None for `grade`).  `ok` is True
    when every answer is accepted; `wrong` lists the wrong rows, `coarse` the
    too coarse ones (neither is accepted); `report[key]` is
    the row for an answer; `assert_ok()` raises AssertionError with the
    table (for tests).  The REPL shows a table aligned in a terminal's columns,
    Jupyter an HTML one; below it, `definitions` say what an auto-named root
    (t2 = t1**2) is."""

    def __init__(self, root_name: str | None, rows: list[Row], engine_texts: list[str],
                 definitions: list[str] | None = None):
        self.root_name, self.rows, self._engine_texts = root_name, rows, engine_texts
        self.definitions = definitions or []

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def wrong(self) -> list[Row]:
        return [r for r in self.rows if r.verdict == WRONG]

    @property
    def coarse(self) -> list[Row]:
        return [r for r in self.rows if r.verdict == COARSE]

    def __getitem__(self, key: str | tuple[str, str]) -> Row:
        """The row of answer `key`; `report[key, kind]` when a key is in two
        mappings (a weight's value and its update, say)."""
        key, kind = key if isinstance(key, tuple) else (key, None)
        found = [r for r in self.rows if r.key == key and kind in (None, r.kind)]
        if len(found) == 1:
            return found[0]
        if found:
            raise KeyError(f"{key!r} is answered as {' and '.join(r.kind for r in found)}: "
                           f"write report[{key!r}, kind]")
        raise KeyError(f"no answer {key!r}{'' if kind is None else f' of kind {kind!r}'} in "
                       f"this check; answers: {', '.join(r.key for r in self.rows)}")

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def assert_ok(self) -> None:
        if not self.ok:
            raise AssertionError("wrong hand answers:\n" + str(self))

    def _summary(self) -> str:
        n_wrong, n_coarse = len(self.wrong), len(self.coarse)
        n_close = sum(r.verdict == CLOSE for r in self.rows)
        against = "" if self.root_name is None else f" against {self.root_name}"
        parts = [f"{n} {what}" for n, what in ((n_wrong, "wrong"), (n_coarse, "too coarse"))
                 if n] or ["all ok"]
        if n_close:
            parts.append(f"{n_close} off by one in the last digit")
        return f"{count(len(self.rows), 'answer')} checked{against}: {', '.join(parts)}"

    def _cells(self) -> list[tuple[str, ...]]:
        return [(r.key, r.quantity, r.hand, text, f"{r.difference:+.2g}", _SHOWN[r.verdict],
                 r.note) for r, text in zip(self.rows, self._engine_texts)]

    def __str__(self) -> str:
        cells = [_COLUMNS] + self._cells()
        widths = [max(display_width(row[i]) for row in cells) for i in range(len(_COLUMNS) - 1)]
        lines = [self._summary()]
        for row in cells:
            lines.append("  ".join(align(c, w) for c, w in zip(row, widths)) + "  " + row[-1])
        if self.definitions:
            lines += ["where", *(f"  {d}" for d in self.definitions)]
        return "\n".join(line.rstrip() for line in lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {CORRECT: "#1a7f37", CLOSE: "#9a6700", WRONG: "#cf222e", COARSE: "#bc4c00"}
        head = "".join(f"<th>{html.escape(c)}</th>" for c in _COLUMNS)
        body = []
        for r, cells in zip(self.rows, self._cells()):
            tds = [f"<td>{html.escape(c)}</td>" for c in cells]
            tds[5] = (f'<td style="color:{colour[r.verdict]};font-weight:bold">'
                      f"{html.escape(cells[5])}</td>")
            body.append("<tr>" + "".join(tds) + "</tr>")
        where = "".join(f"<br>{html.escape(d)}" for d in self.definitions)
        return (f"<table><caption>{html.escape(self._summary())}</caption>"
                f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
                + (f"<p>where{where}</p>" if where else ""))


# -- resolving what a key means -----------------------------------------------
