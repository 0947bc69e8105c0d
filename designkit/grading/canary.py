"""Pre-flight canary: one kernel launched exactly as grading launches them, before any submission is graded.

A grading run whose kernels cannot import what the notebooks import gives every student zero, with exit
status 0 (a kit installed editable from one checkout and a course graded from another folder did exactly
that). :func:`run_canary` starts a kernel with the same kernel manager, spec, mounts, environment and
executor as grading (:func:`~designkit.grading.sandbox_config`), in a scratch folder, imports what the
course's set-up cells import (:func:`course_imports`) and runs a trivial cell. It never raises for a
problem it finds: it answers with a :class:`CanaryResult` whose ``reason`` is one line and whose ``fix``
says what to do.

>>> CanaryResult(ok=True, reason="ok", fix="").ok
True
"""
from __future__ import annotations

import ast
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

MARK = "designkit-canary-ok"


@dataclass(frozen=True)
class CanaryResult:
    """The canary's verdict: ``ok``, a one-line ``reason``, and ``fix`` (what to do; empty when ok)."""

    ok: bool
    reason: str
    fix: str


def _setup_cell(cell: dict, index: int) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    if meta.get("solution") or meta.get("grade"):
        return False
    return index == 0 or bool(meta.get("locked"))


def course_imports(course_root: Path) -> list[str]:
    """Top-level modules imported by the set-up cells (the first code cell, and read-only code cells that
    are neither answers nor tests) of ``source/*/*.ipynb``.

    >>> import tempfile, pathlib, json
    >>> root = pathlib.Path(tempfile.mkdtemp()); (root / "source" / "ps1").mkdir(parents=True)
    >>> cell = {"cell_type": "code", "metadata": {}, "source": "import pandas as pd\\nfrom designkit.checks import number"}
    >>> _ = (root / "source" / "ps1" / "ps1.ipynb").write_text(json.dumps({"cells": [cell]}))
    >>> course_imports(root)
    ['designkit', 'pandas']
    """
    found: set[str] = set()
    for path in sorted(Path(course_root, "source").glob("*/*.ipynb")):
        try:
            cells = json.loads(path.read_text()).get("cells", [])
        except (OSError, ValueError):
            continue  # a broken source notebook is generate_assignment's to report, not the canary's
        code = [c for c in cells if c.get("cell_type") == "code"]
        for index, cell in enumerate(code):
            if not _setup_cell(cell, index):
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
            try:
                tree = ast.parse("\n".join(lines))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    found.discard("__future__")
    return sorted(found)


def _probe_notebook(imports: list[str]):
    from nbformat.v4 import new_code_cell, new_notebook

    lines = ["import importlib", "for _name in " + repr(list(imports)) + ":",
             "    importlib.import_module(_name)"]
    nb = new_notebook(cells=[new_code_cell("\n".join(lines)), new_code_cell(f"print({MARK!r}, 1 + 1)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def _fix_for(error_name: str, message: str) -> str:
    python = sys.executable
    if error_name == "ModuleNotFoundError":
        missing = message.split("'")[1] if message.count("'") >= 2 else message
        if missing.split(".")[0] == "designkit":
            return (f"the grading kernel cannot import the kit: install it into the Python that grades "
                    f"({python} -m pip install -e <the kit's checkout>) and grade with that Python; a kit "
                    "installed from another checkout must stay where it was installed")
        return (f"install {missing.split('.')[0]} into the Python that grades: {python} -m pip install "
                f"{missing.split('.')[0]} (the grading kernel sees only that environment, read-only)")
    return ("importing the course's modules fails inside the grading kernel: run the failing import in that "
            f"Python ({python}) and fix it before grading")


def run_canary(course_root: Path, imports: list[str], *, sandbox: bool) -> CanaryResult:
    """Launch one kernel exactly as grading will, import ``imports`` in it, run a trivial cell.

    ``sandbox`` chooses the sandboxed (fork-server) kernels or ``--no-sandbox``'s guarded ones, as grading
    does. The result's ``reason`` names the module or the start error; ``fix`` says what to do.
    """
    from .config import sandbox_config
    from .errors import KernelStartFailed, SandboxUnavailable
    from .execute import GuardedExecute

    try:
        config = sandbox_config(enabled=sandbox)
    except SandboxUnavailable as error:
        return CanaryResult(False, str(error).split(":")[0], str(error))
    scratch = Path(tempfile.mkdtemp(prefix="dk-canary-"))
    folder = scratch / "canary"
    folder.mkdir()
    try:
        executor = GuardedExecute(config=config, kernel_manager_class=config.Execute.kernel_manager_class,
                                  timeout=120, startup_timeout=120)
        try:
            nb, _ = executor.preprocess(_probe_notebook(imports), {"metadata": {"path": str(folder)}})
        except KernelStartFailed as error:
            return CanaryResult(False, f"the grading kernel {error}",
                                "fix what the error names (for the sandbox: bubblewrap must run as root here), "
                                "or grade with --no-sandbox only for code you trust")
        errors = [o for cell in nb.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            name, message = errors[0].get("ename", "Error"), errors[0].get("evalue", "")
            return CanaryResult(False, f"the grading kernel (course {Path(course_root).resolve()}) failed to import the course's "
                                f"modules: {name}: {message}", _fix_for(name, message))
        printed = "".join(o.get("text", "") for o in nb.cells[1].get("outputs", []))
        if f"{MARK} 2" not in printed:
            return CanaryResult(False, "the grading kernel ran the test cell without its expected output",
                                "run the kit's tests (make test) on this machine: the kernel does not work")
        kind = "sandboxed" if sandbox else "unsandboxed (--no-sandbox)"
        return CanaryResult(True, f"a {kind} grading kernel imported {', '.join(imports) or 'nothing'} and ran a "
                            "cell", "")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
