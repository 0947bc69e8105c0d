"""PriorityMatrix and Idea: ranking with documented tie-breaks, quadrants, feedback, errors.

Ideas from the infant HIV results problem: texting results (Project Mwana, Zambia), drones carrying
samples (Malawi test flights, 2016), reminders through community agents (RemindMi).
"""

from __future__ import annotations

import pytest

from designkit.framing import CODES, FramingError, Idea, PriorityMatrix


def codes(model) -> list[str]:
    found = model.validate()
    for f in found:
        assert f.code in CODES and CODES[f.code][0] == f.level, f
    return [f.code for f in found]


def matrix() -> PriorityMatrix:
    return PriorityMatrix([
        Idea("Drone transport of samples", 4, 2, notes="Malawi test flights, 2016"),
        Idea("Text results from the lab to the clinic", 5, 4),
        Idea("Community agents remind mothers", 3, 4),
        Idea("Paper slips with a return date", 2, 5),
        Idea("New laboratory in every district", 5, 1),
    ])


def test_ranking_by_product_then_impact_then_name():
    ranked = [i.name for i in matrix().ranking()]
    assert ranked == ["Text results from the lab to the clinic", "Community agents remind mothers",
                      "Paper slips with a return date", "Drone transport of samples",
                      "New laboratory in every district"]
    tie = PriorityMatrix([Idea("b", 2, 3), Idea("A", 3, 2), Idea("a2", 3, 2), Idea("c", 6 / 5, 5)])
    assert [i.name for i in tie.ranking()] == ["A", "a2", "b", "c"]  # 6 each: impact 3 first, then A-Z; c has 6.0


def test_quadrants():
    m = matrix()
    assert m.quadrants() == {
        "Drone transport of samples": "big bet",
        "Text results from the lab to the clinic": "quick win",
        "Community agents remind mothers": "easy extra",  # impact 3 is the midpoint: not high
        "Paper slips with a return date": "easy extra",
        "New laboratory in every district": "big bet",
    }
    assert m.quadrant("text results from the lab to the clinic") == "quick win"
    with pytest.raises(FramingError, match="No idea called 'Drones'.*Did you mean"):
        m.quadrant("Drones")


def test_feedback():
    m = matrix()
    assert codes(m) == ["quick-win-found"] and m.ok
    assert "Text results from the lab to the clinic" in m.validate()[0].message
    assert codes(PriorityMatrix([Idea("a", 3, 3), Idea("b", 3, 3)])) == ["too-few-ideas", "all-scored-same"]
    same = PriorityMatrix([Idea("a", 2, 2), Idea("b", 2, 2), Idea("c", 2, 2)])
    assert codes(same) == ["all-scored-same"]
    assert "same scores" in same.validate()[0].message
    dup = PriorityMatrix([Idea("SMS results", 5, 4), Idea("sms  results", 4, 4), Idea("Drones", 4, 2)])
    assert codes(dup) == ["duplicate-idea", "quick-win-found"]


@pytest.mark.parametrize("impact, feasibility, message", [
    (0, 3, "impact of 'Drones' is 0, outside the scale 1 to 5"),
    (3, 6, "feasibility of 'Drones' is 6"),
    ("high", 3, "must be a number"),
])
def test_scores_out_of_range(impact, feasibility, message):
    with pytest.raises(FramingError, match=message):
        PriorityMatrix([Idea("Drones", impact, feasibility)])


def test_numpy_scores_become_plain_numbers():
    np = pytest.importorskip("numpy")
    idea = Idea("Drones", np.int64(4), np.float64(2.5))
    assert type(idea.impact) is int and type(idea.feasibility) is float
    PriorityMatrix([idea]).to_json()


def test_json_round_trip():
    m = matrix()
    text = m.to_json()
    again = PriorityMatrix.from_json(text)
    assert again == m and again.to_json() == text
    ten = PriorityMatrix([Idea("a", 7.5, 9)], scale=(0, 10))
    assert PriorityMatrix.from_json(ten.to_json()) == ten
    with pytest.raises(FramingError, match="newer than this designkit"):
        PriorityMatrix.from_json({"type": "PriorityMatrix", "version": 99, "ideas": []})
