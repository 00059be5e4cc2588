"""What a check says beside its mark (issue #11, items 1-3): a WRONG note under
a tolerance gives the engine's value at a precision that shows the difference;
a right answer whose stated factors do not give it says so plainly, never a
bare ✓ beside a contradiction; `min_digits` marks coarse answers too coarse.

The network is Matt Mazur's "A Step by Step Backpropagation Example"
(mattmazur.com, 2015); the numbers asserted are his published ones."""

import pytest

from autograd import Value, check, grade
from autograd.check import CLOSE, COARSE, CORRECT, WRONG
from handgrad.sheet import bundled, load
from nn import MLP, half_sse
import seeds

# Mazur's published numbers: ∂E/∂w5 = 0.082167041 and the error E_total.
MAZUR_DE_DW5 = 0.082167041
MAZUR_E_TOTAL = 0.298371109


def mazur_loss():
    net = MLP.from_weights([[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
                           [[0.35, 0.35], [0.60, 0.60]], activations="sigmoid",
                           weight_labels=[[["w1", "w2"], ["w3", "w4"]],
                                          [["w5", "w6"], ["w7", "w8"]]])
    return half_sse(net([0.05, 0.10]), [0.01, 0.99]).named("E")


# -- item 1: a tolerance's WRONG note names the engine's value, not the answer ------

def check_q4():
    net = seeds.tobigs_perceptron()
    return check(net.root, seeds.Q4_VALUES, seeds.Q4_GRADS, updates=seeds.Q4_UPDATES,
                 lr=seeds.Q4_LR, factors=seeds.Q4_FACTORS)


def test_the_network_is_mazurs():
    loss = mazur_loss()
    assert loss.data == pytest.approx(MAZUR_E_TOTAL, abs=5e-10)
    r = check(loss, grads={"w5": "0.082167041"})["w5"]
    assert r.verdict == CORRECT and r.engine == pytest.approx(MAZUR_DE_DW5, abs=5e-10)


@pytest.mark.parametrize("options, should_read", [
    ({"tol": 1e-4}, "0.0822"),    # the tolerance's digits: 0.082167041 to 4 decimals
    ({"rtol": 1e-3}, "0.08217"),  # 1e-3 · 0.0822 = 8.2e-5: 5 decimals
    ({"tol": 1e-4, "rtol": 1e-3}, "0.0822"),  # |Δ| allowed: 1.8e-4, 4 decimals
])
def test_a_wrong_answer_under_a_tolerance_names_the_engines_value(options, should_read):
    r = check(mazur_loss(), grads={"w5": "0.08"}, **options)["w5"]
    assert r.verdict == WRONG  # 0.08 is 2.2e-3 away, beyond every tolerance here
    assert (r.expected, r.note) == (should_read, f"should be {should_read}")
    assert r.expected != r.hand


def test_a_tolerance_coarser_than_the_answer_keeps_the_answers_digits():
    r = check(Value(0.1, "a"), values={"a": "0.0822"}, tol=0.01)["a"]
    assert (r.verdict, r.note) == (WRONG, "should be 0.1000")


def test_a_scientific_answer_under_a_tolerance():
    r = check(Value(0.082167041, "a"), values={"a": "8e-2"}, tol=1e-4)["a"]
    assert (r.verdict, r.expected) == (WRONG, "8.22e-02")


def test_a_zero_tolerance_shows_the_float():
    r = check(Value(0.0822, "a"), values={"a": "0.08"}, tol=0)["a"]
    assert (r.verdict, r.note) == (WRONG, "should be 0.0822")


def test_a_wrong_factor_under_a_tolerance_names_the_engines_value():
    x, y = Value(0.3, "x"), Value(0.7, "y")
    z = (x * y).named("z")
    r = check(z, values={"x": "0.3", "y": "0.6", "z": "0.18"}, factors={"z": ["x", "y"]},
              tol=1e-3)["z"]
    assert r.note == "should be 0.210; first wrong factor: y = 0.6 (should be 0.700)"


def test_grade_under_a_tolerance():
    r = grade({"v": (0.082167041, "0.08")}, tol=1e-4)["v"]
    assert (r.verdict, r.note) == (WRONG, "should be 0.0822")


# -- item 2: a mark and its note never disagree ----------------------------------------

def test_a_right_answer_whose_factors_do_not_give_it_says_so():
    # Seed 001's ⑥: ∂L/∂W¹11 = -0.13 is right (it is -0.129922), but the factors
    # the document shows give (2/3)(0.28·(-1) + 0.09·0 + 0.03·1) = -1/6 = -0.1667.
    report = check(seeds.scalar_mlp().root, grads={"W1_11": "-0.13", "b1_1": "0.23"},
                   factors={"W1_11": [["2/3", "0.28", "-1"], ["2/3", "0.09", "0"],
                                      ["2/3", "0.03", "1"]],
                            "b1_1": [["2/3", "0.28"], ["2/3", "0.09"], ["2/3", "0.03"]]})
    assert report.ok
    assert report["W1_11"].verdict == CORRECT
    assert report["W1_11"].note == ("correct, but the factors you wrote give -0.17 (-0.166667), "
                                    "so the working has a slip")
    # (2/3)(0.28 + 0.09 + 0.03) = 4/15 = 0.2667
    assert report["b1_1"].note == ("correct, but the factors you wrote give 0.27 (0.266667), "
                                   "so the working has a slip")


def test_a_right_answer_from_a_wrong_factor():
    x, y = Value(0.3, "x"), Value(0.7, "y")
    z = (x * y).named("z")
    r = check(z, values={"x": "0.3", "y": "0.8", "z": "0.21"}, factors={"z": ["x", "y"]})["z"]
    assert r.verdict == CORRECT
    assert r.note == ("correct, but a factor is wrong: y = 0.8 (should be 0.7); and the factors "
                      "you wrote give 0.24, so the working has a slip")


def test_a_close_answer_from_a_wrong_factor():
    # seed 000 Q4: ∂Loss/∂w(0)10 = 0.0014 is one unit off 0.00147, and its working used
    # ∂Loss/∂z20 = -0.1053 (it is -0.1069); the factors written give 0.001512.
    report = check_q4()
    r = report["dLoss/dw(0)10"]
    assert r.verdict == CLOSE
    assert r.note == ("rounds to 0.0015, but a factor is wrong: ∂Loss/∂z20 = -0.1053 (should "
                      "be -0.1069), from ∂y1/∂z20 = 0.2449 (should be 0.2458); and the factors "
                      "you wrote give 0.0015 (0.001512), so the working has a slip")


@pytest.mark.parametrize("path", bundled(), ids=lambda p: p.name)
def test_every_note_of_an_accepted_answer_starts_with_its_verdict(path):
    for r in load(path).check():
            if r.verdict == CORRECT and r.note:
                assert r.note.startswith("correct, but "), r
            if r.verdict == CLOSE:
                assert r.note.startswith(f"rounds to {r.expected}"), r


# -- item 3: min_digits ---------------------------------------------------------------------

@pytest.mark.parametrize("exact, hand, min_digits, expected", [
    (0.0822, "0.08", 3, COARSE),     # right by the rounding rule, one digit
    (0.0822, "0.082", 3, COARSE),    # two digits
    (0.0822, "0.0822", 3, CORRECT),
    (0.0822, "0.08220", 3, CORRECT),
    (0.0822, "0.083", 3, COARSE),    # close by the rule, but two digits
    (0.0822, "0.0823", 3, CLOSE),
    (0.0822, "0.5", 3, WRONG),       # wrong stays wrong
    (0.0822, "0.08", 1, CORRECT),
    (0.2, "0.2", 3, CORRECT),        # the exact value has no more digits to give
    (0.0, "0", 3, CORRECT),
    (1e-5, "0.000", 2, COARSE),      # right to 3 decimals, no significant digit
    (1e-5, "1.0e-5", 2, CORRECT),
    (2 / 3, "2/3", 5, CORRECT),      # a fraction is exact
    (1460.0, "1.5e3", 3, COARSE),
    (1460.0, "1.46e3", 3, CORRECT),
])
def test_min_digits(exact, hand, min_digits, expected):
    assert check(Value(exact, "a"), values={"a": hand},
                 min_digits=min_digits)["a"].verdict == expected


def test_a_coarse_answer_is_not_ok_and_says_what_to_write():
    # Mazur's w6⁺ = 0.408666186 = 0.45 − 0.5·∂E/∂w6, so ∂E/∂w6 = 0.082667628
    report = check(mazur_loss(), grads={"w5": "0.08", "w6": "0.0827"}, min_digits=3)
    r = report["w5"]
    assert (r.verdict, r.expected) == (COARSE, "0.0822")
    assert r.note == "too coarse: write at least 3 significant digits (0.0822)"
    assert not r.ok and not report.ok
    assert report.wrong == [] and report.coarse == [r]
    assert str(report).splitlines()[0] == "2 answers checked against E: 1 too coarse"
    assert "TOO COARSE" in str(report)


def test_min_digits_with_scientific_answers():
    r = check(Value(0.000438568, "a"), values={"a": "4e-4"}, min_digits=3)["a"]
    assert (r.verdict, r.expected) == (COARSE, "4.39e-04")


@pytest.mark.parametrize("exact, hand, expected", [
    (-0.187175, "-0.1", "-0.19"),      # it said "should be -0.2", itself too coarse
    (0.0822, "0.2", "0.082"),
    (4.5678, "5.1", "4.6"),            # written with enough digits: as written
    (0.000438568, "7e-4", "4.4e-04"),
])
def test_a_wrong_answer_is_told_what_to_write_to_min_digits(exact, hand, expected):
    r = check(Value(exact, "a"), values={"a": hand}, min_digits=2)["a"]
    assert (r.verdict, r.expected, r.note) == (WRONG, expected, f"should be {expected}")


def test_grade_takes_min_digits():
    assert grade({"v": (0.0822, "0.08")}, min_digits=2)["v"].verdict == COARSE


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "3"])
def test_min_digits_must_be_a_positive_integer(bad):
    with pytest.raises(ValueError, match="min_digits must be a positive integer"):
        check(Value(1.0, "a"), values={"a": "1"}, min_digits=bad)
