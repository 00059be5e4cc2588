"""Ways of writing the same thing that must read the same (issue #12's
symbol contract: spaces and braces change nothing), found by a new user's
QA pass: braced or spaced derivative arguments, \\dfrac and its kin, and
numbers written in scientific notation (judged at the precision of the
mantissa: 1.4254 × 10⁻¹ is graded as 0.14254 would be).

The QA's problem, by hand: z = w·x + b = 0.5·2 − 0.5 = 0.5;
s = σ(0.5) = 1/(1 + e^−0.5) = 0.6224593; L = (s − 1)² = 0.1425370;
∂L/∂s = 2(s − 1) = −0.7550813; ∂s/∂z = s(1 − s) = 0.2350037;
∂L/∂z = −0.1774469; ∂L/∂w = ∂L/∂z·x = −0.3548938; ∂L/∂b = ∂L/∂z = −0.1774469."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from handgrad.problem import load_problem, loads_problem
from handgrad.report import grade_markdown

QA_TOML = """
[problem]
expression = "(s - y)**2"
name = "L"
lr = 0.1
[problem.let]
z = "w*x + b"
s = "sigmoid(z)"
[problem.at]
w = 0.5
x = 2.0
b = -0.5
y = 1.0
"""
QA = loads_problem(QA_TOML)
S = 1 / (1 + math.exp(-0.5))
L = (S - 1) ** 2
DL_DZ = 2 * (S - 1) * S * (1 - S)


def test_the_hand_values_of_the_qa_problem():
    assert (round(S, 6), round(L, 6), round(DL_DZ, 6), round(DL_DZ * 2, 6)) == \
        (0.622459, 0.142537, -0.177447, -0.354894)


def _graded(text: str) -> list[tuple[str, str, str, str]]:
    """(hand, quantity, kind, verdict) of every item, in document order."""
    return [(it.hand, it.quantity, it.kind, it.verdict)
            for it in grade_markdown(QA, text).items]


@pytest.mark.parametrize("fraction", [r"\frac", r"\dfrac", r"\tfrac", r"\cfrac",
                                      r"\cfrac[l]"])
def test_dfrac_tfrac_and_cfrac_read_as_frac(fraction):
    assert _graded(f"$${fraction}{{\\partial L}}{{\\partial w}} = -0.3549$$") == \
        [("-0.3549", "∂L/∂w", "grad", "correct")]
    assert _graded(f"$${fraction}{{dL}}{{db}} = -0.1775$$") == \
        [("-0.1775", "∂L/∂b", "grad", "close")]  # −0.17745 rounds to −0.1774: one unit off
    # numbers only: 1/4 + 3/4 = 1; the computation is the claim
    assert _graded(f"$${fraction}{{1}}{{4}} + {fraction}{{3}}{{4}} = 1$$") == \
        [("1", "arithmetic", "arithmetic", "correct")]


def test_a_fraction_without_its_two_arguments_is_named_as_written():
    [item] = grade_markdown(QA, r"$$s = 0.6225 \dfrac$$").items
    assert item.verdict == "unread" and r"'\dfrac without two arguments'" in item.note


@pytest.mark.parametrize("derivative", [
    r"\frac{\partial L}{\partial w}", r"\frac{\partial{L}}{\partial{w}}",
    r"\frac{\partial {L}}{\partial { w }}", r"\frac{\partial{ L}}{\partial w}",
    r"\frac{dL}{dw}", r"\frac{d L}{d w}", r"\frac{d{L}}{d{w}}", r"\frac{d {L}}{dw}",
    r"\frac{\mathrm{d}L}{\mathrm{d}w}", r"\frac{\mathrm{d} L}{\mathrm{d} w}",
    r"\partial L / \partial w", r"\partial{L}/\partial{w}", r"dL/dw"])
def test_braces_and_spaces_in_a_derivative_change_nothing(derivative):
    # ∂L/∂w = −0.3548938: −0.3549 is it rounded, −0.3550 one unit off, −0.3560 wrong
    assert _graded(f"$${derivative} = -0.3549$$") == [("-0.3549", "∂L/∂w", "grad", "correct")]
    assert _graded(f"$${derivative} = -0.3550$$") == [("-0.3550", "∂L/∂w", "grad", "close")]
    assert _graded(f"$${derivative} = -0.3560$$") == [("-0.3560", "∂L/∂w", "grad", "wrong")]


@pytest.mark.parametrize("derivative", [
    r"\frac{\partial s}{\partial z}", r"\frac{\partial{s}}{\partial{z}}",
    r"\frac{d s}{d z}", r"\frac{d{s}}{d{z}}"])
def test_a_derivative_between_labels_in_braces_or_spaced(derivative):
    # ∂s/∂z = s(1 − s) = 0.2350037
    assert _graded(f"$${derivative} = 0.2350$$") == [("0.2350", "∂s/∂z", "derivative", "correct")]


def test_a_braced_subscripted_name_after_the_partial_is_one_name():
    # seed 000's spelling: ∂{\text{Loss}}/∂{y_1}; here the QA problem's inputs are
    # named instead, so that the name has a subscript: ∂L/∂w with w written w_{}
    problem = loads_problem("""
