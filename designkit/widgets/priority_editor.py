"""PriorityMatrixEditor: one row per idea (name, impact, feasibility), ranked live.

>>> from designkit.framing import PriorityMatrix, Idea
>>> ed = PriorityMatrixEditor(PriorityMatrix([Idea("Text results to clinics", 5, 4)]))
>>> ed.add_idea("Drones carry samples", impact=4, feasibility=2)
>>> [i.name for i in ed.model.ranking()]
['Text results to clinics', 'Drones carry samples']
>>> ed.rows.rows[1]["feasibility"].value = 5; ed.rows.rows[1]["impact"].value = 5
>>> ed.model.ranking()[0].name
'Drones carry samples'
"""
from __future__ import annotations

import html

import ipywidgets as W

from designkit.framing import Idea, PriorityMatrix
from designkit.i18n import N_, _
from designkit.plots.palette import MUTED
from designkit.widgets.editor import ModelEditor
from designkit.widgets.rows import RowList
from designkit.widgets.stakeholder_editor import score_slider


class PriorityMatrixEditor(ModelEditor):
    """Edit a :class:`~designkit.framing.PriorityMatrix`; the matrix, ranking and feedback follow each change."""

    model_class = PriorityMatrix
    title = N_("Priority matrix")
    help = (N_("List your ideas, then score each for impact on children and for feasibility with "
              "what you have. Quick wins score high on both."))
    default_file = "priority-matrix.json"

    def empty_model(self) -> PriorityMatrix:
        return PriorityMatrix([])

    def _build_controls(self) -> W.Widget:
        self._scale = (1, 5)
        self.rows = RowList(self._make_row, self._read_row, self._new_item, self._changed, add_label=_("Add "
                                                                                                       "idea"),
                            row_layout=lambda f: W.VBox([f["name"], W.HBox([f["impact"], f["feasibility"]])],
                                                        layout=W.Layout(width="100%", margin="0 0 4px 0")))
        self.ranking_view = W.HTML()
        return W.VBox([self.rows.widget, self.ranking_view])

    def _new_item(self) -> Idea:
        low, high = self._scale
        mid = (low + high) // 2 if float(low).is_integer() and float(high).is_integer() else (low + high) / 2
        return Idea(_("Idea {n}", n=len(self.rows.rows) + 1), mid, mid)

    def _make_row(self, idea: Idea) -> dict:
        return {"name": W.Text(value=idea.name, placeholder=_("the idea in a few words"), description=_("Idea"),
                               style={"description_width": "40px"}, layout=W.Layout(width="98%")),
                "impact": score_slider(idea.impact, self._scale, _("Impact")),
                "feasibility": score_slider(idea.feasibility, self._scale, _("Feasibility"))}

    @staticmethod
    def _read_row(f: dict) -> Idea:
        return Idea(f["name"].value.strip(), f["impact"].value, f["feasibility"].value)

    def add_idea(self, name: str, impact: float, feasibility: float) -> None:
        """Add a row (the plain-code way to do what the Add button does)."""
        self.rows.append(Idea(name, impact, feasibility))

    def _write(self, model: PriorityMatrix) -> None:
        self._scale = tuple(model.scale)
        self.rows.set_items(model.ideas)

    def _read(self) -> PriorityMatrix:
        return PriorityMatrix(self.rows.items(), scale=self._scale)

    def refresh(self) -> None:
        super().refresh()
        if self._error is None and self._model.ideas:
            items = "".join(f"<li>{html.escape(i.name)} <span style='color:{MUTED}'>"
                            + html.escape(_("({quadrant}, impact {impact:g} × feasibility {feasibility:g})",
                                            quadrant=_(self._model.quadrant(i.name)), impact=i.impact,
                                            feasibility=i.feasibility))
                            + "</span></li>" for i in self._model.ranking())
            ranking = html.escape(_("Ranking"))
            self.ranking_view.value = (f"<div role='heading' aria-level='4' style='font-weight:bold'>{ranking}</div>"
                                       f"<ol aria-label='{ranking}' style='margin:2px 0 0 18px;padding:0'>{items}</ol>")
        else:
            self.ranking_view.value = ""

    def _draw(self, model: PriorityMatrix) -> str:
        from designkit.plots import priority_matrix

        return self._figure(priority_matrix, model)
