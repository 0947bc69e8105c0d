"""Persona and JourneyMap (with Stage): quotes and sources, children's ages, emotions, the low point.

The journey follows a caregiver waiting for her baby's HIV result before Project Mwana's texted results
(mean 66.8 days to notify the caregiver on paper; Seidenberg et al. 2012). The persona is a composite,
so its quote is marked illustrative.
"""

from __future__ import annotations

import pytest

from designkit.framing import CODES, FramingError, JourneyMap, Persona, Stage


def codes(model) -> list[str]:
    found = model.validate()
    for f in found:
        assert f.code in CODES and CODES[f.code][0] == f.level, f
    return [f.code for f in found]


def chipo(**changes) -> Persona:
    fields = dict(name="Chipo (composite persona)",
                  context="a mother of a 6-week-old HIV-exposed baby in rural Mazabuka, two hours' walk from the clinic",
                  goals=["know her baby's test result in time to start treatment"],
                  frustrations=["travelling to the clinic and hearing that the result has not come back"],
                  quote="Every trip to the clinic costs me a day of work.", illustrative=True)
    fields.update(changes)
    return Persona(**fields)


def test_persona_with_illustrative_quote_is_ok():
    p = chipo()
    assert codes(p) == ["quote-marked-illustrative"] and p.ok


def test_quote_needs_a_source_or_the_illustrative_mark():
    p = chipo(illustrative=False)
    found = {f.code: f for f in p.validate()}
    assert list(found) == ["quote-without-source"] and not p.ok
    assert "quote_source" in found["quote-without-source"].message and "illustrative=True" in found["quote-without-source"].message
    sourced = chipo(illustrative=False, quote_source="interview notes, Mazabuka clinic visit 3")
    assert codes(sourced) == ["quote-sourced"]
    assert codes(chipo(quote="")) == []


def test_goals_frustrations_name_and_context_are_required():
    assert codes(chipo(goals=[], frustrations=[" "])) == ["no-goals", "no-frustrations", "quote-marked-illustrative"]
    assert codes(chipo(name="", context="", quote="")) == ["missing-name", "missing-context"]


def test_a_child_persona_should_state_an_age():
    pupil = chipo(name="Li (composite persona)", context="a fourth-grader at a rural school in Shaanxi who often "
                  "feels tired in class", quote="")
    found = {f.code: f for f in pupil.validate()}
    assert list(found) == ["child-without-age"] and found["child-without-age"].level == "suggestion"
    assert "age" in found["child-without-age"].message
    aged = chipo(name="Li", context="a 10-year-old fourth-grader at a rural school in Shaanxi", quote="")
    assert codes(aged) == []
    assert codes(chipo(name="Nakato", context="a girl aged 15 who campaigns for birth registration", quote="")) == []


def test_persona_types_and_single_text_lists():
    assert chipo(goals="know the result").goals == ["know the result"]
    with pytest.raises(FramingError, match=r"Persona goals\[1\] must be text"):
        chipo(goals=["a", 2])
    with pytest.raises(FramingError, match="illustrative must be True or False"):
        chipo(illustrative="yes")


def journey() -> JourneyMap:
    return JourneyMap("Chipo", [
        Stage("Baby tested at the clinic", ["brings the baby for a dried blood spot test"], ["nurse"], [], 0),
        Stage("Waiting for the result", ["walks back to the clinic to ask"], ["clinic"],
              ["weeks with no news", "a lost day of work for each trip"], -2),
        Stage("Result arrives", ["hears the result from a community agent"], ["community agent"],
              ["worry about who else will know"], -1),
        Stage("Treatment starts", ["collects medicine"], ["clinic", "pharmacy"], [], 1),
    ])


def test_journey_lowest_point_and_curve():
    j = journey()
    assert codes(j) == ["lowest-point-identified"] and j.ok
    assert j.lowest_stage().name == "Waiting for the result"
    assert j.emotion_curve() == [("Baby tested at the clinic", 0), ("Waiting for the result", -2),
                                 ("Result arrives", -1), ("Treatment starts", 1)]
    message = j.validate()[0].message
    assert "Waiting for the result" in message and "-2" in message


def test_journey_problems():
    j = journey()
    j.stages[1].pain_points = []
    j.stages.append(Stage("treatment starts", [], [], [], 2))
    found = codes(j)
    assert found == ["missing-pain-points", "duplicate-stage", "stage-without-actions"]
    short = JourneyMap("", [Stage("Waiting", ["waits"], [], ["no news"], 1)])
    assert codes(short) == ["missing-persona", "too-few-stages", "no-low-point"]
    assert JourneyMap("Chipo").lowest_stage() is None


@pytest.mark.parametrize("emotion", [7, -3, 1.5, "-1", True, None])
def test_emotion_outside_minus_two_to_plus_two_names_the_stage(emotion):
    with pytest.raises(FramingError, match=r"emotion of stage 'Waiting for the result'.*from -2 .* to \+2"):
        Stage("Waiting for the result", [], [], [], emotion)


def test_mutated_emotion_is_caught_and_whole_floats_accepted():
    assert Stage("Waiting", emotion=-2.0).emotion == -2 and isinstance(Stage("Waiting", emotion=-2.0).emotion, int)
    j = journey()
    j.stages[0].emotion = 7
    with pytest.raises(FramingError, match="Baby tested at the clinic"):
        j.validate()
    with pytest.raises(FramingError, match=r"stages\[0\] must be a Stage"):
        JourneyMap("Chipo", [{"name": "Waiting"}])


def test_json_round_trips_with_a_name_or_a_persona():
    for model in (chipo(), chipo(illustrative=False, quote_source="interview 3"), journey(),
                  JourneyMap(chipo(), journey().stages)):
        text = model.to_json()
        again = type(model).from_json(text)
        assert again == model and again.to_json() == text
    assert JourneyMap(chipo(), []).persona_name == "Chipo (composite persona)"
    with pytest.raises(FramingError, match=r"emotion of stage 'x'"):
        JourneyMap.from_json({"persona": "a", "stages": [{"name": "x", "emotion": 9}]})
    with pytest.raises(FramingError, match=r"stages\[0\] is missing the field\(s\) emotion"):
        JourneyMap.from_json({"persona": "a", "stages": [{"name": "x"}]})
