"""M2 is scored by mentors only: with a mentor course (``capstone.json``), the main course's grader does not score
M2, status and the report say where it is scored, and export takes the mentors' scores to every member.
Real nbgrader on the real M2 set, a small simulated class in teams, its mentor course beside it."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from designkit.classroom.course import Course

REPO = Path(__file__).resolve().parents[1]
M2 = "capstone-m2-mentor-review"
os.environ.setdefault("MPLBACKEND", "Agg")

pytestmark = pytest.mark.skipif(not (REPO / "source" / M2).is_dir(), reason=f"no source/{M2}")


def _manual(course: Course, students: list[str]) -> dict[tuple[str, str], float | None]:
    with course.open_gradebook() as gb:
        return {(s, g.name): g.manual_score for s in students
                for nb in gb.find_submission(M2, s).notebooks for g in nb.grades if g.auto_score is None}


def test_m2_is_scored_by_mentors_only_and_export_takes_their_scores(tmp_path):
    from designkit.classroom import capstone
    from designkit.classroom.export import write_grades_csv
    from designkit.classroom.grading import grade
    from designkit.classroom.manual import grade_written
    from designkit.classroom.report import write_report
    from designkit.classroom.simulate import simulate
    from designkit.classroom.teams import prepare, propagate, read_teams, resolve

    root = tmp_path / "main"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copy(REPO / "source" / "header.ipynb", root / "source")
    shutil.copytree(REPO / "source" / M2, root / "source" / M2)
    course = Course.find(root)
    sim = simulate(course, 4, seed=3, names=[M2], progress=False)
    capstone.form_teams(course, sim.students, seed=3, size=2)
    teams = read_teams(course)
    capstone.simulate_capstone(course, teams, seed=3)
    prepare(course, teams, [M2])
    assert grade(course, [M2], jobs=1, use_sandbox=False, progress=False, canary=False).graded >= 1
    counting = [ts.counting.member for ts in resolve(course, teams, M2) if ts.counting]

    mentors = capstone.init_mentor_course(course, tmp_path / "mentors")
    assert capstone.mentor_sets(course) == [M2]
    # the main course's grader leaves M2 alone and says so
    mine = grade_written(course, [M2])
    assert mine.scored == 0 and mine.for_mentors == [M2]
    assert "not scored here: capstone-m2-mentor-review (scored by mentors in the mentor course)" in mine.lines()
    assert all(v is None for v in _manual(course, counting).values())
    (line,) = capstone.mentor_lines(course)
    assert "scored by mentors in the mentor course" in line and "0 team submission(s) there" in line

    review = capstone.simulate_mentor_review(course, teams, jobs=1, use_sandbox=False)
    assert review.mentors.root == mentors.root and review.scored > 0
    scored_by_mentors = _manual(mentors, counting)
    assert any(v is not None for v in scored_by_mentors.values())
    assert _manual(course, counting) == scored_by_mentors  # imported as the mentors scored them, nothing else
    (line,) = capstone.mentor_lines(course)
    with mentors.open_gradebook() as gb:
        waiting = sum(bool(gb.find_submission(M2, s).needs_manual_grade) for s in counting)
    assert f"{len(counting)} team submission(s) there, {waiting} still waiting for a mentor" in line

    propagate(course, teams, [M2])
    rows = {r[0]: r for r in csv.reader(write_grades_csv(course).open(encoding="utf-8"))}
    col = rows["student_id"].index(M2)
    with mentors.open_gradebook() as gb:
        by_team = {teams.team_of(s): (gb.find_submission(M2, s).needs_manual_grade, gb.find_submission(M2, s).score)
                   for s in counting}
    assert any(not waiting for waiting, _ in by_team.values())  # at least one team's M2 fully scored by a mentor
    for team, (waiting, score) in by_team.items():
        for member in teams.members(team):
            assert rows[member][col] == "awaiting manual grading" if waiting else \
                float(rows[member][col]) == pytest.approx(score), member
    assert "scored by mentors in the mentor course" in write_report(course).read_text(encoding="utf-8")

    done = subprocess.run([sys.executable, "-m", "designkit.classroom", "--course-dir", str(root), "--quiet",
                           "capstone", "status"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{M2}: scored by mentors in the mentor course {mentors.course_id()}" in done.stdout
