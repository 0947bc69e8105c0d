"""The student's loop in a real JupyterLab (headless Chromium): one line after every answer, Run All to the end.

Reuses the running JupyterLab and Chromium of tests/test_browser.py (imported fixtures and helpers). Each test
writes a student's copy of ps0 (from assignments/) with some answers filled in, opens it, runs it, and reads what
the grade cells and nbgrader's Validate (the notebook toolbar's button) say. Screenshots go to
screenshots/browser/loop-*.png (git-ignored): look at them.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from test_browser import (
    TOKEN,
    _close_dialog,
    _dialog_text,
    _menu,
    _open_lab,
    _shot,
    browser,
    lab,
)

__all__ = ["browser", "lab"]  # the fixtures, imported so pytest finds them here

pytestmark = pytest.mark.browser
SET = "ps0-warm-up"
ROOT = Path(__file__).resolve().parents[1]


def _student_copy(course: Path, name: str, answers: dict[str, str]) -> str:
    """Write the released ps0 with ``answers`` (answer cell id -> source) into the course folder; its lab path."""
    nb = json.loads((course / "assignments" / SET / f"{SET}.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["id"] in answers:
            cell["source"] = answers[cell["id"]]
    folder = course / "loop"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.ipynb").write_text(json.dumps(nb))
    return f"loop/{name}.ipynb"


def _open_notebook(browser, base: str, path: str):
    page = _open_lab(browser, base, f"loop-{Path(path).stem}")
    page.goto(f"{base}/lab/workspaces/loop-{Path(path).stem}/tree/{path}?token={TOKEN}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    page.wait_for_function("() => document.querySelector('.jp-StatusBar-Widget').innerText.includes('| Idle')",
                           timeout=60_000)
    return page


LAST_CELL_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
    return prompts.length && !prompts.some(p => p.textContent.includes('*'))
        && /\\[\\d+\\]/.test(prompts[prompts.length - 1].textContent);
}"""


def _run_all_to_the_end(page) -> None:
    """Run All, then wait until the last code cell (check_all) has run and nothing is running."""
    _menu(page, "Run", "Run All Cells")
    page.wait_for_function(LAST_CELL_RAN, timeout=180_000)


def _outputs(page, course: Path, path: str) -> str:
    """Every code cell's output text, from the notebook as JupyterLab saves it (every cell, on screen or not)."""
    before = (course / path).stat().st_mtime_ns
    _menu(page, "File", "Save Notebook")
    deadline = time.monotonic() + 60
    nb = None
    while nb is None:  # wait for the save to land on disk, whole (the file is rewritten in place)
        assert time.monotonic() < deadline, f"JupyterLab did not save {path}"
        if (course / path).stat().st_mtime_ns != before:
            try:
                nb = json.loads((course / path).read_text())
            except json.JSONDecodeError:
                nb = None
        if nb is None:
            time.sleep(0.2)
    texts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                texts.append("".join(out["text"]))
            elif out["output_type"] == "error":
                texts.append("\n".join(out["traceback"]))
    return "\n".join(texts)


def _validate(page) -> str:
    page.locator(".jp-NotebookPanel-toolbar .validate-button").click()
    _dialog_text(page)
    page.wait_for_function(
        "() => !document.querySelector('.jp-Dialog').innerText.includes('Validating')", timeout=180_000)
    return " ".join(page.locator(".jp-Dialog").inner_text().split())


SOLVED_Q1 = ('highest_country = None\n'
             'highest_country = sowc.loc[sowc["under5_mortality_2018"].idxmax(), "countries_and_areas"]')


