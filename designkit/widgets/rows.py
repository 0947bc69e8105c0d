"""An add / remove / reorder list of rows, for stakeholders, ideas and journey stages.

Each row is a small set of widgets made by ``make_row(item)``; ``items()`` reads the items back.

>>> import ipywidgets as W
>>> rows = RowList(lambda s: {"name": W.Text(value=s)}, lambda f: f["name"].value, lambda: "new",
...                on_change=lambda: None, add_label="Add")
>>> rows.set_items(["a", "b"]); rows.append("c"); rows.items()
['a', 'b', 'c']
>>> rows.remove(0); rows.move(1, -1); rows.items()
['c', 'b']
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as W

from designkit.i18n import _

Fields = dict[str, W.Widget]


class RowList:
    """Rows of widgets with Add, Remove (✕) and, optionally, Up/Down buttons."""

    def __init__(self, make_row: Callable[[Any], Fields], read_row: Callable[[Fields], Any],
                 new_item: Callable[[], Any], on_change: Callable[[], None], add_label: str = "Add",
                 reorder: bool = False, row_layout: Callable[[Fields], W.Widget] | None = None) -> None:
        self._make, self._read, self._new = make_row, read_row, new_item
        self._on_change, self._reorder = on_change, reorder
        self._layout = row_layout or (lambda f: W.HBox(list(f.values())))
        self.rows: list[Fields] = []
        self.box = W.VBox()
        self.add_button = W.Button(description=add_label, icon="plus", layout=W.Layout(width="auto"))
        self.add_button.on_click(lambda _b: self.append(self._new()))
        self.widget = W.VBox([self.box, self.add_button])

    def set_items(self, items: list[Any]) -> None:
        """Replace every row (no change notification: the caller is setting a model)."""
        self.rows = [self._wire(self._make(item)) for item in items]
        self._render()

    def items(self) -> list[Any]:
        """The items the rows hold now, in order."""
        return [self._read(f) for f in self.rows]

    def append(self, item: Any) -> None:
        """Add a row at the end."""
        self.rows.append(self._wire(self._make(item)))
        self._render()
        self._on_change()

    def remove(self, index: int) -> None:
        """Remove the row at ``index``."""
        del self.rows[index]
        self._render()
        self._on_change()

    def move(self, index: int, delta: int) -> None:
        """Move the row at ``index`` by ``delta`` places (clamped to the list)."""
        j = max(0, min(len(self.rows) - 1, index + delta))
        if j != index:
            self.rows.insert(j, self.rows.pop(index))
            self._render()
            self._on_change()

    def _wire(self, fields: Fields) -> Fields:
        for w in fields.values():
            if hasattr(w, "value"):
                w.observe(lambda _c: self._on_change(), names="value")
        return fields

    def _render(self) -> None:
        children = []
        for i, fields in enumerate(self.rows):
            buttons = []
            if self._reorder:
                up = W.Button(icon="arrow-up", tooltip=_("Move up"), layout=W.Layout(width="40px"))
                down = W.Button(icon="arrow-down", tooltip=_("Move down"), layout=W.Layout(width="40px"))
                up.on_click(lambda _b, i=i: self.move(i, -1))
                down.on_click(lambda _b, i=i: self.move(i, +1))
                buttons += [up, down]
            remove = W.Button(icon="times", tooltip=_("Remove this row"), layout=W.Layout(width="40px"))
            remove.on_click(lambda _b, i=i: self.remove(i))
            buttons.append(remove)
            children.append(W.HBox([self._layout(fields), *buttons], layout=W.Layout(align_items="flex-start")))
        self.box.children = children
