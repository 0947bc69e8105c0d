"""Visible checks of ps7-research-and-synthesis (source/ps7-research-and-synthesis): a research plan, a guide,
an affinity map.

The checks use what the set-up cell defines (``check_plan_basics``, ``notes``, ``draft``).

>>> PROBLEM_SET.find("q4-theme-support").points
2
"""

from __future__ import annotations

from typing import Any

from designkit.i18n import _

from .. import no_feedback, valid_model
from ..parts import Part, ProblemSet

NAME = "ps7-research-and-synthesis"


def assent_each_group(plan: Any, ns: dict[str, Any]) -> str:
    ns["check_plan_basics"](plan)
    no_feedback(plan, "no-consent", name="research_plan")
    no_feedback(plan, "minor-without-assent", name="research_plan")
    ns["check_words"](plan.consent, "research_plan.consent", min_words=8)
    ns["check_words"](plan.assent, "research_plan.assent", min_words=8)
    return (_("a consent step and an assent step, each written out; whether the assent names every "
              "group under 18 and gives each its own step, the hidden tests check. Whether they suit "
              "these children is for a person to judge: rubric row q2-r2."))


def safeguarding_lead(plan: Any, ns: dict[str, Any]) -> str:
    ns["check_plan_basics"](plan)
    no_feedback(plan, "no-safeguarding-lead", name="research_plan")
    return _("a safeguarding lead is given; whether it names a role and how to reach them, the "
             "hidden tests check.")


def referral_pathway(plan: Any, ns: dict[str, Any]) -> str:
    ns["check_plan_basics"](plan)
    no_feedback(plan, "no-referral-pathway", name="research_plan")
    return (_("a referral pathway is given; whether it has steps, a service that takes over and a "
              "time, the hidden tests check."))


def methods_suit_ages(plan: Any, ns: dict[str, Any]) -> str:
    from designkit.framing.research_plan import method_age

    ns["check_plan_basics"](plan)
    assert plan.methods, _("research_plan.methods is empty: choose a method for each group "
                           "(Method(name, [groups])).")
    no_feedback(plan, "method-unknown-group", name="research_plan")
    unnamed = [m.name for m in plan.methods if method_age(m.name) is None]
    assert not unnamed, (
        _("{unnamed}: name each method with the course's words (interview, observation, drawing, "
          "role-play, focus group, questionnaire, rating scale), so its fit to the ages can be checked.", unnamed=unnamed)
    )
    return (_("named methods used with groups of the plan; whether each suits its group's ages and "
              "every group under 18 is heard, the hidden tests check. Whether the methods would get at "
              "your questions is for a person to judge: rubric row q2-r1."))


def guide_form(guide: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import InterviewGuide

    assert isinstance(guide, InterviewGuide), _("guide should be an InterviewGuide(...), not {cls}.", cls=type(guide).__name__)
    assert guide.age is not None, _("guide.age is None: state the youngest age you will interview "
                                    "(the wording depends on it).")
    assert guide.age < 18, (
        _("guide.age is {age}: the guide is for the young people of the exam class (11-15); give "
          "the youngest age.", age=guide.age)
    )
    asked = [q for q in guide.questions if q.strip()]
    assert len(asked) >= 5, _("guide has {n_asked} question(s); write at least 5, in the order you "
                              "will ask them.", n_asked=len(asked))
    valid_model(guide, name="guide", kind=InterviewGuide)
    no_feedback(guide, "not-a-question", name="guide")
    return (_("an age under 18 and 5+ questions in words for that age; whether they are open, "
              "specific and about this challenge, the hidden tests check. Whether they would get at "
              "the research question is for a person to judge: rubric rows q3-r1 and q3-r2."))


def theme_support(support: Any, ns: dict[str, Any]) -> str:
    names = [t.name for t in ns["draft"].themes]
    assert isinstance(support, dict), _("support should be a dict {{theme name: number}}, not "
                                        "{cls}.", cls=type(support).__name__)
    assert set(support) == set(names), (
        _("support should have one key per theme of draft, spelt as in draft ({names}); it has "
          "{items}.", names=names, items=sorted(support))
    )
    for name, value in support.items():
        assert isinstance(value, int) and not isinstance(value, bool), (
            _("support[{name!r}] is {value!r}: give a whole number of participants.", name=name, value=value)
        )
    return _("one whole number per theme; the counts, the hidden tests check (small counts have "
             "too few possible answers to check here without giving them away).")


def thin_insights(found: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import Insight

    draft = ns["draft"]
    assert isinstance(found, list | tuple), _("thin_insights should be a list of insight texts, "
                                              "not {cls}.", cls=type(found).__name__)
    texts = [i.text if isinstance(i, Insight) else i for i in found]
    known = [i.text for i in draft.insights]
    themes = [t.name for t in draft.themes]
    wrong = [t for t in texts if t not in known]
    assert not [t for t in wrong if t in themes], (
        _("{value} are theme names: the question asks for the insights (insight.text) that rest on "
          "fewer than two participants.", value=[t for t in wrong if t in themes])
    )
    assert not wrong, _("{wrong} are not texts of the draft's insights: use insight.text.", wrong=wrong)
    return _("texts of the draft's insights; which ones, the hidden tests check (three insights "
             "have too few possible answers to check here without giving them away).")


def insights_grounded(synthesis: Any, ns: dict[str, Any]) -> str:
    from designkit.framing import AffinityMap

    notes = ns["notes"]
    assert isinstance(synthesis, AffinityMap), _("synthesis should be an AffinityMap, not {cls}.", cls=type(synthesis).__name__)
    given = dict(zip(notes["note_id"], notes["text"], strict=True))
    mine = {n.id: n.text for n in synthesis.notes}
    assert mine == given, (
        _("synthesis holds {n_mine} notes that are not the 41 field notes as given: build it with "
          "AffinityMap.from_notes(notes, ...), and group the notes; do not add, drop or retype notes.", n_mine=len(mine))
    )
    assert len(synthesis.themes) >= 4, _("synthesis has {n_themes} theme(s); group the notes into "
                                         "at least 4.", n_themes=len(synthesis.themes))
    assert len(synthesis.insights) >= 2, _("synthesis has {n_insights} insight(s); write at least "
                                           "2.", n_insights=len(synthesis.insights))
    valid_model(synthesis, name="synthesis", kind=AffinityMap)
    return (_("a valid map of the field notes, 4+ themes and 2+ insights, each resting on 2+ "
              "participants; whether half the notes are placed and each insight says something the "
              "notes say, the hidden tests check. Whether the themes are real and the insights worth "
              "building on is for a person to judge: rubric rows q6-r1 to q6-r3."))


PROBLEM_SET = ProblemSet(
    NAME,
    (
        Part("q2-assent-each-group", 1, "research_plan", assent_each_group),
        Part("q2-safeguarding-lead", 1, "research_plan", safeguarding_lead),
        Part("q2-referral-pathway", 1, "research_plan", referral_pathway),
        Part("q2-methods-suit-ages", 1, "research_plan", methods_suit_ages),
        Part("q3-guide-form", 1, "guide", guide_form),
        Part("q4-theme-support", 2, "support", theme_support),
        Part("q5-thin-insights", 1, "thin_insights", thin_insights),
        Part("q6-insights-grounded", 1, "synthesis", insights_grounded),
    ),
    rubric={"q1": 3, "q2": 3, "q3": 2, "q6": 3, "q7": 3},
)
