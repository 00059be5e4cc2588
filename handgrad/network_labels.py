"""The labels of a network problem: patterns and lists that mirror its layers.

A homework names weights w(0)10 or W³11, nodes z10 and a21; a sheet says so
with patterns (`weights = "w({l0}){i}{j0}"`, fields only from a fixed list,
1-based l, j, i, k and 0-based l0, j0, i0, k0) or with nested lists shaped
like the weights.  Every label is formatted and checked here, before any
graph is built, so that each label names exactly one node.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter

import nn

from .toml_data import SheetError, kind_of, read_array, read_label, read_pattern

_PARAM_FIELDS = ("l", "l0", "j", "j0", "i", "i0")
_BIAS_FIELDS = ("l", "l0", "j", "j0")
_INPUT_FIELDS = ("i", "i0", "k", "k0")
_NODE_FIELDS = ("l", "l0", "j", "j0", "k", "k0")
_ERROR_FIELDS = ("j", "j0", "k", "k0")


@dataclass(frozen=True)
class LayerSpec:
    """One layer as the homework states it."""

    weights: list[list[float]]   # W[out][in]
    biases: list[float] | float | None  # one per neuron, one its neurons share, or none
    activation: str

    @property
    def shared_bias(self) -> bool:
        return isinstance(self.biases, float)


@dataclass(frozen=True)
class NetworkLabels:
    """Every label, already formatted: parameters per layer, nodes per sample."""

    weights: list[list[list[str | None]]]      # [layer][out][in]
    biases: list[list[str | None] | str | None]  # [layer][out]; a shared bias: one label
    inputs: list[list[str] | None]             # [sample][in]
    z: list[list[list[str] | None]]            # [sample][layer][out]
    a: list[list[list[str] | None]]
    errors: list[list[str] | None]             # [sample][out]
    loss: str


def _fmt(pattern: str, **fields: int) -> str | None:
    """A validated pattern filled in; "" means no label."""
    return pattern.format(**fields) or None


@dataclass(frozen=True)
class _Shared:
    """In a shape of labels: one bias that all the neurons of `layer` share."""

    layer: int


def _grid(spec, key: str, shape: list, fields: tuple[str, ...], fill) -> list:
    """Nested lists of labels mirroring `shape` (nested lists of sizes, None
    where nothing can be labelled, `_Shared` where one label names a shared
    bias); "" is no label.  A pattern fills all."""
    if isinstance(spec, str):
        read_pattern(spec, key, fields)
        return fill(spec)

    def walk(node, size, where):
        if isinstance(size, _Shared):
            if not isinstance(node, str):
                raise SheetError(where, f"layer {size.layer}'s neurons share one bias: give it "
                                        f"one label, got {kind_of(node)}")
            return read_label(node, where) if node != "" else None
        if size is None:
            if node != "":
                raise SheetError(where, "nothing to label here (a layer without biases): "
                                        'write ""')
            return None
        if isinstance(size, int):  # a list of labels
            if node == "":
                return [None] * size
            items = read_array(node, where, f"{size} labels")
            if len(items) != size:
                raise SheetError(where, f"expected {size} labels, got {len(items)}")
            return [read_label(s, f"{where}[{c}]") if s != "" else None
                    for c, s in enumerate(items, 1)]
        items = read_array(node, where,
                           f"a list of {len(size)} entries (labels mirror the weights)")
        if len(items) != len(size):
            raise SheetError(where, f"expected {len(size)} entries, got {len(items)}")
        return [walk(n, s, f"{where}[{c}]") for c, (n, s) in enumerate(zip(items, size), 1)]

    return walk(spec, shape, key)


def _per_layer(spec, key: str, layers: list[LayerSpec], k: int, what: str) -> list:
    """z or a labels of sample k: per layer a list of names or None."""
    out = []
    entries = spec if isinstance(spec, list) else [spec] * len(layers)
    for l, (entry, layer) in enumerate(zip(entries, layers), 1):
        where = f"{key}[{l}]" if isinstance(spec, list) else key
        nout = len(layer.weights)
        identity = nn.get_activation(layer.activation).is_identity
        if entry is None or entry == "":
            out.append(None)
            continue
        if what == "a" and identity:
            if isinstance(spec, list):
                raise SheetError(where, f'layer {l} has no activation: its output is its z, so '
                                        f'name it in z (write "" here)')
            out.append(None)
            continue
        if isinstance(entry, str):
            names = [_fmt(entry, l=l, l0=l - 1, j=j, j0=j - 1, k=k, k0=k - 1)
                     for j in range(1, nout + 1)]
        else:
            names = [_fmt(s, l=l, l0=l - 1, j=j, j0=j - 1, k=k, k0=k - 1)
                     for j, s in enumerate(entry, 1)]
        if all(n is None for n in names):
            names = None
        elif None in names:
            raise SheetError(where, "label every neuron of a layer, or none")
        out.append(names)
    return out


def _check_per_layer(spec, key: str, layers: list[LayerSpec]) -> None:
    if isinstance(spec, str):
        read_pattern(spec, key, _NODE_FIELDS)
        return
    entries = read_array(spec, key, f"a pattern or a list with one entry per layer ({len(layers)})")
    if len(entries) != len(layers):
        raise SheetError(key, f"expected one entry per layer ({len(layers)}), got {len(entries)}")
    for l, (entry, layer) in enumerate(zip(entries, layers), 1):
        where = f"{key}[{l}]"
        if isinstance(entry, str):
            read_pattern(entry, where, _NODE_FIELDS)
            continue
        items = read_array(entry, where, f'a pattern, "" or {len(layer.weights)} labels')
        if len(items) != len(layer.weights):
            raise SheetError(where, f"expected {len(layer.weights)} labels (one per neuron), "
                                    f"got {len(items)}")
        for j, s in enumerate(items, 1):
            read_pattern(s, f"{where}[{j}]", _NODE_FIELDS)


def _vector_labels(spec, key: str, n: int, fields: tuple[str, ...], what: str) -> list[str]:
    """inputs or errors: a pattern, or one pattern per entry."""
    if isinstance(spec, str):
        return [read_pattern(spec, key, fields)] * n
    items = read_array(spec, key, f"a pattern or {n} labels (one per {what})")
    if len(items) != n:
        raise SheetError(key, f"expected {n} labels (one per {what}), got {len(items)}")
    return [read_pattern(s, f"{key}[{c}]", fields) for c, s in enumerate(items, 1)]


def _check_shared_pattern(spec, key: str, layers: list[LayerSpec]) -> None:
    """A bias pattern names a shared bias by its layer alone."""
    if not isinstance(spec, str):
        return
    fields = {f for _, f, _, _ in Formatter().parse(read_pattern(spec, key, _BIAS_FIELDS)) if f}
    for l, layer in enumerate(layers, 1):
        if layer.shared_bias and fields - {"l", "l0"}:
            raise SheetError(key, f"layer {l}'s neurons share one bias: its label pattern may "
                                  f"use only {{l}} and {{l0}}, got {spec!r}")


def read_labels(t: dict, layers: list[LayerSpec], n_samples: int, loss: str) -> NetworkLabels:
    key = "problem.labels"
    nin = len(layers[0].weights[0])
    nout = len(layers[-1].weights)
    wshape = [[len(row) for row in layer.weights] for layer in layers]
    bshape = [_Shared(l) if layer.shared_bias else len(layer.weights)
              if layer.biases is not None else None for l, layer in enumerate(layers, 1)]
    _check_shared_pattern(t.get("biases", ""), f"{key}.biases", layers)
    weights = _grid(t.get("weights", ""), f"{key}.weights", wshape, _PARAM_FIELDS, lambda p: [
        [[_fmt(p, l=l, l0=l - 1, j=j, j0=j - 1, i=i, i0=i - 1) for i in range(1, len(row) + 1)]
         for j, row in enumerate(layer.weights, 1)] for l, layer in enumerate(layers, 1)])
    biases = _grid(t.get("biases", ""), f"{key}.biases", bshape, _BIAS_FIELDS, lambda p: [
        None if layer.biases is None else _fmt(p, l=l, l0=l - 1) if layer.shared_bias else
        [_fmt(p, l=l, l0=l - 1, j=j, j0=j - 1) for j in range(1, len(layer.weights) + 1)]
        for l, layer in enumerate(layers, 1)])
    xs = _vector_labels(t["inputs"], f"{key}.inputs", nin, _INPUT_FIELDS, "input") \
        if "inputs" in t else None
    for what in ("z", "a"):
        if what in t:
            _check_per_layer(t[what], f"{key}.{what}", layers)
    errors = None
    if "errors" in t:
        if loss not in nn.RESIDUAL_LOSSES:
            raise SheetError(f"{key}.errors",
                             f"the loss {loss} is not built on ŷ − y; errors can be labelled "
                             f"for {', '.join(nn.RESIDUAL_LOSSES)}")
        errors = _vector_labels(t["errors"], f"{key}.errors", nout, _ERROR_FIELDS, "output")
    root = read_label(t.get("loss", "L"), f"{key}.loss")

    inputs, zs, as_, errs = [], [], [], []
    for k in range(1, n_samples + 1):
        inputs.append(None if xs is None else
                      [_fmt(p, i=i, i0=i - 1, k=k, k0=k - 1) for i, p in enumerate(xs, 1)])
        if inputs[-1] is not None and None in inputs[-1]:
            raise SheetError(f"{key}.inputs", "label every input, or none")
        zs.append(_per_layer(t.get("z"), f"{key}.z", layers, k, "z"))
        as_.append(_per_layer(t.get("a"), f"{key}.a", layers, k, "a"))
        errs.append(None if errors is None else
                    [_fmt(p, j=j, j0=j - 1, k=k, k0=k - 1) for j, p in enumerate(errors, 1)])
        if errs[-1] is not None and None in errs[-1]:
            raise SheetError(f"{key}.errors", "label every output's error, or none")
    labels = NetworkLabels(weights, biases, inputs, zs, as_, errs, root)
    _unique(labels, layers, n_samples)
    return labels


def _unique(labels: NetworkLabels, layers: list[LayerSpec], n_samples: int) -> None:
    """Every label names one node, so an answer means one number."""
    owners: dict[str, tuple[str, str]] = {}

    def own(label, owner: str, field: str) -> None:
        if label is None:
            return
        if label in owners:
            first, first_field = owners[label]
            hint = (" (with several samples, put {k} in the node patterns)"
                    if n_samples > 1 and "sample" in owner else "")
            raise SheetError(f"problem.labels.{field}",
                             f"{label!r} would label both {first} and {owner}; each label must "
                             f"name one node{hint}")
        owners[label] = (owner, field)

    for l, layer in enumerate(layers, 1):
        for j in range(1, len(layer.weights) + 1):
            for i in range(1, len(layer.weights[j - 1]) + 1):
                own(labels.weights[l - 1][j - 1][i - 1] or f"L{l}.n{j}.w{i}",
                    f"the weight L{l}.n{j}.w{i}", "weights")
            if labels.biases[l - 1] is not None and not layer.shared_bias:
                own(labels.biases[l - 1][j - 1] or f"L{l}.n{j}.b", f"the bias L{l}.n{j}.b",
                    "biases")
        if layer.shared_bias:
            own(labels.biases[l - 1] or f"L{l}.b", f"the bias L{l}.b", "biases")
    for k in range(n_samples):
        sample = f" (sample {k + 1})" if n_samples > 1 else ""
        for i, s in enumerate(labels.inputs[k] or (), 1):
            own(s, f"input {i}{sample}", "inputs")
        for what, per_layer in (("z", labels.z[k]), ("a", labels.a[k])):
            for l, names in enumerate(per_layer, 1):
                for j, s in enumerate(names or (), 1):
                    own(s, f"{what} of layer {l} neuron {j}{sample}", what)
        for j, s in enumerate(labels.errors[k] or (), 1):
            own(s, f"the error of output {j}{sample}", "errors")
    own(labels.loss, "the loss", "loss")