[problem]
expression = "(s - y)**2"
name = "Loss"
[problem.let]
s = "sigmoid(w1*x)"
[problem.at]
w1 = 0.5
x = 2.0
y = 1.0
""")
    # s = σ(1) = 0.7310586; ∂Loss/∂w1 = 2(s − 1)·s(1 − s)·x = −0.2115084
    for text in (r"\frac{\partial{\text{Loss}}}{\partial{w_1}}",
                 r"\frac{\partial \text{Loss}}{\partial w_{1}}",
                 r"\frac{\partial { \text{Loss} }}{\partial {w_{1}}}"):
        [item] = grade_markdown(problem, f"$${text} = -0.2115$$").items
        assert (item.quantity, item.verdict) == ("∂Loss/∂w1", "correct"), text


@pytest.mark.parametrize("written", [
    r"1.4254 \times 10^{-1}", r"1.4254 \cdot 10^{-1}", r"1.4254 \times 10^-1",
    r"1.4254 × 10^{-1}", r"1.4254 \times 10^{ - 1 }", "1.4254e-1", "1.4254E-1",
    r"0.014254 \times 10^{1}", r"0.014254 \times 10^{+1}"])
def test_scientific_notation_is_one_number_at_its_mantissa_s_precision(written):
    # L = 0.1425370: to 5 decimals 0.14254 (correct); 0.14255 one unit off (close)
    [(hand, quantity, kind, verdict)] = _graded(f"$$L = {written}$$")
    assert (quantity, kind, verdict) == ("L", "value", "correct")
    assert float(hand) == 0.14254
    close = written.replace("4254", "4255", 1)
    assert _graded(f"$$L = {close}$$")[0][3] == "close"


@pytest.mark.parametrize("hand, verdict, expected", [
    # the mantissa's decimals + 1 are the value's: 1.43 × 10⁻¹ claims 0.143 (correct:
    # 0.142537 rounds to 0.143), 1.42 × 10⁻¹ claims 0.142 (0.54 of a unit off: close),
    # 1.4260 × 10⁻¹ claims 0.14260 (6 units off: wrong, should be 1.4254 × 10⁻¹)
    ("1.43", "correct", "1.43e-01"), ("1.42", "close", "1.43e-01"),
    ("1.4260", "wrong", "1.4254e-01"), ("1", "correct", "1e-01"), ("2", "wrong", "1e-01")])
def test_the_precision_of_a_scientific_number_is_its_mantissa_s(hand, verdict, expected):
    [item] = grade_markdown(QA, f"$$L = {hand} \\times 10^{{-1}}$$").items
    assert (item.hand, item.verdict, item.expected) == (f"{hand}e-1", verdict, expected)


def test_a_negative_scientific_gradient_and_its_arithmetic():
    # ∂L/∂w = −0.3548938 written −3.549 × 10⁻¹ (4 decimals: correct); the arithmetic
    # 2 × (−1.7745 × 10⁻¹) = −0.3549 exactly, so no note says what the numbers give
    text = r"$$\frac{\partial L}{\partial w} = 2 \times (-1.7745 \times 10^{-1}) = -3.549 \times 10^{-1}$$"
    items = grade_markdown(QA, text).items
    assert [(it.hand, it.quantity, it.verdict, it.note) for it in items] == [
        ("-3.549e-1", "arithmetic", "correct", ""), ("-3.549e-1", "∂L/∂w", "correct", "")]


def test_what_is_not_a_power_of_ten_stays_arithmetic():
    # 0.5 × 10^{0.5} and 0.5 × 10^{x} are no scientific numbers; 10^{-1} alone is a power:
    # 0.5 × 10² = 50 is checked as arithmetic of exact numbers
    assert _graded(r"$$0.5 \times 10^{2} = 50$$") == [("50", "arithmetic", "arithmetic", "correct")]
    assert _graded(r"$$10^{-1} = 0.1$$") == [("0.1", "arithmetic", "arithmetic", "correct")]
    # a letter before the digits: part of a name (x2e1 names nothing), never a number
    [item] = grade_markdown(QA, r"$$x2e1 = 2$$").items
    assert item.verdict == "unchecked" and "'x2e1' names nothing" in item.note


SEED000 = Path(__file__).resolve().parents[1] / "handgrad" / "problems" / "seed000.toml"


@pytest.mark.parametrize("line", [
    r"$$z_{20} = w_{10}a_{10} + w_{20}a_{11} = 0.4 \times 0.5225 + 0.1 \times 0.5300 = 0.2620$$",
    r"$$ z_{20} = w_{10}a_{10} + w_{20}a_{11} = 0.4 \times 0.5225 + 0.1 \times 0.5300 = 0.2620$$",
    r"$$z_{20}=w_{10}a_{10} + w_{20}a_{11} = 0.4 \times 0.5225 + 0.1 \times 0.5300 = 0.2620$$",
    r"$z_{20} = w_{10}a_{10} + w_{20}a_{11} = 0.4 \times 0.5225 + 0.1 \times 0.5300 = 0.2620$",
    "$$\n z_{20} = w_{10}a_{10} + w_{20}a_{11} = 0.4 \\times 0.5225 + 0.1 \\times 0.5300 = 0.2620\n$$",
    r"- $$z_{20} = w_{10}a_{10} + w_{20}a_{11} = 0.4 \times 0.5225 + 0.1 \times 0.5300 = 0.2620$$"])
def test_a_part_marker_is_matched_with_whitespace_and_dollars_insignificant(line):
    # seed 000's second layer starts at "$$z_{20} =": from there w_{10} is w(1)10 = 0.4
    # (the first layer's w(0)10 is 0.2). By hand: a10 = σ(0.09) = 0.5224848,
    # a11 = σ(0.12) = 0.5299639, z20 = 0.4·a10 + 0.1·a11 = 0.2619903
    result = grade_markdown(load_problem(SEED000), f"Q3.\n\n{line}\n")
    got = [(it.hand, it.quantity, it.verdict) for it in result.items]
    assert got == [("0.4", "w(1)10", "correct"), ("0.5225", "a10", "correct"),
                   ("0.1", "w(1)20", "correct"), ("0.5300", "a11", "correct"),
                   ("0.2620", "arithmetic", "correct"), ("0.2620", "z20", "correct")]
    assert {it.part for it in result.items} == {"Q3 (second layer)"}


def test_a_marker_that_only_looks_alike_starts_nothing():
    # z_{21} is not z_{20}, and the marker must start its line: no second-layer part,
    # so w_{10} is read with Q3's notation as the first layer's w(0)10 = 0.2
    for line in (r"$$z_{21} = w_{10} = 0.2$$", r"so $$z_{20} = w_{10} = 0.2$$"):
        result = grade_markdown(load_problem(SEED000), f"Q3.\n\n{line}\n")
        assert [(it.quantity, it.verdict) for it in result.items if it.quantity.startswith("w")] \
            == [("w(0)10", "correct")], line


def test_grade_names_a_claim_s_kind_as_check_does(tmp_path):
    # the same answers as a sheet (check) and as a derivation (grade): ∂L/∂w = −0.3548938,
    # ∂s/∂z = 0.2350037, s = 0.6224593, one step w⁺ = 0.5 − 0.1 × (−0.3548938) = 0.5354894
    import json

    from cli import handgrad
    problem = (tmp_path / "p.toml")
    problem.write_text(QA_TOML, encoding="utf-8")
    sheet = tmp_path / "sheet.toml"
    sheet.write_text(QA_TOML + '[answers.values]\ns = "0.6225"\n[answers.grads]\nw = "-0.3549"\n'
                     '"ds/dz" = "0.2350"\n[answers.updates]\nw = "0.5355"\n', encoding="utf-8")
    hw = tmp_path / "hw.md"
    hw.write_text("$$s = 0.6225$$\n\n$$\\frac{\\partial L}{\\partial w} = -0.3549$$\n\n"
                  "$$\\frac{\\partial s}{\\partial z} = 0.2350$$\n\n"
                  "$$w^{+} = w - 0.1 \\times (-0.3549) = 0.5355$$\n", encoding="utf-8")
    checked = json.loads(handgrad("check", sheet, "--format", "json").stdout)
    graded = json.loads(handgrad("grade", problem, hw, "--format", "json").stdout)
    by_check = {(r["quantity"], r["hand"]): r["kind"] for r in checked["sheets"][0]["items"]}
    by_grade = {(r["quantity"], r["hand"]): r["kind"]
                for r in graded["submissions"][0]["items"] if (r["quantity"], r["hand"]) in by_check}
    assert by_check == {("s", "0.6225"): "value", ("∂L/∂w", "-0.3549"): "grad",
                        ("∂s/∂z", "0.2350"): "derivative",
                        (next(q for q, h in by_check if h == "0.5355"), "0.5355"): "update"}
    assert by_grade == by_check


def test_an_unchecked_derivative_is_named_by_what_it_is_written_of():
    # q names nothing: ∂L/∂q is written of the root (grad), ∂s/∂q between symbols
    assert [(it.kind, it.verdict) for it in grade_markdown(
        QA, r"$$\frac{\partial L}{\partial q} = 1 \quad \frac{\partial s}{\partial q} = 1$$").items] \
        == [("grad", "unchecked"), ("derivative", "unchecked")]