def test_wrong_number_is_caught_and_run_all_reaches_the_end(lab, browser):
    """A wrong median fails its visible check (no traceback, no test source); a syntax error is named as one; the
    parts after the failures still run, and check_all() at the end sums up."""
    base, course, _ = lab
    path = _student_copy(course, "wrong-and-syntax", {
        "q1-answer": SOLVED_Q1,
        "q2-answer": 'median_rate_2018 = None\nmedian_rate_2018 = sowc["under5_mortality_2018"].mean()',
        "q3-answer": 'malawi_reduction_pct = None\nmalawi_reduction_pct = (239 - 50 / 239',
    })
    page = _open_notebook(browser, base, path)
    _run_all_to_the_end(page)
    page.locator(".jp-CodeCell").last.scroll_into_view_if_needed()
    _shot(page, "loop-01-run-all-reaches-the-end")
    assert "autograded parts pass" in page.locator(".jp-CodeCell").last.inner_text(), "check_all() shows on screen"
    shown = " ".join(_outputs(page, course, path).split())
    assert "✓ Part 1 (q1-highest-rate)" in shown and "hidden tests check" in shown, shown
    assert "✗ Part 2 (q2-median-rate)" in shown and "is the mean" in shown, shown
    assert "✗ Part 3 (q3-malawi-reduction): your answer cell (q3-answer) has a syntax error on line 2" in shown, shown
    assert "✗ Part 4 (q4-at-target): countries_at_target is still None" in shown, shown
    assert "1 of 4 autograded parts pass" in shown and "Graded by a person" in shown, "check_all() ran last"
    assert "Traceback" not in shown and "checks.part" not in shown, "one line per part, no traceback"
    page.close()


def test_wrong_value_the_visible_check_catches(lab, browser):
    """A number no anticipated mistake explains (off by one) fails before grading, against the coded answer."""
    base, course, _ = lab
    path = _student_copy(course, "off-by-one", {
        "q2-answer": 'median_rate_2018 = None\nmedian_rate_2018 = sowc["under5_mortality_2018"].median() + 1',
    })
    page = _open_notebook(browser, base, path)
    _run_all_to_the_end(page)
    shown = " ".join(_outputs(page, course, path).split())
    page.get_by_text("is not the median of the 2018 rates").first.scroll_into_view_if_needed()
    _shot(page, "loop-02-wrong-number-caught")
    assert "✗ Part 2 (q2-median-rate): 18 is not the median of the 2018 rates" in shown, shown
    text = _validate(page)
    _shot(page, "loop-03-validate-wrong-number")
    assert "18 is not the median" in text, text
    assert "Traceback" not in text and "assert" not in text, text
    _close_dialog(page)
    page.close()


def test_time_out_and_syntax_error_named_in_the_notebook_and_in_validate(lab, browser):
    """An answer that never ends: stopped in the notebook (Kernel > Interrupt), its part says so; Validate stops it
    after nbgrader's time-out and says which cell timed out; a syntax error shows its line."""
    base, course, _ = lab
    path = _student_copy(course, "time-out", {
        "q3-answer": 'malawi_reduction_pct = None\nmalawi_reduction_pct = (239 - 50 / 239',
        "q4-answer": 'countries_at_target = None\nwhile True:\n    pass',
    })
    page = _open_notebook(browser, base, path)
    _menu(page, "Run", "Run All Cells")
    # every cell before the endless answer has run (queued cells show [*] too): the answer cell is the one running
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-CodeCell')].some(c => c.innerText.includes('q3-malawi-reduction')"
        " && /\\[\\d+\\]/.test(c.querySelector('.jp-InputPrompt').textContent))", timeout=120_000)
    _menu(page, "Kernel", "Interrupt Kernel")
    page.wait_for_function(
        "() => ![...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))",
        timeout=120_000)
    _shot(page, "loop-04-interrupted")
    # the student runs Part 4's test cell after stopping the answer
    test_cell = page.locator(".jp-CodeCell", has_text='checks.part("q4-at-target")')
    test_cell.scroll_into_view_if_needed()
    test_cell.locator(".jp-InputPrompt").click()
    _menu(page, "Run", "Run Selected Cell")
    test_cell.locator(".jp-OutputArea-output", has_text="Part 4").wait_for()
    test_cell.scroll_into_view_if_needed()
    _shot(page, "loop-05-interrupted-answer-named")
    shown = " ".join(_outputs(page, course, path).split())
    assert "✗ Part 4 (q4-at-target): your answer cell (q4-answer) was stopped before it finished" in shown, shown

    text = _validate(page)
    _shot(page, "loop-06-validate-time-out-and-syntax")
    assert "q4-answer) was stopped before it finished (a time-out" in text, text
    assert "q3-answer) has a syntax error on line 2" in text, text
    assert "Traceback" not in text and "NameError" not in text, text
    _close_dialog(page)
    page.close()
