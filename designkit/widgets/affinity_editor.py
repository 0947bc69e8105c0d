"""AffinityMapEditor: notes -> themes -> insights; a bar chart and a board show how many participants back each
theme.

Lines: notes as ``id | participant | text``, themes as ``name: note id, note id``, insights as
``insight <- theme; theme``. Start from the illustrative field notes with ``AffinityMapEditor.from_field_notes()``.

>>> ed = AffinityMapEditor.from_field_notes()
>>> len(ed.model.notes) > 30
True
>>> ed.themes.value = "Trips that end in 'come back later': n01, n06, n11"
>>> ed.insights.value = "Families cannot see where the certificate is <- Trips that end in 'come back later'"
>>> [f.code for f in ed.feedback]
['notes-unused', 'insights-grounded']
>>> ed.insights.value = "One father met a fixer <- Paying a fixer"
>>> "do not exist" in ed.error
True
"""
from __future__ import annotations

import html

import ipywidgets as W

from designkit.framing import AffinityMap
from designkit.i18n import N_, _
from designkit.plots.palette import BAD_TEXT, GOOD_TEXT, GRID, MUTED, NOTE, NOTE_EDGE
from designkit.widgets.editor import ModelEditor, labelled
from designkit.widgets.line_formats import (
    format_insights,
    format_notes,
    format_themes,
    parse_insights,
    parse_notes,
    parse_themes,
)


def affinity_board(m: AffinityMap) -> str:
    """Themes as columns of note chips, each headed by how many participants back it; insights underneath."""
    esc = html.escape
    columns = []
    for theme in m.themes:
        people = m.participants_of(theme)
        colour = GOOD_TEXT if len(people) >= 2 else BAD_TEXT
        chips = "".join(f"<div style='background:{NOTE};border:1px solid {NOTE_EDGE};margin:2px 0;padding:2px 4px;"
                        f"font-size:11px'><b>{esc(m.note(n).participant)}</b> {esc(m.note(n).text)}</div>"
                        for n in theme.notes)
        name = esc(theme.name) or esc(_("(unnamed)"))
        backing = esc(_("{people} participant(s), {notes} note(s)", people=len(people), notes=len(theme.notes)))
        columns.append(f"<div style='flex:0 0 170px;border:1px solid {GRID};border-radius:6px;padding:4px'>"
                       f"<b>{name}</b><div style='color:{colour};font-size:11px'>{backing}</div>{chips}</div>")
    insights = "".join(
        f"<li>{esc(i.text)} <span style='color:{MUTED}'>"
        + esc(_("({n} participant(s): {names})", n=len(m.participants_of(i)),
                names=_(", ").join(m.participants_of(i))))
        + "</span></li>" for i in m.insights)
    unused = len(m.unused_notes())
    label = esc(_("Affinity map: {themes} themes, {insights} insights, {unused} notes in no theme",
                  themes=len(m.themes), insights=len(m.insights), unused=unused))
    return (f"<div role='figure' aria-label='{label}'>"
            f"<div tabindex='0' role='region' aria-label='{esc(_('Themes'))}' style='display:flex;gap:6px;"
            f"overflow-x:auto'>{''.join(columns) or esc(_('(no themes yet)'))}</div>"
            f"<b>{esc(_('Insights'))}</b><ul style='margin:2px 0 0 18px;padding:0;font-size:12px'>"
            f"{insights or '<li>' + esc(_('(none yet)')) + '</li>'}</ul>"
            f"<div style='font-size:11px;color:{MUTED}'>"
            + esc(_("{unused} of {n} notes in no theme", unused=unused, n=len(m.notes))) + "</div></div>")


class AffinityMapEditor(ModelEditor):
    """Edit an :class:`~designkit.framing.AffinityMap`; the board and the feedback follow each change."""

    model_class = AffinityMap
    title = N_("Affinity map")
    help = (N_("Group the notes into themes (what people experience, not solutions), then write "
              "insights that rest on notes from more than one participant."))
    default_file = "affinity-map.json"

    @classmethod
    def from_field_notes(cls) -> AffinityMapEditor:
        """An editor holding the course's ILLUSTRATIVE field notes (``designkit.data.field_notes()``)."""
        from designkit.data import field_notes

        return cls(AffinityMap.from_notes(field_notes()))

    def empty_model(self) -> AffinityMap:
        return AffinityMap()

    def _build_controls(self) -> W.Widget:
        self.notes = W.Textarea(placeholder=_("one note per line: n1 | G1 | what was seen or said"),
                                layout=W.Layout(width="100%", height="12em"))
        self.notes.add_class("designkit-outline")
        self.themes = W.Textarea(placeholder=_("one theme per line: Repeat trips for nothing: n1, "
                                               "n4, n9"),
                                 layout=W.Layout(width="100%", height="7em"))
        self.insights = W.Textarea(placeholder=_("one insight per line: what we learnt <- theme; "
                                                 "theme"),
                                   layout=W.Layout(width="100%", height="5em"))
        for w in (self.notes, self.themes, self.insights):
            w.observe(self._changed, names="value")
        return W.VBox([labelled(self.notes, _("Notes")), labelled(self.themes, _("Themes")),
                       labelled(self.insights, _("Insights"))])

    def _write(self, m: AffinityMap) -> None:
        self.notes.value = format_notes(m.notes)
        self.themes.value = format_themes(m.themes)
        self.insights.value = format_insights(m.insights)

    def _read(self) -> AffinityMap:
        return AffinityMap(parse_notes(self.notes.value), parse_themes(self.themes.value),
                           parse_insights(self.insights.value))

    def _draw(self, model: AffinityMap) -> str:
        from designkit.plots import theme_support

        return self._figure(theme_support, model) + affinity_board(model)
