"""LMS gradebook files (designkit.classroom.lms) checked against Canvas's and Moodle's import specifications.

Canvas: "How do I import grades in the Gradebook?" (Instructure Instructor Guide) -- identity columns Student, ID,
SIS User ID, SIS Login ID, Section, in that order, then assignment columns ``Name (canvas id)``; the kit fills in
the gradebook the instructor exported. Moodle: "Grade import" (MoodleDocs) and its importer (load_data.php) -- one
identity column mapped to useremail/useridnumber/username, grade columns that are numbers, or empty/'-' for no
grade (any other text aborts the import), no totals.
"""
from __future__ import annotations

import csv
import doctest
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from designkit.classroom import lms
from designkit.classroom.lms import CANVAS_IDENTITY, Grades, LMSError

GRADES_CSV = (
    "student_id,ps0-warm-up,ps1-framing,total,max_total,percent,notes\n"
    "ada,10,7.5,17.5,20,87.5,\n"
    'bo,8,awaiting manual grading,awaiting manual grading,20,awaiting manual grading,"ps1-framing: awaiting '
    'manual grading (autograded part 3 of 10); ps0-warm-up: late (1.0 h)"\n'
    'cy,0,0,0,20,0.0,"ps0-warm-up: missing; ps1-framing: not graded (invalid JSON, line 3)"\n'
)

# what Canvas's Grades > Export writes: identity columns, assignments with their ids, read-only score columns,
# a posting-policy row and the Points Possible row without a user id, and the Test Student
CANVAS_EXPORT = (
    "Student,ID,SIS User ID,SIS Login ID,Section,Reading quiz (5001),ps0-warm-up (5002),ps1-framing (5003),"
    "Assignments Current Score,Current Score,Final Score\n"
    "    Manual Posting,,,,,,,Manual Posting,,,\n"
    "    Points Possible,,,,,2,10,10,(read only),(read only),(read only)\n"
    '"Lovelace, Ada",2101,S-1,Ada@Uni.example,Design 101 A,2,,,80,80,40\n'
    '"Okafor, Bo",2102,S-2,bo@uni.example,Design 101 A,1,,6,50,50,25\n'
    '"Chen, Cy",2103,S-3,cy@uni.example,Design 101 B,0,,,0,0,0\n'
    '"Diaz, Dee",2104,S-4,dee@uni.example,Design 101 B,2,,,100,100,50\n'
    '"Student, Test",2199,,,Design 101 A,,,,,,\n'
)
ROSTER = "student_id,lms_login\nada,ada@uni.example\nbo,bo@uni.example\ncy,cy@uni.example\n"


def _grades() -> Grades:
    return lms.grades_from_rows(csv.reader(GRADES_CSV.splitlines()))


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_grades_csv_rows_parse_pending_as_none():
    grades = _grades()
    assert grades.assignments == ["ps0-warm-up", "ps1-framing"]
    assert grades.scores == {"ada": {"ps0-warm-up": 10.0, "ps1-framing": 7.5},
                             "bo": {"ps0-warm-up": 8.0, "ps1-framing": None},
                             "cy": {"ps0-warm-up": 0.0, "ps1-framing": 0.0}}


def test_grades_csv_needs_its_header():
    with pytest.raises(LMSError, match="grades.csv: the first row must be grades.csv's header"):
        lms.grades_from_rows([["name", "ps0"], ["ada", "1"]])


# --- Canvas ----------------------------------------------------------------------------------------------------

