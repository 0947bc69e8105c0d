"""The grading sandbox through stock nbgrader: isolation, limits, config, feedback redaction.

Tests that need bubblewrap skip when it is missing, except in CI (``CI=true``), where they fail.
The helpers here (a tiny real course) are shared with tests/test_attacks.py.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from designkit.grading import (
    GuardedExecute,
    GuardedKernelManager,
    SandboxUnavailable,
    bwrap_available,
    sandbox_config,
    unavailable_reason,
)

VENV_BIN = Path(sys.executable).parent
ASSIGNMENT = "tiny"
SECRET = "SECRET-SOURCE-7f3a9c"  # written only into source/ and the hidden test: must never leak
HIDDEN_MARK = "HIDDEN-CHECK-b41d"


def need_bwrap() -> None:
    """Skip without bubblewrap, except in CI where it must be installed."""
    if bwrap_available():
        return
    reason = unavailable_reason()
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the grading sandbox cannot run: {reason}")
    pytest.skip(f"the grading sandbox cannot run here: {reason}")


def _cell(source: str, grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: int = 0):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if grade:
        meta["points"] = points
    return new_code_cell(textwrap.dedent(source).strip(), metadata={"nbgrader": meta})


def tiny_source() -> nbformat.NotebookNode:
    """One solution cell and three grade cells (one with a hidden test) that use designkit.checks."""
    cells = [
        new_markdown_cell("# Tiny\nSet `answer` to the number of the question."),
        _cell("from designkit import checks", "setup", locked=True),
        _cell("""
            answer = None
            ### BEGIN SOLUTION
            answer = 42
            ### END SOLUTION
            """, "answer", solution=True),
        _cell('''
            """The notebook ran (everyone who did not break the kernel gets this point)."""
            assert True
            ''', "q0-ran", grade=True, locked=True, points=1),
        _cell('''
            """answer is 42."""
            checks.number(answer, 42)
            ''', "q1-answer", grade=True, locked=True, points=2),
        _cell(f'''
            """answer is a whole number (and a hidden test)."""
            assert isinstance(answer, int), "answer should be a whole number"
            ### BEGIN HIDDEN TESTS
            assert answer == 42, "{HIDDEN_MARK}: answer is not the expected value"  # {SECRET}
            ### END HIDDEN TESTS
            ''', "q2-hidden", grade=True, locked=True, points=2),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def make_course(root: Path, *, timeout: int = 5, sandboxed: bool = True, sandbox_on: bool = True,
                fast: bool = True, evidence: bool = False) -> Path:
    """A real nbgrader course in ``root`` with the tiny assignment generated; returns the root.

    ``sandbox_on=False`` leaves nbgrader stock; ``sandboxed=False`` is ``--no-sandbox`` (guard and
    limits, no bubblewrap); ``fast`` forks kernels from a warm server (else one cold kernel each);
    ``evidence`` writes each run's evidence JSON into ``<root>/evidence``.
    """
    root.mkdir(parents=True, exist_ok=True)
    # nbgrader has no --config option: the course's own nbgrader_config.py turns the sandbox on.
    evidence_dir = f", evidence_dir={str(root / 'evidence')!r}" if evidence else ""
    enable = ("from designkit.grading import sandbox_config\n"
              f"c.merge(sandbox_config(enabled={sandboxed!r}, fast={fast!r}{evidence_dir}))") if sandbox_on else ""
    (root / "nbgrader_config.py").write_text(textwrap.dedent(f"""
        c = get_config()
        c.CourseDirectory.root = {str(root)!r}
        c.CourseDirectory.course_id = "sandbox-test"
        c.Execute.timeout = {timeout}
        c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE"}}
        """) + enable + "\n")
    source = root / "source" / ASSIGNMENT
    source.mkdir(parents=True, exist_ok=True)
    nbformat.write(tiny_source(), source / f"{ASSIGNMENT}.ipynb")
    run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    # instructor-only files (nbgrader copies source/<assignment>/ data files to the kernel, so not there)
    (root / "source" / "answers-key.txt").write_text(SECRET + "\n")
    return root


def run_nbgrader(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run the stock nbgrader CLI in the course folder (``check``: it must exit 0)."""
    cmd = [str(VENV_BIN / "nbgrader"), *args]
    env = {**os.environ, "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}", "MPLBACKEND": "Agg"}
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0 or not check, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-4000:]}"
    return done


