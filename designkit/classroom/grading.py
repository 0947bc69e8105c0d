"""Parallel, resumable autograding over nbgrader's own API.

``grade(course, jobs=N)`` autogrades every submission in ``submitted/``:

- students are graded concurrently in ``N`` long-lived worker processes; each imports nbgrader once
  and runs ``NbGraderAPI.autograde`` (the same code as ``nbgrader autograde``) for one student at a
  time, so a student is never graded in two processes at once (both would rewrite one folder);
- every submission first goes through ``preflight.check_submission``; one that cannot be graded is
  recorded with its reason and zero scores, and never aborts the batch;
- the gradebook is backed up first (``backups/``); SQLite "database is locked" errors are retried;
- each finished submission is written to the status table at once, so a run killed mid-batch keeps
  every completed grade; the next run skips what is already graded (same files, same fingerprint)
  and regrades the rest, removing half-written ``autograded/`` folders (``force=True`` regrades all).

>>> from designkit.classroom.course import Course
>>> default_jobs() >= 1
True
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from designkit.classroom.course import Course, CourseError
from designkit.classroom.status import StatusRow, StatusTable, fingerprint

RETRIES = 6

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


def _extra_config(mode: str) -> Any:
    """The sandbox module's nbgrader config for a worker: ``sandbox`` (bubblewrap), ``nosandbox`` (its
    limits and guard without bubblewrap) or ``feedback`` (hidden tests redacted)."""
    if _sandbox is None:
        return None
    try:
        if mode == "feedback":
            return _sandbox.feedback_config() if hasattr(_sandbox, "feedback_config") else None
        return _sandbox.sandbox_config(enabled=(mode == "sandbox"))
    except ImportError:
        if mode == "sandbox":
            raise
        return None


# --------------------------------------------------------------------------------------------------
# what runs inside a worker process
# --------------------------------------------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(root: str, mode: str, queue: Any = None) -> None:
    """Import nbgrader once per worker and keep one NbGraderAPI for every student it grades."""
    warnings.filterwarnings("ignore")
    # kernels inherit this process's stdout and stderr: keep their start-up chatter off the progress bar
    # (nbgrader's own log of every submission comes back through NbGraderAPI's captured log)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)
    course = Course(Path(root))
    extra = _extra_config(mode)
    _WORKER["queue"] = queue
    _WORKER["course"] = course
    _WORKER["api"] = course.api(extra)


def _retry_db(fn: Callable[[], Any]) -> Any:
    """Call ``fn``, retrying SQLite's transient "database is locked" errors with a growing pause."""
    from sqlalchemy.exc import OperationalError

    for attempt in range(RETRIES):
        try:
            return fn()
        except OperationalError:
            if attempt == RETRIES - 1:
                raise
            time.sleep(0.2 * 2 ** attempt)
    return None


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
                    grade.auto_score = 0
                    grade.manual_score = None
                    grade.needs_manual_grade = False
            gb.db.commit()

    _retry_db(_do)


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


def _execution_flags(folder: Path) -> list[str]:
    """Errors raised outside the tests (the student's own code) and cell timeouts, from autograded/."""
    flags = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for cell in nb.get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            names = [str(o.get("ename", "")) for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if not names:
                continue
            where = meta.get("grade_id") or cell.get("id", "?")
            if any("Timeout" in n or "Interrupt" in n for n in names):
                flags.append(f"error: timeout in cell '{where}' (interrupted at the cell time limit)")
            elif not (meta.get("grade") and meta.get("locked")):  # a failing test is lost points, not an error
                flags.append(f"error: {names[0]} raised in cell '{where}'")
    return flags


def _grade_one(course: Course, api: Any, student: str, assignment: str) -> StatusRow:
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
    row = StatusRow(student, assignment, "graded", fingerprint=fp, flags=pre.flags(), graded_at=now)
    if pre.ok:
        result = _autograde(api, student, assignment)
        if not result.get("success"):
            pre.ok = False
            pre.reason = _failure_reason(result)
    if not pre.ok:
        if dest.exists():
            shutil.rmtree(dest)
        record_zero(course, student, assignment, stamp)
        row.state, row.reason = "not-graded", pre.reason
        row.flags = [f"not graded: {pre.reason}"] + row.flags
    else:
        row.flags += _execution_flags(dest)

    def _read() -> None:
        with course.open_gradebook() as gb:
            sub = gb.find_submission(assignment, student)
            row.score, row.max_score = float(sub.score), float(sub.max_score)
            row.seconds_late = float(sub.total_seconds_late or 0)
            row.late = row.seconds_late > 0

    _retry_db(_read)
    if row.late:
        row.flags.insert(0, f"late: {row.seconds_late / 3600:.1f} h after the due date")
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
            row = StatusRow(student, assignment, "not-graded",
                            fingerprint=fingerprint(course.submitted / student / assignment),
                            reason=f"grading failed: {type(exc).__name__}: {exc}",
                            flags=[f"not graded: grading failed: {type(exc).__name__}: {exc}"])
        rows.append(asdict(row))
        if _WORKER.get("queue") is not None:  # each finished submission reaches the status table at once
            _WORKER["queue"].put(rows[-1])
    return rows


def feedback_student(student: str, assignments: list[str]) -> list[tuple[str, bool, str]]:
    """Worker task: nbgrader generate_feedback for one student's graded assignments."""
    api = _WORKER["api"]
    out = []
    for assignment in assignments:
        result = api.generate_feedback(assignment, student, force=True)
        out.append((assignment, bool(result.get("success")), "" if result.get("success")
                    else _failure_reason(result)))
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
              on_crash: Callable[[str], None] | None = None) -> None:
    """Run ``task(student, assignments)`` for every student in ``jobs`` spawned worker processes (one
    worker when jobs == 1: the same code path, serially). ``on_result`` runs in this process as each
    student finishes; ``on_item`` for every item a worker puts on its queue as it goes.

    If a worker process dies (killed, out of memory), the students it left unfinished are retried one
    at a time in fresh workers, so one student cannot take the others down; a student whose worker
    dies again goes to ``on_crash`` (or raises when there is none)."""
    students = sorted(work)
    if not students:
        return
    import multiprocessing
    import queue as queue_mod
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("spawn")
    items = ctx.Queue() if on_item is not None else None
    finished: set[str] = set()

    def _drain() -> None:
        while items is not None:
            try:
                on_item(items.get_nowait())
            except queue_mod.Empty:
                return

    def _batch(group: list[str], workers: int) -> None:
        try:
            with ProcessPoolExecutor(max_workers=max(1, min(workers, len(group))), mp_context=ctx,
                                     initializer=_init_worker, initargs=(str(course.root), mode, items)) as pool:
                futures = {pool.submit(task, s, work[s]): s for s in group}
                pending = set(futures)
                while pending:
                    done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                    _drain()
                    for fut in done:
                        try:
                            result = fut.result()
                        except BrokenProcessPool:
                            continue
                        finished.add(futures[fut])
                        on_result(futures[fut], result)
        except BrokenProcessPool:
            pass
        _drain()

    _batch(students, jobs)
    for student in [s for s in students if s not in finished]:  # a worker died: one at a time
        _batch([student], 1)
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


