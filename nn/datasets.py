"""Small datasets to train on: generated from a seed, or bundled; nothing is
downloaded.

Each function returns (X, y): X a list of rows of floats, y a list of
labels.  The same seed gives the same data on every machine (Python's own
`random.Random(seed)`, never the global generator).  Two-class sets take
`labels=(0, 1)` (the default, for sigmoid outputs and binary cross-entropy)
or `labels=(-1, 1)` (for a hinge loss, as micrograd's demo); multi-class
sets give class indices 0..k−1 (for softmax cross-entropy).  Samples come
grouped by class; `fit` shuffles mini-batches itself.
"""

from __future__ import annotations

import math
import numbers
import random

from autograd.errors import finite_number

Data = tuple[list[list[float]], list[int]]
LABELS = ((0, 1), (-1, 1))


def _count(n, what: str, at_least: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < at_least:
        raise ValueError(f"{what} must be an int of at least {at_least}, got {n!r}")
    return int(n)


def _labels(labels) -> tuple[int, int]:
    if isinstance(labels, (list, tuple)) and tuple(labels) in LABELS:
        return tuple(labels)
    raise ValueError(f"labels must be (0, 1) or (-1, 1) (negative class, positive class), "
                     f"got {labels!r}")


def _noise(noise, what: str = "noise") -> float:
    noise = finite_number(noise, what)
    if noise < 0:
        raise ValueError(f"{what} must be at least 0 (a standard deviation), got {noise}")
    return noise


def _rng(seed) -> random.Random:
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"seed must be an int or None, got {seed!r}")
    return random.Random(seed)


