"""Loss functions: one sample's outputs against its targets, one Value out.

Each takes predictions and targets as equal-length lists of Values or plain
numbers (a lone Value or number counts as a list of one) and builds the graph
the formula writes, using the engine's one-node helpers (Σ, mean, dot,
logsumexp) so it stays small.  To average over a batch, average the
per-sample losses: `autograd.mean(loss(model(x), y) for x, y in batch)`.

Probabilities are never clamped: a probability of exactly 0 or 1 inside a
log is a ValueError that says which entry and suggests the logit form,
rather than a silently finite loss.  On logits, the stable forms are exact:
softplus(s) − y·s for binary cross-entropy, logsumexp(s) − Σ yₖ sₖ for
softmax cross-entropy.
"""

from __future__ import annotations

import math
import numbers
from typing import Callable, Iterable

from autograd import Value, dot, log, logsumexp, mean, relu, softplus, vsum
from autograd.errors import finite_number


def _item(v, what: str, k: int, name: str):
    if type(v) is Value:
        return v
    try:
        return finite_number(v, f"{name}: {what} {k + 1}")
    except TypeError:  # here a Value is fine too, and a nested list is the usual slip
        raise TypeError(f"{name}: {what} {k + 1} must be a Value or a real number, got {v!r} "
                        f"(losses take one sample's outputs, a flat list; average "
                        f"per-sample losses with autograd.mean)") from None


def _as_list(xs, what: str, name: str) -> list:
    if type(xs) is Value or isinstance(xs, numbers.Real):
        xs = [xs]
    elif isinstance(xs, (str, bytes)) or not isinstance(xs, Iterable):
        raise TypeError(f"{name}: {what} must be a list of Values or numbers, got {xs!r}")
    one = "probability" if what == "probabilities" else what.rstrip("s")
    return [_item(v, one, k, name) for k, v in enumerate(xs)]


def _pairs(pred, target, name: str) -> tuple[list, list]:
    p = _as_list(pred, "predictions", name)
    t = _as_list(target, "targets", name)
    if len(p) != len(t):
        raise ValueError(f"{name}: predictions and targets differ in length "
                         f"({len(p)} and {len(t)})")
    if not p:
        raise ValueError(f"{name}: no predictions (empty lists)")
    return p, t


def _data(v) -> float:
    return v.data if type(v) is Value else v


def _squares(p, t) -> list:
    return [(pk - tk) ** 2 for pk, tk in zip(p, t)]


def sse(pred, target) -> Value:
    """Σ (ŷₖ − yₖ)²: the sum of squared errors."""
    return vsum(_squares(*_pairs(pred, target, "sse")))


def mse(pred, target) -> Value:
    """(1/n) Σ (ŷₖ − yₖ)²: the mean squared error."""
    return mean(_squares(*_pairs(pred, target, "mse")))


def half_sse(pred, target) -> Value:
    """½ Σ (ŷₖ − yₖ)²: what many homeworks call MSE (seed 000), chosen because
    its derivative is just ŷₖ − yₖ."""
    return 0.5 * vsum(_squares(*_pairs(pred, target, "half_sse")))


def mae(pred, target) -> Value:
    """(1/n) Σ |ŷₖ − yₖ|: the mean absolute error."""
    p, t = _pairs(pred, target, "mae")
    return mean([abs(pk - tk) for pk, tk in zip(p, t)])


def sae(pred, target) -> Value:
    """Σ |ŷₖ − yₖ|: the sum of absolute residuals (seed 004's L_abs)."""
    p, t = _pairs(pred, target, "sae")
    return vsum([abs(pk - tk) for pk, tk in zip(p, t)])


def _probability(p, k: int, name: str, hint: str) -> None:
    x = _data(p)
    if not 0.0 < x < 1.0:
        raise ValueError(f"{name}: probability {k + 1} is {x!r}, outside the open interval "
                         f"(0, 1) where its log is finite; {hint}")


def _unit_target(y, k: int, name: str) -> None:
    if not 0.0 <= _data(y) <= 1.0:
        raise ValueError(f"{name}: target {k + 1} is {_data(y)!r}; targets lie in [0, 1]")


def binary_cross_entropy(prob, target) -> Value:
    """−(1/n) Σ [yₖ log pₖ + (1 − yₖ) log(1 − pₖ)] on probabilities pₖ ∈ (0, 1).

    Targets lie in [0, 1].  No clamping: pₖ of exactly 0 or 1 (a saturated
    sigmoid) is a ValueError; use `bce_with_logits` on the logit instead.
    """
    name = "binary_cross_entropy"
    p, t = _pairs(prob, target, name)
    terms = []
    for k, (pk, yk) in enumerate(zip(p, t)):
        _probability(pk, k, name, "compute the loss from the logit with bce_with_logits")
        _unit_target(yk, k, name)
        terms.append(yk * log(pk) + (1 - yk) * log(1 - pk))
    return -mean(terms)


