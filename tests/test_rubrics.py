"""Rubric rows with anchors: rubric.md parsing, sync into task cells, and what real nbgrader does with them.

- parsing: a valid rubric.md, and each kind of mistake reported with the file and line;
- sync/check on a small set following the convention (``source/README.md``): sync adds the task cells and
  writes their mark-scheme regions, check finds drift;
- a real nbgrader course in a temporary folder (the repo's ``nbgrader_config.py``): the released notebook and
  Validate's output hold no anchor; after autograde the 0-point written answer needs no manual grade while each
  rubric row still does; each row takes its own score and comment; feedback from the CLI, from the API
  Formgrader's button calls, and from the kit's pipeline (whose config replaces the preprocessor lists) holds
  the row scores and comments but no anchor and no mark scheme;
- every converted set in ``source/``: ``check`` passes, and the same leak test on the real set.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from designkit.classroom import rubrics
from designkit.classroom.rubrics import RubricError, parse_text

ROOT = Path(__file__).resolve().parents[1]
NBGRADER = str(Path(sys.executable).parent / "nbgrader")
SET = "ps9-rubric-demo"

RUBRIC = """\
# ps9-rubric-demo: rubric for graders

## q2-written (3 points)

| Row | Criterion | Full marks | Half marks | No marks | Points |
|---|---|---|---|---|---|
| q2-r1-names-the-gap | Names the gap | Names the step between the clinic and the mother | Names a gap, vaguely | Names no gap | 1 |
| q2-r2-uses-evidence | Uses evidence | Uses the computed reduction with its unit | Uses a number without its unit | Uses no number | 2 |

Graders: write one sentence per row that lost marks.

### Anchors

#### Full
> Text messages took the lab-to-clinic step from 44 days down to about 27, but nobody carries the result the
> last kilometre: the mother still waits because the clinic cannot reach her. The fall was 40% (days).

Scores: q2-r1-names-the-gap 1, q2-r2-uses-evidence 2

#### Half
> Things got faster, around 40 percent, but there are still some problems with how people get told.

Scores: q2-r1-names-the-gap 0.5, q2-r2-uses-evidence 1

#### None
> Phones are good because everyone likes phones and it is modern technology for the future.

