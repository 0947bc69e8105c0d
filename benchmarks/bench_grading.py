"""Grading speed on one problem set: floor, stock nbgrader, and ours (1 and N workers, sandbox on/off).

Everything runs on a scratch copy of the course in ``.bench/grading/`` with a simulated class written
by :func:`designkit.classroom.simulate.simulate` (real submissions in nbgrader's layout).

- floor: each submission's code cells executed in ONE warm kernel whose imports are done (a warm-up
  submission first, not counted): the cells' own execution time, no kernel start or stop;
- stock: ``nbgrader autograde <set>`` (the CLI, one process, serial), the course config unchanged;
- ours: :func:`designkit.classroom.grading.grade` with ``jobs`` workers, sandboxed (fork server:
  ``sandbox_config(fast=True)``) or ``use_sandbox=False`` (limits and guard, unsandboxed cold kernels);
- cold sandbox: nbgrader's API in one process with ``sandbox_config(fast=False)`` (one cold
  bubblewrap kernel per submission), to separate the sandbox's own cost from the fork server's gain.

Scores from every variant are compared with stock's, student by student.

>>> callable(run)
True
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def pick_problem_set() -> str:
    """ps1-* if it exists, else ps0-warm-up, else the first problem set in source/."""
    sets = sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir() and p.name.startswith("ps"))
    for prefix in ("ps1-", "ps0-"):
        for name in sets:
            if name.startswith(prefix):
                return name
    if not sets:
        raise SystemExit("no problem set in source/: the benchmark needs source/psN-*/")
    return sets[0]


def make_course(where: Path, assignment: str, students: int) -> Path:
    """A scratch copy of the course (config, source, assignments) with a simulated class."""
    if where.exists():
        shutil.rmtree(where)
    where.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", where / "nbgrader_config.py")
    shutil.copytree(ROOT / "source", where / "source")
    if (ROOT / "assignments").is_dir():
        shutil.copytree(ROOT / "assignments", where / "assignments")
    from designkit.classroom.course import Course
    from designkit.classroom.simulate import simulate

    simulate(Course.find(where), students, seed=1, names=[assignment], progress=False)
    return where


def totals(root: Path, assignment: str) -> dict[str, float]:
    """Autograded total per student from the gradebook."""
    with sqlite3.connect(root / "gradebook.db") as db:
        rows = db.execute("""
            SELECT submitted_assignment.student_id, SUM(COALESCE(grade.auto_score, 0))
            FROM grade JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id
            JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id
            JOIN assignment ON submitted_assignment.assignment_id = assignment.id
            WHERE assignment.name = ? GROUP BY submitted_assignment.student_id""", (assignment,)).fetchall()
    return {s: round(float(v), 3) for s, v in rows}


def reset_grading(root: Path) -> None:
    """Forget earlier grading so the next variant does all the work again."""
    for name in ("autograded", "feedback"):
        shutil.rmtree(root / name, ignore_errors=True)
    from designkit.classroom.course import Course

    status = Course.find(root).status_file
    if status.exists():
        status.unlink()


def submissions(root: Path, assignment: str) -> list[Path]:
    return sorted(p for p in (root / "submitted").glob(f"*/{assignment}/*.ipynb"))


def floor(root: Path, assignment: str) -> float:
    """Seconds to run every submission's code cells in one warm kernel (after a warm-up)."""
    import nbformat
    from jupyter_client.manager import start_new_kernel

    notebooks = submissions(root, assignment)
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(root / "release" / assignment)
                              if (root / "release" / assignment).is_dir() else str(root / "assignments" / assignment))
    try:
        def run_all(path: Path) -> float:
            nb = nbformat.read(path, as_version=4)
            spent = 0.0
            for cell in nb.cells:
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                start = time.perf_counter()
                kc.execute_interactive(cell.source, timeout=60, output_hook=lambda msg: None)
                spent += time.perf_counter() - start
            return spent

        run_all(notebooks[0])  # warm-up: imports and data loads happen here, not counted
        return sum(run_all(p) for p in notebooks)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def stock(root: Path, assignment: str) -> float:
    """Seconds for stock `nbgrader autograde <set>` (one process, serial)."""
    reset_grading(root)
    start = time.perf_counter()
    done = subprocess.run([str(VENV_BIN / "nbgrader"), "autograde", assignment, "--force"], cwd=root,
                          capture_output=True, text=True, env={**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}"})
    spent = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"stock nbgrader autograde failed:\n{done.stderr[-3000:]}")
    return spent


def ours(root: Path, assignment: str, jobs: int, sandbox: bool) -> float:
    """Seconds for designkit's grade() (helper's parallel workers) in a fresh process."""
    reset_grading(root)
    code = (
        "import sys, time\n"
        "from designkit.classroom.course import Course\n"
        "from designkit.classroom.grading import grade\n"
        "start = time.perf_counter()\n"
        f"grade(Course.find({str(root)!r}), [{assignment!r}], jobs={jobs}, use_sandbox={sandbox}, force=True, "
        "progress=False)\n"
        "print('SECONDS', time.perf_counter() - start)\n"
        "import resource\n"
        "print('RSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    spent = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"grade(jobs={jobs}, sandbox={sandbox}) failed:\n{done.stderr[-3000:]}")
    for line in done.stdout.splitlines():
        if line.startswith("RSS"):
            PEAK_RSS[(jobs, sandbox)] = int(line.split()[1]) * 1024
    return spent


PEAK_RSS: dict[tuple[int, bool], int] = {}


def api_variant(root: Path, assignment: str, fast: bool, sandbox: bool = True) -> float:
    """Seconds for nbgrader's autograde API in one fresh process with our sandbox config."""
    reset_grading(root)
    code = (
        "import time\n"
        "from designkit.classroom.course import Course\n"
        "from designkit.grading import sandbox_config\n"
        f"course = Course.find({str(root)!r})\n"
        f"api = course.api(sandbox_config(enabled={sandbox}, fast={fast}))\n"
        "start = time.perf_counter()\n"
        f"for s in sorted(p.name for p in course.submitted.iterdir() if (p / {assignment!r}).is_dir()):\n"
        f"    api.autograde({assignment!r}, s, force=True, create=True)\n"
        "print('SECONDS', time.perf_counter() - start)\n")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    spent = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"autograde API (fast={fast}) failed:\n{done.stderr[-3000:]}")
    return spent


