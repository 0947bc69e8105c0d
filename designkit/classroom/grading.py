"""Parallel, resumable autograding over nbgrader's own API.

``grade(course, jobs=N)`` autogrades every submission in ``submitted/``:

- students are graded concurrently in ``N`` long-lived worker processes; each imports nbgrader once
  and runs ``NbGraderAPI.autograde`` (the same code as ``nbgrader autograde``) for one student at a
  time, so a student is never graded in two processes at once (both would rewrite one folder);
- every submission first goes through ``preflight.check_submission``; one that cannot be graded is
  recorded with its reason and zero scores, and never aborts the batch;
- the gradebook is backed up first (``backups/``); SQLite "database is locked" errors are retried;
- each finished submission reaches the status table within a second (and the gradebook at once), so a run
  killed mid-batch keeps its completed grades; the next run skips what is already graded (same files, same fingerprint)
  and regrades the rest, removing half-written ``autograded/`` folders (``force=True`` regrades all).

>>> from designkit.classroom.course import Course
>>> default_jobs() >= 1
True
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from designkit.classroom.course import Course, CourseError, retry_db, set_of
from designkit.classroom.status import CellProblem, Flag, FlagKind, State, StatusRow, StatusTable, fingerprint
from designkit.i18n import set_lang

RETRIES = 6
DEFAULT_MAX_STORED = 20 * 1024 ** 2  # bytes kept per student in autograded/ + feedback/
SAVE_EVERY = 1.0  # seconds between writes of the status table while grading (and once at the end)
STOP_AFTER = 3  # submissions in a row failing the same way through the environment's fault stop the batch


class GradingStopped(CourseError):
    """Grading stopped before recording wrong grades: the grading environment is broken (the message says
    how and what to do)."""


class WorkerStartFailed(CourseError):
    """A grading worker process could not start; nothing was graded by it."""

try:  # the grading sandbox (bubblewrap); optional until it is installed
    from designkit import grading as _sandbox
except ImportError:  # pragma: no cover - depends on the checkout
    _sandbox = None


class SandboxRefused(RuntimeError):
    """Grading was asked to run sandboxed but the sandbox cannot run here."""


def default_jobs() -> int:
    """The number of worker processes used when ``--jobs`` is not given: the number of cores."""
    return max(1, os.cpu_count() or 1)


def sandbox_decision(no_sandbox: bool) -> tuple[bool, str]:
    """(use the sandbox?, message to print). Raises ``SandboxRefused`` when it is wanted but cannot run.

    >>> sandbox_decision(True)[0]
    False
    """
    if no_sandbox:
        return False, ("WARNING: grading WITHOUT the sandbox (--no-sandbox): student code runs with your own "
                       "permissions, network and files. Do this only for code you trust.")
    if _sandbox is None:
        return False, ("WARNING: designkit.classroom.sandbox is not installed in this checkout: grading "
                       "WITHOUT the sandbox.")
    if not _sandbox.bwrap_available():
        raise SandboxRefused(str(_sandbox.SandboxUnavailable()))
    return True, "Kernels run in the bubblewrap sandbox (no network, only the submission's folder)."


def evidence_dir(course: Course) -> Path:
    """Where the grading engine writes each run's evidence (``<student>/<set>/<notebook>.json``)."""
    return course.backups / "evidence"


def _extra_config(mode: str, course: Course | None = None) -> Any:
    """The grading engine's nbgrader config for a worker: ``sandbox`` (bubblewrap), ``nosandbox`` (its
    limits and guard without bubblewrap) or ``feedback`` (hidden tests redacted)."""
    if _sandbox is None:
        return None
    try:
        if mode == "feedback":
            return _sandbox.feedback_config() if hasattr(_sandbox, "feedback_config") else None
        limits = {"evidence_dir": str(evidence_dir(course))} if course is not None else {}
        return _sandbox.sandbox_config(enabled=(mode == "sandbox"), **limits)
    except ImportError:
        if mode == "sandbox":
            raise
        return None