Scores: q2-r1-names-the-gap 0, q2-r2-uses-evidence 0
"""

STUDENT_TEXT = "The mother is never told: the result stops at the clinic. SMS cut the wait by 17.5 days."


# --------------------------------------------------------------------------------------------------
# parsing
# --------------------------------------------------------------------------------------------------
def test_parse_rows_anchors_and_scores() -> None:
    (part,) = parse_text(RUBRIC, "rubric.md")
    assert part.answer_id == "q2-written" and part.number == 2 and part.points == 3
    assert [(r.id, r.points, r.line) for r in part.rows] == [("q2-r1-names-the-gap", 1, 7),
                                                             ("q2-r2-uses-evidence", 2, 8)]
    assert [a.level for a in part.anchors] == ["full", "half", "none"]
    assert part.anchor("half").scores == {"q2-r1-names-the-gap": 0.5, "q2-r2-uses-evidence": 1}
    assert part.anchor("full").text.startswith("Text messages took") and ">" not in part.anchor("full").text
    assert part.notes == "Graders: write one sentence per row that lost marks."
    assert part.row("q2-r2-uses-evidence").descriptor(1) == "Uses a number without its unit"


@pytest.mark.parametrize("old, new, message", [
    ("## q2-written (3 points)", "## q2-written (4 points)", "rubric.md:3: the rows of q2-written add up to 3"),
    ("## q2-written (3 points)", "## q2 written, 3 points", "rubric.md:3: a part heading reads"),
    ("| Row | Criterion |", "| Id | Criterion |", "rubric.md:5: the table's header must be"),
    ("| q2-r2-uses-evidence |", "| q2-r3-uses-evidence |", "rubric.md:8: row q2-r3-uses-evidence should be row 2"),
    ("| q2-r1-names-the-gap |", "| q3-r1-names-the-gap |", "rubric.md:7: row id 'q3-r1-names-the-gap' must read"),
    ("| 2 |\n", "| two |\n", "rubric.md:8: points of q2-r2-uses-evidence: 'two' is not a number"),
    ("Scores: q2-r1-names-the-gap 0.5, q2-r2-uses-evidence 1", "Scores: q2-r1-names-the-gap 0.5",
     "rubric.md:23: the half anchor of q2-written must score every row of its table once; missing rows: q2-r2"),
    ("Scores: q2-r1-names-the-gap 0.5, q2-r2-uses-evidence 1", "Scores: q2-r1-names-the-gap 0.5, q2-r2-uses-evidence 3",
     "rubric.md:23: the half anchor's score 3 on q2-r2-uses-evidence must be between 0 and 2"),
    ("Scores: q2-r1-names-the-gap 1, q2-r2-uses-evidence 2", "Scores: q2-r1-names-the-gap 1, q2-r2-uses-evidence 1",
     "rubric.md:18: the full anchor of q2-written must score full marks (3)"),
    ("#### Half", "#### Middling", "rubric.md:14: the anchors of q2-written are '#### Full', '#### Half'"),
    ("### Anchors", "### Examples", "rubric.md:3: q2-written has no '### Anchors' section"),
    ("> Phones are good", "> BEGIN MARK SCHEME Phones", "rubric.md:25: anchor none of q2-written contains"),
])
def test_mistakes_are_named_with_file_and_line(old: str, new: str, message: str) -> None:
    assert old in RUBRIC
    with pytest.raises(RubricError) as info:
        parse_text(RUBRIC.replace(old, new, 1), "rubric.md")
    assert message in str(info.value)


def test_command_line_reports_and_exits_nonzero(tmp_path: Path) -> None:
    folder = make_set(tmp_path)
    (folder / "rubric.md").write_text(RUBRIC.replace("(3 points)", "(5 points)"))
    run = subprocess.run([sys.executable, "-m", "designkit.classroom.rubrics", "check", str(folder)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1 and f"{folder}/rubric.md:3: the rows of q2-written add up to 3" in run.stdout


# --------------------------------------------------------------------------------------------------
# a small set following the convention; sync and check
# --------------------------------------------------------------------------------------------------
def make_set(parent: Path, synced: bool = True) -> Path:
    """A small set following the convention: one autograded part and one rubric-graded part (3 points)."""
    folder = parent / SET
    folder.mkdir(parents=True)
    (folder / "rubric.md").write_text(RUBRIC)
    locked = {"grade": False, "locked": True, "solution": False, "schema_version": 3}
    table = "| Criterion | Points |\n|---|---|\n| (filled in by sync) | 3 |"
    cells = [
        new_markdown_cell("# Problem set 9: a rubric demo\n\n**Total: 4 points**", id="ps9-title",
                          metadata={"nbgrader": {**locked, "grade_id": "ps9-title"}}),
        new_markdown_cell("## Part 1 (1 point): a number\n\nSet `days_saved` to 44.2 - 26.7.", id="q1-question",
                          metadata={"nbgrader": {**locked, "grade_id": "q1-question"}}),
        new_code_cell("days_saved = None\n### BEGIN SOLUTION\ndays_saved = 44.2 - 26.7\n### END SOLUTION",
                      id="q1-answer", metadata={"nbgrader": {"grade": False, "grade_id": "q1-answer",
                                                             "locked": False, "solution": True,
                                                             "schema_version": 3}}),
        new_code_cell('"""Part 1: days_saved is 17.5."""\nassert round(days_saved, 1) == 17.5', id="q1-days",
                      metadata={"nbgrader": {"grade": True, "grade_id": "q1-days", "locked": True, "points": 1,
                                             "solution": False, "schema_version": 3}}),
        new_markdown_cell("## Part 2 (3 points, graded by a person): who is left out?\n\nIn 3 sentences: which "
                          "step does SMS not reach? Use your number from Part 1.\n\n" + table,
                          id="q2-question", metadata={"nbgrader": {**locked, "grade_id": "q2-question"}}),
        new_markdown_cell("### BEGIN SOLUTION\nThe step from the clinic to the mother; SMS saved 17.5 days.\n"
                          "### END SOLUTION", id="q2-written",
                          metadata={"nbgrader": {"grade": True, "grade_id": "q2-written", "locked": False,
                                                 "points": 0, "solution": True, "schema_version": 3}}),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"display_name": "Python 3 (ipykernel)",
                                                            "language": "python", "name": "python3"}})
    nbformat.write(nb, folder / f"{SET}.ipynb")
    if synced:
        rubrics.sync(folder)
    return folder


def test_sync_adds_task_cells_then_check_agrees(tmp_path: Path) -> None:
    folder = make_set(tmp_path, synced=False)
    report = rubrics.sync(folder)
    assert report.changed == [
        "q2-question: rubric table updated",
        "q2-r1-names-the-gap: task cell added after q2-written (edit its visible text: what a person looks at)",
        "q2-r2-uses-evidence: task cell added after q2-r1-names-the-gap (edit its visible text: what a person "
        "looks at)"]
    assert rubrics.check(folder) == [] and rubrics.sync(folder).changed == []
    nb = nbformat.read(folder / f"{SET}.ipynb", as_version=4)
    ids = [c.id for c in nb.cells]
    assert ids[-3:] == ["q2-written", "q2-r1-names-the-gap", "q2-r2-uses-evidence"]
    r1, r2 = nb.cells[-2], nb.cells[-1]
    assert r1.metadata.nbgrader == {"grade": False, "grade_id": "q2-r1-names-the-gap", "locked": True, "points": 1,
                                    "schema_version": 3, "solution": False, "task": True}
    assert r1.source.startswith("**Part 2, rubric row 1 (1 point): Names the gap.** Names the step")
    part = rubrics.parse(folder)[0]
    for anchor in part.anchors:  # the first row carries the three anchor answers, the others only their scores
        assert anchor.answer in r1.source and anchor.answer not in r2.source
    assert "**Anchors on this row:** full 2, half 1, none 0" in r2.source
    question = nb.cells[ids.index("q2-question")].source
    assert rubrics.render_table(part) in question and "(filled in by sync)" not in question


def test_check_finds_drift_and_sync_repairs_it(tmp_path: Path) -> None:
    folder = make_set(tmp_path)
    path = folder / f"{SET}.ipynb"
    nb = nbformat.read(path, as_version=4)
    by_id = {c.id: c for c in nb.cells}
    by_id["q2-r2-uses-evidence"].source = by_id["q2-r2-uses-evidence"].source.replace("full 2", "full 1")
    by_id["q2-r1-names-the-gap"].metadata.nbgrader["points"] = 2
    by_id["q2-written"].metadata.nbgrader["points"] = 3
    nbformat.write(nb, path)
    problems = rubrics.check(folder)
    assert any("q2-written must be a manually graded markdown answer with points 0" in p for p in problems)
    assert any("q2-r1-names-the-gap: nbgrader metadata (task cell, points) differs from rubric.md" in p
               for p in problems)
    assert any("q2-r2-uses-evidence: mark scheme differs from rubric.md" in p for p in problems)
    assert all(str(path) in p for p in problems)
    rubrics.sync(folder)
    assert rubrics.check(folder) == []


def test_a_row_missing_from_rubric_md_is_an_error(tmp_path: Path) -> None:
    folder = make_set(tmp_path)
    lines = [line for line in RUBRIC.splitlines() if not line.startswith("| q2-r2-")]
    text = "\n".join(lines).replace("| 1 |", "| 3 |").replace("names-the-gap 1, q2-r2-uses-evidence 2",
                                                                "names-the-gap 3")
    text = text.replace("names-the-gap 0.5, q2-r2-uses-evidence 1", "names-the-gap 1.5")
    text = text.replace(", q2-r2-uses-evidence 0", "")
    (folder / "rubric.md").write_text(text)
    assert [r.id for r in rubrics.parse(folder)[0].rows] == ["q2-r1-names-the-gap"]
    (problem,) = rubrics.check(folder)
    assert "task cell q2-r2-uses-evidence is not a row of q2-written" in problem and "delete the cell" in problem


# --------------------------------------------------------------------------------------------------
# real nbgrader
# --------------------------------------------------------------------------------------------------
def make_course(parent: Path, set_folder: Path) -> Path:
    """A course folder: the repo's nbgrader_config.py and header, and ``set_folder`` under source/."""
    course = parent / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    shutil.copy2(ROOT / "source" / "header.ipynb", course / "source")
    shutil.copytree(set_folder, course / "source" / set_folder.name)
    return course


