"""PersonaEditor: name, context, goals and frustrations (one per line), and a quote with its source.

>>> ed = PersonaEditor()
>>> ed.name.value = "Chipo"; ed.context.value = "a mother of a 6-week-old baby in rural Mazabuka"
>>> ed.goals.value = "know her baby's result in time"; ed.frustrations.value = "travelling for nothing"
>>> ed.quote.value = "Every trip costs me a day of work."
>>> [f.code for f in ed.feedback if f.level == "problem"]
['quote-without-source']
>>> ed.illustrative.value = True
>>> ed.model.ok
True
"""
from __future__ import annotations

import html

import ipywidgets as W

from designkit.framing import Persona
from designkit.i18n import N_, _
from designkit.plots.palette import BAD_TEXT, GOOD_TEXT, MUTED, OKABE_ITO
from designkit.widgets.editor import ModelEditor, labelled
from designkit.widgets.text_lists import format_lines, parse_lines


def persona_card(p: Persona) -> str:
    """The persona as an HTML card (its "figure")."""
    esc = html.escape

    none_yet = esc(_("(none yet)"))

    def items(xs: list[str]) -> str:
        return "".join(f"<li>{esc(x)}</li>" for x in xs) or f"<li style='color:{MUTED}'>{none_yet}</li>"

    quote = ""
    if p.quote.strip():
        src = (esc(_(" — illustrative, written by the team")) if p.illustrative else
               f" — {esc(p.quote_source)}" if p.quote_source else " — <b>" + esc(_("source missing")) + "</b>")
        quote = f"<blockquote style='margin:6px 0;font-style:italic'>“{esc(p.quote)}”<small>{src}</small></blockquote>"
    label = esc(_("Persona card for {name}", name=p.name or _("an unnamed persona")))
    name, context = esc(p.name) or esc(_("(name)")), esc(p.context) or esc(_("(context)"))
    goals, frustrations = esc(_("Goals")), esc(_("Frustrations"))
    return (f"<div role='figure' aria-label='{label}' "
            f"style='border:1px solid {OKABE_ITO['blue']};border-radius:6px;padding:8px;margin-top:6px'>"
            f"<div style='font-size:16px;font-weight:bold'>{name}</div>"
            f"<div style='color:{MUTED}'>{context}</div>{quote}"
            "<div style='display:flex;gap:12px'>"
            f"<div style='flex:1'><b style='color:{GOOD_TEXT}'>{goals}</b><ul style='margin:2px 0 0 18px;padding:0'>"
            f"{items(p.goals)}</ul></div>"
            f"<div style='flex:1'><b style='color:{BAD_TEXT}'>{frustrations}</b><ul style='margin:2px 0 0 18px;padding:0'>"
            f"{items(p.frustrations)}</ul></div></div></div>")


class PersonaEditor(ModelEditor):
    """Edit a :class:`~designkit.framing.Persona`; the card and the feedback follow each change."""

    model_class = Persona
    title = N_("Persona")
    help = (N_("An archetype built from research. A quote must be real and carry its source, or be "
              "marked illustrative (written by the team). A child persona states an age."))
    default_file = "persona.json"

    def empty_model(self) -> Persona:
        return Persona("", "")

    def _build_controls(self) -> W.Widget:
        wide = W.Layout(width="100%")
        self.name = W.Text(placeholder=_("a first name"), description=_("Name"), layout=wide)
        self.context = W.Textarea(placeholder=_("who, where, age, situation"), layout=W.Layout(width="100%", height="4em"))
        self.goals = W.Textarea(placeholder=_("one goal per line"), layout=W.Layout(width="100%", height="5em"))
        self.frustrations = W.Textarea(placeholder=_("one frustration per line"), layout=W.Layout(width="100%", height="5em"))
        self.quote = W.Textarea(placeholder=_("optional"), layout=W.Layout(width="100%", height="3em"))
        self.quote_source = W.Text(placeholder=_("interview note or [@citation_key]"), description=_("Source"), layout=wide)
        self.illustrative = W.Checkbox(description=_("Quote is illustrative (written by the team)"), indent=False)
        for w in (self.name, self.context, self.goals, self.frustrations, self.quote, self.quote_source,
                  self.illustrative):
            w.observe(self._changed, names="value")
        return W.VBox([self.name, labelled(self.context, _("Context")), labelled(self.goals, _("Goals")),
                       labelled(self.frustrations, _("Frustrations")), labelled(self.quote, _("Quote")), self.quote_source,
                       self.illustrative])

    def _write(self, p: Persona) -> None:
        self.name.value = p.name
        self.context.value = p.context
        self.goals.value = format_lines(p.goals)
        self.frustrations.value = format_lines(p.frustrations)
        self.quote.value = p.quote
        self.quote_source.value = p.quote_source or ""
        self.illustrative.value = p.illustrative

    def _read(self) -> Persona:
        return Persona(self.name.value.strip(), self.context.value.strip(), parse_lines(self.goals.value),
                       parse_lines(self.frustrations.value), self.quote.value.strip(),
                       self.quote_source.value.strip() or None, bool(self.illustrative.value))

    def _draw(self, model: Persona) -> str:
        return persona_card(model)
