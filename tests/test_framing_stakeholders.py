"""StakeholderMap and Stakeholder: roles, quadrants, children's participation (CRC art. 12), errors.

Example: MobileVRS birth registration in Uganda (URSB, Uganda Telecom, UNICEF; community notifiers).
"""

from __future__ import annotations

import pytest

from designkit.framing import CODES, ROLES, FramingError, Stakeholder, StakeholderMap


def codes(model) -> list[str]:
    found = model.validate()
    for f in found:
        assert f.code in CODES and CODES[f.code][0] == f.level, f
    return [f.code for f in found]


def mobile_vrs() -> StakeholderMap:
    return StakeholderMap([
        Stakeholder("Newborns and children under 5", "rights-holder", 5, 1, notes="CRC arts. 7-8"),
        Stakeholder("Parents of home births", "rights-holder", 4, 2),
        Stakeholder("Uganda Registration Services Bureau (URSB)", "duty-bearer", 4, 5),
        Stakeholder("Uganda Telecom", "implementer", 3, 4),
        Stakeholder("Community notifiers", "implementer", 4, 2),
        Stakeholder("UNICEF Uganda", "funder", 4, 4),
        Stakeholder("Members of Parliament", "influencer", 2, 5),
        Stakeholder("Hospital records staff", "implementer", 3, 3),
    ])


def test_complete_map_with_children_power_gap():
    m = mobile_vrs()
    assert codes(m) == ["children-included", "power-gap-mapped", "children-participation"]
    assert m.ok
    suggestion = m.validate()[2]
    assert suggestion.level == "suggestion" and "CRC art. 12" in suggestion.message
    assert "heard" in suggestion.message and suggestion.where == "Newborns and children under 5"


def test_quadrants_with_the_midpoint_counting_as_low():
    m = mobile_vrs()
    assert m.threshold == 3
    assert m.quadrants() == {
        "Newborns and children under 5": "keep informed",
        "Parents of home births": "keep informed",
        "Uganda Registration Services Bureau (URSB)": "manage closely",
        "Uganda Telecom": "keep satisfied",
        "Community notifiers": "keep informed",
        "UNICEF Uganda": "manage closely",
        "Members of Parliament": "keep satisfied",
        "Hospital records staff": "monitor",  # 3, 3: on the midpoint -> low, low
    }
    assert m.quadrant("members of parliament") == "keep satisfied"  # case-insensitive
    with pytest.raises(FramingError, match="Did you mean 'Uganda Telecom'"):
        m.quadrant("Uganda Telcom")


def test_other_scale():
    m = StakeholderMap([Stakeholder("Adolescent girls", "rights-holder", 8, 2),
                        Stakeholder("Ministry of Education", "duty-bearer", 6, 9)], scale=(0, 10))
    assert m.quadrants() == {"Adolescent girls": "keep informed", "Ministry of Education": "manage closely"}
    assert StakeholderMap.from_json(m.to_json()) == m


def test_no_children_is_a_problem_citing_crc_article_12():
    m = mobile_vrs()
    m.stakeholders = m.stakeholders[1:]
    found = {f.code: f for f in m.validate()}
    assert "no-children" in found and not m.ok
    assert "art. 12" in found["no-children"].message and "rights-holder" in found["no-children"].message


def test_children_with_another_role_get_a_hint():
    m = mobile_vrs()
    m.stakeholders[0] = Stakeholder("Pupils", "other", 4, 1)
    message = next(f.message for f in m.validate() if f.code == "no-children")
    assert "Pupils look(s) like children" in message


@pytest.mark.parametrize("name", ["Adolescent girls", "Young people (U-Report)", "HIV-exposed infants", "Boys",
                                  "Newborn babies", "Primary school pupils", "Students", "Youth groups"])
def test_child_words_are_detected(name):
    m = StakeholderMap([Stakeholder(name, "Rights holder", 5, 1), Stakeholder("District office", "duty-bearer", 3, 4)])
    assert "no-children" not in codes(m)


def test_no_duty_bearer_and_duplicates():
    m = StakeholderMap([Stakeholder("Children", "rights-holder", 5, 2), Stakeholder("children ", "rights-holder", 4, 2),
                        Stakeholder("UNICEF", "funder", 4, 4)])
    found = codes(m)
    assert "no-duty-bearer" in found and "duplicate-stakeholder" in found
    dup = next(f for f in m.validate() if f.code == "duplicate-stakeholder")
    assert "twice" in dup.message


def test_roles_are_normalised_and_unknown_roles_rejected_with_the_list():
    assert Stakeholder("x", "Duty bearers", 1, 1).role == "duty-bearer"
    assert Stakeholder("x", "rights_holder", 1, 1).role == "rights-holder"
    with pytest.raises(FramingError, match="Did you mean 'funder'") as err:
        Stakeholder("UNICEF", "funders!", 3, 3)
    with pytest.raises(FramingError) as err:
        Stakeholder("Chief", "boss", 3, 3)
    for role in ROLES:
        assert role in str(err.value)


@pytest.mark.parametrize("interest, influence, message", [
    (3, -1, "influence of 'Chief' is -1, outside the scale 1 to 5"),
    (6, 3, "interest of 'Chief' is 6"),
    ("5", 3, "must be a number, but it is text '5'"),
    (True, 3, "True/False"),
    (float("nan"), 3, "it must be a number"),
])
def test_values_out_of_range_or_of_the_wrong_type(interest, influence, message):
    with pytest.raises(FramingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        StakeholderMap([Stakeholder("Chief", "influencer", interest, influence)])


def test_mutated_values_are_caught_by_validate():
    m = mobile_vrs()
    m.stakeholders[0].influence = 9
    with pytest.raises(FramingError, match="outside the scale"):
        m.validate()


def test_bad_scale_and_items():
    with pytest.raises(FramingError, match="smaller than the second"):
        StakeholderMap([], scale=(5, 1))
    with pytest.raises(FramingError, match=r"stakeholders\[0\] must be a Stakeholder"):
        StakeholderMap([("Children", "rights-holder", 5, 1)])


def test_json_round_trip_and_errors():
    m = mobile_vrs()
    text = m.to_json()
    assert '"type": "StakeholderMap"' in text and '"scale": [' in text
    again = StakeholderMap.from_json(text)
    assert again == m and again.to_json() == text and again.scale == (1, 5)
    with pytest.raises(FramingError, match="unknown field.*'influense' \\(did you mean 'influence'\\?\\)"):
        StakeholderMap.from_json({"stakeholders": [{"name": "a", "role": "other", "interest": 1, "influense": 1}]})
    with pytest.raises(FramingError, match="role 'king'"):
        StakeholderMap.from_json({"stakeholders": [{"name": "a", "role": "king", "interest": 1, "influence": 1}]})
    with pytest.raises(FramingError, match="influence of 'a' is -1"):
        StakeholderMap.from_json({"stakeholders": [{"name": "a", "role": "other", "interest": 1, "influence": -1}]})
