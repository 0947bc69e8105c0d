"""Shared helpers of the checks: readable names of values, "not computed yet" messages, plain copies.

Checks compare *plain* copies of the student's values (``float.__float__(x)``, ``str.__str__(x)``): a value
whose class lies in ``__eq__`` cannot pass a check.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from designkit.i18n import _


def fmt(value: Any) -> str:
    """A number or value written for a student: 43.0 -> '43', 0.123456 -> '0.1235', 1234567 -> '1,234,567'.

    >>> fmt(43.0), fmt(0.123456), fmt(1234567), fmt(2016)
    ('43', '0.1235', '1,234,567', '2016')
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return repr(value)
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))  # years stay 2016
    if abs(value) >= 1000:
        return f"{value:,.1f}"
    return f"{value:.4g}"


def kind_of(value: Any) -> str:
    """What a value is, in plain words ("a pandas Series of 3 values", "the text '12'")."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return _("the text {shown}", shown=repr(shown))
    if isinstance(value, bool):
        return _("{value} (a True/False value)", value=value)
    if isinstance(value, dict):
        return _("a dict with {n} key(s)", n=len(value))
    size = getattr(value, "shape", None)
    mod = type(value).__module__.split(".")[0]
    cls = type(value).__name__
    if size is not None and size != ():
        shape = tuple(size)
        if mod == "pandas":
            return _("a pandas {cls} of shape {shape}", cls=cls, shape=shape)
        if mod == "numpy":
            return _("a numpy {cls} of shape {shape}", cls=cls, shape=shape)
        return _("a {cls} of shape {shape}", cls=cls, shape=shape)
    try:
        n = len(value)
    except TypeError:
        return (_("a pandas {cls}", cls=cls) if mod == "pandas" else _("a numpy {cls}", cls=cls) if mod == "numpy"
                else _("a {cls}", cls=cls))
    if mod == "pandas":
        return _("a pandas {cls} of {n} item(s)", cls=cls, n=n)
    if mod == "numpy":
        return _("a numpy {cls} of {n} item(s)", cls=cls, n=n)
    return _("a {cls} of {n} item(s)", cls=cls, n=n)


def fail(message: str) -> None:
    """Raise the AssertionError that carries a teaching message."""
    raise AssertionError(message)


def not_computed(actual: Any, name: str) -> None:
    """Fail with a specific message when ``actual`` is still ``...`` or None."""
    if actual is ...:
        fail(_("`{name}` is still `...`: replace the ... with your answer and run the cell again.", name=name))
    if actual is None:
        fail(_("`{name}` is None: nothing was computed yet. Replace None with your answer, make sure the cell "
               "that sets `{name}` has run, and if a function computes it, check that it ends with `return`.",
               name=name))


def plain_number(actual: Any, name: str) -> float:
    """``actual`` as a plain float, or fail with a message for None, ``...``, text, True/False, lists, NaN."""
    not_computed(actual, name)
    shape = getattr(actual, "shape", None)
    if shape == () and hasattr(actual, "item"):  # a numpy 0-d array or scalar
        actual = actual.item()
    if isinstance(actual, bool):
        fail(_("`{name}` is {value}, a yes/no value, but a number is expected here.", name=name, value=actual))
    if isinstance(actual, str):
        try:
            float(actual.replace(",", ""))
        except ValueError:
            fail(_("`{name}` is {kind}, but a number is expected. Compute the value with Python "
                   "rather than writing it as text.", name=name, kind=kind_of(actual)))
        fail(_("`{name}` is {kind}: a number written as text. Remove the quotes (or use float(...)) "
               "so that Python can calculate with it.", name=name, kind=kind_of(actual)))
    if not isinstance(actual, numbers.Real):
        if hasattr(actual, "__len__"):
            fail(_("`{name}` is {kind}, but one number is expected. Pick the single value (e.g. "
                   ".iloc[0], .item() or df.loc[row, column]) or summarise it (.sum(), .mean()).",
                   name=name, kind=kind_of(actual)))
        fail(_("`{name}` is {kind}, but a number is expected.", name=name, kind=kind_of(actual)))
    value = float.__float__(float(actual)) if not isinstance(actual, float) else float.__float__(actual)
    if math.isnan(value):
        fail(_("`{name}` is NaN ('not a number'): a missing value reached the calculation, or 0 was divided by 0. "
               "Look for missing values in the rows you used (.isna().sum(), .dropna()) and for empty selections.",
               name=name))
    if math.isinf(value):
        fail(_("`{name}` is infinite: a division by zero? Check the denominator of your calculation.", name=name))
    return value


def plain_expected(expected: Any, what: str = "expected") -> float:
    """The instructor's expected value as a float; TypeError (an authoring bug, not the student's) otherwise."""
    if isinstance(expected, bool) or not isinstance(expected, numbers.Real) or math.isnan(float(expected)):
        raise TypeError(f"the {what} value of a check must be a real number, not {expected!r}")
    return float(expected)


def plain_item(item: Any) -> Any:
    """A plain copy of a collection item (str, int, float) or its ``.name`` for framing objects (Idea, ...)."""
    if hasattr(item, "name") and not isinstance(item, str | numbers.Number) and isinstance(item.name, str):
        item = item.name
    if isinstance(item, str):
        return str.__str__(item)
    if isinstance(item, bool):
        return bool(item)
    if isinstance(item, numbers.Integral):
        return int(item) if type(item) is int else int.__int__(int(item))
    if isinstance(item, float):
        return float.__float__(item)
    return item


def normalise(item: Any) -> Any:
    """Case-folded text with whitespace collapsed (other items unchanged)."""
    return " ".join(item.split()).casefold() if isinstance(item, str) else item


def items_of(actual: Any, name: str) -> list:
    """``actual`` as a list of plain items, or fail for None, ``...``, a single text or a non-collection."""
    not_computed(actual, name)
    if isinstance(actual, str):
        fail(_("`{name}` is {kind}, a single text. Put the items in a list, e.g. ['first', 'second'].",
               name=name, kind=kind_of(actual)))
    if isinstance(actual, dict):
        fail(_("`{name}` is {kind}; a list (or set) of items is expected. If the keys are your "
               "answer, use list({name}).", name=name, kind=kind_of(actual)))
    try:
        return [plain_item(x) for x in actual]
    except TypeError:
        fail(_("`{name}` is {kind}, but a list (or set) of items is expected.", name=name, kind=kind_of(actual)))
    raise AssertionError  # pragma: no cover - fail() always raises


def listing(items: list, limit: int = 10) -> str:
    """'a, b, c' (and 'and N more' beyond ``limit``)."""
    shown = _(", ").join(repr(x) for x in items[:limit])
    return _("{shown} and {n} more", shown=shown, n=len(items) - limit) if len(items) > limit else shown
