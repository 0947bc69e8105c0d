"""Point-of-view statement (Stanford d.school): "[user] needs [need] because [insight]".

A need is a verb (what the user is trying to do), not a solution; an insight is the reason you
learnt from people, ideally surprising.

>>> pov = PointOfView("a mother in rural Monze whose baby was tested for HIV",
...                   "to know her baby's result while treatment can still help",
...                   "the result takes weeks to reach the clinic and she cannot afford to keep travelling there")
>>> pov.statement()
"A mother in rural Monze whose baby was tested for HIV needs to know her baby's result while treatment can still help because the result takes weeks to reach the clinic and she cannot afford to keep travelling there."
>>> pov.ok
True
"""

from __future__ import annotations

from dataclasses import dataclass

from designkit.i18n import N_, _

from ._base import CaseItem, Feedback, FramingModel, check_text, take_fields
from ._records import listing
from .rules import (
    VAGUE_USERS,
    cited_keys,
    feeling_need,
    filler_insight,
    filler_words,
    language_of,
    norm,
    noun_solution,
    plural_group,
    solution_phrase,
    strip_lead,
    vague_user,
    without_citations,
    words,
)

MIN_INSIGHT_WORDS = 5
# The three parts, as feedback names them.
FIELDS = {"user": N_("user"), "need": N_("need"), "insight": N_("insight")}


@dataclass
class PointOfView(FramingModel):
    """A point of view: who (``user``), what they need (``need``) and why (``insight``).

    Checks: all three written; the need is not a solution ("an app"); the user is a specific group,
    not "people"; the insight gives a reason (at least 5 words).

    >>> PointOfView("Children", "an app", "they are bored").validate()[0].code
    'need-is-solution'
    """

    MODEL = "PointOfView"

    user: str
    need: str
    insight: str

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: three texts (FramingError otherwise)."""
        for name in ("user", "need", "insight"):
            check_text(getattr(self, name), f"PointOfView.{name}")

    def statement(self) -> str:
        """The sentence "<User> needs <need> because <insight>."

        >>> PointOfView("girls aged 10-14", "to stay in school", "they lose a week each month").statement()
        'Girls aged 10-14 need to stay in school because they lose a week each month.'
        """
        self.check()
        user = self.user.strip()
        if language_of(user + self.need + self.insight) == "zh":  # "<user>需要<need>，因为<insight>。"
            need = strip_lead(self.need, "needs").rstrip("。.")
            insight = strip_lead(self.insight, "because").rstrip("。.")
            return f"{user}需要{need}，因为{insight}。"
        user = user[:1].upper() + user[1:]
        need = strip_lead(strip_lead(self.need, "needs"), "need").rstrip(".")
        insight = strip_lead(self.insight, "because").rstrip(".")
        verb = "need" if plural_group(user) else "needs"
        return f"{user} {verb} {need} because {insight}."

    def to_dict(self) -> dict:
        """The statement's parts as a JSON-ready dict."""
        return {"user": self.user, "need": self.need, "insight": self.insight}

    @classmethod
    def from_dict(cls, data: dict) -> PointOfView:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON", model="PointOfView"), ("user", "need", "insight"))
        return cls(data["user"], data["need"], data["insight"])

    def case_items(self) -> list[CaseItem]:
        """The user, the need and the insight; the insight carries the keys of its inline "[@key]" citations."""
        self.check()
        return [CaseItem("user", self.user, statement=False), CaseItem("need", self.need, statement=False),
                CaseItem("insight", without_citations(self.insight), tuple(cited_keys(self.insight)))]

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = []
        prompts = {
            "user": N_("Who is this for? Name a specific group, e.g. 'mothers of HIV-exposed infants in rural Zambia'."),
            "need": N_("What are they trying to do? Write the need as a verb, e.g. 'to know the test result in time'."),
            "insight": N_("Why? Write what you learnt from people that explains the need."),
        }
        for name, prompt in prompts.items():
            if not getattr(self, name).strip():
                out.append(Feedback("problem", f"missing-{name}", _("The {name} is empty. {prompt}",
                                                                    name=_(FIELDS[name]), prompt=_(prompt)), where=name))
        if out:
            return out
        need = self.need.strip()
        assumed = solution_phrase(" " + self.need) or noun_solution(self.need)
        if assumed:
            out.append(Feedback(
                "problem", "need-is-solution",
                _("The need '{need}' names a solution{value}, a thing to provide. A need is what the user is trying"
                  " to do (a verb): e.g. 'to know the result in time' rather than 'an SMS system', or 'to keep a "
                  "small baby warm without electricity' rather than 'a cheaper incubator'.",
                  need=need, value='' if assumed == need.rstrip('.') else " (" + repr(assumed) + ")"),
                where="need"))
        elif feeling_need(self.need):
            out.append(Feedback(
                "problem", "need-is-feeling",
                _("The need '{need}' is a feeling, with nothing anyone could see change. Say what she is trying to "
                  "do that would show it: e.g. 'to learn her baby's result while treatment can still help' rather "
                  "than 'to be happy'.", need=need), where="need"))
        for name in ("user", "need", "insight"):
            filler = filler_words(getattr(self, name))
            if filler:
                out.append(Feedback(
                    "problem", "vague-wording",
                    _("The {name} uses filler words ({filler}) that stand for something not named yet: say exactly "
                      "what, who or where.", name=_(FIELDS[name]), filler=listing(filler)), where=name))
        vague = norm(self.user) if norm(self.user) in VAGUE_USERS else vague_user(self.user)
        if vague:
            out.append(Feedback(
                "suggestion", "user-too-vague",
                _("'{strip}' could be anyone: nothing narrows '{vague}' (an age, a condition, a place, a "
                  "situation). Say which people, where, in what situation, e.g. 'a mother in rural Monze whose baby"
                  " was tested for HIV at six weeks'.", strip=self.user.strip(), vague=vague), where="user"))
        if len(words(self.insight)) < MIN_INSIGHT_WORDS:
            out.append(Feedback(
                "suggestion", "insight-too-thin",
                _("The insight '{strip}' is very short. Explain the reason you observed, the part that surprised "
                  "you, in a full clause.", strip=self.insight.strip()), where="insight"))
        else:
            why = filler_insight(self.insight, self.need)
            if why:
                out.append(Feedback(
                    "problem", "insight-filler",
                    _("The insight '{strip}' {why}. An insight says why the need is hard to meet, from what you learnt "
                      "(a person will judge whether it is true and new): e.g. 'the result takes weeks to reach the "
                      "clinic and she cannot afford to keep travelling there to ask'.",
                      strip=self.insight.strip(), why=_(why)),
                    where="insight"))
        if not out:
            out.append(Feedback(
                "strength", "pov-well-formed",
                _("The form is complete: a specific user, a need written as a verb and a reason. A person will judge "
                "what no rule can: whether the insight comes from research and says something new."),
                where="statement"))
        return out
