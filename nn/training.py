"""`fit` and `evaluate`: the training loop every notebook used to write by hand.

One step is what seed 004 describes: take a batch, run each sample forward
independently, back-propagate the mean of the batch's losses (plus an
optional L2 penalty), update.  One epoch is one pass over the data in
shuffled batches (`nn.DataLoader`); `batch_size=None` is full-batch
training, one step per epoch, as micrograd's demo does.  A full batch is
taken in the data's order (shuffling would change nothing but the rounding
of the sum), so `fit` reproduces a hand loop bit for bit.

Everything that can be wrong with the arguments is checked before the first
step, with a one-line error naming the problem: the data (lengths, widths,
NaN), the counts, the optimizer, and whether each target fits the loss and
the model's outputs.  That last check asks the loss itself: it is called on
one real output of the model against every target, so its own rules (hinge
wants ±1, cross-entropy a class index in range…) are enforced where they are
written, not restated here.

During training nothing is changed except by the optimizer's step, so an
exception (in a callback, or a numeric error in a forward pass) leaves the
model as the last finished step left it.
"""

from __future__ import annotations

import numbers
from typing import Callable, Iterable, Mapping, Sequence, Union

from autograd import Value, mean, no_grad
from autograd.errors import finite_number

from . import losses as _losses
from .losses import LOSSES
from .callbacks import Callback
from .data import DataLoader
from .history import History
from .layers import _count as _positive_int
from .metrics import METRICS, Metric, accuracy
from .module import Module
from .optim import Optimizer
from .progress import Progress, can_show

Loss = Callable[..., Value]
MetricsSpec = Union[str, Sequence[Union[str, Metric]], Mapping[str, Metric]]
CallbackSpec = Union[Callback, Callable[[int, dict], Union[bool, None]]]


# -- argument checks -------------------------------------------------------------

def _check_model(model) -> tuple[int, int]:
    """(inputs, outputs) per sample."""
    if not isinstance(model, Module):
        raise TypeError(f"fit trains an nn model (Neuron, Layer, MLP or another nn.Module), "
                        f"got {model!r}")
    s = model.summary()
    return s.nin, s.layers[-1].nout


def _data(X, y, nin: int, where: str) -> tuple[list[list[float]], list]:
    """X as rows of floats (checked finite, nin wide) and y as a list."""
    for name, data in (("X", X), ("y", y)):
        if isinstance(data, (str, bytes)) or not hasattr(data, "__len__"):
            raise TypeError(f"{where}{name} must be a list of samples, got {data!r}")
    X, y = list(X), list(y)
    if len(X) != len(y):
        raise ValueError(f"{where}X has {len(X)} samples but y has {len(y)}: each input "
                         f"needs one target")
    if not X:
        raise ValueError(f"{where}X and y are empty: no samples to train on")
    rows = []
    for k, x in enumerate(X):
        if isinstance(x, numbers.Real) and not isinstance(x, bool):
            x = [x]
        elif isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
            raise TypeError(f"{where}X[{k}] must be a list of {nin} numbers, got {x!r}")
        if len(x) != nin:
            raise ValueError(f"{where}X[{k}] has {len(x)} features but the model takes {nin} "
                             f"inputs")
        rows.append([finite_number(v, f"{where}X[{k}][{i}]") for i, v in enumerate(x)])
    return rows, y


def _loss_fn(loss) -> tuple[str, Loss]:
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; losses by name: {', '.join(LOSSES)} "
                             f"(or pass a function loss(outputs, target) -> Value)")
        return loss, LOSSES[loss]
    if callable(loss):
        return getattr(loss, "__name__", repr(loss)), loss
    raise TypeError(f"loss must be a name ({', '.join(LOSSES)}) or a function, got {loss!r}")