def test_canvas_fill_keeps_canvas_identity_and_ids(tmp_path):
    export = lms.read_canvas_export(_write(tmp_path, "canvas.csv", CANVAS_EXPORT))
    roster = lms.read_roster(_write(tmp_path, "roster.csv", ROSTER))
    fill = lms.fill_canvas_export(_grades(), export, roster)
    out = _read(lms.write_csv(fill.rows, tmp_path / "canvas-import.csv"))

    # the identity columns first, in Canvas's order, then the kit's assignments under Canvas's own headers (ids kept)
    assert out[0] == [*CANVAS_IDENTITY, "ps0-warm-up (5002)", "ps1-framing (5003)"]
    assert fill.columns == {"ps0-warm-up": "ps0-warm-up (5002)", "ps1-framing": "ps1-framing (5003)"}
    # columns the import would not change are left out: other assignments and Canvas's read-only scores
    assert not any("Score" in h or "Reading quiz" in h for h in out[0])
    # rows without a Canvas user (posting policy, Points Possible) are kept as exported
    assert out[1][0].strip() == "Manual Posting" and out[2][0].strip() == "Points Possible"
    assert out[2][5:] == ["10", "10"]
    by_id = {row[1]: row for row in out[3:]}
    # matched on SIS Login ID, case-insensitively; Canvas's identity cells untouched
    assert by_id["2101"] == ["Lovelace, Ada", "2101", "S-1", "Ada@Uni.example", "Design 101 A", "10", "7.5"]
    # a grade the kit does not have yet leaves Canvas's cell as exported (6), never a low score
    assert by_id["2102"][5:] == ["8", "6"] and fill.pending == [("bo", "ps1-framing")]
    assert by_id["2103"][5:] == ["0", "0"]
    # nothing lost: every Canvas row is still there; those the kit has no grades for are listed, unchanged
    assert len(out) == len(export)
    assert by_id["2104"][5:] == ["", ""] and fill.not_in_kit == ["Diaz, Dee", "Student, Test"]


def test_canvas_every_unmatched_student_is_named_with_file_and_row(tmp_path):
    roster = lms.read_roster(_write(tmp_path, "roster.csv", "student_id,lms_login\nada,ada@uni.example\n"
                                                            "bo,bo@elsewhere.example\n"))
    export = lms.read_canvas_export(_write(tmp_path, "canvas.csv", CANVAS_EXPORT))
    with pytest.raises(LMSError) as caught:
        lms.fill_canvas_export(_grades(), export, roster, export_name="canvas.csv", roster_name="roster.csv")
    problems = caught.value.problems
    assert "roster.csv: student 'cy' has grades but no row (add a row 'cy,<their LMS login>')" in problems
    assert any(p.startswith("roster.csv: login 'bo@elsewhere.example' of student 'bo' is not in canvas.csv's "
                            "SIS Login ID column") for p in problems)
    assert len(problems) == 2


def test_canvas_problem_set_missing_from_canvas(tmp_path):
    text = CANVAS_EXPORT.replace("ps1-framing (5003)", "Problem set 1 (5003)")
    export = lms.read_canvas_export(_write(tmp_path, "canvas.csv", text))
    with pytest.raises(LMSError, match=r"canvas.csv, row 1: no assignment column named 'ps1-framing'"):
        lms.fill_canvas_export(_grades(), export, lms.read_roster(_write(tmp_path, "r.csv", ROSTER)),
                               export_name="canvas.csv")


def test_canvas_duplicate_login_rows_named(tmp_path):
    text = CANVAS_EXPORT + '"Lovelace, A.",2105,S-5,ada@uni.example,Design 101 B,,,,,,\n'
    export = lms.read_canvas_export(_write(tmp_path, "canvas.csv", text))
    with pytest.raises(LMSError, match=r"canvas.csv, row 9: SIS Login ID 'ada@uni.example' is already on row 4"):
        lms.fill_canvas_export(_grades(), export, lms.read_roster(_write(tmp_path, "r.csv", ROSTER)),
                               export_name="canvas.csv")


def test_canvas_export_must_be_canvas_s(tmp_path):
    path = _write(tmp_path, "grades.csv", GRADES_CSV)
    with pytest.raises(LMSError, match=r"grades.csv, row 1: not a Canvas gradebook export: the columns Student, ID, "
                                       r"SIS User ID, SIS Login ID, Section are missing"):
        lms.read_canvas_export(path)
    with pytest.raises(LMSError, match="Canvas gradebook export not found"):
        lms.read_canvas_export(tmp_path / "nowhere.csv")


# --- roster ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("id,email\nada,a@x\n", "roster.csv, row 1: the header lacks student_id, lms_login"),
    ("student_id,lms_login\nada,a@x\nada,b@x\n", "roster.csv, row 3: student 'ada' is already on row 2"),
    ("student_id,lms_login\nada,a@x\nbo,A@X\n", "roster.csv, row 3: login 'A@X' is already on row 2"),
    ("student_id,lms_login\nada,\n", "roster.csv, row 2: both student_id and lms_login are needed"),
])
def test_roster_errors_name_file_and_row(tmp_path, text, message):
    path = _write(tmp_path, "roster.csv", text)
    with pytest.raises(LMSError) as caught:
        lms.read_roster(path)
    assert str(caught.value).startswith(f"{path}{message[len('roster.csv'):]}")