# --------------------------------------------------------------------------------------------------
# what runs inside a worker process
# --------------------------------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(root: str, mode: str, queue: Any = None, options: dict | None = None) -> None:
    """Import nbgrader once per worker and keep one NbGraderAPI for every student it grades. A worker that
    cannot start says why on the queue (``("start-failed", error)``) before it exits."""
    warnings.filterwarnings("ignore")
    _WORKER["queue"] = queue
    try:
        # kernels inherit this process's stdout and stderr: keep their start-up chatter off the progress bar
        # (nbgrader's own log of every submission comes back through NbGraderAPI's captured log)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
        course = Course(Path(root))
        extra = _extra_config(mode, course)
        _WORKER["course"] = course
        _WORKER["api"] = course.api(extra)
        _WORKER.update(options or {})
    except BaseException as exc:
        if queue is not None:
            queue.put(("start-failed", f"{type(exc).__name__}: {exc}"))
        raise


def _timestamp(folder: Path) -> datetime | None:
    from nbgrader.utils import parse_utc

    path = folder / "timestamp.txt"
    if not path.exists():
        return None
    try:
        return parse_utc(path.read_text(encoding="utf-8").strip())
    except Exception:
        return None


def record_zero(course: Course, student: str, assignment: str, timestamp: datetime | None) -> None:
    """Record a submission that cannot be graded in the gradebook with every score zero (what stock
    nbgrader does for a missing notebook), so totals stay complete; the status table says why."""

    def _do() -> None:
        with course.open_gradebook() as gb:
            gb.update_or_create_student(student)
            kwargs = {"timestamp": timestamp} if timestamp else {}
            sub = gb.update_or_create_submission(assignment, student, **kwargs)
            for notebook in sub.notebooks:
                for grade in notebook.grades:
                    grade.auto_score = 0  # a score a person entered (manual_score) is kept
                    grade.needs_manual_grade = False
            gb.db.commit()

    retry_db(_do)


def _autograde(api: Any, student: str, assignment: str) -> dict:
    result: dict = {}
    for attempt in range(RETRIES):
        result = api.autograde(assignment, student, force=True, create=True)
        text = (result.get("error") or "") + (result.get("log") or "")
        if result.get("success") or "database is locked" not in text:
            return result
        time.sleep(0.2 * 2 ** attempt)
    return result


def _failure_reason(result: dict) -> str:
    """The most telling line of a failed nbgrader run: the exception raised inside it, else its last
    specific [ERROR] line."""
    import re

    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    generic = ("There was an error processing", "Please see", "NbGraderException", "Traceback")
    raised = [ln for ln in lines if re.match(r"^[\w.]+(Error|Exception|Interrupt)\b.*:", ln)
              and not any(g in ln for g in generic)]
    if raised:
        return "nbgrader could not grade it: " + raised[-1][:300]
    errors = [ln.removeprefix("[ERROR]").strip() for ln in lines
              if ln.startswith("[ERROR]") and not any(g in ln for g in generic)]
    if errors:
        return "nbgrader could not grade it: " + errors[-1][:300]
    return "nbgrader could not grade it: " + (lines[-1][:300] if lines else "unknown error")


# what no student can cause: the grading machine or its environment failed (checked on nbgrader's log)
ENVIRONMENT_SIGNS = (
    ("No space left on device", "the disk is full (No space left on device)"),
    ("[Errno 28]", "the disk is full (No space left on device)"),
    ("Kernel died before replying to kernel_info", "the grading kernel failed to start"),
    ("KernelStartError", "the grading kernel failed to start"),
    ("kernel failed to start", "the grading kernel failed to start"),
    ("Timeout waiting for kernel_info reply", "the grading kernel failed to start (no reply)"),
    ("No such kernel named", "the grading kernel is not installed"),
)


def environment_failure(text: str) -> str:
    """The environment's fault named in an nbgrader log or traceback, or "" when there is none.

    >>> environment_failure("OSError: [Errno 28] No space left on device: 'autograded/s1'")
    "the disk is full (No space left on device): OSError: [Errno 28] No space left on device: 'autograded/s1'"
    >>> environment_failure("AssertionError: wrong answer")
    ''
    """
    for sign, reason in ENVIRONMENT_SIGNS:
        if sign in text:
            detail = next((ln.strip() for ln in text.splitlines() if sign in ln), "")
            return reason if not detail or detail == reason else f"{reason}: {detail[:200]}"
    return ""


