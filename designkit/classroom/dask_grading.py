"""Grading on a Dask cluster: ``grade --scheduler tcp://HOST:8786``.

One Dask task per submission. The task carries the submission's files and (once per worker, scattered) the
course's grading files (``nbgrader_config.py``, ``source/`` of the graded sets, their release versions), so
workers need no shared file system, only the kit installed. Each worker builds a private course folder with a
SQLite gradebook of its own, grades the submission there through the same code as local grading
(``grading.grade_student``: pre-flight, sandboxed nbgrader autograde, evidence, the stored-bytes cap) and sends
back the status row and the autograded files. The driver alone writes ``autograded/``, the course gradebook
(through nbgrader's own ``SaveAutoGrades`` and ``AssignLatePenalties`` preprocessors over the returned
notebooks, so manual scores already entered are kept exactly as in ``nbgrader autograde``) and the status
table. The driver holds the course lock and decides what to grade exactly as local grading does (resume,
``--force``, the fingerprints); a worker lost mid-task makes the scheduler run that task again elsewhere
(Dask's ``allowed-failures``); each submission's result is written once, whichever attempt delivered it.

>>> sorted(bundle_names(["ps0-warm-up"]))[:1]
['assignments/ps0-warm-up']
"""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from designkit.classroom.course import Course, CourseError, retry_db
from designkit.classroom.status import Flag, FlagKind, State, StatusRow

_LOCAL: dict[str, Any] = {}  # per worker process: bundle hash -> its private course
_ONE_AT_A_TIME = threading.Lock()  # nbgrader's API is not thread-safe: one submission per worker process


def bundle_names(assignments: list[str]) -> list[str]:
    """The course paths a worker needs for ``assignments`` (besides the config and the header)."""
    return [f"assignments/{a}" for a in assignments] + [f"source/{a}" for a in assignments]


def _files(folder: Path) -> dict[str, bytes]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[str(path.relative_to(folder))] = path.read_bytes()
    return out


def course_bundle(course: Course, assignments: list[str]) -> dict[str, bytes]:
    """The files a worker needs to grade ``assignments`` of ``course``: path (relative) -> bytes."""
    bundle = {"nbgrader_config.py": course.config_file.read_bytes()}
    header = course.source / "header.ipynb"
    if header.is_file():
        bundle["source/header.ipynb"] = header.read_bytes()
    for name in bundle_names(assignments):
        folder = course.root / name
        if folder.is_dir():
            bundle.update({f"{name}/{k}": v for k, v in _files(folder).items()})
    return bundle


