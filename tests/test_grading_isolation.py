"""What a grading kernel can see: a read-only runtime (interpreter, libraries, the kit) and its own submission,
nothing else. A submission tries to read the instructor's source/, the gradebook, the course's nbgrader config,
the grader's home and its Jupyter config, and to write into the runtime; every attempt must fail, through real
`nbgrader autograde`, for forked and cold sandboxed kernels. Needs bubblewrap (skips without it, except in CI).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from test_sandbox import (
    ASSIGNMENT,
    SECRET,
    autograded_outputs,
    make_course,
    need_bwrap,
    run_nbgrader,
    scores,
    submit,
)

import designkit
from designkit.grading.spec import runtime_paths

KIT = str(Path(designkit.__file__).resolve().parent)
PROBE = """
import json, os
COURSE, HOME, KIT, PREFIX = {course!r}, {home!r}, {kit!r}, {prefix!r}

def attempt(action):
    try:
        action()
        return "ok"
    except Exception as error:
        return type(error).__name__

read = lambda path: (lambda: open(path, "rb").read(1))
listing = lambda path: (lambda: os.listdir(path))
tried = {{
    "source notebook": read(COURSE + "/source/tiny/tiny.ipynb"),
    "source folder": listing(COURSE + "/source"),
    "instructor-only file": read(COURSE + "/source/answers-key.txt"),
    "gradebook": read(COURSE + "/gradebook.db"),
    "course nbgrader config": read(COURSE + "/nbgrader_config.py"),
    "course folder": listing(COURSE),
    "grader's jupyter config": listing(HOME + "/.jupyter"),
    "system jupyter config": listing("/etc/jupyter"),
    "relative course": listing("../../../source"),
    "write into the kit": lambda: open(KIT + "/owned.py", "w").write("x"),
    "write into the venv": lambda: open(PREFIX + "/owned.txt", "w").write("x"),
}}
seen = {{name: attempt(action) for name, action in tried.items()}}
seen["runtime kit readable"] = attempt(read(KIT + "/__init__.py"))
seen["own folder"] = sorted(os.listdir("."))
try:
    seen["grader's home"] = sorted(os.listdir(HOME))
except OSError as error:
    seen["grader's home"] = []
print("PROBE" + json.dumps(seen))
answer = 42
"""


def probe_result(root: Path, student: str) -> dict:
    nb = nbformat.read(root / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    text = "".join(o.get("text", "") for cell in nb.cells for o in cell.get("outputs", []))
    return json.loads(text.split("PROBE", 1)[1].splitlines()[0])


@pytest.mark.parametrize("fast", [True, False], ids=["forked", "cold"])
def test_kernel_sees_only_the_runtime_and_its_own_submission(tmp_path, fast):
    need_bwrap()
    root = make_course(tmp_path / "course", fast=fast)
    (Path.home() / ".jupyter").mkdir(exist_ok=True)  # the grader's own Jupyter config folder exists
    code = PROBE.format(course=str(root), home=str(Path.home()), kit=KIT, prefix=os.path.realpath(sys.prefix))
    submit(root, "prober", code)
    run_nbgrader(root, "autograde", ASSIGNMENT)
    assert scores(root) == {"prober": 5.0}  # the probe itself is an honest right answer
    seen = probe_result(root, "prober")
    assert seen.pop("runtime kit readable") == "ok"  # the runtime is there, read-only
    own = seen.pop("own folder")
    # the grader's home holds nothing but the way to a runtime folder (e.g. a pyenv Python under /root)
    home = Path.home()
    runtime = {Path(p).relative_to(home).parts[0] for p in runtime_paths() if Path(p).is_relative_to(home)}
    assert set(seen.pop("grader's home")) <= runtime
    assert set(own) <= {f"{ASSIGNMENT}.ipynb", "timestamp.txt"}, own
    allowed_failures = {"FileNotFoundError", "PermissionError", "OSError", "NotADirectoryError"}
    leaked = {name: result for name, result in seen.items() if result not in allowed_failures}
    assert leaked == {}, f"the kernel reached grader files: {leaked}"
    assert SECRET not in autograded_outputs(root, "prober", grade_cells=False)
    assert not Path(KIT, "owned.py").exists()


def test_the_probe_sees_grader_files_without_the_sandbox(tmp_path):
    """The control: the same probe under stock nbgrader reads source/, the gradebook and the config."""
    need_bwrap()
    root = make_course(tmp_path / "course", sandbox_on=False)
    # (unsandboxed, the writes would succeed: aim them at a scratch folder, not at the real kit and venv)
    (tmp_path / "kit").mkdir()
    code = PROBE.format(course=str(root), home=str(Path.home()), kit=str(tmp_path / "kit"), prefix=str(tmp_path))
    submit(root, "prober", code)
    run_nbgrader(root, "autograde", ASSIGNMENT)
    seen = probe_result(root, "prober")
    assert seen["source notebook"] == seen["gradebook"] == seen["course nbgrader config"] == "ok"
    assert seen["write into the kit"] == "ok"
