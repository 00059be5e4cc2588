"""Neuron, Layer and MLP: networks as a homework draws them.

A neuron's pre-activation z = Σ wᵢxᵢ + b is ONE `linear` node whose parents
are its weights, its inputs (when they are Values) and its bias, and its
activation is one node on top: the graph is the drawing in the notes, and the
forward pass is as short as the engine allows (this is a benchmark's hot
path, so it does no formatting and builds no wrapper nodes).

Defaults follow micrograd (ReLU hidden layers, a linear output, weights
U(−1, 1), biases 0), so its demo runs unchanged with only the imports swapped.
`MLP.from_weights` builds a network from the matrices a homework states.
"""

from __future__ import annotations

import numbers
import random
from typing import Sequence

from autograd import Value, linear
from autograd.errors import finite_number

from .activations import IDENTITY, Activation, ActivationLike, get_activation
from .init import check_init, draw_weights, make_rng
from .module import NODE_FIELDS, LabelSpec, Module, format_label


def _count(n, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{what} must be a positive int, got {n!r}")
    if n < 1:
        raise ValueError(f"{what} must be at least 1, got {n}")
    return int(n)


def _inputs(x, nin: int, who: str):
    """The inputs as a sequence of nin items; a lone number is fine for nin = 1."""
    try:
        n = len(x)
    except TypeError:
        if nin == 1:
            return (x,)
        raise TypeError(f"{who} takes a list of {nin} inputs, got {x!r}") from None
    if n != nin:
        raise ValueError(f"{who} expects {nin} inputs, got {n}")
    return x


class Neuron(Module):
    """One unit: a = φ(Σ wᵢxᵢ + b).  `Neuron(nin, activation="relu", bias=True)`.

    `w` is the list of weight Values, `b` the bias Value (None without bias),
    `activation` an `Activation` (softmax needs a whole layer: use Layer).
    """

    def __init__(self, nin: int, activation: ActivationLike = "relu", *, bias: bool = True,
                 init: str = "uniform", seed: int | None = None,
                 rng: random.Random | None = None):
        nin = _count(nin, "nin")
        act = get_activation(activation)
        if act.layer is not None:
            raise ValueError(f"{act.name} needs every z of a layer; use "
                             f"Layer(nin, nout, activation={act.name!r})")
        check_init(init)
        self.rng = make_rng(seed, rng)
        self._setup(draw_weights(init, self.rng, nin, 1)[0], 0.0 if bias else None, act)

    @classmethod
    def _make(cls, w: Sequence[float], b: float | None, act: Activation) -> "Neuron":
        n = cls.__new__(cls)
        n.rng = None
        n._setup(w, b, act)
        return n

    def _setup(self, w: Sequence[float], b: float | Value | None, act: Activation) -> None:
        self.w = [Value(v) for v in w]
        self.b = b if b is None or isinstance(b, Value) else Value(b)  # a Value: shared
        self.nin = len(self.w)
        self.activation = act
        self._unit = act.unit
        self._finish()

    def __call__(self, x) -> Value:
        z = linear(self.w, _inputs(x, self.nin, "Neuron"), self.b)
        f = self._unit
        return z if f is None else f(z)

    def _units(self):
        return [(1, 1, self)]

    def _grid_key(self, l, j, i):
        return (i,) if i is not None else ()

    def _summary_rows(self):
        return [(self.nin, 1, self.activation.name, self.nin, int(self.b is not None))]

    def __repr__(self) -> str:
        bias = "" if self.b is not None else ", bias=False"
        return f"Neuron(nin={self.nin}, activation={self.activation.name!r}{bias})"


class Layer(Module):
    """`nout` neurons on the same inputs; calling it always returns a list.

    `Layer(nin, nout, activation="relu", bias=True)`; with softmax the neurons
    compute their z's and the layer turns them into a's together.
    """

    _prefix = "n{j}."

    def __init__(self, nin: int, nout: int, activation: ActivationLike = "relu", *,
                 bias: bool = True, init: str = "uniform", seed: int | None = None,
                 rng: random.Random | None = None):
        nin, nout = _count(nin, "nin"), _count(nout, "nout")
        act = get_activation(activation)
        check_init(init)
        self.rng = make_rng(seed, rng)
        W = draw_weights(init, self.rng, nin, nout)
        self._setup(nin, W, [0.0 if bias else None] * nout, act)

    @classmethod
    def _make(cls, nin: int, W, b, act: Activation) -> "Layer":
        """From weights W[out][in] and biases `b`: one per neuron (None: no
        bias), or one number, a bias parameter all its neurons share."""
        layer = cls.__new__(cls)
        layer.rng = None
        layer._setup(nin, W, b, act)
        return layer

    def _setup(self, nin: int, W, b, act: Activation) -> None:
        unit_act = IDENTITY if act.layer is not None else act
        if not isinstance(b, (list, tuple)):
            b = [Value(b)] * len(W)
        self.neurons = [Neuron._make(row, bj, unit_act) for row, bj in zip(W, b)]
        self.nin, self.nout, self.activation = nin, len(self.neurons), act
        self._unit, self._layerwise = act.unit, act.layer
        self._wb = tuple((n.w, n.b) for n in self.neurons)
        self._finish()

    def __call__(self, x) -> list[Value]:
        return self._forward(_inputs(x, self.nin, "Layer"))

    def _forward(self, x) -> list[Value]:
        f = self._unit
        if f is None:
            out = [linear(w, x, b) for w, b in self._wb]
            return out if self._layerwise is None else self._layerwise(out)
        return [f(linear(w, x, b)) for w, b in self._wb]

    def _units(self):
        return [(1, j, n) for j, n in enumerate(self.neurons, 1)]

    def _grid_key(self, l, j, i):
        return (j, i) if i is not None else (j,)

    def _summary_rows(self):
        return [(self.nin, self.nout, self.activation.name, self.nin * self.nout,
                 len({n.b for n in self.neurons if n.b is not None}))]

    def __repr__(self) -> str:
        return f"Layer(nin={self.nin}, nout={self.nout}, activation={self.activation.name!r})"


def _per_layer(spec, n: int, what: str, check) -> list:
    """One setting per layer: a list of n settings, or one setting for all."""
    if isinstance(spec, (list, tuple)):
        if len(spec) != n:
            raise ValueError(f"{what}: expected {n} entries (one per layer), got {len(spec)}")
        return [check(s) for s in spec]
    return [check(spec)] * n


def _bias_flag(b) -> bool:
    if not isinstance(b, bool):
        raise TypeError(f"bias must be True/False (or one per layer), got {b!r}")
    return b


def _matrix(W, l: int, nin: int | None) -> list[list[float]]:
    """Layer l's W[out][in] as floats; nin is the previous layer's width."""
    if isinstance(W, (str, bytes)) or not hasattr(W, "__len__"):
        raise ValueError(f"layer {l}: W must be a matrix W[out][in] (a list of rows, one per "
                         f"neuron), got {W!r}")
    rows = list(W)
    if not rows:
        raise ValueError(f"layer {l}: the weight matrix is empty")
    if any(isinstance(r, (numbers.Real, Value)) for r in rows):
        raise ValueError(f"layer {l}: W must be a matrix W[out][in] (a list of rows, one per "
                         f"neuron); got a flat list {rows!r} (one neuron: write [[...]])")
    widths = [len(r) for r in rows]
    width = nin if nin is not None else widths[0]
    if any(w != width for w in widths) or width == 0:
        why = f"layer {l - 1} has {nin} outputs" if l > 1 else "row 1 has that many"
        given = (f"{len(rows)} × {widths[0]}" if len(set(widths)) == 1
                 else f"{len(rows)} rows of lengths {widths}")
        raise ValueError(
            f"layer {l}: expected a weight matrix of shape {len(rows)} × {width} (W[out][in]: "
            f"one row per neuron, one column per input; {why}), got {given}")
    return [[finite_number(v, f"layer {l}: W[{r + 1}][{c + 1}]") for c, v in enumerate(row)]
            for r, row in enumerate(rows)]


def _layer_biases(b, l: int, nout: int) -> list[float | None] | float:
    """Layer l's biases: None (none), a list of nout numbers (one per neuron)
    or one number, a bias its neurons share (one parameter, as in Mazur's
    example, whose gradient sums over the neurons it feeds)."""
    if b is None:
        return [None] * nout
    if isinstance(b, numbers.Real) and not isinstance(b, bool):
        return finite_number(b, f"layer {l}: the shared bias")
    if isinstance(b, (str, bool, Value)) or not hasattr(b, "__len__"):
        raise ValueError(f"layer {l}: biases must be a list of {nout} numbers (one per neuron), "
                         f"one number (a bias the layer's neurons share) or None, got {b!r}")
    if len(b) != nout:
        raise ValueError(f"layer {l}: expected {nout} biases (one per neuron), got {len(b)}")
    return [finite_number(v, f"layer {l}: b[{j + 1}]") for j, v in enumerate(b)]


class MLP(Module):
    """A stack of layers: `MLP(nin, nouts)`; calling it returns a Value when
    the last layer has one output, else a list (like micrograd).

    `activation` is for hidden layers (default ReLU), `output_activation` for
    the last (default identity); `activations=[...]` sets every layer at once.
    `bias` is a bool or one per layer; `init` one of nn.init.INITS; `seed`
    (or `rng`) fixes the model's own generator (`model.rng`).
    """

    _prefix = "L{l}.n{j}."
    _layer_prefix = "L{l}."

    def __init__(self, nin: int, nouts: Sequence[int], *, activation: ActivationLike = "relu",
                 output_activation: ActivationLike = None,
                 activations: Sequence[ActivationLike] | None = None,
                 bias: bool | Sequence[bool] = True,
                 init: str = "uniform", seed: int | None = None,
                 rng: random.Random | None = None):
        nin = _count(nin, "nin")
        if isinstance(nouts, (str, bytes)) or not hasattr(nouts, "__len__") or not len(nouts):
            raise ValueError(f"nouts must be a non-empty list of layer widths, got {nouts!r}")
        nouts = [_count(n, f"nouts[{k}]") for k, n in enumerate(nouts)]
        n = len(nouts)
        if activations is None:
            acts = [get_activation(activation)] * (n - 1) + [get_activation(output_activation)]
        elif activation != "relu" or output_activation is not None:
            raise ValueError("give either activations=[one per layer] or activation= and "
                             "output_activation=, not both")
        else:
            acts = _per_layer(activations, n, "activations", get_activation)
        bias = _per_layer(bias, n, "bias", _bias_flag)
        check_init(init)
        self.rng = make_rng(seed, rng)
        sizes = [nin] + nouts
        layers = []
        for k in range(n):
            W = draw_weights(init, self.rng, sizes[k], sizes[k + 1])
            layers.append(Layer._make(sizes[k], W, [0.0 if bias[k] else None] * sizes[k + 1],
                                      acts[k]))
        self._setup(nin, layers)

    @classmethod
    def from_weights(cls, weights: Sequence, biases: Sequence | None = None, *,
                     activations, labels: dict[str, str] | None = None,
                     weight_labels: LabelSpec = None, bias_labels: LabelSpec = None) -> "MLP":
        """A network from the weights a homework states.

        - `weights`: one matrix per layer, W[out][in] as written (row j holds
          neuron j's weights, one per input); numpy arrays are fine;
        - `biases`: None (no bias parameters at all), or one entry per layer:
          a list of nout numbers, one number (a single bias parameter that
          all the layer's neurons share: `biases=[0.35, 0.60]` is Mazur's
          b1 and b2, each gradient the sum over its neurons, named "L1.b"),
          or None for a layer without biases;
        - `activations`: one per layer (a name, an Activation or None), or one
          name for every layer.  Required: a homework always says.
        - `labels`, `weight_labels`, `bias_labels`: as `relabel(mapping,
          weights=, biases=)`.

        A wrong shape is a ValueError naming the layer and the shape expected.
        """
        if isinstance(weights, (str, bytes)) or not hasattr(weights, "__len__") or not len(weights):
            raise ValueError("weights must be a non-empty list of weight matrices W[out][in], "
                             f"one per layer; got {weights!r}")
        n = len(weights)
        mats, nin = [], None
        for l, W in enumerate(weights, 1):
            mats.append(_matrix(W, l, nin))
            nin = len(mats[-1])
        if biases is None:
            biases = [None] * n
        elif isinstance(biases, (str, bytes)) or not hasattr(biases, "__len__") \
                or len(biases) != n:
            raise ValueError(f"biases must be None or a list with one entry per layer ({n}: a "
                             f"list of biases or None), got {biases!r}")
        acts = _per_layer(activations, n, "activations", get_activation)
        model = cls.__new__(cls)
        model.rng = None
        layers = [Layer._make(len(W[0]), W, _layer_biases(b, l, len(W)), act)
                  for l, (W, b, act) in enumerate(zip(mats, biases, acts), 1)]
        model._setup(len(mats[0][0]), layers)
        if labels or weight_labels is not None or bias_labels is not None:
            model.relabel(labels, weights=weight_labels, biases=bias_labels)
        return model

    def _setup(self, nin: int, layers: list[Layer]) -> None:
        self.nin, self.layers = nin, layers
        self.nouts = [layer.nout for layer in layers]
        self._forwards = tuple(layer._forward for layer in layers)
        self._node_labels = None
        self._finish()

    def __call__(self, x):
        x = _inputs(x, self.nin, "MLP")
        if self._node_labels is None:
            for f in self._forwards:
                x = f(x)
        else:
            x = self._labelled_forward(x)
        return x[0] if len(x) == 1 else x

    # -- labelled forward passes ---------------------------------------------
    def label_nodes(self, *, x: LabelSpec = None, z: LabelSpec = None,
                    a: LabelSpec = None) -> "MLP":
        """Label the nodes of every later forward pass as a homework names them.

        - `z`, `a`: a pattern for every layer with fields l, l0 (layer), j, j0
          (neuron), 1- and 0-based, e.g. z="z{l}{j0}" gives z10, z11, z20…; or
          one entry per layer: a pattern, a list of names, or None (unlabelled).
          A layer without activation has no separate a: its output is its z.
        - `x`: the inputs, a pattern with fields i, i0 or a list of names;
          plain numbers become labelled leaves, unlabelled Values get the label.

        With no arguments, labelling stops (the lean forward pass is back).
        Labels are checked against each other and the parameters' labels.
        Returns the model.
        """
        if x is None and z is None and a is None:
            self._node_labels = None
            return self
        xs = None
        if x is not None:
            if isinstance(x, str):
                xs = [format_label(x, "input", "i, i0", i=i, i0=i - 1)
                      for i in range(1, self.nin + 1)]
            else:
                xs = list(x)
                if len(xs) != self.nin or not all(isinstance(s, str) for s in xs):
                    raise ValueError(f"x labels: expected {self.nin} names, got {x!r}")
        per_layer = []
        for l, layer in enumerate(self.layers, 1):
            zs = self._layer_names(z, "z", l, layer)
            if layer.activation.is_identity:
                if a is not None and not isinstance(a, str) and self._entry(a, "a", l) is not None:
                    raise ValueError(f"layer {l} has no activation: its output is its z, so name "
                                     f"it with z= (give None for this layer in a=)")
                acts = None
            else:
                acts = self._layer_names(a, "a", l, layer)
            per_layer.append((zs, acts))
        previous = self._node_labels
        self._node_labels = (xs, tuple(per_layer))
        try:
            self._check_labels({})
        except ValueError:
            self._node_labels = previous
            raise
        return self

    def _entry(self, spec, what: str, l: int):
        if isinstance(spec, str) or spec is None:
            return spec
        if not isinstance(spec, Sequence) or len(spec) != len(self.layers):
            raise ValueError(f"{what} labels: give a pattern or one entry per layer "
                             f"({len(self.layers)}), got {spec!r}")
        return spec[l - 1]

    def _layer_names(self, spec, what: str, l: int, layer: Layer) -> list[str] | None:
        entry = self._entry(spec, what, l)
        if entry is None:
            return None
        if isinstance(entry, str):
            return [format_label(entry, what, NODE_FIELDS, l=l, l0=l - 1, j=j, j0=j - 1)
                    for j in range(1, layer.nout + 1)]
        names = list(entry)
        if len(names) != layer.nout or not all(isinstance(s, str) for s in names):
            raise ValueError(f"{what} labels for layer {l}: expected {layer.nout} names, "
                             f"got {entry!r}")
        return names

    def _node_label_owners(self):
        if self._node_labels is None:
            return []
        xs, per_layer = self._node_labels
        owned = [(f"input {i}", s) for i, s in enumerate(xs or (), 1)]
        for l, (zs, acts) in enumerate(per_layer, 1):
            owned += [(f"z of L{l}.n{j}", s) for j, s in enumerate(zs or (), 1)]
            owned += [(f"a of L{l}.n{j}", s) for j, s in enumerate(acts or (), 1)]
        return owned

    def _labelled_forward(self, x) -> list[Value]:
        xs, per_layer = self._node_labels
        if xs is not None:
            x = [v if type(v) is Value else Value(v) for v in x]
            for v, s in zip(x, xs):
                if v.label is None:
                    v.label = s
        for layer, (zn, an) in zip(self.layers, per_layer):
            zs = [linear(w, x, b) for w, b in layer._wb]
            for v, s in zip(zs, zn or ()):
                v.label = s
            act = layer.activation
            if act.layer is not None:
                x = act.layer(zs)
            elif act.unit is not None:
                x = [act.unit(v) for v in zs]
            else:
                x = zs
            if x is not zs:
                for v, s in zip(x, an or ()):
                    v.label = s
        return x

    # -- Module hooks ------------------------------------------------------------
    def _units(self):
        return [(l, j, n) for l, layer in enumerate(self.layers, 1)
                for j, n in enumerate(layer.neurons, 1)]

    def _grid_key(self, l, j, i):
        return (l, j, i) if i is not None else (l, j)

    def _summary_rows(self):
        return [row for layer in self.layers for row in layer._summary_rows()]

    def __repr__(self) -> str:
        acts = ", ".join(repr(layer.activation.name) for layer in self.layers)
        return f"MLP(nin={self.nin}, nouts={self.nouts}, activations=[{acts}])"

