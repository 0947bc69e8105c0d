"""The student's working copy (``designkit.classroom.workspace``) and the feedback page (parts by name, flags on top)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from designkit.classroom import workspace
from designkit.classroom.feedback_parts import part_title, plain_flags, register_feedback

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def checkout(tmp_path):
    root = tmp_path / "checkout"
    (root / "course").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", root)
    for name in ("00-start-here.ipynb", "references.yml"):
        shutil.copy(ROOT / "course" / name, root / "course")
    return root


def test_working_copy_is_outside_the_checkout_and_keeps_edits(tmp_path, checkout):
    home = tmp_path / "home"
    first = workspace.prepare(home, checkout, release=False)
    assert sorted(first.copied) == ["course/00-start-here.ipynb", "course/references.yml"]
    assert "load_subconfig" in (home / "nbgrader_config.py").read_text()
    news = home / ".jupyterlab-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
    assert json.loads(news.read_text()) == {"fetchNews": "false"}

    # the course changes (a git pull): an unedited copy is updated, an edited one is kept and reported
    (home / "course" / "references.yml").write_text("mine: true\n")
    (checkout / "course" / "references.yml").write_text("course: 2\n")
    (checkout / "course" / "00-start-here.ipynb").write_text('{"cells": []}')
    again = workspace.prepare(home, checkout, release=False)
    assert again.updated == ["course/00-start-here.ipynb"] and again.kept == ["course/references.yml"]
    assert (home / "course" / "references.yml").read_text() == "mine: true\n"
    assert any("kept your edited course/references.yml" in line for line in again.lines())
    assert not (checkout / "course" / "persona.json").exists()


def test_working_copy_inside_the_checkout_is_refused(checkout):
    with pytest.raises(ValueError, match="inside the git checkout"):
        workspace.prepare(checkout / "work", checkout, release=False)


def test_parts_are_named_and_flags_are_plain():
    assert part_title({"source": '"""Part 2: the persona has a need."""\nassert ok'}, "q2") == \
        "Part 2: the persona has a need."
    assert part_title({"source": "assert ok"}, "q3-test") == "q3-test"
    assert plain_flags([{"kind": "note", "text": "x"}]) == []
    assert plain_flags([{"kind": "errors", "text": "SyntaxError in cell 'q1'"}])[0].startswith(
        "Some of your code stopped with an error")


def test_feedback_page_names_parts_and_shows_flags():
    """nbconvert renders the kit's template over nbgrader's feedback template (real exporter, real template)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from designkit.classroom.feedback_parts import PartsAndFlags

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('"""Q1: the rate is a number."""\nassert True')
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "q1-test", "points": 2,
                                 "score": 1.0, "locked": True, "schema_version": 3}
    nb.cells.append(cell)
    import nbgrader

    c = Config()
    register_feedback(c)
    # what nbgrader's GenerateFeedback adds for its page's stylesheet
    c = c.GenerateFeedback  # the exporter's settings, as nbgrader's GenerateFeedback (its parent) sees them
    c.HTMLExporter.extra_template_paths = [str(Path(nbgrader.__file__).parent / "server_extensions/formgrader/static"
                                               "/node_modules/bootstrap/dist/css")]
    nb, resources = PartsAndFlags(config=c).preprocess(nb, {"nbgrader": {"student": "s", "assignment": "a"}})
    resources["designkit"]["flags"] = plain_flags([{"kind": "timeout", "text": "cell 'q2' timed out"}])
    resources["nbgrader"].update(notebook="ps", score=1.0, max_score=2.0, late_penalty=0)
    html, _ = HTMLExporter(config=c).from_notebook_node(nb, resources=resources)
    assert ">Q1: the rate is a number.</a> (Score: 1.0 / 2.0)" in html
    assert "Test cell" not in html
    assert 'id="designkit-flags"' in html and "A cell ran longer than the time limit and was stopped" in html
    assert html.count('id="toc"') == 1


def test_flags_reach_the_gradebook_formgrader_reads(tmp_path):
    """A submission the kit flagged (a time-out) is ``flagged`` in nbgrader's gradebook; a clean one is not."""
    from nbgrader.api import Gradebook

    from designkit.classroom.course import Course
    from designkit.classroom.feedback_parts import flag_gradebook
    from designkit.classroom.status import FlagKind, State, StatusRow, StatusTable

    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    course = Course(tmp_path)
    with Gradebook(course.db_url, "design-for-children") as gb:
        gb.add_assignment("ps0-warm-up")
        gb.add_notebook("ps0-warm-up", "ps0-warm-up")
        for student in ("ada", "bo"):
            gb.add_student(student)
            gb.add_submission("ps0-warm-up", student)
    table = StatusTable(course.status_file)
    slow = StatusRow("ada", "ps0-warm-up", State.GRADED)
    slow.add(FlagKind.TIMEOUT, "cell 'q2' timed out")
    table.put(slow, save=False)
    table.put(StatusRow("bo", "ps0-warm-up", State.GRADED))
    assert flag_gradebook(course, ["ps0-warm-up"]) == 1
    with Gradebook(course.db_url, "design-for-children") as gb:
        flagged = {s.student.id: s.notebooks[0].flagged for s in gb.find_assignment("ps0-warm-up").submissions}
    assert flagged == {"ada": True, "bo": False}


def test_only_released_sets_can_be_missing(tmp_path, monkeypatch):
    """With an exchange, a set counts for "missing" once released (or once someone submitted it)."""
    from designkit.classroom.collect import offered_sets
    from designkit.classroom.course import Course

    monkeypatch.delenv("DESIGNKIT_EXCHANGE", raising=False)
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    course = Course(tmp_path)
    sets = ["ps0-warm-up", "ps1-child-mortality", "ps2-problem-framing"]
    assert offered_sets(course, sets) == set(sets)  # no exchange (a simulated class): every set
    (course.exchange_root() / course.course_id() / "outbound" / "ps0-warm-up").mkdir(parents=True)
    (course.submitted / "ada" / "ps1-child-mortality").mkdir(parents=True)
    assert offered_sets(course, sets) == {"ps0-warm-up", "ps1-child-mortality"}


def test_nbgrader_own_files_are_not_extra_files(tmp_path):
    """A submission made through the Assignments tab carries nbgrader's submission_secret.txt: not an extra file."""
    from designkit.classroom.course import Course
    from designkit.classroom.preflight import check_submission

    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "assignments" / "ps0-warm-up", tmp_path / "assignments" / "ps0-warm-up")
    folder = tmp_path / "submitted" / "ada" / "ps0-warm-up"
    shutil.copytree(ROOT / "assignments" / "ps0-warm-up", folder)
    for name in ("timestamp.txt", "submission_secret.txt"):
        (folder / name).write_text("2026-11-30 06:00:00.000000 UTC\n" if name == "timestamp.txt" else "secret\n")
    (folder / "notes.txt").write_text("mine\n")
    result = check_submission(Course(tmp_path), "ada", "ps0-warm-up")
    extra = [n for n in result.notes if n.startswith("extra files kept")]
    assert result.ok and extra and "submission_secret.txt" not in extra[0] and "notes.txt" in extra[0], result
