"""The gradebook on a real PostgreSQL server (``DESIGNKIT_DB_URL=postgresql://...``).

The test starts its own server (initdb + pg_ctl from PostgreSQL's bin folder, as an unprivileged OS user, on a
free loopback port, in a temporary data folder) and runs the pipeline against it: ``grade``, ``feedback``,
``export`` and ``report`` through the kit's command line; two graders entering rubric scores through
nbgrader's Gradebook API while grading runs; the course lock held in PostgreSQL (a second grading run from
another copy of the course folder pointing at the same database is refused, or queues); and the migration of
a SQLite gradebook (same students, submissions, grades and comments after it).

Skips (naming why) where PostgreSQL or its driver is missing, except when ``CI=true``.
"""
from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from test_classroom import PS0, cli, make_course

from designkit.classroom.course import Course

CI = os.environ.get("CI") == "true"


def _pg_bin() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _missing() -> str:
    if _pg_bin() is None:
        return "PostgreSQL's initdb/pg_ctl not found (apt-get install postgresql)"
    try:
        import psycopg  # noqa: F401  (SQLAlchemy's default driver for postgresql:// URLs)
    except ImportError:
        return "the psycopg driver is not installed (pip install 'psycopg[binary]')"
    return ""


if _missing() and CI:
    raise RuntimeError(f"CI=true but {_missing()}: .ci/run installs it")