def _cell_problems(folder: Path, modules: set[str]) -> tuple[list[CellProblem], str]:
    """Errors raised outside the tests (the student's own code) and cell timeouts, from autograded/; and the
    environment's fault when a read-only cell could not import a module the course needs (``modules``: the
    top-level modules the course's set-up cells import)."""
    import re

    problems: list[CellProblem] = []
    environment = ""
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if not errors:
                continue
            names = [str(o.get("ename", "")) for o in errors]
            where = meta.get("grade_id") or cell.get("id", "?")
            if meta.get("locked") and not meta.get("grade"):
                for o in errors:
                    m = re.search(r"No module named '([^']+)'", str(o.get("evalue", "")))
                    if o.get("ename") in ("ModuleNotFoundError", "ImportError") and m and \
                            m.group(1).split(".")[0] in modules:
                        environment = environment or (
                            f"the grading kernel cannot import {m.group(1)!r}, which the course needs "
                            f"(read-only cell '{where}' of {path.name})")
            if any("Timeout" in n or "Interrupt" in n for n in names):
                problems.append(CellProblem(str(where), "timeout", names[0]))
            elif not (meta.get("grade") and meta.get("locked")):  # a failing test is lost points, not an error
                problems.append(CellProblem(str(where), "error", names[0]))
    return problems, environment


def _evidence(course: Course, student: str, assignment: str) -> tuple[list[str], list[CellProblem], str]:
    """What the grading engine recorded of the run (``designkit.grading.read_evidence``): what the guard
    restored, cells whose kernel died, that did not run or whose guard check failed, and a kernel that
    failed to start."""
    from designkit.grading import read_evidence

    restored: list[str] = []
    cells: list[CellProblem] = []
    start_error = ""
    for run in read_evidence(evidence_dir(course), student, assignment):
        for r in run.restored:
            restored.append(f"{run.notebook}: before cell '{r.get('grade_id') or r.get('cell_index')}': "
                            f"{', '.join(map(str, r.get('restored', [])))}")
        for event in run.cells:
            if event.status in ("kernel_died", "not_run", "guard_failed"):
                cells.append(CellProblem(event.grade_id or str(event.cell_index), event.status,
                                         f"{event.ename}: {event.evalue}".strip(": ")))
        start_error = start_error or run.start_error
    return restored, cells, start_error


# --------------------------------------------------------------------------------------------------
# the gradebook around one run: what to put back when the environment failed
# --------------------------------------------------------------------------------------------------
def _snapshot(course: Course, student: str, assignment: str) -> dict | None:
    from nbgrader.api import MissingEntry

    def _do() -> dict | None:
        with course.open_gradebook() as gb:
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                return None
            return {(nb.name, g.name): (g.auto_score, g.needs_manual_grade) for nb in sub.notebooks for g in nb.grades}

    return retry_db(_do)


def _revert(course: Course, student: str, assignment: str, snap: dict | None) -> None:
    """Undo what a run whose environment failed wrote: its zeros never reach the gradebook. Scores a person
    entered (manual scores) are never touched."""
    from nbgrader.api import MissingEntry

    def _do() -> None:
        with course.open_gradebook() as gb:
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                return
            if snap is None:
                if not any(g.manual_score is not None for nb in sub.notebooks for g in nb.grades):
                    gb.remove_submission(assignment, student)
                    return
            for nb in sub.notebooks:
                for g in nb.grades:
                    if snap is not None and (nb.name, g.name) in snap:
                        g.auto_score, g.needs_manual_grade = snap[(nb.name, g.name)]
                    else:
                        g.auto_score, g.needs_manual_grade = None, True
            gb.db.commit()

    retry_db(_do)


# --------------------------------------------------------------------------------------------------
# the stored-bytes cap
# --------------------------------------------------------------------------------------------------
def _stored_bytes(folder: Path) -> int:
    total = 0
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            st = os.lstat(os.path.join(dirpath, name))
            total += st.st_size if stat.S_ISREG(st.st_mode) else 0
    return total


def _mb(n: int) -> str:
    return f"{n / 1024 ** 2:.1f} MB"


KEEP_ALWAYS = {"timestamp.txt", "submission_secret.txt"}


