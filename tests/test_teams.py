"""Teams: teams.csv errors, one submission per team, the team's grade and feedback folders reaching every member,
and idempotence -- on real nbgrader (generate, autograde, Gradebook) in a temporary course."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from designkit.classroom.course import Course
from designkit.classroom.teams import RULE, TeamsError, parse_teams, prepare, propagate, read_teams, resolve

REPO = Path(__file__).resolve().parents[1]
TEAM_SET = "capstone-m9-tiny"
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.mark.parametrize("text, message", [
    ("name,student\nred,s1\n", "row 1: the header"),
    ("team,member\nred,s1\nblue,s1\n", r"row 3: 's1' is already in team 'red' \(row 2\)"),
    ("team,member\nred,\n", "row 2: a row needs a team and a member"),
    ("team,member\n", "no teams"),
])
def test_bad_teams_csv_names_file_and_row(text, message):
    with pytest.raises(TeamsError, match=message) as info:
        parse_teams(text, "/course/teams.csv")
    assert "teams.csv" in str(info.value)


def test_unknown_student_names_the_row():
    teams = parse_teams("team,member\nred,s1\nred,s7\n", "teams.csv")
    with pytest.raises(TeamsError, match=r"row 3: 's7' is not a student"):
        teams.check_students({"s1", "s2"})


def _tiny_source(course_root: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    answer = nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION", id="q1-answer")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "task": False,
                                   "grade_id": "q1-answer", "schema_version": 3}
    test = nbformat.v4.new_code_cell('"""The answer is 42."""\nassert answer == 42', id="q1-test")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "task": False,
                                 "grade_id": "q1-test", "points": 2, "schema_version": 3}
    nb.cells = [answer, test]
    folder = course_root / "source" / TEAM_SET
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{TEAM_SET}.ipynb")


def _submit(course: Course, student: str, value: int, stamp: str) -> None:
    folder = course.submitted / student / TEAM_SET
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(course.release / TEAM_SET / f"{TEAM_SET}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "q1-answer")
    cell.source = f"answer = {value}"
    nbformat.write(nb, folder / f"{TEAM_SET}.ipynb")
    (folder / "timestamp.txt").write_text(stamp)


@pytest.fixture(scope="module")
def team_course(tmp_path_factory):
    from designkit.classroom.assignments import generate

    root = tmp_path_factory.mktemp("teams")
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "source").mkdir()
    shutil.copy(REPO / "source" / "header.ipynb", root / "source" / "header.ipynb")
    _tiny_source(root)
    course = Course.find(root)
    generate(course, [TEAM_SET], progress=False)
    # red: s1 and s2 both submit, different work; s2's is later and counts. blue: s3 submits. green: nobody.
    _submit(course, "s1", 42, "2026-11-01 10:00:00.000000 UTC")
    _submit(course, "s2", 41, "2026-11-01 12:00:00.000000 UTC")
    _submit(course, "s3", 42, "2026-11-01 09:00:00.000000 UTC")
    for s in ("s4", "s5", "s6"):
        (course.submitted / s).mkdir(parents=True)
    (root / "teams.csv").write_text("team,member\nred,s1\nred,s2\nblue,s3\nblue,s4\ngreen,s5\ngreen,s6\n")
    return course


def test_rule_resolves_and_flags(team_course):
    teams = read_teams(team_course)
    by_team = {ts.team: ts for ts in resolve(team_course, teams, TEAM_SET)}
    assert by_team["red"].counting.member == "s2" and by_team["red"].differing
    assert by_team["blue"].counting.member == "s3" and not by_team["blue"].differing
    assert by_team["green"].counting is None
    assert "teams.csv rows 6, 7" in by_team["green"].flags()[0]
    assert "latest" in RULE


def test_grade_once_and_propagate(team_course):
    from designkit.classroom.export import write_grades_csv
    from designkit.classroom.grading import grade

    course = team_course
    teams = read_teams(course)
    prepare(course, teams, [TEAM_SET])
    # s1's different work is kept, out of submitted/: the team is graded once
    kept = course.backups / "team-superseded" / TEAM_SET / "s1" / f"{TEAM_SET}.ipynb"
    assert kept.is_file() and "answer = 42" in kept.read_text()
    assert not (course.submitted / "s1" / TEAM_SET).exists()
    assert prepare(course, teams, [TEAM_SET])  # idempotent: nothing else moves
    assert kept.is_file() and (course.submitted / "s2" / TEAM_SET).is_dir()

    summary = grade(course, [TEAM_SET], jobs=1, use_sandbox=False, progress=False, canary=False)
    assert summary.graded == 2  # s2 for red, s3 for blue
    first = propagate(course, teams, [TEAM_SET])
    assert sorted(first.copied) == [(TEAM_SET, "s2", "s1"), (TEAM_SET, "s3", "s4")]
    assert any("no member submitted" in f for f in first.flags)
    again = propagate(course, teams, [TEAM_SET])  # idempotent
    assert sorted(again.copied) == sorted(first.copied)

    with course.open_gradebook() as gb:
        scores = {s: gb.find_submission(TEAM_SET, s).score for s in ("s1", "s2", "s3", "s4")}
    assert scores == {"s1": 0.0, "s2": 0.0, "s3": 2.0, "s4": 2.0}  # red's counting work (41) is wrong
    assert (course.autograded / "s4" / TEAM_SET / f"{TEAM_SET}.ipynb").is_file()

    rows = {r[0]: r for r in csv.reader(write_grades_csv(course).open())}
    header = rows["student_id"]
    col = header.index(TEAM_SET)
    assert rows["s4"][col] == rows["s3"][col] == "2"
    assert rows["s1"][col] == rows["s2"][col] == "0"
    assert "missing" in rows["s5"][header.index("notes")]
    status = json.loads(course.status_file.read_text())["rows"]
    assert status[f"s4/{TEAM_SET}"]["state"] == "graded"


def _peer_form(course: Course, student: str, ratings: dict, comment: str) -> None:
    folder = course.submitted / student / "capstone-peer"
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(course.release / "capstone-peer" / "capstone-peer.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.id == "peer-ratings")
    cell.source = f"ratings = {ratings!r}\ncomment = {comment!r}"
    nbformat.write(nb, folder / "capstone-peer.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")


def test_peer_factors_in_grades_csv_and_comments_stay_with_instructors(team_course):
    """After test_grade_once_and_propagate: blue's s3 rates s4 low and says why; s4 does not rate."""
    from designkit.classroom.assignments import generate
    from designkit.classroom.export import write_grades_csv
    from designkit.classroom.feedback import feedback
    from designkit.classroom.grading import grade

    course = team_course
    shutil.copytree(REPO / "source" / "capstone-peer", course.source / "capstone-peer")
    generate(course, ["capstone-peer"], progress=False)
    secret = "s4 missed every session (for the instructor only)"
    high, low = dict.fromkeys(("contribution", "reliability"), 5), dict.fromkeys(("contribution", "reliability"), 1)
    _peer_form(course, "s3", {"s3": high, "s4": low}, secret)
    _peer_form(course, "s4", {"s3": high, "s4": high, "s9": high}, "")
    grade(course, ["capstone-peer"], jobs=1, use_sandbox=False, progress=False, canary=False)
    rows = {r[0]: r for r in csv.reader(write_grades_csv(course).open())}
    h = rows["student_id"]
    assert h[-4:] == ["team", "peer_factor", "capstone_team", "capstone_individual"]
    # by hand: s3 shares 10/12 to s3, 2/12 to s4; s4 shares 10/20 each (s9 is outside the team: left out)
    # s3: 10/12 + 1/2 = 1.3333, s4: 2/12 + 1/2 = 0.6667; default weight 0.5, cap 0.3: factors 1.15 and 0.85
    assert rows["s3"][h.index("peer_factor")] == "1.15" and rows["s4"][h.index("peer_factor")] == "0.85"
    assert rows["s4"][h.index("capstone_individual")] == "1.7"  # 2 x 0.85
    assert rows["s3"][h.index("capstone_individual")] == "2"    # 2 x 1.15 = 2.3, never above the maximum 2
    assert rows["s4"][h.index("total")] == "1.7"
    factors = (course.root / "reports" / "peer-factors.csv").read_text()
    assert "outside the team" in factors and secret not in factors
    assert secret in (course.root / "reports" / "peer-comments-INSTRUCTORS-ONLY.csv").read_text()
    assert secret not in (course.root / "grades.csv").read_text()

    feedback(course, ["capstone-peer", TEAM_SET], jobs=1, progress=False)
    released = [p for p in course.feedback.rglob("*.html")]
    assert any("s4" in p.parts for p in released)
    leaks = [p for p in released if secret in p.read_text(encoding="utf-8") and "s3" not in p.parts]
    assert not leaks, f"the comment reached another student: {leaks}"

    from designkit.classroom.report import write_report

    html = write_report(course).read_text(encoding="utf-8")
    assert "Team capstone" in html and "latest submission" in html
    assert "no member submitted" in html and "also submitted different work" in html
    assert "limited" not in html or "s4" in html
    assert secret not in html  # comments stay in the instructors' CSV


