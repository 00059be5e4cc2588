"""The layering: `autograd` (the engine and its readers) needs neither `nn`
nor the `handgrad` application, `nn` needs no `handgrad`, and no module
imports one that imports it back, except the display hooks (`_repr_mimebundle_`)
that Jupyter's display protocol calls on a Value."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("autograd", "nn", "handgrad")
DISPLAY_HOOKS = {"_repr_mimebundle_"}  # functions whose imports Jupyter needs and a cycle may hold

IMPORT_ALL = """
import importlib, importlib.abc, pkgutil, sys

class Unimportable(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked}:
            raise ImportError(f"{{name}} must not be imported here")
        return None

sys.meta_path.insert(0, Unimportable())
package = importlib.import_module({package!r})
names = [m.name for m in pkgutil.walk_packages(package.__path__, {package!r} + ".")]
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {blocked})
print(len(names), loaded)
"""


@pytest.mark.parametrize("package, blocked", [("autograd", ("nn", "handgrad")),
                                              ("nn", ("handgrad",))])
def test_every_submodule_imports_without_what_is_above_it(package, blocked):
    script = IMPORT_ALL.format(package=package, blocked=set(blocked))
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    count, loaded = done.stdout.split(" ", 1)
    assert int(count) >= (15 if package == "autograd" else 7) and loaded.strip() == "[]"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules `path` imports, anywhere but in a display hook:
    `from package import name` imports the module package.name if there is
    one, else the package (whose __init__ defines or hands on the name)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hooks = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
             and f.name in DISPLAY_HOOKS for n in ast.walk(f)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in hooks:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] \
                if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                sub = f"{module}.{alias.name}"
                found.add(sub if sub in modules else module)
    return {m for m in found if m.split(".")[0] in PACKAGES}


def test_no_module_imports_one_that_imports_it_back():
    modules = {_module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    graph = {m: {i for i in _imports(p, set(modules)) if i in modules and i != m}
             for m, p in modules.items()}
    # a package's __init__ hands its modules on: importing the package imports them
    for m in modules:
        if modules[m].name == "__init__.py":
            graph[m] |= {sub for sub in modules if sub.rpartition(".")[0] == m}
    done, on_path, cycles = set(), [], []

    def visit(m: str) -> None:
        on_path.append(m)
        for n in sorted(graph[m]):
            if n in on_path:
                cycles.append(on_path[on_path.index(n):] + [n])
            elif n not in done:
                visit(n)
        on_path.pop()
        done.add(m)

    for m in sorted(graph):
        if m not in done:
            visit(m)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)
    assert not {m for m in graph if m.startswith("autograd")
                for i in graph[m] if i.split(".")[0] in ("nn", "handgrad")}
    assert not {m for m in graph if m.startswith("nn") for i in graph[m] if i.startswith("handgrad")}
