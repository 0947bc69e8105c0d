"""The pipeline with teams is resumable and idempotent: a grading run killed with SIGKILL part-way, then run
again, ends with the same ``grades.csv`` (team results propagated, peer factors applied) as a run that was never
interrupted, and a second full run changes nothing. Real nbgrader through the command line, two copies of one
class of teams."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_teams import REPO, TEAM_SET, _peer_form, _submit, _tiny_source

from designkit.classroom.course import Course
from designkit.classroom.status import StatusTable

PY = sys.executable
ENV = dict(os.environ, PATH=str(Path(PY).parent) + os.pathsep + os.environ.get("PATH", ""), MPLBACKEND="Agg")
HIGH = dict.fromkeys(("contribution", "reliability", "communication", "respect-for-children"), 5)
LOW = dict.fromkeys(("contribution", "reliability", "communication", "respect-for-children"), 1)


def team_class(root: Path) -> Course:
    """Four teams of two: red's members both submit different work (the later one counts), amber's one member
    submits a wrong answer, blue and teal one right answer each; peer forms from six of the eight, blue's t2
    rated low by its teammate (a free rider), teal's second member did not rate."""
    from designkit.classroom.assignments import generate

    root.mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    (root / "source").mkdir()
    shutil.copy(REPO / "source" / "header.ipynb", root / "source" / "header.ipynb")
    _tiny_source(root)
    shutil.copytree(REPO / "source" / "capstone-peer", root / "source" / "capstone-peer")
    course = Course.find(root)
    generate(course, [TEAM_SET, "capstone-peer"], progress=False)
    _submit(course, "r1", 41, "2026-11-01 10:00:00.000000 UTC")
    _submit(course, "r2", 42, "2026-11-01 12:00:00.000000 UTC")
    _submit(course, "a1", 40, "2026-11-01 09:00:00.000000 UTC")
    _submit(course, "b1", 42, "2026-11-01 09:00:00.000000 UTC")
    _submit(course, "t1", 42, "2026-11-01 09:00:00.000000 UTC")
    for s in ("a2", "b2", "t2"):
        (course.submitted / s).mkdir(parents=True)
    (root / "teams.csv").write_text("team,member\nred,r1\nred,r2\namber,a1\namber,a2\nblue,b1\nblue,b2\n"
                                    "teal,t1\nteal,t2\n")
    _peer_form(course, "r1", {"r1": HIGH, "r2": HIGH}, "")
    _peer_form(course, "r2", {"r1": HIGH, "r2": HIGH}, "")
    _peer_form(course, "a1", {"a1": HIGH, "a2": LOW}, "a2 did little")
    _peer_form(course, "a2", {"a1": HIGH, "a2": HIGH}, "")
    _peer_form(course, "b1", {"b1": HIGH, "b2": LOW}, "")
    _peer_form(course, "t1", {"t1": HIGH, "t2": HIGH}, "")
    return course


def cli(course: Course, *args: str) -> str:
    done = subprocess.run([PY, "-m", "designkit.classroom", "--course-dir", str(course.root), "--quiet", *args],
                          capture_output=True, text=True, timeout=600, env=ENV)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


GRADE = ("grade", "--no-sandbox", "--jobs", "1")


def test_killed_grading_resumes_to_the_same_grades_csv_and_a_second_run_changes_nothing(tmp_path):
    whole, killed = team_class(tmp_path / "whole"), team_class(tmp_path / "killed")

    cli(whole, *GRADE)
    cli(whole, "export")
    expected = (whole.root / "grades.csv").read_text(encoding="utf-8")
    rows = {r.split(",")[0]: r.split(",") for r in expected.splitlines()}
    header = rows["student_id"]
    col, factor = header.index(TEAM_SET), header.index("peer_factor")
    assert rows["r1"][col] == rows["r2"][col] == "2"  # red: r2's later, right work counts for both
    assert rows["a1"][col] == rows["a2"][col] == "0"
    assert rows["b2"][col] == rows["t2"][col] == "2"  # the team's result reached the members who did not submit
    assert float(rows["b2"][factor]) < 1 < float(rows["b1"][factor])  # the free rider's factor

    # the same class, its grading run killed with SIGKILL once the first submission is graded
    proc = subprocess.Popen([PY, "-m", "designkit.classroom", "--course-dir", str(killed.root), "--quiet", *GRADE],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, start_new_session=True)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            if killed.status_file.exists() and any(r.state == "graded" for r in StatusTable(killed.status_file)):
                break
            assert proc.poll() is None, "grading finished before it could be killed"
            time.sleep(0.05)
        else:
            pytest.fail("no submission graded within 300 s")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    graded = [r.key for r in StatusTable(killed.status_file) if r.state == "graded"]
    assert 1 <= len(graded) < 10, graded  # 4 team submissions + 6 peer forms: killed part-way

    out = cli(killed, *GRADE)  # resume: what was graded stays, the rest is graded
    assert f"already graded (skipped) {len(graded)}" in out, out
    cli(killed, "export")
    assert (killed.root / "grades.csv").read_text(encoding="utf-8") == expected

    # a second full run: nothing regraded, nothing moved, the same bytes
    out = cli(whole, *GRADE)
    assert "graded 0," in out and "already graded (skipped) 10" in out, out
    cli(whole, "export")
    assert (whole.root / "grades.csv").read_text(encoding="utf-8") == expected
    assert sorted(p.name for p in (whole.backups / "team-superseded" / TEAM_SET).iterdir()) == ["r1"]
