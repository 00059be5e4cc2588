"""A problem given as a network: its layers as the homework writes them,
the samples, the targets and the loss, built with `nn`.

    [[problem.layers]]
    weights = [[0.2, 0.1], [0.1, 0.2]]   # W[out][in]
    activation = "sigmoid"
    [problem]
    inputs = [0.2, 0.5]
    targets = [1, 0]
    loss = "half_sse"

The loss names are `nn.LOSSES`; several samples combine by mean or sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import nn
from autograd import Value, mean, ops, vsum
from autograd.graph import forward_order

from .network_labels import LayerSpec, NetworkLabels, read_labels
from .sheet_format import LABELS, LAYER, NETWORK
from .toml_data import SheetError, read_array, read_number, read_lr, read_string, read_table
from .usage import did_you_mean

COMBINE = {"mean": mean, "sum": vsum}
"""How the per-sample losses of several samples make the loss."""


@dataclass(frozen=True)
class NetworkProblem:
    layers: list[LayerSpec]
    inputs: list[list[float]]    # [sample][in]
    targets: list[list[float]]   # [sample][out]
    loss: str
    combine: str | None
    labels: NetworkLabels
    lr: float | None


def _samples(x, key: str, what: str) -> list[list[float]]:
    """One sample ([x1, x2] or a lone number) or several ([[x1, x2], ...])."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return [[read_number(x, key)]]
    rows = read_array(x, key, f"a list of {what}s (one sample) or a list of such lists "
                          f"(several samples)")
    if all(isinstance(r, list) for r in rows):
        out = [[read_number(v, f"{key}[{s}][{c}]") for c, v in
                enumerate(read_array(r, f"{key}[{s}]", f"a list of {what}s"), 1)]
               for s, r in enumerate(rows, 1)]
        widths = {len(r) for r in out}
        if len(widths) > 1:
            raise SheetError(key, f"every sample needs the same number of {what}s, got "
                                  f"{', '.join(str(len(r)) for r in out)}")
        return out
    if any(isinstance(r, list) for r in rows):
        raise SheetError(key, f"mixes numbers and lists: write one sample as [{what}s] and "
                              f"several as [[{what}s], [{what}s], ...]")
    return [[read_number(v, f"{key}[{c}]") for c, v in enumerate(rows, 1)]]


def _matrix(x, key: str, nin: int, why: str, hint: str = "") -> list[list[float]]:
    expected = (f"expected rows of {nin} number{'s' * (nin != 1)} (W[out][in]: one row per "
                f"neuron, one number per input; {why})")
    rows = read_array(x, key, f"a matrix W[out][in] (a list of rows); {expected}")
    if not all(isinstance(r, list) for r in rows):
        raise SheetError(key, f"{expected}, got a flat list {rows!r}: write one neuron's weights "
                              f"as [[...]]")
    widths = [len(r) for r in rows]
    if any(w != nin for w in widths):
        got = (f"a {len(rows)} × {widths[0]} matrix" if len(set(widths)) == 1
               else f"{len(rows)} rows of {', '.join(map(str, widths))} numbers")
        raise SheetError(key, f"{expected}, got {got}{hint}")
    return [[read_number(v, f"{key}[{r}][{c}]") for c, v in enumerate(row, 1)]
            for r, row in enumerate(rows, 1)]


def _activation(x, key: str) -> str:
    x = read_string(x, key, f"an activation name ({', '.join(nn.ACTIVATIONS)})")
    try:
        nn.get_activation(x)
    except ValueError:
        raise SheetError(key, f"unknown activation {x!r}{did_you_mean(x, nn.ACTIVATIONS)}; "
                              f"the activations are "
                              f"{', '.join(nn.ACTIVATIONS)} (or linear/none)") from None
    return x


