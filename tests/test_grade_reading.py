"""What the reader reads, one construct at a time, on small documents whose
every number is worked out here by hand."""

from __future__ import annotations

import pytest

from examples import neuron_problem

from handgrad import calls
from handgrad.problem import loads_problem
from handgrad.report import grade_markdown

NEURON = neuron_problem(lr=0.1)  # s = σ(w·x) at w = 0.5, x = 2
# s = σ(1) = 0.7310586; ∂s/∂w = σ(1)(1 − σ(1))·x = 0.1966119 × 2 = 0.3932239;
# one step: w⁺ = 0.5 − 0.1 × 0.3932239 = 0.4606776.

TWO_SAMPLES = loads_problem("""
[problem]
inputs = [[1.0], [3.0]]
targets = [[0.0], [0.0]]
loss = "sse"
combine = "sum"
[[problem.layers]]
weights = [[0.5]]
activation = "identity"
[problem.labels]
weights = [[["w"]]]
inputs = "x[{k}]"
z = "z[{k}]"
a = ""
loss = "L"
""")
# z = 0.5·x = [0.5, 1.5]; L = Σ z² = 2.5; ∂L/∂z[k] = 2·z[k] = [1, 3];
# ∂L/∂w = Σ 2·z[k]·x[k] = 2(0.5 + 4.5) = 10.


def _items(problem, text: str) -> list[tuple[str, str, str]]:
    """(hand, kind, verdict) of every item, sorted (a number may have two)."""
    return sorted((it.hand, it.kind, it.verdict) for it in grade_markdown(problem, text).items)


@pytest.mark.parametrize("text, expected", [
    # every way the issue lists of writing a derivative
    (r"$$\frac{\partial s}{\partial w} = 0.3932$$", [("0.3932", "grad", "correct")]),
    (r"$$\partial s / \partial w = 0.3932$$", [("0.3932", "grad", "correct")]),
    (r"$$\frac{ds}{dw} = 0.3932$$", [("0.3932", "grad", "correct")]),
    (r"$$ds/dw = 0.3932$$", [("0.3932", "grad", "correct")]),
    # e^{x} is exp(x) = 7.389056, not a symbol "e^x"
    (r"$$e^{x} = 7.389$$", [("7.389", "value", "correct")]),
    (r"$$e^{x} = 7.41$$", [("7.41", "value", "wrong")]),  # 7.39, two units off
    # numbers only: the computation is the claim (and its numbers are its operands)
    (r"$$0.5 \times 2 = 1.2$$", [("1.2", "arithmetic", "wrong")]),
    (r"$$\left( 0.5 \cdot 2 \right) = 1$$", [("1", "arithmetic", "correct")]),
    (r"$$\sqrt{4} + \log 1 = 2$$", [("2", "arithmetic", "correct")]),
    # every way of writing the step of w, including W^{k+1} = W^k − α·g
    (r"$$w^{k+1} = w^k - 0.1 \times 0.3932 = 0.4607$$",
     [("0.1", "lr", "correct"), ("0.4607", "arithmetic", "correct"),
      ("0.4607", "update", "correct")]),
    (r"$$w := w - 0.2 \times 0.3932 = 0.4214$$",  # 0.5 − 0.07864 = 0.42136; lr is 0.1
     [("0.2", "lr", "wrong"), ("0.4214", "arithmetic", "correct"),
      ("0.4214", "update", "wrong")]),
    # a condition is no claim: z > 0 has nothing to grade
    (r"Since $w x > 0$, nothing here is graded.", []),
])
def test_the_constructs_of_a_derivation(text, expected):
    assert _items(NEURON, text) == expected


def test_max_and_relu():
    problem = loads_problem("""
[problem]
expression = "relu(w*x)"
name = "y"
[problem.at]
w = 0.5
x = -2.0
""")  # y = ReLU(−1) = max(0, −1) = 0
    assert _items(problem, r"$$y = \text{ReLU}(w x) = \max(0, -1) = 0$$") == [
        ("-1", "expression", "correct"), ("0", "arithmetic", "correct"),
        ("0", "value", "correct")]
    assert _items(problem, r"$$y = \max(0, -1) = -1$$") == [
        ("-1", "arithmetic", "wrong"), ("-1", "value", "wrong")]


