"""Checks of collections: ``same_set``, ``ordered``, ``top_n``.

Items may be texts, numbers, or framing objects with a ``name`` (an :class:`~designkit.framing.Idea`,
a :class:`~designkit.framing.Stakeholder`): those are compared by name. ``normalize=True`` ignores
case and extra spaces.

>>> same_set({"A", "C", "E"}, ["A", "C", "E"], name="solution_framed")
>>> top_n(["Text results", "Reminder cards", "Drones"], ["Text results", "Reminder cards"], name="ranking")
"""

from __future__ import annotations

from typing import Any

from designkit.i18n import _

from ._common import fail, items_of, listing, normalise


def _keyed(items: list, normalize: bool) -> dict:
    """{comparison key: first original item}, in order."""
    out: dict = {}
    for item in items:
        key = normalise(item) if normalize else item
        try:
            out.setdefault(key, item)
        except TypeError:
            raise AssertionError(_("{item} cannot be compared as an item of a set (it is a "
                                   "{cls}): use texts or numbers.", item=repr(item), cls=type(item).__name__)) from None
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
    parts = [_("`{name}` is not the expected set of items.", name=name)]
    if missing:
        parts.append(_("Missing: {items}.", items=listing(missing)))
    if extra:
        parts.append(_("Not expected: {items}.", items=listing(extra)))
    if not normalize and missing and extra:
        loose_mine = {normalise(x) for x in extra}
        if any(normalise(x) in loose_mine for x in missing):
            parts.append(_("Some differ only in capital letters or spaces: copy the spelling exactly."))
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
        fail(_("`{name}` has {n} items, expected {expected}: an item is repeated. Each should appear once.",
               name=name, n=len(mine), expected=len(wanted)))
    for i, (a, b) in enumerate(zip(mine, wanted, strict=True), start=1):
        if key(a) != key(b):
            fail(_("`{name}` has the right items in the wrong order: position {i} is {got}, expected {want}.",
                   name=name, i=i, got=repr(a), want=repr(b)))


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
        fail(_("`{name}` has only {count} item(s); your top {n} needs at least {n}.", name=name, count=len(mine), n=n))
    head = mine[:n]
    key = normalise if normalize else (lambda x: x)
    got, want = [key(x) for x in head], [key(x) for x in wanted]
    if (got == want) if in_order else (sorted(map(repr, got)) == sorted(map(repr, want))):
        return None
    missing = [w for w, k in zip(wanted, want, strict=True) if k not in got]
    extra = [h for h, k in zip(head, got, strict=True) if k not in want]
    message = _("Your top {n} in `{name}` should be {items}.", n=n, name=name, items=listing(wanted))
    if missing:
        message += " " + _("Missing from your top {n}: {items}.", n=n, items=listing(missing))
    if extra:
        message += " " + _("In your top {n} but should not be: {items}.", n=n, items=listing(extra))
    if not missing and not extra:
        message += " " + _("You have the right items in the order {items}: check how you sorted (highest first?).",
                           items=listing(head))
    fail(message)
