"""The student's first launch, in a real JupyterLab and headless Chromium: ``python -m designkit.classroom lab``.

A temporary copy of the checkout (no exchange yet) and a temporary HOME; the launcher prepares the working copy
``$DESIGNKIT_HOME`` outside the checkout, releases the local course to its local exchange and starts JupyterLab
there. The page must open the first module with no error dialog or error notification and no "Jupyter news"
question; the Assignments tab lists the released problem sets; the checkout stays untouched.
Screenshots go to screenshots/browser/ (git-ignored). Uses tests/test_browser.py's helpers.
"""
from __future__ import annotations

import os
import shutil
import sys

import pytest
from lab import CHROMIUM, CHROMIUM_ARGS, TOKEN, free_port, require_browser, running_lab
from test_browser import ROOT, SHOTS, _menu, _shot, _validate_button

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def launched(tmp_path_factory):
    """``lab`` started from a fresh checkout copy: yields (base_url, checkout, home)."""
    require_browser()
    work = tmp_path_factory.mktemp("launch")
    checkout, user_home = work / "checkout", work / "user"
    checkout.mkdir()
    user_home.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", checkout)
    for folder in ("source", "assignments", "course"):
        shutil.copytree(ROOT / folder, checkout / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    home = user_home / "design-for-children"
    env = dict(os.environ, HOME=str(user_home), DESIGNKIT_HOME=str(home),
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    env.pop("DESIGNKIT_EXCHANGE", None)
    port = free_port()
    command = [sys.executable, "-m", "designkit.classroom", "--course-dir", str(checkout), "lab", "--",
               "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with running_lab(command, ROOT, env, work / "lab.log", port) as base:
        yield base, checkout, home, work / "lab.log"


@pytest.fixture(scope="module")
def browser(launched):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


ERROR_WORDS = ("Error fetching courses", "exchange directory does not exist", "Jupyter news")


def _problems(page) -> list[str]:
    """Texts of every dialog and notification on the page that a student would have to deal with."""
    texts = page.locator(".jp-Dialog").all_inner_texts()
    texts += page.locator(".Toastify__toast, .jp-Notification-Toast").all_inner_texts()
    return texts


def test_first_launch_opens_the_first_module_without_errors(launched, browser):
    base, checkout, home, log = launched
    assert (home / "course" / "00-start-here.ipynb").is_file()
    assert "released ps0-warm-up" in log.read_text()
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(60_000)
    page.goto(f"{base}/?token={TOKEN}")  # redirects to the launcher's default URL: the first module
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    page.wait_for_selector(".lm-MenuBar-itemLabel >> text=Nbgrader")
    page.wait_for_load_state("networkidle")
    _shot(page, "launch-01-first-module")
    assert "00-start-here" in page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current").inner_text()
    assert _problems(page) == []

    _menu(page, "Nbgrader", "Assignment List")
    # exactly ps0-warm-up: the tab also lists ps0-warm-up-zh, the same set in Chinese
    page.locator("#released_assignments_list .list_item", has=page.get_by_text("ps0-warm-up", exact=True)).wait_for()
    page.wait_for_load_state("networkidle")
    _shot(page, "launch-02-assignments")
    texts = _problems(page) + [page.locator("#jp-main-dock-panel").inner_text()]
    assert not [w for w in ERROR_WORDS for t in texts if w.lower() in t.lower()], texts

    _menu(page, "Nbgrader", "Course List")
    page.locator("#jp-main-dock-panel", has_text="design-for-children").wait_for()
    _shot(page, "launch-03-courses")
    texts = _problems(page) + [page.locator("#jp-main-dock-panel").inner_text()]
    assert not [w for w in ERROR_WORDS for t in texts if w.lower() in t.lower()], texts
    page.close()

    # nothing was written into the checkout: the modules the student runs live in the working copy
    for module in (ROOT / "course").glob("*.ipynb"):
        assert (checkout / "course" / module.name).read_bytes() == module.read_bytes(), module.name
    assert not (checkout / "course" / "persona.json").exists()


def test_check_and_submit_shows_the_parts_before_it_goes(launched, browser):
    """Fetch ps0 in the working copy, press "Check & submit": the dialog lists passing and failing parts;
    "Submit" then sends it through nbgrader's submit (it lands in the exchange's inbound)."""
    base, checkout, home, _ = launched
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(120_000)
    page.goto(f"{base}/lab/workspaces/submit?reset&token={TOKEN}")
    page.wait_for_selector(".lm-MenuBar-itemLabel >> text=Nbgrader")
    page.wait_for_url(lambda url: "reset" not in url)
    page.wait_for_load_state("networkidle")
    _menu(page, "Nbgrader", "Assignment List")
    released = page.locator("#released_assignments_list .list_item", has=page.get_by_text("ps0-warm-up", exact=True))
    released.get_by_role("button", name="Fetch").click()
    page.locator("#fetched_assignments_list .list_item", has_text="ps0-warm-up").first.wait_for()
    assert (home / "ps0-warm-up" / "ps0-warm-up.ipynb").is_file()
    _validate_button(page)  # expands the fetched set: its notebook's link shows
    page.locator("#fetched_assignments_list .nested_list_item a", has_text="ps0-warm-up").click()
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")

    button = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .dk-check-submit")
    button.wait_for(state="visible")
    _shot(page, "launch-04-check-and-submit-button")
    button.click()
    dialog = page.locator(".jp-Dialog", has_text="Submit ps0-warm-up?")
    dialog.wait_for()
    text = dialog.inner_text()
    _shot(page, "launch-05-check-and-submit-summary")
    assert "parts pass their checks" in text and "fail." in text, text
    assert "Part 1" in text, text  # failing parts are listed by name, with their message
    dialog.get_by_role("button", name="Submit").click()
    done = page.locator(".jp-Dialog", has_text="Submitted")
    done.wait_for()
    _shot(page, "launch-06-submitted")
    inbound = list((checkout / "exchange" / "design-for-children" / "inbound").glob("*+ps0-warm-up+*"))
    assert len(inbound) == 1, inbound
    done.get_by_role("button").last.click()
    page.close()
    assert not (ROOT / "ps0-warm-up").exists() and not (checkout / "ps0-warm-up").exists()
