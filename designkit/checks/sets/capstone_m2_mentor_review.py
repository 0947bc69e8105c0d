"""Visible checks of capstone-m2-mentor-review (source/capstone-m2-mentor-review): a usability test plan, its
results and the success rates.

The checks use what the set-up cell defines (``PLAN_PROBLEMS``).

>>> PROBLEM_SET.find("q3-success-pct").points
2
"""

from __future__ import annotations

from typing import Any

from designkit.i18n import _

from ..parts import Part, ProblemSet

NAME = "capstone-m2-mentor-review"


def plan_usable(test_plan: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import TestPlan

    assert isinstance(test_plan, TestPlan), _("test_plan should be a TestPlan(...), not {kind}.",
                                              kind=type(test_plan).__name__)
    problems = [f"[{f.code}] {f.message}" for f in test_plan.validate()
                if f.level == "problem" and f.code in ns["PLAN_PROBLEMS"]]
    assert not problems, _("test_plan is not ready to run: {problems}", problems=" ".join(problems))
    return _("the plan has a prototype, tasks with criteria and sessions with ages that suit its methods; whether it "
             "has 2+ tasks, 2+ sessions and criteria you can observe, the hidden tests check. Whether it tests what "
             "matters is for a person to judge: rubric row q3-r1.")


def results_recorded(test_results: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import TestResults

    assert isinstance(test_results, TestResults), _(
        "test_results should be a TestResults(test_plan, versions, results): replace the placeholder."
    )
    codes = {f.code for f in test_results.validate()}
    assert "no-versions" not in codes and "no-results" not in codes, _(
        "test_results has no versions or no results: record one Result(participant, version, task, success) per attempt."
    )
    return _("there are versions and results; whether each version was tried by 2+ participants on every task, the "
             "hidden tests check.")


def success_pct(value: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import TestResults

    test_results = ns.get("test_results")
    assert isinstance(test_results, TestResults), _("test_results is needed first: see the question.")
    assert isinstance(value, dict), _(
        "success_pct should be a dict: version -> percentage of all attempts that succeeded (0-100)."
    )
    expected = {v for v, r in test_results.overall_rates().items() if r is not None}
    assert set(value) == expected, _(
        "success_pct has the versions {got}; your results have {expected}: give one percentage per version.",
        got=sorted(value), expected=sorted(expected),
    )
    return _("one percentage per version of your results; whether each matches your results, the hidden tests check.")


PROBLEM_SET = ProblemSet(
    NAME,
    (
        Part("q3-plan-usable", 1, "test_plan", plan_usable),
        Part("q3-results-recorded", 1, "test_results", results_recorded),
        Part("q3-success-pct", 2, "success_pct", success_pct),
    ),
    rubric={"q1": 3, "q2": 3, "q3": 2, "q4": 2},
)
