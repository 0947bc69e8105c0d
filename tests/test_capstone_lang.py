"""The team capstone in either language, end to end on the real M2 set and its Chinese version: a team working in
Chinese hands M2 in as ``<M2>-zh``, the mentor course reviews it in Chinese, and every member gets the mentors'
mark in the one M2 column of grades.csv (real nbgrader, the simulated class and mentors)."""
from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from designkit.classroom.course import Course, in_lang

REPO = Path(__file__).resolve().parents[1]
M2 = "capstone-m2-mentor-review"
M2_ZH = in_lang(M2, "zh-CN")
os.environ.setdefault("MPLBACKEND", "Agg")

pytestmark = pytest.mark.skipif(not (REPO / "source" / M2_ZH).is_dir(), reason=f"no source/{M2_ZH}")


def test_a_team_in_chinese_is_reviewed_in_chinese_and_every_member_gets_one_m2_mark(tmp_path):
    from designkit.classroom import capstone
    from designkit.classroom.export import write_grades_csv
    from designkit.classroom.grading import grade
    from designkit.classroom.simulate import simulate, student_ids
    from designkit.classroom.teams import prepare, propagate, read_teams, resolve

    root = tmp_path / "main"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root)
    for name in ("header.ipynb", "header-zh.ipynb", M2, M2_ZH):
        (shutil.copytree if (REPO / "source" / name).is_dir() else shutil.copy)(REPO / "source" / name,
                                                                                root / "source" / name)
    course = Course.find(root)
    students = student_ids(4)
    capstone.form_teams(course, students, seed=3, size=2)
    teams = read_teams(course, check=False)
    chinese = list(teams.teams)[0]
    langs = {m: "zh-CN" if teams.team_of(m) == chinese else "en" for m in students}
    simulate(course, 4, seed=3, names=[M2, M2_ZH], progress=False, capstone_langs=langs)
    for m in students:  # the simulated class: every member hands M2 in, in their team's language
        assert (course.submitted / m / in_lang(M2, langs[m])).is_dir() or not any(
            (course.submitted / m).glob("capstone-*")), m
    teams = read_teams(course)
    capstone.simulate_capstone(course, teams, seed=3, langs=langs)
    prepare(course, teams, [M2, M2_ZH])
    by_team = {ts.team: ts for ts in resolve(course, teams, M2)}
    if by_team[chinese].counting is None:
        pytest.skip("the simulated Chinese team handed nothing in with this seed")
    assert by_team[chinese].counting.assignment == M2_ZH
    assert grade(course, [M2, M2_ZH], jobs=1, use_sandbox=False, progress=False, canary=False).graded >= 1

    capstone.init_mentor_course(course, tmp_path / "mentors")
    assert capstone.mentor_sets(course) == [M2, M2_ZH]
    review = capstone.simulate_mentor_review(course, teams, jobs=1, use_sandbox=False)
    counting = by_team[chinese].counting.member
    assert f"team {chinese}: {counting}/{M2_ZH}" in review.synced  # reviewed in the team's language
    assert (review.mentors.submitted / counting / M2_ZH).is_dir()
    assert not (review.mentors.submitted / counting / M2).exists()
    with review.mentors.open_gradebook() as gb:
        mentor_score = gb.find_submission(M2_ZH, counting)
        waiting, score = mentor_score.needs_manual_grade, mentor_score.score

    propagate(course, teams, [M2, M2_ZH])
    rows = {r[0]: r for r in csv.reader(write_grades_csv(course).open(encoding="utf-8"))}
    header = rows["student_id"]
    assert M2 in header and M2_ZH not in header
    col, lang = header.index(M2), header.index("lang")
    for member in teams.members(chinese):
        assert rows[member][lang] == "zh-CN", member
        assert rows[member][col] == "awaiting manual grading" if waiting else \
            float(rows[member][col]) == pytest.approx(score), member
