"""The text rules of designkit.framing.rules: each with a real (case) example, a precise one and nonsense.

Examples from Project Mwana (Zambia), MobileVRS (Uganda) and the REAP anaemia trials; the nonsense is what a
student trying to game the checks would write ("help children do stuff in places").
"""

from __future__ import annotations

import pytest

from designkit.framing import HowMightWe, PointOfView, rules
from designkit.framing.rules import (
    RULES,
    content_words,
    feeling_need,
    filler_insight,
    filler_words,
    has_number,
    is_statement,
    language_of,
    names_product,
    stem,
    vague_outcome,
    vague_user,
    variant,
)

NONSENSE_HMW = "How might we help children do stuff in places?"
PRECISE_HMW = "How might we help mothers learn their baby's HIV result in their first 28 days in rural Malawi?"


def codes(model, **kw) -> list[str]:
    return [f.code for f in model.validate(**kw)]


# ---- one function per rule, and the language seam ----

def test_every_rule_is_registered_once_and_public():
    for name, func in RULES.items():
        assert getattr(rules, name) is func, name
        assert not name.startswith("_") and callable(func.english)
    for name in ("filler_words", "vague_user", "vague_outcome", "feeling_need", "filler_insight", "names_product",
                 "content_words", "is_statement", "stem", "missing_solution", "has_number", "user_group"):
        assert name in RULES


def test_a_language_variant_sits_behind_one_rule():
    assert language_of("How might we help?") == "en" and language_of("我们如何帮助农村母亲？") == "zh"
    assert filler_words("东西") == ["东西"]  # the Chinese variant (rules_zh.py) runs for a Chinese text
    shipped = rules._VARIANTS[("filler_words", "zh")]

    @variant("filler_words", "zh")
    def _zh(text: str) -> list[str]:
        return ["replaced"]

    try:
        assert filler_words("帮助孩子做东西") == ["replaced"]
        assert filler_words("help children do stuff") == ["stuff"]  # English text still takes the English rule
    finally:
        rules._VARIANTS[("filler_words", "zh")] = shipped
    assert filler_words("帮助孩子做东西") == ["东西"]
    with pytest.raises(KeyError, match="no rule called 'nonsense'"):
        variant("nonsense", "zh")


# ---- filler and vagueness ----

@pytest.mark.parametrize("text, expected", [
    (NONSENSE_HMW, ["stuff", "places"]),
    ("various things happen in general", ["various things", "in general"]),
    ("We should improve things somehow", ["improve things somehow"]),  # adjacent fillers as one
    ("results take weeks to reach the clinic", []),
    ("mothers in rural Monze travel to the clinic", []),
    ("she cannot do anything until the result arrives: it is the first thing she asks", []),
])
def test_filler_words(text, expected):
    assert filler_words(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("people", "people"), ("everyone", "everyone"), ("children", "children"),
    ("a mother in a village", "mother"), ("Mothers", "Mothers"),
    # narrowed by a place, an age, a condition, a life stage or a situation
    ("a mother in rural Monze", None), ("girls aged 10-14", None), ("mothers of HIV-exposed infants", None),
    ("a mother whose baby was tested at six weeks", None), ("parents of newborns", None),
    ("a grandmother caring for three grandchildren", None),
    # specific roles are never 'anyone'
    ("community health workers", None), ("sub-county registrars", None), ("Rural pupils", None),
])
def test_vague_user(text, expected):
    assert vague_user(text) == expected


@pytest.mark.parametrize("text, expected", [
    (NONSENSE_HMW, "help"),
    ("How might we support children better?", "support"),
    ("How might we help girls?", "help"),
    ("How might we help mothers learn their baby's result?", None),
    ("How might we help clinic staff in Monze reach mothers who have never used a phone?", None),
    ("How might we reduce child deaths?", None),
])
def test_vague_outcome(text, expected):
    assert vague_outcome(text) == expected


@pytest.mark.parametrize("need, feeling", [
    ("to be happy", True), ("to feel better", True), ("to have a good life", True), ("to be healthy and safe", True),
    ("to learn her baby's result while treatment can still help", False),
    ("to feel safe walking to school at night", False),
    ("to keep a small baby warm without electricity", False),
])
def test_feeling_need(need, feeling):
    assert (feeling_need(need) is not None) is feeling


@pytest.mark.parametrize("insight, need, why", [
    ("it is really important for them in general", "", "says nothing concrete"),
    ("life is hard and they deserve better things", "to be happy", "says nothing concrete"),
    ("she wants to know the result of her baby", "to know her baby's result", "restates the need"),
    ("mothers live in Zambia and have babies", "to learn the result", "gives no reason or tension"),
    ("her husband decides when she may go to the clinic", "to learn the result", None),
    ("the result reaches the clinic weeks later and she cannot afford to keep travelling there",
     "to learn her baby's result in time", None),
    ("only 30% of the mothers in Macha had ever used a mobile phone", "to learn the result", None),
])
def test_filler_insight(insight, need, why):
    assert filler_insight(insight, need) == why


