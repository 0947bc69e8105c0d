"""Grading on submit in a real JupyterLab and headless Chromium: the student presses "Check & submit", submits, and
the panel shows the score of each part and a link to the feedback page when they come back; with grading on
submit off for the set, it says so in plain words.

A temporary course copy with ps0 released (tests/lab.py); its nbgrader_config.py enables grading on submit for ps0
with the hidden tests applied at once. The student's Part 1 answer is a wrong country that passes the visible
check (the hidden test takes its points), Part 2 is right. Screenshots: screenshots/browser/submit-*.png.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import requests
from lab import (
    BIN,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    TOKEN,
    course_for_lab,
    free_port,
    lab_command,
    released,
    require_browser,
    running_lab,
)

pytestmark = pytest.mark.browser
SET = "ps0-warm-up"
COURSE_ID = "design-for-children"
SHOTS = ROOT / "screenshots" / "browser"
ANSWERS = {
    "q1-answer": 'highest_country = None\nhighest_country = "Chad"',
    "q2-answer": 'median_rate_2018 = None\nmedian_rate_2018 = sowc["under5_mortality_2018"].median()',
}
ENABLE = "\n# grading on submit (tests/test_browser_submit.py)\nc.SubmitGrading.assignments = {}\n"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require_browser()
    work = tmp_path_factory.mktemp("submit")
    course, env = course_for_lab(work, folders=("source", "assignments"))
    released(course, env, [SET])
    original = (course / "nbgrader_config.py").read_text()
    port = free_port()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with running_lab(lab_command(course, port), course, env, work / "lab.log", port) as base:
        fetched = requests.post(f"{base}/assignments/fetch", params={"token": TOKEN}, timeout=120,
                                data={"course_id": COURSE_ID, "assignment_id": SET}).json()
        assert fetched["success"], fetched
        notebook = course / SET / f"{SET}.ipynb"
        nb = json.loads(notebook.read_text())
        for cell in nb["cells"]:
            cell["source"] = ANSWERS.get(cell["id"], cell["source"])
        notebook.write_text(json.dumps(nb))
        yield base, course, original, env


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _configure(course: Path, original: str, assignments: dict) -> None:
    (course / "nbgrader_config.py").write_text(original + ENABLE.replace("{}", json.dumps(assignments)))


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _check_and_submit(browser, base: str, workspace: str):
    """Open the fetched notebook, press Check & submit, then Submit: returns the page and the "Submitted" dialog."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(120_000)
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{SET}/{SET}.ipynb?reset&token={TOKEN}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    button = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .dk-check-submit")
    button.wait_for(state="visible")
    button.click()
    summary = page.locator(".jp-Dialog", has_text=f"Submit {SET}?")
    summary.wait_for()
    summary.get_by_role("button", name="Submit").click()
    submitted = page.locator(".jp-Dialog", has_text="Submitted")
    submitted.wait_for()
    return page, submitted


def test_feedback_comes_back_after_submit(lab, browser):
    base, course, original, _ = lab
    _configure(course, original, {SET: {"hidden_tests": "always"}})
    page, dialog = _check_and_submit(browser, base, "submit-graded")
    _shot(page, "submit-01-grading")
    done = dialog.locator(".dk-grading[data-state='done']")
    done.wait_for(timeout=180_000)
    _shot(page, "submit-02-feedback-back")
    text = " ".join(done.inner_text().split())
    assert "Autograded parts: 2 of 8 points. 2 more points are graded by a person later." in text, text
    rows = {r.locator("th").inner_text(): r.locator("td").inner_text() for r in done.locator("tr").all()}
    assert rows["Part 1 (q1-highest-rate)"] == "0 / 2" and rows["Part 2 (q2-median-rate)"] == "2 / 2", rows
    link = done.get_by_role("link", name="Open your feedback")
    with page.expect_popup() as popup_info:
        link.click()
    feedback = popup_info.value
    feedback.wait_for_load_state()
    feedback.get_by_text("Part 2").first.wait_for()
    _shot(feedback, "submit-03-feedback-page")
    html = feedback.content()
    assert "Somalia" not in html, "hidden tests never reach the feedback"
    feedback.close()
    dialog.get_by_role("button").last.click()
    page.close()


