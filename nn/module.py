"""`Module`: what every model (Neuron, Layer, MLP) can say about its parameters.

A model's structure is fixed when it is built, so the list of (name,
parameter) pairs is computed once and reused: `parameters()` is called every
training step and must cost nothing.  Names are stable and positional
("L2.n1.w3": layer 2, neuron 1, input 3, all 1-based; "L1.b" for a bias that
all the neurons of layer 1 share); labels start equal to the names and can be
changed to a homework's notation without touching names.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Protocol, Sequence

from autograd import Value
from autograd.errors import finite_number

NODE_FIELDS = "l, l0, j, j0"  # the fields a label pattern may use: layer, neuron
PARAM_FIELDS = NODE_FIELDS + ", i, i0"  # … and input
LabelSpec = str | Sequence | None  # a pattern, or nested lists of labels (None: keep)


def format_label(pattern: str, what: str, fields: str, **values: int) -> str:
    """`pattern.format(**values)`, with an error that lists the fields."""
    try:
        label = pattern.format(**values)
    except (KeyError, IndexError, ValueError) as e:
        raise ValueError(f"bad {what} pattern {pattern!r} ({e}); it may use the fields "
                         f"{fields} (1-based l, j, i; 0-based l0, j0, i0)") from None
    return label


def check_labels(owned: Iterable[tuple[str, str]]) -> None:
    """Labels must name something and be unique in a model, so that a check by
    label means one node; checked all together before any is applied."""
    seen: dict[str, str] = {}
    for owner, label in owned:
        if not label.strip():
            raise ValueError(f"the label for {owner} is the blank string {label!r}; "
                             "a label must name the node")
        if label in seen:
            raise ValueError(
                f"label {label!r} would name both {seen[label]} and {owner}; labels must be unique "
                f"so that a value or gradient looked up by label is unambiguous (a pattern with "
                f"{{l}} or {{l0}} tells layers apart, e.g. 'w({{l0}}){{i}}{{j0}}')")
        seen[label] = owner


class Unit(Protocol):
    """What a model is made of: a neuron's weights and bias (`layers.Neuron`)."""

    w: list[Value]
    b: Value | None


@dataclass(frozen=True)
class LayerSummary:
    index: int
    role: str  # "hidden" or "output"
    nin: int
    nout: int
    activation: str
    weights: int
    biases: int

    @property
    def parameters(self) -> int:
        return self.weights + self.biases


@dataclass(frozen=True)
class Summary:
    """A model at a glance; `str()` is a table (layers, roles, shapes, counts)."""

    kind: str
    nin: int
    layers: tuple[LayerSummary, ...]

    @property
    def num_layers(self) -> int:
        return len(self.layers)

    @property
    def num_hidden(self) -> int:
        return sum(s.role == "hidden" for s in self.layers)

    @property
    def num_parameters(self) -> int:
        return sum(s.parameters for s in self.layers)

    def __str__(self) -> str:
        rows = [("layer", "role", "shape", "activation", "weights", "biases", "parameters")]
        for s in self.layers:
            rows.append((f"L{s.index}", s.role, f"{s.nin} → {s.nout}", s.activation,
                         str(s.weights), str(s.biases), str(s.parameters)))
        rows.append(("total", "", "", "", str(sum(s.weights for s in self.layers)),
                     str(sum(s.biases for s in self.layers)), str(self.num_parameters)))
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(w) if c < 4 else cell.rjust(w)
                           for c, (cell, w) in enumerate(zip(r, widths))).rstrip() for r in rows]
        n = self.num_layers
        head = (f"{self.kind}: {self.nin} inputs, {n} layer{'s' * (n != 1)} "
                f"({self.num_hidden} hidden + output), {self.num_parameters} parameters")
        return "\n".join([head] + lines)

    __repr__ = __str__