def test_each_member_gets_their_own_team_roster_and_the_form_builds_rows_from_it(team_course, tmp_path):
    """After the feedback above: the roster goes into each member's own feedback pages (nbgrader releases only
    those, per student); a member's released files name their own team only -- no other team's ids, and the
    roster itself holds ids only (no marks, no comments) -- and the peer form reads it from the fetched layout."""
    from designkit.classroom.peer import add_rosters
    from designkit.widgets.peer_form import PeerRatingForm, find_roster, read_roster

    course = team_course
    teams = read_teams(course)
    written = add_rosters(course, teams, TEAM_SET)
    assert sorted(Path(w).parts[1] for w in written) == ["s1", "s2", "s3", "s4"]  # green submitted nothing
    assert add_rosters(course, teams, TEAM_SET) == written  # idempotent: the roster is replaced, not added
    secret = "s4 missed every session (for the instructor only)"
    for member in ("s1", "s2", "s3", "s4"):
        own = teams.teammates(member)
        others = [s for s in teams.students if s not in own]
        pages = sorted((course.feedback / member / TEAM_SET).glob("*.html"))
        assert len(pages) == 1
        text = pages[0].read_text(encoding="utf-8")
        assert text.count("designkit-team-roster") == 1
        assert read_roster(text) == own
        roster = text.split('id="designkit-team-roster">')[1].split("</script>")[0]
        assert json.loads(roster) == {"members": own}  # ids only: no team name, marks or comments
        for path in (course.feedback / member).rglob("*"):  # everything nbgrader could release to this member
            if path.is_file():
                content = path.read_text(encoding="utf-8", errors="replace")
                if path.suffix == ".html":  # what a reader sees, and the roster: not the CSS or markup names
                    content = re.sub(r"<style.*?</style>|<(?!script type=\"application/json)[^>]*>", " ", content,
                                     flags=re.S)
                leaked = [o for o in others if re.search(rf"(?<![\w-]){o}(?![\w-])", content)]
                assert not leaked, f"{path} names another team's member: {leaked}"
                assert member == "s3" or secret not in content  # s3 wrote it: only s3 sees it
    # what nbgrader's fetch_feedback writes on s4's side: <assignment>/feedback/<timestamp>/<notebook>.html,
    # beside the peer form's folder
    page = next((course.feedback / "s4" / TEAM_SET).glob("*.html"))
    fetched = tmp_path / "capstone-m3-pitch" / "feedback" / "2026-12-10 10:00:00.000000 UTC"
    fetched.mkdir(parents=True)
    shutil.copy(page, fetched / "capstone-m3-pitch.html")
    (tmp_path / "capstone-peer").mkdir()
    assert find_roster(tmp_path / "capstone-peer")[0] == ["s3", "s4"]
    form = PeerRatingForm.for_student(tmp_path / "capstone-peer", me="s4")
    assert form.members == ["s4", "s3"] and "Milestone 3 feedback" in form.note.value
    assert set(form.ratings) == {"s3", "s4"}


