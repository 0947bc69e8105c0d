"""Checks of single quantities: ``number``, ``rate_per_1000``, ``percent``, ``proportion``.

Each returns None when the answer is right and raises AssertionError with a message that teaches
when it is not: not computed yet, the wrong type, NaN, a value 10, 100 or 1000 times off (a unit
slip), the wrong sign, a percentage where a rate was asked...

>>> number(26.7, 26.7, name="days_after")
>>> rate_per_1000(4.3, 43, name="u5mr")
Traceback (most recent call last):
...
AssertionError: `u5mr` should be a rate per 1,000 live births (expected about 43); your value 4.3 looks like a percentage (per 100). Multiply by 10 to get per 1,000, or divide by the live births and multiply by 1,000.
"""

from __future__ import annotations

from designkit.i18n import N_, _

from ._common import fail, fmt, plain_expected, plain_number

_UNIT_HINTS = {
    10: N_("per 100 vs per 1,000, or a misplaced decimal point"),
    100: N_("a percentage vs a proportion (0 to 1): percentages are proportions x 100"),
    1000: N_("per person vs per 1,000, or thousands vs units"),
}


def _near(value: float, target: float, tol: float) -> bool:
    """Close enough to call it the same value for a hint: within ``tol`` or 2%."""
    return abs(value - target) <= max(tol, 0.02 * abs(target))


def _within(actual: float, expected: float, tol: float | None, rel: float | None) -> bool:
    if tol is None and rel is None:
        return abs(actual - expected) <= max(1e-9, 1e-6 * abs(expected))
    allowed = max(tol or 0.0, (rel or 0.0) * abs(expected))
    return abs(actual - expected) <= allowed


def _scale_hint(actual: float, expected: float, tol: float) -> str:
    """'about 100 times too large: ...' when actual is expected x 10^k, else ''."""
    if expected == 0 or actual == 0:
        return ""
    for factor, why in _UNIT_HINTS.items():
        if _near(actual, expected * factor, tol * factor):
            return _("Your value is about {factor:,} times too large: check the unit ({why}).", factor=factor, why=_(why))
        if _near(actual * factor, expected, tol):
            return _("Your value is about {factor:,} times too small: check the unit ({why}).", factor=factor, why=_(why))
    return ""


def number(actual: object, expected: float, *, name: str = "your answer", tol: float | None = None,
           rel: float | None = None, unit: str | None = None) -> None:
    """Check that ``actual`` equals ``expected`` within ``tol`` (absolute) or ``rel`` (relative; 0.01 = 1%).

    With neither, the values must agree to about 6 significant digits. ``unit`` (e.g. "days") is used
    in the messages.

    >>> number(17.5, 17.5, name="days_saved", unit="days")
    >>> number(-17.5, 17.5, name="days_saved", unit="days")
    Traceback (most recent call last):
    ...
    AssertionError: `days_saved` has the right size but the wrong sign (-17.5 instead of 17.5 days): subtract in the other order (for a reduction: before - after).
    """
    value = plain_number(actual, name)
    target = plain_expected(expected)
    if _within(value, target, tol, rel):
        return None
    unit_text = f" {unit}" if unit else ""
    slack = tol if tol is not None else (rel or 0) * abs(target)
    if target != 0 and _near(-value, target, slack):
        fail(_("`{name}` has the right size but the wrong sign ({value} instead of {target}{unit}): "
               "subtract in the other order (for a reduction: before - after).", name=name, value=fmt(value),
               target=fmt(target), unit=unit_text))
    hint = _scale_hint(value, target, slack)
    margin = _(" (within {tol})", tol=fmt(tol)) if tol else _(" (within {rel:.0%})", rel=rel) if rel else ""
    if value > target:
        head = _("`{name}` is {value}{unit}, too high: expected {target}{unit}{margin}.", name=name, value=fmt(value),
                 unit=unit_text, target=fmt(target), margin=margin)
    else:
        head = _("`{name}` is {value}{unit}, too low: expected {target}{unit}{margin}.", name=name, value=fmt(value),
                 unit=unit_text, target=fmt(target), margin=margin)
    fail(head + " " + (hint or _("Re-read the question for which rows, years or columns to use, and check each step.")))