class Module(ABC):
    """Base of every model: parameters by name, gradients, labels, summary.

    Subclasses describe themselves through `_units()`, the list of
    (layer l, neuron j, Neuron) they contain, and `_prefix`, the format of a
    unit's name prefix; everything else is shared.
    """

    _prefix = ""
    _layer_prefix = ""  # the name prefix of a bias shared by a layer's neurons
    _named: tuple[tuple[str, Value], ...] = ()
    _params: tuple[Value, ...] = ()
    _shared: dict[Value, int] = {}  # a bias shared by a layer's neurons → its layer

    @abstractmethod
    def _units(self) -> list[tuple[int, int, Unit]]:
        """(layer, neuron, Neuron) for every neuron, in parameter order."""

    @abstractmethod
    def _grid_key(self, l: int, j: int, i: int | None) -> tuple[int, ...]:
        """Where a parameter sits in nested label lists (they mirror the weights)."""

    def _finish(self) -> None:
        """Cache (name, parameter) pairs and label every parameter by its name.
        A bias that several neurons of a layer share (Mazur's b1) is one
        parameter, named for the layer ("L1.b") after that layer's neurons."""
        units = self._units()
        last = {n.b: k for k, (_, _, n) in enumerate(units) if n.b is not None}
        feeds = Counter(n.b for _, _, n in units if n.b is not None)
        self._shared = {n.b: l for l, _, n in units if n.b is not None and feeds[n.b] > 1}
        named = []
        for k, (l, j, n) in enumerate(units):
            prefix = self._prefix.format(l=l, j=j)
            named.extend((f"{prefix}w{i}", w) for i, w in enumerate(n.w, 1))
            if n.b is not None and n.b not in self._shared:
                named.append((f"{prefix}b", n.b))
            elif n.b is not None and last[n.b] == k:
                named.append((f"{self._layer_prefix.format(l=l)}b", n.b))
        self._named = tuple(named)
        self._params = tuple(p for _, p in named)
        for name, p in named:
            p.label = name

    # -- parameters ------------------------------------------------------------
    def named_parameters(self) -> list[tuple[str, Value]]:
        """(name, parameter) in a fixed order: layer, neuron, its weights, its bias."""
        return list(self._named)

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of `named_parameters()`."""
        return list(self._params)

    def num_parameters(self) -> int:
        return len(self._params)

    def zero_grad(self, set_to_none: bool = False) -> None:
        """Set every parameter's grad to 0 (or to None: "not computed")."""
        g = None if set_to_none else 0.0
        for p in self._params:
            p.grad = g

    def parameter(self, key: str) -> Value:
        """The parameter with this name, else the one with this label."""
        for name, p in self._named:
            if name == key:
                return p
        for name, p in self._named:
            if p.label == key:
                return p
        labels = [p.label for n, p in self._named if p.label not in (None, n)]
        raise KeyError(f"no parameter named or labelled {key!r}; "
                       + (f"labels: {', '.join(labels)}; " if labels else "")
                       + f"names: {', '.join(n for n, _ in self._named)}")

    def state_dict(self) -> dict[str, float]:
        """{name: value} of every parameter (plain floats)."""
        return {name: p.data for name, p in self._named}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Set parameter values by name; every name must be present, no others."""
        names = {name for name, _ in self._named}
        unknown = [k for k in state if k not in names]
        missing = [n for n, _ in self._named if n not in state]
        if unknown or missing:
            raise KeyError(f"state does not match the model: unknown {unknown}, missing {missing}; "
                           f"names: {', '.join(n for n, _ in self._named)}")
        values = {name: finite_number(v, f"state[{name!r}]") for name, v in state.items()}
        for name, p in self._named:
            p.data = values[name]

    # -- labels ----------------------------------------------------------------
    def relabel(self, mapping: Mapping[str, str] | None = None, *, weights: LabelSpec = None,
                biases: LabelSpec = None) -> "Module":
        """Rename parameters' labels to a homework's notation; names never change.

        - `mapping`: {name: label}, e.g. {"L1.n1.w1": "w10"};
        - `weights`: a pattern for every weight, with fields l, l0 (layer),
          j, j0 (neuron), i, i0 (input), 1- and 0-based, e.g. "w{i}{j0}"; or
          nested lists of labels mirroring the weights (MLP: [layer][out][in],
          Layer: [out][in], Neuron: [in]), None for "keep";
        - `biases`: the same, without i (MLP: [layer][out], Layer: [out]);
          a bias a layer's neurons share takes one label: a pattern using
          only l, l0 (e.g. "b{l}"), or one string in its layer's place.

        Applied together, checked first: an unknown name is a KeyError, a
        label used twice is a ValueError, and nothing changes on error.
        Returns the model, so it chains after a constructor.
        """
        new: dict[Value, str] = {}
        by_name = dict(self._named)
        for spec, what in ((weights, "weight"), (biases, "bias")):
            if isinstance(spec, str):
                new.update(self._pattern_labels(spec, what))
            elif spec is not None:
                new.update(self._grid_labels(spec, what))
        for name, label in (mapping or {}).items():
            if name not in by_name:
                raise KeyError(f"no parameter named {name!r}; names: "
                               f"{', '.join(n for n, _ in self._named)}")
            if not isinstance(label, str):
                raise TypeError(f"label for {name!r} must be a string, got {label!r}")
            new[by_name[name]] = label
        self._check_labels(new)
        for p, label in new.items():
            p.label = label
        return self

    def _pattern_labels(self, pattern: str, what: str) -> dict[Value, str]:
        out = {}
        for l, j, n in self._units():
            if what == "weight":
                for i, w in enumerate(n.w, 1):
                    out[w] = format_label(pattern, what, PARAM_FIELDS,
                                          l=l, l0=l - 1, j=j, j0=j - 1, i=i, i0=i - 1)
            elif n.b in self._shared:
                try:
                    out[n.b] = pattern.format(l=l, l0=l - 1)
                except (KeyError, IndexError, ValueError):
                    raise ValueError(f"bias pattern {pattern!r}: layer {l}'s neurons share one "
                                     f"bias: its label pattern may use only l, l0") from None
            elif n.b is not None:
                out[n.b] = format_label(pattern, what, NODE_FIELDS, l=l, l0=l - 1, j=j, j0=j - 1)
        return out

    def _grid_labels(self, spec, what: str) -> dict[Value, str]:
        """Labels from nested lists shaped exactly like the weights (or biases)."""
        leaves: dict[tuple[int, ...], Value | None] = {}
        for l, j, n in self._units():
            if what == "weight":
                for i, w in enumerate(n.w, 1):
                    leaves[self._grid_key(l, j, i)] = w
            elif n.b in self._shared:  # one label in its layer's place
                leaves[self._grid_key(l, j, None)[:-1]] = n.b
            else:
                leaves[self._grid_key(l, j, None)] = n.b
        sizes: dict[tuple[int, ...], int] = {}
        for key in leaves:
            for d in range(len(key)):
                sizes[key[:d]] = max(sizes.get(key[:d], 0), key[d])
        out: dict[Value, str] = {}

        def walk(node, key: tuple[int, ...]) -> None:
            where = "".join(f"[{k}]" for k in key)
            if node is None:
                return
            if key in leaves:
                if leaves[key] in self._shared and not isinstance(node, str):
                    raise ValueError(f"{what} labels{where}: layer {self._shared[leaves[key]]}'s "
                                     f"neurons share one bias: give it one label, got {node!r}")
                if not isinstance(node, str):
                    raise ValueError(f"{what} label{where} must be a string or None, got {node!r}")
                if leaves[key] is None:
                    raise ValueError(f"{what} label{where} = {node!r}, but that neuron has no bias")
                out[leaves[key]] = node
                return
            size = sizes[key]
            if isinstance(node, str) or not isinstance(node, Sequence) or len(node) != size:
                raise ValueError(f"{what} labels{where}: expected a list of {size} entries "
                                 f"(the labels mirror the shape of the {what}s), got {node!r}")
            for k, child in enumerate(node, 1):
                walk(child, key + (k,))

        walk(spec, ())
        return out

    def _node_label_owners(self) -> list[tuple[str, str]]:
        """(owner, label) of labelled forward-pass nodes, if the model has any."""
        return []

    def _check_labels(self, new: Mapping[Value, str]) -> None:
        name_of = {p: name for name, p in self._named}
        check_labels([(name_of[p], new.get(p, p.label)) for p in self._params
                      if new.get(p, p.label) is not None] + self._node_label_owners())

    # -- summary ---------------------------------------------------------------
    @abstractmethod
    def _summary_rows(self) -> list[tuple[int, int, str, int, int]]:
        """(nin, nout, activation name, #weights, #biases) per layer."""

    def summary(self) -> Summary:
        """Layers, hidden layers and parameter counts (per layer and total)."""
        rows = self._summary_rows()
        layers = tuple(
            LayerSummary(k, "output" if k == len(rows) else "hidden", nin, nout, act, nw, nb)
            for k, (nin, nout, act, nw, nb) in enumerate(rows, 1))
        return Summary(type(self).__name__, rows[0][0], layers)
