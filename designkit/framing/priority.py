"""Priority matrix: ideas scored for impact and feasibility, ranked and placed in quadrants.

Ranking: by impact x feasibility, highest first; ties go to the higher impact, then to the name in
alphabetical order (case-insensitive), so the order is always the same. Quadrants use the midpoint of
the scale; **a value counts as high only when it is strictly above the midpoint** (on 1-5: 4 and 5).

>>> m = PriorityMatrix([Idea("Text results to clinics", 5, 4), Idea("Drone transport of samples", 4, 2),
...                     Idea("Reminder cards for mothers", 2, 5)])
>>> [i.name for i in m.ranking()]
['Text results to clinics', 'Reminder cards for mothers', 'Drone transport of samples']
>>> m.quadrant("Drone transport of samples")
'big bet'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from designkit.i18n import N_, _

from ._base import (
    CaseItem,
    Feedback,
    FramingError,
    FramingModel,
    _describe,
    check_number,
    check_text,
    filler_feedback,
    take_fields,
)
from ._grid import ScoredItems
from ._records import listing
from .rules import norm

MIN_IDEAS = 3
QUADRANTS = ("quick win", "big bet", "easy extra", "deprioritise")


def quadrant_of(impact: float, feasibility: float, scale: tuple[float, float]) -> str:
    """The quadrant for an impact/feasibility pair; high means strictly above the scale's midpoint.

    >>> quadrant_of(5, 5, (1, 5)), quadrant_of(3, 5, (1, 5))
    ('quick win', 'easy extra')
    """
    mid = (scale[0] + scale[1]) / 2
    if impact > mid:
        return "quick win" if feasibility > mid else "big bet"
    return "easy extra" if feasibility > mid else "deprioritise"


@dataclass
class Idea:
    """An idea with its ``impact`` and ``feasibility`` scores (checked against the matrix's scale).

    >>> Idea("Text results to clinics", 5, 4).score
    20
    """

    name: str
    impact: float
    feasibility: float
    notes: str = ""

    def __post_init__(self) -> None:
        self.check()

    def check(self, scale: tuple[float, float] | None = None) -> None:
        """Structural check: a name, numbers (on ``scale`` when given) and notes (FramingError)."""
        check_text(self.name, "Idea name")
        low, high = scale if scale is not None else (-math.inf, math.inf)
        self.impact = check_number(self.impact, _("The impact of {name}", name=repr(self.name)), low, high)
        self.feasibility = check_number(self.feasibility, _("The feasibility of {name}",
                                                            name=repr(self.name)), low, high)
        check_text(self.notes, _("notes of {name}", name=repr(self.name)))

    @property
    def score(self) -> float:
        """impact x feasibility."""
        return self.impact * self.feasibility

    def to_dict(self) -> dict:
        """The idea as a JSON-ready dict."""
        return {"name": self.name, "impact": self.impact, "feasibility": self.feasibility, "notes": self.notes}


@dataclass
class PriorityMatrix(ScoredItems, FramingModel):
    """Ideas on an impact x feasibility grid, on ``scale`` (default 1 to 5).

    Checks: at least 3 ideas, no duplicate names, not every idea scored the same.

    >>> PriorityMatrix([Idea("a", 3, 3)]).validate()[0].code
    'too-few-ideas'
    """

    MODEL = "PriorityMatrix"
    ITEMS = "ideas"
    ITEM_CLASS = Idea
    NOT_FOUND = N_("No idea called {name} in this matrix.{hint} It has: {names}.")
    EMPTY = N_("no ideas yet")

    ideas: list[Idea] = field(default_factory=list)
    scale: tuple[float, float] = (1, 5)

    def __post_init__(self) -> None:
        self.check()

    def ranking(self) -> list[Idea]:
        """Ideas by impact x feasibility (highest first); ties by impact, then by name (A to Z)."""
        self.check()
        return sorted(self.ideas, key=lambda i: (-i.score, -i.impact, i.name.casefold(), i.name))

    def quadrant(self, name: str) -> str:
        """'quick win' | 'big bet' | 'easy extra' | 'deprioritise' for the idea ``name``."""
        self.check()
        idea = self.get(name)
        return quadrant_of(idea.impact, idea.feasibility, self.scale)

    def quadrants(self) -> dict[str, str]:
        """{idea name: quadrant} for every idea, in matrix order."""
        self.check()
        return {i.name: quadrant_of(i.impact, i.feasibility, self.scale) for i in self.ideas}

    def to_dict(self) -> dict:
        """The matrix as a JSON-ready dict."""
        return {"scale": list(self.scale), "ideas": [i.to_dict() for i in self.ideas]}

    @classmethod
    def from_dict(cls, data: dict) -> PriorityMatrix:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON", model="PriorityMatrix"), ("ideas",), ("scale",))
        items = data["ideas"]
        if not isinstance(items, list):
            raise FramingError(_("'ideas' must be a list, but it is {items}.", items=_describe(items)))
        ideas = []
        for i, item in enumerate(items):
            take_fields(item, f"ideas[{i}]", ("name", "impact", "feasibility"), ("notes",))
            ideas.append(Idea(item["name"], item["impact"], item["feasibility"], item.get("notes", "")))
        return cls(ideas, data.get("scale", (1, 5)))

    def case_items(self) -> list[CaseItem]:
        """Each idea's name (ideas cite no sources)."""
        self.check()
        return [CaseItem(_("idea '{name}'", name=i.name), i.name, statement=False) for i in self.ideas]

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = filler_feedback([("idea", i.name) for i in self.ideas])
        if len(self.ideas) < MIN_IDEAS:
            out.append(Feedback(
                "problem", "too-few-ideas",
                _("The matrix has {n_ideas} idea(s); compare at least {min_ideas}, so that the choice is a real "
                  "choice. Go back to ideation and add more.",
                  n_ideas=len(self.ideas), min_ideas=MIN_IDEAS), where="ideas"))
        seen: dict[str, str] = {}
        for idea in self.ideas:
            key = norm(idea.name)
            if not key:
                out.append(Feedback("problem", "empty-name", _("An idea has no name: say what it is."), where="ideas"))
            elif key in seen:
                out.append(Feedback("problem", "duplicate-idea",
                                    _("'{name}' is in the matrix twice: merge them, or say what makes them different.",
                                      name=idea.name), where=idea.name))
            else:
                seen[key] = idea.name
        if len(self.ideas) >= 2 and len({(i.impact, i.feasibility) for i in self.ideas}) == 1:
            out.append(Feedback(
                "suggestion", "all-scored-same",
                _("Every idea has the same scores, so the matrix cannot help you choose. Discuss each one: which "
                "would change most for children? Which could you really do with the time and money you have?"),
                where="ideas"))
        quick = [i.name for i in self.ideas if quadrant_of(i.impact, i.feasibility, self.scale) == "quick win"]
        if quick and len(self.ideas) >= MIN_IDEAS:
            out.append(Feedback("strength", "quick-win-found",
                                _("Quick win(s): {quick}: high impact and feasible; a good place to start prototyping.",
                                  quick=listing(quick)), where=", ".join(quick)))
        return out