def grade(course: Course, assignments: list[str] | None = None, jobs: int | None = None,
          use_sandbox: bool = True, force: bool = False, progress: bool = True) -> GradeSummary:
    """Autograde every submission of ``assignments`` (default: all) in ``submitted/``.

    >>> grade.__name__
    'grade'
    """
    from tqdm import tqdm

    start = time.monotonic()
    names = course.check_assignments(assignments)
    ensure_generated(course, names)
    summary = GradeSummary(backup=course.backup_gradebook())
    table = StatusTable(course.status_file)
    work: dict[str, list[str]] = {}
    for student in roster(course):
        for assignment in names:
            folder = course.submitted / student / assignment
            row = table.get(student, assignment)
            if not folder.is_dir():
                table.put(StatusRow(student, assignment, "missing", reason="no submission"), save=False)
                summary.missing += 1
                continue
            fp = fingerprint(folder)
            done = (row is not None and row.is_final and row.fingerprint == fp
                    and (row.state != "graded" or _autograded_complete(course, student, assignment)))
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

    def _record(data: dict) -> None:
        row = StatusRow(**data)
        if row.key in seen:
            return
        seen.add(row.key)
        table.put(row)  # saved at once: a run killed now keeps this grade
        summary.rows.append(row)
        if row.state == "graded":
            summary.graded += 1
        else:
            summary.not_graded += 1
        bar.update(1)

    def _collect(student: str, rows: list[dict]) -> None:
        for data in rows:  # rows whose queue message has not arrived yet
            _record(data)

    def _crashed(student: str) -> None:
        reason = ("the grading worker process died twice while grading this student (killed or out of "
                  "memory); grade it again, or look at its notebooks")
        for assignment in work[student]:
            if f"{student}/{assignment}" in seen:
                continue
            stamp = _timestamp(course.submitted / student / assignment)
            record_zero(course, student, assignment, stamp)
            _record(asdict(StatusRow(student, assignment, "not-graded", reason=reason, score=0.0,
                                     fingerprint=fingerprint(course.submitted / student / assignment),
                                     flags=[f"not graded: {reason}"])))

    try:
        _run_pool(grade_student, work, jobs, "sandbox" if use_sandbox else "nosandbox", course, _collect,
                  on_item=_record, on_crash=_crashed)
    finally:
        bar.close()
    summary.seconds = time.monotonic() - start
    return summary


def generate_feedback(course: Course, assignments: list[str] | None = None, jobs: int | None = None,
                      progress: bool = True) -> tuple[int, list[str]]:
    """nbgrader generate_feedback for every graded submission, in parallel; returns (count, problems)."""
    from tqdm import tqdm

    names = course.check_assignments(assignments)
    table = StatusTable(course.status_file)
    work: dict[str, list[str]] = {}
    for row in table:
        if row.state == "graded" and row.assignment in names and \
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
                  on_crash=lambda s: problems.append(f"{s}: the feedback worker process died"))
    finally:
        bar.close()
    return count, problems
