"""Start-up and the command line as a new user meets them (issue #11, items
14-16): where the command is after `make demo`, a Python without handgrad's
dependencies, `--` before an expression, and the hints of its errors."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli import HANG_GUARD, environment, handgrad

from autograd import NumericError, Value
from autograd.expr import ExprError, parse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv's bin/, which `make` creates
SCRIPT = BIN / "handgrad"


# -- item 14: the command after `make demo` ---------------------------------------------

def test_the_readme_says_where_the_command_is():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    assert ".venv/bin/handgrad" in setup and "source .venv/bin/activate" in setup
    assert SCRIPT.exists() and (BIN / "activate").exists()


def told(stdout: str, command: str) -> str:
    """The demo's line that says how to run `command` (check after the sheets,
    grade after the samples)."""
    return next(line for line in stdout.splitlines()
                if line.startswith("grade your own: ") and f" {command} " in line)


def test_the_demo_says_how_to_run_handgrad_when_it_is_not_on_path(tmp_path):
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if p and Path(p).resolve() != BIN.resolve())
    r = handgrad("demo", "--out", tmp_path / "g", cwd=ROOT, env=environment(PATH=path))
    assert told(r.stdout, "check") == ("grade your own: .venv/bin/handgrad check SHEET.toml  "
                                       "(`source .venv/bin/activate` puts handgrad on PATH)")
    assert told(r.stdout, "grade") == ("grade your own: .venv/bin/handgrad grade PROBLEM.toml "
                                       "SUBMISSION")
    elsewhere = handgrad("demo", "--out", "g", cwd=tmp_path, env=environment(PATH=path))
    assert told(elsewhere.stdout, "check").startswith(f"grade your own: {SCRIPT} check ")


def test_the_demo_says_handgrad_when_it_is_on_path(tmp_path):
    r = handgrad("demo", "--out", "g", cwd=tmp_path,
                 env=environment(PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"))
    assert told(r.stdout, "check") == "grade your own: handgrad check SHEET.toml"
    assert told(r.stdout, "grade") == "grade your own: handgrad grade PROBLEM.toml SUBMISSION"


# -- item 15: a Python that lacks the dependencies ---------------------------------------------

def run_without(module, *args, cwd):
    """`python -m handgrad ARGS` in a Python where `module` cannot be imported."""
    code = (f"import runpy, sys; sys.modules[{module!r}] = None; "
            f"sys.argv = ['handgrad', *{[str(a) for a in args]!r}]; "
            f"runpy.run_module('handgrad', run_name='__main__', alter_sys=True)")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=cwd, env=environment(PYTHONPATH=str(ROOT)), timeout=HANG_GUARD)


@pytest.mark.parametrize("package", [
    "graphviz",      # needed to draw the first sheet's graph
    "markdown_it",   # needed to read the samples, the demo's last part
])
def test_a_missing_package_is_one_line_saying_how_to_set_up(tmp_path, package):
    r = run_without(package, "demo", "--out", "g", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stdout == "", r.stdout  # the check comes first: no headers before it
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr == (
        f"handgrad: error: this Python ({sys.executable}) lacks the package {package}, which "
        f"handgrad needs; `make demo` in {ROOT} sets up .venv with everything, then run "
        f".venv/bin/handgrad\n")


def test_check_says_a_missing_package_before_its_first_table(tmp_path):
    # check prints each sheet's table as it is graded; with --svg it needs graphviz
    r = run_without("graphviz", "check", ROOT / "handgrad" / "sheets", "--svg", "g", cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == "", r.stdout
    assert r.stderr.startswith(f"handgrad: error: this Python ({sys.executable}) lacks the "
                               f"package graphviz, which handgrad needs; `make demo` in ")
    assert r.stderr.count("\n") == 1


def test_a_package_missing_at_import_is_said_the_same_way(tmp_path):
    toml = "tomllib" if sys.version_info >= (3, 11) else "tomli"  # read when sheets load
    r = run_without(toml, "check", ROOT / "handgrad" / "sheets", cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(f"handgrad: error: this Python ({sys.executable}) lacks the "
                               f"package {toml}, which handgrad needs; `make demo` in ")
    assert r.stderr.count("\n") == 1


def test_our_own_modules_missing_is_a_bug_not_a_set_up_hint(tmp_path):
    r = run_without("handgrad.rows", "check", ROOT / "handgrad" / "sheets", cwd=tmp_path)
    assert r.returncode != 0 and "ModuleNotFoundError" in r.stderr
    assert "make demo" not in r.stderr


# -- item 16: the command line ---------------------------------------------------------------

def test_double_dash_ends_the_options_before_an_expression(tmp_path):
    # f = −x·y at x = 1, y = 2: f = −2, ∂f/∂x = −y = −2, ∂f/∂y = −x = −1
    for argv in (["grad", "--", "-x*y", "--at", "x=1", "y=2"],
                 ["grad", "--at", "x=1", "y=2", "--", "-x*y"],
                 ["grad", "--", "-x*y", "--at", "x=1", "y=2", "--wrt", "y"]):
        r = handgrad(*argv, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()
        assert lines[:2] == ["f = -x*y", "f = -2"]
        rows = {line.split()[0]: float(line.split()[2]) for line in lines[5:] if line}
        assert rows == ({"y": -1.0} if "--wrt" in argv else {"x": -2.0, "y": -1.0})


def test_a_second_expression_after_double_dash_is_still_an_error(tmp_path):
    r = handgrad("grad", "--", "-x", "-y", cwd=tmp_path)
    assert r.returncode == 2 and "unrecognized arguments: -y" in r.stderr


@pytest.mark.parametrize("text, hint", [
    ("sigmod(x)", "unknown function 'sigmod' (did you mean sigmoid?)"),
    ("tahn(x)", "unknown function 'tahn' (did you mean tanh?)"),
    ("expp(x)", "unknown function 'expp' (did you mean exp?)"),
])
def test_an_unknown_function_gets_a_did_you_mean(text, hint):
    with pytest.raises(ExprError) as e:
        parse(text)
    assert str(e.value).startswith(hint + "; the functions are: ")


def test_no_did_you_mean_for_a_name_like_none():
    with pytest.raises(ExprError) as e:
        parse("frobnicate(x)")
    assert "did you mean" not in str(e.value)


@pytest.mark.parametrize("text, hint, column", [
    ("2x", "write 2*x: a number and a name need * between them", 1),
    ("y + 2x", "write 2*x: a number and a name need * between them", 5),
    ("3*2.5w1 + 1", "write 2.5*w1: a number and a name need * between them", 3),
    ("2sigmoid(x)", "write 2*sigmoid: a number and a name need * between them", 1),
])
def test_a_number_next_to_a_name_gets_a_hint(text, hint, column):
    with pytest.raises(ExprError) as e:
        parse(text)
    assert str(e.value).splitlines()[0] == f"{hint} (column {column})"


def test_the_hint_through_the_command(tmp_path):
    r = handgrad("grad", "2x", "--at", "x=1", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        "handgrad grad: error: write 2*x: a number and a name need * between them (column 1)",
        "  2x", "  ^~"]


def test_a_division_by_zero_names_the_node_not_a_placeholder():
    x = Value(1.0, "x")
    with pytest.raises(NumericError) as e:
        1 / (x - x).named("d")
    assert str(e.value) == "reciprocal(d): division by zero (d = 0.0)"
    assert "1/x" not in str(e.value) and "x = 0" not in str(e.value)


def test_the_command_names_the_node_that_is_zero(tmp_path):
    r = handgrad("grad", "1/(x-x)", "--at", "x=1", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == ("handgrad grad: error: reciprocal(x-x): division by zero (x-x = 0.0) "
                        "in '1/(x-x)'\n")


@pytest.mark.parametrize("build, message", [
    (lambda x: (x - x).named("d") ** 0.5,
     "pow(d, 0.5): ** 0.5 has an infinite derivative at 0 (d = 0.0)"),
    (lambda x: (x * 1e200).named("big") ** 2, "pow(big, 2): ** 2 overflows (big = 1e+200)"),
    (lambda x: 2 ** (x * 2000).named("e"), "rpow(2, e): 2 to this power overflows (e = 2000.0)"),
    (lambda x: (x - x).named("d") ** Value(0.5, "p"),
     "powv(d, p): ** 0.5 has an infinite derivative at 0 (d = 0.0)"),
])
def test_no_op_message_uses_x_for_its_argument(build, message):
    x = Value(1.0, "x")
    with pytest.raises(NumericError) as e:
        build(x)
    assert str(e.value) == message


# -- found by a first use: options and output files ------------------------------------------

@pytest.mark.parametrize("argv, line", [
    (["grad", "x*y", "--at", "x=1", "y=2", "--stpes"],
     "handgrad grad: error: unrecognized arguments: --stpes (did you mean --steps?)"),
    (["check", "sheet.toml", "--fromat", "json"],
     "handgrad check: error: unrecognized arguments: --fromat json (did you mean --format?)"),
    (["grade", "p.toml", "hw.md", "--fromat=csv"],
     "handgrad grade: error: unrecognized arguments: --fromat=csv (did you mean --format?)"),
    (["demo", "--outt", "x"],
     "handgrad demo: error: unrecognized arguments: --outt x (did you mean --out?)"),
    (["check", "sheet.toml", "--frobnicate"],
     "handgrad check: error: unrecognized arguments: --frobnicate"),
])
def test_a_mistyped_option_is_named_by_its_command_with_a_did_you_mean(tmp_path, argv, line):
    r = handgrad(*argv, cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    *usage, last = r.stderr.splitlines()
    assert last == line
    assert usage[0].startswith(f"usage: handgrad {argv[0]} ")  # the command's usage, not the top


@pytest.mark.parametrize("option, name, line", [
    ("--svg", "graph.png", "handgrad grad: error: --svg graph.png: --svg writes SVG; "
                           "name the file .svg"),
    ("--svg", "graph.html", "handgrad grad: error: --svg graph.html: --svg writes SVG; "
                            "name the file .svg"),
    ("--html", "page.svg", "handgrad grad: error: --html page.svg: --html writes a web "
                           "page; name the file .html"),
])
def test_an_output_file_named_for_another_format_is_refused(tmp_path, option, name, line):
    r = handgrad("grad", "x*y", "--at", "x=1", "y=2", option, name, cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [line]
    assert not (tmp_path / name).exists()


def test_output_files_named_for_their_format_are_written(tmp_path):
    r = handgrad("grad", "x*y", "--at", "x=1", "y=2", "--html", "p.htm", "--svg", "graph",
                 cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "graph").read_text(encoding="utf-8").lstrip().startswith(("<svg", "<?xml"))
    assert (tmp_path / "p.htm").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def homework(tmp_path):
    """A one-line submission and its problem file: z = w·x at w = x = 0.2."""
    hw = tmp_path / "hw.md"
    hw.write_text("# 과제\n\n$$z = 0.2 \\times 0.2 = 0.04$$\n", encoding="utf-8")
    problem = tmp_path / "p.toml"
    problem.write_text('[problem]\nexpression = "w*x"\n[problem.at]\nw = 0.2\nx = 0.2\n',
                       encoding="utf-8")
    return hw, problem


def test_every_command_says_a_file_it_cannot_use_in_one_style(tmp_path):
    # handgrad COMMAND: error: WHAT: why, in handgrad's words (not the C library's
    # "No such file or directory"), whichever command and whichever file it is
    hw, problem = homework(tmp_path)
    gone, gone_md = tmp_path / "missing.toml", tmp_path / "missing.md"
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    for argv, line in [
        (("check", gone), f"handgrad check: error: {gone}: no such file or folder"),
        (("grade", gone, hw), f"handgrad grade: error: {gone}: no such file or folder"),
        (("grade", problem, gone_md), f"handgrad grade: error: {gone_md}: no such file or folder"),
        (("grade", folder, hw), f"handgrad grade: error: {folder}: a folder, not a file"),
        (("grade", problem, hw, "--out", tmp_path / "nowhere" / "r.txt"),
         f"handgrad grade: error: --out {tmp_path / 'nowhere' / 'r.txt'}: no such file or folder"),
    ]:
        r = handgrad(*argv, cwd=tmp_path)
        assert r.returncode == 2 and r.stdout == "", argv
        assert r.stderr.splitlines() == [line]


def test_a_submission_given_where_a_problem_or_sheet_goes_is_named_as_one(tmp_path):
    hw, problem = homework(tmp_path)
    swapped = handgrad("grade", hw, problem, cwd=tmp_path)  # was "not valid TOML: Invalid
    assert swapped.returncode == 2 and swapped.stdout == ""  # statement (at line 3, column 1)"
    assert swapped.stderr == (f"handgrad grade: error: {hw}: a submission (.md), not a problem "
                              f"file: the problem comes first, handgrad grade PROBLEM.toml "
                              f"SUBMISSION...\n")
    checked = handgrad("check", hw, cwd=tmp_path)
    assert checked.returncode == 2 and checked.stdout == ""
    assert checked.stderr == (f"handgrad check: error: {hw}: a submission (.md), not an answer "
                              f"sheet: handgrad grade PROBLEM.toml {hw.name} grades it\n")
