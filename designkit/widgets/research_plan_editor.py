"""ResearchPlanEditor: questions, participants with ages, methods, the ethics steps and the data handling.

Lists take one item per line: participants as ``name: youngest-oldest (count)``, methods as
``method: group, group`` (see :mod:`designkit.widgets.line_formats`).

>>> ed = ResearchPlanEditor()
>>> ed.questions.value = "What happens between the birth and the certificate?"
>>> ed.participants.value = "children: 8-15 (6)\\ncaregivers: 20-70 (4)"
>>> ed.methods.value = "role-play: children\\ninterview: caregivers"
>>> [f.code for f in ed.feedback if f.level == "problem"]
['minor-without-assent', 'no-consent', 'no-safeguarding-lead', 'no-referral-pathway']
>>> ed.participants.value = "children: 15-8"
>>> "min_age must not be larger" in ed.error
True
"""
from __future__ import annotations

import html

import ipywidgets as W

from designkit.framing import DataHandling, ResearchPlan
from designkit.i18n import N_, _
from designkit.plots.palette import BAD_TEXT, GOOD_TEXT
from designkit.widgets.editor import ModelEditor, labelled
from designkit.widgets.line_formats import format_groups, format_methods, parse_groups, parse_methods
from designkit.widgets.text_lists import format_lines, parse_lines

_ETHICS = (("consent", N_("Caregiver consent")), ("assent", N_("Child assent")),
           ("safeguarding_lead", N_("Safeguarding lead")), ("referral_pathway", N_("Referral pathway")))
_DATA = (("purpose", N_("Purpose")), ("needed", N_("Why the identifiable data is needed")), ("storage", N_("Storage")),
         ("retention", N_("Retention and deletion")))


def ethics_checklist(plan: ResearchPlan) -> str:
    """The plan's groups, methods and ethics steps as a checklist (✔ done, ✖ missing, in words too)."""
    def row(label: str, done: bool, text: str) -> str:
        word = html.escape(_("done") if done else _("missing"))
        mark = (f"<span style='color:{GOOD_TEXT}'><span aria-hidden='true'>✔</span> {word}</span>" if done else
                f"<span style='color:{BAD_TEXT}'><span aria-hidden='true'>✖</span> {word}</span>")
        return f"<li>{mark} <b>{html.escape(label)}</b> {html.escape(text)}</li>"

    groups = "; ".join(f"{g.name} {g.min_age}-{g.max_age} (×{g.count})" for g in plan.participants) or _("none yet")
    rows = [row(_("{label}:", label=_("Participants")), bool(plan.participants), groups)]
    rows += [row(_("{label}:", label=_(label)), bool(getattr(plan, name).strip()), getattr(plan, name).strip())
             for name, label in _ETHICS]
    kept = _(", ").join(plan.data.identifiable) or _("none")
    rows.append(row(_("{label}:", label=_("Identifiable data kept")),
                    not plan.data.identifiable or bool(plan.data.needed.strip()), kept))
    label, heading = html.escape(_("Ethics checklist of the research plan")), html.escape(_("Ethics checklist"))
    return (f"<div role='figure' aria-label='{label}'><b>{heading}</b>"
            f"<ul style='margin:2px 0 0 0;padding:0;list-style:none;font-size:12px'>{''.join(rows)}</ul></div>")


class ResearchPlanEditor(ModelEditor):
    """Edit a :class:`~designkit.framing.ResearchPlan`; the ethics checklist and the feedback follow each change."""

    model_class = ResearchPlan
    title = N_("Research plan")
    help = (N_("What you need to learn and from whom. With children: a caregiver's consent and the "
              "child's own assent, a safeguarding lead and a referral pathway; keep only the data you "
              "need (RD4C)."))
    default_file = "research-plan.json"

    def empty_model(self) -> ResearchPlan:
        return ResearchPlan()

    def _build_controls(self) -> W.Widget:
        area = lambda ph, h="4em": W.Textarea(placeholder=ph, layout=W.Layout(width="100%", height=h))  # noqa: E731
        self.questions = area(_("research questions, one per line"), "5em")
        self.participants = area(_("one group per line: children: 8-15 (6)"))
        self.methods = area(_("one method per line: role-play: children"))
        self.consent = area(_("how a caregiver is informed and agrees"), "3em")
        self.assent = area(_("how each child is told, says yes or no, and can stop"), "3em")
        self.safeguarding_lead = W.Text(placeholder=_("who, by role"), layout=W.Layout(width="100%"))
        self.referral_pathway = area(_("if a child discloses harm: who is told, by when, which service"), "3em")
        self.purpose = W.Text(placeholder=_("what the data is for"), layout=W.Layout(width="100%"))
        self.identifiable = area(_("identifiable data kept, one per line (names, photos, recordings...)"), "3em")
        self.needed = W.Text(placeholder=_("why each is needed"), layout=W.Layout(width="100%"))
        self.storage = W.Text(placeholder=_("where the notes are kept"), layout=W.Layout(width="100%"))
        self.retention = W.Text(placeholder=_("when they are deleted"), layout=W.Layout(width="100%"))
        fields = (self.questions, self.participants, self.methods, self.consent, self.assent, self.safeguarding_lead,
                  self.referral_pathway, self.purpose, self.identifiable, self.needed, self.storage, self.retention)
        for w in fields:
            w.observe(self._changed, names="value")
        names = {"questions": _("Research questions"), "participants": _("Participants"), "methods": _("Methods"),
                 **{k: _(v) for k, v in _ETHICS}, "identifiable": _("Identifiable data kept"),
                 **{k: _(v) for k, v in _DATA}}
        field = lambda name: labelled(getattr(self, name), names[name])  # noqa: E731
        return W.VBox([*map(field, ("questions", "participants", "methods", "consent", "assent", "safeguarding_lead",
                                    "referral_pathway")),
                       W.HTML("<div role='heading' aria-level='4' style='font-weight:bold;margin-top:6px'>"
                              + html.escape(_("Data (RD4C)")) + "</div>"),
                       *map(field, ("purpose", "identifiable", "needed", "storage", "retention"))])

    def _write(self, plan: ResearchPlan) -> None:
        self.questions.value = format_lines(plan.questions)
        self.participants.value = format_groups(plan.participants)
        self.methods.value = format_methods(plan.methods)
        for name, _label in _ETHICS:
            getattr(self, name).value = getattr(plan, name)
        for name, _label in _DATA:
            getattr(self, name).value = getattr(plan.data, name)
        self.identifiable.value = format_lines(plan.data.identifiable)

    def _read(self) -> ResearchPlan:
        data = DataHandling(self.purpose.value.strip(), parse_lines(self.identifiable.value),
                            self.needed.value.strip(), self.storage.value.strip(), self.retention.value.strip())
        return ResearchPlan(parse_lines(self.questions.value), parse_groups(self.participants.value),
                            parse_methods(self.methods.value), self.consent.value.strip(), self.assent.value.strip(),
                            self.safeguarding_lead.value.strip(), self.referral_pathway.value.strip(), data)

    def _draw(self, model: ResearchPlan) -> str:
        return ethics_checklist(model)