def read_network_problem(t: dict) -> NetworkProblem:
    read_table(t, "problem", NETWORK)
    inputs = _samples(t["inputs"], "problem.inputs", "input")
    n_samples, nin = len(inputs), len(inputs[0])
    layers: list[LayerSpec] = []
    why = f"each sample in problem.inputs has {nin}"
    tables = read_array(t["layers"], "problem.layers", "[[problem.layers]] tables")
    for l, lt in enumerate(tables, 1):
        key = f"problem.layers[{l}]"
        read_table(lt, key, LAYER)
        hint = ""
        if l == 1 and n_samples == 1 and nin > 1 and isinstance(lt["weights"], list) and all(
                isinstance(r, list) and len(r) == 1 for r in lt["weights"]):
            hint = (f" (for {nin} samples of one input write inputs as "
                    f"[[x], [x], ...], one list per sample)")
        W = _matrix(lt["weights"], f"{key}.weights", nin, why, hint)
        b = None
        if isinstance(lt.get("biases"), (int, float)) and not isinstance(lt["biases"], bool):
            b = read_number(lt["biases"], f"{key}.biases")  # one bias its neurons share
        elif "biases" in lt:
            b = [read_number(v, f"{key}.biases[{j}]") for j, v in
                 enumerate(read_array(lt["biases"], f"{key}.biases", "one number per neuron, "
                                      "or one number that its neurons share"), 1)]
            if len(b) != len(W):
                raise SheetError(f"{key}.biases", f"expected {len(W)} numbers (one per neuron: "
                                                  f"weights has {len(W)} rows), got {len(b)}")
        layers.append(LayerSpec(W, b, _activation(lt["activation"], f"{key}.activation")))
        nin, why = len(W), f"layer {l} has {len(W)} outputs"
    nout = nin
    targets = _samples(t["targets"], "problem.targets", "target")
    if len(targets) != n_samples or len(targets[0]) != nout:
        def shape(n, w):
            return f"{n} sample{'s' * (n != 1)} of {w} number{'s' * (w != 1)}"
        hint = (" (write several samples as [[y], [y], ...], one list per sample)"
                if n_samples > 1 and len(targets) == 1 else "")
        raise SheetError("problem.targets", f"expected {shape(n_samples, nout)} (one per output "
                                            f"of the last layer, for each sample in "
                                            f"problem.inputs), got "
                                            f"{shape(len(targets), len(targets[0]))}{hint}")
    loss = read_string(t["loss"], "problem.loss", "a loss name")
    if loss not in nn.LOSSES:
        raise SheetError("problem.loss", f"unknown loss {loss!r}{did_you_mean(loss, nn.LOSSES)}"
                                         f"; the losses are "
                                         f"{', '.join(nn.LOSSES)}")
    combine = None
    if "combine" in t:
        combine = read_string(t["combine"], "problem.combine", "mean or sum")
        if combine not in COMBINE:
            raise SheetError("problem.combine", f"expected mean or sum, got {combine!r}")
        if n_samples == 1:
            raise SheetError("problem.combine", "there is one sample: nothing to combine")
    elif n_samples > 1:
        raise SheetError("problem.combine", f"missing: with {n_samples} samples, say how their "
                                            f"losses combine (mean or sum)")
    labels = read_labels(read_table(t.get("labels", {}), "problem.labels", LABELS), layers,
                         n_samples, loss)
    return NetworkProblem(layers, inputs, targets, loss, combine, labels, read_lr(t))


def _residual(loss: Value, prediction: Value, target: float) -> Value:
    """The node ŷ − y of one output inside a residual loss: the subtraction
    whose arguments are exactly this prediction and this target."""
    found = [v for v in forward_order(loss) if v.op is not None and v.op.base is ops.SUB
             and len(v.args) == 2 and v.args[0] is prediction and v.args[1] == target]
    if len(found) != 1:  # nn's residual losses compute each ŷ − y once
        raise SheetError("problem.labels.errors", f"cannot find ŷ − y in the loss "
                                                  f"({len(found)} candidates)")
    return found[0]


def build_network(p: NetworkProblem) -> tuple[Value, nn.MLP]:
    biases = [layer.biases for layer in p.layers]
    model = nn.MLP.from_weights([layer.weights for layer in p.layers],
                                None if all(b is None for b in biases) else biases,
                                activations=[layer.activation for layer in p.layers])
    labels = p.labels
    model.relabel(weights=labels.weights, biases=labels.biases)
    loss_fn = nn.LOSSES[p.loss]
    per_sample = []
    for k, (x, y) in enumerate(zip(p.inputs, p.targets)):
        model.label_nodes(x=labels.inputs[k], z=labels.z[k], a=labels.a[k])
        out = model(x)
        outs = out if isinstance(out, list) else [out]
        try:
            sample_loss = loss_fn(outs, y)
        except ValueError as e:
            raise SheetError("problem.loss", str(e)) from None
        for j, label in enumerate(labels.errors[k] or ()):
            _residual(sample_loss, outs[j], y[j]).named(label)
        per_sample.append(sample_loss)
    model.label_nodes()
    root = per_sample[0] if len(per_sample) == 1 else COMBINE[p.combine](per_sample)
    return root.named(labels.loss), model
