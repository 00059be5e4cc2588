"""The rounding rule: when is a hand answer the engine's number, as written?

A hand answer is judged at the precision it was written with: "0.5225"
claims four decimals, so it is correct when the exact value rounds to it.
Writing answers as strings keeps those digits ("0.50" has two decimals, the
float 0.50 has one).

The rule, for an answer written with k decimals (unit u = 10⁻ᵏ; "5.6e-2" has
k = 3, "1.5e3" has k = -2):
  correct  |hand − exact| ≤ u/2            (it is the exact value rounded)
  close    |hand − exact| ≤ (slack + ½)·u  (the last digit is off by at most
           `slack`, default 1), only for answers with at least two
           significant digits: for "0.5" or "7." one unit is 10–100 % of the
           number, so those must be rounded correctly
  wrong    otherwise.
"close" counts as ok.  Fractions ("2/3") and whole numbers written without
a point ("0", "-1", "2") are exact and must match to float precision: in a
hand derivation a whole number is an exact quantity (an input, a target, a
local derivative of 1 or 2), so "0" for −0.3549 is a wrong derivative, not
that value rounded to units ("0." or "0.0" claims a precision, and is judged
by the rule).  `tol` (absolute) and/or `rtol` (relative) replace the rule with
|hand − exact| ≤ tol + rtol·|exact|.  `min_digits` asks for a minimum: an
answer that would be correct or close but is written with fewer significant
digits is *too coarse* ("0.08" for 0.0822 with min_digits=3), unless it is
the exact value itself ("0.2" for 0.2 has no more digits to give).  Too
coarse does not count as ok.

Comparisons and roundings use exact rationals, so any finite float is graded
at the precision its answer claims (answers must be below 1e309 and written
in units no finer than 1e-1100).  Nothing here touches a graph: `check` and
answer sheets read these rules.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Union

from .errors import located
from .value import Value

Answer = Union[str, int, float, Decimal, Fraction]

CORRECT, CLOSE, WRONG, COARSE = "correct", "close", "wrong", "coarse"
_NOISE = Fraction(1, 2 ** 40)  # relative float noise allowed in the engine's value
_EXACT = Fraction(1, 10 ** 9)  # relative tolerance for exact (fraction) answers
# Hand answers are about floats: none is above 1.8e308 (answers stay below
# 1e309, which leaves room for the largest float rounded up), and a float's
# exact decimal expansion has at most 1074 decimals.  The bounds also keep the
# powers of ten that grading computes small.
_MAX_DIGITS_BEFORE_POINT, _MAX_DECIMALS = 309, 1100
_LIMIT = Fraction(10) ** _MAX_DIGITS_BEFORE_POINT


class OutOfRange(ValueError):
    """A number too large, or written too finely, for floats."""


@dataclass(frozen=True)
class Hand:
    """A hand number as written: its exact value and its precision
    (`decimals` None for an exact answer: a fraction or a whole number)."""

    text: str
    value: Fraction
    decimals: int | None
    significant: int
    exponent_digits: int | None  # mantissa decimals if written as 1.23e-4


def parse_answer(x, where: str) -> Hand:
    """Read a hand answer: a numeric string (decimal, scientific or a fraction
    like "2/3", with − or - for minus), an int, a float (its repr's digits),
    a Decimal or a Fraction.  `where` names it in error messages."""
    if isinstance(x, bool) or isinstance(x, Value):
        raise located(TypeError, where, f"a hand answer must be a number or a numeric string, "
                                        f"got {x!r}")
    if isinstance(x, Fraction):
        return Hand(str(x), _within_floats(x, x, where), None, 0, None)
    if isinstance(x, str):
        text = x.strip().replace("\u2212", "-")
    elif isinstance(x, Decimal):
        text = str(x)
    elif isinstance(x, numbers.Integral):
        text = str(int(x))
    elif isinstance(x, numbers.Real):
        text = repr(float(x))
    else:
        raise located(TypeError, where, f"a hand answer must be a number or a numeric string, "
                                        f"got {x!r} of type {type(x).__name__}")
    if "/" in text:
        try:
            value = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise located(ValueError, where, f"{x!r} is not a number") from None
        return Hand(text, _within_floats(value, x, where), None, 0, None)
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise located(ValueError, where, f"{x!r} is not a number (write it like '0.5225', "
                                         f"'-1.3e-2' or '2/3')") from None
    if not d.is_finite():
        raise located(ValueError, where, f"{x!r} is not a finite number")
    sign, digits, exponent = d.as_tuple()
    if any(digits) and d.adjusted() >= _MAX_DIGITS_BEFORE_POINT:  # before Fraction(d)
        raise _too_large(x, where)
    if not -_MAX_DECIMALS <= exponent < _MAX_DIGITS_BEFORE_POINT:
        raise located(OutOfRange, where,
                      f"{x!r} is written in units of 1e{exponent:+d}; no float needs units "
                      f"finer than 1e-{_MAX_DECIMALS} or coarser than "
                      f"1e+{_MAX_DIGITS_BEFORE_POINT - 1}")
    significant = len(digits) if any(digits) else 0
    scientific = "e" in text.lower()
    mantissa = max(len(digits) - 1, 0) if scientific else None
    whole = not scientific and "." not in text  # exact, as a fraction is
    return Hand(str(x) if isinstance(x, str) else text, Fraction(d),
                None if whole else -exponent, significant, mantissa)


def _within_floats(value: Fraction, x, where: str) -> Fraction:
    """`value` (of the answer `x`), if it is below 1e309 in magnitude."""
    if abs(value) >= _LIMIT:
        raise _too_large(x, where)
    return value


def _too_large(x, where: str) -> OutOfRange:
    return located(OutOfRange, where, f"{x!r} is beyond the range of floats (up to about 1.8e308)")


def as_float(x: Fraction) -> float:
    """`x` as a float; ±inf beyond the float range (a hand answer may be a
    little above the largest float, a product of them far above)."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def judge(hand: Hand, exact: float | Fraction, *, tol: float | None = None,
          rtol: float | None = None, slack: int = 1, min_digits: int | None = None) -> str:
    """The verdict on `hand` against the engine's `exact` (see the module doc)."""
    e = Fraction(exact)
    diff = abs(hand.value - e)
    noise = _NOISE * max(abs(e), abs(hand.value))
    verdict = _verdict(hand, e, diff, noise, tol, rtol, slack)
    if (verdict != WRONG and min_digits is not None and hand.decimals is not None
            and hand.significant < min_digits and diff > noise):
        return COARSE
    return verdict


