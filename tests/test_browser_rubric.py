"""A grader scores rubric rows in Formgrader: real JupyterLab, real Formgrader, headless Chromium (Playwright).

A temporary course built from one real set (``source/ps0-warm-up``, its mark schemes synced from rubric.md):
released and autograded with the nbgrader CLI, one submission whose written answer is not an anchor. In the
browser the grader sees, for every rubric row, a task cell with the row's descriptors and (first row) the three
anchor answers right under the student's answer; scores each row with its own comment; the gradebook then holds
one score and one comment per row and the submission no longer waits for a grader. Feedback generated from
Formgrader's button shows the comments but no anchor. Screenshots go to screenshots/rubric/ (git-ignored).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import requests
from lab import CHROMIUM, CHROMIUM_ARGS, TOKEN, free_port, lab_command, lab_env, require_browser, running_lab
from test_rubrics import assert_no_anchor, secrets, submit

from designkit.classroom import rubrics

ROOT = Path(__file__).resolve().parents[1]
SET = "ps0-warm-up"
SHOTS = ROOT / "screenshots" / "rubric"
STUDENT = "ada"
ANSWER = ("I would lead with the rate, since the team wants to know where a newborn is least likely to survive. "
          "The table cannot show differences inside a country.")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def formgrader(tmp_path_factory):
    """JupyterLab over a temporary course with one autograded submission of ps0: yields (base, course, parts)."""
    require_browser()
    work = tmp_path_factory.mktemp("rubric-browser")
    course = work / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy2(ROOT / "nbgrader_config.py", course)
    shutil.copy2(ROOT / "source" / "header.ipynb", course / "source")
    shutil.copytree(ROOT / "source" / SET, course / "source" / SET)
    rubrics.sync(course / "source" / SET)
    assert rubrics.check(course / "source" / SET) == []
    parts = rubrics.parse(course / "source" / SET)
    written = [p for p in parts if p.answer_id.endswith("-written")]
    assert written, f"{SET} has a written rubric-graded part"

    env = lab_env(work / "home", MPLBACKEND="Agg")
    env.pop("DESIGNKIT_SANDBOX", None)
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    subprocess.run([nbgrader, "generate_assignment", SET, "--create"], cwd=course, env=env, check=True,
                   capture_output=True)
    submit(course, SET, STUDENT, {written[0].answer_id: ANSWER})
    subprocess.run([nbgrader, "autograde", SET, "--create"], cwd=course, env=env, check=True, capture_output=True)

    port = free_port()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with running_lab(lab_command(course, port), course, env, work / "lab.log", port) as base:
        yield base, course, parts


def _api(base: str, path: str):
    response = requests.get(f"{base}/formgrader/api/{path}", params={"token": TOKEN}, timeout=30)
    response.raise_for_status()
    return response.json()


def test_grader_scores_each_rubric_row_next_to_the_answer_and_its_anchors(formgrader):
    from playwright.sync_api import sync_playwright

    base, course, parts = formgrader
    rows = [r for p in parts for r in p.rows]
    (submission,) = _api(base, f"submitted_notebooks/{SET}/{SET}")
    assert submission["needs_manual_grade"], "rubric rows wait for a person after autograde"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(f"{base}/lab?token={TOKEN}")  # logs in: Formgrader's pages call its API with the session cookie
        page.wait_for_selector("#jp-main-dock-panel")
        page.goto(f"{base}/formgrader/submissions/{submission['id']}/?index=0")
        page.locator(f"input.score#{rows[0].id}").wait_for()

        # what the grader sees: the student's answer, then each row with its descriptors and the anchors
        panels = page.locator(".nbgrader_cell")
        texts = [panels.nth(i).inner_text() for i in range(panels.count())]
        for part in parts:
            if not part.answer_id.endswith("-written"):
                continue
            at = next(i for i, t in enumerate(texts) if ANSWER[:60] in t)
            for n, row in enumerate(part.rows, start=1):
                panel = texts[at + n]
                assert f"rubric row {n}" in panel and row.criterion in panel, panel[:200]
                assert row.half in panel and row.none in panel, f"{row.id}: the descriptors show in Formgrader"
            first = " ".join(texts[at + 1].split())
            for anchor in part.anchors:
                assert " ".join(anchor.text.split()[:12]) in first, f"the {anchor.level} anchor shows to the grader"
        page.locator(f".nbgrader_cell:has(input.score#{rows[0].id})").scroll_into_view_if_needed()
        page.locator(".nbgrader_cell", has_text=ANSWER[:60]).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "01-formgrader-answer-and-rubric-rows.png"))

        # one score and one comment per row, each saved by Formgrader (wait for its PUT, not for a time)
        entered = {}
        for n, row in enumerate(rows):
            score = row.points if n % 2 == 0 else row.points / 2
            comment = f"ROW-{row.id}: {row.descriptor(score)}"
            box = page.locator(f"input.score#{row.id}")
            with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT"
                                      and r.ok):
                box.fill(f"{score:g}")
                box.press("Tab")
            area = page.locator(f"textarea.comment#{row.id}-comment")
            with page.expect_response(lambda r: "/formgrader/api/comment/" in r.url and r.request.method == "PUT"
                                      and r.ok):
                area.fill(comment)
                area.press("Tab")
            entered[row.id] = (score, comment)
        page.locator(f".nbgrader_cell:has(input.score#{rows[-1].id})").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "02-formgrader-rows-scored.png"))

        (after,) = _api(base, f"submitted_notebooks/{SET}/{SET}")
        assert not after["needs_manual_grade"], after
        assert after["task_score"] == pytest.approx(sum(s for s, _ in entered.values())), after

        # feedback from Formgrader's button: the row comments reach the student, the anchors do not
        page.goto(f"{base}/formgrader/manage_submissions/{SET}")
        row_el = page.locator("tr", has_text=STUDENT).first
        row_el.wait_for()
        row_el.locator("td.generate-feedback a").click()
        modal = page.locator("#success-modal, #error-modal")
        modal.locator(".modal-footer .btn-primary").wait_for(state="visible", timeout=180_000)
        page.screenshot(path=str(SHOTS / "03-formgrader-feedback-generated.png"))
        assert modal.get_attribute("id") == "success-modal", modal.inner_text()
        modal.locator(".modal-footer .btn-primary").click()
        modal.wait_for(state="detached")
        browser.close()

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for row_id, (score, comment) in entered.items():
            assert gb.find_grade(row_id, SET, SET, STUDENT).manual_score == score
            assert gb.find_comment(row_id, SET, SET, STUDENT).manual_comment == comment
    (html_path,) = (course / "feedback" / STUDENT / SET).glob("*.html")
    html = html_path.read_text()
    assert all(f"ROW-{row_id}" in html for row_id in entered)
    assert_no_anchor(html, parts, "feedback from Formgrader's button")
    assert secrets(parts), "the set's anchors are long enough to be checked"
    released = nbformat.read(course / "assignments" / SET / f"{SET}.ipynb", as_version=4)
    assert_no_anchor("\n".join(c.source for c in released.cells), parts, "the released notebook")
