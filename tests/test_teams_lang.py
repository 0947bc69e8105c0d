"""The team capstone is language-blind: a milestone is a set (``<set>`` and ``<set>-zh``), a team whose members
submit in English and Chinese has one submission that counts (the latest, in either language), different work is
flagged, the team's result reaches every member under the assignment the team submitted, and grades.csv has one
mark per member -- on real nbgrader (generate, autograde, Gradebook) in a temporary course."""
from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from designkit.classroom.course import Course, in_lang
from designkit.classroom.teams import prepare, propagate, read_teams, resolve, rule, team_sets

REPO = Path(__file__).resolve().parents[1]
TEAM_SET = "capstone-m9-tiny"
TEAM_ZH = in_lang(TEAM_SET, "zh-CN")
os.environ.setdefault("MPLBACKEND", "Agg")


def _tiny_source(root: Path, name: str, lang: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["designkit"] = {"lang": lang}
    text = nbformat.v4.new_markdown_cell("答案是多少？" if lang == "zh-CN" else "What is the answer?", id="q1-text")
    answer = nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION", id="q1-answer")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "task": False,
                                   "grade_id": "q1-answer", "schema_version": 3}
    test = nbformat.v4.new_code_cell('"""The answer is 42."""\nassert answer == 42', id="q1-test")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "task": False,
                                 "grade_id": "q1-test", "points": 2, "schema_version": 3}
    nb.cells = [text, answer, test]
    folder = root / "source" / name
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{name}.ipynb")


def _submit(course: Course, student: str, assignment: str, value: int, stamp: str) -> None:
    folder = course.submitted / student / assignment
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    nb = nbformat.read(course.release / assignment / f"{assignment}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1-answer")
    cell.source = f"answer = {value}"
    nbformat.write(nb, folder / f"{assignment}.ipynb")
    (folder / "timestamp.txt").write_text(stamp)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from designkit.classroom.assignments import generate

    root = tmp_path_factory.mktemp("teams-lang")
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "source").mkdir()
    for header in ("header.ipynb", "header-zh.ipynb"):
        shutil.copy(REPO / "source" / header, root / "source" / header)
    _tiny_source(root, TEAM_SET, "en")
    _tiny_source(root, TEAM_ZH, "zh-CN")
    course = Course.find(root)
    generate(course, [TEAM_SET, TEAM_ZH], progress=False)
    # red: s1 in English (42), s2 later in Chinese (41): s2's counts, different work. blue: s3 in English (42),
    # s4 earlier in Chinese with the same answer: s3's counts, nothing differs.
    _submit(course, "s1", TEAM_SET, 42, "2026-11-01 10:00:00.000000 UTC")
    _submit(course, "s2", TEAM_ZH, 41, "2026-11-01 12:00:00.000000 UTC")
    _submit(course, "s3", TEAM_SET, 42, "2026-11-01 09:00:00.000000 UTC")
    _submit(course, "s4", TEAM_ZH, 42, "2026-11-01 08:00:00.000000 UTC")
    (root / "teams.csv").write_text("team,member\nred,s1\nred,s2\nblue,s3\nblue,s4\n")
    return course


def test_one_milestone_whatever_the_language_the_latest_counts_and_different_work_is_flagged(course):
    assert team_sets(course) == [TEAM_SET]
    teams = read_teams(course)
    for name in (TEAM_SET, TEAM_ZH):  # either name is the same milestone
        by_team = {ts.team: ts for ts in resolve(course, teams, name)}
        assert {ts.assignment for ts in by_team.values()} == {TEAM_SET}
        red, blue = by_team["red"], by_team["blue"]
        assert (red.counting.member, red.counting.assignment) == ("s2", TEAM_ZH) and red.differing
        assert [(c.member, c.assignment) for c in red.others] == [("s1", TEAM_SET)]
        assert "s1 (en)" in red.flags()[0] and "s2's (zh-CN, the latest) counts" in red.flags()[0]
        assert (blue.counting.member, blue.counting.assignment) == ("s3", TEAM_SET)
        assert not blue.differing and blue.flags() == []  # the same answers in the other language: not different
    assert "either language" in rule()


def test_prepare_grade_propagate_one_mark_per_member(course):
    from designkit.classroom.export import write_grades_csv
    from designkit.classroom.grading import grade

    teams = read_teams(course)
    done = prepare(course, teams, [TEAM_SET, TEAM_ZH])
    assert len(done) == 2  # one per team, not one per team and language
    assert (course.backups / "team-superseded" / TEAM_SET / "s1").is_dir()
    assert (course.backups / "team-superseded" / TEAM_ZH / "s4").is_dir()
    assert sorted(p.parent.name + "/" + p.name for p in course.submitted.glob("*/*")) == [
        f"s2/{TEAM_ZH}", f"s3/{TEAM_SET}"]

    assert grade(course, [TEAM_SET, TEAM_ZH], jobs=1, use_sandbox=False, progress=False, canary=False).graded == 2
    first = propagate(course, teams, [TEAM_SET, TEAM_ZH])
    assert sorted(first.copied) == [(TEAM_SET, "s3", "s4"), (TEAM_ZH, "s2", "s1")]  # in the team's language
    assert (course.autograded / "s1" / TEAM_ZH / f"{TEAM_ZH}.ipynb").is_file()

    rows = {r[0]: r for r in csv.reader(write_grades_csv(course).open(encoding="utf-8"))}
    header = rows["student_id"]
    assert TEAM_SET in header and TEAM_ZH not in header  # one column for the milestone
    col, lang = header.index(TEAM_SET), header.index("lang")
    assert [rows[s][col] for s in ("s1", "s2", "s3", "s4")] == ["0", "0", "2", "2"]
    assert [rows[s][lang] for s in ("s1", "s2", "s3", "s4")] == ["zh-CN", "zh-CN", "en", "en"]


def test_a_later_submission_in_the_other_language_takes_over(course):
    """s1 hands in red's work again, in English and right: it is now the latest of the team, s2's Chinese one is
    set aside, and both members get s1's mark (grades.csv: still one mark each)."""
    from designkit.classroom.export import write_grades_csv
    from designkit.classroom.grading import grade

    teams = read_teams(course)
    _submit(course, "s1", TEAM_SET, 42, "2026-11-02 09:00:00.000000 UTC")
    prepare(course, teams, [TEAM_SET])
    assert not (course.submitted / "s2" / TEAM_ZH).exists()
    assert (course.backups / "team-superseded" / TEAM_ZH / "s2").is_dir()
    red = next(ts for ts in resolve(course, teams, TEAM_SET) if ts.team == "red")
    assert (red.counting.member, red.counting.assignment) == ("s1", TEAM_SET)
    assert grade(course, [TEAM_SET], jobs=1, use_sandbox=False, progress=False, canary=False).graded == 1
    assert (TEAM_SET, "s1", "s2") in propagate(course, teams).copied
    rows = {r[0]: r for r in csv.reader(write_grades_csv(course).open(encoding="utf-8"))}
    col = rows["student_id"].index(TEAM_SET)
    assert rows["s1"][col] == rows["s2"][col] == "2"
