"""The course in Chinese, in a real JupyterLab and headless Chromium: ``make lab COURSE_LANG=zh-CN``.

A temporary copy of the checkout and a temporary HOME; the launcher (``python -m designkit.classroom lab`` with
``COURSE_LANG=zh-CN`` in its environment, as ``make lab COURSE_LANG=zh-CN`` runs it) prepares the working copy and
starts JupyterLab at the Chinese start-here module. The test checks that JupyterLab's menus are in Chinese (the
language pack, chosen in the working copy's settings), runs the whole module from the Chinese *Run* menu, then asks
the kernel which font matplotlib draws the Chinese title of the module's figure with (a Noto CJK family) and finds no
"Glyph … missing" warning in any output; the kernel has ``COURSE_LANG=zh-CN`` and the system ``LANG`` it was
started with. Screenshots go to screenshots/browser/zh-*.png (git-ignored): look at them, the title must show
characters, not empty boxes. Every wait is on a condition.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest
import requests
from test_browser import CHROMIUM, CHROMIUM_ARGS, ROOT, SHOTS, TOKEN, _skip_or_fail

pytestmark = pytest.mark.browser

MODULE = "00-start-here.ipynb"
CJK = re.compile(r"[\u4e00-\u9fff]")
# run in the module's kernel after the module: which font draws the first Chinese character of the figure's title
# (public matplotlib API: the title's font families, generic names expanded from rcParams, the first that has it)
PROBE = (
    "import json, os, matplotlib as _mpl\n"
    "from matplotlib import font_manager as _fm\n"
    "from matplotlib.ft2font import FT2Font as _FT\n"
    "_zh = lambda s: [ch for ch in s if '\\u4e00' <= ch <= '\\u9fff']\n"
    "_art = next((t for t in [*fig.texts, *(a.title for a in fig.axes)] if _zh(t.get_text())), None)\n"
    "_t = _art.get_text() if _art else ''\n"
    "_names = [n for f in (_art.get_fontproperties().get_family() if _art else []) "
    "for n in (_mpl.rcParams['font.' + f] if 'font.' + f in _mpl.rcParams else [f])]\n"
    "_paths = [_fm.findfont(_fm.FontProperties(family=n), fallback_to_default=False) for n in _names "
    "if any(e.name == n for e in _fm.fontManager.ttflist)]\n"
    "_fam = next((_FT(p).family_name for p in _paths if _t and ord(_zh(_t)[0]) in _FT(p).get_charmap()), '')\n"
    "print('FONTCHECK ' + json.dumps({'title': _t, 'family': _fam, 'families': _names, "
    "'COURSE_LANG': os.environ.get('COURSE_LANG'), 'LANG': os.environ.get('LANG')}, ensure_ascii=False))\n"
)


@pytest.fixture(scope="module")
def launched_zh(tmp_path_factory):
    """``lab`` started with COURSE_LANG=zh-CN from a fresh checkout copy: yields (base_url, home, env)."""
    if not os.path.exists(CHROMIUM):
        _skip_or_fail("no Chromium found (apt-get install chromium)")
    if not (ROOT / "course" / "zh-CN" / MODULE).is_file():
        pytest.fail(f"course/zh-CN/{MODULE} is missing: run make translations")
    work = tmp_path_factory.mktemp("launch-zh")
    checkout, user_home = work / "checkout", work / "user"
    checkout.mkdir()
    user_home.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", checkout)
    shutil.copytree(ROOT / "course", checkout / "course", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    home = user_home / "design-for-children"
    env = dict(os.environ, HOME=str(user_home), DESIGNKIT_HOME=str(home), COURSE_LANG="zh-CN", LANG="C.UTF-8",
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    env.pop("DESIGNKIT_EXCHANGE", None)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(work / "lab.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "designkit.classroom", "--course-dir", str(checkout), "lab", "--no-release", "--",
         "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if requests.get(f"{base}/api/status", params={"token": TOKEN}, timeout=2).ok:
                break
        except requests.RequestException:
            time.sleep(0.5)  # polling the server's status: the condition is its answer
    else:
        proc.terminate()
        raise AssertionError("the launcher did not start JupyterLab: " + (work / "lab.log").read_text()[-2000:])
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield base, home, env
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(launched_zh):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _all_code_cells_ran(page) -> None:
    """Wait until no code cell is running or queued and every one of them has an execution count."""
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""", timeout=300_000)


def test_chinese_module_with_the_chinese_ui_and_a_cjk_figure_title(launched_zh, browser):
    base, home, env = launched_zh
    assert (home / "course" / "zh-CN" / MODULE).is_file() and (home / "course" / MODULE).is_file()
    settings = home / ".jupyterlab-settings" / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    assert json.loads(settings.read_text(encoding="utf-8"))["locale"] == "zh_CN"

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    page.goto(f"{base}/?token={TOKEN}")  # the launcher's default URL: the Chinese start-here module
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    menus = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel")
    menus.filter(has_text="文件").wait_for()
    labels = menus.all_inner_texts()
    assert {"文件", "编辑", "查看", "运行", "内核"} <= set(labels), labels
    assert "File" not in labels, labels
    current = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current").inner_text()
    assert MODULE.removesuffix(".ipynb") in current, current
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(SHOTS / "zh-01-module.png"))

    # Run ▸ Run All Cells, from the Chinese menu
    menus.filter(has_text="运行").click()
    page.locator(".lm-Menu-itemLabel").get_by_text("运行所有单元格", exact=True).click()
    _all_code_cells_ran(page)

    # ask the module's kernel which font draws the figure's Chinese title
    last = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").last
    last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # a new cell below, in command mode
    page.keyboard.press("Enter")
    page.keyboard.insert_text(PROBE)
    page.keyboard.press("Shift+Enter")
    output = page.locator(".jp-OutputArea-output", has_text="FONTCHECK")
    output.wait_for()
    found = json.loads(output.inner_text().split("FONTCHECK", 1)[1].strip())
    assert CJK.search(found["title"]), found
    assert "Noto" in found["family"] and "CJK" in found["family"], found
    assert found["COURSE_LANG"] == "zh-CN" and found["LANG"] == env["LANG"], found

    texts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output").all_inner_texts()
    missing = [t for t in texts if "missing from font" in t or "Glyph" in t and "missing" in t]
    assert not missing, missing
    errors = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type="
                          "'application/vnd.jupyter.stderr']").all_inner_texts()
    assert not [e for e in errors if "Traceback" in e or "Error" in e], errors

    figure = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img").first
    figure.scroll_into_view_if_needed()
    figure.screenshot(path=str(SHOTS / "zh-02-figure.png"))
    page.screenshot(path=str(SHOTS / "zh-03-after-run.png"))
    page.close()
