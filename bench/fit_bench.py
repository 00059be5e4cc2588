"""Two ratios for micrograd's demo (100 moons, MLP(2, [16, 16, 1]), hinge +
1e-4·L2, SGD with micrograd's linear decay), measured side by side in one run:

- `fit` against the same training written as a bare loop with the same nn
  pieces: what fit's bookkeeping (batches, History, metrics, callbacks,
  progress bars) costs per step.  Target: under 10%.
- the engine's step (that bare loop: forward graph, backward, update)
  against the same step written by hand on plain floats, with no graph at
  all: forward, hand-derived backward, update.  No pure-Python engine can
  beat the second, so the ratio is how far the engine is from the physical
  limit of the language.

Both pairs are checked to compute the same training (same final weights) before
they are timed, and timed in alternation (A, B, A, B…) so that a noisy host
slows both alike; the figures are medians of this process's CPU time.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
from operator import mul

import nn
from autograd import mean
from nn import MLP, SGD, LinearLR, fit, hinge, l2

ALPHA = 1e-4


def demo():
    X, y = nn.datasets.moons(100, noise=0.1, seed=0, labels=(-1, 1))
    model = MLP(2, [16, 16, 1], seed=1)
    opt = SGD(model.parameters(), lr=LinearLR(1.0, end_factor=0.1, total_iters=100))
    return X, y, model, opt


def bare_loop(model, opt, X, y, steps: int) -> list[float]:
    """The training `fit` runs, written out: per step the per-sample hinge
    losses averaged, the penalty added, backward, update, accuracy."""
    params = model.parameters()
    losses = []
    for _ in range(steps):
        scores = [model(x) for x in X]
        loss = mean([hinge(s, t) for s, t in zip(scores, y)]) + l2(params, ALPHA)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.data)
        sum((s.data > 0) == (t > 0) for s, t in zip(scores, y)) / len(y)
    return losses


@contextlib.contextmanager
def bars_to_devnull():
    """fit with its progress bars on, drawn to /dev/null: their cost without a terminal."""
    import nn.training as training
    shown, err = training.can_show, sys.stderr
    with open(os.devnull, "w") as devnull:
        training.can_show, sys.stderr = (lambda: True), devnull
        try:
            yield
        finally:
            training.can_show, sys.stderr = shown, err


def fit_steps(model, opt, X, y, steps: int, progress: bool) -> list[float]:
    with bars_to_devnull() if progress else contextlib.nullcontext():
        h = fit(model, X, y, loss="hinge", l2=ALPHA, optimizer=opt, epochs=steps,
                progress=progress, step_loss=True)
    return h.step_loss


# -- the same step on plain floats ---------------------------------------------------

class FloatMLP:
    """MLP(2, [16, 16, 1]) as lists of floats, with its weights copied from an
    nn.MLP; `step` is forward, the backward pass derived by hand, and the SGD
    update, for the hinge loss + α·Σp², nothing else.

    Like the engine, it back-propagates every sample, even one whose hinge
    is flat (gradient 0): the same arithmetic, so the ratio measures the
    graph's cost, not an algorithmic shortcut (skipping those samples is a
    shortcut the engine could take too)."""

    def __init__(self, model: MLP):
        self.layers = [([[w.data for w in n.w] for n in layer.neurons],
                        [n.b.data for n in layer.neurons]) for layer in model.layers]

    def params(self) -> list[float]:
        return [v for W, b in self.layers for row, bj in zip(W, b) for v in (*row, bj)]

    def step(self, X, y, lr: float) -> float:
        (W1, b1), (W2, b2), (W3, b3) = self.layers
        n = len(X)
        gW1 = [[0.0, 0.0] for _ in W1]
        gW2 = [[0.0] * len(W2[0]) for _ in W2]
        gw3, gb1, gb2, gb3 = [0.0] * len(W3[0]), [0.0] * len(b1), [0.0] * len(b2), 0.0
        w3, total = W3[0], 0.0
        for (x0, x1), t in zip(X, y):
            z1 = [r[0] * x0 + r[1] * x1 + b for r, b in zip(W1, b1)]
            h1 = [z if z > 0 else 0.0 for z in z1]
            z2 = [sum(map(mul, r, h1)) + b for r, b in zip(W2, b2)]
            h2 = [z if z > 0 else 0.0 for z in z2]
            margin = 1 - t * (sum(map(mul, w3, h2)) + b3[0])
            ds = -t / n if margin > 0 else 0.0  # max(0, ·) is flat below 0
            total += margin if margin > 0 else 0.0
            gb3 += ds
            gw3 = [g + ds * h for g, h in zip(gw3, h2)]
            d2 = [ds * w if z > 0 else 0.0 for w, z in zip(w3, z2)]
            d1 = [0.0] * len(h1)
            for j, (d, r) in enumerate(zip(d2, W2)):
                gb2[j] += d
                gW2[j] = [g + d * h for g, h in zip(gW2[j], h1)]
                d1 = [a + d * w for a, w in zip(d1, r)]
            for i, (d, z) in enumerate(zip(d1, z1)):
                d = d if z > 0 else 0.0
                gb1[i] += d
                g = gW1[i]
                g[0] += d * x0
                g[1] += d * x1
        penalty = ALPHA * sum(p * p for p in self.params())
        a2 = 2 * ALPHA
        for (W, b), (gW, gb) in zip(self.layers, ((gW1, gb1), (gW2, gb2), ([gw3], [gb3]))):
            for r, g in zip(W, gW):
                r[:] = [w - lr * (gi + a2 * w) for w, gi in zip(r, g)]
            b[:] = [bj - lr * (gj + a2 * bj) for bj, gj in zip(b, gb)]
        return total / n + penalty


def float_steps(model: MLP, X, y, steps: int) -> list[float]:
    net = FloatMLP(model)
    return [net.step(X, y, 1.0 - 0.9 * k / 100) for k in range(steps)]


# -- timing ----------------------------------------------------------------------------

def per_step(run, steps: int) -> float:
    """CPU seconds of this process per step: on a shared host the other
    processes' load then counts much less than in wall-clock time."""
    t = time.process_time()
    run(steps)
    return (time.process_time() - t) / steps