def nbgrader(course: Path, *args: str) -> str:
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    env.pop("DESIGNKIT_SANDBOX", None)
    run = subprocess.run([NBGRADER, *args], cwd=course, env=env, capture_output=True, text=True)
    assert run.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}"
    return run.stdout + run.stderr


def secrets(parts: list[rubrics.Part]) -> list[str]:
    """Lines of the anchor answers (long enough to be distinctive): none may reach a student."""
    return [line.strip() for part in parts for anchor in part.anchors for line in anchor.text.splitlines()
            if len(line.strip()) > 25]


def assert_no_anchor(text: str, parts: list[rubrics.Part], where: str) -> None:
    import html

    text = html.unescape(text)
    assert "MARK SCHEME" not in text, f"{where} shows a mark-scheme delimiter"
    leaked = [s for s in secrets(parts) if s in text]
    assert not leaked, f"{where} shows anchor answers: {leaked[:2]}"


def submit(course: Path, name: str, student: str, answers: dict[str, str]) -> None:
    """Write a submission in nbgrader's course layout: the released notebook with ``answers`` typed in."""
    release = course / "assignments" / name / f"{name}.ipynb"
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        if cell.id in answers:
            cell.source = answers[cell.id]
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{name}.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-30 09:00:00.000000 UTC")


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small set released, one submission autograded: the course folder."""
    work = tmp_path_factory.mktemp("rubric-course")
    course = make_course(work, make_set(work / "set"))
    nbgrader(course, "generate_assignment", SET, "--create")
    submit(course, SET, "ada", {"q1-answer": "days_saved = 44.2 - 26.7", "q2-written": STUDENT_TEXT})
    nbgrader(course, "autograde", SET, "--create")
    return course


def test_release_and_validate_show_no_anchor(graded: Path) -> None:
    parts = rubrics.parse(graded / "source" / SET)
    released = (graded / "assignments" / SET / f"{SET}.ipynb").read_text()
    assert_no_anchor(released, parts, "the released notebook")
    nb = nbformat.reads(released, as_version=4)
    rows = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("task")]
    assert [c.source.strip() for c in rows] == [
        "**Part 2, rubric row 1 (1 point): Names the gap.** Names the step between the clinic and the mother.",
        "**Part 2, rubric row 2 (2 points): Uses evidence.** Uses the computed reduction with its unit."]
    # Validate on the student's side (what the Assignments tab's Validate button runs), blank and answered
    output = nbgrader(graded, "validate", str(graded / "assignments" / SET / f"{SET}.ipynb"))
    assert "VALIDATION FAILED" in output or "failed" in output.lower()
    assert_no_anchor(output, parts, "Validate's output")
    submitted = graded / "submitted" / "ada" / SET / f"{SET}.ipynb"
    assert_no_anchor(nbgrader(graded, "validate", str(submitted)), parts, "Validate's output")


def test_zero_point_answer_needs_no_manual_grade_but_rows_do(graded: Path) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(SET, SET, "ada")
        grades = {g.name: g for g in nb.grades}
        assert grades["q2-written"].max_score == 0 and not grades["q2-written"].needs_manual_grade
        assert grades["q1-days"].score == 1 and not grades["q1-days"].needs_manual_grade
        assert grades["q2-r1-names-the-gap"].needs_manual_grade and grades["q2-r2-uses-evidence"].needs_manual_grade
        assert nb.needs_manual_grade and nb.max_score == 4
    # the grader sees the anchors: OverwriteCells restored the mark schemes into autograded/
    autograded = (graded / "autograded" / "ada" / SET / f"{SET}.ipynb").read_text()
    assert all(s in autograded for s in secrets(rubrics.parse(graded / "source" / SET)))


def score_rows(course: Path, student: str) -> None:
    """Score each rubric row with its own comment, as Formgrader does (Grade.manual_score, Comment.manual_comment)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for row, score, comment in (("q2-r1-names-the-gap", 1, "ROW-ONE-COMMENT: you named the last step."),
                                    ("q2-r2-uses-evidence", 1, "ROW-TWO-COMMENT: give the unit (days).")):
            grade = gb.find_grade(row, SET, SET, student)
            grade.manual_score = score
            grade.needs_manual_grade = False
            gb.find_comment(row, SET, SET, student).manual_comment = comment
        gb.db.commit()
        nb = gb.find_submission_notebook(SET, SET, student)
        assert not nb.needs_manual_grade and nb.score == 3


