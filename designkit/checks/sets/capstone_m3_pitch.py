"""Visible checks of capstone-m3-pitch (source/capstone-m3-pitch): the final test results, the change in success
and the whole cost.

The checks use what the set-up cell defines (``YEARS``).

>>> PROBLEM_SET.find("q2-improvement-points").variable
'improvement_pts'
"""

from __future__ import annotations

import numbers
from typing import Any

from designkit.i18n import _

from ..parts import Part, ProblemSet

NAME = "capstone-m3-pitch"


def results_recorded(final_results: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import TestResults

    assert isinstance(final_results, TestResults), _(
        "final_results should be a TestResults(final_plan, versions, results): replace the placeholder."
    )
    codes = {f.code for f in final_results.validate()}
    assert "no-versions" not in codes and "no-results" not in codes, _(
        "final_results has no versions or no results: record one Result(participant, version, task, success) per attempt."
    )
    return _("there are versions and results; whether there are two versions or more, each tried by 2+ participants "
             "on every task, the hidden tests check. What the results show is for a person to judge: rubric row "
             "q2-r1.")


def improvement_points(value: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import TestResults

    final_results = ns.get("final_results")
    assert isinstance(final_results, TestResults) and len(final_results.versions) >= 2, _(
        "final_results with at least two versions is needed first: see the question."
    )
    assert isinstance(value, numbers.Real) and not isinstance(value, bool), _(
        "improvement_pts should be a number of percentage points, not {value!r}.", value=value
    )
    return _("a number; whether it matches your results (last version minus first, in percentage points), the hidden "
             "tests check.")


def cost_three_years(value: Any, ns: dict[str, Any]) -> str:
    costs = ns.get("costs")
    assert isinstance(costs, dict) and {"build", "per_year"} <= set(costs), _(
        'costs should be a dict with "build" and "per_year": see the question.'
    )
    assert all(isinstance(costs[k], numbers.Real) and costs[k] >= 0 for k in ("build", "per_year")), _(
        'costs["build"] and costs["per_year"] should be numbers (0 or more), in one currency.'
    )
    assert isinstance(value, numbers.Real) and not isinstance(value, bool), _(
        "cost_3_years should be a number, not {value!r}.", value=value
    )
    return _("costs and a number; whether the number adds up from your costs, the hidden tests check.")


PROBLEM_SET = ProblemSet(
    NAME,
    (
        Part("q2-results-recorded", 1, "final_results", results_recorded),
        Part("q2-improvement-points", 2, "improvement_pts", improvement_points),
        Part("q4-cost-three-years", 1, "cost_3_years", cost_three_years),
    ),
    rubric={"q1": 2, "q2": 1, "q3": 4, "q5": 3},
)
