"""InterviewGuideEditor: who answers, their age, and the questions (one per line), each checked as you type.

>>> ed = InterviewGuideEditor()
>>> ed.interviewee.value = "children waiting outside the registration office"; ed.age.value = "9"
>>> ed.questions.value = "Don't you think the wait is too long?\\nWhat happens while you wait?"
>>> [f.code for f in ed.feedback]
['leading-question', 'closed-question']
>>> ed.age.value = "nine"
>>> ed.error is not None
True
"""
from __future__ import annotations

import html

import ipywidgets as W

from designkit.framing import (
    FramingError,
    InterviewGuide,
    double_barrelled,
    is_closed,
    is_question,
    jargon_for_age,
    leading_phrases,
)
from designkit.i18n import N_, _
from designkit.plots.palette import BAD_TEXT, GOOD_TEXT
from designkit.widgets.editor import ModelEditor, labelled
from designkit.widgets.text_lists import format_lines, parse_lines


def question_list(guide: InterviewGuide) -> str:
    """The questions as a numbered list, each with its flags in words (leading, closed, two at once, jargon)."""
    items = []
    for q in guide.questions:
        flags = []
        if not is_question(q):
            flags.append(_("not a question"))
        if leading_phrases(q):
            flags.append(_("leading"))
        if is_closed(q):
            flags.append(_("yes/no"))
        if double_barrelled(q):
            flags.append(_("two at once"))
        if jargon_for_age(q, guide.age):
            flags.append(_("jargon: {words}", words=_(", ").join(jargon_for_age(q, guide.age))))
        shown = html.escape(_("; ").join(flags))
        open_word = html.escape(_("open"))
        note = (f" <span style='color:{BAD_TEXT}'><span aria-hidden='true'>✖ </span>{shown}"
                "</span>" if flags else f" <span style='color:{GOOD_TEXT}'><span aria-hidden='true'>✔ </span>{open_word}</span>")
        items.append(f"<li>{html.escape(q)}{note}</li>")
    age = _("aged {age}", age=guide.age) if guide.age is not None else _("age not stated")
    label = html.escape(_("Interview guide for {who}", who=guide.interviewee or _("someone")))
    heading = html.escape(_("Questions for {who}, {age}", who=guide.interviewee or _("(who?)"), age=age))
    none_yet = "<li>" + html.escape(_("(none yet)")) + "</li>"
    return (f"<div role='figure' aria-label='{label}'>"
            f"<b>{heading}</b>"
            f"<ol style='margin:2px 0 0 18px;padding:0;font-size:12px'>{''.join(items) or none_yet}"
            "</ol></div>")


class InterviewGuideEditor(ModelEditor):
    """Edit an :class:`~designkit.framing.InterviewGuide`; each question is checked for its age as you type."""

    model_class = InterviewGuide
    title = N_("Interview guide")
    help = (N_("Who you will interview and their age (the youngest, for a group), then your "
              "questions, one per line: open, neutral, one thing at a time, in the words the person "
              "uses."))
    default_file = "interview-guide.json"

    def empty_model(self) -> InterviewGuide:
        return InterviewGuide()

    def _build_controls(self) -> W.Widget:
        self.interviewee = W.Text(placeholder=_("who will answer"), description=_("Who"), layout=W.Layout(width="100%"))
        self.age = W.Text(placeholder=_("age in years, e.g. 9"), description=_("Age"), layout=W.Layout(width="200px"))
        self.questions = W.Textarea(placeholder=_("one question per line"), layout=W.Layout(width="100%", height="12em"))
        for w in (self.interviewee, self.age, self.questions):
            w.observe(self._changed, names="value")
        return W.VBox([self.interviewee, self.age, labelled(self.questions, _("Questions"))])

    def _write(self, guide: InterviewGuide) -> None:
        self.interviewee.value = guide.interviewee
        self.age.value = "" if guide.age is None else str(guide.age)
        self.questions.value = format_lines(guide.questions)

    def _read(self) -> InterviewGuide:
        age = self.age.value.strip()
        if age and not age.isdigit():
            raise FramingError(_("The age is {age}: write it in whole years with digits, e.g. 9.", age=repr(age)))
        return InterviewGuide(self.interviewee.value.strip(), int(age) if age else None,
                              parse_lines(self.questions.value))

    def _draw(self, model: InterviewGuide) -> str:
        return question_list(model)