def kernel_lifecycle(repeat: int = 8) -> dict:
    """Median seconds from start to ready, running ``import pandas, matplotlib.pyplot``, and shutdown,
    per kernel manager: where a submission's fixed cost goes."""
    import asyncio
    import statistics

    from jupyter_client.manager import AsyncKernelManager

    from designkit.grading import ForkServerKernelManager, GuardedKernelManager, SandboxKernelManager

    work = Path(tempfile.mkdtemp(prefix="dk-bench-kernel-"))

    async def once(cls: type) -> tuple[float, float, float]:
        start = time.perf_counter()
        km = cls(kernel_name="python3")
        await km.start_kernel(cwd=str(work))
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        ready = time.perf_counter()
        await kc.execute_interactive("import pandas, matplotlib.pyplot", timeout=60)
        imported = time.perf_counter()
        kc.stop_channels()
        await km.shutdown_kernel()
        return ready - start, imported - ready, time.perf_counter() - imported

    async def measure() -> dict:
        await once(ForkServerKernelManager)  # warm the fork server
        out = {}
        for cls in (AsyncKernelManager, GuardedKernelManager, SandboxKernelManager, ForkServerKernelManager):
            runs = [await once(cls) for _ in range(repeat)]
            out[cls.__name__] = {key: round(statistics.median(r[i] for r in runs), 3)
                                 for i, key in enumerate(("start_to_ready", "import_pandas_pyplot", "shutdown"))}
        return out

    try:
        return asyncio.run(measure())
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(students: int = 100, jobs: int | None = None, work: Path | None = None, log=print) -> dict:
    """Measure everything; returns a dict of results (seconds, ratios, score agreement)."""
    assignment = pick_problem_set()
    jobs = jobs or max(2, os.cpu_count() or 2)
    root = make_course(work or ROOT / ".bench" / "grading", assignment, students)
    n = len(submissions(root, assignment))
    log(f"grading benchmark: {assignment}, {n} submissions ({students} simulated students), {jobs} workers")
    result: dict = {"assignment": assignment, "submissions": n, "jobs": jobs}

    def timed(name: str, fn, *args) -> None:
        log(f"  {name} ...")
        seconds = fn(*args)
        result[name] = round(seconds, 2)
        log(f"  {name}: {seconds:.1f} s ({seconds / max(n, 1):.2f} s per submission)")

    timed("floor", floor, root, assignment)
    timed("stock_serial", stock, root, assignment)
    result["scores_stock"] = totals(root, assignment)
    timed("ours_1_sandbox", ours, root, assignment, 1, True)
    result["scores_ours"] = totals(root, assignment)
    timed(f"ours_{jobs}_sandbox", ours, root, assignment, jobs, True)
    result["scores_ours_n"] = totals(root, assignment)
    timed("ours_1_nosandbox", ours, root, assignment, 1, False)
    timed("api_sandbox_cold", api_variant, root, assignment, False, True)
    timed("api_nosandbox_cold", api_variant, root, assignment, False, False)
    timed("api_sandbox_fast", api_variant, root, assignment, True, True)
    result["scores_api_fast"] = totals(root, assignment)
    # largest process the 1-worker grading run waited for (its worker; the fork server and kernels are
    # the worker's children, so they are counted in the worker's own RUSAGE_CHILDREN, not here)
    result["peak_rss_worker"] = PEAK_RSS.get((1, True), 0)
    same = result["scores_stock"] == result["scores_ours"] == result["scores_ours_n"] == result["scores_api_fast"]
    result["identical_scores"] = same
    if not same:
        diff = {s: (result["scores_stock"].get(s), result["scores_ours"].get(s))
                for s in set(result["scores_stock"]) | set(result["scores_ours"])
                if result["scores_stock"].get(s) != result["scores_ours"].get(s)}
        result["score_differences"] = diff
    r = result
    r["ours_vs_stock"] = round(r["stock_serial"] / r["ours_1_sandbox"], 2)
    r["ours_vs_floor"] = round(r["ours_1_sandbox"] / max(r["floor"], 1e-9), 2)
    r["speedup_n_vs_1"] = round(r["ours_1_sandbox"] / r[f"ours_{jobs}_sandbox"], 2)
    r["sandbox_overhead_cold"] = round(r["api_sandbox_cold"] / r["api_nosandbox_cold"] - 1, 3)
    r["sandbox_overhead_ours"] = round(r["ours_1_sandbox"] / r["ours_1_nosandbox"] - 1, 3)
    return result


if __name__ == "__main__":
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(json.dumps(run(students), indent=2, default=str))
