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
from designkit.plots.palette import BAD_TEXT, GOOD_TEXT, MUTED, OKABE_ITO
from designkit.widgets.editor import ModelEditor, labelled
from designkit.widgets.text_lists import format_lines, parse_lines


def persona_card(p: Persona) -> str:
    """The persona as an HTML card (its "figure")."""
    esc = html.escape

    def items(xs: list[str]) -> str:
        return "".join(f"<li>{esc(x)}</li>" for x in xs) or f"<li style='color:{MUTED}'>(none yet)</li>"

    quote = ""
    if p.quote.strip():
        src = (" — illustrative, written by the team" if p.illustrative else
               f" — {esc(p.quote_source)}" if p.quote_source else " — <b>source missing</b>")
        quote = f"<blockquote style='margin:6px 0;font-style:italic'>“{esc(p.quote)}”<small>{src}</small></blockquote>"
    return (f"<div role='figure' aria-label='Persona card for {esc(p.name or 'an unnamed persona')}' "
            f"style='border:1px solid {OKABE_ITO['blue']};border-radius:6px;padding:8px;margin-top:6px'>"
            f"<div style='font-size:16px;font-weight:bold'>{esc(p.name) or '(name)'}</div>"
            f"<div style='color:{MUTED}'>{esc(p.context) or '(context)'}</div>{quote}"
            "<div style='display:flex;gap:12px'>"
            f"<div style='flex:1'><b style='color:{GOOD_TEXT}'>Goals</b><ul style='margin:2px 0 0 18px;padding:0'>"
            f"{items(p.goals)}</ul></div>"
            f"<div style='flex:1'><b style='color:{BAD_TEXT}'>Frustrations</b><ul style='margin:2px 0 0 18px;padding:0'>"
            f"{items(p.frustrations)}</ul></div></div></div>")


class PersonaEditor(ModelEditor):
    """Edit a :class:`~designkit.framing.Persona`; the card and the feedback follow each change."""

    model_class = Persona
    title = "Persona"
    help = ("An archetype built from research. A quote must be real and carry its source, or be marked "
            "illustrative (written by the team). A child persona states an age.")
    default_file = "persona.json"

    def empty_model(self) -> Persona:
        return Persona("", "")

    def _build_controls(self) -> W.Widget:
        wide = W.Layout(width="100%")
        self.name = W.Text(placeholder="a first name", description="Name", layout=wide)
        self.context = W.Textarea(placeholder="who, where, age, situation", layout=W.Layout(width="100%", height="4em"))
        self.goals = W.Textarea(placeholder="one goal per line", layout=W.Layout(width="100%", height="5em"))
        self.frustrations = W.Textarea(placeholder="one frustration per line", layout=W.Layout(width="100%", height="5em"))
        self.quote = W.Textarea(placeholder="optional", layout=W.Layout(width="100%", height="3em"))
        self.quote_source = W.Text(placeholder="interview note or [@citation_key]", description="Source", layout=wide)
        self.illustrative = W.Checkbox(description="Quote is illustrative (written by the team)", indent=False)
        for w in (self.name, self.context, self.goals, self.frustrations, self.quote, self.quote_source,
                  self.illustrative):
            w.observe(self._changed, names="value")
        return W.VBox([self.name, labelled(self.context, "Context"), labelled(self.goals, "Goals"),
                       labelled(self.frustrations, "Frustrations"), labelled(self.quote, "Quote"), self.quote_source,
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
