"""The graphs the commands write: one SVG or web page (`handgrad grad
--svg/--html`), or a folder of SVGs (`check --svg`, `demo --out`)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from autograd import RenderError, Value
from autograd.draw import GraphTooLargeError, draw
from autograd.player import player

from .usage import UsageError, error_line
from .user_files import os_reason


def can_draw() -> None:
    """Import the package drawing needs (graphviz, which the engine imports
    only when a graph is built), so that a command that streams its output
    says a missing one before it prints anything (ModuleNotFoundError)."""
    importlib.import_module("graphviz")


def write_graph(root: Value, path: str | Path, command: str, *, model=None,
               option: str = "--svg", page: bool = False) -> bool:
    """Draw `root` (after backward, so grads show) into an SVG file, or with
    `page` write the step-through player's page.  False, with a message,
    when this machine cannot render or the graph is too large to read; an
    unwritable path is a UsageError."""
    root.backward()
    try:
        svg = player(root, model=model).html if page else draw(root, model=model).to_svg()
    except (RenderError, GraphTooLargeError) as e:
        print(error_line(command, f"cannot draw {Path(path).name}: {e}"), file=sys.stderr)
        return False
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(svg)
    except OSError as e:
        raise UsageError(f"{option} {path}: {os_reason(e)}") from None
    return True


def output_dir(path: str, option: str) -> Path:
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"{option} {path}: {os_reason(e)}") from None
    return out
