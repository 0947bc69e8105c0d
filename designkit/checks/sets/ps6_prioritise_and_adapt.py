"""Visible checks of ps6-prioritise-and-adapt (source/ps6-prioritise-and-adapt): a priority matrix, costs, plans.

The checks use what the set-up cell defines (``workshop``, ``PRINCIPLES_2016``, ``PRINCIPLES_2024``, ``RD4C``,
``CASE``, ``keyword_run``, ``MAX_KEYWORD_RUN``).

>>> PROBLEM_SET.find("q4-whole-cost").points
2
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

from designkit.i18n import _

from .. import not_vague, on_case, valid_model
from ..parts import Part, ProblemSet, matches

NAME = "ps6-prioritise-and-adapt"


def matrix(value: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import PriorityMatrix

    workshop = ns["workshop"]
    assert isinstance(value, PriorityMatrix), _("matrix should be a PriorityMatrix([...]), not "
                                                "{cls}.", cls=type(value).__name__)
    valid_model(value, name="matrix", kind=PriorityMatrix)
    assert tuple(value.scale) == (1, 5), _("The workshop scored on 1-5; matrix.scale is {scale}: "
                                           "keep the default.", scale=value.scale)
    names = [i.name for i in value.ideas]
    missing = [n for n in workshop["idea"] if n not in names]
    assert not missing, _("The matrix leaves out {missing}: add every idea of the workshop (exact "
                          "names).", missing=missing)
    extra = [n for n in names if n not in set(workshop["idea"])]
    assert not extra, _("The matrix has idea(s) that are not in the workshop: {extra}.", extra=extra)
    return _("a valid matrix of every workshop idea; whether each carries the workshop's scores, "
             "the hidden tests check.")


def _idea_names(found: Any, variable: str, ns: dict[str, Any]) -> list[str]:
    names = [getattr(x, "name", x) for x in found]
    unknown = [n for n in names if n not in set(ns["workshop"]["idea"])]
    assert not unknown, _("{unknown} are not workshop ideas: copy the names exactly from "
                          "workshop['idea'].", unknown=unknown)
    return names


def quick_wins(found: Any, ns: dict[str, Any]) -> str:
    assert isinstance(found, set | frozenset | list | tuple), (
        _("quick_wins should be a set of idea names, not {cls}.", cls=type(found).__name__)
    )
    _idea_names(found, "quick_wins", ns)
    return (_("names of workshop ideas; which ones, the hidden tests check (seven ideas have too "
              "few combinations to check here without giving them away)."))


def top_three(found: Any, ns: dict[str, Any]) -> str:
    assert isinstance(found, list | tuple), (
        _("top_three should be a list of three names in rank order (a set has no order), not {cls}.", cls=type(found).__name__)
    )
    assert len(found) == 3, _("top_three has {n_found} item(s): list exactly three idea names.", n_found=len(found))
    _idea_names(found, "top_three", ns)
    return (_("three workshop ideas in a list; which ones and in which order, the hidden tests "
              "check (seven ideas have too few orderings to check here without giving them away)."))


def whole_cost(value: Any, ns: dict[str, Any]) -> str:
    assert isinstance(value, numbers.Real) and not isinstance(value, bool), (
        _("drum_cost_5yr_usd should be one number of US dollars, not {cls}.", cls=type(value).__name__)
    )
    cost = float(value)
    assert not math.isclose(cost, 100 * 6_000), (
        _("US$600,000 is the install price alone: add five years of running costs, the part a "
          "press release leaves out.")
    )
    assert not math.isclose(cost, 6_000 + 5 * 2_000), _("US$16,000 is the cost of one drum: the "
                                                        "programme funded 100.")
    assert not math.isclose(cost, 100 * 5 * 2_000), _("That is the running cost alone: add the "
                                                      "install price of each drum.")
    assert not math.isclose(cost, 100 * (6_000 + 4 * 2_000)), (
        _("That counts four years of running costs: the question asks for five years of running "
          "after installation.")
    )
    assert matches(cost, ["dfc1a64f77135dac7037"], decimals=0, salt=f"{NAME}-q4-whole-cost"), (
        _("US${cost:,.0f} is not the whole cost (checked against a coded form of the answer, to "
          "the dollar): 100 drums x (the install price + five years of running costs).", cost=cost)
    )
    return _("the value is right (compared, to the dollar, with a coded form of the answer).")


def _key(name: Any, keep: str) -> str:
    return " ".join(re.sub(rf"[^a-z0-9{keep}' -]", " ", str(name).lower().replace("’", "'")).split())


def plan_form(plan: Any, ns: dict[str, Any]) -> str:
    principles_2016, principles_2024 = ns["PRINCIPLES_2016"], ns["PRINCIPLES_2024"]

    def key(name: Any) -> str:
        return _key(name, "&")

    assert isinstance(plan, dict), _("adaptation_plan should be a dict {{principle: action}}, not "
                                     "{cls}.", cls=type(plan).__name__)
    given = {key(k): v for k, v in plan.items()}
    old = [k for k in plan if key(k) in {key(p) for p in principles_2016} - {key(p) for p in principles_2024}]
    assert not old, _("{old} are names from the 2016 version: the plan checks the 2024 principles "
                      "(PRINCIPLES_2024).", old=old)
    missing = [p for p in principles_2024 if key(p) not in given]
    assert not missing, _("Not covered yet: {missing}. The plan needs an action for each of the "
                          "nine 2024 principles.", missing=missing)
    unknown = [k for k in plan if key(k) not in {key(p) for p in principles_2024}]
    assert not unknown, _("{unknown} are not 2024 principle names: copy the keys from "
                          "PRINCIPLES_2024.", unknown=unknown)
    for p in principles_2024:
        action = given[key(p)]
        assert isinstance(action, str) and len(action.split()) >= 8, (
            _("The action for {p!r} is {action!r}: say what the team will do, in at least 8 words.", p=p, action=action)
        )
        assert key(action) != key(p), _("The action for {p!r} only repeats the principle: say what "
                                        "the team will do.", p=p)
    actions = [key(given[key(p)]) for p in principles_2024]
    repeated = sorted({a for a in actions if actions.count(a) > 1})
    assert not repeated, _("The same action is given for several principles: write a specific "
                           "action for each one.")
    for p in principles_2024:
        not_vague(given[key(p)], name=f"adaptation_plan[{p!r}]")
        assert ns["keyword_run"](given[key(p)]) <= ns["MAX_KEYWORD_RUN"], (
            _("The action for {p!r} reads as a list of keywords: write what the team will do as a "
              "sentence (who does what, with whom, when).", p=p)
        )
    on_case(" ".join(str(given[key(p)]) for p in principles_2024), ns["CASE"], name="adaptation_plan")
    return (_("all of it checked: every principle has a distinct, specific action about this "
              "programme. Whether the actions are doable and right is for a person to judge: rubric "
              "rows q5-r1 to q5-r3."))


def rd4c_form(safeguards: Any, ns: dict[str, Any]) -> str:
    rd4c = ns["RD4C"]

    def key(name: Any) -> str:
        return _key(name, "")

    assert isinstance(safeguards, dict), (
        _("safeguards should be a dict {{principle: safeguard}}, not {cls}.", cls=type(safeguards).__name__)
    )
    given = {key(k): v for k, v in safeguards.items()}
    unknown = [k for k in safeguards if key(k) not in {key(p) for p in rd4c}]
    assert not unknown, _("{unknown} are not RD4C principle names: copy the keys from RD4C.", unknown=unknown)
    missing = [p for p in rd4c if key(p) not in given]
    assert not missing, _("No safeguard yet for {missing}: RD4C has seven principles; write one "
                          "safeguard for each.", missing=missing)
    empty = [p for p in rd4c if not str(given[key(p)]).strip()]
    assert not empty, _("The safeguard for {empty} is still empty: write what you will do.", empty=empty)
    return (_("a safeguard for each of the seven principles; whether each is specific and "
              "distinct, and whether Participatory involves children and Proportional limits the data, "
              "the hidden tests check. Whether they fit this register is for a person to judge: rubric "
              "rows q6-r1 and q6-r2."))


PROBLEM_SET = ProblemSet(
    NAME,
    (
        Part("q1-matrix", 1, "matrix", matrix),
        Part("q2-quick-wins", 1, "quick_wins", quick_wins),
        Part("q3-top-three", 1, "top_three", top_three),
        Part("q4-whole-cost", 2, "drum_cost_5yr_usd", whole_cost),
        Part("q5-plan-form", 1, "adaptation_plan", plan_form),
        Part("q6-rd4c-form", 1, "safeguards", rd4c_form),
    ),
    rubric={"q5": 3, "q6": 2, "q7": 13},
)
