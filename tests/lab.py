"""One way to start and stop a real JupyterLab for the tests that need one (browser and server-endpoint tests).

``require_browser()`` skips (or fails under ``CI=true``) when Chromium or Playwright is missing; ``lab_env(home)``
is the environment a lab runs with (its own HOME, no "Jupyter news" question); ``course_for_lab(work)`` copies the course (``nbgrader_config.py``, ``source/``, ``assignments/``, ``course/``) into
``work/course`` with a HOME of its own (no "Jupyter news" question) and returns ``(course, env)``;
``released(course, env, sets)`` generates and releases sets with the real nbgrader CLI; ``running_lab(command,
cwd, env, log)`` starts ``command`` (``jupyter lab`` or the kit's launcher) on a free loopback port with the
test token, waits until its API answers and stops it afterwards, yielding its base URL.

>>> free_port() > 0
True
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TOKEN = "dfc-browser-test"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def require_browser() -> None:
    """Skip the test when Chromium or Playwright is missing; under ``CI=true`` fail instead (they must run there)."""
    import pytest

    reason = ""
    if not os.path.exists(CHROMIUM):
        reason = "no Chromium found (apt-get install chromium)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install -e '.[test]')"
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    if reason:
        pytest.skip(reason)


def lab_env(home: Path, **extra: str) -> dict:
    """The environment of a lab whose user's HOME is ``home`` (created, with JupyterLab's news question off), this
    Python's scripts first on PATH, no exchange override; ``extra`` variables on top."""
    settings = home / ".jupyter/lab/user-settings/@jupyterlab/apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')  # no news pop-up
    env = dict(os.environ, HOME=str(home), PATH=str(BIN) + os.pathsep + os.environ["PATH"],
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    env.pop("DESIGNKIT_EXCHANGE", None)
    env.update(extra)
    return env


def course_for_lab(work: Path, folders: tuple[str, ...] = ("source", "assignments", "course")) -> tuple[Path, dict]:
    """A copy of the course in ``work/course`` and the environment a lab over it runs with (HOME ``work/home``)."""
    course = work / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for folder in folders:
        shutil.copytree(ROOT / folder, course / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return course, lab_env(work / "home")


def released(course: Path, env: dict, sets: list[str]) -> None:
    """``nbgrader generate_assignment`` and ``release_assignment`` for each of ``sets`` (the real CLI)."""
    for name in sets:
        for step in (["generate_assignment", name, "--force"], ["release_assignment", name]):
            done = subprocess.run([str(BIN / "nbgrader"), *step], cwd=course, env=env, capture_output=True, text=True)
            assert done.returncode == 0, f"nbgrader {' '.join(step)} failed:\n{done.stdout}\n{done.stderr}"


def lab_command(course: Path, port: int) -> list[str]:
    """``jupyter lab`` over ``course`` on ``port`` with the test token."""
    return [str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
            f"--IdentityProvider.token={TOKEN}", "--LabApp.news_url=None", f"--ServerApp.root_dir={course}"]


@contextlib.contextmanager
def running_lab(command: list[str], cwd: Path, env: dict, log: Path, port: int,
                ready_within: float = 120) -> Iterator[str]:
    """Start ``command`` (a server listening on ``port``), wait until ``/api/status`` answers, yield the base URL;
    stop it afterwards (terminate, then kill)."""
    with open(log, "w") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + ready_within
            while True:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the server did not start ({' '.join(command[:3])}): "
                                         + log.read_text()[-2000:])
                try:
                    if requests.get(f"{base}/api/status", params={"token": TOKEN}, timeout=2).ok:
                        break
                except requests.RequestException:
                    time.sleep(0.3)  # polling a port that is not listening yet (a wait on a condition)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
