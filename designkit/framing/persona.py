"""Persona: an archetype built from research, with goals, frustrations and, optionally, a quote.

A quote must be real and carry its source (an interview note, a citation key), or be marked
``illustrative=True`` (written by the team to sum up a pattern): never present an invented quote as
something a real person said. A persona of a child states an age: needs change fast with age.

>>> p = Persona("Chipo", "a mother of a 6-week-old HIV-exposed baby in rural Mazabuka",
...             goals=["know her baby's test result in time"], frustrations=["travelling to the clinic for nothing"],
...             quote="Every trip costs me a day of work.", illustrative=True)
>>> p.ok
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from designkit.i18n import _

from ._base import (
    CaseItem,
    Feedback,
    FramingError,
    FramingModel,
    check_optional_text,
    check_text,
    check_text_list,
    filler_feedback,
    take_fields,
)
from .rules import cited_keys, mentions_child, states_age, without_citations


@dataclass
class Persona(FramingModel):
    """A persona: ``name``, ``context``, ``goals``, ``frustrations`` and an optional ``quote``.

    ``quote_source`` says where a real quote comes from; ``illustrative=True`` marks a quote the team wrote.

    >>> Persona("Beatrice", "a girl", ["be registered"], ["fees"], quote="I exist").validate()[0].code
    'quote-without-source'
    """

    MODEL = "Persona"

    name: str
    context: str
    goals: list[str] = field(default_factory=list)
    frustrations: list[str] = field(default_factory=list)
    quote: str = ""
    quote_source: str | None = None
    illustrative: bool = False

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: texts, lists of texts and a True/False ``illustrative`` (FramingError)."""
        check_text(self.name, "Persona name")
        check_text(self.context, "Persona context")
        self.goals = check_text_list(self.goals, "Persona goals")
        self.frustrations = check_text_list(self.frustrations, "Persona frustrations")
        check_text(self.quote, "Persona quote")
        check_optional_text(self.quote_source, "Persona quote_source")
        if not isinstance(self.illustrative, bool):
            raise FramingError(_("Persona illustrative must be True or False, not {illustrative}.",
                                 illustrative=repr(self.illustrative)))

    def is_child(self) -> bool:
        """True when the persona's name or context names a child or young person."""
        return mentions_child(self.name) or mentions_child(self.context)

    def to_dict(self) -> dict:
        """The persona as a JSON-ready dict."""
        return {"name": self.name, "context": self.context, "goals": list(self.goals),
                "frustrations": list(self.frustrations), "quote": self.quote, "quote_source": self.quote_source,
                "illustrative": self.illustrative}

    @classmethod
    def from_dict(cls, data: dict) -> Persona:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON", model="Persona"), ("name", "context"),
                    ("goals", "frustrations", "quote", "quote_source", "illustrative"))
        return cls(data["name"], data["context"], data.get("goals", []), data.get("frustrations", []),
                   data.get("quote", ""), data.get("quote_source"), data.get("illustrative", False))

    def case_items(self) -> list[CaseItem]:
        """The context, each goal and each frustration (with the keys of inline "[@key]" citations)."""
        self.check()
        parts = [("context", self.context)] + [("goal", g) for g in self.goals] + \
                [("frustration", f) for f in self.frustrations]
        return [CaseItem(what, without_citations(text), tuple(cited_keys(text)), statement=False)
                for what, text in parts if text.strip()]

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = filler_feedback([("context", self.context)] + [("goal", g) for g in self.goals]
                                              + [("frustration", f) for f in self.frustrations])
        if not self.name.strip():
            out.append(Feedback("problem", "missing-name", _("Give the persona a name, so the team can talk about them."),
                                where="name"))
        if not self.context.strip():
            out.append(Feedback("problem", "missing-context",
                                _("Describe the persona's situation: who they are, where they live, what their days "
                                "look like."), where="context"))
        if not [g for g in self.goals if g.strip()]:
            out.append(Feedback("problem", "no-goals",
                                _("Add at least one goal: what is this person trying to achieve?"), where="goals"))
        if not [f for f in self.frustrations if f.strip()]:
            out.append(Feedback("problem", "no-frustrations",
                                _("Add at least one frustration: what gets in their way today?"), where="frustrations"))
        quote, source = self.quote.strip(), (self.quote_source or "").strip()
        if quote and not source and not self.illustrative:
            out.append(Feedback(
                "problem", "quote-without-source",
                _("The quote has no source. If a real person said it, give the source in quote_source (an interview "
                "note or a citation key); if the team wrote it to sum up a pattern, set illustrative=True. Never "
                "present an invented quote as a real one."), where="quote"))
        elif quote and source:
            out.append(Feedback("strength", "quote-sourced",
                                _("The quote carries its source ({source}): readers can trust it.",
                                  source=source), where="quote"))
        elif quote:
            out.append(Feedback("strength", "quote-marked-illustrative",
                                _("The quote is marked as illustrative: honest about where it comes from."),
                                where="quote"))
        if self.is_child() and not (states_age(self.name) or states_age(self.context)):
            out.append(Feedback(
                "suggestion", "child-without-age",
                _("This persona is a child: state an age in the context (e.g. 'aged 13' or 'a 6-month-old'), "
                "because a baby's needs, a 7-year-old's and an adolescent's are very different."), where="context"))
        return out
