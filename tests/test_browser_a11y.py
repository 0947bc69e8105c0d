"""Accessibility of what the kit renders, checked with axe-core in a real JupyterLab driven by headless Chromium.

Notebooks with the kit's editors (module 03's problem tree, the toolkit gallery with every editor, and the studio
modules 10 and 11 when they exist) are opened and run; axe-core (through axe-playwright-python) then checks what
the kit renders: its widgets (editors, explorer), feedback views and figures. Those must have no violation at all.
The rest of the page is JupyterLab's own, or other libraries' outputs (pandas tables, plain text): its violations
are printed, not failed. The same is done for the HTML feedback that a real `nbgrader generate_feedback` writes for
a small submission: the kit's parts (the course text, the kit's HTML in outputs) must be clean; nbgrader's page
around them (its template, nbconvert's anchor links and text outputs, pandas tables) is reported.

axe cannot see inside a PNG: the colours of the figures are tested in tests/test_plots.py.
JupyterLab, Chromium and the temporary course come from tests/test_browser.py (imported, not copied).
Screenshots go to screenshots/a11y/ (git-ignored). Skips when Chromium is missing, except under CI=true.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import test_browser
from test_browser import ASSIGNMENT, TOKEN, _open_lab, _run_all_and_wait, _skip_or_fail, _solve

#: test_browser.py's fixtures, shared: a JupyterLab over a temporary course copy (ps0 released) and Chromium.
lab = test_browser.lab
browser = test_browser.browser

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "screenshots" / "a11y"
STUDENT = "a11y-student"
#: Notebooks whose outputs hold the kit's editors; the studio modules (10, 11) are checked when present.
NOTEBOOKS = ["03-symptom-to-root-cause", "99-toolkit-gallery"] + sorted(
    p.stem for n in ("10", "11") for p in (ROOT / "course").glob(f"{n}-*.ipynb"))
#: What the kit renders inside JupyterLab: its widgets (every editor and the explorer carry .designkit-editor),
#: feedback views, and figures (designkit.plots.show and figure_html write a <figure>).
KIT_IN_LAB = [".designkit-editor", ".designkit-feedback", ".jp-OutputArea-output figure"]
#: The kit's parts of an nbgrader feedback page: the course text and the kit's own HTML in the outputs;
#: the pilcrow links nbconvert adds to headings are the template's.
KIT_IN_FEEDBACK = [".text_cell_render", ".output_html figure", ".output_html [class^='designkit']"]
NOT_KIT_IN_FEEDBACK = [".anchor-link"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        _skip_or_fail("axe-playwright-python is not installed (pip install -e '.[test]')")
    SHOTS.mkdir(parents=True, exist_ok=True)
    return Axe()


@pytest.fixture(scope="module")
def lab_all_cells(lab):
    """The lab, with notebook windowing off: every cell stays in the page, so axe sees all of them."""
    base, course, env = lab
    settings = Path(env["HOME"]) / ".jupyter/lab/user-settings/@jupyterlab/notebook-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    return lab


def _violations(axe, page, context) -> list[dict]:
    return axe.run(page, context=context).response["violations"]


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}): {v['help']} -- {len(v['nodes'])} element(s)")
        for node in v["nodes"][:3]:
            lines.append(f"      {node['target']}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("        " + node["failureSummary"].replace("\n", " ")[:240])
    return "\n".join(lines) or "  none"


def _report(title: str, kit: list[dict], other: list[dict], other_name: str) -> None:
    print(f"\n=== axe-core on {title}")
    print(f"kit ({sum(len(v['nodes']) for v in kit)} element(s) in {len(kit)} rule(s)):\n{_describe(kit)}")
    print(f"{other_name}'s own, reported only ({sum(len(v['nodes']) for v in other)} element(s) in "
          f"{len(other)} rule(s)):\n{_describe(other)}")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_kit_widgets_and_figures_have_no_axe_violations(lab_all_cells, browser, axe, notebook, timings):
    base, course, _ = lab_all_cells
    started = time.monotonic()
    page = _open_lab(browser, base, f"a11y-{notebook}")
    page.goto(f"{base}/lab/workspaces/a11y-{notebook}/tree/course/{notebook}.ipynb?token={TOKEN}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    # the kernel is connected and idle (the status bar says so once the session is up)
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=120_000)
    _run_all_and_wait(page)
    page.wait_for_function(  # every code cell ran: its prompt holds a number, not [ ] or [*]
        r"""() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                   .every(p => /\[\d+\]/.test(p.textContent))""", timeout=180_000)
    # every widget output has been drawn by the widget manager (not "Loading widget..."), and a notebook that
    # imports the kit's widgets shows at least one of them
    cells = json.loads((ROOT / "course" / f"{notebook}.ipynb").read_text(encoding="utf-8"))["cells"]
    uses_widgets = any("designkit.widgets" in "".join(c["source"]) for c in cells if c["cell_type"] == "code")
    try:
        page.wait_for_function(
            """(uses_widgets) => {
                const outs = [...document.querySelectorAll('.jp-OutputArea-output:not([data-mime-type])')];
                return (!uses_widgets || document.querySelector('.designkit-editor') !== null)
                       && outs.every(o => o.querySelector('.jupyter-widgets'));
            }""", arg=uses_widgets, timeout=120_000)
    except Exception:
        page.screenshot(path=str(SHOTS / f"{notebook}-debug-widgets.png"))
        (SHOTS / f"{notebook}-debug.html").write_text(page.content())
        raise
    errors = [t for t in page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
              .all_inner_texts() if "Traceback" in t]
    assert not errors, f"{notebook} raised while running: {errors[:1]}"

    editors = page.locator(".designkit-editor")
    for i in range(editors.count()):  # one picture per editor: look at them
        editors.nth(i).screenshot(path=str(SHOTS / f"{notebook}-editor-{i + 1}.png"))
    page.screenshot(path=str(SHOTS / f"{notebook}-page.png"))

    kit = _violations(axe, page, {"include": [[s] for s in KIT_IN_LAB]})
    jupyterlab = _violations(axe, page, {"exclude": [[s] for s in KIT_IN_LAB]})
    _report(f"course/{notebook}.ipynb in JupyterLab", kit, jupyterlab, "JupyterLab (and pandas/text outputs)")
    checked = page.locator(", ".join(KIT_IN_LAB)).count()
    timings[f"a11y {notebook}: open, run all, axe"] = time.monotonic() - started
    page.close()
    assert checked > 0, "no output areas were checked"
    assert not kit, f"axe-core found violations in what the kit renders in {notebook}:\n{_describe(kit)}"


def test_feedback_html_from_nbgrader_has_no_axe_violations_in_the_kit_parts(lab, browser, axe, timings):
    """A solved ps0 submission goes through real `nbgrader autograde` and `generate_feedback`; the HTML it writes
    is opened in Chromium and checked."""
    _, course, env = lab
    started = time.monotonic()
    submitted = course / "submitted" / STUDENT / ASSIGNMENT
    submitted.mkdir(parents=True)
    notebook = submitted / f"{ASSIGNMENT}.ipynb"
    notebook.write_text((course / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    _solve(notebook, course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    (submitted / "timestamp.txt").write_text(datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    for step in ("autograde", "generate_feedback"):
        done = subprocess.run([nbgrader, step, ASSIGNMENT, "--student", STUDENT], cwd=course, env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, f"nbgrader {step} failed in {course}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
    feedback = course / "feedback" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert feedback.is_file(), f"nbgrader generate_feedback wrote no {feedback}"

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.set_default_timeout(60_000)
    page.goto(feedback.as_uri(), wait_until="domcontentloaded")
    page.wait_for_selector(".nbgrader_cell")
    page.screenshot(path=str(SHOTS / "feedback-ps0.png"), full_page=True)
    kit = _violations(axe, page, {"include": [[s] for s in KIT_IN_FEEDBACK],
                                  "exclude": [[s] for s in NOT_KIT_IN_FEEDBACK]})
    nbgrader_own = _violations(axe, page, {"exclude": [[s] for s in KIT_IN_FEEDBACK]})
    nbgrader_own += _violations(axe, page, {"include": [[s] for s in NOT_KIT_IN_FEEDBACK]})
    _report(f"nbgrader's feedback for {ASSIGNMENT}", kit, nbgrader_own, "nbgrader (template, nbconvert, pandas)")
    checked = page.locator(", ".join(KIT_IN_FEEDBACK)).count()
    timings["a11y feedback: autograde, generate_feedback, axe"] = time.monotonic() - started
    page.close()
    assert checked > 0, "no course text or output was found in the feedback page"
    assert not kit, f"axe-core found violations in the kit's parts of {feedback.name}:\n{_describe(kit)}"