def test_a_per_sample_node_is_named_without_its_sample():
    # z is labelled z[1], z[2]: the document's z written as a column is the two samples
    assert _items(TWO_SAMPLES, r"$$z = w x = \begin{bmatrix} 0.5 \\ 1.3 \end{bmatrix}$$") == [
        ("0.5", "value", "correct"), ("1.3", "value", "wrong")]
    report = grade_markdown(TWO_SAMPLES, r"$$z = \begin{bmatrix} 0.5 \\ 1.5 \end{bmatrix}$$")
    assert [it.quantity for it in report.items] == ["z[1]", "z[2]"]


def test_a_constant_taken_out_of_a_vector_divides_its_entries():
    # ∂L/∂z = 2·[0.5, 1.5]: the entries are ∂L/∂z[k] ÷ 2 = 0.5 and 1.5
    text = r"$$\frac{\partial L}{\partial z} = 2 \begin{bmatrix} 0.5 \\ 1.7 \end{bmatrix}$$"
    report = grade_markdown(TWO_SAMPLES, text)
    assert [(it.hand, it.verdict, it.expected) for it in report.items] == [
        ("0.5", "correct", "0.5"), ("1.7", "wrong", "1.5")]
    assert report.items[1].quantity == "∂L/∂z[2] ÷ 2"


def test_per_sample_symbols_in_vector_arithmetic_take_the_problems_values():
    # Σ(2·[0.5, 1.5] ⊙ x) with x = [1, 3]: 2(0.5·1 + 1.5·3) = 10
    text = (r"$$\frac{\partial L}{\partial w} = \sum \left( 2 \begin{bmatrix} 0.5 \\ 1.5 "
            r"\end{bmatrix} \odot x \right) = 10$$")
    assert _items(TWO_SAMPLES, text) == [("10", "arithmetic", "correct"),
                                         ("10", "grad", "correct")]


def test_matrices_and_side_remarks_are_unread_with_the_reason():
    report = grade_markdown(TWO_SAMPLES, r"$$W = \begin{bmatrix} 1 & 2 \\ 3 & -4 "
                                         r"\end{bmatrix}$$")
    assert [it.hand for it in report.items] == ["1", "2", "3", "-4"]
    assert {it.verdict for it in report.items} == {"unread"}
    assert "a 2×2 matrix: the grader reads vectors" in report.items[0].note
    remark = grade_markdown(NEURON, r"$$s = 0.7311 \quad (\text{from the table} \\ -0.73)$$")
    assert [(it.hand, it.verdict) for it in remark.items] == [("0.7311", "correct"),
                                                              ("-0.73", "unread")]
    assert remark.items[1].note == "a side remark (words in parentheses), not an equation"


def test_a_row_vector_in_parentheses_is_read():
    # the targets (0, 1) name no node: unchecked with the reason, not unread
    report = grade_markdown(TWO_SAMPLES, r"$y = (0, 1)$")
    assert [(it.hand, it.verdict) for it in report.items] == [("0", "unchecked"),
                                                              ("1", "unchecked")]
    assert "'y' names nothing in the problem" in report.items[0].note


def test_a_power_of_a_function_and_a_function_named_alone():
    # tanh(0.5) = 0.4621172; 1 − 0.4621172² = 0.7864477
    assert _items(NEURON, r"$$1 - \tanh^2(0.5) = 0.7864$$") == [("0.7864", "arithmetic",
                                                                  "correct")]
    report = grade_markdown(NEURON, r"the derivative of tanh is $1 - \tanh^2$")
    assert report.items == [] and report.results[0].counts.formulas == 1


def test_one_number_for_a_per_sample_quantity_that_is_the_same_in_every_sample():
    # z[k] = w·x[k], so ∂z[k]/∂x[k] = w = 0.5 in both samples (and 0.5 is w as well)
    report = grade_markdown(TWO_SAMPLES, r"$$\frac{\partial z}{\partial x} = w = 0.5$$")
    assert sorted((it.quantity, it.verdict) for it in report.items) == [
        ("w", "correct"), ("∂z[k]/∂x[k] (the same for every sample)", "correct")]
    # ∂z[k]/∂w = x[k] is 1, then 3: one number cannot say it
    report = grade_markdown(TWO_SAMPLES, r"$$\frac{\partial z}{\partial w} = 1$$")
    assert report.items[0].verdict == "unchecked"
    assert "is per sample: write it as a column vector" in report.items[0].note