def _metric_fns(metrics: MetricsSpec, loss_fn: Loss) -> list[tuple[str, Metric]]:
    """[(name, fn)]; "accuracy" thresholds logits at 0 when the loss takes logits."""
    if isinstance(metrics, str):
        metrics = (metrics,)
    if isinstance(metrics, Mapping):
        items = list(metrics.items())
    elif not isinstance(metrics, Iterable):
        raise TypeError(f"metrics must be a list of names or functions (or a dict name: "
                        f"function), got {metrics!r}")
    else:
        items = []
        for m in metrics:
            if isinstance(m, str):
                items.append((m, m))
            elif callable(m) and getattr(m, "__name__", "<lambda>") != "<lambda>":
                items.append((m.__name__, m))
            else:
                raise TypeError(f"a metric is a name ({', '.join(METRICS)}) or a named function "
                                f"(a lambda: metrics={{'name': f}}), got {m!r}")
    out = []
    for name, m in items:
        if not isinstance(name, str) or name in ("loss", "epoch") or name.startswith("val_"):
            raise ValueError(f"metric name {name!r} is taken or reserved (loss, epoch, val_…)")
        if isinstance(m, str):
            if m not in METRICS:
                raise ValueError(f"unknown metric {m!r}; metrics by name: {', '.join(METRICS)}")
            m = METRICS[m]
        if not callable(m):
            raise TypeError(f"metric {name!r} must be a function (outputs, targets) -> number")
        if m is accuracy and loss_fn is _losses.bce_with_logits:
            m = _logit_accuracy
        out.append((name, m))
    if len({n for n, _ in out}) != len(out):
        raise ValueError(f"metrics: a name appears twice in {[n for n, _ in out]}")
    return out


def _logit_accuracy(outputs, targets) -> float:
    return accuracy(outputs, targets, threshold=0.0)


def _callbacks(callbacks: CallbackSpec | Iterable[CallbackSpec]) -> list[Callback]:
    if isinstance(callbacks, Callback) or callable(callbacks):
        callbacks = [callbacks]
    out = []
    for cb in callbacks:
        if isinstance(cb, Callback):
            out.append(cb)
        elif callable(cb):
            out.append(_FunctionCallback(cb))
        else:
            raise TypeError(f"a callback is an nn.Callback or a function f(epoch, logs), "
                            f"got {cb!r}")
    return out


class _FunctionCallback(Callback):
    def __init__(self, f):
        self.f = f

    def on_epoch_end(self, epoch, logs):
        return self.f(epoch, logs)

    def __repr__(self) -> str:
        return getattr(self.f, "__qualname__", repr(self.f))


def _stops(result, cb) -> bool:
    """on_epoch_end's answer: None/False go on, True stops; anything else is a
    mistake better reported than guessed (numpy's bool counts as a bool)."""
    if result is None or result is False:
        return False
    if result is True or (type(result).__module__ == "numpy"
                          and type(result).__name__ in ("bool", "bool_")):
        return bool(result)
    raise TypeError(f"callback {cb!r} returned {result!r}; on_epoch_end returns True to stop "
                    f"training, or None")


def _check_targets(model, X, y, loss_name: str, loss_fn: Loss, nout: int,
                   metrics: list[tuple[str, Metric]], where: str) -> None:
    """Every target against the loss, and the metrics on the targets, with one
    real output of the model: the loss's own checks decide, before training."""
    with no_grad():
        out = model(X[0])
        for k, t in enumerate(y):
            try:
                value = loss_fn(out, t)
            except (TypeError, ValueError) as e:
                outputs = f"{nout} output{'s' * (nout != 1)}"
                raise _same_kind(e)(f"{where}y[{k}] = {t!r} does not fit the loss {loss_name} "
                                    f"for a model with {outputs}: {e}") from None
            if type(value) is not Value:
                raise TypeError(f"the loss {loss_name} must return a Value (the graph to "
                                f"back-propagate), got {value!r}")
    outs = [_floats(out)] * len(y)
    for name, m in metrics:
        try:
            finite_number(m(outs, y), f"metric {name}")
        except (TypeError, ValueError) as e:
            raise _same_kind(e)(f"{where}metric {name}: {e}") from None


