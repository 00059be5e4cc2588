"""Callbacks: code `fit` runs around training, Keras-style.

`fit` calls, for each callback, `on_train_begin(model, keys)` before the
first step (so a callback that cannot work, such as EarlyStopping watching
a log that is never written, fails before any training), then
`on_epoch_end(epoch, logs)` after every epoch (1-based epoch, the logs
just added to the History), and `on_train_end(history)` when training ends
normally.  `on_epoch_end` returns True to stop training.  A plain function
`f(epoch, logs)` is a callback too.

Callbacks run between steps: an exception in one propagates out of `fit`
and leaves the model exactly as the last finished step left it
(`on_train_end` does not run, so nothing is restored either).
"""

from __future__ import annotations

import numbers

from autograd.errors import finite_number

from .module import Module
from .history import format_number


class Callback:
    """Override the hooks you need; the defaults do nothing."""

    def on_train_begin(self, model: Module, keys: list[str]) -> None:
        """Before the first step; `keys` are the logs every epoch will have."""

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> bool | None:
        """After epoch `epoch` (1-based); return True to stop training."""
        return None

    def on_train_end(self, history) -> None:
        """After the last epoch, when training ended without an exception."""


class EarlyStopping(Callback):
    """Stop when `monitor` has not improved for `patience` epochs.

    - `monitor`: a log name; by default "val_loss" when `fit` has
      validation data, else "loss";
    - `mode`: "min" or "max"; "auto" is "max" for an accuracy, else "min";
    - an epoch improves when it beats the best so far by more than `min_delta`;
    - `restore_best`: at the end, set the model back to the weights of its
      best epoch (Keras's `restore_best_weights`).

    After training: `best`, `best_epoch`, and `stopped_epoch` (None if it
    never stopped training).
    """

    def __init__(self, monitor: str | None = None, patience: int = 5, min_delta: float = 0.0,
                 mode: str = "auto", restore_best: bool = False):
        if monitor is not None and not isinstance(monitor, str):
            raise TypeError(f"EarlyStopping: monitor must be a log name, got {monitor!r}")
        if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 1:
            raise ValueError(f"EarlyStopping: patience must be a positive int (epochs without "
                             f"improvement), got {patience!r}")
        min_delta = finite_number(min_delta, "EarlyStopping: min_delta")
        if min_delta < 0:
            raise ValueError(f"EarlyStopping: min_delta must be at least 0, got {min_delta}")
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'auto', 'min' or 'max', got {mode!r}")
        self.monitor, self.patience, self.min_delta = monitor, int(patience), min_delta
        self.mode, self.restore_best = mode, bool(restore_best)
        self._reset()

    def _reset(self) -> None:
        self.best: float | None = None
        self.best_epoch: int | None = None
        self.stopped_epoch: int | None = None
        self._wait = 0
        self._best_state: dict[str, float] | None = None
        self._model: Module | None = None

    def on_train_begin(self, model, keys):
        self._reset()
        if self.monitor is None:
            self._watch = "val_loss" if "val_loss" in keys else "loss"
        elif self.monitor not in keys:
            hint = " (val_… logs need fit(..., validation=(X, y)))" \
                if self.monitor.startswith("val_") else ""
            raise ValueError(f"EarlyStopping monitors {self.monitor!r}, which fit does not log"
                             f"{hint}; logged: {', '.join(keys)}")
        else:
            self._watch = self.monitor
        mode = self.mode
        if mode == "auto":
            mode = "max" if "accuracy" in self._watch else "min"
        self._sign = 1.0 if mode == "min" else -1.0
        self._model = model

    def on_epoch_end(self, epoch, logs):
        value = logs[self._watch]
        if self.best is None or self._sign * (self.best - value) > self.min_delta:
            self.best, self.best_epoch, self._wait = value, epoch, 0
            if self.restore_best:
                self._best_state = self._model.state_dict()
            return None
        self._wait += 1
        if self._wait >= self.patience:
            self.stopped_epoch = epoch
            return True
        return None

    def on_train_end(self, history):
        if self.restore_best and self._best_state is not None:
            self._model.load_state_dict(self._best_state)
            if history.epochs and self.best_epoch != history.epochs[-1]:
                history.notes.append(
                    f"the model has the weights of epoch {self.best_epoch}, its best "
                    f"{self._watch} ({format_number(self.best)}), restored by EarlyStopping")

    def __repr__(self) -> str:
        return (f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
                f"min_delta={self.min_delta:g}, mode={self.mode!r}, "
                f"restore_best={self.restore_best})")


class Recorder(Callback):
    """Parameters' values, and optionally gradients, after every epoch:
    "watch a weight move".

        rec = Recorder("L1.n1.w1", "L2.n1.b", grads=True)
        fit(..., callbacks=[rec])
        rec.values["L1.n1.w1"]   # before training, then after each epoch
        rec.grads["L1.n1.w1"]    # each epoch's last gradient (epoch 1 first)

    Parameters are given by name or label (`model.parameter(key)`); none
    means all of them, by name.  `values[key]` has one entry more than
    `grads[key]`: the value before training (epoch 0) has no gradient yet.
    `epochs` lists the epochs of `values`: 0, 1, 2, …
    """

    def __init__(self, *params: str, grads: bool = False):
        for p in params:
            if not isinstance(p, str):
                raise TypeError(f"Recorder takes parameter names or labels, got {p!r}")
        self.keys, self.record_grads = list(params), bool(grads)
        self.epochs: list[int] = []
        self.values: dict[str, list[float]] = {}
        self.grads: dict[str, list[float | None]] = {}

    def on_train_begin(self, model, keys):
        named = ([(k, model.parameter(k)) for k in self.keys] if self.keys
                 else model.named_parameters())
        self._watched = named
        self.epochs = [0]
        self.values = {k: [p.data] for k, p in named}
        self.grads = {k: [] for k, _ in named} if self.record_grads else {}

    def on_epoch_end(self, epoch, logs):
        self.epochs.append(epoch)
        for k, p in self._watched:
            self.values[k].append(p.data)
            if self.record_grads:
                self.grads[k].append(p.grad)
        return None

    def __repr__(self) -> str:
        return f"Recorder({', '.join(map(repr, self.keys)) or 'all parameters'})"


__all__ = ["Callback", "EarlyStopping", "Recorder"]
