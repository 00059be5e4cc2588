"""Metrics: what a training run reports besides its loss.

A metric takes the outputs of a list of samples (one number per sample for a
one-output model, a list for several; Values or plain numbers) and their
targets, and returns one number.  `fit` computes each epoch's metrics from
the outputs its own forward passes produced during that epoch (as micrograd's
demo prints the accuracy of the step it is taking), so it costs no extra
pass over the data.
"""

from __future__ import annotations

import numbers
from typing import Callable, Sequence

from autograd import Value

Metric = Callable[[Sequence, Sequence], float]


def _number(v) -> float:
    return v.data if type(v) is Value else float(v)


def _is_list(v) -> bool:
    return not isinstance(v, (str, bytes)) and hasattr(v, "__len__") and type(v) is not Value


def _argmax(xs: Sequence[float]) -> int:
    return max(range(len(xs)), key=xs.__getitem__)


def _binary_labels(targets: list, where: str) -> tuple[float, float]:
    """(negative, positive) class: ±1 when any target is −1, else 0/1."""
    pair = (-1.0, 1.0) if any(t == -1 for t in targets) else (0.0, 1.0)
    for k, t in enumerate(targets):
        if isinstance(t, bool) or not isinstance(t, numbers.Real) or float(t) not in pair:
            raise ValueError(f"{where}: target {k + 1} is {t!r}; with one output per sample, "
                             f"accuracy needs class labels, all 0/1 or all ±1 (for a "
                             f"regression give metrics=())")
    return pair


def _class_index(t, n: int, k: int, where: str) -> int:
    if isinstance(t, numbers.Integral) and not isinstance(t, bool):
        if not 0 <= t < n:
            raise ValueError(f"{where}: target {k + 1} is class {t}, outside 0..{n - 1} for "
                             f"{n} outputs")
        return int(t)
    if _is_list(t) and len(t) == n:
        return _argmax([_number(v) for v in t])
    raise ValueError(f"{where}: target {k + 1} is {t!r}; with {n} outputs per sample, a target "
                     f"is a class index (0..{n - 1}) or a one-hot list of {n}")


def accuracy(outputs: Sequence, targets: Sequence, *, threshold: float | None = None) -> float:
    """The fraction of samples whose predicted class is the target's.

    - one output per sample, labels 0/1 or ±1: the prediction is the positive
      class when the output exceeds `threshold`, by default the midpoint of
      the labels (0.5 for 0/1, a probability or a regression onto the labels;
      0 for ±1, micrograd's `score > 0`).  For logits with 0/1 labels give
      threshold=0 (`fit` does, for `bce_with_logits`).
    - several outputs (softmax probabilities or logits): the prediction is the
      largest output; a target is a class index or a one-hot list.
    """
    where = "accuracy"
    outputs, targets = list(outputs), list(targets)
    if len(outputs) != len(targets):
        raise ValueError(f"{where}: {len(outputs)} outputs but {len(targets)} targets")
    if not outputs:
        raise ValueError(f"{where}: no samples")
    if _is_list(outputs[0]) and len(outputs[0]) > 1:
        n = len(outputs[0])
        hits = 0
        for k, (o, t) in enumerate(zip(outputs, targets)):
            if not _is_list(o) or len(o) != n:
                raise ValueError(f"{where}: output {k + 1} is {o!r}, output 1 has {n} entries")
            hits += _argmax([_number(v) for v in o]) == _class_index(t, n, k, where)
        return hits / len(outputs)
    scores = [_number(o[0] if _is_list(o) else o) for o in outputs]
    labels = [t[0] if _is_list(t) and len(t) == 1 else t for t in targets]
    lo, hi = _binary_labels(labels, where)
    cut = (lo + hi) / 2 if threshold is None else threshold
    return sum((hi if s > cut else lo) == t for s, t in zip(scores, labels)) / len(scores)


METRICS: dict[str, Metric] = {"accuracy": accuracy}

__all__ = ["accuracy", "METRICS", "Metric"]
