"""Grading on submit, through the real Jupyter server endpoints (no browser): nbgrader's own fetch and submit, then
the kit's ``POST /designkit/grading``, polled until the feedback is back.

One JupyterLab over a temporary course copy with ps0 released; the course's ``nbgrader_config.py`` is rewritten
between tests (the server and the grader read it at each submit). The student answers Part 1 with a wrong country
that passes its visible check (a string, a country of the table) and Part 2 right: with hidden tests applied,
Part 1 loses its points; before the due date (hidden tests after it), it keeps them and the answer says why.
"""
from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
import requests
from lab import BIN, TOKEN, course_for_lab, free_port, lab_command, released, running_lab

SET = "ps0-warm-up"
COURSE_ID = "design-for-children"
ANSWERS = {
    "q1-answer": 'highest_country = None\nhighest_country = "Chad"',
    "q2-answer": 'median_rate_2018 = None\nmedian_rate_2018 = sowc["under5_mortality_2018"].median()',
}
ENABLE = "\n# grading on submit (written by tests/test_on_submit_grading.py)\nc.SubmitGrading.assignments = {}\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("on-submit")
    course, env = course_for_lab(work, folders=("source", "assignments"))
    released(course, env, [SET])
    config = (course / "nbgrader_config.py").read_text()
    port = free_port()
    with running_lab(lab_command(course, port), course, env, work / "lab.log", port) as base:
        yield base, course, env, config


def _call(base: str, method: str, endpoint: str, **data) -> dict:
    response = requests.request(method, f"{base}/{endpoint}", params={"token": TOKEN}, data=data, timeout=300)
    assert response.ok, f"{method} {endpoint}: {response.status_code} {response.text[:500]}"
    return response.json()


def _configure(course: Path, original: str, assignments: dict) -> None:
    (course / "nbgrader_config.py").write_text(original + ENABLE.replace("{}", json.dumps(assignments)))


def _submit(base: str, course: Path) -> None:
    """Fetch (once) and submit ps0 with ``ANSWERS`` through nbgrader's own server endpoints."""
    notebook = course / SET / f"{SET}.ipynb"
    if not notebook.exists():
        assert _call(base, "POST", "assignments/fetch", course_id=COURSE_ID, assignment_id=SET)["success"]
    nb = json.loads(notebook.read_text())
    for cell in nb["cells"]:
        if cell["id"] in ANSWERS:
            cell["source"] = ANSWERS[cell["id"]]
    notebook.write_text(json.dumps(nb))
    result = _call(base, "POST", "assignments/submit", course_id=COURSE_ID, assignment_id=SET)
    assert result["success"], result


def _wait_for_result(base: str, seen: list[str] | None = None, within: float = 180) -> dict:
    """Poll ``GET /designkit/grading`` until it reaches a final state (the states seen on the way go to ``seen``)."""
    deadline = time.monotonic() + within
    while True:
        state = _call(base, "GET", "designkit/grading", assignment_id=SET)
        if seen is not None and (not seen or seen[-1] != state["state"]):
            seen.append(state["state"])
        if state["state"] in ("done", "off", "failed"):
            return state
        assert time.monotonic() < deadline, f"no result after {within} s: {state}"
        time.sleep(0.5)  # polling the endpoint, as the panel does (the wait is on its state)


def _part(state: dict, grade_id: str) -> dict:
    return next(p for p in state["parts"] if p["grade_id"] == grade_id)


def test_off_unless_the_course_enables_it(server):
    base, course, _, original = server
    _configure(course, original, {"ps1-child-mortality": {}})
    _submit(base, course)
    state = _call(base, "POST", "designkit/grading", assignment_id=SET)
    assert state["state"] == "off", state
    assert "Grading on submit is off for ps0-warm-up" in state["message"], state
    assert _call(base, "GET", "designkit/grading", assignment_id=SET)["state"] == "off"


def test_hidden_tests_apply_at_once_when_the_instructor_says_so(server, timings):
    """The wrong country passes its visible check but loses Part 1's points to the hidden test; the feedback page
    lands where nbgrader's Fetch Feedback puts it, names the parts, and the course's gradebook is untouched."""
    base, course, _, original = server
    _configure(course, original, {SET: {"hidden_tests": "always"}})
    gradebook_before = (course / "gradebook.db").read_bytes()
    _submit(base, course)
    seen: list[str] = []
    assert _call(base, "POST", "designkit/grading", assignment_id=SET)["state"] == "queued"
    started = time.monotonic()
    state = _wait_for_result(base, seen)
    timings["grading on submit, ps0 sandboxed: submit to feedback"] = time.monotonic() - started
    timings["grading on submit, ps0 sandboxed: the grading process's own count"] = state.get("seconds", 0)
    assert state["state"] == "done", state
    assert state["hidden_tests"] is True and state["notes"] == [], state
    assert _part(state, "q1-highest-rate")["score"] == 0 and _part(state, "q2-median-rate")["score"] == 2, state
    assert [p["max_score"] for p in state["parts"]] == [2, 2, 2, 2], state
    assert state["parts"][0]["name"].startswith("Part 1"), state["parts"][0]
    (page,) = state["feedback"]
    assert page.startswith(f"{SET}/feedback/") and (course / page).is_file(), page
    html = (course / page).read_text()
    assert "Part 2" in html and "Test cell" not in html, "the feedback names the parts"
    assert "Somalia" not in html, "hidden tests never reach the feedback"
    served = requests.get(f"{base}/files/{requests.utils.quote(page)}", params={"token": TOKEN}, timeout=30)
    assert served.ok and "Part 1" in served.text, "the panel's link opens the page"
    assert (course / "gradebook.db").read_bytes() == gradebook_before, "the scores of record come from make grade"
    assert not list((course / "backups" / "on-submit").iterdir()), "the scratch course is removed"