def _write(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = (root / rel).resolve()
        if root.resolve() not in path.parents:
            raise CourseError(f"refusing to write {rel} outside {root}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _worker_course(key: str, bundle: dict[str, bytes], assignments: list[str], mode: str,
                   options: dict) -> Course:
    """This worker process's private course for ``bundle`` (made once: files, SQLite gradebook, nbgrader API)."""
    from designkit.classroom import grading

    if _LOCAL.get("key") != key:
        warnings.filterwarnings("ignore")  # as local workers do: nbgrader's SQLAlchemy chatter
        root = Path(tempfile.mkdtemp(prefix="designkit-dask-"))
        atexit.register(shutil.rmtree, str(root), True)
        _write(root, bundle)
        gradebook = root / "gradebook.db"
        with open(root / "nbgrader_config.py", "a", encoding="utf-8") as cfg:  # this worker's own gradebook
            cfg.write(f"\nc.CourseDirectory.db_url = {('sqlite:///' + str(gradebook))!r}\n"
                      f"c.Exchange.root = {str(root / 'exchange')!r}\n")
        course = Course(root)
        grading.ensure_generated(course, assignments)
        old = _LOCAL.get("root")
        if old:
            shutil.rmtree(old, ignore_errors=True)
        _LOCAL.update(key=key, root=str(root), course=course)
        grading._WORKER.update(course=course, api=course.api(grading._extra_config(mode, course)), queue=None)
    grading._WORKER.update(options)
    return _LOCAL["course"]


def grade_submission(key: str, bundle: dict[str, bytes], assignments: list[str], student: str, assignment: str,
                     files: dict[str, bytes], mode: str, options: dict) -> dict:
    """Dask task: grade one submission in this worker's private course; returns ``{"row", "autograded",
    "evidence"}`` (the status row, the autograded files and the engine's evidence of the run)."""
    from designkit.classroom import grading

    with _ONE_AT_A_TIME:
        course = _worker_course(key, bundle, assignments, mode, options)
        folder = course.submitted / student / assignment
        dest = course.autograded / student / assignment
        evidence = grading.evidence_dir(course) / student / assignment
        for old in (folder, dest, evidence):
            shutil.rmtree(old, ignore_errors=True)
        folder.mkdir(parents=True)
        _write(folder, files)
        try:
            row = grading.grade_student(student, [assignment])[0]
            out = _files(dest) if dest.is_dir() else {}
            kept = _files(evidence) if evidence.is_dir() else {}
        finally:
            for old in (folder, dest, evidence):
                shutil.rmtree(old, ignore_errors=True)
        return {"row": row, "autograded": out, "evidence": kept}


def gradebook_preprocessors(config: Any) -> list[type]:
    """The course's autograde preprocessors from ``SaveAutoGrades`` on: those that write the gradebook from an
    executed notebook (nbgrader's ``SaveAutoGrades``, ``AssignLatePenalties``, and any the course adds after
    them, such as the rubric rows' ``ZeroPointNeedsNoManualGrade``); the ones before it ran on the worker."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import SaveAutoGrades
    from traitlets.utils.importstring import import_item

    listed = Autograde(coursedir=CourseDirectory(config=config), config=config).autograde_preprocessors
    classes = [import_item(p) if isinstance(p, str) else p for p in listed]
    start = next(i for i, p in enumerate(classes) if issubclass(p, SaveAutoGrades))
    return classes[start:]


def apply_result(course: Course, result: dict) -> dict:
    """On the driver: write one worker result into ``autograded/`` and the gradebook; returns the status row
    (as a dict) with the scores the course gradebook now holds."""
    import nbformat

    from designkit.classroom import grading
    from designkit.classroom.collect import recorded_drops

    row = StatusRow.from_json(result["row"])
    student, assignment = row.student, row.assignment
    dest = course.autograded / student / assignment
    evidence = grading.evidence_dir(course) / student / assignment
    shutil.rmtree(evidence, ignore_errors=True)  # the engine's record of this run, as local grading keeps it
    if result.get("evidence"):
        evidence.mkdir(parents=True)
        _write(evidence, result["evidence"])
    stamp = grading._timestamp(course.submitted / student / assignment)
    if row.state == State.FAILED:  # the environment's fault: nothing recorded, the next run grades it again
        return row.to_json()
    if dest.exists():
        shutil.rmtree(dest)
    if row.state == State.GRADED:
        _write(dest, result["autograded"])
        config = course.nbgrader_config()
        savers = gradebook_preprocessors(config)

        def _save() -> None:
            from sqlalchemy.exc import SAWarning

            with warnings.catch_warnings(), course.open_gradebook() as gb:
                warnings.simplefilter("ignore", SAWarning)  # nbgrader's own, as in local grading's workers
                gb.update_or_create_student(student)
                gb.update_or_create_submission(assignment, student, timestamp=stamp)
            for nb_id in course.notebook_ids(assignment):
                path = dest / f"{nb_id}.ipynb"
                if not path.exists():
                    continue
                nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
                resources = {"nbgrader": {"notebook": nb_id, "assignment": assignment, "student": student,
                                          "db_url": course.db_url}}
                for pre in savers:
                    pre(config=config).preprocess(nb, resources)

        retry_db(_save)
    else:
        grading.record_zero(course, student, assignment, stamp)
    row.flags = [f for f in row.flags if f.kind not in (FlagKind.LATE, FlagKind.DROPPED)]
    row.dropped = recorded_drops(course, student, assignment)

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
    if row.dropped:
        row.flags.insert(0, Flag(FlagKind.DROPPED, "; ".join(row.dropped) + " (never followed or copied)"))
    return row.to_json()


def run_dask(scheduler: Any, course: Course, work: dict[str, list[str]], mode: str, options: dict,
             on_row: Callable[[dict], None], on_lost: Callable[[str, str, str], None],
             should_stop: Callable[[], bool] = lambda: False) -> None:
    """Grade ``work`` (student -> assignments) on the Dask cluster ``scheduler`` (an address such as
    ``tcp://HOST:8786``, or a ``distributed.Client``). ``on_row(row)`` runs on this process for each finished
    submission, once; ``on_lost(student, assignment, why)`` for a task the cluster gave up on (its workers
    died ``allowed-failures`` times)."""
    from distributed import Client, as_completed
    from distributed.scheduler import KilledWorker

    if not work:
        return
    names = sorted({a for sets in work.values() for a in sets})
    bundle = course_bundle(course, names)
    key = hashlib.sha256(b"".join(k.encode() + v for k, v in sorted(bundle.items()))).hexdigest()[:16]
    own = not isinstance(scheduler, Client)
    try:
        client = Client(scheduler, set_as_default=False, timeout=60) if own else scheduler
    except OSError as exc:
        raise CourseError(f"cannot reach the Dask scheduler at {scheduler} ({exc}): start it (dask scheduler) or "
                          "check the address; nothing was graded.") from exc
    try:
        try:
            client.wait_for_workers(1, timeout=120)
        except TimeoutError as exc:
            raise CourseError(f"no Dask worker joined {client.scheduler.address} within 120 s: start some "
                              "(dask worker ADDRESS --nthreads 1); nothing was graded.") from exc
        scattered = client.scatter(bundle, broadcast=True, hash=False)
        futures = {}
        for student in sorted(work):
            for assignment in work[student]:
                files = _files(course.submitted / student / assignment)
                fut = client.submit(grade_submission, key, scattered, names, student, assignment, files, mode,
                                    options, key=f"designkit-grade-{key}-{student}-{assignment}-{os.getpid()}",
                                    pure=False)
                futures[fut] = (student, assignment)
        done_keys: set[tuple[str, str]] = set()
        for fut in as_completed(list(futures), loop=client.loop):
            student, assignment = futures[fut]
            if (student, assignment) in done_keys:
                continue
            done_keys.add((student, assignment))
            try:
                result = fut.result()
            except KilledWorker as exc:
                on_lost(student, assignment, f"the Dask workers grading it died repeatedly ({exc})")
                continue
            except Exception as exc:  # the worker's environment (the kit missing, no sandbox): nothing recorded
                env = f"the Dask worker failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                row = StatusRow(student, assignment, State.FAILED, reason=f"grading environment failed: {env}",
                                environment=env, flags=[Flag(FlagKind.ENVIRONMENT, env)])
                on_row(row.to_json())
                continue
            on_row(apply_result(course, result))
            if should_stop():
                for other in futures:
                    other.cancel()
                break
    finally:
        if own:
            client.close()


def on_cluster(scheduler: Any) -> Callable[..., None]:
    """A runner for ``designkit.classroom.grading.grade(course, runner=...)`` that grades on the Dask cluster
    ``scheduler`` (an address such as ``tcp://HOST:8786``, or a ``distributed.Client``).

    >>> on_cluster("tcp://127.0.0.1:8786").keywords, on_cluster("tcp://127.0.0.1:8786").args
    ({}, ('tcp://127.0.0.1:8786',))
    """
    import functools

    return functools.partial(run_dask, scheduler)