def bce_with_logits(logit, target) -> Value:
    """Binary cross-entropy of σ(sₖ) against yₖ, computed from the logits sₖ:
    (1/n) Σ [softplus(sₖ) − yₖ sₖ], which equals the formula above exactly
    and stays finite for any logit."""
    name = "bce_with_logits"
    s, t = _pairs(logit, target, name)
    for k, yk in enumerate(t):
        _unit_target(yk, k, name)
    return mean([softplus(sk) - yk * sk for sk, yk in zip(s, t)])


def _targets_for_classes(target, n: int, name: str) -> list:
    """A class index (int, 0-based) becomes a one-hot list of length n."""
    if isinstance(target, numbers.Integral) and not isinstance(target, bool):
        if not 0 <= target < n:
            raise ValueError(f"{name}: class index {target} is out of range for {n} classes "
                             f"(0 to {n - 1})")
        return [1.0 if k == target else 0.0 for k in range(n)]
    return target


def cross_entropy(prob, target) -> Value:
    """−Σ yₖ log pₖ on probabilities (e.g. a softmax output).

    `target` is a distribution (one-hot or not) or a 0-based class index.
    Terms whose target is the number 0 are left out (0·log p = 0 even when
    p = 0), so a one-hot target gives exactly −log p_true as seed 004 writes.
    """
    name = "cross_entropy"
    p = _as_list(prob, "probabilities", name)
    p, t = _pairs(p, _targets_for_classes(target, len(p), name), name)
    ys, logs = [], []
    for k, (pk, yk) in enumerate(zip(p, t)):
        if type(yk) is not Value and yk == 0.0:
            continue
        x = _data(pk)
        if not 0.0 < x <= 1.0:
            raise ValueError(f"{name}: probability {k + 1} is {x!r} with target {_data(yk)!r}; "
                             f"its log is not finite (use softmax_cross_entropy on the logits)")
        ys.append(yk)
        logs.append(log(pk))
    if not ys:
        raise ValueError(f"{name}: every target is 0, so the loss is identically 0; targets "
                         f"should be a distribution or a class index")
    return -dot(ys, logs)


def softmax_cross_entropy(logits, target) -> Value:
    """−Σ yₖ log softmax(s)ₖ from the logits, stably:
    (Σ yₖ)·logsumexp(s) − Σ yₖ sₖ
    (just logsumexp(s) − s_true for a one-hot target or a class index)."""
    name = "softmax_cross_entropy"
    s = _as_list(logits, "logits", name)
    s, t = _pairs(s, _targets_for_classes(target, len(s), name), name)
    lse = logsumexp(s)
    total = math.fsum(_data(y) for y in t) if all(type(y) is not Value for y in t) else None
    hot = [k for k, y in enumerate(t) if type(y) is Value or y != 0.0]
    if len(hot) == 1 and total == 1.0:
        return lse - s[hot[0]]
    weighted = dot(t, s)
    scale = vsum(t) if total is None else total
    return (lse if total == 1.0 else scale * lse) - weighted


def hinge(scores, labels) -> Value:
    """(1/n) Σ max(0, 1 − yₖ sₖ) for labels yₖ ∈ {−1, +1}: micrograd's
    max-margin loss (map 0/1 labels with 2y − 1)."""
    name = "hinge"
    s, t = _pairs(scores, labels, name)
    terms = []
    for k, (sk, yk) in enumerate(zip(s, t)):
        if type(yk) is Value or yk not in (-1.0, 1.0):
            raise ValueError(f"{name}: label {k + 1} is {yk!r}; labels must be the numbers "
                             f"-1 or +1 (map 0/1 labels with 2y − 1)")
        terms.append(relu(1 - sk) if yk > 0 else relu(1 + sk))
    return mean(terms)


def l2(params: Iterable[Value], alpha: float = 1e-4) -> Value:
    """alpha · Σ p²: weight decay as a loss term (micrograd's demo uses 1e-4)."""
    ps = list(params)
    if not ps:
        raise ValueError("l2: no parameters")
    return alpha * dot(ps, ps)


LOSSES: dict[str, Callable[..., Value]] = {f.__name__: f for f in (
    sse, mse, half_sse, mae, sae, binary_cross_entropy, bce_with_logits, cross_entropy,
    softmax_cross_entropy, hinge)}
"""The losses of one sample's outputs and targets, by name (`l2` is a
penalty on parameters, not one of them): what an answer sheet can name."""
RESIDUAL_LOSSES = ("sse", "mse", "half_sse", "mae", "sae")
"""The losses built on the residuals ŷ − y, one subtraction per output."""

__all__ = ["LOSSES", "RESIDUAL_LOSSES", "sse", "mse", "half_sse", "mae", "sae",
           "binary_cross_entropy", "bce_with_logits", "cross_entropy", "softmax_cross_entropy", "hinge", "l2"]
