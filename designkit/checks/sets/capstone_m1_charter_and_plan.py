"""Visible checks of capstone-m1-charter-and-plan (source/capstone-m1-charter-and-plan): a team charter, the ethics
timeline and the research plan's ethics steps.

The checks use what the set-up cell defines (``CHARTER_KEYS``, ``ETHICS_KEYS``, ``ETHICS_PROBLEMS``, ``says_who``,
``week``): its helpers count Chinese words too (designkit.checks.text).

>>> [p.id for p in PROBLEM_SET.parts][:2]
['q1-charter-form', 'q2-approval-before-contact']
"""

from __future__ import annotations

from typing import Any

from designkit.i18n import _

from ..parts import Part, ProblemSet

NAME = "capstone-m1-charter-and-plan"


def charter_form(charter: Any, ns: dict[str, Any]) -> str:
    keys = ns["CHARTER_KEYS"]
    assert isinstance(charter, dict), _("charter should be a dict with the keys {keys}, not {kind}.",
                                        keys=keys, kind=type(charter).__name__)
    missing = [k for k in keys if k not in charter]
    assert not missing, _("charter lacks the key(s) {missing}: add them (see the question).", missing=missing)
    brief = charter["brief"]
    assert isinstance(brief, int) and not isinstance(brief, bool) and 1 <= brief <= 5, _(
        'charter["brief"] is {brief!r}: give the brief number, a whole number from 1 to 5 (course/capstone/README.md).',
        brief=brief,
    )
    members = charter["members"]
    assert isinstance(members, list) and all(isinstance(m, str) and m.strip() for m in members), _(
        'charter["members"] should be a list of names (strings).'
    )
    assert 3 <= len(set(members)) == len(members) <= 6, _(
        'charter["members"] lists {n} name(s), {different} different: a team has 3 to 6 members, each named once.',
        n=len(members), different=len(set(members)),
    )
    return _("the keys, the brief and the members are right; whether every member has one role, one of them for "
             "safeguarding, and the agreements are sentences, the hidden tests check. Whether the agreements would "
             "hold is for a person to judge: rubric rows q1-r1 and q1-r2.")


def approval_before_contact(ethics: Any, ns: dict[str, Any]) -> str:
    keys = ns["ETHICS_KEYS"]
    assert isinstance(ethics, dict), _("ethics should be a dict with the keys {keys}.", keys=keys)
    missing = [k for k in keys if k not in ethics]
    assert not missing, _("ethics lacks the key(s) {missing}: add them (see the question).", missing=missing)
    ns["says_who"](ethics["approval_body"], 'ethics["approval_body"]')
    for key in ("application_week", "decision_week", "first_contact_week"):
        ns["week"](ethics[key], f'ethics["{key}"]')
    return _("a named approval body and three weeks of the term; whether they come in the right order (application, "
             "decision, then contact with children), the hidden tests check.")


def trained_before_contact(ethics: Any, ns: dict[str, Any]) -> str:
    keys = ns["ETHICS_KEYS"]
    assert isinstance(ethics, dict) and all(k in ethics for k in keys), _(
        "ethics should be a dict with the keys {keys}: see the question.", keys=keys
    )
    ns["week"](ethics["first_contact_week"], 'ethics["first_contact_week"]')
    meets = ethics["meets_children"]
    assert isinstance(meets, list) and meets and all(isinstance(m, str) and m.strip() for m in meets), _(
        'ethics["meets_children"] should list the members (names) who will meet children.'
    )
    assert isinstance(ethics["training_week"], dict), _('ethics["training_week"] should be a dict: member name -> week.')
    return _("who meets children and the training weeks have their form; whether everyone who meets children is "
             "trained before the first contact, the hidden tests check.")


def plan_ethics(research_plan: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import ResearchPlan

    assert isinstance(research_plan, ResearchPlan), _(
        "research_plan should be a ResearchPlan(...), not {kind}.", kind=type(research_plan).__name__
    )
    assert research_plan.minors, _(
        "research_plan has no group under 18: your capstone plans research with children (and the people around them)."
    )
    problems = {f.code: f.message for f in research_plan.validate()
                if f.level == "problem" and f.code in ns["ETHICS_PROBLEMS"]}
    assert not problems, _("research_plan is not ready for an ethics committee: {problems}", problems=" ".join(
        f"[{code}] {message}" for code, message in problems.items()
    ))
    return _("consent, assent, a safeguarding lead, a referral pathway and methods that suit the groups are there; "
             "whether each is written out as who does what, the hidden tests check. Whether the plan fits your brief "
             "is for a person to judge: rubric rows q3-r1 to q3-r3.")


PROBLEM_SET = ProblemSet(
    NAME,
    (
        Part("q1-charter-form", 1, "charter", charter_form),
        Part("q2-approval-before-contact", 1, "ethics", approval_before_contact),
        Part("q2-trained-before-contact", 1, "ethics", trained_before_contact),
        Part("q3-plan-ethics", 1, "research_plan", plan_ethics),
    ),
    rubric={"q1": 2, "q3": 5, "q4": 2},
)
