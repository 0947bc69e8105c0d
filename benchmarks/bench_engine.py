"""The grading engine before and after issue 13, side by side in one run, on the same submissions.

"Before" is the code of commit 6b5be06 (``designkit/classroom/sandbox.py`` and the fork server), checked
out at bench time with ``git worktree add`` into ``.bench/old`` and imported from there (``PYTHONPATH``);
"after" is this checkout's :mod:`designkit.grading`. Each variant grades every submission of one problem
set through nbgrader's API in a fresh process (one worker: the engine's own cost, no pool), after one
warm-up submission that is not counted (imports, the fork server's start). Rounds alternate
(old, new, new, old) so that a change in the machine's load hits both alike.

The old engine cannot import the kit in its kernels when the kit is installed editable from another
folder (the hub bug this issue fixes): the harness gives it the editable install's package folder as an
extra read-only mount, so both variants run the same kernel-side code and their scores can be compared.

>>> OLD_COMMIT
'6b5be06'
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_COMMIT = "6b5be06"
OLD_TREE = ROOT / ".bench" / "old"
RUNNER = r"""
import json, sys, time
from pathlib import Path
root, assignment, which, sandbox, extra = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4] == "1", json.loads(sys.argv[5])
if which == "old":
    import designkit.classroom.forkserver as forkserver
    import designkit.classroom.sandbox as sandbox_module
    original = sandbox_module.python_paths
    sandbox_module.python_paths = lambda: original() + extra
    forkserver.python_paths = sandbox_module.python_paths
    sandbox_config = sandbox_module.sandbox_config
else:
    from designkit.grading import sandbox_config
import designkit
assert str(Path(designkit.__file__).resolve()).startswith(sys.argv[6]), designkit.__file__
from designkit.classroom.course import Course
course = Course.find(root)
api = course.api(sandbox_config(enabled=sandbox, fast=True))
students = sorted(p.name for p in course.submitted.iterdir() if (p / assignment).is_dir())
api.autograde(assignment, students[0], force=True, create=True)  # warm-up, not counted
failed = []
start = time.perf_counter()
for student in students:
    if not api.autograde(assignment, student, force=True, create=True)["success"]:
        failed.append(student)
print("RESULT" + json.dumps({"seconds": time.perf_counter() - start, "n": len(students), "failed": failed}))
"""


def old_tree() -> Path:
    """The worktree of :data:`OLD_COMMIT` in ``.bench/old`` (made on first use)."""
    if not (OLD_TREE / "designkit" / "classroom" / "sandbox.py").exists():
        shutil.rmtree(OLD_TREE, ignore_errors=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], check=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(OLD_TREE), OLD_COMMIT],
                       check=True, capture_output=True)
    return OLD_TREE


def grade_once(root: Path, assignment: str, which: str, sandbox: bool) -> dict:
    """One variant over every submission in a fresh process; seconds exclude the warm-up."""
    from bench_grading import reset_grading, totals

    from designkit.grading.spec import editable_sources

    tree = old_tree() if which == "old" else ROOT
    shutil.copy(tree / "nbgrader_config.py", root / "nbgrader_config.py")  # each engine's own course config
    reset_grading(root)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DESIGNKIT_SANDBOX")}
    if which == "old":
        env["PYTHONPATH"] = str(tree)
    args = [sys.executable, "-c", RUNNER, str(root), assignment, which, "1" if sandbox else "0",
            json.dumps(editable_sources()), str(tree / "designkit")]
    start = time.perf_counter()
    done = subprocess.run(args, cwd="/", env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{which} engine failed:\n{done.stderr[-3000:]}")
    result = json.loads(lines[-1][len("RESULT"):])
    result.update(wall=wall, scores=totals(root, assignment))
    return result


IMPORT_PROBE = r"""
import sys, time
pre = sys.argv[1]
if pre:
    __import__(pre)
