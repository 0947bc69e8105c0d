"""Check of a pandas DataFrame: ``table`` (shape, columns, key values, values).

pandas is imported only when ``table`` runs, so ``import designkit.checks`` stays light.

>>> import pandas as pd
>>> expected = pd.DataFrame({"iso3": ["ZMB", "MWI"], "u5mr": [58.0, 50.0]})
>>> table(expected.iloc[::-1], expected, name="rates", key="iso3")
"""

from __future__ import annotations

import math
from typing import Any

from designkit.i18n import _

from ._common import fail, fmt, kind_of, listing, not_computed

_MAX_SHOWN = 5


def _show(value: Any) -> str:
    """A cell value for a message: numpy scalars unwrapped, numbers via fmt, texts quoted."""
    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        value = value.item()
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return fmt(value)
    return repr(value)


def _ratio_hint(pairs: list[tuple[float, float]]) -> str:
    """' (every value is about 10 times the expected: a unit slip?)' when the mismatches share a factor."""
    ratios = [a / e for e, a in pairs if e and a and math.isfinite(a / e)]
    for factor in (10, 100, 1000, 0.1, 0.01, 0.001):
        if ratios and all(abs(r / factor - 1) < 0.02 for r in ratios):
            if factor > 1:
                return " " + _("Every differing value is about {factor:g} times the expected: check the unit "
                               "(percent, per 1,000...).", factor=factor)
            return " " + _("Every differing value is about 1/{factor:g} of the expected: check the unit "
                           "(percent, per 1,000...).", factor=1 / factor)
    return ""


