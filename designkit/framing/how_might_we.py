"""How Might We questions: "How" = it can be solved, "might" = judgement deferred, "we" = together.

A good question names a user group and an outcome (a verb of change), does not embed a solution,
and is neither so broad that anything fits nor so narrow that only one answer fits.

``broader()`` and ``narrower()`` give the student variants to consider, with these documented rules:

- broader: cut the means clause (from "by ...ing", or "using/via/with/through/by" + a technology or a
  solution, to the end); remove numbers and their units ("within 12 weeks", "by 50%"); if nothing was
  cut, cut the context clause ("in Monze ...", "during ..."); if there is still nothing to cut, widen the
  outcome to "How might we support <user> better?".
- narrower: add what is missing, as a slot the student fills in: "for [which children or caregivers,
  exactly?]" when no user group is named, "in [which place or moment?]" when there is no context, and
  ", starting with [one place or moment to try first]" when both are there.

>>> hmw = HowMightWe("How might we help mothers in Monze get their baby's HIV result using drones?")
>>> hmw.broader()
"How might we help mothers in Monze get their baby's HIV result?"
>>> [f.code for f in hmw.validate() if f.level != "strength"]
['embeds-solution', 'too-narrow']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._base import Feedback, FramingModel, check_text, take_fields
from ._text import (
    _CONTEXT_RE,
    _MEANS_RE,
    _NUMBER_RE,
    has_context,
    has_number,
    outcome_verbs,
    solution_phrase,
    technologies,
    user_group,
    vague_phrases,
    words,
)

PREFIX = "how might we"
# other openings a student may use, replaced by "How might we" in the hmw-format example
_OTHER_OPENING = re.compile(r"^\s*(?:how\s+(?:can|could|should|do|would|will|might)\s+(?:we|i|you)|how\s+to|"
                            r"we\s+(?:need|want|should|must)\s+to|in\s+what\s+ways?\s+(?:can|might)\s+we)\s+",
                            re.IGNORECASE)
MIN_WORDS = 7    # fewer words (including "How might we") -> too broad
MAX_WORDS = 25   # more words -> too narrow


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip("?.!,;: ").strip()
    return text + "?"


def _group(text: str) -> str:
    """The user group of ``text`` as a plural noun ("child deaths" -> "children"), for the broadest variant."""
    who = user_group(text)
    if who is None:
        return "the people affected"
    plural = {"child": "children", "baby": "babies", "youth": "young people", "young": "young people",
              "family": "families", "community": "communities", "person": "people", "woman": "women",
              "man": "men", "staff": "staff", "people": "people"}
    key = who.lower()
    if key in plural:
        return plural[key]
    return key if key.endswith("s") or key in ("children", "women", "men", "police") else key + "s"


@dataclass
class HowMightWe(FramingModel):
    """A How Might We question (``text``), with ``broader()`` and ``narrower()`` variants.

    >>> HowMightWe("How might we solve poverty?").validate()[0].code
    'no-user'
    """

    MODEL = "HowMightWe"

    text: str

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: the question is text (FramingError otherwise)."""
        check_text(self.text, "HowMightWe.text")

    def _body(self) -> str:
        text = self.text.strip()
        return text[len(PREFIX):] if text.lower().startswith(PREFIX) else text

    def broader(self) -> str:
        """A broader variant: drop the means, numbers or context (see the module's rules).

        >>> HowMightWe("How might we help girls in Gansu stay in school within 12 weeks?").broader()
        'How might we help girls in Gansu stay in school?'
        """
        self.check()
        body = " " + self._body().strip().rstrip("?.! ")
        new = _without_means(body)
        deadline = _DEADLINE_RE.search(new)
        if deadline:
            new = new[:deadline.start()]
        new = _NUMBER_RE.sub("", new)
        if new.strip() == body.strip():
            context = _CONTEXT_RE.search(body)
            if context and len(words(body[:context.start()])) >= 2:
                new = body[:context.start()]
        if new.strip() == body.strip() or not new.strip():
            return f"How might we support {_group(body)} better?"
        return _tidy("How might we " + _lower_first(new.strip()))

    def narrower(self) -> str:
        """A narrower variant: add a user group, a context, or a first place to start (slots in brackets).

        >>> HowMightWe("How might we reduce child deaths?").narrower()
        'How might we reduce child deaths in [which place or moment?]?'
        """
        self.check()
        body = _lower_first(_without_means(" " + self._body()).strip().rstrip("?.! "))
        parts = [body]
        if user_group(body) is None:
            parts.append("for [which children or caregivers, exactly?]")
        if not has_context(" " + body + " "):
            parts.append("in [which place or moment?]")
        if len(parts) == 1:
            return f"How might we {body}, starting with [one place or moment to try first]?"
        return f"How might we {' '.join(parts)}?"

    def to_dict(self) -> dict:
        """The question as a JSON-ready dict."""
        return {"text": self.text}

    @classmethod
    def from_dict(cls, data: dict) -> HowMightWe:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, "The HowMightWe JSON", ("text",))
        return cls(data["text"])

    def _feedback(self) -> list[Feedback]:
        text = self.text.strip()
        if not text:
            return [Feedback("problem", "hmw-missing",
                             "Write your question, starting with 'How might we', e.g. 'How might we help mothers "
                             "learn their baby's HIV test result in time to start treatment?'", where="text")]
        out: list[Feedback] = []
        if not text.lower().startswith(PREFIX):
            out.append(Feedback(
                "problem", "hmw-format",
                f"Start with 'How might we': 'how' says it can be solved, 'might' keeps options open, 'we' makes "
                f"it shared. For example: 'How might we {_lower_first(_OTHER_OPENING.sub('', text).rstrip('?'))}?'",
                where="text"))
        body = self._body()
        if user_group(body) is None:
            out.append(Feedback(
                "problem", "no-user",
                "Name who it is for: a person or group (children, adolescent girls, mothers, health workers...).",
                where="text"))
        if not outcome_verbs(body):
            out.append(Feedback(
                "problem", "no-outcome",
                "Say what should change, with a verb of change (help, reduce, increase, ensure, keep, enable...): "
                "e.g. 'How might we help mothers learn their baby's result in time?'", where="text"))
        solution = solution_phrase(" " + body)
        if solution:
            out.append(Feedback(
                "problem", "embeds-solution",
                f"The question already contains a solution ('{solution}'), which closes off other ideas before "
                f"you have any. Ask about the outcome instead, e.g. '{self.broader()}'", where=solution))
        n = len(words(text))
        vague = vague_phrases(body)
        if n < MIN_WORDS or vague:
            why = f"it uses vague words ({', '.join(vague)})" if vague else f"it has only {n} words"
            out.append(Feedback(
                "suggestion", "too-broad",
                f"The question is very broad: {why}, so almost any idea fits. Narrow it to one group, place or "
                f"moment, e.g. '{self.narrower()}'", where="text"))
        tech = technologies(body)
        if n > MAX_WORDS or has_number(body) or tech:
            why = (f"it names a technology ({', '.join(tech)})" if tech else
                   "it contains a number" if has_number(body) else f"it has {n} words")
            out.append(Feedback(
                "suggestion", "too-narrow",
                f"The question is very narrow: {why}, so only one kind of answer fits. Widen it, e.g. "
                f"'{self.broader()}'", where="text"))
        if not out:
            out.append(Feedback("strength", "well-framed",
                                "A well-framed question: it names who it is for and what should change, and leaves "
                                "the solution open.", where="text"))
        return out


# a time limit with a number ("within 12 weeks of birth", "by 2030"): cut from there to the end of the clause
_DEADLINE_RE = re.compile(r"\s(?:within|by|before|in|under|after)\s+(?:about\s+|the\s+first\s+)?\d[^,;]*",
                          re.IGNORECASE)


def _without_means(body: str) -> str:
    """``body`` cut before its means clause ("using drones", "by building an app"), if any."""
    cut = _MEANS_RE.search(body)
    return body[:cut.start()] if cut else body


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ("SMS")."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
