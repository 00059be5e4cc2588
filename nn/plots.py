"""Pictures of training: decision boundaries, learning curves, 1-D fits.

matplotlib is imported when a function here is called, never by
`import nn`: plotting is optional (`pip install 'handgrad[plot]'`).  Each
function draws on `ax` when given (so it fits in a figure of your own),
else on a new figure, and returns the axes it drew on.  Models are evaluated
under `no_grad`, so a plot records no graph and changes nothing.  A figure
made here has matplotlib's constrained layout, so that `savefig` keeps the
axis labels inside it.
"""

from __future__ import annotations

from typing import Callable, Sequence

from autograd import Value, no_grad

from .metrics import _binary_labels
from .module import Module


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("plotting needs matplotlib: pip install 'handgrad[plot]' "
                          "(or pip install matplotlib)") from None
    return plt


def _model_shape(model, who: str) -> tuple[int, int]:
    if not isinstance(model, Module):
        raise TypeError(f"{who} takes an nn model (Neuron, Layer, MLP), got {model!r}")
    s = model.summary()
    return s.nin, s.layers[-1].nout


def _outputs(out) -> list[float]:
    return [out.data] if type(out) is Value else [v.data for v in out]


def plot_decision_boundary(model: Module, X: Sequence, y: Sequence, ax=None, *,
                           resolution: int = 60, padding: float = 0.5,
                           threshold: float | None = None, cmap: str = "Spectral"):
    """The class the model predicts over the plane (filled), with the samples
    on top, coloured by their labels: micrograd's demo picture.

    For 2-input models.  One output: the positive class where the output
    exceeds `threshold` (by default the midpoint of the labels, 0 for ±1,
    0.5 for 0/1; give 0 for logits with 0/1 labels).  Several outputs: the
    largest.  The grid has `resolution` points per axis and extends `padding`
    beyond the data.
    """
    nin, nout = _model_shape(model, "plot_decision_boundary")
    if nin != 2:
        raise ValueError(f"plot_decision_boundary needs a model with 2 inputs (a plane), this "
                         f"one takes {nin}")
    X, y = [list(map(float, row)) for row in X], list(y)
    if len(X) != len(y) or not X or any(len(r) != 2 for r in X):
        raise ValueError("plot_decision_boundary: X must be rows of 2 numbers, one per label in y")
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an int of at least 2, got {resolution!r}")
    if nout == 1:
        lo, hi = _binary_labels(y, "plot_decision_boundary")
        cut = (lo + hi) / 2 if threshold is None else threshold
    plt = _pyplot()
    import numpy as np  # matplotlib's own dependency
    spans = []
    for c in range(2):
        col = [r[c] for r in X]
        spans.append(np.linspace(min(col) - padding, max(col) + padding, resolution))
    gx, gy = np.meshgrid(*spans)
    with no_grad():
        outs = [_outputs(model([float(a), float(b)])) for a, b in zip(gx.ravel(), gy.ravel())]
    if nout == 1:
        classes = [hi if o[0] > cut else lo for o in outs]
        values = [lo, hi]
    else:
        classes = [max(range(nout), key=o.__getitem__) for o in outs]
        values = list(range(nout))
    # one band per class, cut halfway between classes, in the colour of its points
    levels = [values[0] - 0.5] + [(a + b) / 2 for a, b in zip(values, values[1:])] \
        + [values[-1] + 0.5]
    colours = plt.get_cmap(cmap)([k / (len(values) - 1) for k in range(len(values))])
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4.5), layout="constrained")
    ax.contourf(gx, gy, np.array(classes, float).reshape(gx.shape), levels=levels,
                colors=colours, alpha=0.4)
    xs = np.array(X)
    ax.scatter(xs[:, 0], xs[:, 1], c=np.array(y, float), cmap=cmap, vmin=values[0],
               vmax=values[-1], s=30, edgecolors="k", linewidths=0.5)
    ax.set_xlim(spans[0][0], spans[0][-1])
    ax.set_ylim(spans[1][0], spans[1][-1])
    return ax


def plot_history(history, ax=None, *, keys: Sequence[str] | None = None):
    """Learning curves: losses (training and validation) on one axes and the
    metrics on a second, against the epoch.  With `ax`, or `keys` naming
    the logs to draw, everything goes on one axes."""
    plt = _pyplot()
    from matplotlib.ticker import MaxNLocator
    names = list(history.keys()) if keys is None else list(keys)
    for k in names:
        history[k]  # a KeyError naming what was logged
    if not history.epochs:
        raise ValueError("plot_history: the history is empty (no epoch has run)")
    losses = [k for k in names if k in ("loss", "val_loss")]
    others = [k for k in names if k not in losses]
    if ax is None and keys is None and losses and others:
        _, axes = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
        groups = [(axes[0], losses, "loss"), (axes[1], others, "metric")]
        result = axes
    else:
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
        groups = [(ax, names, "")]
        result = ax
    for a, group, ylabel in groups:
        for k in group:
            a.plot(history.epochs, history[k], "--" if k.startswith("val_") else "-", label=k)
        a.set_xlabel("epoch")
        a.xaxis.set_major_locator(MaxNLocator(integer=True))  # no epoch 2.5
        if ylabel:
            a.set_ylabel(ylabel)
        a.legend()
    return result


def plot_function(model: Module, xs: Sequence[float], ax=None, *,
                  data: tuple[Sequence, Sequence] | None = None,
                  target: Callable[[float], float] | None = None, label: str = "model"):
    """A 1-input, 1-output model as the curve x ↦ F(x) over `xs`, with the
    training points `data=(X, y)` and the function it should approximate,
    `target`, for comparison (seed 004's universal approximation)."""
    nin, nout = _model_shape(model, "plot_function")
    if nin != 1 or nout != 1:
        raise ValueError(f"plot_function draws a model with 1 input and 1 output, this one has "
                         f"{nin} and {nout}")
    xs = [float(x) for x in xs]
    if len(xs) < 2:
        raise ValueError("plot_function needs at least 2 points in xs")
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
    if target is not None:
        ax.plot(xs, [target(x) for x in xs], "k", lw=3, alpha=0.3, label="target")
    with no_grad():
        ax.plot(xs, [model([x]).data for x in xs], label=label)
    if data is not None:
        X, y = data
        ax.plot([r[0] if hasattr(r, "__len__") else r for r in X], list(y), "k.", ms=4,
                label="training points")
    ax.set_xlabel("x")
    ax.legend()
    return ax


__all__ = ["plot_decision_boundary", "plot_history", "plot_function"]