def table(actual: Any, expected: Any, *, name: str = "your table", key: str | list[str] | None = None,
          columns: list[str] | None = None, tol: float = 1e-6) -> None:
    """Check a DataFrame against ``expected``: the ``columns`` (default: all of expected's), the rows
    (matched on ``key`` when given, in any order; else by position), and the values (numbers within
    ``tol``; missing values must be missing in both). Extra columns in ``actual`` are allowed.

    >>> import pandas as pd
    >>> expected = pd.DataFrame({"iso3": ["ZMB", "MWI"], "u5mr": [58.0, 50.0]})
    >>> table(pd.DataFrame({"iso3": ["ZMB", "MWI"], "u5mr": [5.8, 5.0]}), expected, name="rates", key="iso3")
    Traceback (most recent call last):
    ...
    AssertionError: `rates` has different values in 2 cell(s): row 'ZMB', column 'u5mr': 5.8 instead of 58; row 'MWI', column 'u5mr': 5 instead of 50. Every differing value is about 1/10 of the expected: check the unit (percent, per 1,000...).
    """
    import pandas as pd

    not_computed(actual, name)
    if not isinstance(expected, pd.DataFrame):
        raise TypeError(f"table(): expected must be a pandas DataFrame, not {type(expected).__name__}")
    if isinstance(actual, pd.Series):
        fail(_("`{name}` is {kind}, but a table (DataFrame) is expected: select columns with double "
               "brackets, df[['a', 'b']], or turn it into a table with .reset_index() or .to_frame().",
               name=name, kind=kind_of(actual)))
    if not isinstance(actual, pd.DataFrame):
        fail(_("`{name}` is {kind}, but a table (pandas DataFrame) is expected.", name=name, kind=kind_of(actual)))
    keys = [key] if isinstance(key, str) else list(key or [])
    wanted_cols = list(columns) if columns is not None else [c for c in expected.columns if c not in keys]
    for col in keys + wanted_cols:
        if col not in expected.columns:
            raise ValueError(f"table(): column {col!r} is not in the expected table")
    have = list(actual.columns)
    missing_cols = [c for c in keys + wanted_cols if c not in have]
    if missing_cols:
        index_names = [n for n in actual.index.names if n is not None]
        hint = (_("They are in the index: add .reset_index().") if set(missing_cols) <= set(index_names) else
                _("Its columns are: {columns}.", columns=listing(have)))
        fail(_("`{name}` is missing the column(s) {columns}.", name=name, columns=listing(missing_cols)) + " " + hint)
    if keys:
        if actual.duplicated(keys).any():
            dupes = actual.loc[actual.duplicated(keys), keys].drop_duplicates().to_numpy().tolist()
            shown = _(", ").join(_show(tuple(d) if len(d) > 1 else d[0]) for d in dupes[:10])
            fail(_("`{name}` has repeated rows for {shown} in {keys}: each should appear once "
                   "(did a merge duplicate rows, or is a filter missing?).", name=name, shown=shown, keys=listing(keys)))
        mine = actual.set_index(keys)
        theirs = expected.set_index(keys)
        missing = [k for k in theirs.index if k not in mine.index]
        extra = [k for k in mine.index if k not in theirs.index]
        if missing or extra:
            parts = [_("`{name}` does not have the expected rows ({n} rows, expected {expected}).", name=name,
                       n=len(actual), expected=len(expected))]
            if missing:
                parts.append(_("Missing {keys}: {items}.", keys=listing(keys),
                               items=_(", ").join(_show(k) for k in missing[:10])))
            if extra:
                parts.append(_("Not expected: {items}.", items=_(", ").join(_show(k) for k in extra[:10])))
            fail(" ".join(parts) + " " + _("Check your filter."))
        mine = mine.loc[theirs.index]
        labels = [_show(k) for k in theirs.index]
    else:
        if len(actual) != len(expected):
            fail(_("`{name}` has {n} rows; expected {expected}. Check your filter (which countries, "
                   "years or groups to keep) and whether a step dropped or duplicated rows.", name=name, n=len(actual),
                   expected=len(expected)))
        mine, theirs = actual.reset_index(drop=True), expected.reset_index(drop=True)
        labels = [str(i) for i in range(len(theirs))]
    wrong: list[str] = []
    numeric_pairs: list[tuple[float, float]] = []
    for col in wanted_cols:
        a, e = mine[col].to_numpy(), theirs[col].to_numpy()
        numeric = pd.api.types.is_numeric_dtype(theirs[col]) and not pd.api.types.is_bool_dtype(theirs[col])
        if numeric and not (pd.api.types.is_numeric_dtype(mine[col]) and not pd.api.types.is_bool_dtype(mine[col])):
            fail(_("`{name}`: column {col} holds {dtype} values, but numbers are expected: convert it "
                   "with pd.to_numeric(...) or check that you did not join texts.", name=name, col=repr(col),
                   dtype=mine[col].dtype))
        for i, (x, y) in enumerate(zip(a, e, strict=True)):
            x_missing, y_missing = bool(pd.isna(x)), bool(pd.isna(y))
            if x_missing and y_missing:
                continue
            if numeric and not x_missing and not y_missing:
                if abs(float(x) - float(y)) <= tol:
                    continue
                numeric_pairs.append((float(y), float(x)))
                wrong.append(_("row {row}, column {col}: {got} instead of {want}", row=labels[i], col=repr(col),
                               got=fmt(float(x)), want=fmt(float(y))))
            elif x_missing or y_missing or x != y:
                shown_x = _("a missing value") if x_missing else _show(x)
                shown_y = _("a missing value") if y_missing else _show(y)
                wrong.append(_("row {row}, column {col}: {got} instead of {want}", row=labels[i], col=repr(col),
                               got=shown_x, want=shown_y))
    if not wrong:
        return None
    message = _("`{name}` has different values in {n} cell(s):", name=name, n=len(wrong)) + " " + \
        _("; ").join(wrong[:_MAX_SHOWN])
    if len(wrong) > _MAX_SHOWN:
        message += _("; and {n} more", n=len(wrong) - _MAX_SHOWN)
    message += _(".") + (_ratio_hint(numeric_pairs) if len(numeric_pairs) == len(wrong) else "")
    if not keys:
        try:
            same_rows = sorted(map(str, mine[wanted_cols].to_numpy().tolist())) == \
                sorted(map(str, theirs[wanted_cols].to_numpy().tolist()))
        except TypeError:
            same_rows = False
        if same_rows:
            message += " " + _("The rows are all there but in another order: sort them as the question asks.")
    fail(message)
