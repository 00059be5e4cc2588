"""The README's REPL session is run as a doctest, so what it shows is what a
user typing it gets.  Its numbers are seed 000's; they are checked against
values worked out by hand (tests/seeds.py) in test_steps, test_explain and
test_check, and here only kept true to the code."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_session_runs_as_shown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the session saves an SVG
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README has no Python session"
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(blocks):
        test = doctest.DocTestParser().get_doctest(block, {}, f"README block {i}", str(README), 0)
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert (tmp_path / "seed000.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
