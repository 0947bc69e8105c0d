"""Visible checks of ps3-stakeholders-journeys (source/ps3-stakeholders-journeys): maps, a journey, classifications.

>>> PROBLEM_SET.find("q5-like-for-like").variable
'like_for_like'
"""

from __future__ import annotations

from typing import Any

from designkit.i18n import _

from .. import evidence_supports, on_case, valid_model
from ..parts import Part, ProblemSet

NAME = "ps3-stakeholders-journeys"


def stakeholder_map(mwana_map: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import StakeholderMap
    from designkit.framing.rules import is_statement

    assert isinstance(mwana_map, StakeholderMap), (
        _("mwana_map should be a StakeholderMap([...]), not {cls}.", cls=type(mwana_map).__name__)
    )
    valid_model(mwana_map, name="mwana_map", kind="StakeholderMap")
    assert len(mwana_map.stakeholders) >= 6, (
        _("the map has {n_stakeholders} stakeholders; map at least 6 (who else does the design "
          "touch: who delivers it, who pays, who decides, whose rights are at stake?).", n_stakeholders=len(mwana_map.stakeholders))
    )
    on_case(mwana_map, "mwana", name="mwana_map")
    cited = [s for s in mwana_map.stakeholders if "[@" in s.notes]
    assert len(cited) >= 2, (
        _("{n_cited} stakeholder(s) have a note citing a source; for at least two, say in "
          "notes=... what a source of the case reports about them, as a sentence ending with its key, "
          "e.g. notes=\"... [@seidenberg2012]\".", n_cited=len(cited))
    )
    listed = [s.name for s in cited if not is_statement(s.notes)]
    assert not listed, (
        _("the note of {listed!r} reads as a list of words: say in a sentence what the source "
          "reports about them.", listed=listed[0])
    )
    evidence_supports(mwana_map, "mwana", name="mwana_map", min_items=2)
    return (_("all of it checked: mwana_map is well formed, about the Mwana case, and its sources "
              "say what its notes say. Whether these are the right people, roles and scores is for a "
              "person to judge: rubric rows q1-r1 and q1-r2."))


def _names(found: Any, variable: str, known: set[str], where: str) -> set[str]:
    assert isinstance(found, set | frozenset | list | tuple), (
        _("{variable} should be a set of names, not {cls}: wrap the names in set(...) or {{...}}.", variable=variable, cls=type(found).__name__)
    )
    found = set(found)
    unknown = sorted(map(str, found - known))
    assert not unknown, _("{unknown} are not names {where}: copy the names exactly.", unknown=unknown, where=where)
    return found


def manage_closely(found: Any, ns: dict[str, Any]) -> str:
    grid = ns["mobilevrs_map"]
    people = grid.stakeholders
    found = _names(found, "manage_closely", {s.name for s in people}, _("on mobilevrs_map"))
    assert found != {s.name for s in people if s.interest >= 3 and s.influence >= 3}, (
        _("you counted 3 as high: a value is high only when it is strictly above the midpoint 3 "
          "(use > 3, not >= 3).")
    )
    assert found != {s.name for s in people if s.influence > 3}, (
        _("you kept everyone with a high influence: 'manage closely' needs a high interest too "
          "(the others are 'keep satisfied').")
    )
    assert found != {n for n, q in grid.quadrants().items() if q == "keep satisfied"}, (
        _("those are in 'keep satisfied' (high influence, interest 3 or less): 'manage closely' "
          "needs both above 3.")
    )
    return (_("names on the map, and not the >= 3, the influence-only or the 'keep satisfied' set; "
              "whether it is the right set, the hidden tests check (a dozen names have too few "
              "combinations to check here without giving them away)."))


def power_gap(found: Any, ns: dict[str, Any]) -> str:
    grid = ns["mobilevrs_map"]
    quadrants = grid.quadrants()
    found = _names(found, "power_gap", set(quadrants), _("on mobilevrs_map"))
    assert found != {n for n, q in quadrants.items() if q == "keep informed"}, (
        _("your set includes implementers in 'keep informed': keep only the rights-holders.")
    )
    assert found != {s.name for s in grid.stakeholders if s.role == "rights-holder"}, (
        _("you kept every rights-holder: keep only those with a high interest and a low influence "
          "('keep informed').")
    )
    return (_("names on the map, and not everyone in 'keep informed' or every rights-holder; "
              "whether it is the right set, the hidden tests check (a dozen names have too few "
              "combinations to check here without giving them away)."))


def journey(value: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import JourneyMap

    assert isinstance(value, JourneyMap), (
        _("journey should be a JourneyMap(persona, [Stage(...), ...]), not {cls}.", cls=type(value).__name__)
    )
    valid_model(value, name="journey", kind="JourneyMap")
    on_case(value, "mobilevrs", name="journey")
    evidence_supports(value, "mobilevrs", name="journey", min_items=2)
    return (_("all of it checked: journey is well formed, about MobileVRS, and its sources say "
              "what its pain points say. Whether it is the path a home birth really takes is for a "
              "person to judge: rubric rows q4-r1 and q4-r2."))


def like_for_like(found: Any, ns: dict[str, Any]) -> str:
    found = _names(found, "like_for_like", set(ns["registered_pct"]), _("in registered_pct"))
    assert len(found) == 2, _("like_for_like should hold two names, not {n_found}: which two "
                              "measure the same way?", n_found=len(found))
    return (_("two names of registered_pct; whether they are the pair measured the same way, the "
              "hidden tests check (three figures have too few combinations to check here without "
              "giving them away). Why 30% and 60% cannot be compared is for a person to judge: rubric "
              "rows q5-r1 and q5-r2."))


PROBLEM_SET = ProblemSet(
    NAME,
    (
        Part("q1-stakeholder-map", 1, "mwana_map", stakeholder_map),
        Part("q2-manage-closely", 2, "manage_closely", manage_closely),
        Part("q3-power-gap", 2, "power_gap", power_gap),
        Part("q4-journey", 1, "journey", journey),
        Part("q5-like-for-like", 1, "like_for_like", like_for_like),
    ),
    rubric={"q1": 2, "q4": 2, "q5": 2, "q6": 3},
)