# --- Moodle ----------------------------------------------------------------------------------------------------

def _moodle_value_ok(value: str) -> bool:
    """What Moodle's CSV importer accepts in a grade column: empty or '-' (no grade), or a number."""
    if value in ("", "-"):
        return True
    try:
        float(value)
    except ValueError:
        return False
    return True


def test_moodle_rows_follow_the_importer(tmp_path):
    roster = lms.read_roster(_write(tmp_path, "roster.csv", ROSTER))
    rows = _read(lms.write_csv(lms.moodle_rows(_grades(), roster, identity="email"), tmp_path / "moodle.csv"))
    assert rows[0] == ["Email address", "ps0-warm-up", "ps1-framing"]  # one identity column, one per problem set
    assert rows[1:] == [["ada@uni.example", "10", "7.5"], ["bo@uni.example", "8", "-"], ["cy@uni.example", "0", "0"]]
    assert all(_moodle_value_ok(v) for row in rows[1:] for v in row[1:])  # no text that would abort the import
    assert "total" not in rows[0]  # Moodle computes totals; they cannot be imported


def test_moodle_identities():
    grades = Grades(["ps0"], {"ada": {"ps0": 1.0}})
    assert lms.moodle_rows(grades, identity="username") == [["Username", "ps0"], ["ada", "1"]]
    assert lms.moodle_rows(grades, {"ada": "A-17"}, identity="idnumber") == [["ID number", "ps0"], ["A-17", "1"]]
    with pytest.raises(LMSError, match="needs a roster"):
        lms.moodle_rows(grades, identity="email")
    with pytest.raises(LMSError, match="roster.csv: student 'ada' has grades but no row"):
        lms.moodle_rows(grades, {"bo": "bo@x"}, identity="email")
    with pytest.raises(LMSError, match="choose one of email, idnumber, username"):
        lms.moodle_rows(grades, identity="userid")


def test_canvas_points_possible_must_match_the_kit(tmp_path):
    export = lms.read_canvas_export(_write(tmp_path, "canvas.csv", CANVAS_EXPORT.replace(",2,10,10,", ",2,10,100,")))
    roster = lms.read_roster(_write(tmp_path, "roster.csv", ROSTER))
    grades = _grades()
    grades.max_scores = {"ps0-warm-up": 10.0, "ps1-framing": 10.0}
    with pytest.raises(LMSError, match=r"canvas.csv, row 3: ps1-framing is worth 100 points in Canvas but 10 in the "
                                       r"kit: set its points in Canvas to 10"):
        lms.fill_canvas_export(grades, export, roster, export_name="canvas.csv")
    grades.max_scores["ps1-framing"] = 100.0  # the same scale on both sides: accepted
    assert lms.fill_canvas_export(grades, export, roster).rows[3][5:] == ["10", "7.5"]


def test_docstring_examples():
    result = doctest.testmod(lms)
    assert result.attempted >= 5 and result.failed == 0


def test_write_for_lms_canvas_and_moodle(tmp_path):
    roster = _write(tmp_path, "roster.csv", ROSTER)
    export = _write(tmp_path, "canvas.csv", CANVAS_EXPORT)
    lines = lms.write_for_lms(_grades(), "canvas", tmp_path / "to-canvas.csv", roster=roster, canvas_export=export)
    assert lines[0].startswith(f"wrote {tmp_path / 'to-canvas.csv'} (3 students filled in {export}")
    assert "1 grade(s) not final yet left as Canvas had them: bo ps1-framing" in lines
    assert "2 Canvas student(s) with no grades in the kit, left unchanged: Diaz, Dee; Student, Test" in lines
    assert _read(tmp_path / "to-canvas.csv")[0][:5] == list(CANVAS_IDENTITY)

    lines = lms.write_for_lms(_grades(), "moodle", tmp_path / "to-moodle.csv", roster=roster, identity="email")
    assert _read(tmp_path / "to-moodle.csv")[2] == ["bo@uni.example", "8", "-"]
    assert "1 grade(s) not final yet are '-' (no grade in Moodle)" in lines

    with pytest.raises(LMSError) as caught:
        lms.write_for_lms(_grades(), "canvas", tmp_path / "x.csv")
    assert [p.split(":")[0] for p in caught.value.problems] == ["canvas needs --roster", "canvas needs --canvas-export"]
    assert not (tmp_path / "x.csv").exists()  # nothing written when anything is wrong


