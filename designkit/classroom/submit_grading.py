"""Grading on submit: a student's "Check & submit" brings autograded feedback back within a minute.

Opt-in per problem set, in the course's ``nbgrader_config.py``::

    c.SubmitGrading.assignments = {
        "ps0-warm-up": {"hidden_tests": "always"},      # hidden tests count at once
        "ps1-child-mortality": {},                      # default "after_due": visible checks only until the due date
    }
    c.SubmitGrading.wait = 300   # seconds a submission may queue behind another grading run (default 300)

``hidden_tests``: ``"always"`` applies the hidden tests on submit; ``"after_due"`` (the default) applies them
only once nbgrader's due date of the set (``nbgrader db assignment add SET --duedate=...``) has passed: before
it, the submission is graded on its visible checks only and the feedback says so.

What happens (``grade_submission``), in the process the Jupyter server starts for it
(``python -m designkit.classroom.submit_grading``):

1. the newest submission of the student in the exchange's ``inbound/`` (what nbgrader's submit wrote) is
   copied into a scratch course ``backups/on-submit/<student>+<set>+<stamp>/`` of the course folder (links and
   special files dropped, the kit's pre-flight repairs applied and named);
2. the course's ONE grading lock is taken (queued behind ``make grade`` or another submission, ``wait`` seconds
   at most);
3. nbgrader generates the set into the scratch gradebook, autogrades the submission in the kit's sandbox
   (``designkit.grading.sandbox_config``: the engine ``make grade`` uses), with the hidden tests cleared
   (nbgrader's ``ClearHiddenTests`` after ``OverwriteCells``) when they do not apply yet, and generates the
   feedback page (parts by name) for that student only;
4. the page is copied where nbgrader's own "Fetch Feedback" puts it, ``<set>/feedback/<timestamp>/`` in the
   student's folder, and the scores per part are printed as one JSON line.

The course's gradebook is never written: the scores of record still come from ``make grade`` after the due
date (the scratch course is deleted afterwards). Every step prints one JSON line (``{"state": ...}``) the server
reads; a failure is a ``{"state": "failed", "message": ...}`` line, never silence.

>>> policy({"ps0": {"hidden_tests": "always"}}, "ps0", None)
(True, True, '')
>>> policy({"ps0": {}}, "ps0", None)[1:]
(False, 'Hidden tests are applied when your instructor grades the set.')
>>> policy({}, "ps0", None)[0]
False
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from designkit.i18n import _

HIDDEN_CHOICES = ("always", "after_due")
DEFAULT_WAIT = 300.0
SCRATCH = ("backups", "on-submit")


class SubmitGradingError(RuntimeError):
    """Grading on submit cannot run; the message says why and what happens instead."""


def settings(config: Any) -> tuple[dict[str, dict[str, Any]], float]:
    """``(assignments, wait)`` of the ``SubmitGrading`` section of a loaded nbgrader config.

    >>> from traitlets.config import Config
    >>> c = Config(); c.SubmitGrading.assignments = {"ps0": {}}; settings(c)
    ({'ps0': {}}, 300.0)
    """
    section = config["SubmitGrading"] if "SubmitGrading" in config else {}
    assignments = section.get("assignments", {}) if hasattr(section, "get") else {}
    if isinstance(assignments, (list, tuple)):
        assignments = {name: {} for name in assignments}
    if not isinstance(assignments, dict):
        raise SubmitGradingError(f"c.SubmitGrading.assignments must be a dict of set name -> options, not "
                                 f"{type(assignments).__name__}: fix the course's nbgrader_config.py")
    for name, options in assignments.items():
        hidden = (options or {}).get("hidden_tests", "after_due")
        if hidden not in HIDDEN_CHOICES:
            raise SubmitGradingError(f"c.SubmitGrading.assignments[{name!r}]['hidden_tests'] is {hidden!r}: use "
                                     f"{' or '.join(map(repr, HIDDEN_CHOICES))} in the course's nbgrader_config.py")
    return {str(k): dict(v or {}) for k, v in assignments.items()}, float(section.get("wait", DEFAULT_WAIT))


def policy(assignments: dict[str, dict[str, Any]], assignment: str, due: datetime | None,
           now: datetime | None = None) -> tuple[bool, bool, str]:
    """``(enabled, hidden tests apply, note for the student)`` for ``assignment`` submitted ``now``."""
    if assignment not in assignments:
        return False, False, ""
    if assignments[assignment].get("hidden_tests", "after_due") == "always":
        return True, True, ""
    if due is None:
        return True, False, _("Hidden tests are applied when your instructor grades the set.")
    now = now or datetime.now(timezone.utc)
    due_utc = due if due.tzinfo else due.replace(tzinfo=timezone.utc)
    if now >= due_utc:
        return True, True, ""
    return True, False, _("Visible checks only: hidden tests are applied after the due date ({due}).",
                          due=due_utc.strftime("%Y-%m-%d %H:%M UTC"))


def due_date(course: Any, assignment: str) -> datetime | None:
    """nbgrader's due date of ``assignment`` in the course's gradebook (None: none set, or no gradebook yet)."""
    if course.sqlite_path is not None and not course.gradebook.exists():
        return None
    from nbgrader.api import MissingEntry

    with course.open_gradebook() as gb:
        try:
            return gb.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def latest_submission(inbound: Path, student: str, assignment: str) -> Path:
    """The newest ``<student>+<assignment>+<timestamp>[+<random>]`` folder in the exchange's ``inbound``.

    >>> import tempfile; box = Path(tempfile.mkdtemp())
    >>> for stamp in ("2026-01-01 10:00:00.1 UTC", "2026-01-02 09:00:00.1 UTC"):
    ...     (box / f"s1+ps0+{stamp}+abc").mkdir()
    >>> latest_submission(box, "s1", "ps0").name
    's1+ps0+2026-01-02 09:00:00.1 UTC+abc'
    """
    from nbgrader.utils import parse_utc

    found = []
    for folder in inbound.glob(f"{student}+{assignment}+*"):
        parts = folder.name.split("+")
        if len(parts) >= 3 and parts[0] == student and parts[1] == assignment:
            try:
                found.append((parse_utc(parts[2]), folder))
            except (ValueError, TypeError):
                continue
    if not found:
        raise SubmitGradingError(_("No submission of {assignment} by {student} was found in the course's "
                                   "exchange ({inbound}): submit it again.",
                                   assignment=assignment, student=student, inbound=str(inbound)))
    return max(found)[1]


def _scratch_course(course: Any, assignment: str, folder: Path) -> Any:
    """A course folder of its own for one grading run: the course's config (its own root and SQLite gradebook),
    the header and ``source/<assignment>``."""
    from designkit.classroom.course import CONFIG_NAME, Course

    (folder / "source").mkdir(parents=True)
    (folder / CONFIG_NAME).write_text(
        "# Written by designkit.classroom.submit_grading: one submission graded on its own, then deleted.\n"
        "c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(course.config_file)!r})  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(folder)!r}\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(folder / 'gradebook.db')!r}\n", encoding="utf-8")
    for item in course.source.iterdir():
        if item.is_file() and item.suffix == ".ipynb":
            shutil.copy2(item, folder / "source" / item.name)
    shutil.copytree(course.source / assignment, folder / "source" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return Course(folder)


def _part_scores(scratch: Any, student: str, assignment: str) -> tuple[list[dict[str, Any]], float, float]:
    """Each autograded part (name, score, max_score) of the scratch gradebook, in notebook order."""
    from designkit.classroom.feedback_parts import part_label

    parts = []
    with scratch.open_gradebook() as gb:
        submission = gb.find_submission(assignment, student)
        score, max_score = float(submission.score), float(submission.max_score)
        for notebook in submission.notebooks:
            path = scratch.autograded / student / assignment / f"{notebook.name}.ipynb"
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"] if path.is_file() else []
            by_id = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id"): c for c in cells}
            order = {gid: i for i, gid in enumerate(by_id)}
            for grade in sorted(notebook.grades, key=lambda g: order.get(g.name, len(order))):
                cell = by_id.get(grade.name)
                if grade.cell_type != "code" or cell is None or grade.max_score == 0:
                    continue
                if not cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
                    continue
                name = part_label(cell, grade.name)
                parts.append({"name": name, "grade_id": grade.name,
                              "score": float(grade.score), "max_score": float(grade.max_score),
                              "manual": bool(cell.get("metadata", {}).get("nbgrader", {}).get("solution"))})
    return [p for p in parts if not p["manual"]], score, max_score


def _failure(result: dict) -> str:
    from designkit.classroom.grading import environment_failure

    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    env = environment_failure(text)
    if env:
        return env
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and "Traceback" not in ln]
    return lines[-1][:300] if lines else "nbgrader gave no reason"


def _note_on_page(page: Path, note: str) -> None:
    """Put ``note`` at the top of a feedback page (what this grading did not apply yet)."""
    import html

    text = page.read_text(encoding="utf-8")
    box = (f'<div class="designkit-on-submit" role="note" style="border:2px solid #0072b2;padding:0.6em;margin:1em">'
           f"<strong>{html.escape(_('Graded on submit'))}</strong>: {html.escape(note)}</div>")
    at = text.find("<body")
    at = text.find(">", at) + 1 if at >= 0 else 0
    page.write_text(text[:at] + box + text[at:], encoding="utf-8")


def _step(step: str, result: dict) -> None:
    if not result.get("success"):
        raise SubmitGradingError(_("Grading stopped at the {step} step: {reason}. Your submission is safe in the "
                                   "course; your instructor grades it later.", step=step, reason=_failure(result)))


def grade_submission(course_root: str | Path, student: str, assignment: str, student_folder: str | Path,
                     *, use_sandbox: bool = True, now: datetime | None = None,
                     report: Callable[[dict[str, Any]], None] = lambda state: None) -> dict[str, Any]:
    """Grade ``student``'s newest submission of ``assignment`` (see the module's docstring) and put the feedback
    into ``student_folder/<assignment>/feedback/<timestamp>/``; returns the result (``state`` ``"done"``), or
    ``{"state": "off"}`` when the course does not grade this set on submit. ``report`` gets each step's state.
    Raises ``SubmitGradingError`` (or the lock's ``LockError``) with a message for the student."""
    from designkit.classroom.course import Course
    from designkit.classroom.preflight import check_submission
    from designkit.classroom.status import State, StatusRow, StatusTable
    from designkit.grading import sandbox_config
    from designkit.grading.intake import sanitize
    from designkit.grading.lock import LockBusy

    course = Course.find(course_root)
    assignments, wait = settings(course.nbgrader_config())
    course.check_assignments([assignment])
    enabled, hidden, note = policy(assignments, assignment, due_date(course, assignment), now)
    if not enabled:
        return {"state": "off", "message": _("Grading on submit is off for {assignment}: your instructor grades "
                                             "it later, and the feedback comes through the Assignments tab.",
                                             assignment=assignment)}
    inbound = latest_submission(course.exchange_root() / course.course_id() / "inbound", student, assignment)
    stamp = (inbound / "timestamp.txt").read_text(encoding="utf-8").strip()
    work = course.root.joinpath(*SCRATCH) / f"{student}+{assignment}+{uuid.uuid4().hex[:8]}"
    lock = course.lock(0.0, f"grade on submit: {student}/{assignment}")
    try:
        lock.acquire()
    except LockBusy as busy:
        report({"state": "queued", "message": _("Queued behind another grading run ({holder}).",
                                                holder=busy.holder.describe())})
        try:
            lock = course.lock(wait, f"grade on submit: {student}/{assignment}").acquire()
        except LockBusy as still:
            raise SubmitGradingError(_("The course's grader stayed busy for {seconds:.0f} s ({holder}). Your "
                                       "submission is safe in the course; submit again later for feedback now, "
                                       "or wait for your instructor's grading.", seconds=wait,
                                       holder=still.holder.describe())) from still
    try:
        report({"state": "grading", "message": _("Grading {assignment}…", assignment=assignment)})
        start = time.monotonic()
        scratch = _scratch_course(course, assignment, work)
        extra = sandbox_config(enabled=use_sandbox, evidence_dir=str(work / "evidence"))
        if not hidden:
            from nbgrader.converters import Autograde

            sanitizers = list(Autograde.class_traits()["sanitize_preprocessors"].default())
            extra.Autograde.sanitize_preprocessors = [*sanitizers, "nbgrader.preprocessors.ClearHiddenTests"]
        api = scratch.api(extra)
        _step("generate", api.generate_assignment(assignment, force=True))
        submitted = scratch.submitted / student / assignment
        shutil.copytree(inbound, submitted, symlinks=True)
        dropped = sanitize(submitted)
        pre = check_submission(scratch, student, assignment)
        if not pre.ok:
            raise SubmitGradingError(_("Your submission could not be graded: {reason}. Fix it and submit again.",
                                       reason=pre.reason))
        StatusTable(scratch.status_file).put(StatusRow(student, assignment, State.GRADED, flags=pre.flags()))
        lock.check()
        _step("autograde", api.autograde(assignment, student, force=True, create=True))
        lock.check()
        _step("feedback", api.generate_feedback(assignment, student, force=True))
        parts, score, max_score = _part_scores(scratch, student, assignment)
        dest = Path(student_folder) / assignment / "feedback" / stamp
        dest.mkdir(parents=True, exist_ok=True)
        pages = []
        for page in sorted((scratch.feedback / student / assignment).glob("*.html")):
            shutil.copy2(page, dest / page.name)
            pages.append(str((dest / page.name).relative_to(Path(student_folder))))
        if not pages:
            raise SubmitGradingError(_("nbgrader wrote no feedback page for {assignment}; your instructor grades "
                                       "it later.", assignment=assignment))
        notes = [note] if note else []
        notes += [_("Left out of your submission: {files}.", files=", ".join(str(d) for d in dropped))] if dropped else []
        notes += [_("Repaired before grading: {what}.", what=r) for r in pre.repairs]
        if note:
            for page in pages:
                _note_on_page(Path(student_folder) / page, note)
        return {"state": "done", "assignment_id": assignment, "timestamp": stamp, "hidden_tests": hidden,
                "parts": parts, "score": score, "max_score": max_score, "feedback": pages, "notes": notes,
                "seconds": round(time.monotonic() - start, 1)}
    finally:
        lock.release()
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m designkit.classroom.submit_grading --course-dir C --student S --assignment A --folder F``:
    one JSON line per step on stdout, the last one ``done``, ``off`` or ``failed``."""
    parser = argparse.ArgumentParser(prog="python -m designkit.classroom.submit_grading", description=__doc__.split("\n")[0])
    parser.add_argument("--course-dir", required=True)
    parser.add_argument("--student", required=True)
    parser.add_argument("--assignment", required=True)
    parser.add_argument("--folder", required=True, help="the student's folder (the Jupyter server's root)")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without bubblewrap (trusted code only)")
    args = parser.parse_args(argv)

    import warnings

    warnings.filterwarnings("ignore", module="nbgrader")  # SQLAlchemy's warnings about nbgrader's own sessions

    def say(state: dict[str, Any]) -> None:
        print(json.dumps(state), flush=True)

    try:
        say(grade_submission(args.course_dir, args.student, args.assignment, args.folder,
                             use_sandbox=not args.no_sandbox, report=say))
        return 0
    except Exception as exc:  # noqa: BLE001  (every failure reaches the student, in one line)
        from designkit.grading.lock import LockError

        known = isinstance(exc, (SubmitGradingError, LockError))
        message = str(exc) if known else _("Grading on submit failed ({error}). Your submission is safe in the "
                                           "course; your instructor grades it later.",
                                           error=f"{type(exc).__name__}: {exc}")
        say({"state": "failed", "message": message})
        if not known:
            import traceback

            traceback.print_exc(file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
