"""Where handgrad runs, said to its user: how to type the command from here,
and what is missing from a Python that lacks its dependencies.

`make demo` runs `.venv/bin/python -m handgrad`, and the console script it
installs is `.venv/bin/handgrad`, which a shell does not find by itself; a
system `python3 -m handgrad` finds handgrad's own code but not graphviz,
tomli and the rest, and a raw ModuleNotFoundError traceback says nothing
about how to get them.  This module imports only the standard library, so
it can speak when nothing else imports.  A missing module of handgrad's own
packages is a broken checkout, not a set-up step: it is never hidden.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

OWN = ("autograd", "nn", "handgrad")


def how_to_run(prog: str) -> tuple[str, str | None]:
    """(the command as it can be typed here, the activate script that puts
    it on PATH or None): `prog` when it is on PATH, else the script beside
    this Python, relative to the current folder when inside it."""
    script = Path(sys.executable).with_name(prog)
    found = shutil.which(prog)
    if found and Path(found).resolve() == script.resolve():
        return prog, None
    if not script.exists():
        return f"{Path(sys.executable).name} -m {prog}", None

    def typed(p: Path) -> str:
        here = Path.cwd()
        return str(p.relative_to(here)) if p.is_relative_to(here) else str(p)

    activate = script.with_name("activate")
    return typed(script), typed(activate) if activate.exists() else None


def missing_dependency(error: ModuleNotFoundError, prog: str) -> str | None:
    """The one-line message for `error`, or None when the module missing is
    handgrad's own (then the traceback is the useful report)."""
    package = (error.name or "").split(".")[0]
    if not package or package in OWN:
        return None
    root = Path(__file__).resolve().parent.parent
    setup = (f"`make demo` in {root} sets up .venv with everything, then run .venv/bin/{prog}"
             if (root / "Makefile").exists() else f"`pip install {prog}` installs it with them")
    return (f"{prog}: error: this Python ({sys.executable}) lacks the package {package}, which "
            f"{prog} needs; {setup}")
