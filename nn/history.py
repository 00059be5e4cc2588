"""`History`: what `fit` measured, epoch by epoch.

Plain lists, so a test or a plot reads them without pandas; a table in
`str()` (the REPL) and `_repr_html_` (Jupyter), the first and last rows
when there are many; `.plot()` draws the curves (matplotlib is imported
only then).

Per epoch, "loss" is the mean over the epoch's samples of the loss `fit`
back-propagated (batch losses weighted by batch size, penalty included);
each metric is computed from the outputs of the same forward passes, so it
describes the weights *during* the epoch, before its last update, as
micrograd's demo prints them.  "val_…" entries are measured after the
epoch, on the validation data.
"""

from __future__ import annotations

import html
from typing import Iterator

MAX_ROWS = 20  # rows a table shows before it keeps only the first and last ones


def format_number(v: float) -> str:
    """Six decimals in the usual range, scientific notation outside it."""
    return f"{v:.6f}" if v == 0 or 1e-4 <= abs(v) < 1e6 else f"{v:.4e}"


class History:
    """Per-epoch logs of a training run: `history["loss"]`, `history.epochs`.

    - `logs`: {name: one float per epoch}, in the order "loss", the metrics,
      then "val_loss" and the validation metrics;
    - `epochs`: the epoch numbers, 1-based;
    - `step_loss`: every update's batch loss, when `fit(..., step_loss=True)`
      (else None);
    - `stopped_by`: the callback that stopped training early, or None;
    - `notes`: what callbacks did that the rows do not show (EarlyStopping
      restoring the weights of an earlier epoch), printed under the table.
    """

    def __init__(self, keys: list[str], step_loss: bool = False):
        self.logs: dict[str, list[float]] = {k: [] for k in keys}
        self.epochs: list[int] = []
        self.step_loss: list[float] | None = [] if step_loss else None
        self.stopped_by: object | None = None
        self.notes: list[str] = []

    def append(self, epoch: int, logs: dict[str, float]) -> None:
        self.epochs.append(epoch)
        for k, column in self.logs.items():
            column.append(logs[k])

    def __getitem__(self, key: str) -> list[float]:
        try:
            return self.logs[key]
        except KeyError:
            raise KeyError(f"no log named {key!r}; logged: {', '.join(self.logs)}") from None

    def __contains__(self, key: object) -> bool:
        return key in self.logs

    def __iter__(self) -> Iterator[str]:
        return iter(self.logs)

    def keys(self) -> list[str]:
        return list(self.logs)

    def __len__(self) -> int:
        return len(self.epochs)

    def last(self) -> dict[str, float]:
        """The logs of the last epoch run."""
        if not self.epochs:
            raise IndexError("the history is empty (no epoch has run)")
        return {k: v[-1] for k, v in self.logs.items()}

    # -- display ---------------------------------------------------------------
    def _rows(self, max_rows: int | None) -> tuple[list[list[str]], int | None]:
        """Table rows (header first) and where the gap falls (None: no gap)."""
        picked = list(range(len(self.epochs)))
        gap = None
        if max_rows is not None and len(picked) > max_rows:
            head = max(1, max_rows // 2)
            tail = max(1, max_rows - head)
            picked = picked[:head] + picked[-tail:]
            gap = head
        rows = [["epoch", *self.logs]]
        for i in picked:
            rows.append([str(self.epochs[i]), *(format_number(v[i]) for v in self.logs.values())])
        return rows, gap

    def _notes(self, shown_all: bool) -> list[str]:
        n = len(self.epochs)
        notes = []
        if not shown_all:
            notes.append(f"({n} epochs; history.table(max_rows=None) shows every row)")
        if self.stopped_by is not None:
            notes.append(f"stopped after epoch {self.epochs[-1]} by {self.stopped_by!r}")
        return notes + self.notes

    def table(self, max_rows: int | None = MAX_ROWS) -> str:
        """The logs as a text table, one row per epoch; with more than
        `max_rows` epochs only the first and last ones (None: all)."""
        if not self.epochs:
            return "History: no epoch has run"
        rows, gap = self._rows(max_rows)
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        lines = ["  ".join(cell.rjust(w) for cell, w in zip(r, widths)) for r in rows]
        if gap is not None:
            lines.insert(gap + 1, "  ".join("…".rjust(w) for w in widths))
        return "\n".join(lines + self._notes(gap is None))

    def __str__(self) -> str:
        return self.table()

    __repr__ = __str__

    def _repr_html_(self) -> str:
        if not self.epochs:
            return "<p>History: no epoch has run</p>"
        rows, gap = self._rows(MAX_ROWS)
        head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
        body = ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                for r in rows[1:]]
        if gap is not None:
            body.insert(gap, "<tr>" + "<td>…</td>" * len(rows[0]) + "</tr>")
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in self._notes(gap is None))
        return (f'<table class="handgrad-history" style="text-align: right"><thead><tr>{head}'
                f"</tr></thead><tbody>{''.join(body)}</tbody></table>{notes}")

    def plot(self, ax=None, **kwargs):
        """The curves (see `nn.plots.plot_history`)."""
        from .plots import plot_history
        return plot_history(self, ax=ax, **kwargs)


__all__ = ["History"]
