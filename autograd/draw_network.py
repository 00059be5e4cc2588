"""Where a model's neurons are in a graph, for drawings grouped by neuron.

A graph does not know which of its nodes are a network's weights; `draw` is
told (`model=`), reads the parameter names ("L2.n1.w3") and from them finds
each neuron's z and activation, the passes of a batch (one per sample, all
reading the same parameters), and for a collapsed view which box each node
goes into.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import ops
from .value import Value

# MLP names "L2.n1.w3", Layer names "n1.w3", Neuron names "w3" (and "…b");
# "L1.b" is a bias that all the neurons of layer 1 share
_PARAM_NAME = re.compile(r"(?:L(\d+)\.)?(?:n(\d+)\.)?(?:w\d+|b)")


def model_params(model) -> dict[Value, str]:
    """Parameter → its name in `model.named_parameters()`, names checked."""
    if not callable(getattr(model, "named_parameters", None)):
        raise TypeError(f"model must have named_parameters() (an nn model), "
                        f"got {type(model).__name__}")
    names: dict[Value, str] = {}
    for item in model.named_parameters():
        name, p = item
        if not isinstance(p, Value):
            raise TypeError(f"model.named_parameters() gave {name!r} = {p!r}, not a Value")
        if not isinstance(name, str) or not _PARAM_NAME.fullmatch(name):
            raise ValueError(f"model.named_parameters() gave the name {name!r}: expected "
                             f"'L<layer>.n<neuron>.w<input>', 'L<layer>.n<neuron>.b' or "
                             f"'L<layer>.b' (or 'n<neuron>.…' for a layer, 'w<input>'/'b' "
                             f"for a neuron)")
        names[p] = name
    return names


Use = tuple[int, int, int]
"""One use of a neuron: (pass, layer, neuron), all 1-based."""


@dataclass
class Network:
    """Where a model's neurons are in one graph.

    A model can run several times in one graph (a batch: one forward pass per
    sample, every pass reading the same parameters), so a neuron has one *use*
    per pass: its own `linear` node z and activation.  Passes are numbered in
    forward order, so the first sample of a batch is pass 1.
    """

    passes: int
    unit: dict[Value, Use]  # z, activation, output k of a softmax → its use
    output: dict[Use, Value]  # each use's output: its activation, else its z
    readers: dict[Value, set[Use]]  # parameter → the uses that read it


def consumers_of(order: list[Value]) -> dict[Value, list[Value]]:
    """Node → the nodes that read it, each once, in forward order."""
    out: dict[Value, list[Value]] = {}
    for v in order:
        for p in dict.fromkeys(v.parents):
            out.setdefault(p, []).append(v)
    return out


def find_network(order: list[Value], consumers: dict[Value, list[Value]],
             param_names: dict[Value, str]) -> Network:
    """Find each neuron's uses and gather them into passes.

    A use is a `linear` node whose parameter parents are all one neuron's,
    plus the one node applied to it alone (its activation) or output k of a
    layer-wide op over its layer's z's (softmax).  Two uses belong to the same
    pass when data flows from one layer to the next (layer l reads layer
    l − 1's outputs), when they sit under one layer-wide op, or when neurons
    of one layer read the very same inputs (the first layer, whose inputs may
    be plain numbers); never when that would run one neuron twice in a pass.
    """
    neuron_of = {p: neuron_key(name) for p, name in param_names.items()
                 if neuron_key(name) is not None}  # a layer's shared bias is no one neuron's
    zs: dict[Value, tuple[int, int]] = {}  # each use's z → its neuron (layer, index)
    out: dict[Value, Value] = {}  # z → the use's output
    for v in order:
        if v.op is None or v.op.base is not ops.LINEAR:  # a variant too: linear(w, [0.3])
            continue
        keys = {neuron_of[p] for p in v.parents if p in neuron_of}
        if len(keys) == 1:
            zs[v] = keys.pop()
            users = consumers.get(v, ())
            out[v] = users[0] if len(users) == 1 and _is_activation(users[0], v) else v
    layerwide = []
    for v in order:
        k = v.op.index if v.op is not None else None
        if (k is not None and k < len(v.parents) and all(p in zs for p in v.parents)
                and len({zs[p][0] for p in v.parents}) == 1 and out[v.parents[k]] is v.parents[k]):
            out[v.parents[k]] = v
            layerwide.append(v)

    root = {z: z for z in zs}  # union-find over uses: a root stands for a pass
    neurons = {z: {zs[z]} for z in zs}  # at a root: the neurons its pass runs

    def find(z: Value) -> Value:
        while root[z] is not z:
            root[z] = root[root[z]]
            z = root[z]
        return z

    def join(a: Value, b: Value) -> None:
        a, b = find(a), find(b)
        if a is not b and not neurons[a] & neurons[b]:
            root[b] = a
            neurons[a] |= neurons.pop(b)

    for v in layerwide:
        for p in v.parents:
            join(v.parents[0], p)
    home = {o: z for z, o in out.items()}  # a use's output → its z
    for z, (layer, _) in zs.items():
        for p in z.parents:
            if p in home and zs[home[p]][0] == layer - 1:
                join(home[p], z)
    same_inputs: dict[tuple, list[Value]] = {}
    for z, (layer, _) in zs.items():
        inputs = tuple(("value", id(a)) if isinstance(a, Value) else ("number", a)
                       for a in z.args if not (isinstance(a, Value) and a in neuron_of))
        same_inputs.setdefault((layer, inputs), []).append(z)
    for group in same_inputs.values():
        for i, z in enumerate(group):
            for earlier in group[:i]:
                join(earlier, z)

    number: dict[Value, int] = {}
    net = Network(0, {}, {}, {})
    for z, (layer, j) in zs.items():  # forward order: pass 1 comes first
        use = (number.setdefault(find(z), len(number) + 1), layer, j)
        net.unit[z] = net.unit[out[z]] = use
        net.output[use] = out[z]
        for p in z.parents:
            if p in param_names:
                net.readers.setdefault(p, set()).add(use)
    net.passes = len(number)
    return net


def neuron_key(name: str) -> tuple[int, int] | None:
    """(layer, neuron) of a parameter's name; None for a layer's shared bias."""
    m = _PARAM_NAME.fullmatch(name)
    if m.group(1) and not m.group(2):
        return None
    return int(m.group(1) or 1), int(m.group(2) or 1)


def _is_activation(a: Value, z: Value) -> bool:
    """A function of z alone (σ, tanh, ReLU, …); leaky ReLU's other argument
    is its slope, a hyperparameter, so it counts too."""
    return a.parents == (z,) and (len(a.args) == 1 or a.op.base is ops.LEAKY_RELU)


def collapsed(net: Network, consumers: dict[Value, list[Value]],
               collapse: str) -> tuple[dict[Value, tuple[int, ...]], set[Value]]:
    """(node → its box, hidden parameters) for a collapsed view.

    A box is a use (pass, layer, neuron) or a pass's layer (pass, layer).  A
    parameter read only inside one box goes into it; one read by several
    boxes (the same weight in every sample's pass) is hidden like the inside
    of a box; one also read outside the boxes stays a card of its own.
    """
    def box(use: Use) -> tuple[int, ...]:
        return use if collapse == "neuron" else use[:2]

    groups = {v: box(use) for v, use in net.unit.items()}
    hidden: set[Value] = set()
    for p, uses in net.readers.items():
        if all(c in net.unit for c in consumers[p]):
            boxes = {box(use) for use in uses}
            if len(boxes) == 1:
                groups[p] = boxes.pop()
            else:
                hidden.add(p)
    return groups, hidden
