"""Initialization: seeded and private generators, the five schemes, symmetry."""

import math
import random
import statistics

import pytest

from autograd import mean
from nn import MLP, SGD, Layer, Neuron, mse


def weights(model):
    return [p.data for name, p in model.named_parameters() if not name.endswith("b")]


def test_same_seed_same_weights_different_seed_different():
    for init in ("uniform", "small", "xavier", "he"):
        a = MLP(3, [4, 2], init=init, seed=7)
        b = MLP(3, [4, 2], init=init, seed=7)
        c = MLP(3, [4, 2], init=init, seed=8)
        assert a.state_dict() == b.state_dict()
        assert weights(a) != weights(c)


def test_uniform_draw_order_is_documented():
    # layer by layer, neuron by neuron, input by input, from random.Random(seed)
    rng = random.Random(42)
    expected = [rng.uniform(-1, 1) for _ in range(2 * 3 + 3 * 1)]
    assert weights(MLP(2, [3, 1], seed=42)) == expected
    rng = random.Random(5)
    assert weights(Neuron(4, seed=5)) == [rng.uniform(-1, 1) for _ in range(4)]


def test_models_own_their_generators():
    random.seed(123)
    before = random.random()
    random.seed(123)
    MLP(2, [8, 1])  # unseeded: its own generator, not the global one
    MLP(2, [8, 1], seed=3)
    assert random.random() == before
    # two models from the same seed do not share state
    a, b = MLP(2, [2], seed=1), MLP(2, [2], seed=1)
    assert a.rng is not b.rng
    Layer(2, 2, rng=a.rng)
    assert MLP(2, [2], seed=1).state_dict() == b.state_dict()
    with pytest.raises(ValueError, match="either seed or rng"):
        MLP(2, [2], seed=1, rng=random.Random(1))
    with pytest.raises(TypeError, match="seed"):
        MLP(2, [2], seed="1")


def test_biases_start_at_zero_in_every_scheme():
    for init in ("uniform", "small", "zeros", "xavier", "he"):
        m = MLP(3, [4, 2], init=init, seed=0)
        assert all(p.data == 0.0 for n, p in m.named_parameters() if n.endswith(".b"))


def test_uniform_and_small_ranges():
    u = weights(MLP(10, [50, 20], seed=0))
    assert all(-1 <= w <= 1 for w in u) and max(u) > 0.9 and min(u) < -0.9
    s = weights(MLP(10, [50, 20], init="small", seed=0))
    assert all(-0.01 <= w <= 0.01 for w in s) and max(abs(w) for w in s) > 0.009
    # small is uniform scaled by 0.01, draw for draw
    assert s == pytest.approx([w * 0.01 for w in u], abs=1e-18)


def test_xavier_range_and_variance():
    fan_in, fan_out = 200, 100
    w = weights(Layer(fan_in, fan_out, init="xavier", seed=0))
    r = math.sqrt(6 / (fan_in + fan_out))
    assert all(-r <= x <= r for x in w)
    # U(−r, r) has variance r²/3 = 2/(fan_in + fan_out); 20,000 draws: within 3%
    assert statistics.pvariance(w) == pytest.approx(2 / (fan_in + fan_out), rel=0.03)
    assert abs(statistics.fmean(w)) < 0.01


def test_he_variance():
    fan_in, fan_out = 400, 100
    w = weights(Layer(fan_in, fan_out, init="he", seed=0))
    # N(0, 2/fan_in); 40,000 draws: sample std within 2%, mean near 0
    assert statistics.pstdev(w) == pytest.approx(math.sqrt(2 / fan_in), rel=0.02)
    assert abs(statistics.fmean(w)) < 5 * math.sqrt(2 / fan_in) / math.sqrt(len(w))  # 5 s.e.
    assert max(abs(x) for x in w) > 2 * math.sqrt(2 / fan_in)  # unbounded, unlike xavier


def test_zeros_hidden_units_stay_identical():
    """Seed 003: with zero initial weights every hidden unit computes the same
    thing and gets the same gradient, so training never tells them apart."""
    m = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid", init="zeros")
    assert all(p.data == 0.0 for p in m.parameters())
    data = [([0.5, -1.0], 1.0), ([1.5, 0.3], 0.0), ([-0.7, 0.9], 1.0)]
    opt = SGD(m.parameters(), lr=0.5)
    hidden = m.layers[0].neurons
    for _ in range(5):
        loss = mean([mse(m(x), y) for x, y in data])
        loss.backward()
        grads = [[p.grad for p in n.parameters()] for n in hidden]
        assert grads[0] == grads[1] == grads[2]
        opt.step()
    rows = [[p.data for p in n.parameters()] for n in hidden]
    assert rows[0] == rows[1] == rows[2]
    assert any(v != 0.0 for v in rows[0])  # they did learn, all alike
    out = m.layers[1].neurons[0].w
    assert out[0].data == out[1].data == out[2].data != 0.0
