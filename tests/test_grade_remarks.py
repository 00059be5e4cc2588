"""Remarks written in the math (`= 0.4607 \\text{ (rounded)}`, `\\text{, so}`,
`\\text{(반올림)}`) and the numbers no check reads: a remark is dropped from
the math as \\quad is, so the equation is graded as if it were not there; a
number that ends up in no check is reported, unchecked or unread, with what
stopped it, never counted as an operand; and every unchecked claim is in the
text and HTML reports, with counts that say what they count.

The one-neuron problem, by hand: s = σ(w·x) at w = 0.5, x = 2, so
s = σ(1) = 1/(1 + e⁻¹) = 0.7310586; ∂s/∂w = σ(1)(1 − σ(1))·x = 0.1966119 × 2
= 0.3932239; one step of lr 0.1: w⁺ = 0.5 − 0.1 × 0.3932239 = 0.4606776.  The
arithmetic as written: 0.5 − 0.1 × 0.3932 = 0.46068, 0.1966 × 2 = 0.3932."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from examples import neuron_problem

from handgrad.report import grade_markdown

NEURON = neuron_problem("One neuron", lr=0.1)
S = 1 / (1 + math.exp(-1))       # 0.7310586
DS_DW = S * (1 - S) * 2          # 0.3932239
W_NEW = 0.5 - 0.1 * DS_DW        # 0.4606776


def _items(text: str) -> list[tuple[str, str, str]]:
    """(hand, kind, verdict) of every item, in document order."""
    return [(it.hand, it.kind, it.verdict) for it in grade_markdown(NEURON, text).items]


def _math(inline: bool, body: str) -> str:
    return f"${body}$" if inline else f"$${body}$$"


UPDATE = r"w(\text{new}) = 0.5 - 0.1 \times 0.3932 = 0.4607"
UPDATE_GRADED = [("0.5", "factor", "correct"), ("0.1", "lr", "correct"),
                 ("0.4607", "update", "correct"), ("0.4607", "arithmetic", "correct")]


@pytest.mark.parametrize("inline", [False, True], ids=["display", "inline"])
@pytest.mark.parametrize("remark", [r"\text{ (rounded)}", r"\text{(rounded)}",
                                    r"\text{(반올림)}", r"\text{ 이므로}", r"\mbox{ (rounded)}",
                                    r"\textrm{, so}", r"\quad \text{(rounded)}"])
def test_a_remark_after_an_update_leaves_it_graded(remark, inline):
    report = grade_markdown(NEURON, _math(inline, f"{UPDATE} {remark}"))
    assert [(it.hand, it.kind, it.verdict) for it in report.items] == UPDATE_GRADED
    update = next(it for it in report.items if it.kind == "update")
    assert update.engine == pytest.approx(W_NEW, abs=1e-9)
    s = report.to_dict()["submissions"][0]["summary"]
    # 0.5, 0.1, 0.4607 graded; 0.3932 the operand (the gradient the step used)
    assert (s["numbers"], s["numbers_graded"], s["numbers_operands"], s["unchecked"],
            s["unread"], s["formulas"]) == (4, 3, 1, 0, 0, 0)


@pytest.mark.parametrize("inline", [False, True], ids=["display", "inline"])
@pytest.mark.parametrize("remark", [r"\text{, so}", r"\text{ 이므로}", r"\text{ (rounded)}",
                                    r"\quad \text{(rounded)}", r"\quad \text{(반올림)}"])
def test_a_remark_after_a_value_leaves_it_graded_and_is_no_formula(remark, inline):
    report = grade_markdown(NEURON, _math(inline, f"s = 0.7311 {remark}"))
    [item] = report.items
    assert (item.hand, item.kind, item.verdict, item.quantity) == ("0.7311", "value",
                                                                   "correct", "s")
    assert item.engine == pytest.approx(S, abs=1e-9)
    counts = str(report).splitlines()[4:6]
    assert counts == ["  1 number read: 1 graded, 0 unchecked, 0 unread, 0 operands and "
                      "constants of formulas",
                      "  1 claim: 1 checked (1 correct, 0 close, 0 wrong), 0 unchecked, 0 "
                      "unread; 0 formulas without numbers"]


@pytest.mark.parametrize("text, expected", [
    # 0.1966 × 2 = 0.3932 exactly; ∂s/∂w = 0.3932239 is 0.393 at 3 decimals
    (r"$$\frac{\partial s}{\partial w} = 0.1966 \times 2 = 0.3932 \text{ (rounded)} = 0.393$$",
     [("0.3932", "arithmetic", "correct"), ("0.393", "grad", "correct"),
      ("0.393", "arithmetic", "correct")]),
    (r"$\frac{\partial s}{\partial w} = 0.1966 \times 2 = 0.3932 \text{(반올림)} \approx 0.393$",
     [("0.3932", "arithmetic", "correct"), ("0.393", "grad", "correct"),
      ("0.393", "arithmetic", "correct")]),
    (r"$$w(\text{new}) = 0.5 - 0.1 \times 0.3932 \text{ (rounded)} = 0.4607$$", UPDATE_GRADED),
])
def test_a_remark_in_the_middle_of_a_chain_carries_it_on(text, expected):
    assert sorted(_items(text)) == sorted(expected)
    # graded as if the remark were not there
    plain = text.replace(r" \text{ (rounded)}", "").replace(r" \text{(반올림)}", "")
    assert sorted(_items(plain)) == sorted(expected)


def test_text_inside_a_name_stays_part_of_the_name():
    # w(\text{new}) is the update above; a subscript's words name a symbol (never guessed),
    # and a \text{…} that is a whole side is what the relation is about
    [item] = grade_markdown(NEURON, r"$$s_{\text{ (out)}} = 0.7311$$").items
    assert (item.verdict, item.note) == (
        "unchecked", "'s(out)' names nothing in the problem (add it to [notation])")
    assert _items(r"$$\text{s } = 0.7311$$") == [("0.7311", "value", "correct")]


def test_a_number_in_a_remark_is_unread_with_why():
    assert _items(r"$$s = 0.7311 \text{ (step 2)}$$") == [
        ("0.7311", "value", "correct"), ("2", "unread", "unread")]
    note = grade_markdown(NEURON, r"$$s = 0.7311 \text{ (step 2)}$$").items[1].note
    assert note == r"in the words of a remark (\text{…}), which are not graded"


@pytest.mark.parametrize("text, note", [
    # a word without a space or punctuation is read as a symbol: it names nothing
    (r"$$s = 0.7311 \text{so}$$",
     "it stands in 0.7311·so, and 'so' names nothing in the problem (add it to [notation])"),
    (r"$s = 0.7311 \text{이므로}$",
     "it stands in 0.7311·이므로, and '이므로' names nothing in the problem (add it to "
     "[notation])"),
    (r"$$s = 0.5 x$$", "it stands in 0.5·x, a formula of symbols that no step rewrites as "
                       "numbers"),
])
def test_a_decimal_beside_symbols_is_unchecked_not_a_constant(text, note):
    report = grade_markdown(NEURON, text)
    [item] = report.items
    assert (item.hand, item.verdict, item.note) == ("0.7311" if "0.7311" in text else "0.5",
                                                   "unchecked", note)
    s = report.to_dict()["submissions"][0]["summary"]
    assert (s["numbers"], s["numbers_unchecked"], s["numbers_operands"], s["formulas"]) == (
        1, 1, 0, 0)


def test_the_operands_of_an_unchecked_computation_are_unchecked():
    # the step's result is not written: the gradient it used is in no check
    items = grade_markdown(NEURON, r"$$w(\text{new}) = 0.5 - 0.1 \times 0.3932$$").items
    assert [(it.hand, it.verdict, it.note) for it in items] == [
        ("0.5", "correct", ""), ("0.1", "correct", ""),
        ("0.3932", "unchecked", "an operand of a computation whose result is not written")]
    # q names nothing and lr has no value here: no number of the chain is checked
    items = grade_markdown(NEURON, r"$$q = 0.5 - 0.1 \times 0.3932 \text{lr} = 0.4607$$").items
    why = "the computation uses lr, which has no value here"
    assert [(it.hand, it.verdict, it.note) for it in items] == [
        ("0.5", "unchecked", f"an operand of a computation whose result 0.4607 is unchecked: "
                             f"{why}"),
        ("0.1", "unchecked", f"an operand of a computation whose result 0.4607 is unchecked: "
                             f"{why}"),
        ("0.3932", "unchecked", f"an operand of a computation whose result 0.4607 is "
                                f"unchecked: {why}"),
        ("0.4607", "unchecked", "'q' names nothing in the problem (add it to [notation])"),
        ("0.4607", "unchecked", why)]


W_NEW_UNMAPPED = r"$$w_{new} = 0.5 - 0.1 \times 0.3932 = 0.4607$$"
UNMAPPED = "'wnew' names nothing in the problem (add it to [notation])"


def test_an_unchecked_claim_of_a_graded_number_is_in_every_report():
    # w_{new} is not w(new): the symbol is never guessed, so only the arithmetic
    # 0.5 − 0.1 × 0.3932 = 0.46068 ≈ 0.4607 is checked, and every report says so
    report = grade_markdown(NEURON, W_NEW_UNMAPPED, "hw.md")
    lines = str(report).splitlines()
    assert lines[:2] == ["submission  numbers  checked  correct  close  wrong  unchecked  unread",
                         "hw.md             4        1        1      0      0          1       0"]
    assert lines[4:] == [
        "  4 numbers read: 1 graded, 0 unchecked, 0 unread, 3 operands and constants of "
        "formulas",
        "  2 claims: 1 checked (1 correct, 0 close, 0 wrong), 1 unchecked (1 on a graded "
        "number), 0 unread; 0 formulas without numbers",
        "  unchecked:",
        f"    line 1  0.4607  {UNMAPPED}; checked only: arithmetic correct"]
    assert f"<span class='n'>0.4607</span> {UNMAPPED.replace(chr(39), '&#x27;')}</li>" in \
        report.to_html()
    data = json.loads(report.to_json())["submissions"][0]
    assert (data["summary"]["unchecked"], data["summary"]["unchecked_of_graded"],
            data["summary"]["numbers_unchecked"]) == (1, 1, 0)
    assert [(it["hand"], it["verdict"], it["note"]) for it in data["items"]
            if it["verdict"] == "unchecked"] == [("0.4607", "unchecked", UNMAPPED)]
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    s = data["summary"]
    assert len(rows) == s["checked"] + s["unchecked"] + s["unread"] == 2