def enforce_cap(course: Course, student: str, assignment: str, cap: int) -> list[str]:
    """Keep what is stored for ``student`` (``autograded/`` + ``feedback/``) under ``cap`` bytes: files of
    ``assignment`` other than its notebooks are left out, largest first. Returns what was left out.
    """
    if cap <= 0:
        return []
    used = _stored_bytes(course.autograded / student) + _stored_bytes(course.feedback / student)
    if used <= cap:
        return []
    notebooks = {f"{nb}.ipynb" for nb in course.notebook_ids(assignment)}
    candidates = []
    for base in (course.autograded / student / assignment, course.feedback / student / assignment):
        for dirpath, _, filenames in os.walk(base):
            for name in filenames:
                path = Path(dirpath) / name
                rel = path.relative_to(base)
                if str(rel) in notebooks or str(rel) in KEEP_ALWAYS or (
                        base == course.feedback / student / assignment and path.suffix == ".html"):
                    continue
                candidates.append((path.lstat().st_size, path, rel))
    left: list[str] = []
    for size, path, rel in sorted(candidates, key=lambda c: (-c[0], str(c[1]))):
        if used <= cap:
            break
        path.unlink()
        used -= size
        text = f"'{rel}' ({_mb(size)})"
        if text not in left:
            left.append(text)
    return left


