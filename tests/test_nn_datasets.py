"""nn.datasets: the shapes each set is made of (checked without noise), seeds that
reproduce, and seed 004's table as the document prints it."""

import math
import re
import statistics
from pathlib import Path

import pytest

from nn import datasets

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def test_moons_lie_on_two_half_circles():
    X, y = datasets.moons(10, noise=0.0)
    assert y == [0] * 5 + [1] * 5
    for (a, b), label in zip(X, y):
        if label == 0:   # upper arc: unit circle, y ≥ 0
            assert a * a + b * b == pytest.approx(1.0) and b >= -1e-12
        else:            # lower arc: centre (1, ½), y ≤ ½
            assert (a - 1) ** 2 + (b - 0.5) ** 2 == pytest.approx(1.0) and b <= 0.5 + 1e-12
    assert X[0] == pytest.approx([1, 0]) and X[4] == pytest.approx([-1, 0], abs=1e-12)
    assert X[5] == pytest.approx([0, 0.5]) and X[9] == pytest.approx([2, 0.5])


def test_moons_noise_has_the_asked_standard_deviation():
    clean, _ = datasets.moons(4000, noise=0.0)
    noisy, _ = datasets.moons(4000, noise=0.2, seed=5)
    residuals = [n - c for rn, rc in zip(noisy, clean) for n, c in zip(rn, rc)]
    assert statistics.pstdev(residuals) == pytest.approx(0.2, rel=0.03)
    assert abs(statistics.fmean(residuals)) < 0.01


def test_a_seed_reproduces_the_data_and_labels_are_chosen():
    assert datasets.moons(30, seed=3) == datasets.moons(30, seed=3)
    assert datasets.moons(30, seed=3) != datasets.moons(30, seed=4)
    X, y = datasets.moons(30, seed=3, labels=(-1, 1))
    assert X == datasets.moons(30, seed=3)[0] and set(y) == {-1, 1}
    assert [2 * t - 1 for t in datasets.moons(30, seed=3)[1]] == y


def test_circles_have_radius_one_and_factor():
    X, y = datasets.circles(12, noise=0.0, factor=0.3, labels=(-1, 1))
    assert y == [-1] * 6 + [1] * 6
    radii = [math.hypot(a, b) for a, b in X]
    assert radii == pytest.approx([1.0] * 6 + [0.3] * 6)
    angles = [math.atan2(b, a) % (2 * math.pi) for a, b in X[:6]]
    assert angles == pytest.approx([k * math.pi / 3 for k in range(6)], abs=1e-12)


def test_xor_is_the_truth_table():
    assert datasets.xor() == ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    X, y = datasets.xor(400, noise=0.1, seed=1, labels=(-1, 1))
    assert y == [-1, 1, 1, -1] * 100
    corner = [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert all(abs(a - corner[k % 4][0]) < 0.5 and abs(b - corner[k % 4][1]) < 0.5
               for k, (a, b) in enumerate(X))


def test_spiral_arms():
    X, y = datasets.spiral(30, classes=3, noise=0.0)
    assert y == [0] * 10 + [1] * 10 + [2] * 10
    for k in range(10):   # arm 1, point k: r = k/9, θ = 4 + 4r, (r sin θ, r cos θ)
        r = k / 9
        assert X[10 + k] == pytest.approx([r * math.sin(4 + 4 * r), r * math.cos(4 + 4 * r)])
    assert datasets.spiral(31, classes=3)[1].count(0) == 11


def test_blobs_centre_on_their_centres():
    centres = [[-2.0, 1.0], [3.0, 0.5]]
    X, y = datasets.blobs(2000, centers=centres, std=0.25, seed=2, labels=(-1, 1))
    for c, label in zip(centres, (-1, 1)):
        pts = [x for x, t in zip(X, y) if t == label]
        assert len(pts) == 1000
        for i in range(2):
            assert statistics.fmean(p[i] for p in pts) == pytest.approx(c[i], abs=0.03)
            assert statistics.pstdev(p[i] for p in pts) == pytest.approx(0.25, rel=0.1)
    X, y = datasets.blobs(7, centers=3, features=4, box=(0, 1), std=0.0, seed=0)
    assert y == [0, 0, 0, 1, 1, 2, 2] and all(len(x) == 4 for x in X)
    assert all(0 <= v <= 1 for x in X for v in x)


def test_seed004_heights_is_the_documents_table():
    text = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    start = text.index("키 (m)\t몸무게 (kg)\t성별")
    rows = re.findall(r"^(\d+)\t(\d+)\t(남|여)$", text[start:start + 400], re.M)
    assert len(rows) == 9
    X, y = datasets.seed004_heights()
    assert X == [[float(h), float(w)] for h, w, _ in rows]
    assert y == [1 if s == "남" else 0 for _, _, s in rows]
    assert datasets.seed004_heights(labels=(-1, 1))[1] == [2 * t - 1 for t in y]


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"labels must be \(0, 1\) or \(-1, 1\)"):
        datasets.moons(labels=(1, 2))
    with pytest.raises(ValueError, match="n must be an int of at least 2, got 1"):
        datasets.moons(1)
    with pytest.raises(ValueError, match="noise must be at least 0"):
        datasets.circles(noise=-0.1)
    with pytest.raises(ValueError, match=r"factor must be in \(0, 1\)"):
        datasets.circles(factor=1.0)
    with pytest.raises(ValueError, match="classes must be an int of at least 2"):
        datasets.spiral(classes=1)
    with pytest.raises(ValueError, match=r"labels=\(…\) is for two clusters; 3 clusters"):
        datasets.blobs(centers=3, labels=(0, 1))
    with pytest.raises(TypeError, match="seed must be an int or None"):
        datasets.xor(seed=1.5)
