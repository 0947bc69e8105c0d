"""Interview guide: the questions a team will ask, and the age of the person who will answer them.

The word rules (leading, closed, double-barrelled, jargon for the age) live in
:mod:`designkit.framing.interview_rules`, one public function each.

>>> guide = InterviewGuide("children waiting with a caregiver at the clinic", 9, [
...     "Tell me about the last time you came here with your family.",
...     "What happens while you wait?",
...     "What would make waiting here better for you?"])
>>> guide.ok, [f.code for f in guide.validate()]
(True, ['open-questions'])
>>> [f.code for f in InterviewGuide("children", 9, ["Don't you think the wait is too long?"]).validate()]
['leading-question', 'closed-question']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from designkit.i18n import _

from ._base import Feedback, FramingModel, check_text, check_text_list, take_fields
from ._records import listing, quote
from .interview_rules import double_barrelled, is_closed, is_question, jargon_for_age, leading_phrases
from .research_plan import check_age


@dataclass
class InterviewGuide(FramingModel):
    """Questions for ``interviewee`` (who will answer) aged ``age`` years (the youngest; None until stated).

    Checks: an age is stated (the wording depends on it); at least one question; no empty, leading,
    double-barrelled or jargon question for the age (problems); closed yes/no questions (a suggestion: they
    have a place, e.g. to warm up, but they close the conversation); a line that does not read as a question
    or prompt (a suggestion).

    >>> InterviewGuide("caregivers", None, ["What happened?"]).validate()[0].code
    'age-missing'
    """

    MODEL = "InterviewGuide"

    interviewee: str = ""
    age: int | None = None
    questions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: a text, an age 0..120 or None, a list of texts (FramingError)."""
        check_text(self.interviewee, "InterviewGuide.interviewee")
        if self.age is not None:
            self.age = check_age(self.age, "InterviewGuide age")
        self.questions = check_text_list(self.questions, "InterviewGuide questions")

    def to_dict(self) -> dict:
        """The guide as a JSON-ready dict."""
        return {"interviewee": self.interviewee, "age": self.age, "questions": list(self.questions)}

    @classmethod
    def from_dict(cls, data: dict) -> InterviewGuide:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON",
                            model="InterviewGuide"), (), ("interviewee", "age", "questions"))
        return cls(data.get("interviewee", ""), data.get("age"), data.get("questions", []))

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = []
        if self.age is None:
            out.append(Feedback("problem", "age-missing",
                                _("State the age of the person you will interview (the youngest, for a group): the "
                                "words you can use depend on it."), where="age"))
        asked = [q for q in self.questions if q.strip()]
        if not asked:
            out.append(Feedback("problem", "no-questions",
                                _("Write the questions you will ask, in the order you will ask them."),
                                where="questions"))
        if len(asked) < len(self.questions):
            out.append(Feedback("problem", "empty-question", _("A question is empty: write it or remove it."),
                                where="questions"))
        closed = 0
        for i, q in enumerate(self.questions, start=1):
            if not q.strip():
                continue
            where = f"question {i}"
            if not is_question(q):
                out.append(Feedback(
                    "suggestion", "not-a-question",
                    _("'{strip}' does not read as a question: write a full question ending with '?', or a prompt such "
                      "as 'Tell me about...' or 'Draw...'.", strip=q.strip()), where=where))
            lead = leading_phrases(q)
            if lead:
                out.append(Feedback(
                    "problem", "leading-question",
                    _("'{strip}' leads towards an answer ({p}). Ask openly, without hinting what you expect: e.g. 'What"
                      " was the wait like for you?'",
                      strip=q.strip(), p=listing(quote(p) for p in lead)), where=where))
            if is_closed(q):
                closed += 1
                out.append(Feedback(
                    "suggestion", "closed-question",
                    _("'{strip}' can be answered yes or no. Open it with what, how, tell me about...: e.g. 'Tell me "
                      "about the last time...'", strip=q.strip()), where=where))
            both = double_barrelled(q)
            if both:
                out.append(Feedback(
                    "problem", "double-barrelled",
                    _("'{strip}' asks two things at once ({b}): the answer will not say which part it is about. Split "
                      "it into two questions.",
                      strip=q.strip(), b=listing(quote(b) for b in both)), where=where))
            jargon = jargon_for_age(q, self.age)
            if jargon:
                age = (_("a {age}-year-old", age=self.age) if self.age is not None
                       else _("someone whose age you have not stated"))
                out.append(Feedback(
                    "problem", "jargon-for-age",
                    _("'{strip}' uses words {age} may not use: {j}. Use the words the person uses for it (ask a teacher"
                      " or a child to check).",
                      strip=q.strip(), age=age, j=listing(quote(j) for j in jargon)), where=where))
        if (asked and not [f for f in out if f.level == "problem" or f.code == "not-a-question"]
                and closed <= len(asked) / 2):
            out.append(Feedback("strength", "open-questions",
                                _("Open, neutral questions in plain words for the age (in form: try them aloud with "
                                "someone of that age before the interview)."), where="questions"))
        return out
