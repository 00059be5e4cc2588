"""Data handling a course covers: mini-batches, epochs, feature scaling.

One epoch is one pass over all D items in batches of M: ceil(D/M) batches
(D/M when M divides D, as seed 004 says), the last one smaller unless
`drop_last`.  Shuffling uses a generator seeded by the caller, never the
module-level `random` state, so a seed reproduces every epoch's order.

Scalers work on plain numbers: a 1-D list (one feature) or a 2-D list of
rows (samples × features, scaled per feature, i.e. per column); the output
has the input's shape.  A constant feature cannot be scaled (its range or
σ is 0) and raises `ConstantFeatureError` instead of producing NaN.
"""

from __future__ import annotations

import math
import numbers
import random
from abc import ABC, abstractmethod
from typing import Iterator, Sequence

from autograd.errors import finite_number


class ConstantFeatureError(ValueError, ZeroDivisionError):
    """A feature has a single value, so scaling it would divide by zero."""


def _count(n, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")
    return int(n)


def num_batches(n_items: int, batch_size: int, drop_last: bool = False) -> int:
    """Batches (= iterations) per epoch: ceil(D/M), or floor(D/M) with drop_last."""
    if isinstance(n_items, bool) or not isinstance(n_items, numbers.Integral) or n_items < 0:
        raise ValueError(f"n_items must be a non-negative int, got {n_items!r}")
    batch_size = _count(batch_size, "batch_size")
    return n_items // batch_size if drop_last else -(-n_items // batch_size)


def _items(data, who: str) -> list:
    if isinstance(data, (str, bytes)) or not hasattr(data, "__len__"):
        raise TypeError(f"{who}: data must be a sequence of samples (a list), got {data!r}")
    items = list(data)
    if not items:
        raise ValueError(f"{who}: no data (an empty sequence)")
    return items


def _epoch(items: list, batch_size: int, rng: random.Random | None, drop_last: bool) -> list[list]:
    """One epoch's batches, in an order shuffled by `rng` (None: as given)."""
    order = list(range(len(items)))
    if rng is not None:
        rng.shuffle(order)
    stop = len(items) - len(items) % batch_size if drop_last else len(items)
    return [[items[k] for k in order[s:s + batch_size]] for s in range(0, stop, batch_size)]


def batches(data: Sequence, batch_size: int, *, shuffle: bool = True, seed: int | None = None,
            drop_last: bool = False) -> list[list]:
    """One epoch of `data` as a list of batches (lists of samples).

    With `shuffle`, the order comes from `random.Random(seed)`; seed=None
    draws a fresh order each call.  Zip inputs and targets to keep pairs
    together: `batches(list(zip(X, y)), 10, seed=0)`.
    """
    batch_size = _count(batch_size, "batch_size")
    items = _items(data, "batches")
    return _epoch(items, batch_size, random.Random(seed) if shuffle else None, drop_last)


class DataLoader:
    """Batches for many epochs: each `iter(loader)` is one epoch, reshuffled
    by the loader's own generator (so a seed fixes every epoch's order) and
    `len(loader)` is the number of batches per epoch."""

    def __init__(self, data: Sequence, batch_size: int, *, shuffle: bool = True,
                 seed: int | None = None, drop_last: bool = False):
        self.batch_size = _count(batch_size, "batch_size")
        self.data = _items(data, "DataLoader")
        self.shuffle, self.drop_last = shuffle, drop_last
        self.rng = random.Random(seed)
        self.epoch = 0

    def __len__(self) -> int:
        return num_batches(len(self.data), self.batch_size, self.drop_last)

    def __iter__(self) -> Iterator[list]:
        self.epoch += 1
        return iter(_epoch(self.data, self.batch_size, self.rng if self.shuffle else None,
                           self.drop_last))

    def __repr__(self) -> str:
        return (f"DataLoader({len(self.data)} items, batch_size={self.batch_size}, "
                f"{len(self)} batches per epoch)")


# -- feature scaling -----------------------------------------------------------

def _table(data, who: str) -> tuple[list[list[float]], bool]:
    """(rows of floats, was the input 1-D)."""
    items = _items(data, who)
    is_row = [hasattr(v, "__len__") and not isinstance(v, (str, bytes)) for v in items]
    if not any(is_row):
        return [[finite_number(v, f"{who}: item {k + 1}")] for k, v in enumerate(items)], True
    if not all(is_row):
        raise ValueError(f"{who}: mix of numbers and rows; give a 1-D list of numbers or a 2-D "
                         f"list of rows (samples × features)")
    rows = [list(r) for r in items]
    width = len(rows[0])
    for k, r in enumerate(rows):
        if len(r) != width or not r:
            raise ValueError(f"{who}: row {k + 1} has {len(r)} features, row 1 has {width}")
    return [[finite_number(v, f"{who}: row {k + 1}, feature {c + 1}") for c, v in enumerate(r)]
            for k, r in enumerate(rows)], False


class _Scaler(ABC):
    """fit / transform / inverse_transform per feature: x' = (x − shift) / scale."""

    _what = "scaling"
    shift: list[float] | None = None
    scale: list[float] | None = None

    @abstractmethod
    def _fit_stats(self, column: list[float]) -> tuple[float, float]:
        """(shift, scale) of one feature column."""

    def fit(self, data) -> "_Scaler":
        rows, _ = _table(data, f"{type(self).__name__}.fit")
        shift, scale = [], []
        for c in range(len(rows[0])):
            column = [r[c] for r in rows]
            s, d = self._fit_stats(column)
            if min(column) == max(column):
                raise ConstantFeatureError(
                    f"feature {c + 1} is constant (every value is {column[0]:g}): {self._what} "
                    f"would divide by zero")
            if d == 0.0:
                raise ConstantFeatureError(
                    f"feature {c + 1} varies too little (its values span "
                    f"{max(column) - min(column):g}, its spread underflows to 0): {self._what} "
                    f"would divide by zero")
            shift.append(s)
            scale.append(d)
        self.shift, self.scale = shift, scale
        return self

    def _apply(self, data, who: str, inverse: bool):
        if self.shift is None:
            raise RuntimeError(f"{type(self).__name__}.{who}: call fit(data) first")
        rows, flat = _table(data, f"{type(self).__name__}.{who}")
        if len(rows[0]) != len(self.shift):
            raise ValueError(f"{type(self).__name__}.{who}: fitted on {len(self.shift)} "
                             f"features, got {len(rows[0])}")
        pairs = list(zip(self.shift, self.scale))
        if inverse:
            out = [[v * d + s for v, (s, d) in zip(r, pairs)] for r in rows]
        else:
            out = [[(v - s) / d for v, (s, d) in zip(r, pairs)] for r in rows]
        return [r[0] for r in out] if flat else out

    def transform(self, data):
        return self._apply(data, "transform", inverse=False)

    def inverse_transform(self, data):
        return self._apply(data, "inverse_transform", inverse=True)

    def fit_transform(self, data):
        return self.fit(data).transform(data)


class MinMaxScaler(_Scaler):
    """x' = (x − min) / (max − min) per feature: the data then spans [0, 1].

    `mins` and `maxs` are the fitted per-feature minima and maxima.
    """

    _what = "min-max scaling (max − min = 0)"

    def _fit_stats(self, column):
        lo, hi = min(column), max(column)
        return lo, hi - lo

    @property
    def mins(self) -> list[float] | None:
        return self.shift

    @property
    def maxs(self) -> list[float] | None:
        return None if self.shift is None else [s + d for s, d in zip(self.shift, self.scale)]


class ZScoreScaler(_Scaler):
    """Z = (X − μ) / σ per feature (standardization): mean 0, σ 1.

    σ is the population standard deviation of the data (ddof = 0): the
    formula describes the data set itself, as in seed 004 and in numpy's
    `std` and scikit-learn's StandardScaler.  `ddof=1` gives the sample σ.
    `means` and `stds` are the fitted per-feature μ and σ.
    """

    def __init__(self, ddof: int = 0):
        if ddof not in (0, 1):
            raise ValueError(f"ddof must be 0 (population σ) or 1 (sample σ), got {ddof!r}")
        self.ddof = ddof
        self._what = "z-scoring (σ = 0)"

    def _fit_stats(self, column):
        n = len(column)
        if n - self.ddof <= 0:
            raise ValueError(f"ZScoreScaler(ddof={self.ddof}) needs at least {self.ddof + 1} "
                             f"samples, got {n}")
        mu = math.fsum(column) / n
        return mu, math.sqrt(math.fsum((v - mu) ** 2 for v in column) / (n - self.ddof))

    @property
    def means(self) -> list[float] | None:
        return self.shift

    @property
    def stds(self) -> list[float] | None:
        return self.scale
