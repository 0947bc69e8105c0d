"""JourneyMapEditor: whose journey, then one row per stage (actions, touchpoints, pain points, emotion).

>>> from designkit.framing import JourneyMap, Stage
>>> ed = JourneyMapEditor(JourneyMap("Chipo", [Stage("Sample taken", ["baby's blood drawn"], ["clinic"], [], 0)]))
>>> ed.add_stage("Waiting for the result", pain_points=["no news for weeks"], emotion=-2)
>>> ed.model.lowest_stage().name
'Waiting for the result'
>>> ed.rows.rows[0]["emotion"].value = -2; ed.rows.move(1, -1)
>>> [s.name for s in ed.model.stages]
['Waiting for the result', 'Sample taken']
"""
from __future__ import annotations

import ipywidgets as W

from designkit.framing import JourneyMap, Persona, Stage
from designkit.i18n import N_, _
from designkit.plots.palette import GRID
from designkit.widgets.editor import ModelEditor, labelled
from designkit.widgets.rows import RowList
from designkit.widgets.text_lists import format_lines, parse_lines

_EMOTIONS = [(N_("−2 very bad"), -2), (N_("−1 bad"), -1), (N_("0 neutral"), 0), (N_("+1 good"), 1),
             (N_("+2 very good"), 2)]


class JourneyMapEditor(ModelEditor):
    """Edit a :class:`~designkit.framing.JourneyMap`; the emotion curve and the feedback follow each change."""

    model_class = JourneyMap
    title = N_("Journey map")
    help = (N_("Whose journey, stage by stage, in order. Lists take one item per line. Mark how the "
              "person feels at each stage; where it hurts, say why in the pain points."))
    default_file = "journey-map.json"

    def empty_model(self) -> JourneyMap:
        return JourneyMap("", [])

    def _build_controls(self) -> W.Widget:
        self._persona: Persona | None = None
        self.persona = W.Text(placeholder=_("whose journey (a persona's name)"), description=_("Persona"),
                              layout=W.Layout(width="100%"))
        self.persona.observe(self._changed, names="value")
        self.rows = RowList(self._make_row, self._read_row, lambda: Stage(_("Stage {n}", n=len(self.rows.rows) + 1)),
                            self._changed, add_label=_("Add stage"), reorder=True, row_layout=self._row_layout)
        return W.VBox([self.persona, self.rows.widget])

    @staticmethod
    def _make_row(s: Stage) -> dict:
        area = lambda v, ph: W.Textarea(value=format_lines(v), placeholder=ph,  # noqa: E731
                                        layout=W.Layout(width="100%", height="5em"))
        return {"name": W.Text(value=s.name, placeholder=_("stage name"), description=_("Stage"),
                               style={"description_width": "40px"}, layout=W.Layout(width="58%")),
                "emotion": W.Dropdown(options=[(_(label), v) for label, v in _EMOTIONS], value=s.emotion, description=_("Feels"),
                                      style={"description_width": "40px"}, layout=W.Layout(width="40%",
                                                                                           min_width="150px")),
                "actions": area(s.actions, _("actions, one per line")),
                "touchpoints": area(s.touchpoints, _("touchpoints, one per line")),
                "pain_points": area(s.pain_points, _("pain points, one per line"))}

    @staticmethod
    def _row_layout(f: dict) -> W.Widget:
        def column(label: str, area: W.Widget) -> W.Widget:
            return W.VBox([labelled(area, label)], layout=W.Layout(width="33%"))

        return W.VBox([W.HBox([f["name"], f["emotion"]]),
                       W.HBox([column(_("Actions"), f["actions"]), column(_("Touchpoints"), f["touchpoints"]),
                               column(_("Pain points"), f["pain_points"])])],
                      layout=W.Layout(width="100%", border_bottom=f"1px solid {GRID}", margin="0 0 4px 0"))

    @staticmethod
    def _read_row(f: dict) -> Stage:
        return Stage(f["name"].value.strip(), parse_lines(f["actions"].value), parse_lines(f["touchpoints"].value),
                     parse_lines(f["pain_points"].value), f["emotion"].value)

    def add_stage(self, name: str, actions: list[str] | None = None, touchpoints: list[str] | None = None,
                  pain_points: list[str] | None = None, emotion: int = 0) -> None:
        """Add a stage at the end (the plain-code way to do what the Add button does)."""
        self.rows.append(Stage(name, actions or [], touchpoints or [], pain_points or [], emotion))

    def _write(self, model: JourneyMap) -> None:
        # A journey may carry a whole Persona: keep it while the name in the box is unchanged.
        self._persona = model.persona if isinstance(model.persona, Persona) else None
        self.persona.value = model.persona_name
        self.rows.set_items(model.stages)

    def _read(self) -> JourneyMap:
        name = self.persona.value.strip()
        persona: str | Persona = name
        if self._persona is not None and self._persona.name == name:
            persona = self._persona
        return JourneyMap(persona, self.rows.items())

    def _draw(self, model: JourneyMap) -> str:
        from designkit.plots import journey_map

        return self._figure(journey_map, model)