def feedback_html(course: Path, student: str) -> str:
    (path,) = (course / "feedback" / student / SET).glob("*.html")
    return path.read_text()


def test_feedback_shows_row_scores_and_comments_but_no_anchor(graded: Path) -> None:
    """Feedback by the CLI, by the API Formgrader's button calls, and by the kit's pipeline."""
    from designkit.classroom.course import Course

    try:
        from designkit.grading import feedback_config
    except ImportError:  # before the sandbox moved to designkit.grading
        from designkit.classroom.sandbox import feedback_config

    parts = rubrics.parse(graded / "source" / SET)
    score_rows(graded, "ada")
    nbgrader(graded, "generate_feedback", SET, "--force")
    html = feedback_html(graded, "ada")
    assert "ROW-ONE-COMMENT" in html and "ROW-TWO-COMMENT" in html and STUDENT_TEXT[:40] in html
    assert "Names the gap" in html and "Uses evidence" in html
    assert_no_anchor(html, parts, "feedback (nbgrader generate_feedback)")

    shutil.rmtree(graded / "feedback")
    course = Course(graded)
    result = course.api().generate_feedback(SET, "ada", force=True)  # Formgrader's "Generate Feedback" button
    assert result["success"], result
    assert "ROW-ONE-COMMENT" in feedback_html(graded, "ada")
    assert_no_anchor(feedback_html(graded, "ada"), parts, "feedback (Formgrader's generate_feedback)")

    shutil.rmtree(graded / "feedback")
    result = course.api(feedback_config()).generate_feedback(SET, "ada", force=True)  # the kit's worker config
    assert result["success"], result
    assert "ROW-TWO-COMMENT" in feedback_html(graded, "ada")
    assert_no_anchor(feedback_html(graded, "ada"), parts, "feedback (the kit's pipeline)")


