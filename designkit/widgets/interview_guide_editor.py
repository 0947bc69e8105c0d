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
from designkit.plots.palette import BAD_TEXT, GOOD_TEXT
from designkit.widgets.editor import ModelEditor, labelled
from designkit.widgets.text_lists import format_lines, parse_lines


def question_list(guide: InterviewGuide) -> str:
    """The questions as a numbered list, each with its flags in words (leading, closed, two at once, jargon)."""
    items = []
    for q in guide.questions:
        flags = []
        if not is_question(q):
            flags.append("not a question")
        if leading_phrases(q):
            flags.append("leading")
        if is_closed(q):
            flags.append("yes/no")
        if double_barrelled(q):
            flags.append("two at once")
        if jargon_for_age(q, guide.age):
            flags.append("jargon: " + ", ".join(jargon_for_age(q, guide.age)))
        note = (f" <span style='color:{BAD_TEXT}'><span aria-hidden='true'>✖ </span>{html.escape('; '.join(flags))}"
                "</span>" if flags else f" <span style='color:{GOOD_TEXT}'><span aria-hidden='true'>✔ </span>open</span>")
        items.append(f"<li>{html.escape(q)}{note}</li>")
    age = f"aged {guide.age}" if guide.age is not None else "age not stated"
    return (f"<div role='figure' aria-label='Interview guide for {html.escape(guide.interviewee or 'someone')}'>"
            f"<b>Questions for {html.escape(guide.interviewee or '(who?)')}, {age}</b>"
            f"<ol style='margin:2px 0 0 18px;padding:0;font-size:12px'>{''.join(items) or '<li>(none yet)</li>'}"
            "</ol></div>")


class InterviewGuideEditor(ModelEditor):
    """Edit an :class:`~designkit.framing.InterviewGuide`; each question is checked for its age as you type."""

    model_class = InterviewGuide
    title = "Interview guide"
    help = ("Who you will interview and their age (the youngest, for a group), then your questions, one per line: "
            "open, neutral, one thing at a time, in the words the person uses.")
    default_file = "interview-guide.json"

    def empty_model(self) -> InterviewGuide:
        return InterviewGuide()

    def _build_controls(self) -> W.Widget:
        self.interviewee = W.Text(placeholder="who will answer", description="Who", layout=W.Layout(width="100%"))
        self.age = W.Text(placeholder="age in years, e.g. 9", description="Age", layout=W.Layout(width="200px"))
        self.questions = W.Textarea(placeholder="one question per line", layout=W.Layout(width="100%", height="12em"))
        for w in (self.interviewee, self.age, self.questions):
            w.observe(self._changed, names="value")
        return W.VBox([self.interviewee, self.age, labelled(self.questions, "Questions")])

    def _write(self, guide: InterviewGuide) -> None:
        self.interviewee.value = guide.interviewee
        self.age.value = "" if guide.age is None else str(guide.age)
        self.questions.value = format_lines(guide.questions)

    def _read(self) -> InterviewGuide:
        age = self.age.value.strip()
        if age and not age.isdigit():
            raise FramingError(f"The age is {age!r}: write it in whole years with digits, e.g. 9.")
        return InterviewGuide(self.interviewee.value.strip(), int(age) if age else None,
                              parse_lines(self.questions.value))

    def _draw(self, model: InterviewGuide) -> str:
        return question_list(model)
