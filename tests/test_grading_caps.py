"""Caps that stop abuse without breaking honest work: a fork loop is capped and the rest of the notebook still
grades (sandboxed: a uid per kernel; --no-sandbox as root: a pids cgroup); numerical libraries are told the
threads they have. Through real `nbgrader autograde` (sandboxed cases need bubblewrap).
"""
from __future__ import annotations

import os

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from test_sandbox import ASSIGNMENT, make_course, need_bwrap, run_nbgrader, scores, submit

from designkit.grading import GuardedExecute, GuardedKernelManager, SandboxKernelManager
from designkit.grading.host import pids_cgroup, remove_cgroup

FORK_LOOP = """
answer = 42
import os
while True:
    os.fork()
    print("forked", os.getpid())
"""


def cgroup_available() -> bool:
    path = pids_cgroup(8)
    if path:
        remove_cgroup(path)
    return path is not None


@pytest.mark.parametrize("mode", ["forked", "cold", "nosandbox"])
def test_fork_loop_is_capped_and_the_rest_still_grades(tmp_path, mode):
    if mode == "nosandbox":
        if os.geteuid() == 0 and not cgroup_available():
            pytest.skip("as root without a pids cgroup nothing caps an unsandboxed fork loop: not run here")
    else:
        need_bwrap()
    root = make_course(tmp_path / "course", fast=(mode == "forked"), sandboxed=(mode != "nosandbox"))
    submit(root, "forker", FORK_LOOP)
    submit(root, "honest", "answer = 42")
    run_nbgrader(root, "autograde", ASSIGNMENT)
    nb = nbformat.read(root / "autograded" / "forker" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    shown = [(c.metadata.get("nbgrader", {}).get("grade_id"), o.output_type, o.get("ename"), o.get("text", "")[-300:])
             for c in nb.cells for o in c.get("outputs", []) if "forked" not in o.get("text", "")]
    assert scores(root) == {"forker": 5.0, "honest": 5.0}, shown
    errors = {(cell.metadata.get("nbgrader", {}).get("grade_id"), o.ename)
              for cell in nb.cells for o in cell.get("outputs", []) if o.output_type == "error"}
    assert errors == {("answer", "BlockingIOError")}, shown  # the loop hit the cap in its own cell only


def _notebook(*sources: str):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return nb


THREADS_PROBE = """
import os, numpy
a = numpy.ones((300, 300))
total = float((a @ a).sum())
print({name: os.environ.get(name) for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                               "NUMEXPR_NUM_THREADS")}, total)
"""


@pytest.mark.parametrize("manager", [GuardedKernelManager, SandboxKernelManager], ids=["nosandbox", "sandbox"])
def test_numerical_libraries_get_the_threads_they_are_given(tmp_path, manager):
    if manager is SandboxKernelManager:
        need_bwrap()
    from traitlets.config import Config

    config = Config()
    config.GuardedKernelManager.threads = 2
    executor = GuardedExecute(config=config, kernel_manager_class=manager, timeout=120)
    nb, _ = executor.preprocess(_notebook(THREADS_PROBE), {"metadata": {"path": str(tmp_path)}})
    printed = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "'OMP_NUM_THREADS': '2'" in printed and "'MKL_NUM_THREADS': '2'" in printed, nb.cells[0].outputs
    assert "27000000.0" in printed