def submit(root: Path, student: str, answer_code: str) -> Path:
    """Write ``student``'s submission: the released notebook with the answer cell replaced."""
    nb = nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer":
            cell.source = textwrap.dedent(answer_code).strip()
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-28 10:00:00.000000 UTC\n")
    return folder


def scores(root: Path) -> dict[str, float]:
    """Total autograded score per student, read from the SQLite gradebook."""
    with sqlite3.connect(root / "gradebook.db") as db:
        rows = db.execute("""
            SELECT submitted_assignment.student_id, SUM(COALESCE(grade.auto_score, 0))
            FROM grade JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id
            JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id
            GROUP BY submitted_assignment.student_id""").fetchall()
    return {student: float(score) for student, score in rows}


def autograded_outputs(root: Path, student: str, *, grade_cells: bool = True) -> str:
    """The outputs of a student's autograded notebook (``grade_cells=False``: the student's cells only)."""
    path = root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    return json.dumps([cell.get("outputs", []) for cell in nb.cells
                       if grade_cells or not cell.metadata.get("nbgrader", {}).get("grade")])


# --------------------------------------------------------------------------------------------------


def test_missing_bubblewrap_refuses_with_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no bwrap on PATH
    assert not bwrap_available()
    with pytest.raises(SandboxUnavailable, match=r"bubblewrap \(bwrap\) not found: install it "
                                                 r"\(apt-get install bubblewrap\) or pass --no-sandbox"):
        sandbox_config(enabled=True)
    # --no-sandbox still gets the limits, the guard and the output caps
    c = sandbox_config(enabled=False)
    assert c.Execute.kernel_manager_class is GuardedKernelManager


def test_config_names_limits_and_refuses_unknown_ones():
    c = sandbox_config(enabled=False, memory="512M", cpu_seconds=30, max_output_bytes="10k")
    assert c.GuardedKernelManager.memory == 512 * 1024**2
    assert c.GuardedKernelManager.cpu_seconds == 30
    assert c.GuardedExecute.max_output_bytes == 10 * 1024
    with pytest.raises(ValueError, match="unknown sandbox limit 'memroy'"):
        sandbox_config(enabled=False, memroy="1G")
    with pytest.raises(ValueError, match="cannot read the size 'lots'"):
        sandbox_config(enabled=False, memory="lots")


@pytest.mark.parametrize("fast", [True, False], ids=["forked", "cold"])
def test_stock_nbgrader_autograde_runs_each_kernel_in_the_sandbox(tmp_path, fast):
    """`nbgrader autograde` with the course config merging sandbox_config(): isolated kernels, right scores."""
    need_bwrap()
    root = make_course(tmp_path / "course", fast=fast)
    submit(root, "right", "answer = 42")
    submit(root, "wrong", "answer = 41")
    probe = f"""
        import os, socket, sys
        seen = {{"cwd": os.getcwd(), "uid": os.getuid(), "ppid": os.getppid(), "root": sorted(os.listdir("/")),
                "here": sorted(os.listdir(".")), "course": os.path.exists({str(root)!r}),
                "parent_pid_env": "JPY_PARENT_PID" in os.environ}}
        try:
            socket.create_connection(("1.1.1.1", 53), timeout=2)
            seen["net"] = "open"
        except OSError as error:
            seen["net"] = type(error).__name__
        print("SEEN", seen)
        answer = 42
        """
    submit(root, "probe", probe)
    run_nbgrader(root, "autograde", ASSIGNMENT)
    got = scores(root)
    assert got == {"right": 5.0, "wrong": 1.0, "probe": 5.0}, got
    out = autograded_outputs(root, "probe")
    seen = eval(out.split("SEEN ")[1].split("\\n")[0].encode().decode("unicode_escape"))  # noqa: S307
    assert seen["cwd"] == f"/home/student/{ASSIGNMENT}"
    assert set(seen["here"]) <= {f"{ASSIGNMENT}.ipynb", "timestamp.txt"}  # its own files only
    assert not seen["course"], "the course folder must not exist inside the sandbox"
    # PID 1 of its own namespace (forked) or its child (cold): either way it sees no grader process
    assert seen["uid"] >= 200_000 and seen["ppid"] in (0, 1) and not seen["parent_pid_env"]
    assert seen["net"] != "open"
    # files are given back to the course's owner
    assert all(p.stat().st_uid == os.getuid() for p in (root / "autograded" / "probe").rglob("*"))