start = time.perf_counter()
__import__(sys.argv[2])
print((time.perf_counter() - start) * 1000, "jupyter_client" in sys.modules)
"""


def import_costs(repeat: int = 5) -> dict:
    """Milliseconds to import the engine's config entry point in a fresh process (median of ``repeat``), old and
    new: alone, and after ``nbgrader.validator`` (what a student's Validate has loaded when it reads the config)."""
    out = {}
    for which, module in (("old", "designkit.classroom.sandbox"), ("new", "designkit.grading")):
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        if which == "old":
            env["PYTHONPATH"] = str(old_tree())
        for label, pre in (("alone", ""), ("after_validator", "nbgrader.validator")):
            times, loads = [], False
            for _ in range(repeat):
                done = subprocess.run([sys.executable, "-c", IMPORT_PROBE, pre, module], cwd="/", env=env,
                                      capture_output=True, text=True, check=True)
                ms, jc = done.stdout.split()
                times.append(float(ms))
                loads = jc == "True"
            out[f"{which}_{label}_ms"] = round(statistics.median(times), 1)
            out[f"{which}_{label}_loads_jupyter_client"] = loads
    return out


def run(students: int = 16, rounds: int = 2, log=print) -> dict:
    """Old and new engine, sandboxed (fork server) in ABBA order ``rounds`` times, and ``--no-sandbox`` once
    each; returns seconds per submission, ratios and whether scores agree."""
    from bench_grading import make_course, pick_problem_set

    assignment = pick_problem_set()
    root = make_course(ROOT / ".bench" / "engine", assignment, students)
    runs: dict[str, list[dict]] = {"old_sandbox": [], "new_sandbox": [], "old_nosandbox": [], "new_nosandbox": []}
    order = []
    for i in range(rounds):
        order += [("old", True), ("new", True)] if i % 2 == 0 else [("new", True), ("old", True)]
    order += [("old", False), ("new", False)]
    for which, sandbox in order:
        key = f"{which}_{'sandbox' if sandbox else 'nosandbox'}"
        log(f"engine: {key} ...")
        runs[key].append(grade_once(root, assignment, which, sandbox))
    out: dict = {"assignment": assignment, "submissions": runs["new_sandbox"][0]["n"], "rounds": rounds,
                 "old_commit": OLD_COMMIT, "imports": import_costs()}
    for key, results in runs.items():
        per = [r["seconds"] / r["n"] for r in results]
        out[key] = {"per_submission": round(statistics.median(per), 3), "runs": [round(p, 3) for p in per],
                    "failed": sorted({s for r in results for s in r["failed"]})}
    for mode in ("sandbox", "nosandbox"):
        out[f"ratio_{mode}"] = round(out[f"new_{mode}"]["per_submission"] / out[f"old_{mode}"]["per_submission"], 3)
        old_scores, new_scores = runs[f"old_{mode}"][0]["scores"], runs[f"new_{mode}"][0]["scores"]
        out[f"scores_agree_{mode}"] = old_scores == new_scores
        out[f"mean_score_{mode}"] = round(statistics.mean(new_scores.values()), 2) if new_scores else 0.0
        out[f"score_differences_{mode}"] = {s: (old_scores.get(s), new_scores.get(s))
                                            for s in set(old_scores) | set(new_scores)
                                            if old_scores.get(s) != new_scores.get(s)}
    return out


def render(e: dict, measured: str) -> str:
    """The report's section (markdown) for :func:`run`'s results."""
    verdict = lambda ratio: "ok" if ratio <= 1.10 else "MISSED"  # noqa: E731
    i = e["imports"]
    return "\n".join([
        f"## Grading engine: before ({e['old_commit']}) and after issue 13, side by side", "",
        f"Measured {measured} by `benchmarks/bench_engine.py` (part of `make bench`): {e['submissions']} submissions of "
        f"{e['assignment']}, nbgrader's API in one process per variant, one worker, warm-up excluded; sandboxed "
        f"rounds in ABBA order ({e['rounds']} each), `--no-sandbox` once each. Seconds per submission (median).", "",
        "| variant | old | new | new / old | target <= 1.10 |", "|---|---|---|---|---|",
        f"| sandboxed, fork server (default) | {e['old_sandbox']['per_submission']:.3f} | "
        f"{e['new_sandbox']['per_submission']:.3f} | {e['ratio_sandbox']:.3f} | {verdict(e['ratio_sandbox'])} |",
        f"| `--no-sandbox` (guarded cold kernels) | {e['old_nosandbox']['per_submission']:.3f} | "
        f"{e['new_nosandbox']['per_submission']:.3f} | {e['ratio_nosandbox']:.3f} | {verdict(e['ratio_nosandbox'])} |",
        "",
        f"- Every round (s/submission): old sandboxed {e['old_sandbox']['runs']}, new sandboxed "
        f"{e['new_sandbox']['runs']}.",
        f"- Scores identical, student by student: sandboxed {e['scores_agree_sandbox']}, --no-sandbox "
        f"{e['scores_agree_nosandbox']} (mean score {e['mean_score_sandbox']})" + (f" (differences: {e['score_differences_sandbox']} "
                                           f"{e['score_differences_nosandbox']})"
                                           if not (e['scores_agree_sandbox'] and e['scores_agree_nosandbox']) else "")
        + ".",
        "- The old engine is given the editable install's package as an extra read-only mount by the harness "
        "(without it its kernels cannot import the kit from this layout: the bug this issue fixes).",
        f"- What `nbgrader_config.py` pays to import the engine (fresh process, median of 5): old "
        f"`designkit.classroom.sandbox` {i['old_alone_ms']} ms alone (loads jupyter_client: "
        f"{i['old_alone_loads_jupyter_client']}), {i['old_after_validator_ms']} ms after `nbgrader.validator`; new "
        f"`designkit.grading` {i['new_alone_ms']} ms alone (loads jupyter_client: {i['new_alone_loads_jupyter_client']}), "
        f"{i['new_after_validator_ms']} ms after `nbgrader.validator`.", ""])