def _verdict(hand: Hand, e: Fraction, diff: Fraction, noise: Fraction, tol: float | None,
             rtol: float | None, slack: int) -> str:
    if tol is not None or rtol is not None:
        return CORRECT if diff <= _tolerance(e, tol, rtol) else WRONG
    if hand.decimals is None:
        return CORRECT if diff <= _EXACT * max(1, abs(e)) else WRONG
    unit = Fraction(10) ** -hand.decimals
    if diff <= unit / 2 + noise:
        return CORRECT
    if hand.significant >= 2 and diff <= (slack + Fraction(1, 2)) * unit + noise:
        return CLOSE
    return WRONG


def _tolerance(e: Fraction, tol: float | None, rtol: float | None) -> Fraction:
    """How far an answer may be from `e` under tol/rtol."""
    return Fraction(tol or 0) + Fraction(rtol or 0) * abs(e)


def should_read(exact: float | Fraction, hand: Hand, verdict: str, *, tol: float | None = None,
                rtol: float | None = None, min_digits: int | None = None) -> str:
    """What the answer should read (a report's `expected` and its notes):
    `exact` at the answer's precision, and finer where the question asks for
    more, so that a note never repeats the answer it faults: under a
    tolerance finer than the answer, to the tolerance's digits (0.0822 for
    "0.08" with tol=1e-4); for a too-coarse answer, and for a wrong one
    written with fewer digits, to `min_digits` significant digits (so that
    it does not ask for an answer that would itself be too coarse)."""
    x = Fraction(exact)
    if hand.decimals is None:
        return _exactly(x)
    decimals = hand.decimals
    if tol is not None or rtol is not None:
        allowed = _tolerance(x, tol, rtol)
        if allowed == 0:  # an exact match is asked for: the float itself
            return repr(float(x))
        decimals = max(decimals, -_exponent(allowed))  # = ⌈−log10 allowed⌉
    if verdict in (COARSE, WRONG) and min_digits is not None and x != 0:
        decimals = max(decimals, min_digits - 1 - _exponent(x))
    if decimals == hand.decimals:
        # A correct answer reads as itself: at a tie (0.35485 to four decimals, or
        # a float a hair below it) both neighbours are the exact value rounded.
        return rounded_like(hand.value if verdict == CORRECT else x, hand)
    if x != 0 and decimals + _exponent(x) + 1 > 17:  # asks beyond a float's digits
        return repr(float(x))
    if hand.exponent_digits is not None:
        return _scientific(x, max(hand.exponent_digits, decimals + _exponent(x)))
    return _fixed(x, decimals)


