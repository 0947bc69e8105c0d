"""Stakeholder map: who has a stake in the problem, their role, interest and influence.

Roles (``ROLES``):

- ``rights-holder``: people whose rights are at stake: children and young people first, and their
  caregivers (UN CRC: children are rights-holders; art. 12 gives them the right to be heard).
- ``duty-bearer``: who has the obligation to respect and fulfil those rights: ministries, local
  government, the registration bureau, schools and clinics as public services.
- ``implementer``: who delivers the design day to day: health workers, teachers, community agents,
  NGOs, a mobile operator running the service.
- ``influencer``: who shapes opinions or decisions without owning them: religious and community
  leaders, media, researchers, parliamentarians.
- ``funder``: who pays: donors, government budget lines, foundations.
- ``other``: anyone else (say who in ``notes``).

Quadrants use the midpoint of the scale as the threshold; **a value counts as high only when it is
strictly above the midpoint** (on the 1-5 scale, 4 and 5 are high, 3 is not), so a stakeholder
drawn on the middle line is never "managed closely" by default.

>>> m = StakeholderMap([Stakeholder("HIV-exposed infants", "rights-holder", 5, 1),
...                     Stakeholder("Ministry of Health", "duty-bearer", 4, 5)])
>>> m.quadrant("Ministry of Health")
'manage closely'
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Any

from designkit.i18n import N_, _

from ._base import (
    CaseItem,
    Feedback,
    FramingError,
    FramingModel,
    _describe,
    check_number,
    check_scale,
    check_text,
    filler_feedback,
    take_fields,
)
from ._grid import ScoredItems
from ._records import listing
from .rules import cited_keys, mentions_child, norm, without_citations

ROLES: dict[str, str] = {
    "rights-holder": N_("people whose rights are at stake: children first, and their caregivers"),
    "duty-bearer": N_("who must respect and fulfil those rights (ministries, local government, public services)"),
    "implementer": N_("who delivers the design day to day (health workers, teachers, community agents, NGOs)"),
    "influencer": N_("who shapes opinions or decisions (community leaders, media, researchers, parliamentarians)"),
    "funder": N_("who pays (donors, government budgets, foundations)"),
    "other": N_("anyone else (say who in notes)"),
}

QUADRANTS = ("manage closely", "keep satisfied", "keep informed", "monitor")


def normalise_role(role: Any, who: str = "a stakeholder") -> str:
    """The canonical role name ("Rights holder" -> "rights-holder"); FramingError for an unknown role.

    >>> normalise_role("Duty bearer")
    'duty-bearer'
    """
    check_text(role, _("role of {who}", who=who))
    key = "-".join(role.strip().lower().replace("_", " ").replace("-", " ").split())
    if key.endswith("s") and key[:-1] in ROLES:
        key = key[:-1]
    if key not in ROLES:
        close = difflib.get_close_matches(key, list(ROLES), n=1)
        hint = _(" Did you mean {close}?", close=repr(close[0])) if close else ""
        raise FramingError(_("The role {role} of {who} is unknown.{hint} Use one of: {roles}.",
                             role=repr(role),
                             who=who, hint=hint, roles="; ".join(f"{k} ({_(v)})" for k, v in ROLES.items())))
    return key


def quadrant_of(influence: float, interest: float, scale: tuple[float, float]) -> str:
    """The quadrant for an influence/interest pair; high means strictly above the scale's midpoint.

    >>> quadrant_of(5, 2, (1, 5)), quadrant_of(3, 3, (1, 5))
    ('keep satisfied', 'monitor')
    """
    mid = (scale[0] + scale[1]) / 2
    high_influence, high_interest = influence > mid, interest > mid
    if high_influence:
        return "manage closely" if high_interest else "keep satisfied"
    return "keep informed" if high_interest else "monitor"


@dataclass
class Stakeholder:
    """One actor: ``name``, ``role`` (see ``ROLES``), ``interest`` and ``influence`` on the map's scale.

    >>> Stakeholder("Community agents", "Implementer", 4, 2).role
    'implementer'
    """

    name: str
    role: str
    interest: float
    influence: float
    notes: str = ""

    def __post_init__(self) -> None:
        self.check()

    def check(self, scale: tuple[float, float] | None = None) -> None:
        """Structural check: texts, a known role, numbers (on ``scale`` when given); FramingError otherwise.

        Alone, a stakeholder only checks that interest and influence are numbers; the map checks them
        against its scale (so a map on 0-10 works).
        """
        check_text(self.name, "Stakeholder name")
        who = f"{self.name!r}"
        self.role = normalise_role(self.role, who)
        low, high = scale if scale is not None else (-math.inf, math.inf)
        self.interest = check_number(self.interest, _("The interest of {who}", who=who), low, high)
        self.influence = check_number(self.influence, _("The influence of {who}", who=who), low, high)
        check_text(self.notes, _("notes of {name}", name=who))

    def is_child(self) -> bool:
        """True when this is a rights-holder whose name names children or young people."""
        return self.role == "rights-holder" and mentions_child(self.name)

    def to_dict(self) -> dict:
        """The stakeholder as a JSON-ready dict."""
        return {"name": self.name, "role": self.role, "interest": self.interest, "influence": self.influence,
                "notes": self.notes}


@dataclass
class StakeholderMap(ScoredItems, FramingModel):
    """Stakeholders on an interest x influence grid, on ``scale`` (default 1 to 5).

    Checks: children or young people are on the map as rights-holders (CRC art. 12), at least one
    duty-bearer, no duplicate names; a strength plus a participation suggestion when children have a
    high interest but a low influence.

    >>> StakeholderMap([Stakeholder("Mothers", "rights-holder", 5, 2)]).validate()[0].code
    'no-children'
    """

    MODEL = "StakeholderMap"
    ITEMS = "stakeholders"
    ITEM_CLASS = Stakeholder
    NOT_FOUND = N_("No stakeholder called {name} on this map.{hint} The map has: {names}.")
    EMPTY = N_("nobody yet")

    stakeholders: list[Stakeholder] = field(default_factory=list)
    scale: tuple[float, float] = (1, 5)

    def __post_init__(self) -> None:
        self.check()

    def quadrant(self, name: str) -> str:
        """'manage closely' | 'keep satisfied' | 'keep informed' | 'monitor' for the stakeholder ``name``."""
        self.check()
        s = self.get(name)
        return quadrant_of(s.influence, s.interest, self.scale)

    def quadrants(self) -> dict[str, str]:
        """{stakeholder name: quadrant} for everyone on the map, in map order."""
        self.check()
        return {s.name: quadrant_of(s.influence, s.interest, self.scale) for s in self.stakeholders}

    def to_dict(self) -> dict:
        """The map as a JSON-ready dict."""
        return {"scale": list(self.scale), "stakeholders": [s.to_dict() for s in self.stakeholders]}

    @classmethod
    def from_dict(cls, data: dict) -> StakeholderMap:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON", model="StakeholderMap"), ("stakeholders",), ("scale",))
        scale = check_scale(data.get("scale", (1, 5)))
        items = data["stakeholders"]
        if not isinstance(items, list):
            raise FramingError(_("'stakeholders' must be a list, but it is {items}.", items=_describe(items)))
        people = []
        for i, item in enumerate(items):
            take_fields(item, f"stakeholders[{i}]", ("name", "role", "interest", "influence"), ("notes",))
            people.append(Stakeholder(item["name"], item["role"], item["interest"], item["influence"],
                                      item.get("notes", "")))
        return cls(people, scale)

    def case_items(self) -> list[CaseItem]:
        """Each stakeholder's name (with its notes), citing the keys of inline "[@key]" citations in its notes."""
        self.check()
        return [CaseItem(_("stakeholder '{name}'",
                           name=s.name), " ".join(without_citations(t) for t in (s.name, s.notes)).strip(),
                         tuple(cited_keys(s.name) + cited_keys(s.notes)), statement=False) for s in self.stakeholders]

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = filler_feedback([("stakeholder", s.name) for s in self.stakeholders])
        children = [s for s in self.stakeholders if s.is_child()]
        if not children:
            misplaced = [s for s in self.stakeholders if mentions_child(s.name)]
            hint = (_(" {names} look(s) like children but have another role: children are rights-holders.",
                      names=listing(s.name for s in misplaced)) if misplaced else "")
            out.append(Feedback(
                "problem", "no-children",
                _("Children or young people are not on the map as rights-holders. The Convention on the Rights of "
                  "the Child (art. 12) gives them the right to be heard in matters that affect them: add them "
                  "(e.g. 'adolescent girls', 'HIV-exposed infants') with the role 'rights-holder'.") + hint,
                where="stakeholders"))
        else:
            out.append(Feedback("strength", "children-included",
                                _("Children are on the map as rights-holders ({name}).",
                                  name=listing(s.name for s in children)),
                                where="stakeholders"))
        if not any(s.role == "duty-bearer" for s in self.stakeholders):
            out.append(Feedback(
                "problem", "no-duty-bearer",
                _("No duty-bearer on the map: who has the obligation to fulfil these children's rights? Add, for "
                "example, the ministry, the district health office or the registration bureau, with the role "
                "'duty-bearer'."), where="stakeholders"))
        seen: dict[str, str] = {}
        for s in self.stakeholders:
            key = norm(s.name)
            if not key:
                out.append(Feedback("problem", "empty-name", _("A stakeholder has no name: name the person or group."),
                                    where="stakeholders"))
            elif key in seen:
                out.append(Feedback(
                    "problem", "duplicate-stakeholder",
                    _("'{name}' is on the map twice (also as '{seen}'). Keep one entry, or name the two groups so that "
                      "the difference shows (e.g. 'mothers in town' and 'mothers in remote villages').",
                      name=s.name, seen=seen[key]),
                    where=s.name))
            else:
                seen[key] = s.name
        gap = [s for s in children if quadrant_of(s.influence, s.interest, self.scale) == "keep informed"]
        if gap:
            names = ", ".join(s.name for s in gap)
            out.append(Feedback(
                "strength", "power-gap-mapped",
                _("You placed {names} with a high interest but a low influence: an honest map of the power gap "
                  "children usually face.", names=names), where=names))
            out.append(Feedback(
                "suggestion", "children-participation",
                _("{names}: plan how their views will be heard and given weight (CRC art. 12): consult them "
                  "directly, in their language, at times and places that suit them, and report back what changed "
                  "because of what they said.", names=names), where=names))
        return out