def alternate(runs: dict, steps: int, rounds: int) -> dict[str, list[float]]:
    """Seconds per step of each run in each round, timed A, B, C, A, B, C, …"""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            times[name].append(per_step(run, steps))
    return times


def ratio(times: dict[str, list[float]], a: str, b: str) -> float:
    """The median over rounds of a's time over b's in the same round: runs next
    to each other in time share the host's load, so their ratio drifts less
    than the ratio of two medians."""
    return statistics.median(x / y for x, y in zip(times[a], times[b]))


def report(steps: int = 10, rounds: int = 7) -> None:
    X, y, _, _ = demo()

    # the same training, three ways: identical losses (floats: to rounding)
    runs = {}
    for name, f in (("bare", lambda m, o, n: bare_loop(m, o, X, y, n)),
                    ("fit", lambda m, o, n: fit_steps(m, o, X, y, n, progress=False)),
                    ("fit+bars", lambda m, o, n: fit_steps(m, o, X, y, n, progress=True))):
        _, _, model, opt = demo()
        runs[name] = f(model, opt, steps)
    floats = float_steps(demo()[2], X, y, steps)
    assert runs["fit"] == runs["bare"] == runs["fit+bars"], "fit and the bare loop differ"
    assert max(abs(a - b) for a, b in zip(floats, runs["bare"])) < 1e-9, \
        "the float step and the engine's step differ"

    # timed: each run continues its own training (the learning rate keeps decaying)
    state = {name: demo() for name in ("bare", "fit", "fit+bars", "floats")}
    net = FloatMLP(state["floats"][2])
    k = [0]

    def floats_run(n):
        for _ in range(n):
            net.step(X, y, max(0.1, 1.0 - 0.9 * k[0] / 100))
            k[0] += 1

    times = alternate({
        "bare": lambda n: bare_loop(state["bare"][2], state["bare"][3], X, y, n),
        "fit": lambda n: fit_steps(state["fit"][2], state["fit"][3], X, y, n, progress=False),
        "fit+bars": lambda n: fit_steps(state["fit+bars"][2], state["fit+bars"][3], X, y, n,
                                        progress=True),
        "floats": floats_run,
    }, steps, rounds)
    t = {name: statistics.median(ts) for name, ts in times.items()}
    print(f"\nfit's overhead and the engine against plain floats: micrograd's demo step, CPU time, "
          f"{rounds} alternating rounds of {steps} steps (medians; ratios within a round)")
    print(f"  bare loop (nn.hinge, nn.l2, SGD)   {t['bare'] * 1e3:7.2f} ms/step")
    print(f"  fit, progress=False                {t['fit'] * 1e3:7.2f} ms/step   "
          f"fit / bare loop = {ratio(times, 'fit', 'bare'):.3f}   (target < 1.10)")
    print(f"  fit, bars drawn to /dev/null       {t['fit+bars'] * 1e3:7.2f} ms/step   "
          f"fit / bare loop = {ratio(times, 'fit+bars', 'bare'):.3f}")
    print(f"  plain floats, backward by hand     {t['floats'] * 1e3:7.2f} ms/step   "
          f"engine step / float step = {ratio(times, 'bare', 'floats'):.2f}x")