def test_a_student_typing_the_delimiters_gets_feedback(tmp_path: Path) -> None:
    """Only task cells (whose source comes from the gradebook) are stripped: a student's text cannot break it."""
    course = make_course(tmp_path, make_set(tmp_path / "set"))
    nbgrader(course, "generate_assignment", SET, "--create")
    submit(course, SET, "eve", {"q2-written": "### BEGIN MARK SCHEME\nmine\n### END MARK SCHEME\nmy answer"})
    nbgrader(course, "autograde", SET, "--create")
    nbgrader(course, "generate_feedback", SET)
    html = feedback_html(course, "eve")
    assert "my answer" in html and "mine" in html
    assert not [s for s in secrets(rubrics.parse(course / "source" / SET)) if s in html]


def test_simulated_grader_scores_each_row_and_leaves_a_few(tmp_path: Path) -> None:
    """manual.grade_written after the kit's own grade command: anchors get their scores row by row, a blank gets
    0, an unknown text a plausible score; a person's score is kept; some submissions stay unscored."""
    from designkit.classroom.course import Course
    from designkit.classroom.manual import grade_written, left_for_a_person

    course_dir = make_course(tmp_path, make_set(tmp_path / "set"))
    nbgrader(course_dir, "generate_assignment", SET, "--create")
    part = rubrics.parse(course_dir / "source" / SET)[0]
    answers = {"ada": part.anchor("full").text, "bob": part.anchor("half").text, "cy": part.anchor("none").text,
               "dee": "YOUR ANSWER HERE", "eli": STUDENT_TEXT, "fay": part.anchor("half").text}
    for student, text in answers.items():
        submit(course_dir, SET, student, {"q1-answer": "days_saved = 44.2 - 26.7", "q2-written": text})
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    env.pop("DESIGNKIT_EXCHANGE", None)
    run = subprocess.run([sys.executable, "-m", "designkit.classroom", "--course-dir", str(course_dir), "--quiet",
                          "grade", "--no-sandbox", "--jobs", "1"], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    course = Course.find(course_dir)
    with course.open_gradebook() as gb:  # a person already scored one row of fay's: the simulation keeps it
        grade = gb.find_grade("q2-r2-uses-evidence", SET, SET, "fay")
        grade.manual_score, grade.needs_manual_grade = 2, False
        gb.db.commit()
    left = left_for_a_person(sorted(answers), SET)
    assert len(left) == 1
    summary = grade_written(course)
    assert summary.submissions_left == [f"{s}/{SET}" for s in sorted(left)] and summary.left == 2
    assert summary.scored == 2 * (len(answers) - 1) - ("fay" not in left)
    expected = {"ada": part.anchor("full").scores, "bob": part.anchor("half").scores,
                "cy": part.anchor("none").scores, "dee": {r.id: 0 for r in part.rows},
                "fay": {**part.anchor("half").scores, "q2-r2-uses-evidence": 2}}
    with course.open_gradebook() as gb:
        for student in answers:
            nb = gb.find_submission_notebook(SET, SET, student)
            grades = {g.name: g for g in nb.grades}
            if student in left:
                assert nb.needs_manual_grade and grades["q2-r1-names-the-gap"].manual_score is None
                continue
            assert not nb.needs_manual_grade, student
            for row in part.rows:
                score = grades[row.id].manual_score
                assert score is not None and 0 <= score <= row.points and score * 2 == int(score * 2)
                if student in expected:
                    assert score == expected[student][row.id], (student, row.id)
                comment = gb.find_comment(row.id, SET, SET, student).manual_comment
                if not (student == "fay" and row.id == "q2-r2-uses-evidence"):
                    assert row.descriptor(score) in comment and "simulated grader" in comment
    assert grade_written(course).scored == 0  # a second run changes nothing


# --------------------------------------------------------------------------------------------------
# the course's own sets
# --------------------------------------------------------------------------------------------------
# sets rewritten to the convention (rubric.md with anchors); tests/test_assignments.py requires it of every set
CONVERTED = sorted(p.parent.name for p in (ROOT / "source").glob("*/rubric.md") if "### Anchors" in p.read_text())


@pytest.mark.parametrize("name", CONVERTED)
def test_set_agrees_with_its_rubric(name: str) -> None:
    assert rubrics.check(ROOT / "source" / name) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", CONVERTED)
def test_real_set_never_shows_anchors_to_students(name: str, tmp_path: Path) -> None:
    """A real set: released notebook, Validate, and feedback for a scored submission hold no anchor."""
    from nbgrader.api import Gradebook

    parts = rubrics.parse(ROOT / "source" / name)
    course = make_course(tmp_path, ROOT / "source" / name)
    nbgrader(course, "generate_assignment", name, "--create")
    for release in (course / "assignments" / name).glob("*.ipynb"):
        assert_no_anchor(release.read_text(), parts, f"the released {release.name}")
        assert_no_anchor(nbgrader(course, "validate", str(release)), parts, "Validate's output")
    submit(course, name, "ada", {p.answer_id: STUDENT_TEXT for p in parts if p.answer_id.endswith("-written")})
    nbgrader(course, "autograde", name, "--create")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for part in parts:
            if part.answer_id.endswith("-written"):
                assert not gb.find_grade(part.answer_id, name, name, "ada").needs_manual_grade
            for row in part.rows:
                grade = gb.find_grade(row.id, name, name, "ada")
                assert grade.needs_manual_grade and grade.max_score == row.points
                grade.manual_score, grade.needs_manual_grade = row.points / 2, False
                gb.find_comment(row.id, name, name, "ada").manual_comment = f"COMMENT-{row.id}"
        gb.db.commit()
    nbgrader(course, "generate_feedback", name)
    html = feedback_html_for(course, name)
    assert all(f"COMMENT-{r.id}" in html for p in parts for r in p.rows)
    assert_no_anchor(html, parts, f"feedback for {name}")


def feedback_html_for(course: Path, name: str) -> str:
    return "".join(p.read_text() for p in (course / "feedback" / "ada" / name).glob("*.html"))


# --------------------------------------------------------------------------------------------------
# the calibration notebook
# --------------------------------------------------------------------------------------------------
CALIBRATION = ROOT / "course" / "instructor-notes" / "calibration.ipynb"


def test_calibration_notebook_is_stored_clean_with_the_module_skeleton() -> None:
    nb = nbformat.read(CALIBRATION, as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    ids = [c.get("id") for c in nb.cells]
    assert all(ids) and len(set(ids)) == len(ids), "every cell has its own id"
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert text.startswith("# ")
    for heading in ("## Learning objectives", "## Prerequisites", "## Time", "## Key points", "## What's next"):
        assert heading in text, f"calibration.ipynb lacks '{heading}'"
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert first_code.source.startswith("# Run this cell first")


def test_calibration_notebook_runs_headless_and_compares_with_the_key() -> None:
    """Run it as a grader would from its folder; then score through the form (the key for five anchors, one
    row off on the sixth) and through plain code, and read the comparison."""
    from nbclient import NotebookClient

    nb = nbformat.read(CALIBRATION, as_version=4)
    nb.cells.append(new_code_cell(
        "key = {p.label: dict(p.anchor.scores) for p in picks}\n"
        "off = picks[-1]\n"
        "row = off.part.rows[0]\n"
        "key[off.label][row.id] = row.points if off.anchor.scores[row.id] == 0 else 0\n"
        "form.set_scores(key)\n"
        "shown = form.show()\n"
        "plain = calibration.compare(picks, calibration.combine(calibration.blank_scores(picks), key))\n"
        "assert shown.rows == plain.rows\n"
        "print('AGREEMENT', shown.agreement, len(shown.differences()), shown.differences()[0]['row'] == row.id)\n"
        "print('SUMMARY', shown.summary())", id="test-extra"))
    client = NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=False,
                            resources={"metadata": {"path": str(CALIBRATION.parent)}})
    client.execute()
    out = {c.id: "".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")
           for c in nb.cells if c.cell_type == "code"}
    first = next(c.id for c in nb.cells if c.cell_type == "code")
    assert out[first].count("Anchor ") == 6
    shown = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "display_data"]
    markdown = "".join(o["data"].get("text/markdown", "") for o in shown)
    assert markdown.count("**The answer to score:**") == 6
    assert "Scores:" not in markdown and "Full (" not in markdown, "the key and the level stay hidden"
    assert "Nothing scored yet" in "".join(out.values())
    agreement, differences, right_row = out["test-extra"].split("AGREEMENT ")[1].split()[:3]
    assert 0.5 < float(agreement) < 1 and differences == "1" and right_row == "True", out["test-extra"]
    assert "you 0, key" in out["test-extra"] or "key 0 (+" in out["test-extra"]
