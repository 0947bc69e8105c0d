"""Grading on a real Dask cluster (a ``dask scheduler`` and two ``dask worker`` processes on loopback).

- a simulated class graded through Dask (``grade --scheduler tcp://...``) gives the same gradebook, status
  table and autograded notebooks as local grading, and a second run skips everything (resume, idempotence);
- a worker killed while it holds a submission: that submission is graded again elsewhere, never lost and
  never recorded twice.

Skips (naming why) where dask/distributed are missing, except when ``CI=true``.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from test_classroom import PS0, cli, make_course

from designkit.classroom.course import Course

CI = os.environ.get("CI") == "true"
try:
    import distributed  # noqa: F401

    MISSING = ""
except ImportError:
    MISSING = "dask/distributed are not installed (pip install dask distributed)"
if MISSING and CI:
    raise RuntimeError(f"CI=true but {MISSING}")
pytestmark = [pytest.mark.skipif(bool(MISSING), reason=MISSING or "ok"),
              pytest.mark.skipif(not (Course.find().source / PS0).is_dir(), reason="no source/ps0-warm-up")]
DASK = str(Path(sys.executable).parent / "dask")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sandbox() -> bool:
    from designkit import grading

    return grading.bwrap_available()


class Cluster:
    """A Dask scheduler and worker processes of our own, on loopback, each in a folder of its own."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self.procs: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
        env.pop("DESIGNKIT_DB_URL", None)
        self.env = env
        port = self.address.rsplit(":", 1)[1]
        self.procs.append(subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", port,
                                            "--no-dashboard", "--no-show"], env=env, cwd=root,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def add_worker(self, name: str) -> subprocess.Popen:
        folder = self.root / name
        folder.mkdir()
        proc = subprocess.Popen([DASK, "worker", self.address, "--nthreads", "1", "--nworkers", "1",
                                 "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--name", name,
                                 "--local-directory", str(folder)], env=self.env, cwd=folder,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.procs.append(proc)
        self.workers.append(proc)
        return proc

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=120, set_as_default=False)

    def close(self) -> None:
        for proc in self.workers:  # each in a session of its own: the worker and the kernels it started
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


@pytest.fixture
def cluster(tmp_path):
    made = Cluster(tmp_path)
    yield made
    made.close()


def _gradebook(course: Course) -> dict:
    out = {}
    with course.open_gradebook() as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                for nb in sub.notebooks:
                    for g in nb.grades:
                        out[(sub.student.id, assignment.name, g.name)] = (g.auto_score, g.manual_score,
                                                                            g.needs_manual_grade)
                    for c in nb.comments:
                        out[(sub.student.id, assignment.name, c.name, "comment")] = c.auto_comment
                out[(sub.student.id, assignment.name, "timestamp")] = str(sub.timestamp)
    return out


def _status(course: Course) -> dict:
    from designkit.classroom.status import StatusTable

    return {r.key: (r.state, r.score, r.max_score) for r in StatusTable(course.status_file)}


@pytest.fixture(scope="module")
def graded_locally(tmp_path_factory):
    """A simulated class of 4 on ps0 graded by local worker processes: what Dask grading must equal."""
    from designkit.classroom.grading import grade
    from designkit.classroom.simulate import simulate

    course = make_course(tmp_path_factory.mktemp("local"))
    simulate(course, 4, seed=7, progress=False)
    summary = grade(course, jobs=2, use_sandbox=_sandbox(), progress=False)
    assert summary.graded + summary.not_graded == 4
    return course


def _copy_class(local: Course, dest: Path) -> Course:
    course = make_course(dest)
    shutil.copytree(local.submitted, course.submitted)
    return course


@pytest.mark.slow
def test_a_class_graded_on_dask_equals_local_grading(cluster, graded_locally, tmp_path):
    course = _copy_class(graded_locally, tmp_path / "driver")
    cluster.add_worker("w1")
    cluster.add_worker("w2")
    with cluster.client() as client:
        client.wait_for_workers(2, timeout=120)
    args = ["grade", "--scheduler", cluster.address] + ([] if _sandbox() else ["--no-sandbox"])
    done = cli(course, *args)
    assert "graded 4" in done.stdout or "not graded" in done.stdout, done.stdout
    assert _gradebook(course) == _gradebook(graded_locally)
    assert _status(course) == _status(graded_locally)
    for nb in graded_locally.autograded.glob(f"*/{PS0}/*.ipynb"):
        assert (course.autograded / nb.relative_to(graded_locally.autograded)).is_file()
    from designkit.classroom.grading import evidence_dir

    def _evidence(c: Course) -> set:
        return {p.relative_to(evidence_dir(c)) for p in evidence_dir(c).rglob("*") if p.is_file()}

    assert _evidence(graded_locally) and _evidence(course) == _evidence(graded_locally)  # evidence came back too
    again = cli(course, *args)  # resume: nothing left to grade, nothing regraded
    assert "already graded (skipped) 4" in again.stdout, again.stdout
    assert _gradebook(course) == _gradebook(graded_locally)
    with cluster.client() as client:  # the workers' private courses never wrote into the driver's folder
        roots = client.run(lambda: __import__("designkit.classroom.dask_grading", fromlist=["x"])._LOCAL.get("root"))
    assert all(r and not r.startswith(str(course.root)) for r in roots.values())


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_no_submission(cluster, graded_locally, tmp_path):
    from designkit.classroom.dask_grading import on_cluster
    from designkit.classroom.grading import grade

    course = _copy_class(graded_locally, tmp_path / "driver")
    workers = {"w1": cluster.add_worker("w1"), "w2": cluster.add_worker("w2")}
    killed: list[str] = []
    rows: list[str] = []
    client = cluster.client()
    client.wait_for_workers(2, timeout=120)

    def _kill_a_busy_worker(row) -> None:
        rows.append(row.key)
        if killed:
            return
        info = client.scheduler_info()["workers"]
        busy = [addr for addr, tasks in client.processing().items() if tasks]
        assert busy, "a submission should still be under way after the first one"
        name = info[busy[0]]["name"]
        os.killpg(workers[name].pid, signal.SIGKILL)  # lost in the middle of its task
        workers[name].wait()
        killed.append(name)

    try:
        summary = grade(course, use_sandbox=_sandbox(), progress=False, runner=on_cluster(client),
                        on_row=_kill_a_busy_worker)
    finally:
        client.close()
    assert killed and len(rows) == 4 and len(set(rows)) == 4  # each submission recorded exactly once
    assert summary.graded + summary.not_graded == 4 and summary.failed == 0
    assert _gradebook(course) == _gradebook(graded_locally)
    assert _status(course) == _status(graded_locally)
