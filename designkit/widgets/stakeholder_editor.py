"""StakeholderMapEditor: one row per stakeholder (name, role, interest, influence, notes).

>>> from designkit.framing import StakeholderMap, Stakeholder
>>> ed = StakeholderMapEditor(StakeholderMap([Stakeholder("Ministry of Health", "duty-bearer", 4, 5)]))
>>> ed.add_stakeholder("HIV-exposed infants", "rights-holder", interest=5, influence=1)
>>> ed.model.quadrant("HIV-exposed infants")
'keep informed'
>>> ed.rows.rows[1]["influence"].value = 5
>>> ed.model.quadrant("HIV-exposed infants")
'manage closely'
"""
from __future__ import annotations

import ipywidgets as W

from designkit.framing import ROLES, Stakeholder, StakeholderMap
from designkit.i18n import N_, _
from designkit.plots.palette import GRID
from designkit.widgets.editor import ModelEditor
from designkit.widgets.rows import RowList


def score_slider(value: float, scale: tuple[float, float], label: str) -> W.Widget:
    """A labelled drop-down of the scores on ``scale``: whole numbers on an integer scale, steps of 0.5 otherwise.

    A drop-down, not a slider: ipywidgets' slider handle has no accessible name (a screen reader says only
    "slider, 3"), while a drop-down's ``<label for=…>`` names it, and arrow keys still step through it.

    >>> score_slider(4, (1, 5), "Interest").options
    (1, 2, 3, 4, 5)
    """
    low, high = scale
    whole = float(low).is_integer() and float(high).is_integer() and float(value).is_integer()
    conv = int if whole else float
    step = 1 if whole else 0.5
    options = [conv(low + i * step) for i in range(int(round((high - low) / step)) + 1)]
    if conv(value) not in options:
        options = sorted({*options, conv(value)})
    return W.Dropdown(options=options, value=conv(value), description=label,
                      style={"description_width": "62px"}, layout=W.Layout(width="150px"))


class StakeholderMapEditor(ModelEditor):
    """Edit a :class:`~designkit.framing.StakeholderMap`; the grid and the feedback follow each change."""

    model_class = StakeholderMap
    title = N_("Stakeholder map")
    help = (N_("Who has a stake? Put children and young people on the map as rights-holders, and "
              "the duty-bearers who must act. Score interest and influence on the map's scale; high "
              "means above the middle."))
    default_file = "stakeholder-map.json"

    def empty_model(self) -> StakeholderMap:
        return StakeholderMap([])

    def _build_controls(self) -> W.Widget:
        self._scale = (1, 5)
        self.rows = RowList(self._make_row, self._read_row, self._new_item, self._changed,
                            add_label=_("Add stakeholder"), row_layout=self._row_layout)
        return W.VBox([self.rows.widget])

    def _new_item(self) -> Stakeholder:
        low, high = self._scale
        mid = (low + high) // 2 if float(low).is_integer() and float(high).is_integer() else (low + high) / 2
        return Stakeholder(_("Stakeholder {n}", n=len(self.rows.rows) + 1), "other", mid, mid)

    def _make_row(self, s: Stakeholder) -> dict:
        return {
            "name": W.Text(value=s.name, placeholder=_("name"), description=_("Name"), style={"description_width": "40px"},
                           layout=W.Layout(width="98%")),
            "role": W.Dropdown(options=[(_(r), r) for r in ROLES], value=s.role, description=_("Role"),
                               style={"description_width": "32px"}, layout=W.Layout(width="170px")),
            "interest": score_slider(s.interest, self._scale, _("Interest")),
            "influence": score_slider(s.influence, self._scale, _("Influence")),
            "notes": W.Text(value=s.notes, placeholder=_("optional"), description=_("Notes"),
                            style={"description_width": "40px"}, layout=W.Layout(width="98%")),
        }

    @staticmethod
    def _row_layout(f: dict) -> W.Widget:
        return W.VBox([W.HBox([f["name"], f["role"]]), W.HBox([f["interest"], f["influence"]]), f["notes"]],
                      layout=W.Layout(border_bottom=f"1px solid {GRID}", width="100%", margin="0 0 4px 0"))

    @staticmethod
    def _read_row(f: dict) -> Stakeholder:
        return Stakeholder(f["name"].value.strip(), f["role"].value, f["interest"].value, f["influence"].value,
                           f["notes"].value.strip())

    def add_stakeholder(self, name: str, role: str, interest: float, influence: float, notes: str = "") -> None:
        """Add a row (the plain-code way to do what the Add button does)."""
        self.rows.append(Stakeholder(name, role, interest, influence, notes))

    def _write(self, model: StakeholderMap) -> None:
        self._scale = tuple(model.scale)
        self.rows.set_items(model.stakeholders)

    def _read(self) -> StakeholderMap:
        return StakeholderMap(self.rows.items(), scale=self._scale)

    def _draw(self, model: StakeholderMap) -> str:
        from designkit.plots import stakeholder_grid

        return self._figure(stakeholder_grid, model)
