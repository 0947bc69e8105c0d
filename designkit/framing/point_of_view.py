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

import re
from dataclasses import dataclass

from ._base import Feedback, FramingModel, check_text, take_fields
from ._text import VAGUE_USERS, norm, solution_phrase, words

MIN_INSIGHT_WORDS = 5


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
        user = user[:1].upper() + user[1:]
        need = re.sub(r"^(needs?)\s+", "", self.need.strip(), flags=re.IGNORECASE).rstrip(".")
        insight = re.sub(r"^because\s+", "", self.insight.strip(), flags=re.IGNORECASE).rstrip(".")
        head = re.split(r",|\s(?:who|whose|aged|in|at|from|with|of|living|under|over|\d)", user, maxsplit=1)[0]
        plural = bool(words(head)) and (words(head)[-1] in _PLURALS or
                                        (words(head)[-1].endswith("s") and not words(head)[-1].endswith("ss")))
        verb = "need" if plural else "needs"
        return f"{user} {verb} {need} because {insight}."

    def to_dict(self) -> dict:
        """The statement's parts as a JSON-ready dict."""
        return {"user": self.user, "need": self.need, "insight": self.insight}

    @classmethod
    def from_dict(cls, data: dict) -> PointOfView:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, "The PointOfView JSON", ("user", "need", "insight"))
        return cls(data["user"], data["need"], data["insight"])

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = []
        prompts = {
            "user": "Who is this for? Name a specific group, e.g. 'mothers of HIV-exposed infants in rural Zambia'.",
            "need": "What are they trying to do? Write the need as a verb, e.g. 'to know the test result in time'.",
            "insight": "Why? Write what you learnt from people that explains the need.",
        }
        for name, prompt in prompts.items():
            if not getattr(self, name).strip():
                out.append(Feedback("problem", f"missing-{name}", f"The {name} is empty. {prompt}", where=name))
        if out:
            return out
        assumed = solution_phrase(" " + self.need) or _noun_solution(self.need)
        if assumed:
            out.append(Feedback(
                "problem", "need-is-solution",
                f"The need '{self.need.strip()}' names a solution"
                f"{'' if assumed == self.need.strip().rstrip('.') else f' ({assumed!r})'}, a thing to provide. A need is what "
                f"the user is trying to do (a verb): e.g. 'to know the result in time' rather than 'an SMS "
                f"system', or 'to keep a small baby warm without electricity' rather than 'a cheaper incubator'.",
                where="need"))
        if norm(self.user) in VAGUE_USERS:
            out.append(Feedback(
                "suggestion", "user-too-vague",
                f"'{self.user.strip()}' could be anyone. Say which people, where, in what situation, e.g. "
                f"'a community health worker tracing mothers in Mazabuka'.", where="user"))
        if len(words(self.insight)) < MIN_INSIGHT_WORDS:
            out.append(Feedback(
                "suggestion", "insight-too-thin",
                f"The insight '{self.insight.strip()}' is very short. Explain the reason you observed, the part "
                f"that surprised you, in a full clause.", where="insight"))
        if not out:
            out.append(Feedback("strength", "pov-well-formed",
                                "A clear point of view: a specific user, a need written as a verb and a reason.",
                                where="statement"))
        return out


_PLURALS = frozenset({"children", "people", "women", "men", "families", "youth", "staff", "police"})
# A need that starts like a noun phrase ("an egg every day", "a cheaper incubator", "more schools") names a thing
# to provide, not what the user is trying to do.
_NOUN_SOLUTION_RE = re.compile(
    r"^(?:an?|the|more|better|new|cheaper|cheap|free|some|one|another|extra)\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+",
    re.IGNORECASE)


def _noun_solution(need: str) -> str | None:
    """The thing a need names when it starts like a noun phrase ("a cheaper incubator"), else None."""
    text = need.strip()
    return text.rstrip(".") if _NOUN_SOLUTION_RE.match(text) else None