def note_left_out(folder: Path, left_out: list[str], cap: int) -> int:
    """Put a note saying what was left out at the top of every feedback page in ``folder``; returns how many
    pages got it (a page that has it already is left alone)."""
    import html

    if not left_out:
        return 0
    note = ('<div class="designkit-left-out" style="border:2px solid #d55e00;padding:0.6em;margin:1em">'
            f"<strong>Left out of what the course keeps of your submission</strong> (at most {_mb(cap)} per "
            f"student): {html.escape(', '.join(left_out))}. Your notebook was graded with these files in place."
            "</div>")
    done = 0
    for page in sorted(folder.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "designkit-left-out" in text:
            continue
        at = text.find("<body")
        at = text.find(">", at) + 1 if at >= 0 else 0
        page.write_text(text[:at] + note + text[at:], encoding="utf-8")
        done += 1
    return done


def _grade_one(course: Course, api: Any, student: str, assignment: str) -> StatusRow:
    from designkit.classroom.collect import recorded_drops
    from designkit.classroom.preflight import check_submission

    folder = course.submitted / student / assignment
    dest = course.autograded / student / assignment
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    try:
        pre = check_submission(course, student, assignment)
    except CourseError:
        raise
    except Exception as exc:  # a submission must never abort the batch
        from designkit.classroom.preflight import Preflight

        pre = Preflight(ok=False, reason=f"pre-flight check failed: {type(exc).__name__}: {exc}")
    fp = fingerprint(folder)
    stamp = _timestamp(folder)
    row = StatusRow(student, assignment, State.GRADED, fingerprint=fp, flags=pre.flags(), graded_at=now,
                    dropped=recorded_drops(course, student, assignment))
    if pre.ok:
        snap = _snapshot(course, student, assignment)
        shutil.rmtree(evidence_dir(course) / student / assignment, ignore_errors=True)
        result = _autograde(api, student, assignment)
        row.log = (result.get("log") or "") + (("\n" + result["error"]) if result.get("error") else "")
        row.guard_restored, engine_cells, start_error = _evidence(course, student, assignment)
        env = environment_failure(row.log) or (f"the grading kernel {start_error}" if start_error else "")
        if result.get("success") and not env:
            row.cells, env = _cell_problems(dest, _WORKER.get("modules", set()))
            row.cells += [c for c in engine_cells if c.cell not in {x.cell for x in row.cells}]
        if env:  # not the student's fault: nothing is recorded, the next run grades it again
            _revert(course, student, assignment, snap)
            if dest.exists():
                shutil.rmtree(dest)
            row.state, row.environment, row.reason = State.FAILED, env, f"grading environment failed: {env}"
            row.add(FlagKind.ENVIRONMENT, env)
            return row
        if not result.get("success"):
            pre.ok = False
            pre.reason = _failure_reason(result)
    if not pre.ok:
        if dest.exists():
            shutil.rmtree(dest)
        record_zero(course, student, assignment, stamp)
        row.state, row.reason = State.NOT_GRADED, pre.reason
        row.flags.insert(0, Flag(FlagKind.NOT_GRADED, pre.reason))
    else:
        for cell in row.cells:
            row.add(FlagKind.TIMEOUT if cell.problem == "timeout" else FlagKind.ERROR, cell.describe())
        if row.guard_restored:
            row.add(FlagKind.GUARD, f"{len(row.guard_restored)} restoration(s): {row.guard_restored[0]}")
        row.left_out = enforce_cap(course, student, assignment, _WORKER.get("max_stored", DEFAULT_MAX_STORED))
        if row.left_out:
            row.add(FlagKind.LEFT_OUT, f"over the {_mb(_WORKER.get('max_stored', DEFAULT_MAX_STORED))} cap "
                                       f"per student: {', '.join(row.left_out)}")
    if row.dropped:
        row.flags.insert(0, Flag(FlagKind.DROPPED, "; ".join(row.dropped) + " (never followed or copied)"))

    def _read() -> None:
        with course.open_gradebook() as gb:
            sub = gb.find_submission(assignment, student)
            row.score, row.max_score = float(sub.score), float(sub.max_score)
            row.seconds_late = float(sub.total_seconds_late or 0)
            row.late = row.seconds_late > 0
            row.needs_manual = bool(sub.needs_manual_grade)

    retry_db(_read)
    if row.late:
        row.flags.insert(0, Flag(FlagKind.LATE, f"{row.seconds_late / 3600:.1f} h after the due date"))
    return row


def grade_student(student: str, assignments: list[str]) -> list[dict]:
    """Worker task: grade every pending assignment of one student; returns status rows as dicts."""
    course, api = _WORKER["course"], _WORKER["api"]
    rows = []
    for assignment in assignments:
        try:
            row = _grade_one(course, api, student, assignment)
        except CourseError:
            raise
        except Exception as exc:
            why = f"grading failed: {type(exc).__name__}: {exc}"
            env = environment_failure(f"{type(exc).__name__}: {exc}")
            row = StatusRow(student, assignment, State.FAILED if env else State.NOT_GRADED,
                            fingerprint=fingerprint(course.submitted / student / assignment), reason=why,
                            environment=env, flags=[Flag(FlagKind.ENVIRONMENT if env else FlagKind.NOT_GRADED, why)])
        rows.append(row.to_json())
        if _WORKER.get("queue") is not None:  # each finished submission reaches the status table at once
            _WORKER["queue"].put(("row", rows[-1]))
    return rows


def submission_lang(course: Course, student: str, assignment: str) -> str:
    """The language of a submission: its notebooks' ``metadata.designkit.lang`` (``en`` when none says), the
    same rule the grading kernel's ``COURSE_LANG`` follows (``designkit.grading.execute.notebook_lang``)."""
    from designkit.grading.execute import notebook_lang

    for path in sorted((course.submitted / student / assignment).glob("*.ipynb")):
        try:
            found = notebook_lang(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # an unreadable notebook was not graded either; its page falls back to English
        if found != "en":
            return found
    return "en"


def feedback_student(student: str, assignments: list[str]) -> list[tuple[str, bool, str]]:
    """Worker task: nbgrader generate_feedback for one student's graded assignments; files left out by the
    stored-bytes cap are named at the top of each feedback page."""
    api, course = _WORKER["api"], _WORKER["course"]
    table = StatusTable(course.status_file)
    cap = _WORKER.get("max_stored", DEFAULT_MAX_STORED)
    out = []
    for assignment in assignments:
        set_lang(submission_lang(course, student, assignment))  # the page in the student's language
        try:
            result = api.generate_feedback(assignment, student, force=True)
        finally:
            set_lang(None)
        ok = bool(result.get("success"))
        if ok:
            row = table.get(student, assignment)
            left = list(row.left_out) if row is not None else []
            left += [x for x in enforce_cap(course, student, assignment, cap) if x not in left]
            note_left_out(course.feedback / student / assignment, left, cap)
        out.append((assignment, ok, "" if ok else _failure_reason(result)))
    return out


# --------------------------------------------------------------------------------------------------
# the batch, in the main process
# --------------------------------------------------------------------------------------------------
@dataclass
class GradeSummary:
    """What a grading run did."""

    graded: int = 0
    not_graded: int = 0
    skipped: int = 0
    missing: int = 0
    half_written: int = 0
    failed: int = 0
    stopped: str = ""
    dropped: dict[str, list[str]] = field(default_factory=dict)
    backup: Path | None = None
    seconds: float = 0.0
    rows: list[StatusRow] = field(default_factory=list)


def _autograded_complete(course: Course, student: str, assignment: str) -> bool:
    dest = course.autograded / student / assignment
    return dest.is_dir() and all((dest / f"{nb}.ipynb").exists() for nb in course.notebook_ids(assignment)
                                 if (course.submitted / student / assignment / f"{nb}.ipynb").exists())


def _gradebook_names(course: Course, table: str) -> set[str]:
    """Student ids (``student``) or assignment names (``assignment``) in the gradebook; read with sqlite3
    when it is a file (no nbgrader import), else through nbgrader's Gradebook."""
    if course.sqlite_path is not None:
        if not course.gradebook.exists():
            return set()
        import sqlite3

        con = sqlite3.connect(course.gradebook)
        try:
            column = "id" if table == "student" else "name"
            return {r[0] for r in con.execute(f"SELECT {column} FROM {table}")}
        except sqlite3.OperationalError:
            return set()
        finally:
            con.close()
    with course.open_gradebook() as gb:
        return {s.id for s in gb.students} if table == "student" else {a.name for a in gb.assignments}


def roster(course: Course) -> list[str]:
    """Every student: those in the gradebook and those with a folder in ``submitted/``."""
    return sorted(set(course.students_submitted()) | _gradebook_names(course, "student"))


def _run_pool(task: Callable, work: dict[str, list[str]], jobs: int, mode: str, course: Course,
              on_result: Callable[[str, Any], None], on_item: Callable[[Any], None] | None = None,
              on_crash: Callable[[str], None] | None = None, options: dict | None = None,
              should_stop: Callable[[], bool] | None = None) -> None:
    """Run ``task(student, assignments)`` for every student in ``jobs`` spawned worker processes (one
    worker when jobs == 1: the same code path, serially). ``on_result`` runs in this process as each
    student finishes; ``on_item`` for every item a worker puts on its queue as it goes. When
    ``should_stop()`` turns true, students not started yet are cancelled (those under way finish).

    If a worker process dies (killed, out of memory), the students it left unfinished are retried one
    at a time in fresh workers, so one student cannot take the others down; a student whose worker
    dies again goes to ``on_crash`` (or raises when there is none). A worker that fails to start (its
    initializer raised) raises ``WorkerStartFailed`` with its error: no student is blamed for it."""
    students = sorted(work)
    if not students:
        return
    import multiprocessing
    import queue as queue_mod
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("spawn")
    items = ctx.Queue()
    finished: set[str] = set()
    start_errors: list[str] = []
    stop = should_stop or (lambda: False)

    def _drain() -> None:
        while True:
            try:
                kind, data = items.get_nowait()
            except queue_mod.Empty:
                return
            if kind == "start-failed":
                start_errors.append(data)
            elif on_item is not None:
                on_item(data)

    def _batch(group: list[str], workers: int) -> None:
        try:
            with ProcessPoolExecutor(max_workers=max(1, min(workers, len(group))), mp_context=ctx,
                                     initializer=_init_worker,
                                     initargs=(str(course.root), mode, items, options)) as pool:
                futures = {pool.submit(task, s, work[s]): s for s in group}
                pending = set(futures)
                while pending:
                    done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                    _drain()
                    for fut in done:
                        try:
                            result = fut.result()
                        except (BrokenProcessPool, CancelledError):
                            continue
                        finished.add(futures[fut])
                        on_result(futures[fut], result)
                    if stop() and pending:
                        for fut in pending:
                            fut.cancel()
        except BrokenProcessPool:
            pass
        _drain()

    from concurrent.futures import CancelledError

    def _started_or_raise() -> None:
        if start_errors:
            raise WorkerStartFailed(
                f"a grading worker process failed to start: {start_errors[0]}. Nothing was graded by it; fix "
                "the installation (run the same Python with `-c 'import nbgrader'`) and run the command again.")

    _batch(students, jobs)
    _started_or_raise()
    for student in [s for s in students if s not in finished]:  # a worker died: one at a time
        if stop():
            return
        _batch([student], 1)
        _started_or_raise()
        if student not in finished:
            if on_crash is None:
                raise RuntimeError(f"the worker process died twice while handling {student}")
            on_crash(student)


def ensure_generated(course: Course, assignments: list[str]) -> list[str]:
    """Generate (nbgrader generate_assignment) the problem sets that have no release version or are not
    in the gradebook yet; returns the names generated."""
    known = _gradebook_names(course, "assignment")
    todo = [a for a in assignments
            if a not in known or not all((course.release / a / f"{nb}.ipynb").exists()
                                         for nb in course.notebook_ids(a))]
    if todo:
        from designkit.classroom.assignments import generate

        generate(course, todo, progress=False)
    return todo


def run_canary(course: Course, use_sandbox: bool) -> None:
    """Grade nothing until one kernel, started as the graders start them, imports what the course needs;
    raises ``GradingStopped`` with the reason and the fix when it cannot."""
    from designkit.grading import course_imports, run_canary

    result = run_canary(course.root, course_imports(course.root), sandbox=use_sandbox)
    if not result.ok:
        raise GradingStopped(f"the grading kernel is not ready, nothing was graded: {result.reason}. "
                             f"{result.fix}")


def grade(course: Course, assignments: list[str] | None = None, jobs: int | None = None,
          use_sandbox: bool = True, force: bool = False, progress: bool = True, *, wait: float = 0.0,
          max_stored: int = DEFAULT_MAX_STORED, stop_after: int = STOP_AFTER, canary: bool = True,
          on_row: Callable[[StatusRow], None] | None = None, runner: Callable[..., None] | None = None) -> GradeSummary:
    """Autograde every submission of ``assignments`` (default: all) in ``submitted/``, holding the course's
    grading lock (``wait``: seconds to queue behind another grader).

    First links and special files are dropped from the submissions (intake) and a canary kernel must import
    what the course needs (``canary=False`` skips it); ``stop_after`` submissions in a row failing the same
    way through the environment's fault stop the batch (``GradingStopped``) with nothing recorded for them.
    ``max_stored``: bytes kept per student in ``autograded/`` + ``feedback/``. ``on_row`` is called in this
    process with each status row as it is recorded. ``runner``: grade somewhere else than in local processes,
    e.g. ``designkit.classroom.dask_grading.on_cluster("tcp://HOST:8786")`` (a Dask cluster; same lock, resume
    and records).
    """
    with course.lock(wait, "grade") as lock:
        summary = _grade(course, assignments, jobs, use_sandbox, force, progress, lock, max_stored, stop_after,
                         canary, on_row, runner)
        from designkit.classroom.feedback_parts import flag_gradebook

        flag_gradebook(course, course.check_assignments(assignments))  # the kit's flags, in Formgrader's view
        return summary


def _grade(course: Course, assignments: list[str] | None, jobs: int | None, use_sandbox: bool, force: bool,
           progress: bool, lock: Any, max_stored: int, stop_after: int, canary: bool,
           on_row: Callable[[StatusRow], None] | None, runner: Callable[..., None] | None = None) -> GradeSummary:
    from tqdm import tqdm

    from designkit.classroom.collect import offered_sets, recorded_drops, sweep_submitted

    start = time.monotonic()
    names = course.check_assignments(assignments)
    table = StatusTable(course.status_file)  # a corrupt table stops here, before anything is touched
    _cleanup_stale()
    ensure_generated(course, names)
    if canary:
        run_canary(course, use_sandbox)
    summary = GradeSummary(backup=course.backup_gradebook())
    summary.dropped = sweep_submitted(course, names)
    work: dict[str, list[str]] = {}
    offered = offered_sets(course, names)
    for student in roster(course):
        for assignment in names:
            folder = course.submitted / student / assignment
            row = table.get(student, assignment)
            if not folder.is_dir():
                if assignment not in offered:  # never released to the class: not "missing"
                    continue
                # a set in two languages is missing only when neither was submitted; it is recorded once
                siblings = course.variants(set_of(assignment))
                if any((course.submitted / student / v).is_dir() for v in siblings) or \
                        [v for v in siblings if v in offered][0] != assignment:
                    continue
                missing = StatusRow(student, assignment, State.MISSING, reason="no submission",
                                    dropped=recorded_drops(course, student, assignment))
                if missing.dropped:
                    missing.add(FlagKind.DROPPED, "; ".join(missing.dropped))
                table.put(missing, save=False)
                summary.missing += 1
                continue
            fp = fingerprint(folder)
            done = (row is not None and row.is_final and row.fingerprint == fp
                    and (row.state != State.GRADED or _autograded_complete(course, student, assignment)))
            if done and not force:
                summary.skipped += 1
                continue
            if (course.autograded / student / assignment).exists() and not (row and row.is_final):
                summary.half_written += 1
            work.setdefault(student, []).append(assignment)
    table.save()
    total = sum(len(v) for v in work.values())
    jobs = jobs or default_jobs()
    bar = tqdm(total=total, desc="autograde", unit="submission", disable=not progress or total == 0,
               file=sys.stderr)

    seen: set[str] = set()
    saved = [0.0]  # when the status table was last written
    streak: list[str] = []  # the environment failures in a row, newest last

    def _record(data: dict) -> None:
        row = StatusRow.from_json(data)
        if row.key in seen:
            return
        seen.add(row.key)
        if row.state == State.FAILED and table.get(row.student, row.assignment) is not None:
            old = table.get(row.student, row.assignment)
            row.score, row.max_score = old.score, old.max_score  # what the gradebook still holds
        table.put(row, save=False)
        if time.monotonic() - saved[0] >= SAVE_EVERY:  # a run killed now keeps this grade (and the gradebook
            table.save()                               # has every grade: an unsaved row is only regraded)
            saved[0] = time.monotonic()
        summary.rows.append(row)
        if row.state == State.GRADED:
            summary.graded += 1
        elif row.state == State.FAILED:
            summary.failed += 1
        else:
            summary.not_graded += 1
        if row.state == State.FAILED:
            streak.append(row.environment)
        else:
            streak.clear()
        if len(streak) >= stop_after and len(set(streak[-stop_after:])) == 1 and not summary.stopped:
            summary.stopped = (f"{stop_after} submissions in a row could not be graded because {streak[-1]}; "
                               "grading stopped and no score was recorded for them. Fix the grading "
                               "environment, then run grade again (graded submissions are kept).")
        bar.update(1)
        lock.check()
        if on_row is not None:
            on_row(row)

    def _collect(student: str, rows: list[dict]) -> None:
        for data in rows:  # rows whose queue message has not arrived yet
            _record(data)

    def _crashed(student: str, reason: str = "the grading worker process died twice while grading this student "
                                           "(killed, or out of memory); grade it again, or look at its notebooks") -> None:
        for assignment in work[student]:
            if f"{student}/{assignment}" in seen:
                continue
            stamp = _timestamp(course.submitted / student / assignment)
            record_zero(course, student, assignment, stamp)
            _record(StatusRow(student, assignment, State.NOT_GRADED, reason=reason, score=0.0,
                              fingerprint=fingerprint(course.submitted / student / assignment),
                              flags=[Flag(FlagKind.NOT_GRADED, reason)]).to_json())

    from designkit.grading import course_imports

    options = {"max_stored": max_stored, "modules": set(course_imports(course.root))}
    mode = "sandbox" if use_sandbox else "nosandbox"
    try:
        if runner is not None:
            def _lost(student: str, assignment: str, why: str) -> None:
                work[student] = [assignment]
                _crashed(student, f"{why}; grade it again, or look at its notebooks")

            runner(course, work, mode, options, _record, _lost, should_stop=lambda: bool(summary.stopped))
        else:
            _run_pool(grade_student, work, jobs, mode, course, _collect, on_item=_record, on_crash=_crashed,
                      options=options, should_stop=lambda: bool(summary.stopped))
    finally:
        table.save()
        bar.close()
    summary.seconds = time.monotonic() - start
    if summary.stopped:
        raise GradingStopped(summary.stopped)
    return summary


def _cleanup_stale() -> None:
    """Remove fork-server folders left by grading runs that were killed (the grading engine's own sweep)."""
    from designkit.grading import cleanup_stale

    cleanup_stale()


def generate_feedback(course: Course, assignments: list[str] | None = None, jobs: int | None = None,
                      progress: bool = True, max_stored: int = DEFAULT_MAX_STORED) -> tuple[int, list[str]]:
    """nbgrader generate_feedback for every graded submission, in parallel; returns (count, problems)."""
    from tqdm import tqdm

    names = course.check_assignments(assignments)
    table = StatusTable(course.status_file)
    work: dict[str, list[str]] = {}
    for row in table:
        if row.state == State.GRADED and row.assignment in names and \
                (course.autograded / row.student / row.assignment).is_dir():
            work.setdefault(row.student, []).append(row.assignment)
    total = sum(len(v) for v in work.values())
    bar = tqdm(total=total, desc="feedback", unit="submission", disable=not progress or total == 0,
               file=sys.stderr)
    problems: list[str] = []
    count = 0

    def _collect(student: str, results: list[tuple[str, bool, str]]) -> None:
        nonlocal count
        for assignment, ok, why in results:
            count += ok
            if not ok:
                problems.append(f"{student}/{assignment}: {why}")
        bar.update(len(results))

    try:
        _run_pool(feedback_student, work, jobs or default_jobs(), "feedback", course, _collect,
                  on_crash=lambda s: problems.append(f"{s}: the feedback worker process died"),
                  options={"max_stored": max_stored})
    finally:
        bar.close()
    return count, problems
