"""Reading a sheet's TOML values, each checked where it stands.

Every reader takes the value and its key path (`problem.layers[2].weights`;
indices are 1-based, like layers) and returns the value or raises a
`SheetError` that names the path and says what was expected, in TOML's own
terms ("expected a number, got a string").  Nothing a sheet holds is ever
printed raw: control characters are refused.
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path
from string import Formatter

from autograd.errors import finite_number

from .sheet_format import Table
from .usage import did_you_mean
from .user_files import decode

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


class SheetError(ValueError):
    """A sheet that cannot be used: `key` is the key path of the offending
    part ("" for the file as a whole), `reason` what is wrong and expected."""

    def __init__(self, key: str, reason: str):
        self.key, self.reason = key, reason
        super().__init__(f"{key}: {reason}" if key else reason)


def parse_toml(text: str) -> dict:
    """TOML text as a dict; a SheetError for the whole file if it is not TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise SheetError("", f"not valid TOML: {e}") from None


def read_toml_file(path) -> tuple[dict, str]:
    """A .toml file (a path, or a Traversable from importlib.resources) as
    a dict, and the name messages call it (the file's stem).  OSError if it
    cannot be read, SheetError if it is not UTF-8 or not TOML."""
    source = path if hasattr(path, "read_bytes") else Path(path)
    try:
        text = decode(source.read_bytes())
    except ValueError as e:
        raise SheetError("", str(e)) from None
    return parse_toml(text), Path(source.name).stem


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # never printed: a sheet cannot drive the terminal


def key_path(path: str, key: str) -> str:
    """`path.key`, quoting the key as TOML does when it is not a bare key."""
    part = key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
    return f"{path}.{part}" if path else part


def kind_of(x) -> str:
    """What a TOML value is, for messages."""
    if isinstance(x, bool):
        return f"a boolean ({str(x).lower()})"
    if isinstance(x, int):
        return f"an integer ({x})"
    if isinstance(x, float):
        return f"a number ({x!r})"
    if isinstance(x, str):
        return f"a string ({json.dumps(x if len(x) <= 40 else x[:37] + '...', ensure_ascii=False)})"
    if isinstance(x, list):
        return f"an array of {len(x)}"
    if isinstance(x, dict):
        return "a table"
    return f"a date/time ({x})"


def read_table(x, key: str, spec: Table | None = None,
               required: tuple[str, ...] | None = None) -> dict:
    """A TOML table; with `spec` (a table of `sheet_format`) every key is
    checked against it and its required keys (or `required`) must be there."""
    if not isinstance(x, dict):
        raise SheetError(key, f"expected a table, got {kind_of(x)}")
    if spec is not None:
        allowed = spec.allowed()
        for k in x:
            if k not in allowed:
                takes = "; ".join(f"{name} ({what})" for name, what in allowed.items())
                raise SheetError(key_path(key, k), f"unknown key{did_you_mean(k, allowed)}; "
                                                   f"{spec.called or key} takes: {takes}")
        for k in spec.required if required is None else required:
            if k not in x:
                raise SheetError(key_path(key, k), f"missing: {allowed[k]}")
    return x


def read_array(x, key: str, what: str) -> list:
    if not isinstance(x, list):
        raise SheetError(key, f"expected {what}, got {kind_of(x)}")
    if not x:
        raise SheetError(key, f"expected {what}, got an empty array")
    return x


def read_number(x, key: str) -> float:
    """A TOML number, checked by the one number check (`autograd.errors`)."""
    try:
        return finite_number(x, key)
    except TypeError:
        hint = (": problem data are TOML numbers (0.5, not \"0.5\"); only hand answers are "
                "strings" if isinstance(x, str) else "")
        raise SheetError(key, f"expected a number, got {kind_of(x)}{hint}") from None
    except ValueError:  # inf, nan, or an integer beyond the floats
        shown = x if isinstance(x, float) else math.inf if x > 0 else -math.inf
        raise SheetError(key, f"expected a finite number, got {shown}") from None


def read_string(x, key: str, what: str = "a string") -> str:
    if not isinstance(x, str):
        raise SheetError(key, f"expected {what}, got {kind_of(x)}")
    if _CONTROL.search(x):
        raise SheetError(key, f"control characters (tabs, newlines, escapes) are not allowed "
                              f"here, got {x!r}")
    return x


def read_label(x, key: str) -> str:
    x = read_string(x, key, "a label (a string)")
    if not x or x != x.strip():
        raise SheetError(key, f"a label must be non-empty with no spaces around it, got {x!r}")
    return x


def read_pattern(x, key: str, fields: tuple[str, ...]) -> str:
    """A label pattern that may use only `fields` (plain {name}, nothing else:
    no attribute access, indexing, conversion or format spec)."""
    x = read_string(x, key, "a label pattern (a string)")
    allowed = ", ".join("{" + f + "}" for f in fields)
    try:
        parts = list(Formatter().parse(x))
    except ValueError as e:
        raise SheetError(key, f"bad pattern {x!r} ({e}); write {{{{ and }}}} for literal "
                              f"braces") from None
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in fields:
            raise SheetError(key, f"{{{field}}} in {x!r} is not a field here; the fields are "
                                  f"{allowed} (l, j, i, k are 1-based; l0, j0, i0, k0 0-based)")
        if spec or conversion:
            raise SheetError(key, f"write fields plainly, like {{{field}}}, in {x!r}")
    if x != x.strip():
        raise SheetError(key, f"a label must have no spaces around it, got {x!r}")
    return x


def read_lr(t: dict) -> float | None:
    if "lr" not in t:
        return None
    lr = read_number(t["lr"], "problem.lr")
    if lr <= 0:
        raise SheetError("problem.lr", f"the learning rate must be positive, got {lr:g}")
    return lr