def _same_kind(e: Exception) -> type:
    """TypeError or ValueError, as the error being explained (its own class may
    need more than a message to be built)."""
    return TypeError if isinstance(e, TypeError) else ValueError


def _floats(out):
    return out.data if type(out) is Value else [v.data for v in out]


# -- training --------------------------------------------------------------------

def _epoch_logs(model, X, y, loss_fn, penalty, metrics) -> dict[str, float]:
    outs = [model(x) for x in X]
    total = mean([loss_fn(o, t) for o, t in zip(outs, y)])
    logs = {"loss": (total + penalty() if penalty else total).data}
    outs = [_floats(o) for o in outs]
    for name, m in metrics:
        logs[name] = float(m(outs, y))
    return logs


def evaluate(model: Module, X: Sequence, y: Sequence, *, loss, metrics: MetricsSpec = ("accuracy",),
             l2: float = 0.0) -> dict[str, float]:
    """{"loss": …, metric: …} of the model on (X, y), without recording a graph:
    the mean per-sample loss (+ the L2 penalty, as `fit` counts it) and the
    metrics, with the arguments checked as `fit` checks them."""
    nin, nout = _check_model(model)
    X, y = _data(X, y, nin, "")
    loss_name, loss_fn = _loss_fn(loss)
    metric_fns = _metric_fns(metrics, loss_fn)
    penalty = _penalty(model, l2)
    _check_targets(model, X, y, loss_name, loss_fn, nout, metric_fns, "")
    with no_grad():
        return _epoch_logs(model, X, y, loss_fn, penalty, metric_fns)


def _penalty(model: Module, l2) -> Callable[[], Value] | None:
    alpha = finite_number(l2, "l2")
    if alpha < 0:
        raise ValueError(f"l2 must be at least 0, got {alpha}")
    if not alpha:
        return None
    params = model.parameters()
    return lambda: _losses.l2(params, alpha)


