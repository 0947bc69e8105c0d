"""WebPA peer factors on hand-checked examples, the form reader, and what reaches students."""
from __future__ import annotations

import pytest

from designkit.classroom.peer import (
    PeerConfig,
    PeerForm,
    PeerFormError,
    assess_team,
    parse_form,
    webpa_scores,
)


def test_webpa_worked_example_with_a_missing_rater():
    # WebPA's worked example [@webpa_worked_example]: five members, Elaine did not rate.
    # Alice gave 4,4,3,2,1 (total 14); Bob 3,5,3,2,0 (13); Claire 4 each (20); David 3,5,4,3,1 (16).
    names = ["alice", "bob", "claire", "david", "elaine"]
    given = {"alice": [4, 4, 3, 2, 1], "bob": [3, 5, 3, 2, 0], "claire": [4, 4, 4, 4, 4], "david": [3, 5, 4, 3, 1]}
    ratings = {r: dict(zip(names, marks, strict=True)) for r, marks in given.items()}
    scores = webpa_scores(ratings, names)
    # by hand: alice received 4/14 + 3/13 + 4/20 + 3/16 = 0.90398; x 5/4 (four of five rated) = 1.12997
    assert scores["alice"] == pytest.approx((4 / 14 + 3 / 13 + 4 / 20 + 3 / 16) * 5 / 4)
    assert scores["alice"] == pytest.approx(1.12997, abs=1e-5)
    # elaine received 1/14 + 0/13 + 4/20 + 1/16 = 0.33393; x 5/4 = 0.41741
    assert scores["elaine"] == pytest.approx(0.41741, abs=1e-5)
    # the shares add up to the number of raters before the correction, to the team size after it
    assert sum(scores.values()) == pytest.approx(5)


def test_even_team_scores_one_and_a_zero_rater_counts_as_missing():
    assert webpa_scores({"a": {"a": 3, "b": 3}, "b": {"a": 5, "b": 5}}, ["a", "b"]) == {"a": 1.0, "b": 1.0}
    assert webpa_scores({"a": {"a": 0, "b": 0}}, ["a", "b"]) == {"a": 1.0, "b": 1.0}


def test_factor_weight_cap_and_maximum():
    cfg = PeerConfig(weight=0.5, cap=0.3)
    assert cfg.factor(1.0) == 1.0
    assert cfg.factor(2.0) == pytest.approx(1.15)   # score limited to 1.3; 0.5 + 0.5 * 1.3
    assert cfg.factor(0.2) == pytest.approx(0.85)   # score limited to 0.7; 0.5 + 0.5 * 0.7
    assert cfg.individual(90, 100, 2.0) == 100      # never above the maximum
    assert PeerConfig(weight=0.0).individual(40, 100, 0.1) == 40  # weight 0: peer assessment ignored
    with pytest.raises(Exception, match="between 0 and 1"):
        PeerConfig(weight=1.5)


def test_free_rider_gets_a_lower_factor_and_flags():
    members = ["s1", "s2", "s3"]
    full = {c: 5 for c in ("contribution", "reliability")}
    low = {c: 1 for c in ("contribution", "reliability")}
    forms = {
        "s1": PeerForm("s1", {"s1": full, "s2": full, "s3": low}, "s3 never came to the visits"),
        "s2": PeerForm("s2", {"s1": full, "s2": full, "s3": low, "s9": full}),
    }
    tp = assess_team("red", members, forms, PeerConfig(weight=1.0, cap=0.5))
    # by hand: each rater gives 10, 10, 2 of 22; s3 received 2/22 + 2/22 = 0.1818; x 3/2 = 0.2727
    assert tp.scores["s3"] == pytest.approx(0.272727, abs=1e-6)
    assert tp.factors["s3"] == pytest.approx(0.5)  # limited by the cap
    assert tp.scores["s1"] == pytest.approx(1.363636, abs=1e-6)
    assert tp.missing_raters == ["s3"]
    assert any("outside the team" in f for f in tp.flags)
    assert any("limited" in f and "s3" in f for f in tp.flags)
    assert tp.comments == {"s1": "s3 never came to the visits"}


def test_self_inflation_is_flagged():
    forms = {"a": PeerForm("a", {"a": {"contribution": 5}, "b": {"contribution": 0}, "c": {"contribution": 0}})}
    tp = assess_team("t", ["a", "b", "c"], forms, PeerConfig())
    assert any("gave themselves" in f for f in tp.flags)


@pytest.mark.parametrize("source, message", [
    ("ratings = [1, 2]", "no `ratings"),
    ("ratings = {'s2': {'kindness': 3}}", "unknown criterion"),
    ("ratings = {'s2': {'contribution': 9}}", "not a whole mark"),
    ("ratings = {'s2': {'contribution': open('x')}}", "plain values"),
    ("ratings = {", "not valid Python"),
])
def test_bad_forms_name_the_file(source, message):
    with pytest.raises(PeerFormError, match=message) as info:
        parse_form(source, "s1", "submitted/s1/capstone-peer/capstone-peer.ipynb")
    assert "submitted/s1/capstone-peer" in str(info.value)