# --- the command line on a real graded course ---------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
PS0 = "ps0-warm-up"


def _cli(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
               MPLBACKEND="Agg")
    env.pop("DESIGNKIT_EXCHANGE", None)
    return subprocess.run([sys.executable, "-m", "designkit.classroom", "--course-dir", str(course), "--quiet", *args],
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.skipif(not (REPO / "source" / PS0).is_dir(), reason="source/ps0-warm-up not in this checkout")
def test_export_formats_on_a_graded_class(tmp_path):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", course)
    shutil.copy(REPO / "source" / "header.ipynb", course / "source")
    shutil.copytree(REPO / "source" / PS0, course / "source" / PS0)
    for step in (["release", PS0], ["simulate", "--students", "4", "--seed", "5"], ["collect", PS0],
                 ["grade", PS0, "--jobs", "2", "--no-sandbox"]):
        done = _cli(course, *step)
        assert done.returncode == 0, f"{step}: {done.stdout}\n{done.stderr}"
    from designkit.classroom.course import Course
    from designkit.classroom.manual import grade_written

    grade_written(Course.find(course))  # the simulated grader scores the written parts it recognises
    done = _cli(course, "export")
    assert done.returncode == 0, done.stderr
    kit = {row["student_id"]: row for row in csv.DictReader((course / "grades.csv").open(encoding="utf-8"))}
    students = sorted(kit)
    assert any(lms._number(kit[s][PS0]) is not None for s in students), kit  # graded points to carry over
    points = next(iter(kit.values()))["max_total"]  # one problem set: its points

    # the instructor's download from Canvas, and the roster
    header = [*CANVAS_IDENTITY, f"{PS0} (7001)", "Current Score"]
    rows = [header, ["    Points Possible", "", "", "", "", points, "(read only)"]]
    rows += [[f"Student {i}", str(3000 + i), "", f"{s}@uni.example", "A", "", ""] for i, s in enumerate(students)]
    export = lms.write_csv(rows, tmp_path / "canvas.csv")
    roster = lms.write_csv([["student_id", "lms_login"], *[[s, f"{s}@uni.example"] for s in students]],
                           tmp_path / "roster.csv")

    done = _cli(course, "export", "--format", "canvas", "--roster", str(roster), "--canvas-export", str(export),
                "--output", str(tmp_path / "to-canvas.csv"))
    assert done.returncode == 0, done.stderr
    assert f"wrote {tmp_path / 'to-canvas.csv'}" in done.stdout
    filled = _read(tmp_path / "to-canvas.csv")
    assert filled[0] == [*CANVAS_IDENTITY, f"{PS0} (7001)"]
    by_login = {row[3]: row[5] for row in filled[2:]}
    for s in students:  # the kit's points where it has them; Canvas's (empty) cell where it has none yet
        expected = kit[s][PS0] if lms._number(kit[s][PS0]) is not None else ""
        assert by_login[f"{s}@uni.example"] == expected, s

    done = _cli(course, "export", "--format", "moodle", "--roster", str(roster))
    assert done.returncode == 0, done.stderr
    moodle = _read(course / "grades-moodle.csv")
    assert moodle[0] == ["Email address", PS0]
    assert {row[0]: row[1] for row in moodle[1:]} == {
        f"{s}@uni.example": kit[s][PS0] if lms._number(kit[s][PS0]) is not None else "-" for s in students}

    # a student missing from the roster: one line naming the roster, exit status 2, nothing written
    short = lms.write_csv([["student_id", "lms_login"], *[[s, f"{s}@uni.example"] for s in students[1:]]],
                          tmp_path / "short.csv")
    done = _cli(course, "export", "--format", "canvas", "--roster", str(short), "--canvas-export", str(export),
                "--output", str(tmp_path / "never.csv"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{short}: student '{students[0]}' has grades but no row" in done.stderr
    assert not (tmp_path / "never.csv").exists()
