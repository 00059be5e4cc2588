"""The one check every user-given number in nn goes through."""

from __future__ import annotations

import math
import numbers


def real(v, where: str) -> float:
    """`v` as a finite float, or an error naming `where` (bools are not numbers here)."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{where} must be a real number, got {v!r}")
    v = float(v)
    if not math.isfinite(v):
        raise ValueError(f"{where} must be finite, got {v}")
    return v
