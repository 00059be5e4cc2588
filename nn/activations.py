"""Activation functions by name: what a layer puts on top of its z's.

Each activation is one engine op per unit (`z.sigmoid()` …), so a neuron's
output is exactly two nodes, z and a, as a homework draws it.  Softmax is the
exception: it needs all of a layer's z's at once, so it is *layerwise* and
only a `Layer` (not a lone `Neuron`) can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Union

from autograd import Value, softmax
from autograd.ops import LEAKY_RELU_SLOPE


@dataclass(frozen=True)
class Activation:
    """An activation: `unit` maps one z to one a (None: identity, a = z);
    `layer` maps all of a layer's z's to its a's (softmax)."""

    name: str
    unit: Callable[[Value], Value] | None = None
    layer: Callable[[list[Value]], list[Value]] | None = None

    @property
    def is_identity(self) -> bool:
        return self.unit is None and self.layer is None

    def __str__(self) -> str:
        return self.name


def leaky_relu(slope: float = LEAKY_RELU_SLOPE) -> Activation:
    """Leaky ReLU with a chosen slope for z < 0 (the name alone gives the engine's default)."""
    if isinstance(slope, bool) or not isinstance(slope, (int, float)):
        raise TypeError(f"leaky_relu slope must be a number, got {slope!r}")
    slope = float(slope)
    name = "leaky_relu" if slope == LEAKY_RELU_SLOPE else f"leaky_relu({slope:g})"
    return Activation(name, lambda z: z.leaky_relu(slope))


IDENTITY = Activation("identity")
ACTIVATIONS: dict[str, Activation] = {
    "identity": IDENTITY,
    "sigmoid": Activation("sigmoid", Value.sigmoid),
    "tanh": Activation("tanh", Value.tanh),
    "relu": Activation("relu", Value.relu),
    "leaky_relu": leaky_relu(),
    "softmax": Activation("softmax", layer=softmax),
}
_ALIASES = {"linear": "identity", "none": "identity"}

ActivationLike = Union[str, Activation, None]


def get_activation(spec: ActivationLike) -> Activation:
    """An `Activation` from a name, an `Activation`, or None (identity).

    Names: identity (also "linear"), sigmoid, tanh, relu, leaky_relu, softmax.
    """
    if spec is None:
        return IDENTITY
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, str):
        key = _ALIASES.get(spec.lower(), spec.lower())
        if key in ACTIVATIONS:
            return ACTIVATIONS[key]
    valid = ", ".join(list(ACTIVATIONS) + ["None"])
    raise ValueError(f"unknown activation {spec!r}; valid activations: {valid} "
                     f"(or nn.leaky_relu(slope) / an nn.Activation)")