def test_says_plainly_when_grading_on_submit_is_off(lab, browser):
    base, course, original, _ = lab
    _configure(course, original, {})
    page, dialog = _check_and_submit(browser, base, "submit-off")
    off = dialog.locator(".dk-grading[data-state='off']")
    off.wait_for()
    _shot(page, "submit-04-grading-off")
    assert "Grading on submit is off for ps0-warm-up" in off.inner_text(), off.inner_text()
    dialog.get_by_role("button").last.click()
    page.close()


def test_validate_says_an_answer_cell_was_copied(lab, browser):
    """A copied answer cell: nbgrader's Validate button (the notebook toolbar's) says what happened and how to fix
    it, not a jsonschema traceback; Check & submit lists it above the parts."""
    base, course, _, _ = lab
    notebook = course / SET / f"{SET}.ipynb"
    before = notebook.read_text()
    nb = json.loads(before)
    at = next(i for i, c in enumerate(nb["cells"]) if c["id"] == "q2-answer")
    nb["cells"].insert(at + 1, dict(nb["cells"][at], id="pasted-copy"))
    notebook.write_text(json.dumps(nb))
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(180_000)
        page.goto(f"{base}/lab/workspaces/submit-copied/tree/{SET}/{SET}.ipynb?reset&token={TOKEN}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
        page.locator(".jp-NotebookPanel-toolbar .validate-button").click()
        dialog = page.locator(".jp-Dialog", has_text="Validation Results")
        dialog.wait_for()
        _shot(page, "submit-05-validate-copied-cell")
        text = " ".join(dialog.inner_text().split())
        assert "The answer cell q2-answer appears 2 times in your notebook" in text, text
        assert "Edit ▸ Delete Cells" in text and "Traceback" not in text and "jsonschema" not in text, text
        dialog.get_by_role("button").last.click()
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .dk-check-submit").click()
        summary = page.locator(".jp-Dialog", has_text=f"Submit {SET}?")
        summary.wait_for()
        _shot(page, "submit-06-check-and-submit-copied-cell")
        assert "q2-answer appears 2 times" in summary.locator(".dk-submit-problems").inner_text()
        summary.get_by_role("button", name="Not yet").click()
        page.close()
    finally:
        notebook.write_text(before)


def test_formgrader_generate_feedback_names_the_parts(lab, browser):
    """Formgrader's own "Generate Feedback" button (the kit's template registered in nbgrader_config.py): the
    feedback lists "Part 1 (q1-highest-rate)"..., never "Test cell"."""
    base, course, _, env = lab
    for step in (["collect", SET, "--CollectApp.check_owner=False"], ["autograde", SET]):
        done = subprocess.run([str(BIN / "nbgrader"), *step], cwd=course, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
    student = next(p.name for p in (course / "submitted").iterdir())
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(180_000)
    page.goto(f"{base}/lab?token={TOKEN}")  # logs in: Formgrader's pages call the API with the session cookie
    page.wait_for_selector("#jp-main-dock-panel")
    page.goto(f"{base}/formgrader/manage_submissions/{SET}")
    row = page.locator("tr", has_text=student).first
    row.wait_for()
    row.locator("td.generate-feedback a").click()
    modal = page.locator("#success-modal, #error-modal")
    modal.locator(".modal-footer .btn-primary").wait_for(state="visible")
    _shot(page, "submit-07-formgrader-feedback-generated")
    assert modal.get_attribute("id") == "success-modal", modal.inner_text()
    modal.locator(".modal-footer .btn-primary").click()
    page.close()
    html = (course / "feedback" / student / SET / f"{SET}.html").read_text()
    assert "Part 1 (q1-highest-rate)</a>" in html and "Part 4 (q4-at-target)</a>" in html
    assert "Test cell" not in html, "Formgrader's button names the parts"
