"""nn.plots: what the pictures show, read back from the rendered pixels and the
drawn lines; and that `import nn` does not import matplotlib (or tqdm)."""

import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from nn import (MLP, SGD, Neuron, fit, plot_decision_boundary, plot_function,  # noqa: E402
                plot_history)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def pixel(ax, x, y):
    """The RGB colour drawn at data point (x, y)."""
    fig = ax.figure
    fig.canvas.draw()
    px, py = ax.transData.transform((x, y))
    buf = np.asarray(fig.canvas.buffer_rgba())
    height = buf.shape[0]
    return buf[height - 1 - int(py), int(px), :3].astype(int)


def region(k, of):
    """The colour of class k's region: its colour in the Spectral map (the points'
    colour), 40% opaque on white."""
    r, g, b, _ = plt.get_cmap("Spectral")(k / (of - 1))
    return [round(255 * (0.4 * c + 0.6)) for c in (r, g, b)]


def test_the_boundary_is_where_the_model_changes_its_mind():
    # z = x − 0.5: the positive class right of x = 0.5
    model = MLP.from_weights([[[1.0, 0.0]]], [[-0.5]], activations=None)
    X, y = [[0.0, 0.0], [1.0, 1.0]], [-1, 1]
    ax = plot_decision_boundary(model, X, y, resolution=41)
    for x in (-0.4, 0.2, 0.45):
        assert list(pixel(ax, x, 0.5)) == pytest.approx(region(0, 2), abs=2)
    for x in (0.55, 0.9, 1.4):
        assert list(pixel(ax, x, 0.5)) == pytest.approx(region(1, 2), abs=2)
    assert ax.get_xlim() == pytest.approx((-0.5, 1.5))
    assert len(ax.collections[-1].get_offsets()) == 2  # the samples, on top


def test_several_outputs_colour_the_largest():
    # output 0 = −x, output 1 = x: class 1 (blue end) for x > 0 with labels 0/1
    model = MLP.from_weights([[[-1.0, 0.0], [1.0, 0.0]]], None, activations=None)
    ax = plot_decision_boundary(model, [[-1.0, 0.0], [1.0, 0.0]], [0, 1], resolution=21)
    assert list(pixel(ax, -1.2, 0.3)) == pytest.approx(region(0, 2), abs=2)
    assert list(pixel(ax, 1.2, 0.3)) == pytest.approx(region(1, 2), abs=2)


def test_history_curves_are_the_logs():
    model = Neuron(1, activation=None, seed=0)
    xs = [k / 4 for k in range(-4, 5)]
    h = fit(model, xs, [1 if x > 0 else 0 for x in xs], loss="mse",
            optimizer=SGD(model.parameters(), lr=0.1), epochs=5, validation=(xs[:3], [0, 0, 0]))
    axes = h.plot()
    assert len(axes) == 2
    lines = {ln.get_label(): ln for a in axes for ln in a.get_lines()}
    assert set(lines) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert list(lines["loss"].get_ydata()) == h["loss"]
    assert list(lines["val_accuracy"].get_xdata()) == h.epochs
    one = plot_history(h, keys=["loss"])
    assert [ln.get_label() for ln in one.get_lines()] == ["loss"]


def test_plot_function_draws_the_model_and_the_target():
    model = MLP.from_weights([[[2.0]]], [[1.0]], activations=None)   # F(x) = 2x + 1
    xs = [0.0, 0.5, 1.0]
    ax = plot_function(model, xs, target=lambda x: x * x, data=([[0.0], [1.0]], [1.0, 3.0]))
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    assert list(lines["model"].get_ydata()) == [1.0, 2.0, 3.0]
    assert list(lines["target"].get_ydata()) == [0.0, 0.25, 1.0]
    assert list(lines["training points"].get_xdata()) == [0.0, 1.0]


def test_plots_refuse_models_of_the_wrong_shape():
    with pytest.raises(ValueError, match="needs a model with 2 inputs"):
        plot_decision_boundary(Neuron(3), [[0, 0, 0]], [1])
    with pytest.raises(ValueError, match="1 input and 1 output, this one has 2 and 1"):
        plot_function(Neuron(2), [0, 1])
    with pytest.raises(ValueError, match="all 0/1 or all ±1"):
        plot_decision_boundary(Neuron(2), [[0, 0]], [0.5])


def test_import_nn_loads_neither_matplotlib_nor_tqdm():
    out = subprocess.run([sys.executable, "-c", "import sys, nn; print(sorted(m for m in "
                          "('matplotlib', 'tqdm', 'numpy') if m in sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _inside_the_figure(text) -> bool:
    fig = text.figure
    fig.canvas.draw()
    box = text.get_window_extent(fig.canvas.get_renderer())
    return 0 <= box.x0 and box.x1 <= fig.bbox.width and 0 <= box.y0 and box.y1 <= fig.bbox.height


def test_a_saved_plot_keeps_its_axis_labels_and_counts_whole_epochs(tmp_path):
    # history.plot() saved as-is cut "epoch" off below the figure, and its axis
    # read 2.5, 7.5, 12.5 epochs
    model = Neuron(1, activation=None, seed=0)
    xs = [k / 4 for k in range(-4, 5)]
    h = fit(model, xs, [1 if x > 0 else 0 for x in xs], loss="mse",
            optimizer=SGD(model.parameters(), lr=0.1), epochs=16, progress=False)
    for ax in h.plot():
        assert _inside_the_figure(ax.xaxis.label) and _inside_the_figure(ax.yaxis.label)
        lo, hi = ax.get_xlim()
        shown = [t for t in ax.get_xticks() if lo <= t <= hi]
        assert len(shown) >= 3 and all(t == int(t) for t in shown), shown
    ax = plot_function(MLP.from_weights([[[2.0]]], [[1.0]], activations=None), [0.0, 1.0])
    assert _inside_the_figure(ax.xaxis.label)
