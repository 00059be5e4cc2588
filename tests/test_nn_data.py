"""Mini-batches, epochs and feature scaling (seed 004's examples)."""

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn import (
    ConstantFeatureError,
    DataLoader,
    MinMaxScaler,
    ZScoreScaler,
    batches,
    num_batches,
)

# seed 004's table: height (m … written in cm) and weight (kg)
HEIGHT = [180, 170, 175, 170, 163, 154, 165, 160, 173]
WEIGHT = [83, 73, 78, 64, 52, 45, 70, 55, 71]
TABLE = [[h, w] for h, w in zip(HEIGHT, WEIGHT)]


def flat(rows):
    return [x for r in rows for x in r]


# -- batches and epochs ---------------------------------------------------------------

def test_seed004_d_over_m_iterations():
    data = list(range(100))
    assert num_batches(100, 10) == 10
    assert len(batches(data, 10, seed=0)) == 10
    assert len(DataLoader(data, 10, seed=0)) == 10


def test_partial_last_batch_and_drop_last():
    data = list(range(10))
    assert [len(b) for b in batches(data, 3, shuffle=False)] == [3, 3, 3, 1]
    assert batches(data, 3, shuffle=False) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert batches(data, 3, shuffle=False, drop_last=True) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    assert num_batches(10, 3) == 4 and num_batches(10, 3, drop_last=True) == 3
    assert batches(data, 50, shuffle=False) == [data]


@given(st.integers(1, 200), st.integers(1, 50), st.integers(0, 10 ** 6))
def test_every_item_once_per_epoch(d, m, seed):
    data = list(range(d))
    bs = batches(data, m, seed=seed)
    assert len(bs) == math.ceil(d / m) == num_batches(d, m)
    assert sorted(x for b in bs for x in b) == data
    assert all(len(b) == m for b in bs[:-1])
    dropped = batches(data, m, seed=seed, drop_last=True)
    assert len(dropped) == d // m and all(len(b) == m for b in dropped)


def test_shuffling_is_seeded():
    data = list(range(20))
    assert batches(data, 4, seed=1) == batches(data, 4, seed=1)
    assert batches(data, 4, seed=1) != batches(data, 4, seed=2)
    assert batches(data, 4, seed=1) != batches(data, 4, shuffle=False)
    # pairs stay together when zipped
    pairs = list(zip(range(6), "abcdef"))
    assert all(dict(pairs)[k] == c for b in batches(pairs, 4, seed=3) for k, c in b)


def test_data_loader_epochs():
    data = list(range(12))
    a, b = DataLoader(data, 5, seed=7), DataLoader(data, 5, seed=7)
    epochs_a = [list(a) for _ in range(3)]
    epochs_b = [list(b) for _ in range(3)]
    assert epochs_a == epochs_b                     # the seed fixes every epoch
    assert epochs_a[0] != epochs_a[1]               # reshuffled each epoch
    assert all(sorted(x for batch in e for x in batch) == data for e in epochs_a)
    assert a.epoch == 3 and len(a) == 3
    assert list(DataLoader(data, 5, shuffle=False)) == [data[:5], data[5:10], data[10:]]
    assert "3 batches per epoch" in repr(a)


def test_batch_errors():
    with pytest.raises(ValueError, match="batch_size must be a positive int, got 0"):
        batches([1, 2], 0)
    with pytest.raises(ValueError, match="no data"):
        batches([], 2)
    with pytest.raises(TypeError, match="sequence of samples"):
        DataLoader(5, 2)


# -- scaling -------------------------------------------------------------------------

def test_seed004_min_max_example():
    got = MinMaxScaler().fit_transform([0, 0, 1, 1, 1, 2, 2, 3, 100])
    assert got == [0, 0, 0.01, 0.01, 0.01, 0.02, 0.02, 0.03, 1]


