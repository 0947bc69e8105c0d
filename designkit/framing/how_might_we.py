"""How Might We questions: "How" = it can be solved, "might" = judgement deferred, "we" = together.

A good question names a user group and an outcome (a verb of change), does not embed a solution,
and is neither so broad that anything fits nor so narrow that only one answer fits. **Precision is not
narrowness**: an age, days of life, a district or a number make a question precise (and better); only a
question that names a solution, a technology or a single product or feature is too narrow.

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

from dataclasses import dataclass

from designkit.i18n import _

from ._base import CaseItem, Feedback, FramingModel, check_text, take_fields
from ._records import listing
from .rules import (
    context_start,
    filler_words,
    has_context,
    language_of,
    names_product,
    outcome_verbs,
    solution_phrase,
    strip_opening,
    user_group,
    vague_outcome,
    vague_phrases,
    vague_user,
    without_means,
    without_numbers,
    words,
)

PREFIX = "how might we"
# The Chinese opening (the glossary's “我们可以如何”问题); "我们可以怎样" says the same.
PREFIXES_ZH = ("我们可以如何", "我们可以怎样")
MIN_WORDS = 7    # fewer words (including "How might we") -> too broad
MAX_WORDS = 25   # more words -> too long to remember (hmw-too-long); length is not narrowness


def _tidy(text: str) -> str:
    return " ".join(text.split()).rstrip("?.!,;: ").strip() + "?"


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
        if self._zh():
            return next((text[len(p):] for p in PREFIXES_ZH if text.startswith(p)), strip_opening(text))
        return text[len(PREFIX):] if text.lower().startswith(PREFIX) else text

    def _zh(self) -> bool:
        return language_of(self.text) == "zh"

    def _has_prefix(self) -> bool:
        text = self.text.strip()
        return text.startswith(PREFIXES_ZH) if self._zh() else text.lower().startswith(PREFIX)

    def _broader_zh(self) -> str:
        body = self._body().strip().rstrip("？?。.！! ")
        new = without_numbers(without_means(body))
        if new.strip() == body:
            start = context_start(body)
            if start and len(words(body[:start])) >= 2:
                new = body[:start]
        if new.strip() == body or not new.strip():
            who = user_group(body) or "受影响的人"
            return f"我们可以如何更好地支持{who}？"
        return "我们可以如何" + new.strip().rstrip("，,") + "？"

    def _narrower_zh(self) -> str:
        body = without_means(self._body()).strip().rstrip("？?。.！! ")
        where = "" if has_context(body) else "在［哪个地方或时刻？］"
        who = "" if user_group(body) is not None else "为［具体是哪些儿童或照护者？］"
        if not where and not who:
            return f"我们可以如何{body}，先从［先试的一个地方或时刻］开始？"
        return f"我们可以如何{where}{who}{body}？"

    def broader(self) -> str:
        """A broader variant: drop the means, numbers or context (see the module's rules).

        >>> HowMightWe("How might we help girls in Gansu stay in school within 12 weeks?").broader()
        'How might we help girls in Gansu stay in school?'
        """
        self.check()
        if self._zh():
            return self._broader_zh()
        body = " " + self._body().strip().rstrip("?.! ")
        new = without_numbers(without_means(body))
        if new.strip() == body.strip():
            start = context_start(body)
            if start is not None and len(words(body[:start])) >= 2:
                new = body[:start]
        if new.strip() == body.strip() or not new.strip():
            return f"How might we support {_group(body)} better?"
        return _tidy("How might we " + _lower_first(new.strip()))

    def narrower(self) -> str:
        """A narrower variant: add a user group, a context, or a first place to start (slots in brackets).

        >>> HowMightWe("How might we reduce child deaths?").narrower()
        'How might we reduce child deaths in [which place or moment?]?'
        """
        self.check()
        if self._zh():
            return self._narrower_zh()
        body = _lower_first(without_means(" " + self._body()).strip().rstrip("?.! "))
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
        take_fields(data, _("The {model} JSON", model="HowMightWe"), ("text",))
        return cls(data["text"])

    def case_items(self) -> list[CaseItem]:
        """The question itself (it cites no sources)."""
        self.check()
        return [CaseItem("question", self.text, statement=False)]

    def _feedback(self) -> list[Feedback]:
        text = self.text.strip()
        if not text:
            return [Feedback("problem", "hmw-missing",
                             _("Write your question, starting with 'How might we', e.g. 'How might we help mothers "
                             "learn their baby's HIV test result in time to start treatment?'"), where="text")]
        out: list[Feedback] = []
        if not self._has_prefix():
            out.append(Feedback(
                "problem", "hmw-format",
                _("Start with 'How might we': 'how' says it can be solved, 'might' keeps options open, 'we' makes "
                  "it shared. For example: 'How might we {rstrip}?'",
                  rstrip=_lower_first(strip_opening(text).rstrip('?？'))),
                where="text"))
        body = self._body()
        if user_group(body) is None:
            out.append(Feedback(
                "problem", "no-user",
                _("Name who it is for: a person or group (children, adolescent girls, mothers, health workers...)."),
                where="text"))
        if not outcome_verbs(body):
            out.append(Feedback(
                "problem", "no-outcome",
                _("Say what should change, with a verb of change (help, reduce, increase, ensure, keep, enable...): "
                "e.g. 'How might we help mothers learn their baby's result in time?'"), where="text"))
        solution = solution_phrase(" " + body)
        if solution:
            out.append(Feedback(
                "problem", "embeds-solution",
                _("The question already contains a solution ('{solution}'), which closes off other ideas before you"
                  " have any. Ask about the outcome instead, e.g. '{broader}'",
                  solution=solution, broader=self.broader()), where=solution))
        filler = filler_words(body)
        if filler:
            out.append(Feedback(
                "problem", "vague-wording",
                _("The question uses filler words ({filler}) that stand for something not named yet, so nobody can "
                  "act on it. Say exactly what should change, for whom, where: e.g. 'How might we help mothers in "
                  "rural Monze learn their baby's HIV result in time to start treatment?'",
                  filler=listing(filler)), where="text"))
        n = len(words(text))
        reasons = []
        vague = vague_phrases(body)
        if vague:
            reasons.append(_("it uses vague words ({vague})", vague=listing(vague)))
        if n < MIN_WORDS:
            reasons.append(_("it has only {n} words", n=n))
        generic = vague_outcome(body)
        if generic and not vague:
            reasons.append(_("'{generic}' says that something should happen, not what should change",
                             generic=generic))
        anyone = vague_user(body)
        if anyone and not solution and not has_context(" " + body + " "):
            reasons.append(_("'{anyone}' could be anyone, anywhere", anyone=anyone))
        if reasons:
            out.append(Feedback(
                "suggestion", "too-broad",
                _("The question is very broad: {reasons}, so almost any idea fits. Narrow it to one group, place or"
                  " moment, e.g. '{narrower}'",
                  reasons=listing(reasons, '; '), narrower=self.narrower()), where="text"))
        products = names_product(body)
        if products:
            out.append(Feedback(
                "suggestion", "too-narrow",
                _("The question is very narrow: it names a technology or a single product ({products}), so only one"
                  " kind of answer fits. Widen it, e.g. '{broader}'",
                  products=listing(products), broader=self.broader()), where="text"))
        if n > MAX_WORDS:
            out.append(Feedback(
                "suggestion", "hmw-too-long",
                _("The question has {n} words: a team needs to remember it. Keep who, what should change and one "
                  "place or moment, and move the rest to your notes (a precise question is good; a long one is hard"
                  " to use).", n=n), where="text"))
        if not out:
            out.append(Feedback(
                "strength", "well-framed",
                _("Well framed in form: it names who it is for and what should change, and leaves the solution open. "
                "A person will judge whether it asks about the problem your research found."), where="text"))
        return out


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym ("SMS")."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text
