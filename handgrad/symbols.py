"""What a document's symbol means: an engine label, a derivative of labels,
a given number, or nothing (never guessed).

The lookup order is the problem's `[notation]` (keys read by the reading
rule), then the problem's own labels.  `∂A/∂B` (or `dA/dB`) means the
derivative of A's node by B's node, as `check(grads=...)` understands
"dA/dB".  A label with `{k}` is per-sample: entry k of a column vector.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from autograd.notation import derivative_name

from .tree import Deriv, Sym, symbol_text
from .problem import Part, for_sample, per_sample


@dataclass(frozen=True)
class Quantity:
    """A quantity the engine knows.  `key` is how `check` names it (a label,
    or "dTop/dBottom"); `name` how reports show it."""

    kind: str            # "value", "derivative" or "given"
    key: str
    name: str
    top: str = ""        # for derivatives
    bottom: str = ""
    given: Fraction | None = None

    @property
    def per_sample(self) -> bool:
        return per_sample(self.key)

    def sample(self, k: int) -> "Quantity":
        return Quantity(self.kind, for_sample(self.key, k), for_sample(self.name, k),
                        for_sample(self.top, k), for_sample(self.bottom, k), self.given)


def _label(name: str, part: Part) -> tuple[str | Fraction | None, str]:
    """A symbol name → (label or given number, how), or (None, why not)."""
    if name in part.notation:
        return part.notation[name], "notation"
    if part.is_label(name):
        return name, "label"
    if name in part.families:
        return part.families[name], "per sample"
    return None, f"{_shown(name)} names nothing in the problem (add it to [notation])"


def _shown(name: str) -> str:
    return f"'{name}'"


def resolve(node, part: Part) -> Quantity | str:
    """The quantity a Sym or Deriv stands for, or the reason it has none."""
    text = symbol_text(node)
    if text is not None and text in part.notation and isinstance(node, Deriv):
        target = part.notation[text]
        if isinstance(target, Fraction):
            return Quantity("given", text, text, given=target)
        return from_key(target, part)
    if isinstance(node, Sym):
        target, how = _label(node.name, part)
        if target is None:
            return how
        if isinstance(target, Fraction):
            return Quantity("given", node.name, node.name, given=target)
        return from_key(target, part)
    top, how_top = _label(node.top, part) if node.top else (part.root_name, "root")
    bottom, how_bottom = _label(node.bottom, part)
    top, bottom = (part.families.get(x, x) if isinstance(x, str) and not part.is_label(x)
                   else x for x in (top, bottom))  # "yhat" of [notation]: yhat[1], yhat[2], …
    if top is None or bottom is None or isinstance(top, Fraction) or \
            isinstance(bottom, Fraction):
        if node.letter_d:
            return f"'d{node.top}/d{node.bottom}' is neither a derivative of labels nor a symbol"
        why = how_top if top is None else how_bottom if bottom is None else \
            "a derivative of a given number"
        return why
    return Quantity("derivative", f"d{top}/d{bottom}", derivative_name(top, bottom), top, bottom)


def from_key(key: str, part: Part) -> Quantity:
    """A notation target: a label, or "dA/dB" between labels; a per-sample
    node may be named without its sample ("h1" for h1[1], h1[2], ...)."""
    def label(name: str) -> str:
        return name if part.is_label(name) else part.families.get(name, name)

    if "/" in key and key[:1] in "d∂":
        top, _, bottom = key.partition("/")
        top, bottom = label(top[1:]), label(bottom.lstrip("d∂"))
        return Quantity("derivative", f"d{top}/d{bottom}", derivative_name(top, bottom),
                        top, bottom)
    key = label(key)
    return Quantity("value", key, key)


def engine_value(q: Quantity, part: Part) -> float:
    """The engine's number for a (per-sample filled) quantity."""
    if q.kind == "given":
        return float(q.given)
    if q.kind == "value":
        return part.value(q.key)
    return part.derivative(q.top, q.bottom)


def known(q: Quantity, part: Part) -> str | None:
    """None if the engine has this quantity, else why not."""
    if q.kind == "given":
        return None
    labels = [q.key] if q.kind == "value" else [q.top, q.bottom]
    for label in labels:
        if not part.is_label(label):
            return f"'{label}' is not a label of the problem"
    return None