def _split(n: int, k: int) -> list[int]:
    """n samples over k classes, as evenly as possible (the first ones get the extra)."""
    return [n // k + (c < n % k) for c in range(k)]


def _arc(k: int, m: int, end: float) -> float:
    """The k-th of m angles spread over [0, end], both ends included."""
    return end * k / (m - 1) if m > 1 else 0.0


def moons(n: int = 100, noise: float = 0.1, seed: int | None = 0, *,
          labels: tuple[int, int] = (0, 1)) -> Data:
    """Two interleaving half circles (scikit-learn's make_moons, by hand):
    the upper arc (cos t, sin t) is the negative class, the lower arc
    (1 − cos t, ½ − sin t) the positive one, t evenly spaced over [0, π],
    plus Gaussian noise of standard deviation `noise` on each coordinate."""
    n, noise, (neg, pos) = _count(n, "n", 2), _noise(noise), _labels(labels)
    rng = _rng(seed)
    upper, lower = n // 2, n - n // 2  # scikit-learn's split
    X, y = [], []
    for k in range(n):
        top = k < upper
        t = _arc(k if top else k - upper, upper if top else lower, math.pi)
        px, py = (math.cos(t), math.sin(t)) if top else (1 - math.cos(t), 0.5 - math.sin(t))
        X.append([px + rng.gauss(0, noise), py + rng.gauss(0, noise)])
        y.append(neg if top else pos)
    return X, y


def circles(n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int | None = 0, *,
            labels: tuple[int, int] = (0, 1)) -> Data:
    """A circle of radius 1 (negative class) around one of radius `factor`
    (positive class), points evenly spaced on each, plus Gaussian noise:
    scikit-learn's make_circles.  No line separates them; a hidden layer does."""
    n, noise, (neg, pos) = _count(n, "n", 2), _noise(noise), _labels(labels)
    factor = finite_number(factor, "factor")
    if not 0 < factor < 1:
        raise ValueError(f"factor must be in (0, 1) (inner radius / outer radius), got {factor}")
    rng = _rng(seed)
    outer, inner = n // 2, n - n // 2  # scikit-learn's split
    X, y = [], []
    for m, r, label in ((outer, 1.0, neg), (inner, factor, pos)):
        for k in range(m):
            t = 2 * math.pi * k / m
            X.append([r * math.cos(t) + rng.gauss(0, noise), r * math.sin(t) + rng.gauss(0, noise)])
            y.append(label)
    return X, y


def xor(n: int = 4, noise: float = 0.0, seed: int | None = 0, *,
        labels: tuple[int, int] = (0, 1)) -> Data:
    """The XOR problem: corners (0, 0), (0, 1), (1, 0), (1, 1) labelled
    a XOR b, so no single neuron separates them.  n = 4 and no noise is the
    truth table itself; larger n repeats the corners in that order, each
    point moved by Gaussian noise of standard deviation `noise`."""
    n, noise, (neg, pos) = _count(n, "n", 4), _noise(noise), _labels(labels)
    rng = _rng(seed)
    corners = [(0, 0), (0, 1), (1, 0), (1, 1)]
    X, y = [], []
    for k in range(n):
        a, b = corners[k % 4]
        X.append([a + rng.gauss(0, noise) if noise else float(a),
                  b + rng.gauss(0, noise) if noise else float(b)])
        y.append(pos if a != b else neg)
    return X, y


def spiral(n: int = 300, classes: int = 3, noise: float = 0.2, seed: int | None = 0) -> Data:
    """`classes` interleaved spiral arms (the CS231n classic): arm c has radius
    r from 0 to 1 and angle 4c + 4r (radians) plus Gaussian noise of standard
    deviation `noise` on the angle; the point is r·(sin θ, cos θ).  n is the
    total number of points; labels are the arm indices 0..classes−1."""
    classes = _count(classes, "classes", 2)
    n, noise = _count(n, "n", classes), _noise(noise)
    rng = _rng(seed)
    X, y = [], []
    for c, m in enumerate(_split(n, classes)):
        for k in range(m):
            r = _arc(k, m, 1.0)
            theta = 4 * c + 4 * r + rng.gauss(0, noise)
            X.append([r * math.sin(theta), r * math.cos(theta)])
            y.append(c)
    return X, y


def blobs(n: int = 100, centers: int | list = 3, std: float = 0.5, features: int = 2,
          box: tuple[float, float] = (-3.0, 3.0), seed: int | None = 0, *,
          labels: tuple[int, int] | None = None) -> Data:
    """Gaussian clusters (scikit-learn's make_blobs): `centers` is a number of
    clusters, whose centres are drawn uniformly in `box` on every feature, or
    the list of centres itself; each point is its centre plus Gaussian noise of
    standard deviation `std`.  Labels are cluster indices, or for two clusters
    a `labels` pair.  The box is smaller than scikit-learn's (−10, 10), so the
    defaults train without scaling the features first."""
    std = _noise(std, "std")
    rng = _rng(seed)
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        k, features = _count(centers, "centers"), _count(features, "features")
        lo, hi = (finite_number(b, "box") for b in box)
        if not lo < hi:
            raise ValueError(f"box must be (low, high) with low < high, got {box!r}")
        points = [[rng.uniform(lo, hi) for _ in range(features)] for _ in range(k)]
    elif isinstance(centers, (list, tuple)) and centers:
        points = [[finite_number(v, f"centers[{c}][{i}]") for i, v in enumerate(row)]
                  for c, row in enumerate(centers)]
        if len({len(p) for p in points}) != 1 or not points[0]:
            raise ValueError("centers must be points with the same number of features")
    else:
        raise ValueError(f"centers must be a number of clusters or a list of points, "
                         f"got {centers!r}")
    k = len(points)
    n = _count(n, "n", k)
    names = list(range(k))
    if labels is not None:
        if k != 2:
            raise ValueError(f"labels=(…) is for two clusters; {k} clusters are labelled "
                             f"0..{k - 1}")
        names = list(_labels(labels))
    X, y = [], []
    for c, m in enumerate(_split(n, k)):
        for _ in range(m):
            X.append([v + rng.gauss(0, std) for v in points[c]])
            y.append(names[c])
    return X, y


# Seed 004's sample table (document 004_832a18411356e1ae.txt, "0. 데이터 전처리"):
# 키 (height), 몸무게 (weight), 성별 (sex).  The header says 키 (m) but the
# values are centimetres.
_SEED004 = ((180, 83, "남"), (170, 73, "남"), (175, 78, "남"), (170, 64, "여"), (163, 52, "여"),
            (154, 45, "여"), (165, 70, "남"), (160, 55, "여"), (173, 71, "남"))
SEED004_FEATURES = ("height (cm)", "weight (kg)")


def seed004_heights(*, labels: tuple[int, int] = (0, 1)) -> Data:
    """Seed 004's nine people: X = [height in cm, weight in kg] (the table's
    order), y = sex, 남 (male) the positive class, 여 (female) the negative.
    The two features differ in scale by about 2.5×, the document's reason
    for feature scaling (`nn.ZScoreScaler`)."""
    neg, pos = _labels(labels)
    return ([[float(h), float(w)] for h, w, _ in _SEED004],
            [pos if s == "남" else neg for _, _, s in _SEED004])


__all__ = ["moons", "circles", "xor", "spiral", "blobs", "seed004_heights", "SEED004_FEATURES"]
