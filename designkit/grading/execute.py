"""Grader-side defences for autograding: guarded grade cells, capped outputs, redacted feedback.

:class:`GuardedExecute` replaces nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``
(:func:`designkit.grading.sandbox.sandbox_config` does it). For each notebook it

- calls the kernel's guard before every grade cell (see :mod:`designkit.grading.sandbox` for the
  design) and fails the cell when the guard does not answer correctly;
- caps outputs as they arrive, before anything is stored, with a visible note;
- replaces the grader's folders in outputs by neutral names;
- stops running cells once the kernel ignores an interrupt after a timeout, instead of waiting
  ``timeout`` seconds again for every remaining cell.

:class:`RedactFeedback` is a ``GenerateFeedback`` preprocessor: it removes hidden tests from grade
cells and the traceback lines that would show them, and replaces the grader's folders.

>>> protected_bindings(_nb_with("from designkit import checks"))
[('checks', 'designkit', 'checks')]
"""
from __future__ import annotations

import ast
import os
import re
import secrets
import sys
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Integer, List, Unicode, default

from .kernel import guard_answer_ok

NOTE = "[output truncated by the grader: {what} exceeded {limit:,} bytes]"
HIDDEN_BEGIN = re.compile(r"^\s*#+\s*BEGIN HIDDEN TESTS", re.I)
HIDDEN_END = re.compile(r"^\s*#+\s*END HIDDEN TESTS", re.I)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _nb_with(source: str) -> NotebookNode:
    cell = new_code_cell(source, metadata={"nbgrader": {"grade": True, "locked": True, "solution": False}})
    return new_notebook(cells=[cell])


