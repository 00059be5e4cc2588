"""check: grading hand answers, rounding-aware, and tracing wrong ones."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from autograd import NumericError, Value
from autograd.check import CLOSE, CORRECT, WRONG, check, grade
from autograd.explain import LabelError
import seeds


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


# -- the rounding rule, at its boundaries ------------------------------------------
# Leaves hold the "exact" values; 0.375, 0.625 and 12.5 are exact in binary,
# so the ties and the u/2 and 3u/2 boundaries are really hit.

def verdict(exact, hand, **options):
    return check(Value(exact, "a"), values={"a": hand}, **options)["a"].verdict


@pytest.mark.parametrize("exact, hand, expected", [
    (0.52248, "0.5225", CORRECT),   # the exact value rounded
    (0.52248, "0.5226", CLOSE),     # last digit one too high (1.2 units away)
    (0.52248, "0.5224", CLOSE),     # one too low (0.8 units away, but not the rounding)
    (0.52248, "0.5227", WRONG),     # 2.2 units
    (0.52248, "0.5223", WRONG),     # 1.8 units
    (0.375, "0.38", CORRECT),       # a tie: both neighbours are correctly rounded
    (0.375, "0.37", CORRECT),
    (0.375, "0.39", CLOSE),         # exactly 1.5 units: still close
    (0.375, "0.36", CLOSE),
    (0.375, "0.40", WRONG),         # 2.5 units
    (0.375, "0.35", WRONG),
    (-0.375, "-0.38", CORRECT),     # negative numbers mirror it
    (-0.375, "-0.36", CLOSE),
    (-0.375, "-0.35", WRONG),
    (-0.375, "0.38", WRONG),        # the sign matters
    (-0.43487, "−0.43", CORRECT),   # a typographic minus sign
    (7.4, "7", WRONG),              # a whole number is exact (below)
    (7.4, 7, WRONG),
    (7.4, "7.", CORRECT),           # with a point: units
    (7.6, "7", WRONG),              # one significant digit: no slack
    (12.5, "12.", CORRECT),         # tie
    (12.5, "13.", CORRECT),
    (12.4, "13.", CLOSE),           # two significant digits: slack
    (12.4, "14.", WRONG),
    (0.0558, "5.6e-2", CORRECT),    # scientific: 3 decimals
    (0.0571, "5.6e-2", CLOSE),
    (0.0576, "5.6e-2", WRONG),
    (1460.0, "1.5e3", CORRECT),     # 1.5e3 is precise to the hundreds
    (1449.0, "1.5e3", CLOSE),
    (1340.0, "1.5e3", WRONG),
    (0.504, "0.50", CORRECT),       # trailing zero: two decimals
    (0.512, "0.50", CLOSE),
    (0.516, "0.50", WRONG),
    (0.512, "0.5", CORRECT),        # one decimal
    (0.56, "0.5", WRONG),           # one significant digit: no slack
    (0.512, 0.50, CORRECT),         # a float keeps only its repr's digits: 0.5
    (0.56, 0.50, WRONG),
    (0.52248, 0.5225, CORRECT),
    (0.52262, 0.5225, CLOSE),
    (0.512, Decimal("0.50"), CLOSE),  # a Decimal keeps its zeros
    (0.004, "0.00", CORRECT),       # zero: no significant digit, no slack
    (0.006, "0.00", WRONG),
    (0.4, "0", WRONG),              # a whole number is exact: 0 is not 0.4 rounded
    (-0.6, "0", WRONG),
    (0.1 + 0.2 - 0.3, "0", CORRECT),  # 5.6e-17: zero up to float noise
    (2.0, "2", CORRECT),
    (2.4, "2", WRONG),
    (2.4, 2, WRONG),                # a Python int too
    (0.4, "0.", CORRECT),           # a point claims a precision: units, rounded
    (0.4, "0.0", WRONG),
    (2 / 3, "2/3", CORRECT),        # fractions are exact
    (2 / 3, Fraction(2, 3), CORRECT),
    (0.6667, "2/3", WRONG),
])
def test_rounding_rule(exact, hand, expected):
    assert verdict(exact, hand) == expected


def test_slack_and_tolerances_override_the_rule():
    assert verdict(0.52248, "0.5226", slack=0) == WRONG
    assert verdict(0.52248, "0.5227", slack=2) == CLOSE
    assert verdict(0.5009, "0.5", tol=1e-3) == CORRECT
    assert verdict(0.5011, "0.5", tol=1e-3) == WRONG
    assert verdict(0.504, "0.5", rtol=0.01) == CORRECT
    assert verdict(0.506, "0.5", rtol=0.01) == WRONG
    assert verdict(0.512, "0.50", tol=0.01) == WRONG  # no "close" under a tolerance


def test_rows_say_what_the_answer_should_read():
    r = check(Value(0.60354, "y"), values={"y": "0.61"})["y"]
    assert (r.verdict, r.expected, r.note) == (CLOSE, "0.60", "rounds to 0.60")
    r = check(Value(0.24576, "d"), values={"d": "0.2449"})["d"]
    assert (r.verdict, r.expected, r.note) == (WRONG, "0.2458", "should be 0.2458")
    assert r.difference == pytest.approx(0.2449 - 0.24576)
    assert check(Value(-0.0001, "z"), values={"z": "0.00"})["z"].expected == "0.00"
    assert check(Value(0.0571, "s"), values={"s": "5.6e-2"})["s"].expected == "5.7e-02"


# -- any finite float, at any precision ------------------------------------------------
# A float's exact value is int(x) or Decimal(x) (Python's own, not check's rounding).

@pytest.mark.parametrize("exact, hand, expected, should_read", [
    (1e28, "42", WRONG, str(int(1e28))),          # exact: a whole value in all 28 digits
    (1e28, "42.", WRONG, str(int(1e28))),         # to the unit: the same
    (1e28, str(int(1e28)), CORRECT, str(int(1e28))),
    (1e28, "1e28", CORRECT, "1e+28"),
    (-1e28, "-1.0e28", CORRECT, "-1.0e+28"),
    (-1e28, "-1.1e28", CLOSE, "-1.0e+28"),        # one unit of 1e27 off
    (-1e28, "-1" + "0" * 28, CORRECT, str(int(-1e28))),  # 4e11 away: float noise
    (1e300, "1", WRONG, str(int(1e300))),
    (0.1 + 0.2, "0", WRONG, "0.3"),               # exact, not whole: 10 significant digits
    (1e300, "1.000e300", CORRECT, "1.000e+300"),
    (1.7976931348623157e308, "1.8e308", CORRECT, "1.8e+308"),  # the largest float
    (1.7976931348623157e308, "1.9e308", CLOSE, "1.8e+308"),    # above it: still an answer
    (1e-300, "0.00", CORRECT, "0.00"),
    (-1e-300, "0.00", CORRECT, "0.00"),           # never "-0.00"
    (1e-300, "1.0e-300", CORRECT, "1.0e-300"),
    (1e-300, "1.2e-300", WRONG, "1.0e-300"),      # two units of 1e-301
    (5e-324, "4.9e-324", CORRECT, "4.9e-324"),    # the smallest subnormal, 2**-1074
    (5e-324, "5e-324", CORRECT, "5e-324"),
    (5e-324, "0.5", WRONG, "0.0"),
    (math.ldexp(3, -1074), "1.5e-323", CORRECT, "1.5e-323"),  # 1.4822e-323
    (5e-324, format(Decimal(5e-324), "f"), CORRECT, format(Decimal(5e-324), "f")),  # 1074 decimals
    (9.96, "1.0e1", CORRECT, "1.0e+01"),          # rounding up to 10.0 moves the exponent
])
def test_any_magnitude(exact, hand, expected, should_read):
    row = check(Value(exact, "a"), values={"a": hand})["a"]
    assert (row.verdict, row.expected) == (expected, should_read)


def test_the_table_shows_huge_values_briefly():
    report = check(Value(1e300, "a"), values={"a": "1"})
    assert str(report).splitlines()[2].split()[:4] == ["a", "a", "1", "1e+300"]


@pytest.mark.parametrize("hand, message", [
    ("1e400", "values\\['a'\\]: '1e400' is beyond the range of floats"),
    ("-1e309", "beyond the range of floats"),
    ("1" + "0" * 400 + "/3", "beyond the range of floats"),
    (Fraction(10 ** 400), "beyond the range of floats"),
    ("1e-2000", "written in units of 1e-2000; no float needs units finer than 1e-1100"),
    ("0e-999999999", "no float needs units finer"),  # not 10**999999999 to compare with
    ("0e500", "written in units of 1e\\+500; .* or coarser than 1e\\+308"),
])
def test_answers_beyond_floats_are_refused(hand, message):
    with pytest.raises(ValueError, match=message):
        check(Value(1.0, "a"), values={"a": hand})


def test_hand_products_beyond_floats():
    x, y = Value(0.3, "x"), Value(0.7, "y")
    z = (x * y).named("z")
    report = check(z, values={"x": "-1e300", "y": "1e300", "z": "0.21"}, factors={"z": ["x", "y"]})
    # -1e300 · 1e300 = -1e600, at z's two decimals -1 followed by 600 zeros, then .00
    assert report["z"].note == (
        "correct, but a factor is wrong: x = -1e300 (should be 3e-01); and the factors you "
        f"wrote give {'-1' + '0' * 600}.00, so the working has a slip")


# -- seed 000 -----------------------------------------------------------------------
# The network by hand (x = (0.2, 0.5)).
A10, A11 = sigmoid(0.2 * 0.2 + 0.1 * 0.5), sigmoid(0.1 * 0.2 + 0.2 * 0.5)
Z20, Z21 = 0.4 * A10 + 0.1 * A11, 0.5 * A10 + 0.3 * A11
A20, A21 = sigmoid(Z20), sigmoid(Z21)
# Q4: targets (1, 0).
DY1, DY2 = A20 - 1, A21                      # -0.43487, 0.60354
S20, S21 = A20 * (1 - A20), A21 * (1 - A21)  # 0.24576, 0.23928
DZ20, DZ21 = DY1 * S20, DY2 * S21            # -0.10687, 0.14441
DW0_10 = (DZ20 * 0.4 + DZ21 * 0.5) * A10 * (1 - A10) * 0.2  # 0.0014699

# Verdicts worked out by hand from those numbers, with the reason.
Q4_VERDICTS = {
    ("Loss", "value"): WRONG,       # 0.27669; 0.2785 is ½(0.43² + 0.61²): y1, y2 rounded first
    ("a10", "value"): WRONG,        # Q4 uses 0.54; a10 = σ(0.09) = 0.5225 (Q3 had it right)
    ("x1", "value"): CORRECT,
    ("w(1)10", "value"): CORRECT,
    ("w(1)11", "value"): CORRECT,
    ("dLoss/dy1", "grad"): CORRECT,          # -0.43487 → -0.43
    ("dLoss/dy2", "grad"): CLOSE,            # 0.60354 → 0.60, written 0.61
    ("dy1/dz20", "derivative"): WRONG,       # a20(1 − a20) = 0.2458, not 0.2449
    ("dy2/dz21", "derivative"): WRONG,       # 0.2393; 0.2379 = 0.61·0.39 (y2 = 0.61)
    ("dz20/dw(1)10", "derivative"): WRONG,   # = a10 = 0.5225, not 0.54
    ("dz21/dw(1)11", "derivative"): WRONG,   # = a10 as well
    ("dLoss/dw(1)10", "grad"): WRONG,        # -0.0558, not -0.0569
    ("dLoss/dw(1)11", "grad"): WRONG,        # 0.0755, not 0.0781
    ("dz10/dw(0)10", "derivative"): CORRECT,  # x1 = 0.2
    ("da10/dz10", "derivative"): WRONG,      # 0.2495; 0.2484 = 0.54·0.46
    ("dLoss/dz20", "grad"): WRONG,           # -0.1069, not -0.1053
    ("dLoss/dz21", "grad"): WRONG,           # 0.1444, not 0.1451
    ("dLoss/dw(0)10", "grad"): CLOSE,        # 0.00147 → 0.0015, written 0.0014
    ("w(1)10", "update"): WRONG,             # 0.4 + 0.1·0.05584 = 0.40558, not 0.40584
    ("w(0)10", "update"): WRONG,             # 0.2 − 0.1·0.00147 = 0.19985, not 0.00486
}


def q4_report():
    net = seeds.tobigs_perceptron()
    return net, check(net.root, seeds.Q4_VALUES, seeds.Q4_GRADS, updates=seeds.Q4_UPDATES,
                      lr=seeds.Q4_LR, factors=seeds.Q4_FACTORS)


def test_seed000_q4_flags_exactly_the_wrong_answers():
    net, report = q4_report()
    assert {(r.key, r.kind): r.verdict for r in report} == Q4_VERDICTS
    assert not report.ok
    assert len(report.wrong) == sum(v == WRONG for v in Q4_VERDICTS.values()) == 13


def test_seed000_q4_engine_numbers():
    net, report = q4_report()
    expected = {
        ("Loss", "value"): 0.5 * (DY1 ** 2 + DY2 ** 2),
        ("dLoss/dy1", "grad"): DY1, ("dLoss/dy2", "grad"): DY2,
        ("dy1/dz20", "derivative"): S20, ("dy2/dz21", "derivative"): S21,
        ("dz20/dw(1)10", "derivative"): A10, ("dz21/dw(1)11", "derivative"): A10,
        ("dLoss/dw(1)10", "grad"): DZ20 * A10, ("dLoss/dw(1)11", "grad"): DZ21 * A10,
        ("da10/dz10", "derivative"): A10 * (1 - A10),
        ("dLoss/dz20", "grad"): DZ20, ("dLoss/dz21", "grad"): DZ21,
        ("dLoss/dw(0)10", "grad"): DW0_10,
        ("w(1)10", "update"): 0.4 - 0.1 * DZ20 * A10,
        ("w(0)10", "update"): 0.2 - 0.1 * DW0_10,
    }
    for (key, kind), value in expected.items():
        assert report[key, kind].engine == pytest.approx(value, rel=1e-12), key


def test_seed000_q4_traces_each_wrong_answer_to_its_cause():
    net, report = q4_report()
    assert report["dLoss/dw(1)10"].note == (
        "should be -0.0558; first wrong factor: ∂y1/∂z20 = 0.2449 (should be 0.2458)")
    # -0.43 is right as rounded; 0.2449 is the first wrong factor (0.54 is wrong too).
    assert report["dLoss/dz20"].note == (
        "should be -0.1069; first wrong factor: ∂y1/∂z20 = 0.2449 (should be 0.2458)")
    # 0.61 is close, not wrong, so the first wrong factor is 0.2379; and
    # 0.61 × 0.2379 × 0.54 = 0.078364, not 0.0781.
    assert report["dLoss/dw(1)11"].note == (
        "should be 0.0755; first wrong factor: ∂y2/∂z21 = 0.2379 (should be 0.2393); "
        "your factors give 0.078364 (0.0784 at this precision)")
    # Close by luck: its factors are wrong and multiply to 0.0015118 (test_check_notes).
    assert report["dLoss/dw(0)10"].note.startswith("rounds to 0.0015, but a factor is wrong")
    # The update used -0.0584, while the answer above was -0.0569.
    assert report["w(1)10", "update"].note == (
        "should be 0.40558; the result implies ∂Loss/∂w(1)10 = -0.0584; it is -0.05584 "
        "(your answer: -0.0569)")
    assert report["w(0)10", "update"].expected == "0.19985"
    assert report["dy1/dz20"].note == "should be 0.2458"


def test_seed000_q3():
    net = seeds.tobigs_perceptron(targets=(0.2, 0.7), outputs=("a20", "a21"), loss="MSE")
    report = check(net.root, {**seeds.Q3_VALUES, **seeds.Q3_WEIGHTS}, factors=seeds.Q3_FACTORS)
    mse = 0.5 * ((A20 - 0.2) ** 2 + (A21 - 0.7) ** 2)  # 0.071311
    assert report["MSE"].engine == pytest.approx(mse, rel=1e-12)
    assert report["z21"].engine == pytest.approx(Z21, rel=1e-12)
    verdicts = {r.key: r.verdict for r in report if not r.key.startswith("w(")}
    assert verdicts == {
        "z10": CORRECT, "z11": CORRECT, "a10": CORRECT,
        "a11": CLOSE,     # σ(0.12) = 0.529964 → 0.5300, written 0.5299
        "z20": CORRECT,   # 0.2619903
        "z21": CLOSE,     # 0.4202316 → 0.42023; 0.42022 from the rounded a10, a11
        "a20": CORRECT, "a21": CORRECT,
        "MSE": WRONG,     # 0.07131 (even ½[(0.5651 − 0.2)² + (0.6035 − 0.7)²] is 0.07131)
    }
    assert report["MSE"].note == "should be 0.07131"
    assert report["z21"].note == "rounds to 0.42023"  # and 0.4·… products match: no slip


# -- seed 001 -----------------------------------------------------------------------

def seed001_by_hand():
    """Forward and backward of seed 001 in plain arithmetic, layer by layer."""
    W1, b1 = [1.0, 2.0], [0.0, 1.0]
    W2, b2 = [[1.0, 2.0], [3.0, 4.0]], [0.0, 1.0]  # W2[i][j]: unit i below → unit j
    W3, b3 = [1.0, 2.0], 1.0
    g = dict.fromkeys(["W1_11", "W1_12", "b1_1", "b1_2", "W2_11", "W2_12", "W2_21", "W2_22",
                       "b2_1", "b2_2", "W3_11", "W3_21", "b3_1"], 0.0)
    forward = []
    for x, y in zip((-1.0, 0.0, 1.0), (1.0, 0.0, -1.0)):
        h1 = [sigmoid(W1[j] * x + b1[j]) for j in range(2)]
        h2 = [sigmoid(sum(W2[i][j] * h1[i] for i in range(2)) + b2[j]) for j in range(2)]
        yhat = W3[0] * h2[0] + W3[1] * h2[1] + b3
        forward.append((h1, h2, yhat - y))
        d_yhat = 2 / 3 * (yhat - y)
        d_l2 = [d_yhat * W3[j] * h2[j] * (1 - h2[j]) for j in range(2)]
        d_l1 = [sum(W2[i][j] * d_l2[j] for j in range(2)) * h1[i] * (1 - h1[i])
                for i in range(2)]
        for i in range(2):
            g[f"W3_{i + 1}1"] += d_yhat * h2[i]
            g[f"b2_{i + 1}"] += d_l2[i]
            g[f"W1_1{i + 1}"] += d_l1[i] * x
            g[f"b1_{i + 1}"] += d_l1[i]
            for j in range(2):
                g[f"W2_{i + 1}{j + 1}"] += d_l2[j] * h1[i]
        g["b3_1"] += d_yhat
    return forward, g


def test_seed001_network_matches_the_documents_forward_numbers():
    forward, _ = seed001_by_hand()
    # the document's ŷ − y = [2.61, 3.92, 4.97], h¹₁ = [0.27, 0.50, 0.73], h²₂ = [0.93, 0.99, 1.00]
    assert [round(e, 2) for _, _, e in forward] == [2.61, 3.92, 4.97]
    assert [round(h1[0], 2) for h1, _, _ in forward] == [0.27, 0.50, 0.73]
    assert [round(h2[1], 2) for _, h2, _ in forward] == [0.93, 0.99, 1.00]
    net = seeds.scalar_mlp()
    for k, (h1, h2, e) in enumerate(forward, start=1):
        assert net[f"err[{k}]"].data == pytest.approx(e, rel=1e-12)
        assert net[f"h2_2[{k}]"].data == pytest.approx(h2[1], rel=1e-12)


def test_seed001_gradients_and_updates():
    _, g = seed001_by_hand()
    net = seeds.scalar_mlp()
    report = check(net.root, seeds.SEED001_VALUES, seeds.SEED001_GRADS,
                   updates=seeds.SEED001_UPDATES, lr=seeds.SEED001_LR,
                   factors=seeds.SEED001_FACTORS)
    for name, value in g.items():
        assert report[name, "grad"].engine == pytest.approx(value, rel=1e-12)
        assert report[name, "update"].engine == pytest.approx(
            seeds.SEED001_WEIGHTS[name] - 0.1 * value, rel=1e-12)
    assert all(r.verdict == CORRECT for r in report if r.kind == "value")
    wrong = {(r.key, r.kind) for r in report.wrong}
    # ① 6.970 and ② 7.523: the document multiplies two-digit h² and ŷ − y and
    # writes three decimals; the updates of W³ carry those numbers on.
    assert wrong == {("W3_11", "grad"), ("W3_21", "grad"),
                     ("W3_11", "update"), ("W3_21", "update")}
    assert report["W3_11", "grad"].note == (
        "should be 6.970; every factor is right as rounded, but rounding them this early "
        "moves the result: keep more digits in the factors")
    assert report["W3_11", "update"].expected == "0.3030"
    # Everything else rounds correctly: b³ 7.66713, W² 0.2297 0.0874 0.2848 0.0988,
    # b² 0.5718 0.2712, W¹ -0.1299 -0.3546, b¹ 0.2313 0.5036, …
    assert report["W2_12", "grad"].verdict == CORRECT  # 0.0874 → 0.09 (one digit, no slack)
    assert report["W2_21", "update"].verdict == CORRECT  # 2.971524 → 2.972, 0.48 units away


def test_seed001_the_numbers_its_shown_vectors_give_are_wrong():
    # ⑥ writes B(h¹₁) = (2/3)[0.28, 0.09, 0.03]; its first entry is
    # (1·0.49 + 2·0.33)·0.20 = 0.23 (exactly 0.2278), so Σ B⊙x = -0.17 and
    # Σ B = 0.27 are wrong, while the stated -0.13 and 0.23 are right.
    _, g = seed001_by_hand()
    report = check(seeds.scalar_mlp().root, grads=seeds.SEED001_SHOWN)
    assert [r.verdict for r in report] == [WRONG, WRONG]
    assert [r.expected for r in report] == ["-0.13", "0.23"]
    assert round(g["W1_11"], 2) == -0.13 and round(g["b1_1"], 2) == 0.23


# -- factors: the other diagnoses -----------------------------------------------------

def test_a_formula_that_misses_a_path():
    x, y = Value(3.0, "x"), Value(2.0, "y")
    z = (x * y + x).named("z")  # ∂z/∂x = y + 1 = 3, a hand formula that forgets + x says 2
    report = check(z, values={"y": "2"}, grads={"x": "2"}, factors={"dz/dx": ["y"]})
    assert report["x"].note == ("should be 3; the formula does not give ∂z/∂x: with exact "
                                "factors it is 2 (a path or factor is missing)")


def test_an_arithmetic_slip_with_right_factors():
    x, y = Value(0.3, "x"), Value(0.7, "y")
    z = (x * y).named("z")
    report = check(z, values={"x": "0.3", "y": "0.7", "z": "0.23"}, factors={"z": ["x", "y"]})
    assert report["z"].note == "should be 0.21; your factors give 0.21"


def test_literal_factors_and_sums_of_products():
    x, y = Value(0.3, "x"), Value(0.7, "y")
    z = (x * y * 2.0 + x).named("z")  # ∂z/∂x = 2y + 1 = 2.4
    report = check(z, values={"y": "0.7"}, grads={"x": "2.4"},
                   factors={"x": [["2", "y"], ["1"]]})
    assert report.ok and report["x"].note == ""


def test_a_label_answered_as_value_and_gradient_must_be_written_explicitly():
    # L = (y − 1)², y = σ(z), z = w·x, x = 0.2, w = 0.5: z = 0.1, y = σ(0.1) = 0.524979,
    # ∂L/∂z = 2(y − 1)·y(1 − y) = -0.236918, ∂L/∂w = ∂L/∂z·x = -0.0473835.
    L, *_ = small()
    values = {"z": "0.1", "x": "0.2"}
    for factors in ({"w": ["z", "x"]}, {"z": ["w", "x"]}):
        with pytest.raises(ValueError, match=(
                r"'z' is ambiguous: values and grads both have an answer keyed 'z'\.  Write "
                r"'dL/dz' here for the gradient; for the value, key the gradient as 'dL/dz' in "
                r"grads, so that 'z' names only the value")):
            check(L, values, {"z": "-0.2369", "w": "-0.0474"}, factors=factors)
    grads = {"dL/dz": "-0.2369", "w": "-0.0474"}
    assert check(L, values, grads, factors={"w": ["dL/dz", "x"]})["w"].note == ""
    # now 'z' is only the value z = 0.1, and 0.1 · 0.2 = 0.02
    assert check(L, values, grads, factors={"w": ["z", "x"]})["w"].note == (
        "correct, but the factors you wrote give 0.0200, so the working has a slip")
    # a label with no value still means the gradient
    assert check(L, {"x": "0.2"}, {"z": "-0.2369", "w": "-0.0474"},
                 factors={"w": ["z", "x"]})["w"].note == ""


# -- keys, errors, output ------------------------------------------------------------

def small():
    x = Value(0.2, "x")
    w = Value(0.5, "w")
    z = (w * x).named("z")
    y = z.sigmoid().named("y")
    L = ((y - 1.0) ** 2).named("L")
    return L, x, w, z, y


def test_derivative_keys():
    L, x, w, z, y = small()
    s = sigmoid(0.1)  # y = σ(0.5 · 0.2)
    report = check(L, grads={"∂y/∂z": repr(s * (1 - s)), "d z / d w": "0.2",
                             "dy/dx": repr(s * (1 - s) * 0.5), "dL/dy": "-0.95"})
    assert [r.kind for r in report] == ["derivative", "derivative", "derivative", "grad"]
    assert [r.quantity for r in report] == ["∂y/∂z", "∂z/∂w", "∂y/∂x", "∂L/∂y"]
    assert report.ok and all(r.verdict == CORRECT for r in report)
    assert report["dL/dy"].engine == pytest.approx(2 * (s - 1), rel=1e-12)
    assert check(L, grads={"dx/dw": "0"}).ok  # x does not depend on w


def test_check_leaves_grads_alone():
    L, x, w, z, y = small()
    check(L, values={"y": "0.52"}, grads={"w": "-0.2"})
    assert all(v.grad is None for v in (L, x, w, z, y))


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(values={"q": "1"}), LabelError,
     r"values\['q'\]: no node is labelled 'q'; the labels in this graph are: L, w, x, y, z"),
    (dict(grads={"dq/dx": "1"}), LabelError, r"reads as a derivative dU/dV, but U and V must be "
                                             r"labels \(the root is 'L'\)"),
    (dict(values={"dy/dz": "1"}), LabelError, "is a derivative; put it in grads"),
    (dict(values={"y": "abc"}), ValueError, r"values\['y'\]: 'abc' is not a number"),
    (dict(values={"y": None}), TypeError, r"values\['y'\]: a hand answer must be a number"),
    (dict(values={"y": True}), TypeError, "must be a number"),
    (dict(values={"y": [0.5]}), TypeError, "must be a number"),
    (dict(values={"y": "nan"}), ValueError, "not a finite number"),
    (dict(values={"y": float("inf")}), ValueError, "not a finite number"),
    (dict(values={"y": "1/0"}), ValueError, "is not a number"),
    (dict(updates={"w": "0.5"}), ValueError, "updates need the learning rate"),
    (dict(updates={"z": "0.5"}, lr=0.1), ValueError, r"'z' is computed \(by mul\), not a parameter"),
    (dict(updates={"w": "0.5"}, lr=-10 ** 400), ValueError, "lr must be a finite number, got -inf"),
    (dict(updates={"w": "0.5"}, lr="0.1"), TypeError, "lr must be a number, got '0.1'"),
    (dict(), ValueError, "nothing to check"),
    (dict(values={"y": "0.5"}, tol=-1), ValueError, "tol must be ≥ 0"),
    (dict(values={"y": "0.5"}, slack=-1), ValueError, "slack must be"),
    (dict(values={"y": "0.5"}, factors={"y": ["w", "x"]}), ValueError,
     r"factors\['y'\]: 'w' has no hand answer"),
    (dict(values={"y": "0.5"}, factors={"y": ["bogus"]}), LabelError,
     "'bogus' is neither a label, a derivative dU/dV nor a number"),
    (dict(values={"y": "0.5", "w": "1"}, factors={"y": ["w", ["w"]]}), TypeError, "mix of factors"),
    (dict(values={"y": "0.5"}, grads={"dL/dy": "1", "y": "1"}), ValueError,
     r"grads\['y'\] is the same quantity \(∂L/∂y\) as 'dL/dy'"),
    (dict(values=[("y", "0.5")]), TypeError, "values must be a mapping"),
    (dict(values={"y": "0.5", "w": "1"}, factors={"y": ["w", "1e999"]}), ValueError,
     r"factors\['y'\]: '1e999' is beyond the range of floats"),
])
def test_errors_name_the_problem(kwargs, error, message):
    L, *_ = small()
    with pytest.raises(error, match=message):
        check(L, **kwargs)


def test_duplicate_labels_must_be_disambiguated():
    a, b = Value(0.2, "w10"), Value(0.4, "w10")
    L = (a * b).named("L")
    with pytest.raises(LabelError) as err:
        check(L, grads={"w10": "0.4"})
    assert "grads['w10']: label 'w10' names 2 different nodes" in str(err.value)
    assert "the labels in this graph are: L, w10" in str(err.value)


def test_report_access_and_assertion():
    L, x, w, z, y = small()
    report = check(L, values={"w": "0.5", "y": "0.9"}, updates={"w": "0.6"}, lr=0.1)
    assert not report.ok and [r.key for r in report.wrong] == ["y", "w"]
    assert report["y"].verdict == WRONG
    assert report["w", "value"].ok
    with pytest.raises(KeyError, match="answered as value and update"):
        report["w"]
    with pytest.raises(KeyError, match="no answer 'q'"):
        report["q"]
    with pytest.raises(AssertionError, match="wrong hand answers:\n3 answers checked against L: "
                                             "2 wrong"):
        report.assert_ok()
    check(L, values={"y": repr(y.data)}).assert_ok()


def test_table_is_aligned_and_html_is_escaped():
    x = Value(0.5, "<x>")
    y = (x * 2.0).named("y&")
    report = check(y, values={"<x>": "0.5", "y&": "1.04"})
    summary, header, *rows = str(report).splitlines()
    assert summary == "2 answers checked against y&: 1 wrong"
    assert header.split() == ["answer", "quantity", "hand", "engine", "Δ", "verdict", "note"]
    assert rows[0].index("0.5") == rows[1].index("1.04") == header.index("hand")
    assert rows[0].index("correct") == rows[1].index("WRONG") == header.index("verdict")
    assert rows[1].endswith("should be 1.00")
    assert repr(report) == str(report)
    page = report._repr_html_()
    assert "&lt;x&gt;" in page and "y&amp;" in page and "<x>" not in page
    assert page.count("<tr>") == 3


# -- grade: hand numbers that are not nodes --------------------------------------------

def seed001_b_vectors():
    """Seed 001's per-sample vectors B (without the document's 2/3), by plain
    arithmetic: B(h²_j) = (ŷ − y)·w³_j·h²_j(1 − h²_j) and
    B(h¹_i) = Σ_j w²_ij·B(h²_j)·h¹_i(1 − h¹_i)."""
    W1, b1 = [1.0, 2.0], [0.0, 1.0]
    W2, b2 = [[1.0, 2.0], [3.0, 4.0]], [0.0, 1.0]  # W2[i][j]: unit i below → unit j
    W3 = [1.0, 2.0]
    B2, B1 = [[], []], [[], []]
    for x, y in zip((-1.0, 0.0, 1.0), (1.0, 0.0, -1.0)):
        h1 = [sigmoid(W1[j] * x + b1[j]) for j in range(2)]
        h2 = [sigmoid(sum(W2[i][j] * h1[i] for i in range(2)) + b2[j]) for j in range(2)]
        err = W3[0] * h2[0] + W3[1] * h2[1] + 1.0 - y
        b2_k = [err * W3[j] * h2[j] * (1 - h2[j]) for j in range(2)]
        for j in range(2):
            B2[j].append(b2_k[j])
            B1[j].append(sum(W2[j][m] * b2_k[m] for m in range(2)) * h1[j] * (1 - h1[j]))
    return B2, B1


def test_grade_the_vectors_written_in_seed001():
    B2, B1 = seed001_b_vectors()
    exact = {"B(h2_1)": B2[0], "B(h2_2)": B2[1], "B(h1_1)": B1[0], "B(h1_2)": B1[1]}
    written = {"B(h2_1)": ["0.49", "0.23", "0.13"], "B(h2_2)": ["0.33", "0.06", "0.02"],
               "B(h1_1)": ["0.28", "0.09", "0.03"], "B(h1_2)": ["0.55", "0.18", "0.02"]}
    report = grade({f"{name}[{k + 1}]": (exact[name][k], hand)
                    for name, hands in written.items() for k, hand in enumerate(hands)})
    # (1·0.4948 + 2·0.3319)·h¹₁(1 − h¹₁) = 1.1587·0.1966 = 0.2278, not 0.28
    assert [r.key for r in report.wrong] == ["B(h1_1)[1]"]
    assert report["B(h1_1)[1]"].note == "should be 0.23"
    assert all(r.verdict == CORRECT for r in report if r.ok)
    assert {r.kind for r in report} == {"number"}
    assert str(report).splitlines()[0] == "12 answers checked: 1 wrong"


def test_grade_uses_the_rule_of_check():
    report = grade({"tie": (0.375, "0.38"), "close": (0.375, "0.39"), "far": (0.375, "0.40"),
                    "one digit": (7.6, "7."), "fraction": (2 / 3, "2/3"),
                    "huge": (1e300, "1.0e300"), "tiny": (5e-324, "0.0"), "float": (0.512, 0.50)})
    assert {r.key: r.verdict for r in report} == {
        "tie": CORRECT, "close": CLOSE, "far": WRONG, "one digit": WRONG, "fraction": CORRECT,
        "huge": CORRECT, "tiny": CORRECT, "float": CORRECT}
    assert report["close"].note == "rounds to 0.38"
    assert report["far"].expected == "0.38" and report["one digit"].note == "should be 8"
    assert grade({"a": (0.5011, "0.5")}, tol=1e-3)["a"].verdict == WRONG
    assert grade({"a": (0.504, "0.5")}, rtol=0.01).ok
    assert grade({"a": (0.52248, "0.5226")}, slack=0)["a"].verdict == WRONG


@pytest.mark.parametrize("answers, options, error, message", [
    ([("a", (1.0, "1"))], {}, TypeError, "answers must be a mapping"),
    ({}, {}, ValueError, "nothing to grade"),
    ({"a": "0.5"}, {}, TypeError, r"answers\['a'\] must be a pair \(exact, hand answer\)"),
    ({"a": (1.0, "1", "1")}, {}, TypeError, "must be a pair"),
    ({1: (1.0, "1")}, {}, TypeError, "names must be strings"),
    ({"a": (Value(1.0), "1")}, {}, TypeError, r"the exact value is a Value; pass its \.data"),
    ({"a": (math.nan, "1")}, {}, ValueError, r"answers\['a'\]: the exact value must be a finite "
                                             r"number, got nan"),
    ({"a": (10 ** 400, "1")}, {}, ValueError, "the exact value must be a finite number, got inf"),
    ({"a": ("1", "1")}, {}, TypeError, "the exact value must be a number, got '1'"),
    ({"a": (1.0, "1")}, {"tol": math.inf}, ValueError, "tol must be a finite number"),
    ({"a": (1.0, "1")}, {"rtol": True}, TypeError, "rtol must be a number, got True"),
    ({"a": (1.0, "one")}, {}, ValueError, r"answers\['a'\]: 'one' is not a number"),
    ({"a": (1.0, "1")}, {"tol": -1}, ValueError, "tol must be ≥ 0"),
    ({"a": (1.0, "1")}, {"slack": 1.5}, ValueError, "slack must be"),
])
def test_grade_errors_name_the_problem(answers, options, error, message):
    with pytest.raises(error, match=message):
        grade(answers, **options)


def test_an_overflowing_gradient_is_a_numeric_error_naming_the_node():
    x = Value(1e-300, "x")
    f = (1e300 * x.sqrt()).named("f")  # f = 1e150, ∂f/∂x = 1e300 · ½/√x = 5e449
    assert check(f, values={"f": "1e150"}).ok  # the forward value is fine to grade
    with pytest.raises(NumericError, match="the gradient at x is inf: it overflowed"):
        check(f, grads={"x": "1"})
    with pytest.raises(NumericError, match="the gradient at x is inf"):
        check(f, grads={"df/dx": "1"})


def test_an_overflowing_update_is_a_numeric_error():
    w = Value(2.0, "w")
    L = (w * 1e300).named("L")  # ∂L/∂w = 1e300: w − 1e10·1e300 overflows
    with pytest.raises(NumericError, match=r"updates\['w'\]: w − 1e\+10·∂L/∂w is -inf: the "
                                           r"update overflows"):
        check(L, updates={"w": "0"}, lr=1e10)


def test_an_update_that_adds_the_gradient_is_named_a_sign_slip():
    # L = w·x at w = 0.3, x = 2: ∂L/∂w = 2, so one step of lr 0.1 gives
    # 0.3 − 0.1·2 = 0.1; adding instead gives 0.3 + 0.2 = 0.5.
    w, x = Value(0.3, "w"), Value(2.0, "x")
    loss = (w * x).named("L")
    slipped = check(loss, updates={"w": "0.5"}, lr=0.1)["w", "update"]
    assert slipped.verdict == WRONG
    assert slipped.note == ("should be 0.1; the result implies ∂L/∂w = -2; it is 2; "
                            "the result is w + lr·∂L/∂w, where the step subtracts it (a sign slip)")
    other = check(loss, updates={"w": "0.7"}, lr=0.1)["w", "update"]
    assert other.note == "should be 0.1; the result implies ∂L/∂w = -4; it is 2"


def test_an_update_explained_by_the_students_own_gradient_is_not_called_a_sign_slip():
    # L = w·x at w = -0.5, x = 0.114: ∂L/∂w = 0.114, the step is −0.5 − 0.0114 =
    # −0.5114 (−0.51).  A student who wrote ∂L/∂w = −0.1 and stepped to
    # −0.5 + 0.01 = −0.49 used their own wrong gradient; that −0.49 is also what
    # adding 0.0114 gives (−0.4886) is a coincidence of the precision.
    w, x = Value(-0.5, "w"), Value(0.114, "x")
    loss = (w * x).named("L")
    report = check(loss, grads={"w": "-0.1"}, updates={"w": "-0.49"}, lr=0.1)
    assert report["w", "update"].note == (
        "should be -0.51; the result implies ∂L/∂w = -0.1; it is 0.114 (your answer: -0.1)")


def test_a_correct_answer_at_a_tie_is_expected_as_written():
    # −0.755 × 0.2350 × 2 = −0.35485 exactly; the float nearest it lies 1.2e-18
    # above, so rounding the float gives "-0.3548".  "-0.3549" (half away from
    # zero) is correct, and what it should read is itself.
    product = -0.755 * 0.2350 * 2
    assert Fraction(product) > Fraction("-0.35485")
    row = check(Value(product, "a"), values={"a": "-0.3549"})["a"]
    assert (row.verdict, row.expected) == (CORRECT, "-0.3549")
    other = check(Value(product, "a"), values={"a": "-0.3548"})["a"]
    assert (other.verdict, other.expected) == (CORRECT, "-0.3548")
