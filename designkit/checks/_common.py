"""Shared helpers of the checks: readable names of values, "not computed yet" messages, plain copies.

Checks compare *plain* copies of the student's values (``float.__float__(x)``, ``str.__str__(x)``): a value
whose class lies in ``__eq__`` cannot pass a check.
"""

from __future__ import annotations

import math
import numbers
from typing import Any


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
        return f"the text {shown!r}"
    if isinstance(value, bool):
        return f"{value} (a True/False value)"
    if isinstance(value, dict):
        return f"a dict with {len(value)} key(s)"
    size = getattr(value, "shape", None)
    mod = type(value).__module__.split(".")[0]
    prefix = "a pandas " if mod == "pandas" else "a numpy " if mod == "numpy" else "a "
    if size is not None and size != ():
        return f"{prefix}{type(value).__name__} of shape {tuple(size)}"
    try:
        return f"{prefix}{type(value).__name__} of {len(value)} item(s)"
    except TypeError:
        return f"{prefix}{type(value).__name__}"


def fail(message: str) -> None:
    """Raise the AssertionError that carries a teaching message."""
    raise AssertionError(message)


def not_computed(actual: Any, name: str) -> None:
    """Fail with a specific message when ``actual`` is still ``...`` or None."""
    if actual is ...:
        fail(f"`{name}` is still `...`: replace the ... with your answer and run the cell again.")
    if actual is None:
        fail(f"`{name}` is None: nothing was computed yet. Replace None with your answer, make sure the cell "
             f"that sets `{name}` has run, and if a function computes it, check that it ends with `return`.")


def plain_number(actual: Any, name: str) -> float:
    """``actual`` as a plain float, or fail with a message for None, ``...``, text, True/False, lists, NaN."""
    not_computed(actual, name)
    shape = getattr(actual, "shape", None)
    if shape == () and hasattr(actual, "item"):  # a numpy 0-d array or scalar
        actual = actual.item()
    if isinstance(actual, bool):
        fail(f"`{name}` is {actual}, a yes/no value, but a number is expected here.")
    if isinstance(actual, str):
        try:
            float(actual.replace(",", ""))
        except ValueError:
            fail(f"`{name}` is {kind_of(actual)}, but a number is expected. Compute the value with Python "
                 f"rather than writing it as text.")
        fail(f"`{name}` is {kind_of(actual)}: a number written as text. Remove the quotes (or use float(...)) "
             f"so that Python can calculate with it.")
    if not isinstance(actual, numbers.Real):
        if hasattr(actual, "__len__"):
            fail(f"`{name}` is {kind_of(actual)}, but one number is expected. Pick the single value (e.g. "
                 f".iloc[0], .item() or df.loc[row, column]) or summarise it (.sum(), .mean()).")
        fail(f"`{name}` is {kind_of(actual)}, but a number is expected.")
    value = float.__float__(float(actual)) if not isinstance(actual, float) else float.__float__(actual)
    if math.isnan(value):
        fail(f"`{name}` is NaN ('not a number'): a missing value reached the calculation, or 0 was divided by 0. "
             f"Look for missing values in the rows you used (.isna().sum(), .dropna()) and for empty selections.")
    if math.isinf(value):
        fail(f"`{name}` is infinite: a division by zero? Check the denominator of your calculation.")
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
        fail(f"`{name}` is {kind_of(actual)}, a single text. Put the items in a list, e.g. ['first', 'second'].")
    if isinstance(actual, dict):
        fail(f"`{name}` is {kind_of(actual)}; a list (or set) of items is expected. If the keys are your "
             f"answer, use list({name}).")
    try:
        return [plain_item(x) for x in actual]
    except TypeError:
        fail(f"`{name}` is {kind_of(actual)}, but a list (or set) of items is expected.")
    raise AssertionError  # pragma: no cover - fail() always raises


def listing(items: list, limit: int = 10) -> str:
    """'a, b, c' (and 'and N more' beyond ``limit``)."""
    shown = ", ".join(repr(x) for x in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