def fit(model: Module, X: Sequence, y: Sequence, *, loss, optimizer: Optimizer, epochs: int,
        batch_size: int | None = None, shuffle: bool = True, seed: int | None = None,
        drop_last: bool = False, l2: float = 0.0, metrics: MetricsSpec = ("accuracy",),
        validation: tuple[Sequence, Sequence] | None = None,
        callbacks: CallbackSpec | Iterable[CallbackSpec] = (),
        progress: bool = True, step_loss: bool = False) -> History:
    """Train `model` on inputs X and targets y; returns the `History`.

    - `loss`: a name (`nn.LOSSES`: "mse", "hinge", …) or a function
      loss(outputs, target) -> Value for one sample; a batch's loss is the
      mean over its samples, plus l2·Σp² over all parameters when `l2` > 0
      (micrograd's demo: l2=1e-4);
    - `optimizer`: an nn optimizer over (some of) the model's parameters;
      its lr may be a schedule (`nn.LinearLR`…), read at every update;
    - `batch_size`: None for the whole data in one batch, else M ≤ len(X);
      batches are drawn by `nn.DataLoader` (shuffled each epoch from `seed`,
      the last one smaller unless `drop_last`);
    - `metrics`: names ("accuracy") or functions (outputs, targets) -> number,
      computed on each epoch's forward passes; `validation=(Xv, yv)` adds
      "val_loss" and "val_<metric>", measured after each epoch;
    - `callbacks`: `nn.Callback`s or functions f(epoch, logs), run after
      every epoch; one returning True stops training (`nn.EarlyStopping`);
    - `progress`: bars over epochs and batches (tqdm), shown only in Jupyter
      or on a terminal;
    - `step_loss`: also record every update's batch loss (`history.step_loss`).
    """
    nin, nout = _check_model(model)
    X, y = _data(X, y, nin, "")
    epochs = _positive_int(epochs, "epochs")
    if batch_size is None:
        batch_size = len(X)
    else:
        batch_size = _positive_int(batch_size, "batch_size")
        if batch_size > len(X):
            raise ValueError(f"batch_size {batch_size} is larger than the data ({len(X)} "
                             f"samples); use batch_size=None for full-batch training")
    loss_name, loss_fn = _loss_fn(loss)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an nn optimizer (SGD, Adam, AdamW) built on "
                        f"model.parameters(), got {optimizer!r}")
    own = {id(p) for p in model.parameters()}
    foreign = sum(id(p) not in own for p in optimizer.params)
    if foreign:
        raise ValueError(f"the optimizer holds {foreign} parameter{'s' * (foreign != 1)} that "
                         f"are not this model's (was it built for another model?)")
    penalty = _penalty(model, l2)
    metric_fns = _metric_fns(metrics, loss_fn)
    for flag, what in ((shuffle, "shuffle"), (drop_last, "drop_last"), (progress, "progress"),
                       (step_loss, "step_loss")):
        if not isinstance(flag, bool):
            raise TypeError(f"{what} must be True or False, got {flag!r}")
    if validation is not None:
        if isinstance(validation, (str, bytes)) or not hasattr(validation, "__len__") \
                or len(validation) != 2:
            got = (f"a {type(validation).__name__} of {len(validation)}"
                   if hasattr(validation, "__len__") and not isinstance(validation, (str, bytes))
                   else repr(validation))  # the data's length, not the data
            raise TypeError(f"validation must be a pair (X, y), got {got}")
        Xv, yv = _data(*validation, nin, "validation: ")
    cbs = _callbacks(callbacks)
    _check_targets(model, X, y, loss_name, loss_fn, nout, metric_fns, "")
    if validation is not None:
        _check_targets(model, Xv, yv, loss_name, loss_fn, nout, metric_fns, "validation: ")

    keys = ["loss", *(n for n, _ in metric_fns)]
    if validation is not None:
        keys += [f"val_{k}" for k in keys]
    for cb in cbs:
        cb.on_train_begin(model, list(keys))
    loader = DataLoader(list(zip(X, y)), batch_size, shuffle=shuffle and batch_size < len(X),
                        seed=seed, drop_last=drop_last)
    history = History(keys, step_loss)
    bars = Progress(epochs, len(loader)) if progress and can_show() else None
    try:
        _train(model, loader, loss_fn, optimizer, penalty, metric_fns, epochs, history, bars,
               cbs, None if validation is None else (Xv, yv))
    finally:
        if bars is not None:
            bars.close()
    for cb in cbs:
        cb.on_train_end(history)
    return history


def _train(model, loader, loss_fn, optimizer, penalty, metrics, epochs, history, bars, cbs,
           validation) -> None:
    steps = history.step_loss
    for epoch in range(1, epochs + 1):
        total, seen = 0.0, 0
        outs, targets = [], []
        for batch in loader:
            batch_outs = [model(x) for x, _ in batch]
            batch_loss = mean([loss_fn(o, t) for o, (_, t) in zip(batch_outs, batch)])
            if penalty:
                batch_loss = batch_loss + penalty()
            optimizer.zero_grad(set_to_none=True)
            batch_loss.backward()
            optimizer.step()
            value = batch_loss.data
            total += value * len(batch)
            seen += len(batch)
            if steps is not None:
                steps.append(value)
            if metrics:
                outs += [_floats(o) for o in batch_outs]
                targets += [t for _, t in batch]
            if bars is not None:
                bars.batch_done(value, len(batch))
        logs = {"loss": total / seen}
        for name, m in metrics:
            logs[name] = float(m(outs, targets))
        if validation is not None:
            with no_grad():
                val = _epoch_logs(model, *validation, loss_fn, penalty, metrics)
            logs.update((f"val_{k}", v) for k, v in val.items())
        history.append(epoch, logs)
        if bars is not None:
            bars.epoch_done(epoch, logs)
        stop = [cb for cb in cbs if _stops(cb.on_epoch_end(epoch, dict(logs)), cb)]
        if stop:
            history.stopped_by = stop[0]
            return


__all__ = ["fit", "evaluate"]