def test_a_name_the_document_gives_a_computation_is_used_not_counted_twice():
    # B = 2·[0.5, 1.5] is substituted in the next line: Σ(B ⊙ x) = 2(0.5 + 4.5) = 10
    text = (r"$$2 \begin{bmatrix} 0.5 \\ 1.5 \end{bmatrix} = B$$" "\n\n"
            r"$$\frac{\partial L}{\partial w} = \sum (B \odot x) = 10$$")
    result = grade_markdown(TWO_SAMPLES, text).results[0]
    assert result.counts.numbers == 4  # 2, 0.5, 1.5 and 10: B's numbers are not read twice
    assert sorted((it.line, it.hand, it.kind, it.verdict) for it in result.items) == [
        (1, "0.5", "unchecked", "unchecked"), (1, "1.5", "unchecked", "unchecked"),
        (3, "10", "arithmetic", "correct"), (3, "10", "grad", "correct")]
    assert result.items[0].note.startswith("defines B, the document's own name")


@pytest.mark.parametrize("text, expected", [
    # every function of the op table is read, issue #13's too, as a macro or a word
    (r"$$\sin(0.5) = 0.4794$$", "correct"),                # sin 0.5 = 0.4794255
    (r"$$\arctan 1 = 0.7854$$", "correct"),                # π/4 = 0.7853982
    (r"$$\cosh(0) + \tan(0) = 1$$", "correct"),
    (r"$$\text{softplus}(0.5) = 0.9741$$", "correct"),    # ln(1 + e^0.5) = 0.9740770
    (r"$$softplus(0.5) = 0.9743$$", "wrong"),              # two units off
    (r"$$\operatorname{softplus}(0.5) = 0.9741$$", "correct"),  # amsmath's way to name one
    (r"$$\mathrm{logsumexp}(0, 0) = 0.6931$$", "correct"),  # ln 2 = 0.6931472
    # a value whose derivative alone is infinite is still a value
    (r"$$\sqrt{0} = 0$$", "correct"),
    (r"$$\arcsin(1) = 1.5708$$", "correct"),               # π/2 = 1.5707963
    (r"$$\sqrt{0.0225} = 0.15$$", "correct"),
])
def test_the_functions_of_the_op_table(text, expected):
    [(hand, kind, verdict)] = _items(NEURON, text)
    assert kind == "arithmetic" and verdict == expected


def test_a_function_outside_its_domain_says_why_as_the_engine_does():
    operand, item = grade_markdown(NEURON, r"$$\log(-1) = 0$$").items
    assert item.verdict == "unchecked"
    assert item.note == "the computation cannot be done: log of a non-positive number"
    # the -1 is in no check either: it says so, rather than passing as a checked operand
    assert (operand.hand, operand.verdict, operand.note) == (
        "-1", "unchecked", "an operand of a computation whose result 0 is unchecked: the "
        "computation cannot be done: log of a non-positive number")


def test_the_other_names_of_functions_name_functions_of_the_table():
    assert set(calls.OTHER_NAMES.values()) <= set(calls.FUNCTIONS)
    assert {"exp", "sin", "tanh", "sigmoid", "max", "logsumexp"} <= set(calls.FUNCTIONS)


def test_a_number_equal_to_what_could_not_be_read_says_so():
    # σ'(1) = σ(1)(1 − σ(1)) = 0.1966, but the reader does not know a prime on a
    # function: the 0.1966 is unchecked because of it, and the reason says that,
    # not that no step rewrote a computation.
    report = grade_markdown(NEURON, r"$$\sigma'(1) = 0.1966$$")
    (unread,) = [it for it in report.items if it.verdict == "unread"]
    (unchecked,) = [it for it in report.items if it.verdict == "unchecked"]
    assert unchecked.hand == "0.1966"
    assert unchecked.note == f"what it equals could not be read ({unread.note})"
    assert unread.note == "a prime on an expression"