def rate_per_1000(actual: object, expected: float, *, name: str = "your rate", tol: float = 0.5,
                  per: str = N_("live births")) -> None:
    """Check a rate per 1,000 (under-5 mortality: deaths per 1,000 live births), with unit-slip hints.

    >>> rate_per_1000(43.2, 43, name="u5mr")
    >>> rate_per_1000(0.043, 43, name="u5mr")
    Traceback (most recent call last):
    ...
    AssertionError: `u5mr` should be a rate per 1,000 live births (expected about 43); your value 0.043 looks like a proportion (per 1). Multiply by 1,000.
    """
    value = plain_number(actual, name)
    target = plain_expected(expected)
    if abs(value - target) <= tol:
        return None
    per = _(per)
    v = fmt(value)
    head = _("`{name}` should be a rate per 1,000 {per} (expected about {target})", name=name, per=per,
             target=fmt(target))
    if value < 0:
        fail(_("{head}; your value {value} is negative, and a rate cannot be. Check the order of a "
               "subtraction, or whether you computed a change instead of a rate.", head=head, value=v))
    if target and _near(value * 10, target, tol):
        fail(_("{head}; your value {value} looks like a percentage (per 100). Multiply by 10 to get per "
               "1,000, or divide by the {per} and multiply by 1,000.", head=head, value=v, per=per))
    if target and _near(value * 1000, target, tol):
        fail(_("{head}; your value {value} looks like a proportion (per 1). Multiply by 1,000.", head=head, value=v))
    if target and _near(value / 100, target, tol):
        fail(_("{head}; your value {value} looks like a rate per 100,000 (as for maternal mortality). "
               "Divide by 100.", head=head, value=v))
    if value > 1000 or (target > 0 and value > 20 * target):
        fail(_("{head}; your value {value} looks like a count, not a rate. Divide the number of events by "
               "the number of {per} and multiply by 1,000.", head=head, value=v, per=per))
    if value > target:
        fail(_("{head}; your value {value} is too high (allowed difference {tol}). Check which year, "
               "sex or country you selected, and the denominator.", head=head, value=v, tol=fmt(tol)))
    fail(_("{head}; your value {value} is too low (allowed difference {tol}). Check which year, "
           "sex or country you selected, and the denominator.", head=head, value=v, tol=fmt(tol)))


def percent(actual: object, expected: float, *, name: str = "your percentage", tol: float = 0.5) -> None:
    """Check a percentage (0-100 for a share; changes may be negative), with proportion-vs-percent hints.

    >>> percent(39.6, 39.6, name="reduction_pct")
    >>> percent(0.396, 39.6, name="reduction_pct")
    Traceback (most recent call last):
    ...
    AssertionError: `reduction_pct` should be a percentage (expected about 39.6); your value 0.396 looks like a proportion (0 to 1). Multiply by 100.
    """
    value = plain_number(actual, name)
    target = plain_expected(expected)
    if abs(value - target) <= tol:
        return None
    v = fmt(value)
    head = _("`{name}` should be a percentage (expected about {target})", name=name, target=fmt(target))
    if target and _near(value * 100, target, tol):
        fail(_("{head}; your value {value} looks like a proportion (0 to 1). Multiply by 100.", head=head, value=v))
    if target and _near(value, target * 10, tol * 10):
        fail(_("{head}; your value {value} is 10 times too large: a rate per 1,000 instead of per 100?",
               head=head, value=v))
    if target and _near(-value, target, tol):
        fail(_("{head}; your value {value} has the wrong sign: for a reduction, compute "
               "(before - after) / before x 100.", head=head, value=v))
    if 0 <= target <= 100 and _near(100 - value, target, tol):
        fail(_("{head}; your value {value} is its complement (100 - {target}): you computed the share "
               "of the other group. Check which group is in the numerator.", head=head, value=v, target=fmt(target)))
    if 0 <= target <= 100 and (value > 100 or value < 0):
        fail(_("{head}; your value {value} is outside 0-100, impossible for a share of a whole. Check the "
               "numerator and the denominator (part / whole x 100).", head=head, value=v))
    if value > target:
        fail(_("{head}; your value {value} is too high (allowed difference {tol} points). Check the "
               "numerator, the denominator and which rows you used.", head=head, value=v, tol=fmt(tol)))
    fail(_("{head}; your value {value} is too low (allowed difference {tol} points). Check the "
           "numerator, the denominator and which rows you used.", head=head, value=v, tol=fmt(tol)))


def proportion(actual: object, expected: float, *, name: str = "your proportion", tol: float = 0.005) -> None:
    """Check a proportion (0 to 1), with percent-vs-proportion hints.

    >>> proportion(0.38, 0.38, name="share_texted")
    >>> proportion(38, 0.38, name="share_texted")
    Traceback (most recent call last):
    ...
    AssertionError: `share_texted` should be a proportion from 0 to 1 (expected about 0.38); your value 38 looks like a percentage. Divide by 100.
    """
    value = plain_number(actual, name)
    target = plain_expected(expected)
    if abs(value - target) <= tol:
        return None
    v = fmt(value)
    head = _("`{name}` should be a proportion from 0 to 1 (expected about {target})", name=name, target=fmt(target))
    if target and _near(value / 100, target, tol):
        fail(_("{head}; your value {value} looks like a percentage. Divide by 100.", head=head, value=v))
    if 0 <= target <= 1 and _near(1 - value, target, tol):
        fail(_("{head}; your value {value} is its complement (1 - {target}): you computed the share of "
               "the other group.", head=head, value=v, target=fmt(target)))
    if 0 <= target <= 1 and not 0 <= value <= 1:
        fail(_("{head}; your value {value} is outside 0-1, impossible for a share of a whole: part / whole.",
               head=head, value=v))
    if value > target:
        fail(_("{head}; your value {value} is too high (allowed difference {tol}).", head=head, value=v, tol=fmt(tol)))
    fail(_("{head}; your value {value} is too low (allowed difference {tol}).", head=head, value=v, tol=fmt(tol)))