pytestmark = [pytest.mark.skipif(bool(_missing()), reason=_missing() or "ok"),
              pytest.mark.skipif(not (Course.find().source / PS0).is_dir(), reason="no source/ps0-warm-up")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_server():
    """A PostgreSQL server of our own; yields a function making a fresh database and returning its URL."""
    bindir = _pg_bin()
    # its own folder under the system's temporary folder: pytest's are private to root, and the server's
    # user must reach its data folder
    data = Path(tempfile.mkdtemp(prefix="designkit-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as an unprivileged user
        user = "postgres" if _has_user("postgres") else "nobody"
        pw = pwd.getpwnam(user)
        os.chown(data, pw.pw_uid, pw.pw_gid)
        prefix = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups"]
    port = _free_port()
    env = dict(os.environ, LC_ALL="C.UTF-8", HOME=str(data))
    for step in ([str(bindir / "initdb"), "-D", str(data / "db"), "-U", "designkit", "-A", "trust", "-E", "UTF8"],
                 [str(bindir / "pg_ctl"), "-D", str(data / "db"), "-w", "-t", "120", "-l", str(data / "server.log"),
                  "-o", f"-h 127.0.0.1 -p {port} -k {data}", "start"]):
        done = subprocess.run([*prefix, *step], capture_output=True, text=True, env=env, cwd=data)
        log = (data / "server.log").read_text() if (data / "server.log").exists() else ""
        assert done.returncode == 0, f"{step[0]} failed:\n{done.stdout}\n{done.stderr}\n{log}"
    base = f"postgresql://designkit@127.0.0.1:{port}"
    made: list[str] = []

    def new_database(name: str) -> str:
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"{base}/{name}"

    try:
        yield new_database
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "-w", "stop"],
                       capture_output=True, env=env, cwd=data)
        shutil.rmtree(data, ignore_errors=True)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _snapshot(course: Course) -> dict:
    """Students, submissions, grades and comments as nbgrader's Gradebook API sees them."""
    out: dict = {"students": set(), "grades": {}, "comments": {}, "submissions": set()}
    with course.open_gradebook() as gb:
        out["students"] = {s.id for s in gb.students}
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                out["submissions"].add((sub.student.id, assignment.name, str(sub.timestamp)))
                for nb in sub.notebooks:
                    for g in nb.grades:
                        out["grades"][(sub.student.id, assignment.name, g.name)] = (
                            g.auto_score, g.manual_score, g.needs_manual_grade)
                    for c in nb.comments:
                        out["comments"][(sub.student.id, assignment.name, c.name)] = (c.auto_comment,
                                                                                        c.manual_comment)
    return out


def _with_db(url: str):
    """Point this process's kit and nbgrader at ``url`` (as ``export DESIGNKIT_DB_URL=...`` does)."""
    os.environ["DESIGNKIT_DB_URL"] = url


@pytest.fixture
def db_env():
    saved = os.environ.get("DESIGNKIT_DB_URL")
    yield _with_db
    if saved is None:
        os.environ.pop("DESIGNKIT_DB_URL", None)
    else:
        os.environ["DESIGNKIT_DB_URL"] = saved


@pytest.mark.slow
def test_the_pipeline_runs_on_postgresql_with_graders_typing_scores(pg_server, db_env, tmp_path):
    from designkit.classroom.grading import grade
    from designkit.classroom.simulate import simulate

    url = pg_server("course_pipeline")
    db_env(url)
    course = make_course(tmp_path / "c")
    assert course.db_url == url and course.sqlite_path is None
    simulate(course, 4, seed=3, progress=False)
    students = course.students_submitted()
    typed: dict[str, float] = {}
    commented: dict[str, str] = {}
    errors: list[BaseException] = []

    def _score(student: str) -> None:  # grader 1 overrides a part's score (Formgrader's manual score)
        try:
            with course.open_gradebook() as gb:
                gb.find_grade("q1-highest-rate", PS0, PS0, student).manual_score = 1.0
                gb.db.commit()
            typed[student] = 1.0
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def _comment(student: str) -> None:  # grader 2, at the same time, writes a comment on another part
        try:
            with course.open_gradebook() as gb:
                gb.find_comment("q5-written", PS0, PS0, student).manual_comment = f"Seen by grader 2 ({student})"
                gb.db.commit()
            commented[student] = f"Seen by grader 2 ({student})"
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def _on_row(row) -> None:  # while grading runs: after each of the first two graded submissions
        if row.state.value != "graded" or len(typed) >= 2:
            return
        graders = [threading.Thread(target=_score, args=(row.student,)),
                   threading.Thread(target=_comment, args=(row.student,))]
        for t in graders:
            t.start()
        for t in graders:
            t.join()

    summary = grade(course, jobs=2, use_sandbox=False, on_row=_on_row)
    assert not errors, errors
    assert summary.graded + summary.not_graded == 4 and len(typed) == 2 and set(commented) == set(typed)
    assert not course.gradebook.exists(), "no SQLite file is made when the gradebook is PostgreSQL"
    with course.open_gradebook() as gb:
        for student, score in typed.items():
            assert gb.find_grade("q1-highest-rate", PS0, PS0, student).manual_score == score
            assert gb.find_comment("q5-written", PS0, PS0, student).manual_comment == commented[student]
        assert {s.id for s in gb.students} == set(students)
    # the command line, as an instructor types it with DESIGNKIT_DB_URL exported: a regrade of everything
    # keeps what the graders typed
    done = cli(course, "grade", "--no-sandbox", "--force")
    counts = re.search(r"graded (\d+), not graded (\d+), already graded \(skipped\) (\d+)", done.stdout)
    assert counts and int(counts[1]) + int(counts[2]) == 4 and counts[3] == "0", done.stdout
    assert url.split("@")[-1] in done.stdout
    with course.open_gradebook() as gb:
        for student, score in typed.items():
            assert gb.find_grade("q1-highest-rate", PS0, PS0, student).manual_score == score
            assert gb.find_comment("q5-written", PS0, PS0, student).manual_comment == commented[student]
    cli(course, "feedback")
    cli(course, "export")
    cli(course, "report")
    text = course.grades_csv.read_text()
    assert all(s in text for s in students)
    assert list(course.feedback.glob(f"*/{PS0}/*.html"))
    # stock nbgrader reads the same URL through nbgrader_config.py
    env = dict(os.environ, DESIGNKIT_DB_URL=url)
    listed = subprocess.run([os.path.join(os.path.dirname(os.sys.executable), "nbgrader"), "db", "student", "list"],
                            cwd=course.root, capture_output=True, text=True, env=env, timeout=300)
    assert listed.returncode == 0, listed.stderr
    assert all(s in listed.stdout for s in students)


@pytest.mark.slow
def test_the_course_lock_lives_in_postgresql(pg_server, db_env, tmp_path):
    """A second grading run from another copy of the course folder ("another machine") on the same database
    is refused naming the holder, or queues with --wait."""
    url = pg_server("course_lock")
    db_env(url)
    here = make_course(tmp_path / "machine-a")
    there = make_course(tmp_path / "machine-b")
    with here.lock(command="grade") as lock:
        assert "advisory" in lock.where
        done = cli(there, "grade", "--no-sandbox", check=False)
        assert done.returncode == 2 and "is grading this course" in done.stderr, done.stderr
        assert f"pid {os.getpid()}" in done.stderr
        assert not (there.root / ".grading.lock").exists()
        queued = subprocess.Popen([os.sys.executable, "-c", (
            "import sys; from designkit.classroom.course import Course; "
            f"c = Course({str(there.root)!r}); l = c.lock(wait=300); print('got it', flush=True); l.release()")],
            stdout=subprocess.PIPE, text=True)
        # the queued process is waiting: it cannot take the lock while we hold it
        holder = there.lock().holder()
        assert holder is not None and holder.pid == os.getpid()
    out, _ = queued.communicate(timeout=300)
    assert queued.returncode == 0 and "got it" in out


@pytest.mark.slow
def test_migrating_a_sqlite_gradebook_keeps_everything(pg_server, db_env, tmp_path):
    from designkit.classroom.grading import grade
    from designkit.classroom.simulate import simulate

    os.environ.pop("DESIGNKIT_DB_URL", None)
    course = make_course(tmp_path / "c")
    simulate(course, 3, seed=5, progress=False)
    grade(course, jobs=2, use_sandbox=False)
    first = course.students_submitted()[0]
    with course.open_gradebook() as gb:
        gb.find_grade("q1-highest-rate", PS0, PS0, first).manual_score = 2.0
        gb.find_comment("q5-written", PS0, PS0, first).manual_comment = "Clear, with a source."
        gb.db.commit()
    before = _snapshot(course)
    url = pg_server("course_migrated")
    done = cli(course, "migrate-gradebook", "--to", url)
    assert "every table compared equal" in done.stdout and "DESIGNKIT_DB_URL" in done.stdout
    again = cli(course, "migrate-gradebook", "--to", url, check=False)  # never over an existing gradebook
    assert again.returncode == 2 and "already holds a gradebook" in again.stderr
    db_env(url)
    moved = Course(course.root)
    assert moved.db_url == url
    after = _snapshot(moved)
    assert after == before and len(after["students"]) == 3 and after["grades"]
    assert after["grades"][(first, PS0, "q1-highest-rate")][1] == 2.0
    # grading goes on from the new gradebook: nothing regraded, nothing lost
    summary = grade(moved, jobs=1, use_sandbox=False)
    assert summary.skipped == 3 and _snapshot(moved) == before