def test_released_form_reads_and_its_placeholders_are_left_out():
    from pathlib import Path

    from designkit.classroom.peer import read_form

    released = Path(__file__).resolve().parents[1] / "assignments" / "capstone-peer" / "capstone-peer.ipynb"
    form = read_form(released, "s1")
    assert "your-own-id" in form.ratings and form.comment == ""
    tp = assess_team("red", ["s1", "s2"], {"s1": form}, PeerConfig())
    assert any("outside the team" in f for f in tp.flags)  # placeholders are nobody's teammates
    assert tp.scores == {"s1": 1.0, "s2": 1.0}  # nothing usable: team mark unchanged


def test_form_widget_keeps_its_plain_value_and_code_in_step():
    """Sliders and comment <-> ``.ratings``/``.comment`` <-> the form cell's code, which the pipeline's own
    reader turns back into the same ratings; the criteria and the roster format are the pipeline's."""
    from designkit.classroom import peer
    from designkit.widgets import peer_form
    from designkit.widgets.peer_form import PeerRatingForm

    assert (peer_form.CRITERIA, peer_form.SCALE) == (peer.CRITERIA, peer.SCALE)
    assert (peer_form.ROSTER_AFTER, peer_form.ROSTER_ID) == (peer.ROSTER_AFTER, peer.ROSTER_ID)
    assert peer_form.read_roster(f"<html><body>{peer.roster_element(['s1', 's2'])}</body></html>") == ["s1", "s2"]

    form = PeerRatingForm(["s2", "s1", "s3"], me="s1")
    assert form.members == ["s1", "s2", "s3"]
    assert all(m == {c: 3 for c in peer.CRITERIA} for m in form.ratings.values())
    form.set_mark("s3", "contribution", 0)
    form.comment = 's3 "never" came'
    assert form.ratings["s3"]["contribution"] == 0
    assert form.code_view.value == form.to_code()  # the code box follows every change
    parsed = peer.parse_form(form.code_view.value, "s1", "form")
    assert parsed.ratings == form.ratings and parsed.comment == 's3 "never" came'
    # each slider is named by its label (member and criterion), tied to the control
    labels = [s.description for row in form.rows.children for s in row.children[1:]]
    assert "s3: respect-for-children" in labels and len(labels) == 12

    form.ratings = parsed.ratings  # plain value -> widget
    assert form.ratings == parsed.ratings
    with pytest.raises(ValueError, match="whole mark from 0 to 5"):
        form.ratings = {"s1": {"contribution": 7}}
    assert form.ratings == parsed.ratings  # nothing lost

    typed = PeerRatingForm.for_student("/nonexistent/capstone-peer", me="s7")  # no feedback fetched
    assert typed.members == [] and "No team list yet" in typed.note.value
    typed.ids.value = "s8, s7"  # the student types the ids: one row each, the student first
    assert typed.members == ["s7", "s8"] and '"s8": {' in typed.code_view.value


def test_a_broken_roster_is_named_and_the_form_falls_back_to_typed_ids(tmp_path):
    from designkit.widgets.peer_form import PeerRatingForm

    page = tmp_path / "capstone-m3-pitch" / "feedback" / "t1" / "capstone-m3-pitch.html"
    page.parent.mkdir(parents=True)
    page.write_text('<script type="application/json" id="designkit-team-roster">{"members": []}</script>')
    form = PeerRatingForm.for_student(tmp_path / "capstone-peer", me="s1")
    assert form.members == [] and "capstone-m3-pitch.html" in form.note.value and "no member ids" in form.note.value


def test_a_chinese_m3_feedback_and_a_chinese_peer_form_count_too(tmp_path):
    """M3 and the peer form exist in both languages (``<set>-zh``): the roster is found in either M3's feedback
    (the newest wins), and a member's form is read from either folder (the later submission counts)."""
    import json

    from designkit.classroom.course import Course
    from designkit.classroom.peer import assess, roster_element
    from designkit.classroom.teams import parse_teams
    from designkit.widgets.peer_form import find_roster

    for m3, stamp, members in (("capstone-m3-pitch", "2026-12-01 10:00:00 UTC", ["old"]),
                               ("capstone-m3-pitch-zh", "2026-12-09 10:00:00 UTC", ["s1", "s2"])):
        page = tmp_path / "home" / m3 / "feedback" / stamp / f"{m3}.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<html><body>{roster_element(members)}</body></html>")
    members, page = find_roster(tmp_path / "home" / "capstone-peer-zh")
    assert members == ["s1", "s2"] and page.name == "capstone-m3-pitch-zh.html"

    course = Course(tmp_path / "course")
    cell = {"cell_type": "code", "id": "peer-ratings", "metadata": {}, "outputs": [], "execution_count": None}
    for student, folder, stamp, ratings in (
            ("s1", "capstone-peer", "2026-12-10 10:00:00.000000 UTC", {"s1": 1, "s2": 5}),
            ("s1", "capstone-peer-zh", "2026-12-11 10:00:00.000000 UTC", {"s1": 3, "s2": 3}),  # later: counts
            ("s2", "capstone-peer-zh", "2026-12-10 10:00:00.000000 UTC", {"s1": 3, "s2": 3})):
        where = course.submitted / student / folder
        where.mkdir(parents=True)
        code = "ratings = " + repr({m: {"contribution": v} for m, v in ratings.items()})
        nb = {"cells": [dict(cell, source=code)], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        (where / f"{folder}.ipynb").write_text(json.dumps(nb))
        (where / "timestamp.txt").write_text(stamp)
    (tp,) = assess(course, parse_teams("team,member\nred,s1\nred,s2\n", "teams.csv"))
    assert tp.scores == {"s1": 1.0, "s2": 1.0} and tp.missing_raters == []