def test_feedback_hides_hidden_tests_and_grader_paths(tmp_path):
    """Feedback shows the teaching message of a failed hidden test, never its source or our folders."""
    need_bwrap()
    root = make_course(tmp_path / "course")
    submit(root, "wrong", "answer = 41")
    run_nbgrader(root, "autograde", ASSIGNMENT)
    # the instructor's autograded copy keeps the hidden test (formgrader needs it) ...
    autograded = (root / "autograded" / "wrong" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    assert HIDDEN_MARK in autograded
    run_nbgrader(root, "generate_feedback", ASSIGNMENT)
    html = (root / "feedback" / "wrong" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "answer is not the expected value" in html  # the teaching message stays
    assert SECRET not in html and "BEGIN HIDDEN TESTS" not in html
    assert "assert answer == 42" not in html
    assert str(root) not in html and sys.prefix not in html


def test_plain_nbgrader_without_our_config_is_not_sandboxed(tmp_path):
    """The control for the test above: the same probe without the config sees the course folder."""
    need_bwrap()
    root = make_course(tmp_path / "course", sandbox_on=False)
    submit(root, "probe", f"import os\nanswer = 42 if os.path.exists({str(root)!r}) else 0")
    run_nbgrader(root, "autograde", ASSIGNMENT)
    assert scores(root) == {"probe": 5.0}
    shutil.rmtree(root / "autograded")


def test_guard_and_output_caps_also_without_the_sandbox(tmp_path):
    """`--no-sandbox` keeps the guard and the caps: a blanking transformer and a no-op check are undone
    before the grade cell, and a flood of output is cut with a note (no bubblewrap needed)."""

    def cell(source: str, **meta):
        return new_code_cell(source, metadata={"nbgrader": meta} if meta else {})

    nb = new_notebook(cells=[
        cell("from designkit import checks", grade=False, locked=True, solution=False, grade_id="setup"),
        cell("answer = 41\n"
             "get_ipython().input_transformers_cleanup.append(lambda lines: [])\n"
             "checks.number = lambda *args, **kwargs: None\n"
             "for _ in range(300):\n    print('x' * 1000)",
             grade=False, locked=False, solution=True, grade_id="answer"),
        cell("checks.number(answer, 42)", grade=True, locked=True, solution=False, grade_id="q", points=1),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    executor = GuardedExecute(kernel_manager_class=GuardedKernelManager, timeout=60,
                              max_output_bytes=50_000)
    nb, _ = executor.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    printed = "".join(out.get("text", "") for out in nb.cells[1].outputs)
    assert "[output truncated by the grader" in printed and len(printed) < 60_000
    errors = [out for out in nb.cells[2].outputs if out.output_type == "error"]
    assert errors and errors[0].ename == "AssertionError" and "41" in errors[0].evalue
    restored = [item for _, items in executor.guard_log for item in items]
    assert "input/ast transformers" in restored and any(item.endswith(".number") for item in restored)
