"""Robust batches: malformed submissions are repaired or recorded (never abort the batch), and a grading
run killed with SIGKILL keeps its completed grades and the next run finishes the rest.

Real nbgrader autograde in temporary copies of the course (ps0 only).
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import time

import pytest
from test_classroom import BIN, PS0, PY, grade_table, make_course

from designkit.classroom.course import Course

pytestmark = pytest.mark.skipif(not (Course.find().source / PS0).is_dir(), reason="no source/ps0-warm-up")

NOT_GRADED = {
    "invalid-json": "invalid JSON in ps0-warm-up.ipynb",
    "empty-file": "empty file: ps0-warm-up.ipynb",
    "wrong-assignment": "wrong assignment",
}
REPAIRED = {
    "wrong-name": "renamed 'ps0-warm-up (1).ipynb' to 'ps0-warm-up.ipynb'",
    "duplicate-ids": "made an ordinary cell (duplicate grade id)",
    "markdown-grade-cell": "had been turned into markdown: type restored",
    "deleted-cells": "restored from the released version",
    "reordered": "cells put back in the released order",
    "non-utf8-name": "its name is not valid UTF-8",
}
NOTED = {
    "extra-files": "extra notebook(s) ignored: ps0-warm-up-Copy1.ipynb",
    "edited-locked": "edited locked cell",
}


def write_submission(course: Course, student: str, prof) -> None:
    from designkit.classroom.simulate import build_notebook, load_mistakes, written_answers

    folder = course.submitted / student / PS0
    folder.mkdir(parents=True)
    nb = build_notebook(course, PS0, PS0, prof, load_mistakes(course, PS0), written_answers(course, PS0))
    (folder / f"{PS0}.ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")
    (folder / "timestamp.txt").write_text("2026-09-13 10:00:00.000000 UTC", encoding="utf-8")


@pytest.fixture(scope="module")
def malformed_class(tmp_path_factory):
    """One student per kind of malformed submission, plus a correct one, graded in one batch (2 workers)."""
    from designkit.classroom.export import write_grades_csv
    from designkit.classroom.grading import ensure_generated, grade
    from designkit.classroom.malformed import KINDS, malform
    from designkit.classroom.simulate import Profile, load_mistakes

    other = "ps1-child-mortality"  # a real second set: sets share ids like q1-answer, which must not fool us
    has_other = (Course.find().source / other).is_dir()
    course = make_course(tmp_path_factory.mktemp("malformed"), (PS0, other) if has_other else (PS0,))
    with (course.root / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
        fh.write("\nc.Execute.timeout = 10  # the infinite loop costs 10 s, not 20\n")
    ensure_generated(course, course.assignment_names())
    write_submission(course, "s-ok", Profile("full", "strong"))
    q1_mistake = next(i for i, m in enumerate(load_mistakes(course, PS0)) if m["cell"] == "q1-answer")
    what = {}
    for kind in KINDS:
        student = f"s-{kind}"
        # the edited test hides a wrong answer: nbgrader must restore the test, which then fails
        prof = Profile("mistakes", "strong", mistakes=[q1_mistake]) if kind == "edited-locked" \
            else Profile("full", "strong")
        write_submission(course, student, prof)
        if kind == "wrong-assignment" and has_other:
            what[kind] = malform(course.submitted / student / PS0, kind,
                                 other_notebook=course.release / other / f"{other}.ipynb")
        else:
            what[kind] = malform(course.submitted / student / PS0, kind)
    summary = grade(course, [PS0], jobs=2, use_sandbox=False, progress=False)
    write_grades_csv(course, names=[PS0])
    return course, summary, what


def _row(course: Course, student: str):
    from designkit.classroom.status import StatusTable

    return StatusTable(course.status_file).get(student, PS0)


def test_batch_completes_with_a_status_for_everyone(malformed_class):
    from designkit.classroom.malformed import KINDS

    course, summary, _ = malformed_class
    assert summary.graded + summary.not_graded == len(KINDS) + 1
    assert summary.not_graded == len(NOT_GRADED)
    assert _row(course, "s-ok").state == "graded" and _row(course, "s-ok").flags == []


@pytest.mark.parametrize("kind", sorted(NOT_GRADED))
def test_unreadable_submissions_are_recorded_with_a_reason_and_zero(malformed_class, kind):
    course, _, _ = malformed_class
    student = f"s-{kind}"
    row = _row(course, student)
    assert row.state == "not-graded" and row.reason.startswith(NOT_GRADED[kind]) or NOT_GRADED[kind] in row.reason
    assert row.score == 0.0
    scores = {p: v for (s, _, p), v in grade_table(course).items() if s == student}
    assert scores and all(auto == 0 and manual is None for auto, manual in scores.values())
    with course.grades_csv.open(encoding="utf-8") as fh:
        csv_row = next(r for r in csv.DictReader(fh) if r["student_id"] == student)
    assert csv_row[PS0] == "0"
    assert f"{PS0}: not graded ({NOT_GRADED[kind]}" in csv_row["notes"]
    if kind == "wrong-assignment" and len(course.assignment_names()) > 1:
        assert "holds the cells of ps1-child-mortality" in row.reason
    assert not (course.autograded / student / PS0).exists()
    # the submission itself is left as the student sent it
    assert (course.submitted / student / PS0 / f"{PS0}.ipynb").exists()


@pytest.mark.parametrize("kind", sorted(REPAIRED))
def test_repaired_submissions_grade_like_the_correct_one(malformed_class, kind):
    course, _, what = malformed_class
    student = f"s-{kind}"
    row = _row(course, student)
    assert row.state == "graded", (what[kind], row)
    assert any(f.startswith("repaired: ") and REPAIRED[kind] in f for f in map(str, row.flags)), row.flags
    ok = {p: v for (s, _, p), v in grade_table(course).items() if s == "s-ok"}
    ours = {p: v for (s, _, p), v in grade_table(course).items() if s == student}
    assert ours == ok
    # the untouched original is kept
    original = course.originals / student / PS0
    assert original.is_dir() and (original / "REPAIRS.json").exists()
    if kind == "wrong-name":
        assert (original / f"{PS0} (1).ipynb").exists()
    if kind == "non-utf8-name":
        assert "résumé.txt".encode("latin-1") in os.listdir(os.fsencode(original))
    with course.grades_csv.open(encoding="utf-8") as fh:
        csv_row = next(r for r in csv.DictReader(fh) if r["student_id"] == student)
    assert "repaired before grading" in csv_row["notes"]


def test_extra_files_are_noted_and_graded(malformed_class):
    course, _, _ = malformed_class
    row = _row(course, "s-extra-files")
    assert row.state == "graded" and any(NOTED["extra-files"] in f for f in map(str, row.flags))
    assert any("notes.txt" in f for f in map(str, row.flags))
    ok = {p: v for (s, _, p), v in grade_table(course).items() if s == "s-ok"}
    assert {p: v for (s, _, p), v in grade_table(course).items() if s == "s-extra-files"} == ok


def test_a_new_notebook_without_nbgrader_cells_is_not_graded(malformed_class):
    from designkit.classroom.preflight import check_submission

    course, _, _ = malformed_class
    folder = course.submitted / "s-new-notebook" / PS0
    folder.mkdir(parents=True)
    nb = {"cells": [{"cell_type": "code", "id": "a1", "metadata": {}, "source": "x = 1", "outputs": [],
                     "execution_count": None}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (folder / f"{PS0}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    result = check_submission(course, "s-new-notebook", PS0)
    shutil.rmtree(folder.parent)
    assert not result.ok and result.reason.startswith("no nbgrader cells in ps0-warm-up.ipynb")


def test_edited_test_is_flagged_and_restored(malformed_class):
    course, _, _ = malformed_class
    row = _row(course, "s-edited-locked")
    assert row.state == "graded"
    assert any(f.startswith("edited locked cell") and "q1-highest-rate" in f for f in map(str, row.flags))
    scores = {p: v for (s, _, p), v in grade_table(course).items() if s == "s-edited-locked"}
    assert scores["q1-highest-rate"][0] == 0  # the real test ran and failed on the wrong answer
    assert scores["q2-median-rate"][0] == 2


def test_errors_and_timeouts_in_answers_are_flagged(malformed_class):
    course, _, _ = malformed_class
    ok = {p: v for (s, _, p), v in grade_table(course).items() if s == "s-ok"}
    for kind, flag in (("error-in-answer", "errors: cell 'q1-answer' raised NameError"),
                       ("infinite-loop", "timeout: cell 'q1-answer' timed out")):
        row = _row(course, f"s-{kind}")
        assert row.state == "graded" and sum(str(f).startswith(flag) for f in row.flags) == 1, row.flags
        assert [c.cell for c in row.cells] == ["q1-answer"]
        scores = {p: v for (s, _, p), v in grade_table(course).items() if s == f"s-{kind}"}
        assert scores["q1-highest-rate"][0] == 0
        # the rest of the notebook still ran and kept its marks
        assert {p: v for p, v in scores.items() if p != "q1-highest-rate"} == \
            {p: v for p, v in ok.items() if p != "q1-highest-rate"}


def test_report_lists_the_flagged_submissions(malformed_class):
    from designkit.classroom.report import write_report

    course, _, _ = malformed_class
    text = write_report(course).read_text(encoding="utf-8")
    flagged = text.split("Flagged submissions")[1]
    for kind in list(NOT_GRADED) + list(REPAIRED) + ["edited-locked", "error-in-answer", "infinite-loop"]:
        assert f"<td>s-{kind}</td>" in flagged, kind
    assert "not graded: invalid JSON" in flagged
    assert "edited locked cell" in flagged and "timed out" in flagged


def test_resume_after_kill_minus_9(tmp_path):
    from designkit.classroom.grading import grade
    from designkit.classroom.simulate import simulate
    from designkit.classroom.status import StatusTable

    course = make_course(tmp_path / "c")
    sim = simulate(course, 5, seed=5, progress=False)
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    proc = subprocess.Popen([PY, "-m", "designkit.classroom", "--course-dir", str(course.root), "--quiet", "grade",
                             "--jobs", "1", "--no-sandbox"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env, start_new_session=True)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            if course.status_file.exists() and any(r.state == "graded" for r in StatusTable(course.status_file)):
                break
            assert proc.poll() is None, "grading finished before it could be killed"
            time.sleep(0.05)
        else:
            pytest.fail("no grade recorded within 300 s")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    done = {r.key: r for r in StatusTable(course.status_file) if r.state == "graded"}
    submitted = [s for s in sim.students if sim.profiles[(s, PS0)].kind != "missing"]
    assert 1 <= len(done) < len(submitted)
    before = {k: v for k, v in grade_table(course).items() if f"{k[0]}/{k[1]}" in done}
    # a half-written autograded/ folder for a student not graded yet must be detected and redone
    pending = next(s for s in submitted if f"{s}/{PS0}" not in done)
    half = course.autograded / pending / PS0
    half.mkdir(parents=True, exist_ok=True)
    (half / "timestamp.txt").write_text("half", encoding="utf-8")

    summary = grade(course, [PS0], jobs=2, use_sandbox=False, progress=False)
    assert summary.skipped == len(done)
    assert summary.graded == len(submitted) - len(done)
    assert summary.half_written >= 1
    table = StatusTable(course.status_file)
    assert all(table.get(s, PS0).state == "graded" for s in submitted)
    for key, row in done.items():  # completed grades untouched
        assert table.rows[key].graded_at == row.graded_at and table.rows[key].score == row.score
    after = grade_table(course)
    assert {k: after[k] for k in before} == before
    assert (course.autograded / pending / PS0 / f"{PS0}.ipynb").exists()


def crash_on_s2(student: str, assignments: list[str]) -> list[str]:
    """A worker task that kills its own worker process for student s2 (as the OOM killer would)."""
    if student == "s2":
        os._exit(9)
    return [f"{student}/{a}" for a in assignments]


def test_a_dying_worker_does_not_abort_the_batch(tmp_path):
    from designkit.classroom.grading import _run_pool

    course = make_course(tmp_path / "c")
    results, crashed = {}, []
    work = {"s1": ["a"], "s2": ["a"], "s3": ["a"]}
    _run_pool(crash_on_s2, work, 2, "nosandbox", course, on_result=results.__setitem__, on_crash=crashed.append)
    assert results == {"s1": ["s1/a"], "s3": ["s3/a"]}
    assert crashed == ["s2"]
