"""fit's progress display: tqdm bars over epochs and batches.

`tqdm.auto` picks the display: a widget in Jupyter, a text bar on a
terminal.  The bars are shown only where someone can watch them: in a
Jupyter kernel, or when stderr (where tqdm writes) is a terminal; in a pipe,
a file or a CI log they would be a stream of carriage returns, so fit stays
silent there.  tqdm is imported only when a bar is shown (`import nn` does
not pay for it, nor for ipywidgets in a notebook).

One bar counts epochs and shows the last epoch's logs; when an epoch has
more than one batch, a second bar counts its batches with the running loss
(reset each epoch, not recreated: a Jupyter widget per epoch would pile up).
"""

from __future__ import annotations

import sys



def in_jupyter() -> bool:
    """True inside a Jupyter kernel (notebook, lab, VS Code, Colab…)."""
    zmq, ipython = sys.modules.get("ipykernel.zmqshell"), sys.modules.get("IPython")
    if zmq is None or ipython is None:
        return False
    return isinstance(ipython.get_ipython(), zmq.ZMQInteractiveShell)


def can_show() -> bool:
    """Whether a progress bar would reach a person: Jupyter, or a terminal on stderr."""
    if in_jupyter():
        return True
    stream = sys.stderr
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _postfix(logs: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:.4g}" for k, v in logs.items())


class Progress:
    """The bars of one `fit` call; `close()` always runs (fit's finally)."""

    def __init__(self, epochs: int, batches: int):
        from tqdm.auto import tqdm
        self.epochs = tqdm(total=epochs, desc="training", unit="epoch", dynamic_ncols=True)
        self.batches = (tqdm(total=batches, desc="epoch 1", unit="batch", leave=False,
                             dynamic_ncols=True) if batches > 1 else None)
        self._loss, self._seen = 0.0, 0

    def batch_done(self, loss: float, size: int) -> None:
        if self.batches is None:
            return
        self._loss += loss * size
        self._seen += size
        self.batches.set_postfix_str(f"loss={self._loss / self._seen:.4g}", refresh=False)
        self.batches.update(1)

    def epoch_done(self, epoch: int, logs: dict[str, float]) -> None:
        self.epochs.set_postfix_str(_postfix(logs), refresh=False)
        self.epochs.update(1)
        if self.batches is not None and epoch < self.epochs.total:
            self._loss, self._seen = 0.0, 0
            self.batches.set_description_str(f"epoch {epoch + 1}", refresh=False)
            self.batches.set_postfix_str("", refresh=False)
            self.batches.reset()

    def close(self) -> None:
        if self.batches is not None:
            self.batches.close()
        self.epochs.close()
