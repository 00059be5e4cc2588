"""The compiled WebAssembly module is kept in the user's cache directory:
compiled once, loaded by later processes, replaced when damaged, and never
in the way when the cache cannot be written."""

import platform
from importlib.metadata import version

import pytest

wasmtime = pytest.importorskip("wasmtime", reason="the in-process renderer needs wasmtime")

from autograd import render as render_module  # noqa: E402
from autograd.render import compiled_module  # noqa: E402

ADD = "(module (func (export \"add\") (param i32 i32) (result i32) "\
      "local.get 0 local.get 1 i32.add))"


@pytest.fixture
def cache(monkeypatch, tmp_path):
    folder = tmp_path / "cache"
    monkeypatch.setattr(render_module, "cache_dir", lambda: folder)
    return folder


@pytest.fixture
def wasm(tmp_path):
    path = tmp_path / "add.wasm"
    path.write_bytes(wasmtime.wat2wasm(ADD))
    return path


def add(engine, module, a, b):
    instance = wasmtime.Instance(store := wasmtime.Store(engine), module, [])
    return instance.exports(store)["add"](store, a, b)


def no_compiling(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("compiled although a cached copy was there")
    monkeypatch.setattr(wasmtime.Module, "__init__", refuse)


def test_compiled_once_then_loaded(cache, wasm, monkeypatch):
    engine = wasmtime.Engine()
    assert add(engine, compiled_module(engine, wasm), 2, 3) == 5
    [saved] = cache.iterdir()
    # named for what it was compiled from and by, and where
    assert saved.name.startswith("add-") and saved.suffix == ".cwasm"
    assert f"-wasmtime-{version('wasmtime')}-{platform.machine()}." in saved.name
    assert oct(cache.stat().st_mode & 0o777) == "0o700"  # only the user writes native code here
    no_compiling(monkeypatch)
    assert add(engine, compiled_module(engine, wasm), 40, 2) == 42


def test_another_module_another_file(cache, wasm, tmp_path):
    engine = wasmtime.Engine()
    compiled_module(engine, wasm)
    other = tmp_path / "sub.wasm"
    other.write_bytes(wasmtime.wat2wasm(ADD.replace("i32.add", "i32.sub")))
    assert add(engine, compiled_module(engine, other), 2, 3) == -1  # not add's cached code
    assert len(list(cache.iterdir())) == 2


def test_a_damaged_copy_is_replaced(cache, wasm):
    engine = wasmtime.Engine()
    compiled_module(engine, wasm)
    [saved] = cache.iterdir()
    saved.write_bytes(b"not an artifact")
    assert add(engine, compiled_module(engine, wasm), 2, 3) == 5
    assert saved.read_bytes() != b"not an artifact"
    assert [p.name for p in cache.iterdir()] == [saved.name]  # no temporary file left


def test_an_unwritable_cache_is_not_an_error(monkeypatch, tmp_path, wasm):
    blocked = tmp_path / "a file"
    blocked.write_text("")
    monkeypatch.setattr(render_module, "cache_dir", lambda: blocked / "cache")
    engine = wasmtime.Engine()
    assert add(engine, compiled_module(engine, wasm), 2, 3) == 5


def test_the_renderer_uses_the_cache(cache, monkeypatch):
    """Graphviz itself: the first process compiles and saves it, a later one
    (a fresh backend) draws from the saved copy without compiling."""
    monkeypatch.setenv("PATH", "")  # no system dot: the in-process renderer
    monkeypatch.setattr(render_module, "_backend", None)
    first = render_module.render("digraph { a -> b }")
    [saved] = cache.iterdir()
    assert b"<svg" in first and saved.name.startswith("graphviz-")
    monkeypatch.setattr(render_module, "_backend", None)
    no_compiling(monkeypatch)
    assert render_module.render("digraph { a -> b }") == first
