"""What a user reads: labels that are not single tokens (bracketed), the
auto-names t1, t2, … (defined), single edges and repeated arguments, counts
in words, display width for wide characters, and Korean names in
expressions.  Issue #11, items 7–12; the graphs are Karpathy's lecture
neuron and a Korean-labelled neuron (tests/examples.py)."""

from __future__ import annotations

import math
import re
import unicodedata

import pytest
from cli import handgrad, run_on_a_terminal
from examples import KARPATHY_GRADS, KOREAN_GRADS, SIGMA, karpathy_neuron, korean_neuron

import autograd
from autograd import Value, backward_steps, check, explain
from autograd.expr import ExprError, parse
from autograd import notation


def columns(text: str) -> int:
    """Terminal columns of `text`, from the Unicode East Asian Width property
    (wide and fullwidth characters take two), independently of wcwidth."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cell_starts(line: str) -> list[int]:
    """The display column where each cell of a table line starts (cells are
    separated by two or more spaces; a cell may hold single spaces)."""
    return [columns(line[:m.start()]) for m in re.finditer(r"(?:(?<=\s\s)|^)\S(?:\S| (?! ))*",
                                                           line)]


def steps_text(root) -> list[str]:
    return [str(s) for s in backward_steps(root)]


# -- item 7: a label that is not a single token is bracketed --------------------------------

@pytest.mark.parametrize("label, shown", [
    ("x1*w1 + x2*w2", "(x1*w1 + x2*w2)"),
    ("x1*w1", "(x1*w1)"),
    ("활성화 출력", "(활성화 출력)"),
    ("-x", "(-x)"),
    ("y−t", "(y−t)"),
    ("a·b", "(a·b)"),
    ("x1", "x1"),
    ("가중합", "가중합"),
    ("w(1)10", "w(1)10"),          # the seeds' names: brackets, but no operator outside them
    ("σ(z1 + z2)", "σ(z1 + z2)"),  # one application: the operator is inside its brackets
    ("(a + b)", "(a + b)"),        # already in brackets
    ("(a) + (b)", "((a) + (b))"),  # begins and ends with a bracket, but is not one group
    ("W1_11", "W1_11"),
    ("x′", "x′"),
])
def test_the_bracketing_rule(label, shown):
    assert notation.bracket(label) == shown


def test_karpathy_steps_bracket_his_labels_and_give_his_gradients():
    net = karpathy_neuron()
    lines = steps_text(net.root)
    assert ("∂o/∂(x1*w1) += ∂o/∂(x1*w1 + x2*w2) · ∂(x1*w1 + x2*w2)/∂(x1*w1) = 0.5 × 1 = 0.5"
            in lines)
    assert "∂o/∂(x1*w1 + x2*w2) += ∂o/∂n · ∂n/∂(x1*w1 + x2*w2) = 0.5 × 1 = 0.5" in lines
    assert "∂o/∂x1 += ∂o/∂(x1*w1) · ∂(x1*w1)/∂x1 = 0.5 × (-3) = -1.5" in lines
    for label, grad in KARPATHY_GRADS.items():
        assert net[label].grad == pytest.approx(grad, abs=1e-15), label


def test_karpathy_explain_brackets_his_labels():
    net = karpathy_neuron()
    e = explain(net.root, "x1")
    assert e.total == pytest.approx(KARPATHY_GRADS["x1"], abs=1e-15)
    assert str(e).splitlines() == [
        "∂o/∂x1 = ∂o/∂n · ∂n/∂(x1*w1 + x2*w2) · ∂(x1*w1 + x2*w2)/∂(x1*w1) · ∂(x1*w1)/∂x1",
        "       = 0.5 × 1 × 1 × (-3)",
        "       = -1.5",
        "where",
        "  ∂o/∂n = 1 − o² = 0.5",
        "  ∂n/∂(x1*w1 + x2*w2) = 1",
        "  ∂(x1*w1 + x2*w2)/∂(x1*w1) = 1",
        "  ∂(x1*w1)/∂x1 = w1 = -3",
    ]
    assert r"\partial \text{(x1*w1 + x2*w2)}" in e._repr_latex_()


def test_karpathy_check_brackets_and_reads_back_what_it_prints():
    net = karpathy_neuron()
    report = check(net.root, grads={"x1*w1 + x2*w2": "0.5", "dn/d(x1*w1 + x2*w2)": "1",
                                    "∂(x1*w1)/∂x1": "-3", "x1": "-1.5", "w1": "1"})
    assert report.ok
    assert [r.quantity for r in report] == [
        "∂o/∂(x1*w1 + x2*w2)", "∂n/∂(x1*w1 + x2*w2)", "∂(x1*w1)/∂x1", "∂o/∂x1", "∂o/∂w1"]


def test_korean_labels_are_bracketed_in_derivatives_and_formulas():
    net = korean_neuron()
    lines = steps_text(net.root)
    sigma_step = next(s for s in backward_steps(net.root) if s.node is net["활성화 출력"])
    assert sigma_step.local_name == "∂(활성화 출력)/∂가중합"
    assert sigma_step.formula == "(활성화 출력)(1 − (활성화 출력))"
    assert sigma_step.local == pytest.approx(SIGMA * (1 - SIGMA), rel=1e-12)
    assert any(line.startswith("∂손실/∂(활성화 출력) += ∂손실/∂t2 · ∂t2/∂(활성화 출력)")
               for line in lines)
    e = explain(net.root, "가중치")
    assert e.total == pytest.approx(KOREAN_GRADS["가중치"], rel=1e-12)
    assert str(e).startswith("∂손실/∂가중치 = ∂손실/∂(활성화 출력) · ∂(활성화 출력)/∂가중합 · ")
    report = check(net.root, grads={"활성화 출력": f"{KOREAN_GRADS['활성화 출력']:.4f}"})
    assert report.ok and report["활성화 출력"].quantity == "∂손실/∂(활성화 출력)"


def test_the_cli_brackets_a_result_name_that_is_not_one_token(tmp_path):
    r = handgrad("grad", "x*y", "--at", "x=2", "y=3", "--name", "my f", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "∂(my f)/∂input" in r.stdout.splitlines()[3]


# -- item 8: the auto-names t1, t2, … are defined where they appear --------------------------

def unlabelled():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    return x, y, x * y + x * x   # t1 = x·y = 6, t2 = x·x = 4, t3 = t1 + t2 = 10


def test_explain_defines_each_auto_name_once():
    x, _, f = unlabelled()
    text = str(explain(f, x))
    where = text.split("where\n", 1)[1].splitlines()
    assert where[:3] == ["  t1 = x·y = 6", "  t2 = x·x = 4", "  t3 = t1 + t2 = 10"]
    for name in ("t1", "t2", "t3"):
        assert sum(line.startswith(f"  {name} = ") for line in where) == 1
    md = explain(f, x)._repr_markdown_()
    assert r"$\text{t1 = x·y = 6}$" in md


def test_explain_defines_an_auto_name_that_only_a_definition_uses():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    z = Value(4.0, "z")
    f = (x * y) * ((z * z + 1) * 2)  # ∂f/∂(x·y) = t4 = (z·z + 1)·2, whose parts are t2, t3
    where = str(explain(f, x)).split("where\n", 1)[1].splitlines()
    defined = [line.split(" = ")[0].strip() for line in where if not line.startswith("  ∂")]
    assert defined == ["t1", "t2", "t3", "t4", "t5"]
    assert "  t4 = t3·2 = 34" in where and "  t5 = t1·t4 = 204" in where


def test_a_big_unlabelled_graph_defines_a_bounded_number_of_names():
    x = Value(0.5, "x")
    v = x
    for _ in range(100):  # 200 unlabelled nodes: t2k−1 = t2k−2·1.01, t2k = t2k−1 + 0.001
        v = v * 1.01 + 0.001
    where = str(explain(v, x)).split("where\n", 1)[1].splitlines()
    defined = [line for line in where if re.match(r"  t\d+ = ", line)]
    assert len(defined) == notation.MAX_DEFINITIONS == 20
    assert "  … and 180 more unlabelled nodes (label the nodes that matter to name them " \
           "yourself)" in where


def test_each_step_defines_the_auto_names_it_is_first_to_use():
    _, _, f = unlabelled()
    texts = steps_text(f)
    assert texts[0] == "∂t3/∂t1 += ∂t3/∂t3 · ∂t3/∂t1 = 1 × 1 = 1\n  where t1 = x·y = 6, t3 = t1 + t2 = 10"
    assert texts[1] == "∂t3/∂t2 += ∂t3/∂t3 · ∂t3/∂t2 = 1 × 1 = 1\n  where t2 = x·x = 4"
    assert all("where" not in t for t in texts[2:])
    everything = "\n".join(texts)
    for name in ("t1", "t2", "t3"):
        assert len(re.findall(f"(?:where |, ){name} = ", everything)) == 1
    assert "where t1 = x·y = 6, t3 = t1 + t2 = 10" in repr(next(iter(backward_steps(f))))


def test_the_steps_repr_defines_its_root():
    _, _, f = unlabelled()
    assert repr(backward_steps(f)) == (
        "<backward_steps of t3: 0/6 edges done, where t3 = t1 + t2 = 10>")
    net = karpathy_neuron()
    assert repr(backward_steps(net.root)) == "<backward_steps of o: 0/9 edges done>"


def test_a_check_table_defines_an_auto_named_root():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    g = (x * y) ** 2
    text = str(check(g, grads={"x": "36"}))
    assert text.splitlines()[-3:] == ["where", "  t1 = x·y = 6", "  t2 = t1**2 = 36"]
    assert "t2 = t1**2 = 36" in check(g, grads={"x": "36"})._repr_html_()
    assert "where" not in str(check(karpathy_neuron().root, grads={"x1": "-1.5"}))


def test_the_cli_prints_its_nodes_table_and_no_definitions_twice(tmp_path):
    r = handgrad("grad", "x*y + x*x", "--at", "x=2", "y=3", "--steps", "--explain", "x",
                 cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("t1 = x·y = 6") == 1
    assert "where t" not in r.stdout and "  t1 = " not in r.stdout


def test_korean_steps_define_the_auto_names():
    net = korean_neuron()
    everything = "\n".join(steps_text(net.root))
    assert everything.count("t1 = 가중치·입력 = 1") == 1
    assert everything.count("t2 = (활성화 출력) − 1 = ") == 1


# -- item 9: a single edge is one line; a power's derivative is simplified ---------------------

def test_explain_of_a_single_edge_says_it_once():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    f = (x * y).named("f")
    assert str(explain(f, x)) == "∂f/∂x = y = 3"
    net = karpathy_neuron()
    assert str(explain(net.root, "n")) == "∂o/∂n = 1 − o² = 0.5"
    assert str(explain(net["n"], "b")) == "∂n/∂b = 1"
    assert explain(f, x)._repr_latex_().count("= 3") == 1


@pytest.mark.parametrize("n, formula, local", [
    (2, "2·x", 2 * 1.5),
    (3, "3·x**2", 3 * 1.5 ** 2),
    (1, "1", 1.0),
    (0.5, "0.5·x**(-0.5)", 0.5 * 1.5 ** -0.5),
    (-1, "(-1)·x**(-2)", -1.5 ** -2),
    (-0.5, "(-0.5)·x**(-1.5)", -0.5 * 1.5 ** -1.5),
])
def test_a_power_with_a_number_exponent_has_its_derivative_worked_out(n, formula, local):
    x = Value(1.5, "x")
    (step,) = backward_steps((x ** n).named("f"))
    assert step.formula == formula
    assert step.local == pytest.approx(local, rel=1e-12)


def test_explain_says_a_repeated_argument_sums_two_edges():
    x = Value(2.0, "x")
    f = (x * x).named("f")
    steps = list(backward_steps(f))
    assert [s.local_name for s in steps] == ["∂f/∂x (argument 1)", "∂f/∂x (argument 2)"]
    text = str(explain(f, x))
    assert text == "∂f/∂x = x + x = 4  (x is arguments 1 and 2 of f: the sum of both edges)"
    y = Value(3.0, "y")
    g = (x * x * y).named("g")
    assert "  ∂t1/∂x = x + x = 4  (x is arguments 1 and 2 of t1: the sum of both edges)" in \
        str(explain(g, x)).splitlines()


# -- item 10: counts in words ---------------------------------------------------------------

def test_one_is_singular():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    f = (x * y).named("f")
    assert str(check(f, grads={"x": "3"})).startswith("1 answer checked against f: all ok")
    assert str(check(f, grads={"x": "3", "y": "2"})).startswith("2 answers checked against f")
    assert repr(explain(f, x)) == "<explain ∂f/∂x = 3: 1 path>"
    assert repr(explain((x * y + x).named("g"), x)) == "<explain ∂g/∂x = 4: 2 paths>"


def test_one_node_and_one_more_term_in_a_grouped_explanation():
    x = Value(1.0, "x")
    a = (x + x + x).named("a")   # three paths into a: two through t1 = x + x, one direct
    f = (a * 2).named("f")
    e = explain(f, x, max_terms=1, collapse=False)
    assert e.grouped and e.paths == 3
    assert str(e).splitlines()[0] == ("∂f/∂x: 3 paths from f, grouped through the 1 node "
                                      "where paths split or merge")
    b, c, d = (x * 2).named("b"), (x * 3).named("c"), (x * 4).named("d")
    g = (b + c + d).named("g")   # x has three consumers: its equation has three terms
    text = str(explain(g, x, max_terms=2))
    assert "… (1 more term)" in text and "more terms" not in text


# -- item 11: display width -----------------------------------------------------------------

def test_the_check_table_aligns_by_display_width():
    net = korean_neuron()
    grads = {label: f"{g:.4f}" for label, g in KOREAN_GRADS.items()}
    lines = str(check(net.root, grads=grads)).splitlines()[1:]
    starts = {tuple(cell_starts(line)[:6]) for line in lines}
    assert len(starts) == 1, "\n".join(lines)


def test_explain_continuation_lines_align_by_display_width():
    net = korean_neuron()
    lines = str(explain(net.root, "가중치")).split("\nwhere")[0].splitlines()
    assert len(lines) == 3
    eq = columns(lines[0][:lines[0].index(" = ")])
    assert all(columns(line[:line.index("= ")]) == eq + 1 for line in lines[1:])


def test_the_gradcheck_table_aligns_korean_labels():
    w, x = Value(0.5, "가중치"), Value(0.0, "x")
    with pytest.raises(autograd.GradcheckError) as e:  # relu at 0: backward 0, numeric 0.5
        autograd.gradcheck(lambda w, x: w + x.relu(), [w, x])
    rows = str(e.value).splitlines()[1:]
    assert len(rows) == 2 and rows[1].endswith("MISMATCH")
    assert len({columns(row[:row.index(":")]) for row in rows}) == 1, rows


# -- item 12: every Python identifier is a name -------------------------------------------------

def test_korean_names_in_an_expression():
    e = parse("가중치*입력 + 편향")
    assert e.names == ("가중치", "입력", "편향")
    root, leaves = e.evaluate({"가중치": 0.5, "입력": 2.0, "편향": 0.1})
    root.backward()
    assert root.data == pytest.approx(0.5 * 2 + 0.1, rel=1e-15)
    assert [leaves[n].grad for n in e.names] == [2.0, 0.5, 1.0]  # ∂/∂w = x, ∂/∂x = w, ∂/∂b = 1


def test_the_issue_command(tmp_path):
    r = handgrad("grad", "가중치*입력 + 편향", "--at", "가중치=0.5", "입력=2", "편향=0.1",
                 cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = {line.split()[0]: [float(c) for c in line.split()[1:]]
            for line in r.stdout.splitlines()[5:]}
    assert rows == {"가중치": [0.5, 2.0], "입력": [2.0, 0.5], "편향": [0.1, 1.0]}
    assert float(r.stdout.splitlines()[1].removeprefix("f = ")) == pytest.approx(1.1)


@pytest.mark.parametrize("text, names", [
    ("α*x + β", ("α", "x", "β")),
    ("σ * 2", ("σ",)),                 # a Greek name may be a name ...
    ("η_학습률 + x_1", ("η_학습률", "x_1")),
    ("ｘ*ｘ + x", ("x",)),              # NFKC, as Python reads identifiers: ｘ is x
])
def test_any_identifier_is_a_name(text, names):
    assert parse(text).names == names


def test_names_are_compared_as_python_compares_them():
    decomposed = unicodedata.normalize("NFD", "가중치")  # as macOS may hand it over
    assert decomposed != "가중치"
    root, leaves = parse(f"{decomposed} * 2").evaluate({"가중치": 1.5})
    assert root.data == 3.0 and list(leaves) == ["가중치"]
    root, _ = parse("가중치 * 2").evaluate({decomposed: 1.5})
    assert root.data == 3.0


@pytest.mark.parametrize("text, words", [
    ("σ(z)", "write sigmoid(...)"),     # ... but not a function
    ("x·y", "write *"),                 # Python takes x·y as one name; here it is a product
    ("x→y", "character '→' (U+2192) is not allowed"),
    ("x² + 1", "write **2"),
    ("가중치 + __클래스__", "must not start with __"),
])
def test_what_is_still_not_a_name(text, words):
    with pytest.raises(ExprError) as e:
        parse(text)
    assert words in str(e.value)


@pytest.mark.parametrize("text, words, column", [
    ("가중치 + sigmod(x)", "unknown function 'sigmod'", 7),
    ("가중치 + __x", "must not start with __", 7),
    ("가중치.real", "attribute access", 4),
    ("입력 ^ 2", "write x**2", 4),
    ("0.5가중치 + 1", "write 0.5*가중치: a number and a name need *", 1),
])
def test_errors_after_a_korean_name_point_at_the_character(text, words, column):
    """Python's syntax tree counts columns in UTF-8 bytes (가 is three): the
    errors count characters."""
    with pytest.raises(ExprError) as e:
        parse(text)
    assert words in str(e.value) and e.value.column == column


def test_a_math_error_names_the_korean_parts_of_the_text():
    e = parse("(가중치 + 1) / (x - x)")
    with pytest.raises(autograd.NumericError) as error:
        e.evaluate({"가중치": 1.0, "x": 2.0})
    assert "div(가중치 + 1, x - x): division by zero (x - x = 0.0)" in str(error.value)


def test_a_korean_sheet_checks(tmp_path):
    r = handgrad("check", korean_sheet(tmp_path).name, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 answers checked against 활성화 출력: all ok" in r.stdout


def test_korean_assignments_on_the_command_line_match_any_normal_form(tmp_path):
    decomposed = unicodedata.normalize("NFD", "입력")
    r = handgrad("grad", "입력**2", "--at", f"{decomposed}=3", "--wrt", decomposed, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1].split() == ["입력", "3", "6"]  # ∂(x²)/∂x = 2x = 6
    assert math.isclose(float(r.stdout.splitlines()[1].removeprefix("f = ")), 9.0)


# -- items 7 and 11 with Korean names in expressions (which need item 12) ------------------

KOREAN_SHEET = """\
title = "뉴런 하나"
[problem]
expression = "sigmoid(가중치*입력 + 편향)"
name = "활성화 출력"
[problem.at]                # TOML 1.0 keys outside A-Za-z0-9_- are quoted
"가중치" = 0.5
"입력" = 2.0
"편향" = 0.1
[answers.grads]
"가중치" = "{dw:.4f}"
"편향" = "{db:.4f}"
"""


def korean_sheet(tmp_path):
    ds = SIGMA * (1 - SIGMA)  # ∂σ(z)/∂z at z = 0.5·2 + 0.1; ∂z/∂가중치 = 입력 = 2, ∂z/∂편향 = 1
    path = tmp_path / "뉴런.toml"
    path.write_text(KOREAN_SHEET.format(dw=2 * ds, db=ds), encoding="utf-8")
    return path


def test_the_cli_check_of_a_korean_sheet_brackets_and_aligns(tmp_path):
    path = korean_sheet(tmp_path)
    code, out = run_on_a_terminal(["check", path.name, "--no-color"], cwd=tmp_path)
    assert code == 0, out
    lines = out.replace("\r\n", "\n").splitlines()
    table = [line for line in lines if "∂(활성화 출력)/∂" in line or line.startswith("answer ")]
    assert len(table) == 3
    assert len({tuple(cell_starts(line)[:6]) for line in table}) == 1  # aligned by display width


def test_the_cli_table_aligns_korean_names_in_a_terminal(tmp_path):
    code, out = run_on_a_terminal(["grad", "가중치*입력 + 편향", "--at", "가중치=0.5", "입력=2",
                                   "편향=0.1", "--no-color"], cwd=tmp_path)
    assert code == 0, out
    table = out.replace("\r\n", "\n").split("\n\n", 1)[1].splitlines()
    ends = {columns(line.rstrip()) for line in table}
    assert len(ends) == 1, table  # right-aligned numbers end in one display column


def test_an_expression_error_points_at_the_right_column_after_hangul():
    with pytest.raises(ExprError) as e:
        parse("가중치*입력 + @")
    line, caret = str(e.value).splitlines()[1:3]
    assert columns(caret.index("^") * " ") == columns(line[:line.index("@")])
    assert caret[:caret.index("^")] == " " * columns("  가중치*입력 + ")


# -- items 10 and 11 in `handgrad check`'s summary of several sheets ------------------------

def test_the_summary_of_several_sheets_counts_in_words():
    from pathlib import Path

    from handgrad.checked import Checked, summary_lines
    f = (Value(2.0, "x") * Value(3.0, "y")).named("f")  # ∂f/∂x = y = 3, ∂f/∂y = x = 2
    good, bad = check(f, grads={"x": "3"}), check(f, grads={"y": "5"})
    assert summary_lines([Checked(Path("a.toml"), "a", good)])[0] == \
        "1 sheet: 1 ok (1 answer, none wrong)"
    assert summary_lines([Checked(Path("b.toml"), "b", bad)])[0] == \
        "1 sheet: 0 ok, 1 with wrong answers (1 of 1 answer wrong)"


def test_the_summary_wraps_korean_answers_by_display_width():
    from handgrad.checked import _packed
    items = [f"∂손실/∂가중치{i} = 0.5 (should be 0.4)" for i in range(6)]
    lines = _packed("  a.toml: 6 of 6 wrong:", items, 70)  # an item takes 37 columns, 30 chars
    assert len(lines) == 6 and all(columns(line) <= 70 for line in lines), lines
    assert " ".join(lines).replace(",", "").split() == \
        "a.toml: 6 of 6 wrong:".split() + " ".join(items).split()