def test_min_max_per_feature_on_the_height_weight_table():
    s = MinMaxScaler()
    out = s.fit_transform(TABLE)
    assert s.mins == [154, 45] and s.maxs == [180, 83]
    want = [[(h - 154) / 26, (w - 45) / 38] for h, w in TABLE]
    assert flat(out) == pytest.approx(flat(want))
    assert out[0] == [1.0, 1.0] and out[5] == [0.0, 0.0]  # 180/83 and 154/45
    assert out[1] == pytest.approx([16 / 26, 28 / 38])
    assert flat(s.inverse_transform(out)) == pytest.approx(flat(TABLE))
    assert s.transform([[167, 64]]) == [[0.5, 0.5]]


def test_z_score_uses_the_population_sigma():
    s = ZScoreScaler()
    out = s.fit_transform(TABLE)
    mu = [statistics.fmean(HEIGHT), statistics.fmean(WEIGHT)]
    sd = [statistics.pstdev(HEIGHT), statistics.pstdev(WEIGHT)]
    assert s.means == pytest.approx(mu) and s.stds == pytest.approx(sd)
    assert mu[0] == pytest.approx(1510 / 9)
    assert flat(out) == pytest.approx(flat([[(h - mu[0]) / sd[0], (w - mu[1]) / sd[1]]
                                            for h, w in TABLE]))
    for c in range(2):
        column = [r[c] for r in out]
        assert statistics.fmean(column) == pytest.approx(0, abs=1e-12)
        assert statistics.pstdev(column) == pytest.approx(1)
    assert flat(s.inverse_transform(out)) == pytest.approx(flat(TABLE))
    sample = ZScoreScaler(ddof=1).fit(HEIGHT)
    assert sample.stds == pytest.approx([statistics.stdev(HEIGHT)])
    # 1-D in, 1-D out; z-scores of [1, 2, 3]: σ = √(2/3)
    assert ZScoreScaler().fit_transform([1, 2, 3]) == pytest.approx(
        [-1 / math.sqrt(2 / 3), 0, 1 / math.sqrt(2 / 3)])


reading = st.one_of(st.just(0.0), st.floats(1e-6, 1e6), st.floats(-1e6, -1e-6))


@given(st.lists(st.lists(reading, min_size=3, max_size=3), min_size=2, max_size=20))
def test_inverse_round_trips(rows):
    for scaler in (MinMaxScaler(), ZScoreScaler()):
        try:
            out = scaler.fit_transform(rows)
        except ConstantFeatureError:
            assert any(len({r[c] for r in rows}) == 1 for c in range(3))
            continue
        back = scaler.inverse_transform(out)
        for r, b in zip(rows, back):
            assert b == pytest.approx(r, rel=1e-9, abs=1e-6)


def test_scaling_errors():
    with pytest.raises(ConstantFeatureError, match="feature 2 is constant .*divide by zero"):
        MinMaxScaler().fit([[1, 5], [2, 5]])
    with pytest.raises(ZeroDivisionError):
        ZScoreScaler().fit([0.1, 0.1, 0.1])
    with pytest.raises(ZeroDivisionError, match="varies too little"):
        ZScoreScaler().fit([0.0, 2e-173])
    with pytest.raises(ValueError):
        ZScoreScaler().fit([7.0])
    with pytest.raises(RuntimeError, match="call fit"):
        MinMaxScaler().transform([1, 2])
    s = MinMaxScaler().fit(TABLE)
    with pytest.raises(ValueError, match="fitted on 2 features, got 3"):
        s.transform([[1, 2, 3]])
    with pytest.raises(ValueError, match="row 2 has 1 features, row 1 has 2"):
        s.fit([[1, 2], [3]])
    with pytest.raises(ValueError, match="mix of numbers and rows"):
        s.fit([1, [2, 3]])
    with pytest.raises(TypeError, match="item 2 must be a number"):
        s.fit([1, "a"])
    with pytest.raises(ValueError, match="ddof"):
        ZScoreScaler(ddof=2)
