"""Checks of collections: ``same_set``, ``ordered``, ``top_n``.

Items may be texts, numbers, or framing objects with a ``name`` (an :class:`~designkit.framing.Idea`,
a :class:`~designkit.framing.Stakeholder`): those are compared by name. ``normalize=True`` ignores
case and extra spaces.

>>> same_set({"A", "C", "E"}, ["A", "C", "E"], name="solution_framed")
>>> top_n(["Text results", "Reminder cards", "Drones"], ["Text results", "Reminder cards"], name="ranking")
"""

from __future__ import annotations

from typing import Any

from ._common import fail, items_of, listing, normalise


def _keyed(items: list, normalize: bool) -> dict:
    """{comparison key: first original item}, in order."""
    out: dict = {}
    for item in items:
        key = normalise(item) if normalize else item
        try:
            out.setdefault(key, item)
        except TypeError:
            raise AssertionError(f"{item!r} cannot be compared as an item of a set (it is a "
                                 f"{type(item).__name__}): use texts or numbers.") from None
    return out


def same_set(actual: Any, expected: Any, *, name: str = "your answer", normalize: bool = False) -> None:
    """Check that ``actual`` holds the same items as ``expected`` (order and repeats ignored).

    >>> same_set(["Zambia", "Malawi"], ["Malawi", "Uganda"], name="countries")
    Traceback (most recent call last):
    ...
    AssertionError: `countries` is not the expected set of items. Missing: 'Uganda'. Not expected: 'Zambia'.
    """
    mine = _keyed(items_of(actual, name), normalize)
    wanted = _keyed([normalise(x) if normalize else x for x in items_of(expected, "expected")], False)
    missing = [wanted[k] for k in wanted if k not in mine]
    extra = [mine[k] for k in mine if k not in wanted]
    if not missing and not extra:
        return None
    parts = [f"`{name}` is not the expected set of items."]
    if missing:
        parts.append(f"Missing: {listing(missing)}.")
    if extra:
        parts.append(f"Not expected: {listing(extra)}.")
    if not normalize and missing and extra:
        loose_mine = {normalise(x) for x in extra}
        if any(normalise(x) in loose_mine for x in missing):
            parts.append("Some differ only in capital letters or spaces: copy the spelling exactly.")
    fail(" ".join(parts))


def ordered(actual: Any, expected: Any, *, name: str = "your answer", normalize: bool = False) -> None:
    """Check that ``actual`` lists exactly the ``expected`` items in the same order.

    >>> ordered(["B", "A", "C"], ["A", "B", "C"], name="ranking")
    Traceback (most recent call last):
    ...
    AssertionError: `ranking` has the right items in the wrong order: position 1 is 'B', expected 'A'.
    """
    mine = items_of(actual, name)
    wanted = items_of(expected, "expected")
    key = normalise if normalize else (lambda x: x)
    if [key(x) for x in mine] == [key(x) for x in wanted]:
        return None
    same_set(mine, wanted, name=name, normalize=normalize)  # fails with missing/extra if the items differ
    if len(mine) != len(wanted):
        fail(f"`{name}` has {len(mine)} items, expected {len(wanted)}: an item is repeated. Each should appear once.")
    for i, (a, b) in enumerate(zip(mine, wanted, strict=True), start=1):
        if key(a) != key(b):
            fail(f"`{name}` has the right items in the wrong order: position {i} is {a!r}, expected {b!r}.")


def top_n(actual: Any, expected: Any, *, name: str = "your ranking", n: int | None = None,
          in_order: bool = False, normalize: bool = False) -> None:
    """Check that the first ``n`` items of ``actual`` (default ``n = len(expected)``) are ``expected``.

    The order within the top ``n`` matters only with ``in_order=True``. ``actual`` may be a longer ranking,
    e.g. ``matrix.ranking()`` (Ideas are compared by name).

    >>> top_n(["Drones", "Text results", "Reminder cards"], ["Text results", "Reminder cards"], name="ranking")
    Traceback (most recent call last):
    ...
    AssertionError: Your top 2 in `ranking` should be 'Text results', 'Reminder cards'. Missing from your top 2: 'Reminder cards'. In your top 2 but should not be: 'Drones'.
    """
    mine = items_of(actual, name)
    wanted = items_of(expected, "expected")
    n = len(wanted) if n is None else n
    if n != len(wanted):
        raise ValueError(f"top_n: n={n} but {len(wanted)} expected item(s) were given")
    if len(mine) < n:
        fail(f"`{name}` has only {len(mine)} item(s); your top {n} needs at least {n}.")
    head = mine[:n]
    key = normalise if normalize else (lambda x: x)
    got, want = [key(x) for x in head], [key(x) for x in wanted]
    if (got == want) if in_order else (sorted(map(repr, got)) == sorted(map(repr, want))):
        return None
    missing = [w for w, k in zip(wanted, want, strict=True) if k not in got]
    extra = [h for h, k in zip(head, got, strict=True) if k not in want]
    message = f"Your top {n} in `{name}` should be {listing(wanted)}."
    if missing:
        message += f" Missing from your top {n}: {listing(missing)}."
    if extra:
        message += f" In your top {n} but should not be: {listing(extra)}."
    if not missing and not extra:
        message += f" You have the right items in the order {listing(head)}: check how you sorted (highest first?)."
    fail(message)
