"""The peer form knows its student's team through nbgrader's own feedback channel, end to end: a real student
(this OS user) fetches and submits M3 through the exchange; the pipeline collects, grades, propagates and releases
feedback; the student fetches it with stock nbgrader; the fetched files name the student's own team only, and the
released peer notebook, run in the student's folder, builds its rows from them."""
from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from designkit.classroom.course import Course

REPO = Path(__file__).resolve().parents[1]
M3, PEER = "capstone-m3-pitch", "capstone-peer"
BIN = str(Path(sys.executable).parent)

pytestmark = pytest.mark.skipif(not (REPO / "source" / M3).is_dir(), reason=f"no source/{M3}")


def visible(page: str) -> str:
    """What a reader of a feedback page sees, plus the roster: CSS and markup (class names) left out."""
    return re.sub(r"<style.*?</style>|<(?!script type=\"application/json)[^>]*>", " ", page, flags=re.S)


@pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning")  # nbgrader typo "authentictor"
def test_released_feedback_carries_the_own_team_only_and_the_form_reads_it(tmp_path):
    from designkit.classroom.assignments import release
    from designkit.classroom.collect import collect
    from designkit.classroom.feedback import feedback
    from designkit.classroom.grading import grade
    from designkit.classroom.teams import prepare, propagate, read_teams

    root = tmp_path / "course"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root)
    shutil.copy(REPO / "source" / "header.ipynb", root / "source")
    for name in (M3, PEER):
        shutil.copytree(REPO / "source" / name, root / "source" / name)
    course = Course.find(root)
    exchange = release(course, [M3, PEER], progress=False).parent
    me = pwd.getpwuid(os.getuid()).pw_name
    home = tmp_path / "student"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    env.pop("DESIGNKIT_EXCHANGE", None)

    def student(*args: str) -> None:
        done = subprocess.run([f"{BIN}/nbgrader", *args, "--course", course.course_id(), f"--Exchange.root={exchange}"],
                              cwd=home, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr

    for name in (M3, PEER):
        student("fetch_assignment", name)
    student("submit", M3)  # the team's work, submitted by this member only
    # the other team submits in the course layout (an LMS download); "mate" (this student's teammate) submits nothing
    other = course.submitted / "blue-1" / M3
    other.mkdir(parents=True)
    shutil.copy(course.release / M3 / f"{M3}.ipynb", other)
    (other / "timestamp.txt").write_text("2026-12-10 09:00:00.000000 UTC")
    for s in ("mate", "blue-2"):
        (course.submitted / s).mkdir(parents=True)
    (root / "teams.csv").write_text(f"team,member\nred,{me}\nred,mate\nblue,blue-1\nblue,blue-2\n")

    assert M3 in collect(course, [M3]).collected
    teams = read_teams(course)
    prepare(course, teams, [M3])
    assert grade(course, [M3], jobs=1, use_sandbox=False, progress=False, canary=False).graded == 2
    propagate(course, teams, [M3])
    fb = feedback(course, [M3], jobs=1, progress=False)
    # only exchange submissions have a channel: this student's, and the copy propagated to the teammate (filed
    # under the same submission's hash, so the teammate cannot fetch it: nbgrader has no feedback for them)
    assert sorted(fb.released) == sorted([f"{me}/{M3}", f"mate/{M3}"]) and not fb.problems

    student("fetch_feedback", M3)
    fetched = [p for p in (home / M3 / "feedback").rglob("*") if p.is_file()]
    assert [p.name for p in fetched] == [f"{M3}.html"]
    page = fetched[0].read_text(encoding="utf-8")
    from designkit.widgets.peer_form import read_roster

    assert read_roster(page) == [me, "mate"]
    roster = page.split('id="designkit-team-roster">')[1].split("</script>")[0]
    assert roster == f'{{"members": ["{me}", "mate"]}}'  # ids only: no team name, no marks, no comments
    assert not re.search(r"blue-[12]|\bblue\b", visible(page))  # nothing of the other team

    # the released peer notebook, run where JupyterLab runs it (the student's own copy of the set)
    nb = nbformat.read(home / PEER / f"{PEER}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("print(form.members, 'Milestone 3 feedback' in form.note.value)"))
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(home / PEER)}}).execute()
    assert nb.cells[-1].outputs[0]["text"].strip() == f"['{me}', 'mate'] True"
    form_cell = next(c for c in nb.cells if c.id == "peer-form")
    assert not any(o.get("output_type") == "error" for o in form_cell.outputs)
