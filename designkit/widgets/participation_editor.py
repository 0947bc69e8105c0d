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
from designkit.i18n import N_, _
from designkit.plots.palette import BAD, BAD_TEXT, GOOD, GOOD_TEXT, INK
from designkit.widgets.editor import ModelEditor, labelled

_PROMPTS = {
    "space": N_("Space: where and how children form and express a view safely"),
    "voice": N_("Voice: how children are helped to express it"),
    "audience": N_("Audience: who with power to act listens, and when"),
    "influence": N_("Influence: what is done with the views, and how children are told"),
}
_ELEMENTS = {"space": N_("Space"), "voice": N_("Voice"), "audience": N_("Audience"), "influence": N_("Influence")}
#: Hart's rungs as designkit.framing names them (translated where shown).
RUNGS = (N_("manipulation"), N_("decoration"), N_("tokenism"), N_("assigned but informed"), N_("consulted and informed"),
         N_("adult-initiated, shared decisions with children"), N_("child-initiated and directed"),
         N_("child-initiated, shared decisions with adults"))


def lundy_card(plan: ParticipationPlan) -> str:
    """The plan as four boxes, one per element, each marked filled (✔) or missing (✖) in words as well."""
    cells = []
    for name, prompt in _PROMPTS.items():
        step = getattr(plan, name).strip()
        icon, edge, colour = ("✔", GOOD, GOOD_TEXT) if step else ("✖", BAD, BAD_TEXT)
        head = _(_ELEMENTS[name]) if step else _("{element} missing", element=_(_ELEMENTS[name]))
        cells.append(f"<div style='border:1px solid {edge};border-radius:6px;padding:6px'>"
                     f"<b style='color:{colour}'><span aria-hidden='true'>{icon} </span>"
                     f"{html.escape(head)}</b>"
                     f"<div style='font-size:12px;color:{INK}'>{html.escape(step) or html.escape(_(prompt))}</div></div>")
    rung = ""
    if plan.rung:
        ladder = html.escape(_("Hart's ladder:"))
        where = html.escape(_("(rung {n} of 8)", n=HART_RUNGS.index(plan.rung) + 1))
        rung = f"<div style='margin-top:6px;font-size:12px'>{ladder} <b>{html.escape(_(plan.rung))}</b> {where}</div>"
    label = html.escape(_("Lundy model: space, voice, audience, influence for {activity}",
                          activity=plan.activity or _("the activity")))
    return (f"<div role='figure' aria-label='{label}'>"
            "<div style='display:grid;grid-template-columns:1fr 1fr;gap:6px;margin-top:6px'>"
            + "".join(cells) + "</div>" + rung + "</div>")


class ParticipationPlanEditor(ModelEditor):
    """Edit a :class:`~designkit.framing.ParticipationPlan`; the Lundy card and the feedback follow each change."""

    model_class = ParticipationPlan
    title = N_("Participation plan (Lundy model)")
    help = (N_("How children take part: a concrete step for space, voice, audience and influence. "
              "Voice without influence is extraction. Place the activity honestly on Hart's ladder."))
    default_file = "participation-plan.json"

    def empty_model(self) -> ParticipationPlan:
        return ParticipationPlan()

    def _build_controls(self) -> W.Widget:
        wide = W.Layout(width="100%")
        self.activity = W.Text(placeholder=_("what children take part in"), description=_("Activity"), layout=wide)
        self.space, self.voice, self.audience, self.influence = (
            W.Textarea(placeholder=_(_PROMPTS[n]), layout=W.Layout(width="100%", height="4em")) for n in _PROMPTS)
        self.rung = W.Dropdown(options=[(_("(not assessed)"), "")] + [(f"{i + 1}. {_(r)}", r) for i, r in
                                                                    enumerate(HART_RUNGS)],
                               description=_("Hart rung"), layout=wide)
        for w in (self.activity, self.space, self.voice, self.audience, self.influence, self.rung):
            w.observe(self._changed, names="value")
        return W.VBox([self.activity, labelled(self.space, _("Space")), labelled(self.voice, _("Voice")),
                       labelled(self.audience, _("Audience")), labelled(self.influence, _("Influence")), self.rung])

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
