"""designkit.checks.evidence_supports / on_case / not_vague: what grade cells call to grade design thinking.

Each check returns None for the problem sets' model answers and raises AssertionError with a teaching message for
the answers that gamed the old checks: causes about fruit, weather and sport with valid keys, a stakeholder map of
unrelated names, keyword stuffing, and a point of view made of filler.
"""

from __future__ import annotations

import pytest
from test_framing_claims import fruit_tree, mwana_solution_tree

from designkit import checks
from designkit.framing import (
    HowMightWe,
    JourneyMap,
    Node,
    PointOfView,
    ProblemTree,
    Stage,
    Stakeholder,
    StakeholderMap,
)


def fails(check, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as err:
        check(*args, **kwargs)
    return str(err.value)


MWANA_MAP = StakeholderMap([
    Stakeholder("HIV-exposed infants", "rights-holder", 5, 1),
    Stakeholder("Mothers and caregivers", "rights-holder", 5, 2),
    Stakeholder("Ministry of Health", "duty-bearer", 4, 5),
    Stakeholder("Staff at rural clinics", "implementer", 5, 2),
    Stakeholder("Community agents who trace mothers", "implementer", 4, 2),
    Stakeholder("PCR laboratories", "implementer", 3, 4),
    Stakeholder("UNICEF", "funder", 4, 4),
    Stakeholder("ZCAHRD / Boston University researchers", "influencer", 3, 3),
])
UNRELATED_MAP = StakeholderMap([
    Stakeholder("Children", "rights-holder", 5, 1),
    Stakeholder("Football referees", "duty-bearer", 4, 5),
    Stakeholder("Ice cream sellers", "implementer", 5, 2),
    Stakeholder("Pop singers", "influencer", 4, 2),
    Stakeholder("Car dealers", "funder", 3, 4),
    Stakeholder("Weather forecasters", "other", 4, 4),
])
MOBILEVRS_JOURNEY = JourneyMap("Mother of a baby born at home in a rural village (composite)", [
    Stage("Baby born at home", ["gives birth with a relative's help"], ["family"], [], 1),
    Stage("Notifying the birth", ["tells the village notifier"], ["community notifier", "USSD phone menu"],
          ["does not know that a notifier exists"], -1),
    Stage("Waiting for the certificate", ["asks the notifier for news"], ["sub-county office"],
          ["no word on when the certificate is ready",
           "fees and travel to the sub-county cost too much [@unicef_uganda2010_mobilevrs]"], -2),
    Stage("Certificate in hand", ["collects the certificate"], ["sub-county registrar"], [], 2)])
UNRELATED_JOURNEY = JourneyMap("Tom", [
    Stage("Wake up", ["eat breakfast"], ["kitchen"], [], 1),
    Stage("Play football", ["kick the ball"], ["park"], ["it rains [@jlos_mobilevrs]"], -1),
    Stage("Go to sleep", ["brush teeth"], ["bed"], [], 0)])


# ---- evidence_supports ----

def test_model_answers_pass():
    checks.evidence_supports(mwana_solution_tree(), "mwana", name="tree")
    checks.evidence_supports(MOBILEVRS_JOURNEY, "mobilevrs", name="journey")


def test_fruit_weather_sport_with_valid_keys_fails_naming_item_key_and_what_the_source_supports():
    message = fails(checks.evidence_supports, fruit_tree(), "mwana", name="tree")
    assert message.startswith("`tree`: 3 part(s) cite a source that does not say what they say:")
    assert "- the cause 'children eat too much fruit' cites seidenberg2012, which does not say this; " \
           "seidenberg2012 supports: In a before-and-after study" in message
    assert "'the weather is too hot in summer' cites sutcliffe2017" in message
    assert "only 30% of 419 mothers had ever used a mobile phone" in message


def test_keyword_stuffing_fails():
    tree = ProblemTree("delayed HIV test results for infants",
                       [Node("HIV SMS results clinic courier infant", evidence="seidenberg2012")], [])
    assert "reads as a list of keywords" in fails(checks.evidence_supports, tree, "mwana", name="tree")


def test_keys_of_another_case_and_missing_evidence_fail():
    tree = ProblemTree("late results", [Node("results take weeks to reach the clinic", evidence="jlos_mobilevrs")], [])
    message = fails(checks.evidence_supports, tree, "mwana", name="tree")
    assert "cites jlos_mobilevrs, which is not a source of this case" in message and "seidenberg2012" in message
    message = fails(checks.evidence_supports, ProblemTree("late results", ["x"], []), "mwana", name="tree")
    assert message.startswith("`tree` has 0 part(s) citing a source; at least 1 should")
    checks.evidence_supports(ProblemTree("late results", ["x"], []), "mwana", name="tree", min_items=0)


def test_unrelated_journey_fails_and_a_point_of_view_insight_is_checked():
    assert "it rains" in fails(checks.evidence_supports, UNRELATED_JOURNEY, "mobilevrs", name="journey")
    pov = PointOfView("a mother in rural Monze whose baby was tested for HIV", "to learn her baby's result in time",
                      "the clinic is painted blue [@sutcliffe2017]")
    assert "the insight 'the clinic is painted blue" in fails(checks.evidence_supports, pov, "mwana", name="pov")


def test_authoring_errors_and_wrong_objects():
    with pytest.raises(ValueError, match="No claims table for the case 'fruit'"):
        checks.evidence_supports(mwana_solution_tree(), "fruit")
    assert "not a framing model" in fails(checks.evidence_supports, 42, "mwana", name="tree")
    assert "is still `...`" in fails(checks.evidence_supports, ..., "mwana", name="tree")


# ---- on_case ----

def test_on_case_passes_the_model_answers():
    checks.on_case(mwana_solution_tree(), "mwana", name="tree")
    checks.on_case(MWANA_MAP, "mwana", name="mwana_map")
    checks.on_case(MOBILEVRS_JOURNEY, "mobilevrs", name="journey")
    checks.on_case(HowMightWe("How might we help mothers in rural Zambia learn their baby's HIV result while "
                              "treatment can still help?"), "mwana", name="hmw")
    checks.on_case("Results took weeks to reach rural clinics by courier. Mothers could not be reached by phone.",
                   "mwana", name="answer")


def test_on_case_fails_unrelated_artefacts_and_lists_the_parts():
    message = fails(checks.on_case, fruit_tree(), "mwana", name="tree")
    assert message.startswith("`tree` is not about the case (Project Mwana") and "0 of 6 part(s) are" in message
    assert "cause 'children eat too much fruit'" in message
    message = fails(checks.on_case, UNRELATED_MAP, "mwana", name="mwana_map")
    assert "stakeholder 'Football referees'" in message
    assert "0 of 3 part(s)" in fails(checks.on_case, UNRELATED_JOURNEY, "mobilevrs", name="journey")
    assert "0 of 1 part(s)" in fails(checks.on_case, "Children eat too much fruit.", "mwana", name="cause")


def test_on_case_min_share():
    half = StakeholderMap(MWANA_MAP.stakeholders[:3] + UNRELATED_MAP.stakeholders[1:4])
    checks.on_case(half, "mwana", name="m", min_share=0.5)
    assert "3 of 6 part(s) are" in fails(checks.on_case, half, "mwana", name="m")
    with pytest.raises(ValueError, match="min_share"):
        checks.on_case(half, "mwana", min_share=0)
    assert "is empty" in fails(checks.on_case, "  ", "mwana", name="answer")


# ---- not_vague ----

def test_not_vague_on_texts():
    checks.not_vague("How might we help mothers in rural Monze learn their baby's HIV result in time?", name="hmw")
    assert "filler words (stuff, places)" in fails(checks.not_vague, "How might we help children do stuff in places?",
                                                   name="hmw")
    assert "'happy' could mean anything" in fails(checks.not_vague, "to make children happy", name="need")
    checks.not_vague("How might we help anaemic pupils in Gansu grow healthier?", name="hmw")
    checks.not_vague("She cannot do anything until the result arrives.", name="insight")


def test_not_vague_on_models():
    checks.not_vague(PointOfView("a mother in rural Monze whose baby was tested for HIV at six weeks",
                                 "to learn her baby's result while treatment can still save the baby",
                                 "the result reaches the clinic weeks later and she cannot afford the trips"),
                     name="pov")
    message = fails(checks.not_vague, PointOfView("a mother in a village", "to be happy",
                                                  "it is really important for them in general"), name="pov")
    for code in ("need-is-feeling", "vague-wording", "user-too-vague", "insight-filler"):
        assert f"[{code}]" in message
    assert "[too-broad]" in fails(checks.not_vague, HowMightWe("How might we help girls?"), name="hmw")
    tree = ProblemTree("various problems", ["stuff happens", "things are bad", "late results"], ["x", "y"])
    assert "[vague-wording]" in fails(checks.not_vague, tree, name="tree")


def test_texts_lists_and_dicts_of_texts():
    answer = ("Texting cut the wait: results reached the clinic in 26.7 days instead of 44.2 [@seidenberg2012]. "
              "But in Macha only 30% of mothers had ever used a phone [@sutcliffe2017].")
    checks.evidence_supports(answer, "mwana", name="answer")
    checks.on_case(answer, "mwana", name="answer")
    message = fails(checks.evidence_supports, "Children eat too much fruit [@seidenberg2012].", "mwana", name="answer")
    assert "the sentence 'Children eat too much fruit' cites seidenberg2012" in message
    plan = {"Design with people": "Co-design the director's role with caregivers and district welfare officers",
            "Build for sustainability": "Agree with the ministry who pays the directors after the pilot"}
    checks.on_case(plan, "child-welfare-directors", name="plan")
    assert "not about the case" in fails(checks.on_case, ["Buy ice cream", "Paint the town red"],
                                         "child-welfare-directors", name="plan")


def test_model_checks_take_the_case():
    checks.valid_model(mwana_solution_tree(), name="tree", case="mwana")
    message = fails(checks.valid_model, fruit_tree(), name="tree", case="mwana")
    assert "[off-case]" in message and "[evidence-unsupported]" in message
    checks.valid_model(fruit_tree(), name="tree")  # without the case, the form alone passes
    checks.has_feedback(mwana_solution_tree(), "evidence-supported", name="tree", case="mwana")
    assert "still has 'evidence-unsupported'" in fails(checks.no_feedback, fruit_tree(), "evidence-unsupported",
                                                       name="tree", case="mwana")
    with pytest.raises(ValueError, match="case must be one of"):
        checks.valid_model(fruit_tree(), case="fruit")
