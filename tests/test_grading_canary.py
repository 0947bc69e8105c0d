"""Pre-flight canary and the hub layout: the kit installed (editable) from one checkout, the course in another
folder. Before the fix every set-up cell failed there with ModuleNotFoundError and every score was 0 with exit
status 0; now the kernel sees the installed kit read-only, and the canary names anything it still cannot import.
Needs bubblewrap for the sandboxed cases (skips without it, except in CI).
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

from test_sandbox import need_bwrap

from designkit.grading import CanaryResult, course_imports, run_canary

REPO = Path(__file__).resolve().parents[1]
PS0 = "ps0-warm-up"


def hub_copy(dest: Path) -> Path:
    """The course and a copy of the kit in another folder, as on a hub; the venv's editable install still
    points at this checkout."""
    dest.mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    (dest / "source").mkdir()
    shutil.copy(REPO / "source" / "header.ipynb", dest / "source" / "header.ipynb")
    shutil.copytree(REPO / "source" / PS0, dest / "source" / PS0)
    shutil.copytree(REPO / "designkit", dest / "designkit", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def canary_in(folder: Path, imports: list[str], sandbox: bool = True) -> dict:
    """run_canary in a fresh process started with ``python -c`` in ``folder`` (the current folder first on
    sys.path, as ``python -m designkit.classroom`` has it)."""
    code = textwrap.dedent(f"""
        import json, sys
        import designkit
        from designkit.grading import run_canary
        r = run_canary(__import__("pathlib").Path("."), {imports!r}, sandbox={sandbox!r})
        print(json.dumps({{"ok": r.ok, "reason": r.reason, "fix": r.fix, "kit": designkit.__file__}}))
        """)
    done = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_course_imports_reads_the_set_up_cells():
    found = course_imports(REPO)
    assert "designkit" in found and all(name.isidentifier() for name in found)
    assert "__future__" not in found


def test_canary_passes_for_this_checkout_without_the_sandbox():
    result = run_canary(REPO, ["designkit", "pandas"], sandbox=False)
    assert isinstance(result, CanaryResult)
    assert result.ok, result
    assert result.fix == "" and "\n" not in result.reason


def test_canary_names_a_missing_module_and_the_fix():
    result = run_canary(REPO, ["designkit", "no_such_module_3f9"], sandbox=False)
    assert not result.ok
    assert "ModuleNotFoundError" in result.reason and "no_such_module_3f9" in result.reason
    assert "pip install no_such_module_3f9" in result.fix and "\n" not in result.reason


def test_hub_layout_kit_importable_in_the_sandboxed_kernel(tmp_path):
    """The course and a copy of the kit elsewhere, graded with this checkout's venv: the grader imports the
    copy, the kernel imports the installed kit, which is now mounted read-only: the canary passes."""
    need_bwrap()
    hub = hub_copy(tmp_path / "hub")
    answer = canary_in(hub, course_imports(hub))
    assert answer["kit"].startswith(str(hub)), "the grader should import the copy, as on a hub"
    assert answer["ok"], answer


def test_hub_layout_canary_catches_a_module_only_the_grader_sees(tmp_path):
    """Exactly the silent-zero mechanism: importable for the grader (the current folder is on its sys.path),
    not for the kernel. The canary reports it with the module's name instead of grading everyone to 0."""
    need_bwrap()
    hub = hub_copy(tmp_path / "hub")
    (hub / "hubonly_helpers").mkdir()
    (hub / "hubonly_helpers" / "__init__.py").write_text("VALUE = 1\n")
    answer = canary_in(hub, ["designkit", "hubonly_helpers"])
    assert not answer["ok"]
    assert "No module named 'hubonly_helpers'" in answer["reason"]
    assert "pip install hubonly_helpers" in answer["fix"]


def test_hub_layout_grades_with_real_scores(tmp_path):
    """`python -m nbgrader autograde` in the hub copy, sandboxed: the solution scores full marks on every
    autograded cell (before the fix:
    ModuleNotFoundError in the set-up cell, every score 0, exit status 0)."""
    need_bwrap()
    hub = hub_copy(tmp_path / "hub")
    env = {**os.environ, "DESIGNKIT_SANDBOX": "1", "MPLBACKEND": "Agg"}
    run = lambda *args: subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=hub, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=900)
    done = run("generate_assignment", PS0, "--force")
    assert done.returncode == 0, done.stderr[-3000:]
    folder = hub / "submitted" / "hubstudent" / PS0
    folder.mkdir(parents=True)
    shutil.copy(hub / "source" / PS0 / f"{PS0}.ipynb", folder / f"{PS0}.ipynb")
    (folder / "timestamp.txt").write_text("2026-11-28 10:00:00.000000 UTC\n")
    done = run("autograde", PS0, "--student", "hubstudent")
    assert done.returncode == 0, done.stderr[-3000:]
    with sqlite3.connect(hub / "gradebook.db") as db:
        got, possible = db.execute(
            "SELECT SUM(COALESCE(grade.auto_score, 0)), SUM(grade_cells.max_score) FROM grade "
            "JOIN grade_cells ON grade.cell_id = grade_cells.id WHERE grade_cells.cell_type = 'code'").fetchone()
    assert possible and got == possible, (got, possible, done.stderr[-3000:])