def rounded_like(exact: float | Fraction, hand: Hand) -> str:
    """`exact` written at the hand answer's precision: what it should read.
    Rounded exactly (half away from zero), so any magnitude works."""
    x = Fraction(exact)
    if hand.decimals is None:
        return _exactly(x)
    if hand.exponent_digits is not None:
        return _scientific(x, hand.exponent_digits)
    return _fixed(x, hand.decimals)


def _exactly(x: Fraction) -> str:
    """What an exact answer (a fraction, a whole number) should read: a whole
    value in all its digits, any other to 10 significant digits."""
    return str(x.numerator) if x.denominator == 1 else general(x, 10)


def _fixed(x: Fraction, decimals: int) -> str:
    """`x` rounded half away from zero to `decimals` decimals (negative: to
    tens, hundreds, ...), in plain notation; never "-0"."""
    n = math.floor(abs(x) * Fraction(10) ** decimals + Fraction(1, 2))
    sign = "-" if x < 0 and n else ""
    if decimals <= 0:
        return f"{sign}{n * 10 ** -decimals}"
    digits = str(n).rjust(decimals + 1, "0")
    return f"{sign}{digits[:-decimals]}.{digits[-decimals:]}"


def _exponent(x: Fraction) -> int:
    """⌊log10 |x|⌋ of a nonzero `x`, exactly."""
    e = len(str(abs(x.numerator))) - len(str(x.denominator))  # ⌊log10|x|⌋ or one more
    return e - 1 if abs(x) < Fraction(10) ** e else e


def _scientific(x: Fraction, mantissa: int) -> str:
    """`x` as d.ddd…e±XX with `mantissa` decimals (Python's "e" format,
    rounded half away from zero)."""
    if x == 0:
        return f"{0:.{mantissa}e}"
    e = _exponent(x)
    text = _fixed(x / Fraction(10) ** e, mantissa)
    if text.lstrip("-").startswith("10"):  # 9.96 → 10.0: one more digit before the point
        e += 1
        text = _fixed(x / Fraction(10) ** e, mantissa)
    return f"{text}e{e:+03d}"


def general(x: Fraction, digits: int) -> str:
    """`digits` significant digits (Python's "g" format), also beyond floats."""
    try:
        return f"{float(x):.{digits}g}"
    except OverflowError:  # a product of hand numbers can exceed the float range
        return _scientific(x, digits - 1)


def engine_text(exact: float, hand: Hand) -> str:
    """The engine's value for the table: two decimals more than the answer,
    or 10 significant digits where that would be long."""
    if hand.decimals is None or hand.exponent_digits is not None or hand.decimals + 2 > 12:
        return f"{exact:.10g}"
    text = _fixed(Fraction(exact), max(hand.decimals, 0) + 2)
    return text if len(text) <= 16 else f"{exact:.10g}"
