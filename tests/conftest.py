"""Fixtures shared by several test files."""

import shutil

import pytest


@pytest.fixture(scope="module")
def in_process_graphviz():
    """Hide a system `dot`, so drawings are laid out by the in-process Graphviz
    (WebAssembly, one fixed version) that the layout assertions (order, geometry)
    were written against: another Graphviz version may place things differently."""
    real_which = shutil.which
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(shutil, "which",
                   lambda cmd, *a, **k: None if cmd == "dot" else real_which(cmd, *a, **k))
        yield
