"""Visible checks of ps2-problem-framing (source/ps2-problem-framing): a problem tree, two numbers, a classification.

>>> [p.id for p in PROBLEM_SET.parts][:2]
['q1-tree-valid', 'q1-tree-evidence']
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

from designkit.i18n import _

from .. import evidence_supports, on_case, valid_model
from ..parts import Part, ProblemSet, matches

NAME = "ps2-problem-framing"
KEYS = {
    "unicefinnovation_mwana", "unicefstories2014_mwana", "bu_cghd_mwana", "unicef2011_mwana", "seidenberg2012",
    "sutcliffe2017", "unicef_esaro2016_drones", "unicefblog2016_drones", "unicefstories2016_drones",
}


def tree_valid(tree: Any, ns: dict[str, Any]) -> str:
    from designkit.framing.rules import is_statement

    valid_model(tree, name="tree", kind="ProblemTree")
    assert tree.depth() >= 2, (
        _("every cause sits directly under the core problem: ask 'why?' a second time and add a "
          "deeper cause with Node(\"cause\", children=[Node(\"deeper cause\")]).")
    )
    keywords = [n.text for n in tree.all_causes() + tree.all_effects() if not is_statement(n.text)]
    assert not keywords, (
        _("{keywords!r} reads as a list of words, not a statement: say what happens, to whom (for "
          "example 'results take weeks to reach the clinic'), for every cause and effect.", keywords=keywords[0])
    )
    on_case(tree, "mwana", name="tree")
    return (_("all of it checked: tree is well formed, two levels deep, in statements and about "
              "the Mwana case. Whether its core problem, causes and effects are the right ones is for "
              "a person to judge: rubric rows q1-r1 to q1-r3."))


def tree_evidence(tree: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import ProblemTree

    assert isinstance(tree, ProblemTree), _("build tree first (Part 1): it should be a ProblemTree.")
    with_evidence = [n for n in tree.causes if n.evidence and n.evidence.strip()]
    assert len(with_evidence) >= 2, (
        _("{n_with_evidence} direct cause(s) carry evidence; give at least two of them "
          "evidence=... with a key from the list in the case (e.g. evidence=\"seidenberg2012\").", n_with_evidence=len(with_evidence))
    )
    for node in with_evidence:
        keys = [k.strip() for k in re.split(r"[;,]", node.evidence) if k.strip()]
        unknown = [k for k in keys if k not in KEYS]
        assert not unknown, (
            _("the evidence of {text!r} is {evidence!r}: write it as a citation key from the list "
              "in the case (for example 'seidenberg2012'), separated by ';' if there are several; "
              "{unknown} is not one.", text=node.text, evidence=node.evidence, unknown=unknown)
        )
    evidence_supports(tree, "mwana", name="tree")
    return (_("all of it checked: every source you cite states what its node says. Whether these "
              "are the causes that matter is for a person to judge: rubric row q1-r2."))


def facility_reduction(value: Any, ns: dict[str, Any]) -> str:
    before, after = 44.2, 26.7
    assert isinstance(value, numbers.Real), _("facility_reduction_pct should be one number, not "
                                              "{cls}.", cls=type(value).__name__)
    assert not math.isclose(value, before - after, abs_tol=0.01), (
        _("{value:g} is the number of days saved, not a percentage of the time before.", value=value)
    )
    assert not math.isclose(value, (before - after) / before, abs_tol=0.001), (
        _("{value:.3f} is a fraction (0 to 1): multiply by 100 to get a percentage.", value=value)
    )
    assert not math.isclose(value, 100 * (before - after) / after, abs_tol=0.1), (
        _("{value:.1f}% divides by the time after: a reduction is measured against the time before.", value=value)
    )
    assert not math.isclose(value, 100 * after / before, abs_tol=0.1), (
        _("{value:.1f}% is what is left (after as a share of before), not the reduction: subtract "
          "it from 100.", value=value)
    )
    assert matches(value, ["469d50f4118838c75b86", "57e1881a66e1c7d11551"], decimals=1,
                   salt=f"{NAME}-q2-facility-reduction"), (
        _("{value:.1f}% is not the fall (checked against a coded form of the answer, rounded to "
          "0.1): (before - after) / before x 100, with the facility's days.", value=value)
    )
    return _("the value is right (compared, rounded to 0.1, with a coded form of the answer).")


DAYS_DIGESTS = {"facility": ["9122b19d4014728e0145"], "caregiver": ["9a446faf39d50935bac6"]}


def days_saved(days: Any, ns: dict[str, Any]) -> str:
    assert isinstance(days, dict), _("days_saved should be a dict, not {cls}.", cls=type(days).__name__)
    assert set(days) == {"facility", "caregiver"}, (
        _("days_saved should have the keys 'facility' and 'caregiver', not {items}.", items=sorted(map(str, days)))
    )
    assert all(isinstance(v, numbers.Real) for v in days.values()), _("each value should be a "
                                                                      "number of days.")
    assert not (days["facility"] < 0 and days["caregiver"] < 0), (
        _("your days are negative: days saved is before minus after (SMS made the wait shorter).")
    )
    assert not math.isclose(days["caregiver"], 100 * (66.8 - 35.0) / 66.8, abs_tol=0.1), (
        _("those are percentages: the question asks for the number of days saved (before minus "
          "after).")
    )
    off = [step for step in ("facility", "caregiver")
           if not matches(days[step], DAYS_DIGESTS[step], decimals=1, salt=f"{NAME}-q3-days-saved-{step}")]
    assert not off, (
        _("the days for {items} are not before minus after (checked against coded forms of the "
          "answers, rounded to 0.1): notify_days[step]['before'] - notify_days[step]['after'].", items=' and '.join(off))
    )
    return _("both values are right (compared, rounded to 0.1, with coded forms of the answers).")


def disguised(found: Any, ns: dict[str, Any]) -> str:
    candidate_cores = ns["candidate_cores"]
    assert isinstance(found, set | frozenset | list | tuple), (
        _("disguised should be a set of letters like {{\"A\"}}, not {cls}.", cls=type(found).__name__)
    )
    letters = {str(letter).strip().upper() for letter in found}
    unknown = sorted(letters - set(candidate_cores))
    assert not unknown, _("{unknown} are not letters of candidate_cores: use the letters 'A' to "
                          "'E'.", unknown=unknown)
    assert letters != {"A"}, (
        _("you found draft A, the example from the question; read the four others the same way: "
          "does the draft name a tool, a technology or a service that is missing?")
    )
    return (_("letters of candidate_cores, and more than the example A; which letters, the hidden "
              "tests check (five letters have too few combinations to check here without giving them "
              "away). Your restated_core is for a person to judge: rubric row q4-r1."))


PROBLEM_SET = ProblemSet(
    NAME,
    (
        Part("q1-tree-valid", 1, "tree", tree_valid),
        Part("q1-tree-evidence", 1, "tree", tree_evidence),
        Part("q2-facility-reduction", 2, "facility_reduction_pct", facility_reduction),
        Part("q3-days-saved", 2, "days_saved", days_saved),
        Part("q4-disguised", 1, "disguised", disguised),
    ),
    rubric={"q1": 3, "q4": 1, "q5": 3},
)
