"""`handgrad grade` on the seed submissions as written (read from
../shared/seeds/, which CI has next to the clone): every hand number the
bundled answer sheets grade, transcribed by hand, is graded from the text
with the same verdict, and the arithmetic between the numbers is checked too."""

from __future__ import annotations

from pathlib import Path

import pytest
from seeds import scalar_mlp

from handgrad.report import grade_files
from handgrad.sheet import load

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SHEETS = ROOT / "handgrad" / "sheets"
PROBLEMS = ROOT / "handgrad" / "problems"


def _seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert found, f"the seed documents are expected in {SEEDS}"
    return found[0]


@pytest.mark.parametrize("seed, problem, sheets", [
    ("000", "seed000.toml", ["seed000_q3.toml", "seed000_q4.toml"]),
    ("001", "seed001.toml", ["seed001.toml"]),
])
def test_every_number_the_sheets_grade_is_graded_alike_from_the_text(seed, problem, sheets):
    report = grade_files(PROBLEMS / problem, [_seed(seed)])
    graded = {(it.quantity, it.hand, it.verdict) for it in report.items}
    for name in sheets:
        for row in load(SHEETS / name).check():
            assert (row.quantity, row.hand, row.verdict) in graded, (name, row)


def test_seed_000_arithmetic_is_told_apart_from_wrong_factors():
    report = grade_files(PROBLEMS / "seed000.toml", [_seed("000")])
    at = {(it.line, it.kind): it for it in report.items}
    # line 83: −0.43 × 0.2449 × 0.54 = −0.0568657…, written −0.0569: the arithmetic is
    # right, the value is wrong (∂Loss/∂w(1)10 = −0.05584) because a factor is
    assert at[83, "arithmetic"].verdict == "correct"
    assert at[83, "grad"].verdict == "wrong"
    assert "first wrong factor: ∂y1/∂z20 = 0.2449" in at[83, "grad"].note
    # line 85: 0.61 × 0.2379 × 0.54 = 0.0783643, written 0.0781: a slip as well
    assert at[85, "arithmetic"].verdict == "wrong"
    # line 69 continues line 67: ½[(0.5651 − 0.2)² + (0.6035 − 0.7)²] = 0.0713051
    assert at[69, "arithmetic"].verdict == "wrong" and at[69, "arithmetic"].expected == "0.07131"
    # Q1/Q2 stand before the first part's marker: their numbers are listed as unread
    assert {it.line for it in report.items if it.verdict == "unread"} == {24, 26, 30, 32, 37, 39}


def test_seed_001_vectors_and_premature_rounding():
    report = grade_files(PROBLEMS / "seed001.toml", [_seed("001")])
    items = report.items
    # ① line 21: each entry of [2.61, 3.92, 4.97] ⊙ [0.75, 0.94, 0.97] is multiplied right
    products = [it for it in items if it.line == 21 and it.kind == "arithmetic"]
    assert [(it.hand, it.verdict) for it in products][:3] == [
        ("1.9575", "correct"), ("3.6848", "correct"), ("4.8209", "correct")]
    value = next(it for it in items if it.line == 21 and it.kind == "grad")
    assert value.verdict == "wrong" and "rounding them this early" in value.note
    # ② line 23: 2.61 × 0.93 = 2.4273, written 2.4293
    slip = next(it for it in items if it.line == 23 and it.hand == "2.4293")
    assert slip.verdict == "wrong" and slip.expected == "2.4273"
    # ⑥ line 63: ⅔·(−0.28 + 0.03) = −0.1667, written −0.13 (the document says so itself)
    assert any(it.line == 63 and it.kind == "arithmetic" and it.verdict == "wrong"
               for it in items)


def test_seed_001_a_constant_taken_out_of_a_vector():
    # Line 59 writes ⅔[0.28, 0.09, 0.03] for B(h'_1), which the problem file maps to
    # ∂L/∂l1_1 per sample: each entry is ∂L/∂l1_1[k] ÷ ⅔.  By the document's own numbers
    # entry 1 is (w²₁₁·0.49 + w²₁₂·0.33)·0.20 = (0.49 + 0.66) × 0.2 = 0.23, and the
    # seed's network (built here node by node) gives the same to two decimals.
    net = scalar_mlp()
    net.root.backward()
    true = net["l1_1[1]"].grad / (2 / 3)
    assert f"{true:.2f}" == "0.23"
    report = grade_files(PROBLEMS / "seed001.toml", [_seed("001")])
    at = {(it.line, it.hand, it.kind): it for it in report.items}
    value, arithmetic = at[59, "0.28", "grad"], at[59, "0.28", "arithmetic"]
    assert (value.quantity, value.verdict, value.expected) == ("∂L/∂l1_1[1] ÷ 2/3", "wrong",
                                                               "0.23")
    assert value.engine == pytest.approx(true, rel=1e-12)
    assert (arithmetic.verdict, arithmetic.expected) == ("wrong", "0.23")
    # the other two entries are right both ways: 0.09 ≈ ∂L/∂l1_1[2] ÷ ⅔
    assert at[59, "0.09", "grad"].verdict == "correct"
    assert f"{net['l1_1[2]'].grad / (2 / 3):.2f}" == "0.09"


def test_seed_000_problem_names_the_outputs_by_q3s_names_in_q4_too():
    # A student's Q4 in seed 000's style writes σ' with the outputs' Q3 names:
    # a20 = σ(0.4·0.522485 + 0.1·0.529964) = 0.565125, so 0.5651 is right, and
    # a20(1 − a20) = 0.245759 (0.2458).  The problem file had no a_{20} in Q4: unchecked.
    text = ("Q4. 역전파\n\n"
            "$$\\frac{\\partial y_1}{\\partial z_{20}} = a_{20} (1 - a_{20}) = "
            "0.5651 \\times (1 - 0.5651) \\approx 0.2458$$\n")
    from handgrad.report import grade_markdown
    report = grade_markdown(PROBLEMS / "seed000.toml", text)
    verdicts = [(it.hand, it.quantity, it.verdict) for it in report.items]
    assert ("0.5651", "y1", "correct") in verdicts
    assert ("0.2458", "∂y1/∂z20", "correct") in verdicts
    assert not any(it.verdict == "unchecked" for it in report.items), verdicts
