"""Ways of writing the same thing that must read the same (issue #12's
symbol contract: spaces and braces change nothing), found by a new user's
QA pass: braced or spaced derivative arguments, \\dfrac and its kin, and
numbers written in scientific notation.

The QA's problem, by hand: z = w·x + b = 0.5·2 − 0.5 = 0.5;
s = σ(0.5) = 1/(1 + e^−0.5) = 0.6224593; L = (s − 1)² = 0.1425370;
∂L/∂s = 2(s − 1) = −0.7550813; ∂s/∂z = s(1 − s) = 0.2350037;
∂L/∂z = −0.1774473; ∂L/∂w = ∂L/∂z·x = −0.3548945; ∂L/∂b = ∂L/∂z = −0.1774473."""

from __future__ import annotations

import math

import pytest

from handgrad.problem import loads_problem
from handgrad.report import grade_markdown

QA = loads_problem("""
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
""")
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
        [("-0.3549", "∂L/∂w", "value", "correct")]
    assert _graded(f"$${fraction}{{dL}}{{db}} = -0.1775$$") == \
        [("-0.1775", "∂L/∂b", "value", "close")]  # −0.17745 rounds to −0.1774: one unit off
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
    # ∂L/∂w = −0.3548945: −0.3549 is it rounded, −0.3550 one unit off, −0.3560 wrong
    assert _graded(f"$${derivative} = -0.3549$$") == [("-0.3549", "∂L/∂w", "value", "correct")]
    assert _graded(f"$${derivative} = -0.3550$$") == [("-0.3550", "∂L/∂w", "value", "close")]
    assert _graded(f"$${derivative} = -0.3560$$") == [("-0.3560", "∂L/∂w", "value", "wrong")]


@pytest.mark.parametrize("derivative", [
    r"\frac{\partial s}{\partial z}", r"\frac{\partial{s}}{\partial{z}}",
    r"\frac{d s}{d z}", r"\frac{d{s}}{d{z}}"])
def test_a_derivative_between_labels_in_braces_or_spaced(derivative):
    # ∂s/∂z = s(1 − s) = 0.2350037
    assert _graded(f"$${derivative} = 0.2350$$") == [("0.2350", "∂s/∂z", "value", "correct")]


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
    # s = σ(1) = 0.7310586; ∂Loss/∂w1 = 2(s − 1)·s(1 − s)·x = −0.2114509
    for text in (r"\frac{\partial{\text{Loss}}}{\partial{w_1}}",
                 r"\frac{\partial \text{Loss}}{\partial w_{1}}",
                 r"\frac{\partial { \text{Loss} }}{\partial {w_{1}}}"):
        [item] = grade_markdown(problem, f"$${text} = -0.2115$$").items
        assert (item.quantity, item.verdict) == ("∂Loss/∂w1", "correct"), text