def test_cli_status_prints_the_rule_and_bad_teams_csv_is_one_line(team_course, tmp_path):
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, "-m", "designkit.classroom", "--course-dir", str(team_course.root),
                               "--quiet", "capstone", *args], capture_output=True, text=True, timeout=300)

    done = run("status")
    assert done.returncode == 0, done.stderr
    assert "latest submission" in done.stdout and "no member submitted" in done.stdout
    teams_csv = team_course.root / "teams.csv"
    good = teams_csv.read_text()
    try:
        teams_csv.write_text(good + "blue,s1\n")
        bad = run("status")
        assert bad.returncode == 2 and "teams.csv row 8: 's1' is already in team 'red'" in bad.stderr
        assert "Traceback" not in bad.stderr
    finally:
        teams_csv.write_text(good)


def test_mentor_course_grades_once_and_export_merges(team_course, tmp_path):
    """The mentor course: its own nbgrader course with only the mentor milestone; a mentor's score there
    (set through the Gradebook API, as Formgrader does) reaches every member of the team at export."""
    from designkit.classroom import capstone
    from designkit.classroom.export import write_grades_csv
    from designkit.classroom.grading import grade

    course = team_course
    mentors = capstone.init_mentor_course(course, tmp_path / "mentors", sets=(TEAM_SET,))
    assert mentors.course_id() == f"{course.course_id()}-mentors"
    assert mentors.assignment_names() == [TEAM_SET]  # nothing else of the class
    assert capstone.init_mentor_course(course, tmp_path / "mentors", sets=(TEAM_SET,)).root == mentors.root
    from designkit.classroom.assignments import generate

    generate(mentors, [TEAM_SET], progress=False)
    copied = capstone.sync_to_mentors(course, read_teams(course))
    assert sorted(copied) == [f"team blue: s3/{TEAM_SET}", f"team red: s2/{TEAM_SET}"]
    assert sorted(p.name for p in mentors.submitted.iterdir()) == ["s2", "s3"]  # one per team, no one else
    grade(mentors, [TEAM_SET], jobs=1, use_sandbox=False, progress=False, canary=False)
    with mentors.open_gradebook() as gb:  # the mentor overrides red's autograded 0 with 1.5 (manual score)
        g = gb.find_grade("q1-test", TEAM_SET, TEAM_SET, "s2")
        g.manual_score = 1.5
        gb.db.commit()
    rows = {r[0]: r for r in csv.reader(write_grades_csv(course).open())}
    col = rows["student_id"].index(TEAM_SET)
    assert rows["s1"][col] == rows["s2"][col] == "1.5"
    assert rows["s3"][col] == rows["s4"][col] == "2"


def test_pipeline_again_changes_nothing(team_course):
    """grade (which sets non-counting team work aside first) and export, run again through the command line:
    nothing is regraded, nothing moves, grades.csv is byte for byte the same."""
    import subprocess
    import sys

    def run(*args):
        done = subprocess.run([sys.executable, "-m", "designkit.classroom", "--course-dir", str(team_course.root),
                               "--quiet", *args], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    before = (team_course.root / "grades.csv").read_bytes() if (team_course.root / "grades.csv").exists() else b""
    run("export")
    first = (team_course.root / "grades.csv").read_bytes()
    assert not before or first == before
    out = run("grade", "--no-sandbox", TEAM_SET)
    assert "latest submission" in out and "graded 0," in out
    run("export")
    assert (team_course.root / "grades.csv").read_bytes() == first
    assert (team_course.backups / "team-superseded" / TEAM_SET / "s1").is_dir()