# ---- precision is not narrowness ----

@pytest.mark.parametrize("text, products", [
    ("How might we send mothers an SMS reminder?", ["SMS", "reminder"]),
    ("How might we build an app for mothers?", ["app"]),
    (PRECISE_HMW, []),
    ("How might we help girls aged 10-14 in Gansu stay in school after the age of 12?", []),
])
def test_names_product_is_the_only_narrowness(text, products):
    assert names_product(text) == products


def test_precise_questions_are_not_too_narrow_and_nonsense_is_not_well_framed():
    assert has_number(PRECISE_HMW)
    assert codes(HowMightWe(PRECISE_HMW)) == ["well-framed"]
    assert codes(HowMightWe("How might we reduce deaths of HIV-exposed infants in Monze before their 1st birthday?")) \
        == ["well-framed"]
    nonsense = codes(HowMightWe(NONSENSE_HMW))
    assert "well-framed" not in nonsense and "vague-wording" in nonsense and "too-broad" in nonsense
    assert not HowMightWe(NONSENSE_HMW).ok
    assert "too-narrow" in codes(HowMightWe("How might we help mothers get results with an SMS reminder?"))


def test_too_broad_names_the_reason():
    found = {f.code: f.message for f in HowMightWe("How might we help children learn to read?").validate()}
    assert "'children' could be anyone, anywhere" in found["too-broad"]
    assert "'help' says that something should happen" in \
        {f.code: f.message for f in HowMightWe("How might we help girls in Gansu?").validate()}["too-broad"]


# ---- points of view that say nothing get problems, not strengths ----

def test_nonsense_point_of_view_gets_problems_not_strengths():
    pov = PointOfView("a mother in a village", "to be happy", "it is really important for them in general")
    found = pov.validate()
    assert [f.code for f in found] == ["need-is-feeling", "vague-wording", "user-too-vague", "insight-filler"]
    assert not pov.ok and not any(f.level == "strength" for f in found)
    messages = {f.code: f.message for f in found}
    assert "'mother'" in messages["user-too-vague"] and "a feeling" in messages["need-is-feeling"]
    restated = PointOfView("a mother in rural Monze whose baby was tested for HIV", "to know her baby's result",
                           "she wants to know the result of her baby")
    assert codes(restated) == ["insight-filler"]


def test_real_point_of_view_strength_says_what_a_person_judges():
    pov = PointOfView("a mother in rural Monze whose baby was tested for HIV at six weeks",
                      "to learn her baby's result while treatment can still save the baby",
                      "the result reaches the clinic weeks later and she cannot afford to keep travelling there")
    (strength,) = pov.validate()
    assert strength.code == "pov-well-formed" and "A person will judge" in strength.message


# ---- the building blocks of claims matching ----

@pytest.mark.parametrize("word, expected", [
    ("Results", "result"), ("babies", "baby"), ("clinic's", "clinic"), ("boxes", "box"), ("status", "status"),
    ("class", "class"), ("laboratories", "laboratory"), ("mothers'", "mother"),
])
def test_stem(word, expected):
    assert stem(word) == expected


def test_content_words_drop_stop_and_shared_words():
    assert content_words("Children eat too much fruit") == ["eat", "fruit"]
    assert content_words("The mothers of HIV-exposed infants [@seidenberg2012]") == ["hiv", "exposed", "infant"]
    assert content_words("it is what it is") == []


@pytest.mark.parametrize("text, statement", [
    ("results take weeks to reach the clinic", True),
    ("HIV-positive infants start treatment late", True),
    ("clinics cannot reach many mothers by phone", True),
    ("HIV SMS results clinic courier infant", False),
    ("laboratory courier", False),
])
def test_is_statement(text, statement):
    assert is_statement(text) is statement


# ---- the docstring examples are tests too ----

@pytest.mark.parametrize("module", [
    "designkit.framing", "designkit.framing.rules", "designkit.framing.claims", "designkit.framing._base", "designkit.framing._records",
    "designkit.framing._case", "designkit.framing.how_might_we", "designkit.framing.point_of_view",
    "designkit.framing.problem_tree", "designkit.framing.journey", "designkit.framing.stakeholders",
    "designkit.framing.persona", "designkit.framing.priority", "designkit.checks", "designkit.checks.evidence",
    "designkit.checks.models",
])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {module} failed"
    assert result.attempted > 0
