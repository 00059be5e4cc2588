"""The README's REPL session is run as a doctest, so what it shows is what a
user typing it gets.  Its numbers are seed 000's; they are checked against
values worked out by hand (tests/seeds.py) in test_steps, test_explain and
test_check, and here only kept true to the code."""

from __future__ import annotations

import doctest
import math
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


def test_readme_example_sheet_is_a_sheet_whose_answers_are_right():
    """The README's example answer sheet loads, and its hand answers are the
    closed forms rounded: s = σ(w·x) = σ(1), L = (s − 1)², so
    ∂s/∂w = s(1 − s)·x and ∂L/∂w = 2(s − 1)·∂s/∂w."""
    from handgrad.sheet import loads
    (text,) = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    report = loads(text, "readme").check()
    s = 1 / (1 + math.exp(-1.0))
    ds_dw = s * (1 - s) * 2.0
    assert {r.key: r.hand for r in report} == {
        "s": f"{s:.4f}", "w": f"{2 * (s - 1) * ds_dw:.4f}", "ds/dw": f"{ds_dw:.4f}"}
    assert report.ok and all(r.verdict == "correct" for r in report)


def test_every_dependency_says_why_it_is_there():
    """pyproject.toml lists the dependencies; the README's "Dependencies, and
    why" is the one place that says why, so every one must be named there."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    project = tomllib.loads((README.parent / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = project["dependencies"] + [d for extra in project["optional-dependencies"].values()
                                        for d in extra]
    names = {re.match(r"[A-Za-z0-9_.-]+", d).group(0) for d in wanted}
    readme = README.read_text("utf-8")
    why = readme.split("## Dependencies, and why", 1)[1].split("\n## ", 1)[0]
    assert sorted(n for n in names if f"`{n}" not in why) == []
