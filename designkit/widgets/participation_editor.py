"""ParticipationPlanEditor: the activity, one step for each of Lundy's four elements, and Hart's rung.

>>> ed = ParticipationPlanEditor()
>>> ed.activity.value = "children aged 8-15 test the certificate tracking card"
>>> ed.voice.value = "children act out a visit to the office with puppets"
>>> sorted(f.code for f in ed.feedback if f.level == "problem")
['no-audience', 'no-influence', 'no-space']
>>> ed.rung.value = "tokenism"
>>> "tokenism" in [f.code for f in ed.feedback]
True
"""
from __future__ import annotations

import html

import ipywidgets as W

from designkit.framing import HART_RUNGS, ParticipationPlan
from designkit.plots.palette import BAD, BAD_TEXT, GOOD, GOOD_TEXT, INK
from designkit.widgets.editor import ModelEditor, labelled

_PROMPTS = {
    "space": "Space: where and how children form and express a view safely",
    "voice": "Voice: how children are helped to express it",
    "audience": "Audience: who with power to act listens, and when",
    "influence": "Influence: what is done with the views, and how children are told",
}


def lundy_card(plan: ParticipationPlan) -> str:
    """The plan as four boxes, one per element, each marked filled (✔) or missing (✖) in words as well."""
    cells = []
    for name, prompt in _PROMPTS.items():
        step = getattr(plan, name).strip()
        icon, state, edge, colour = ("✔", "", GOOD, GOOD_TEXT) if step else ("✖", " missing", BAD, BAD_TEXT)
        cells.append(f"<div style='border:1px solid {edge};border-radius:6px;padding:6px'>"
                     f"<b style='color:{colour}'><span aria-hidden='true'>{icon} </span>"
                     f"{html.escape(name.capitalize())}{state}</b>"
                     f"<div style='font-size:12px;color:{INK}'>{html.escape(step) or html.escape(prompt)}</div></div>")
    rung = (f"<div style='margin-top:6px;font-size:12px'>Hart's ladder: <b>{html.escape(plan.rung)}</b> "
            f"(rung {HART_RUNGS.index(plan.rung) + 1} of 8)</div>" if plan.rung else "")
    return (f"<div role='figure' aria-label='Lundy model: space, voice, audience, influence for "
            f"{html.escape(plan.activity or 'the activity')}'>"
            "<div style='display:grid;grid-template-columns:1fr 1fr;gap:6px;margin-top:6px'>"
            + "".join(cells) + "</div>" + rung + "</div>")


class ParticipationPlanEditor(ModelEditor):
    """Edit a :class:`~designkit.framing.ParticipationPlan`; the Lundy card and the feedback follow each change."""

    model_class = ParticipationPlan
    title = "Participation plan (Lundy model)"
    help = ("How children take part: a concrete step for space, voice, audience and influence. Voice without "
            "influence is extraction. Place the activity honestly on Hart's ladder.")
    default_file = "participation-plan.json"

    def empty_model(self) -> ParticipationPlan:
        return ParticipationPlan()

    def _build_controls(self) -> W.Widget:
        wide = W.Layout(width="100%")
        self.activity = W.Text(placeholder="what children take part in", description="Activity", layout=wide)
        self.space, self.voice, self.audience, self.influence = (
            W.Textarea(placeholder=_PROMPTS[n], layout=W.Layout(width="100%", height="4em")) for n in _PROMPTS)
        self.rung = W.Dropdown(options=[("(not assessed)", "")] + [(f"{i + 1}. {r}", r) for i, r in
                                                                    enumerate(HART_RUNGS)],
                               description="Hart rung", layout=wide)
        for w in (self.activity, self.space, self.voice, self.audience, self.influence, self.rung):
            w.observe(self._changed, names="value")
        return W.VBox([self.activity, labelled(self.space, "Space"), labelled(self.voice, "Voice"),
                       labelled(self.audience, "Audience"), labelled(self.influence, "Influence"), self.rung])

    def _write(self, plan: ParticipationPlan) -> None:
        self.activity.value = plan.activity
        for name in _PROMPTS:
            getattr(self, name).value = getattr(plan, name)
        self.rung.value = plan.rung

    def _read(self) -> ParticipationPlan:
        return ParticipationPlan(self.activity.value.strip(), *(getattr(self, n).value.strip() for n in _PROMPTS),
                                 self.rung.value)

    def _draw(self, model: ParticipationPlan) -> str:
        return lundy_card(model)
