"""The `handgrad` command through its real entry points, in subprocesses:
`python -m handgrad` and the installed `handgrad` script."""

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli import HANG_GUARD, environment, handgrad, run_on_a_terminal

EXAMPLE = "(sigmoid(w1*x1 + w2*x2) - 2)**2"
EXAMPLE_AT = ["w1=0.1", "w2=1.1", "x1=1.7", "x2=3.5"]


def sig(z):
    return 1 / (1 + math.exp(-z))


def table_rows(stdout):
    """{input: (value, gradient)} from the grad table."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("input ")) + 2
    rows = {}
    for line in lines[start:]:
        if not line:
            break
        name, value, grad = line.split()
        rows[name] = (float(value), float(grad))
    return rows


def example_by_hand():
    # u = w1*x1 + w2*x2 = 0.1*1.7 + 1.1*3.5 = 4.02, s = σ(u), L = (s − 2)²
    s = sig(0.1 * 1.7 + 1.1 * 3.5)
    dl_du = 2 * (s - 2) * s * (1 - s)  # ∂L/∂s · σ'(u)
    grads = {"w1": dl_du * 1.7, "x1": dl_du * 0.1, "w2": dl_du * 3.5, "x2": dl_du * 1.1}
    return (s - 2) ** 2, grads


# -- grad -----------------------------------------------------------------------------

def test_grad_example_value_and_gradients(tmp_path):
    r = handgrad("grad", EXAMPLE, "--at", *EXAMPLE_AT, cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == ""
    value, grads = example_by_hand()
    lines = r.stdout.splitlines()
    assert lines[0] == f"f = {EXAMPLE}"
    assert float(lines[1].removeprefix("f = ")) == pytest.approx(value, rel=1e-9)
    rows = table_rows(r.stdout)
    assert list(rows) == ["w1", "x1", "w2", "x2"]  # order of first appearance
    for name, (x, g) in rows.items():
        assert x == {"w1": 0.1, "w2": 1.1, "x1": 1.7, "x2": 3.5}[name]
        assert g == pytest.approx(grads[name], rel=1e-9)
    assert "\033" not in r.stdout  # a pipe gets no colour


def test_table_is_aligned(tmp_path):
    r = handgrad("grad", EXAMPLE, "--at", *EXAMPLE_AT, cwd=tmp_path)
    table = r.stdout.splitlines()[3:]
    assert table[0].split() == ["input", "value", "∂f/∂input"]
    ends = {len(line) for line in table}  # right-aligned numbers: every row ends together
    assert len(ends) == 1


def test_installed_console_script(tmp_path):
    script = Path(sys.executable).parent / "handgrad"
    assert script.exists(), "the editable install provides the `handgrad` script"
    r = handgrad("grad", EXAMPLE, "--at", *EXAMPLE_AT, cwd=tmp_path, command=(str(script),))
    assert r.returncode == 0
    assert r.stdout == handgrad("grad", EXAMPLE, "--at", *EXAMPLE_AT, cwd=tmp_path).stdout
    bad = handgrad("grad", "x.y", "--at", "x=1", cwd=tmp_path, command=(str(script),))
    assert bad.returncode == 2 and "attribute access" in bad.stderr


def test_wrt_selects_and_orders_rows(tmp_path):
    r = handgrad("grad", "x*y + 1/z", "--at", "x=2", "y=3", "z=4", "--wrt", "z", "x",
                 cwd=tmp_path)
    assert r.returncode == 0
    assert table_rows(r.stdout) == {"z": (4.0, -1 / 16), "x": (2.0, 3.0)}
    assert "f = 6.25" in r.stdout


def test_name_of_the_result(tmp_path):
    r = handgrad("grad", "(x - 2)**2", "--at", "x=0.5", "--name", "L", cwd=tmp_path)
    assert r.stdout.splitlines()[:2] == ["L = (x - 2)**2", "L = 2.25"]
    assert table_rows(r.stdout) == {"x": (0.5, -3.0)}
    r = handgrad("grad", "f * 2", "--at", "f=3", cwd=tmp_path)  # f is taken: next default
    assert r.stdout.splitlines()[1] == "F = 6"
    r = handgrad("grad", "x", "--at", "x=3", cwd=tmp_path)  # a bare input is its own name
    assert r.stdout.splitlines()[:2] == ["x = x", "x = 3"]
    assert table_rows(r.stdout) == {"x": (3.0, 1.0)}


def test_expression_without_inputs(tmp_path):
    r = handgrad("grad", "2**10 - exp(0)", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.splitlines() == ["f = 2**10 - exp(0)", "f = 1023"]


def test_negative_values_and_leading_space_for_a_leading_minus(tmp_path):
    r = handgrad("grad", " -x*y", "--at", "x=-2", "y=3", cwd=tmp_path)
    assert r.returncode == 0
    assert "f = 6" in r.stdout
    assert table_rows(r.stdout) == {"x": (-2.0, -3.0), "y": (3.0, 2.0)}


# -- errors: one message on stderr, exit 2, nothing on stdout ---------------------------

ERRORS = [
    (["grad", "x*y", "--at", "x=1"], "no value for y (the expression's inputs: x, y)"),
    (["grad", "x", "--at", "x=1", "y=2", "z=3"], "y, z are not in the expression"),
    (["grad", "x", "--at", "x"], "--at 'x': expected NAME=VALUE"),
    (["grad", "x", "--at", "=1"], "expected NAME=VALUE"),
    (["grad", "x", "--at", "x=abc"], "'abc' is not a number"),
    (["grad", "x", "--at", "x="], "'' is not a number"),
    (["grad", "x", "--at", "x=nan"], "the value must be finite"),
    (["grad", "x", "--at", "x=-inf"], "the value must be finite"),
    (["grad", "x", "--at", "x=1", "x=2"], "x is given twice"),
    (["grad", "x*y", "--at", "x=1", "y=2", "--wrt", "z"], "--wrt z: not an input"),
    (["grad", "x", "--at", "x=1", "--name", "x"], "--name x: that is an input"),
    (["grad", "log(x - 3)", "--at", "x=1"], "log of a non-positive number (x - 3 = -2.0)"),
    (["grad", "1/(x - 1)", "--at", "x=1"], "division by zero (x - 1 = 0.0)"),
    (["grad", "x**2", "--at", "x=1e200"], "overflow"),
    (["grad", "x ^ 2", "--at", "x=1"], "write x**2 (column 3)"),
    (["grad", "x*y", "--at", "x=1", "y=2", "--explain", "nope"], "--explain nope: no node"),
]


@pytest.mark.parametrize("argv, words", ERRORS, ids=[" ".join(a[1:]) for a, _ in ERRORS])
def test_input_errors_exit_2_with_a_message(tmp_path, argv, words):
    r = handgrad(*argv, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.startswith("handgrad grad: error: ")
    assert words in r.stderr.splitlines()[0]
    assert "Traceback" not in r.stderr


def test_expression_errors_show_the_place(tmp_path):
    r = handgrad("grad", "os.system('ls')", "--at", "x=1", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        "handgrad grad: error: attribute access is not allowed: '.system' (column 3)",
        "  os.system('ls')",
        "    ^~~~~~~"]


@pytest.mark.parametrize("argv", [[], ["nope"], ["grad"], ["grad", "x", "--bogus"],
                                  ["grad", "x", "--at"]])
def test_usage_errors_exit_2(tmp_path, argv):
    r = handgrad(*argv, cwd=tmp_path)
    assert r.returncode == 2 and r.stdout == "" and "usage: handgrad" in r.stderr


# -- hostile expressions ------------------------------------------------------------------

HOSTILE = [
    "__import__('os')",
    "__import__('os').system('touch PWNED')",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__class__.__bases__",
    "x.y.z.w",
    "open('PWNED', 'w')",
    "eval('1')",
    "exec(\"open('PWNED', 'w')\")",
    "compile('1', 'f', 'eval')",
    "lambda: 1",
    "(lambda: open('PWNED', 'w'))()",
    "[x for x in y]",
    "[open('PWNED', 'w') for x in y]",
    '"str"',
    "f'{open(\"PWNED\", \"w\")}'",
    "x if y else z",
    "x < y",
    "x and y",
    "(x := 1)",
    "x[0]",
    "f(x)(y)",
    "sigmoid(x, y, z)",
    "sigmoid(x=1)",
    "leaky_relu(x, slope=0.1)",
    "sigmoid(*x)",
    "1j",
    "True",
    "__builtins__",
    "globals()",
    "breakpoint()",
    "9**9**9**9",
    "9**9**9",
    "(" * 60_000 + "x" + ")" * 60_000,
    "x" * 120_000,
    " " + "-" * 9_000 + "x",  # (a leading space keeps argparse from reading an option)
    "+".join(["x"] * 5_000),
]


@pytest.mark.parametrize("text", HOSTILE, ids=[t[:30] for t in HOSTILE])
def test_hostile_expressions_are_rejected_without_side_effects(tmp_path, text):
    r = handgrad("grad", text, "--at", "x=1", "y=1", "z=1", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr.startswith("handgrad grad: error: ")
    assert "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []  # nothing was created


def test_a_file_creating_payload_would_have_worked_as_python(tmp_path):
    # The control for the test above: as Python, the payload does create the file.
    payload = "open('PWNED', 'w')"
    subprocess.run([sys.executable, "-c", f"eval({payload!r})"], cwd=tmp_path, check=True,
                   timeout=HANG_GUARD)
    assert (tmp_path / "PWNED").exists()


# -- --steps, --explain, --svg -------------------------------------------------------------

def test_steps(tmp_path):
    r = handgrad("grad", EXAMPLE, "--at", *EXAMPLE_AT, "--steps", cwd=tmp_path)
    assert r.returncode == 0
    out = r.stdout
    assert "t3 = t1 + t2 = 4.02" in out  # u = 0.17 + 3.85, numbered in argument order
    assert "t1 = w1·x1 = 0.17" in out and "t2 = w2·x2 = 3.85" in out
    nodes = out.split("nodes\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [line.split(" = ")[0] for line in nodes] == ["t1", "t2", "t3", "t4", "t5", "f"]
    steps = out.split("backward steps\n", 1)[1].splitlines()
    # edges: (·)² 1, −2 1, σ 1, + 2, the two products 2 each
    assert len(steps) == 9
    _, grads = example_by_hand()
    w1 = next(s for s in steps if s.startswith("∂f/∂w1 +="))
    assert w1.endswith(f"= {grads['w1']:.4f}")  # -0.0599 to 4 decimals


def test_explain(tmp_path):
    r = handgrad("grad", EXAMPLE, "--at", *EXAMPLE_AT, "--explain", "w1", "--explain", "x2",
                 cwd=tmp_path)
    assert r.returncode == 0
    _, grads = example_by_hand()
    out = r.stdout
    w1 = out[out.index("∂f/∂w1 = "):out.index("∂f/∂x2 = ")]
    assert f"= {grads['w1']:.4f}\n" in w1
    assert "1.7" in w1  # ∂t2/∂w1 = x1
    x2 = out[out.index("∂f/∂x2 = "):]
    assert f"= {grads['x2']:.4f}\n" in x2


def test_svg(tmp_path):
    r = handgrad("grad", EXAMPLE, "--at", *EXAMPLE_AT, "--svg", "graph.svg", cwd=tmp_path)
    assert r.returncode == 0
    assert r.stderr == "wrote graph.svg\n"
    svg = (tmp_path / "graph.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "</svg>" in svg
    for name in ("w1", "w2", "x1", "x2"):
        assert f">{name}" in svg
    r = handgrad("grad", "x", "--at", "x=1", "--svg", str(tmp_path / "missing" / "g.svg"))
    assert r.returncode == 2 and "--svg" in r.stderr and r.stdout == ""


def test_html_is_the_players_page(tmp_path):
    """`--html` writes the same page as autograd.player: one frame per backward
    step, each line as --steps prints it."""
    r = handgrad("grad", EXAMPLE, "--at", *EXAMPLE_AT, "--html", "backprop.html", "--steps",
                 cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == "wrote backprop.html\n"
    page = (tmp_path / "backprop.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="hg-data">(.*?)</script>', page, re.S).group(1))
    printed = r.stdout.split("backward steps\n", 1)[1].strip().splitlines()
    assert [f["line"] for f in data["steps"]] == printed
    r = handgrad("grad", "x", "--at", "x=1", "--html", str(tmp_path / "missing" / "p.html"))
    assert r.returncode == 2 and "--html" in r.stderr and r.stdout == ""


# -- help, colour, pipes -------------------------------------------------------------------

@pytest.mark.parametrize("argv", [["--help"], ["grad", "--help"], ["demo", "--help"]])
def test_help(tmp_path, argv):
    r = handgrad(*argv, cwd=tmp_path)
    assert r.returncode == 0 and "usage: handgrad" in r.stdout
    assert "example" in r.stdout
    if argv[0] == "grad":
        assert EXAMPLE in r.stdout and "sigmoid" in r.stdout and "exit status" in r.stdout
    if argv[0] == "--help":
        assert "grad" in r.stdout and "demo" in r.stdout


def test_colour_only_on_a_terminal_and_never_when_asked_not_to():
    args = ["grad", "x*y", "--at", "x=2", "y=3"]
    code, out = run_on_a_terminal(args)
    assert code == 0 and "\033[1m" in out
    assert "\033" not in run_on_a_terminal(args, env=environment(NO_COLOR="1"))[1]
    assert "\033" not in run_on_a_terminal([*args, "--no-color"])[1]
    assert "\033" not in handgrad(*args).stdout