def _trusted(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade") or meta.get("locked")) and not meta.get("solution")


def is_grade_cell(cell: NotebookNode) -> bool:
    """True for an nbgrader autograder-test cell (code, ``grade: true``, not a solution)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def protected_bindings(nb: NotebookNode) -> list[tuple[str, str, str | None]]:
    """Names that trusted cells bind by importing designkit: ``(name, module, attribute or None)``.

    >>> protected_bindings(_nb_with("import designkit.checks as ch\\nfrom designkit.checks import number"))
    [('ch', 'designkit.checks', None), ('number', 'designkit.checks', 'number')]
    """
    found: list[tuple[str, str, str | None]] = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code" or not _trusted(cell):
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] != "designkit":
                        continue
                    if alias.asname:
                        found.append((alias.asname, alias.name, None))
                    else:
                        found.append(("designkit", "designkit", None))
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.split(".")[0] != "designkit":
                    continue
                for alias in node.names:
                    if alias.name != "*":
                        found.append((alias.asname or alias.name, node.module, alias.name))
    return list(dict.fromkeys(found))


def grader_paths() -> dict[str, str]:
    """Host folders that must not show in outputs, longest first, with what replaces them."""
    import designkit

    kit = str(Path(designkit.__file__).resolve().parent)
    pairs = {kit: "designkit", os.path.realpath(sys.prefix): "<python>",
             os.path.realpath(sys.base_prefix): "<python>", os.path.realpath(os.getcwd()): "<course>"}
    return dict(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


def scrub(text: str, paths: dict[str, str]) -> str:
    """Replace each grader folder in ``text``.

    >>> scrub("/srv/course/source/x.py", {"/srv/course": "<course>"})
    '<course>/source/x.py'
    """
    for path, name in paths.items():
        if path and path != "/":
            text = text.replace(path, name)
    return text


def _scrub_output(output: NotebookNode, paths: dict[str, str]) -> None:
    if "text" in output:
        output["text"] = scrub(output["text"], paths)
    if output.get("output_type") == "error":
        output["evalue"] = scrub(output.get("evalue", ""), paths)
        output["traceback"] = [scrub(line, paths) for line in output.get("traceback", [])]
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/") and isinstance(value, str):
            output["data"][mime] = scrub(value, paths)


def _size(value: Any) -> int:
    if isinstance(value, str):
        return len(value.encode("utf-8", "replace"))
    if isinstance(value, list):
        return sum(_size(v) for v in value)
    if isinstance(value, dict):
        return sum(_size(v) for v in value.values())
    return len(str(value))


def _note(what: str, limit: int) -> NotebookNode:
    return new_output("stream", name="stderr", text=NOTE.format(what=what, limit=limit) + "\n")


class GuardedExecute(Execute):
    """nbgrader's ``Execute`` with the guard before grade cells, output caps and path scrubbing."""

    max_output_bytes = Integer(100_000, help="largest text output kept, bytes").tag(config=True)
    max_image_bytes = Integer(1_000_000, help="largest image (base64) kept, bytes").tag(config=True)
    max_cell_bytes = Integer(2_000_000, help="most output kept per cell, bytes").tag(config=True)
    guard = Bool(True, help="call the kernel's guard before each grade cell").tag(config=True)
    responsive_wait = Integer(5, help="seconds a kernel gets to answer after an interrupt").tag(config=True)
    # A flood of output can leave IOPub behind the reply; the reply (and the error nbgrader adds from
    # it) decides the grade, so a late IOPub must not abort the whole submission.
    raise_on_iopub_timeout = Bool(False, help=Execute.raise_on_iopub_timeout.help).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
        self._bindings = protected_bindings(nb)
        self._paths = grader_paths()
        self._cell_bytes: dict[int, int] = {}
        self._capped: set[tuple[int, str]] = set()
        self._stuck = False
        self.guard_log: list[tuple[int, list[str]]] = []
        nb, resources = super().preprocess(nb, resources, km)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                _scrub_output(output, self._paths)
        return nb, resources

    # -- output caps ---------------------------------------------------------------------------
    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> NotebookNode | None:
        content = msg.get("content", {})
        msg_type = msg.get("msg_type")
        if msg_type == "error":
            content["evalue"] = content.get("evalue", "")[: self.max_output_bytes]
            tb = content.get("traceback", [])
            if _size(tb) > self.max_output_bytes:
                content["traceback"] = [line[:2000] for line in tb[:20]] + ["[traceback truncated by the grader]"]
            return super().output(outs, msg, display_id, cell_index)
        used = self._cell_bytes.get(cell_index, 0)
        if msg_type == "stream":
            size = _size(content.get("text", ""))
            kind = f"stream:{content.get('name')}"
            stream_used = sum(_size(o.get("text", "")) for o in outs
                              if o.get("output_type") == "stream" and o.get("name") == content.get("name"))
            if stream_used + size > self.max_output_bytes or used + size > self.max_cell_bytes:
                room = max(0, min(self.max_output_bytes - stream_used, self.max_cell_bytes - used))
                if (cell_index, kind) not in self._capped:
                    self._capped.add((cell_index, kind))
                    if room:
                        content["text"] = content.get("text", "")[:room]
                        super().output(outs, msg, display_id, cell_index)
                        self._cell_bytes[cell_index] = used + room
                    outs.append(_note(f"the {content.get('name')} output", self.max_output_bytes))
                return None
        else:
            data = content.get("data", {})
            size = 0
            for mime in list(data):
                limit = self.max_image_bytes if mime.startswith("image/") else self.max_output_bytes
                item = _size(data[mime])
                if item > limit:
                    data[mime] = NOTE.format(what=mime, limit=limit) if mime.startswith("text/") else None
                    if data[mime] is None:
                        del data[mime]
                        data.setdefault("text/plain", NOTE.format(what=mime, limit=limit))
                    item = 0
                size += item
            if used + size > self.max_cell_bytes:
                if (cell_index, "data") not in self._capped:
                    self._capped.add((cell_index, "data"))
                    outs.append(_note("this cell's output", self.max_cell_bytes))
                return None
        self._cell_bytes[cell_index] = used + size
        return super().output(outs, msg, display_id, cell_index)

    # -- guard and unresponsive kernels ---------------------------------------------------------
    async def _shell_reply(self, msg_id: str, timeout: float) -> dict | None:
        assert self.kc is not None
        import time

        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                msg = await self.kc.shell_channel.get_msg(timeout=min(left, 1.0))
            except Empty:
                if not await self.kc.is_alive():
                    return None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg

    async def _run_guard(self, cell_index: int) -> str | None:
        """Ask the kernel's guard to restore state; None when verified, else why not."""
        secret = getattr(self.km, "guard_secret", b"")
        if not secret:
            return None  # a kernel without the guard (plain kernel manager): nothing to verify
        nonce = secrets.token_hex(16)
        expression = f"__designkit_guard__({nonce!r}, {self._bindings!r})"
        msg_id = self.kc.execute("", silent=True, store_history=False, user_expressions={"g": expression},
                                 allow_stdin=False, stop_on_error=False)
        reply = await self._shell_reply(msg_id, float(self.timeout or 30))
        if reply is None:
            return "the kernel did not answer the grader's check"
        answer = reply["content"].get("user_expressions", {}).get("g", {})
        if answer.get("status") != "ok":
            return f"the grader's check could not run ({answer.get('ename', reply['content'].get('status'))})"
        try:
            text = ast.literal_eval(answer.get("data", {}).get("text/plain", "''"))
        except (ValueError, SyntaxError):
            text = ""
        valid, restored = guard_answer_ok(secret, nonce, str(text))
        if not valid:
            return "the grader's check was tampered with"
        if restored:
            self.guard_log.append((cell_index, restored))
            self.log.warning("Cell %s: the guard restored %s", cell_index, ", ".join(restored[:20]))
        return None

    async def _async_handle_timeout(self, timeout: int, cell: NotebookNode | None = None) -> Any:
        reply = await super()._async_handle_timeout(timeout, cell)
        # Does the kernel come back after the interrupt? Probe it with an empty execution.
        probe = self.kc.execute("", silent=True, store_history=False, allow_stdin=False, stop_on_error=False)
        if await self._shell_reply(probe, self.responsive_wait) is None:
            self.log.error("The kernel ignored the interrupt: stopping this notebook's remaining cells")
            self._stuck = True
        return reply

    async def async_execute_cell(self, cell: NotebookNode, cell_index: int, execution_count: int | None = None,
                                 store_history: bool = True) -> NotebookNode:
        if cell.cell_type != "code" or not cell.source.strip():
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if self._stuck:
            cell.outputs = [new_output("error", ename="KernelStopped", evalue="not run: the kernel stopped "
                                       "responding in an earlier cell",
                                       traceback=["KernelStopped: not run: the kernel stopped responding in an "
                                                  "earlier cell"])]
            return cell
        problem = None
        if self.guard and is_grade_cell(cell):
            problem = await self._run_guard(cell_index)
        try:
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except DeadKernelError:
            self._stuck = True
            message = ("the kernel stopped: it ran out of memory, CPU time or processes, or exited; "
                       "this and the remaining cells count as failed")
            cell.outputs.append(new_output("error", ename="KernelDied", evalue=message,
                                           traceback=[f"KernelDied: {message}"]))
            return cell
        if self._stuck and await self.km.is_alive():
            await self.km.shutdown_kernel(now=True)  # it ignores interrupts: do not wait for it any more
        if problem:
            cell.outputs.append(new_output("error", ename="GraderCheckFailed", evalue=problem,
                                           traceback=[f"GraderCheckFailed: {problem}; this test counts as failed"]))
        return cell

    execute_cell = run_sync(async_execute_cell)  # NotebookClient binds the name to its own method


class RedactFeedback(NbGraderPreprocessor):
    """For feedback: drop hidden tests and the traceback lines showing them; hide grader folders."""

    enabled = Bool(True).tag(config=True)
    extra_paths = List(Unicode(), help="more folders to hide from feedback").tag(config=True)
    course_root = Unicode(help="the course folder (default: the current folder)").tag(config=True)

    @default("course_root")
    def _course_root_default(self) -> str:
        return os.getcwd()

    def preprocess(self, nb: NotebookNode, resources: Any) -> Any:
        self._paths = grader_paths()
        for path in [self.course_root, *self.extra_paths]:
            self._paths[os.path.realpath(path)] = "<course>"
        self._paths = dict(sorted(self._paths.items(), key=lambda kv: -len(kv[0])))
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
        if cell.get("cell_type") == "code":
            hidden = any(HIDDEN_BEGIN.match(line) for line in cell.source.splitlines())
            if hidden:
                kept, inside = [], False
                for line in cell.source.splitlines():
                    if HIDDEN_BEGIN.match(line):
                        inside = True
                    elif HIDDEN_END.match(line):
                        inside = False
                    elif not inside:
                        kept.append(line)
                cell.source = "\n".join(kept)
            for output in cell.get("outputs", []):
                if hidden and output.get("output_type") == "error":
                    message = f"{output.get('ename', 'Error')}: {ANSI.sub('', output.get('evalue', ''))}"
                    output["traceback"] = [message.rstrip(": ")]
                _scrub_output(output, self._paths)
        return cell, resources
