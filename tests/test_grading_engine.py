"""The engine's own contract with the orchestrator: stale folders of killed runs are removed, a kernel that
cannot start is reported as "failed to start: <its error>" (KernelStartFailed), and each run leaves evidence
(what the guard restored, cells that errored or timed out) as a record and a JSON file; the spec renders the
same world for both launch paths.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook
from test_sandbox import need_bwrap
from traitlets.config import Config

from designkit.grading import (
    GuardedExecute,
    GuardedKernelManager,
    KernelStartFailed,
    Limits,
    RunEvidence,
    SandboxSpec,
    cleanup_stale,
    read_evidence,
)


def _notebook(*cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return nb


def _cell(source: str, grade_id: str = "", **meta):
    nbgrader = {"grade_id": grade_id, "grade": False, "locked": False, "solution": False, **meta} if grade_id else None
    return new_code_cell(source, metadata={"nbgrader": nbgrader} if nbgrader else {})


def test_stale_fork_server_folder_of_a_killed_run_is_removed(tmp_path):
    """A grading process killed with SIGKILL leaves its fork server's folder; the next start removes it."""
    need_bwrap()
    code = textwrap.dedent(f"""
        import sys
        from designkit.grading.forkserver import ForkServer
        from designkit.grading.spec import SandboxSpec
        server = ForkServer.get(SandboxSpec.for_submission({str(tmp_path)!r}, uid=200_123))
        print(server.private, flush=True)
        sys.stdin.read()
        """)
    run = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    folder = Path(run.stdout.readline().strip())
    assert folder.is_dir() and (folder / "spool").is_dir()
    assert str(folder) not in cleanup_stale()  # its process still runs: kept
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert folder.is_dir(), "a killed run leaves its folder behind (atexit never ran)"
    assert str(folder) in cleanup_stale()
    assert not folder.exists()


def test_a_kernel_that_cannot_start_is_reported_as_failed_to_start(tmp_path):
    """Not "killed or out of memory": the error type says start-up, the message carries the kernel's error."""
    config = Config()
    config.GuardedKernelManager.memory = 32 * 1024**2  # too little address space for Python to start ipykernel
    executor = GuardedExecute(config=config, kernel_manager_class=GuardedKernelManager, timeout=30,
                              startup_timeout=60)
    with pytest.raises(KernelStartFailed, match=r"^failed to start: ") as error:
        executor.preprocess(_notebook(_cell("print(1)")), {"metadata": {"path": str(tmp_path)}})
    # the last words depend on where Python runs out of address space: a MemoryError, a SystemError from a C
    # extension that could not allocate, or an ImportError whose shared library could not be mapped (zmq's backend,
    # libstdc++); whichever, they are the kernel's own exception, not a guess such as "out of memory"
    assert re.search(r"the kernel's last words: \w*(Error|Exception)\b", str(error.value)), str(error.value)
    assert executor.evidence.started is False and executor.evidence.start_error.startswith("failed to start: ")


def test_each_run_leaves_evidence_of_guard_restores_errors_and_timeouts(tmp_path):
    evidence_dir = tmp_path / "evidence"
    nb = _notebook(
        _cell("from designkit import checks", "setup", locked=True),
        _cell("answer = 41\nchecks.number = lambda *a, **k: None", "answer", solution=True),
        _cell("checks.number(answer, 42)", "q1", grade=True, locked=True, points=1),
        _cell("import time\nwhile True:\n    time.sleep(0.1)", "slow", solution=True),
        _cell("1 / 0", "q2", grade=True, locked=True, points=1),
    )
    executor = GuardedExecute(kernel_manager_class=GuardedKernelManager, timeout=3, evidence_dir=str(evidence_dir))
    resources = {"metadata": {"path": str(tmp_path)},
                 "nbgrader": {"student": "ada", "assignment": "ps1", "notebook": "ps1"}}
    executor.preprocess(nb, resources)
    evidence = executor.evidence
    assert evidence.started and evidence.kernel_manager == "GuardedKernelManager"
    assert [r["grade_id"] for r in evidence.restored] == ["q1"]
    assert any(item.endswith(".number") for item in evidence.restored[0]["restored"])
    events = {(e.grade_id, e.status, e.ename) for e in evidence.cells}
    assert ("q1", "error", "AssertionError") in events
    assert ("slow", "timeout", "CellTimeoutError") in events
    assert ("q2", "error", "ZeroDivisionError") in events
    [stored] = read_evidence(evidence_dir, "ada", "ps1")
    assert stored == RunEvidence.from_json(evidence.to_json())
    assert (evidence_dir / "ada" / "ps1" / "ps1.json").is_file()


def test_one_spec_renders_both_launch_paths(tmp_path):
    spec = SandboxSpec.for_submission(tmp_path / "ps1", uid=200_777, limits=Limits(threads=3, memory=10**9),
                                      extra_read_only=[str(tmp_path / "data")])
    argv = spec.bwrap_argv("/tmp/dk-x/ipc")
    request = spec.fork_request("k1", scratch="/spool/k1", ipc="/ipc/k1", secret=b"\x01" * 32, detach=["/x"])
    bound = {argv[i + 1] for i, a in enumerate(argv) if a == "--ro-bind"}
    assert str(tmp_path / "data") in bound and os.path.realpath(sys.prefix) in bound
    assert argv[argv.index("--chdir") + 1] == spec.inside == request["name"].join(["/home/student/", ""])
    setenv = {argv[i + 1]: argv[i + 2] for i, a in enumerate(argv) if a == "--setenv"}
    assert setenv == request["env"] and setenv["OPENBLAS_NUM_THREADS"] == "3"
    assert request["uid"] == 200_777 and request["limits"]["memory"] == 10**9
    assert "--unshare-net" in argv and ["--cap-add", "CAP_SETUID"] == argv[argv.index("--cap-add"):][:2]