def test_visible_checks_only_before_the_due_date(server):
    """hidden_tests "after_due" and a due date next year: graded on the visible checks only (the wrong country
    keeps Part 1's points), and the answer says when the hidden tests apply."""
    base, course, env, original = server
    _configure(course, original, {SET: {"hidden_tests": "after_due"}})
    done = subprocess.run([str(BIN / "nbgrader"), "db", "assignment", "add", SET, "--duedate=2099-01-01 12:00:00 UTC"],
                          cwd=course, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    _submit(base, course)
    _call(base, "POST", "designkit/grading", assignment_id=SET)
    state = _wait_for_result(base)
    assert state["state"] == "done", state
    assert state["hidden_tests"] is False, state
    assert _part(state, "q1-highest-rate")["score"] == 2, "visible checks only: the wrong country passes them"
    assert any("hidden tests are applied after the due date (2099-01-01" in n for n in state["notes"]), state
    (page,) = state["feedback"]
    assert "Visible checks only: hidden tests are applied after the due date" in (course / page).read_text()


def test_queued_behind_the_course_grading_lock(server):
    """While another grading run holds the course's lock, the submission waits ("queued", naming the holder);
    once the lock is free it is graded."""
    from designkit.classroom.course import Course

    base, course, _, original = server
    _configure(course, original, {SET: {"hidden_tests": "always"}})
    _submit(base, course)
    with Course(course).lock(0, "make grade (held by the test)"):
        _call(base, "POST", "designkit/grading", assignment_id=SET)
        deadline = time.monotonic() + 60
        while (state := _call(base, "GET", "designkit/grading", assignment_id=SET))["state"] != "queued" or \
                "Queued behind" not in state["message"]:
            assert state["state"] == "queued" and time.monotonic() < deadline, state
            time.sleep(0.3)
        assert "make grade (held by the test)" in state["message"], state
    state = _wait_for_result(base)
    assert state["state"] == "done", state


# -- a copied or deleted answer cell: Validate, Check & submit and the feedback say what happened -------------------
def _copied(nb: dict) -> dict:
    """The student copied the Part 2 answer cell (JupyterLab gives the copy a new cell id, same nbgrader metadata)."""
    at = next(i for i, c in enumerate(nb["cells"]) if c["id"] == "q2-answer")
    nb["cells"].insert(at + 1, dict(nb["cells"][at], id="pasted-copy"))
    return nb


def _deleted(nb: dict) -> dict:
    nb["cells"] = [c for c in nb["cells"] if c["id"] != "q2-answer"]
    return nb


def _write(course: Path, change) -> str:
    """The student's ps0 (fetched already): the released version with ``ANSWERS``, changed by ``change``; returns
    its lab path."""
    nb = json.loads((course / "assignments" / SET / f"{SET}.ipynb").read_text())  # the released version
    for cell in nb["cells"]:
        cell["source"] = ANSWERS.get(cell["id"], cell["source"])
    (course / SET / f"{SET}.ipynb").write_text(json.dumps(change(nb)))
    return f"{SET}/{SET}.ipynb"


def _validate(base: str, path: str) -> list[dict]:
    result = requests.post(f"{base}/assignments/validate", params={"token": TOKEN}, timeout=300,
                           data=json.dumps({"path": path})).json()
    assert result["success"] and isinstance(result["value"], dict), result
    return result["value"].get("failed", [])


def test_validate_says_an_answer_cell_was_copied(server):
    base, course, _, _ = server
    _submit(base, course)  # fetched, with the answers
    path = _write(course, _copied)
    failed = _validate(base, path)
    text = json.dumps(failed)
    assert failed[0]["raw_error"].startswith("The answer cell q2-answer appears 2 times in your notebook (cells"), text
    assert "Edit ▸ Delete Cells" in failed[0]["raw_error"], text
    assert "jsonschema" not in text and "Traceback" not in text and "corrupted" not in text, text
    checks = _call(base, "GET", "designkit/checks", path=path)
    assert any("q2-answer appears 2 times" in p for p in checks["problems"]), checks


def test_validate_says_an_answer_cell_was_deleted(server):
    base, course, _, _ = server
    _submit(base, course)
    path = _write(course, _deleted)
    failed = _validate(base, path)
    text = json.dumps(failed)
    assert failed[0]["raw_error"].startswith("The answer cell q2-answer is missing from your notebook: it was "
                                             "deleted. Put it back with Edit ▸ Undo Cell Operation"), text
    assert any("Part 3 (q3-malawi-reduction)" in f["raw_error"] for f in failed[1:]), "nbgrader's own checks still ran"
    assert "Traceback" not in text, text


def test_feedback_names_a_copied_answer_cell(server):
    """Graded on submit with a copied answer cell: graded all the same (the copy became an ordinary cell), and the
    answer and the feedback page say what was repaired."""
    base, course, _, original = server
    _configure(course, original, {SET: {"hidden_tests": "always"}})
    _write(course, _copied)
    result = _call(base, "POST", "assignments/submit", course_id=COURSE_ID, assignment_id=SET)
    assert result["success"], result
    _call(base, "POST", "designkit/grading", assignment_id=SET)
    state = _wait_for_result(base)
    assert state["state"] == "done", state
    assert _part(state, "q2-median-rate")["score"] == 2, state
    assert any("copy of cell 'q2-answer' made an ordinary cell (duplicate grade id)" in n for n in state["notes"]), state
    (page,) = state["feedback"]
    html = (course / page).read_text()
    assert "Your file had to be repaired before it could be graded" in html and "q2-answer" in html
