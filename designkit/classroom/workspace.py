"""A student's personal working copy, outside the git checkout: what ``make lab`` opens.

Running the modules saves outputs into the notebooks and writes artefacts (``persona.json`` ...) next to
them; done in the checkout, that dirties tracked files and the next ``git pull`` conflicts. So ``make lab``
opens a working copy instead, ``$DESIGNKIT_HOME`` (default ``~/design-for-children``)::

    ~/design-for-children/
      course/                 the modules (copied from the checkout's course/), the student's to run and edit
      ps0-warm-up/ ...        problem sets fetched from the Assignments tab
      nbgrader_config.py      loads the checkout's config (course id, exchange): the Assignments tab works here
      .jupyterlab-settings/   JupyterLab settings for this copy (no "Jupyter news" question)
      .designkit-workspace.json   which version of each module was copied (to update only unedited copies)

``prepare`` is idempotent: a missing file is copied; a file the student never changed is updated when the
checkout's version changes (after a ``git pull``); a file the student changed is kept, and the message says so.
The local course is released to its local exchange once, so the Assignments tab lists the problem sets.

>>> import tempfile
>>> home = Path(tempfile.mkdtemp()) / "dfc"
>>> report = prepare(home, Path(__file__).resolve().parents[2], release=False)
>>> (home / "course" / "00-start-here.ipynb").is_file(), report.kept
(True, [])
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".designkit-workspace.json"
COURSE_FILES = ("*.ipynb", "README.md", "references.yml")  # instructor-notes/ stay in the checkout
NEWS_OFF = {"fetchNews": "false"}


def default_home() -> Path:
    """``$DESIGNKIT_HOME``, or ``~/design-for-children``.

    >>> os.environ["DESIGNKIT_HOME"] = "/tmp/x"; str(default_home()); del os.environ["DESIGNKIT_HOME"]
    '/tmp/x'
    """
    return Path(os.environ.get("DESIGNKIT_HOME") or Path.home() / "design-for-children").expanduser()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class WorkspaceReport:
    """What ``prepare`` did (paths relative to the working copy)."""

    home: Path
    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)
    release_note: str = ""

    def lines(self) -> list[str]:
        """One line per kind of change, for the terminal.

        >>> WorkspaceReport(Path("/h"), copied=["course/a.ipynb"]).lines()[0]
        'your working copy: /h (the git checkout is never written to)'
        """
        out = [f"your working copy: {self.home} (the git checkout is never written to)"]
        if self.copied:
            out.append(f"  copied {len(self.copied)} file(s) from the course")
        if self.updated:
            out.append(f"  updated {len(self.updated)} file(s) you had not changed: {', '.join(self.updated)}")
        for rel in self.kept:
            out.append(f"  kept your edited {rel} (the course's current version is {rel} in the checkout)")
        if self.released:
            out.append(f"  released {', '.join(self.released)} to the local exchange: see the Assignments tab")
        if self.release_note:
            out.append(f"  {self.release_note}")
        return out


def _sync_course(home: Path, checkout: Path, report: WorkspaceReport) -> None:
    manifest_path = home / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    except ValueError:
        manifest = {}  # unreadable: treat every existing file as the student's own (never overwritten)
    sources = sorted({p for pattern in COURSE_FILES for p in (checkout / "course").glob(pattern) if p.is_file()})
    for src in sources:
        rel = f"course/{src.name}"
        dest = home / rel
        new = _digest(src)
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            report.copied.append(rel)
        else:
            current = _digest(dest)
            if current == new:
                pass
            elif manifest.get(rel) == current:  # the student never changed it: take the course's new version
                shutil.copyfile(src, dest)
                report.updated.append(rel)
            else:
                report.kept.append(rel)
                continue  # keep the recorded (older) digest: the copy is the student's
        manifest[rel] = new
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")


def _write_config(home: Path, checkout: Path) -> None:
    config = home / "nbgrader_config.py"
    text = ("# Written by `make lab` (designkit.classroom.workspace): the course's own configuration, so the\n"
            "# Assignments tab of this working copy sees the course and its exchange. Rewritten at each launch.\n"
            "c = get_config()  # noqa: F821\n"
            f"load_subconfig({str(checkout / 'nbgrader_config.py')!r})  # noqa: F821\n")
    if not config.is_file() or config.read_text(encoding="utf-8") != text:
        config.write_text(text, encoding="utf-8")
    settings = home / ".jupyterlab-settings" / "@jupyterlab" / "apputils-extension"
    news = settings / "notification.jupyterlab-settings"
    if not news.exists():  # the student may have changed it since: never overwritten
        settings.mkdir(parents=True, exist_ok=True)
        news.write_text(json.dumps(NEWS_OFF), encoding="utf-8")


def _release(checkout: Path, report: WorkspaceReport) -> None:
    """Release every problem set of the local course that its exchange does not offer yet."""
    from designkit.classroom.assignments import prepare_exchange
    from designkit.classroom.course import Course

    course = Course.find(checkout)
    outbound = course.exchange_root() / course.course_id() / "outbound"
    todo = [name for name in course.assignment_names()
            if (course.release / name).is_dir() and not (outbound / name).is_dir()]
    if not todo:
        return
    try:
        prepare_exchange(course)
    except OSError as exc:
        report.release_note = (f"could not create the exchange {course.exchange_root()} ({exc}): the Assignments "
                               "tab stays empty; your course's server may provide it, or set DESIGNKIT_EXCHANGE")
        return
    api = course.api()
    for name in todo:
        result = api.release_assignment(name)
        if result.get("success"):
            report.released.append(name)
        else:
            log = ((result.get("log") or "") + (result.get("error") or "")).strip().splitlines()
            report.release_note = f"could not release {name} to {outbound.parent}: {' '.join(log[-2:])}"


def released_sets(checkout: Path) -> list[str]:
    """The problem sets the course's exchange offers (its ``outbound/``), in course order.

    >>> released_sets(Path("/nonexistent"))
    []
    """
    from designkit.classroom.course import Course, CourseError

    try:
        course = Course.find(checkout)
    except CourseError:
        return []
    outbound = course.exchange_root() / course.course_id() / "outbound"
    return [n for n in course.assignment_names() if (outbound / n).is_dir()]


def prepare(home: Path | None = None, checkout: Path | None = None, release: bool = True) -> WorkspaceReport:
    """Create or update the working copy ``home`` (default ``default_home()``) from the ``checkout``'s course;
    with ``release``, release the local course's problem sets to its exchange when it has none of them yet."""
    home = (home or default_home()).expanduser().resolve()
    checkout = (checkout or Path(__file__).resolve().parents[2]).resolve()
    if home == checkout or checkout in home.parents:
        raise ValueError(f"the working copy {home} is inside the git checkout {checkout}: running the modules "
                         "there would write into tracked files; set DESIGNKIT_HOME to a folder outside it")
    home.mkdir(parents=True, exist_ok=True)
    report = WorkspaceReport(home)
    _sync_course(home, checkout, report)
    _write_config(home, checkout)
    if release:
        _release(checkout, report)
    return report


def lab_command(home: Path, jupyter: str = "jupyter", extra: list[str] | None = None) -> list[str]:
    """The ``jupyter lab`` command that opens the working copy ``home`` at the first module.

    >>> lab_command(Path("/h"))[:2]
    ['jupyter', 'lab']
    """
    return [jupyter, "lab", f"--ServerApp.root_dir={home}", f"--LabApp.user_settings_dir={home / '.jupyterlab-settings'}",
            "--LabApp.news_url=None", "--LabApp.default_url=/lab/tree/course/00-start-here.ipynb", *(extra or [])]
