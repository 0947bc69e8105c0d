"""What a stakeholder map and a priority matrix share: named items scored on one scale, split at its midpoint.

A model mixes in :class:`ScoredItems` and names its items' attribute, class and wording; it gets the structural
check, the ``threshold`` and lookup by name (with close matches in the error).
"""
from __future__ import annotations

from designkit.i18n import N_, _

from ._base import FramingError, check_items, check_scale, check_text
from ._records import listing
from .rules import close_names, norm


class ScoredItems:
    """Mixin for a model holding ``ITEMS`` (a list of ``ITEM_CLASS``) scored on ``self.scale``."""

    ITEMS: str = "items"
    ITEM_CLASS: type = object
    NOT_FOUND = N_("No item called {name} here.{hint} It has: {names}.")
    EMPTY = N_("nothing yet")

    def check(self) -> None:
        """Structural check: the scale, the item types, and every value on the scale (FramingError)."""
        self.scale = check_scale(self.scale)
        items = check_items(getattr(self, self.ITEMS), self.ITEM_CLASS, self.ITEMS)
        setattr(self, self.ITEMS, items)
        for item in items:
            item.check(self.scale)

    @property
    def threshold(self) -> float:
        """The midpoint of the scale; values strictly above it count as high."""
        return (self.scale[0] + self.scale[1]) / 2

    def get(self, name: str):
        """The item called ``name`` (case-insensitive); FramingError naming close matches."""
        check_text(name, "name")
        items = getattr(self, self.ITEMS)
        for item in items:
            if norm(item.name) == norm(name):
                return item
        names = [item.name for item in items]
        close = close_names(name, names)
        hint = _(" Did you mean {close}?", close=listing(map(repr, close))) if close else ""
        raise FramingError(_(self.NOT_FOUND, name=repr(name), hint=hint, names=listing(names) or _(self.EMPTY)))
