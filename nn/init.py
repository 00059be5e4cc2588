"""Initial weights: the schemes a course compares, drawn from the model's own
seeded generator so that the same seed always gives the same network.

Weights are drawn layer by layer, neuron by neuron, input by input (W[out][in]
in row order); biases start at 0 in every scheme (as in micrograd and in the
usual `b = np.zeros(...)`), so they consume no random numbers.

- "uniform": U(−1, 1), micrograd's choice.
- "small":   U(−1, 1) × 0.01, the "small random numbers" of seed 003.
- "zeros":   all 0, to show the symmetry problem (every hidden unit computes
             the same thing and receives the same gradient forever).
- "xavier":  Glorot uniform U(−r, r), r = √(6 / (fan_in + fan_out)):
             variance 2 / (fan_in + fan_out), for sigmoid/tanh layers.
- "he":      He normal N(0, σ²), σ = √(2 / fan_in), for ReLU layers.
"""

from __future__ import annotations

import math
import random

INITS = ("uniform", "small", "zeros", "xavier", "he")


def check_init(scheme: str) -> str:
    if scheme not in INITS:
        raise ValueError(f"unknown init scheme {scheme!r}; valid schemes: {', '.join(INITS)}")
    return scheme


def make_rng(seed: int | None = None, rng: random.Random | None = None) -> random.Random:
    """The generator a model owns: `rng` if given, else a new one from `seed`
    (None: seeded from the OS).  Never the module-level `random` state."""
    if rng is not None:
        if seed is not None:
            raise ValueError("give either seed or rng, not both")
        if not isinstance(rng, random.Random):
            raise TypeError(f"rng must be a random.Random, got {rng!r}")
        return rng
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"seed must be an int or None, got {seed!r}")
    return random.Random(seed)


def draw_weights(scheme: str, rng: random.Random, fan_in: int, fan_out: int) -> list[list[float]]:
    """A fan_out × fan_in weight matrix (W[out][in]) drawn with `scheme`."""
    check_init(scheme)
    if scheme == "zeros":
        return [[0.0] * fan_in for _ in range(fan_out)]
    if scheme == "he":
        sigma = math.sqrt(2.0 / fan_in)
        return [[rng.gauss(0.0, sigma) for _ in range(fan_in)] for _ in range(fan_out)]
    r = {"uniform": 1.0, "small": 1.0, "xavier": math.sqrt(6.0 / (fan_in + fan_out))}[scheme]
    scale = 0.01 if scheme == "small" else 1.0
    return [[rng.uniform(-r, r) * scale for _ in range(fan_in)] for _ in range(fan_out)]
