"""Grader-side defences for autograding: guarded grade cells, capped outputs, a record of each run.

:class:`GuardedExecute` replaces nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``
(:func:`designkit.grading.sandbox_config` does it). For each notebook it

- calls the kernel's guard before every grade cell (see :mod:`designkit.grading` for the design) and
  fails the cell when the guard does not answer correctly;
- caps outputs as they arrive, before anything is stored, with a visible note;
- replaces the grader's folders in outputs by neutral names;
- stops running cells once the kernel ignores an interrupt after a timeout, instead of waiting
  ``timeout`` seconds again for every remaining cell;
- raises :class:`~designkit.grading.errors.KernelStartFailed` ("failed to start: <the kernel's error>")
  when the kernel does not start, which the orchestrator tells apart from a kernel that died later;
- keeps a :class:`RunEvidence` of the run (what the guard restored, which cells errored, timed out, or
  did not run) as ``self.evidence``, and writes it as JSON when ``evidence_dir`` is set.

It overrides only public nbclient/nbgrader methods (``preprocess``, ``output``, ``async_execute_cell``,
``async_start_new_kernel``, ``async_start_new_kernel_client``).

>>> protected_bindings(_nb_with("from designkit import checks"))
[('checks', 'designkit', 'checks')]
"""
from __future__ import annotations

import ast
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_core.utils import run_sync
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook, new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer, Unicode

from designkit.i18n import N_, messages, normalise

from .errors import KernelStartFailed
from .feedback import grader_paths, scrub_output
from .kernel import guard_answer_ok

NOTE = N_("[output truncated by the grader: {what} exceeded {limit:,} bytes]")
#: What the grader writes into a student's notebook (and so into the feedback), in the notebook's language.
NOT_RUN = N_("not run: the kernel stopped responding in an earlier cell")
KERNEL_DIED = N_("the kernel stopped: it ran out of memory, CPU time or processes, or exited; "
                 "this and the remaining cells count as failed")
CHECK_FAILED = N_("{problem}; this test counts as failed")
CHECK_NOT_RUN = N_("the grader's check could not run ({reason})")
TAMPERED = N_("the grader's check was tampered with")
STREAM_OUTPUT = N_("the {name} output")
CELL_OUTPUT = N_("this cell's output")


def notebook_lang(nb: Any) -> str:
    """The language a submitted notebook was written in: its ``metadata.designkit.lang``, else English (the English
    sets carry no language; the generated Chinese ones carry ``zh-CN``), never the grader's own ``COURSE_LANG``.
    The grading kernel gets it as ``COURSE_LANG`` and the grader's notes in the notebook are written in it.

    >>> notebook_lang({"metadata": {"designkit": {"lang": "zh-CN"}}}), notebook_lang({"metadata": {}})
    ('zh-CN', 'en')
    """
    try:
        return normalise(str((nb.get("metadata", {}).get("designkit") or {}).get("lang") or "en"))
    except (AttributeError, ValueError):
        return "en"


def say(nb: Any, message: str, **fields: Any) -> str:
    """``message`` (a msgid marked with N_) in ``nb``'s language, fields filled in.

    >>> say({"metadata": {"designkit": {"lang": "en"}}}, CHECK_FAILED, problem="x")
    'x; this test counts as failed'
    """
    text = messages(notebook_lang(nb)).get(message, message)
    return text.format(**fields) if fields else text
EVIDENCE_VERSION = 1


@dataclass
class CellEvent:
    """One cell that did not simply pass: ``status`` is ``error``, ``timeout``, ``kernel_died``,
    ``not_run`` or ``guard_failed``."""

    cell_index: int
    grade_id: str
    status: str
    ename: str = ""
    evalue: str = ""


@dataclass
class RunEvidence:
    """What happened while one notebook was graded (``GuardedExecute.evidence``; JSON in ``evidence_dir``).

    >>> e = RunEvidence(student="ada", assignment="ps1", notebook="ps1")
    >>> e.restored.append({"cell_index": 3, "grade_id": "q1", "restored": ["designkit.checks.number"]})
    >>> RunEvidence.from_json(e.to_json()).restored[0]["grade_id"]
    'q1'
    """

    student: str = ""
    assignment: str = ""
    notebook: str = ""
    kernel_manager: str = ""
    started: bool = False
    start_error: str = ""
    restored: list[dict[str, Any]] = field(default_factory=list)
    cells: list[CellEvent] = field(default_factory=list)
    version: int = EVIDENCE_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> RunEvidence:
        data = json.loads(text)
        data["cells"] = [CellEvent(**c) for c in data.get("cells", [])]
        return cls(**data)

    def path_in(self, folder: str | os.PathLike) -> Path:
        """Where this run's evidence lives in ``folder``: ``<student>/<assignment>/<notebook>.json``."""
        return Path(folder, self.student or "_", self.assignment or "_", f"{self.notebook or 'notebook'}.json")


def read_evidence(folder: str | os.PathLike, student: str, assignment: str) -> list[RunEvidence]:
    """Every notebook's evidence for one submission, written by :class:`GuardedExecute` (``evidence_dir``)."""
    return [RunEvidence.from_json(p.read_text()) for p in sorted(Path(folder, student, assignment).glob("*.json"))]


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


def _size(value: Any) -> int:
    if isinstance(value, str):
        return len(value.encode("utf-8", "replace"))
    if isinstance(value, list):
        return sum(_size(v) for v in value)
    if isinstance(value, dict):
        return sum(_size(v) for v in value.values())
    return len(str(value))


def _note(what: str, limit: int, nb: Any = None) -> NotebookNode:
    return new_output("stream", name="stderr", text=say(nb or {}, NOTE, what=what, limit=limit) + "\n")


class GuardedExecute(Execute):
    """nbgrader's ``Execute`` with the guard before grade cells, output caps, path scrubbing and evidence."""

    max_output_bytes = Integer(100_000, help="largest text output kept, bytes").tag(config=True)
    max_image_bytes = Integer(1_000_000, help="largest image (base64) kept, bytes").tag(config=True)
    max_cell_bytes = Integer(2_000_000, help="most output kept per cell, bytes").tag(config=True)
    guard = Bool(True, help="call the kernel's guard before each grade cell").tag(config=True)
    responsive_wait = Integer(5, help="seconds a kernel gets to answer after an interrupt").tag(config=True)
    evidence_dir = Unicode("", help="folder for each run's evidence JSON (<student>/<assignment>/<notebook>.json); "
                           "empty: kept in memory only").tag(config=True)
    # A flood of output can leave IOPub behind the reply; the reply (and the error nbgrader adds from
    # it) decides the grade, so a late IOPub must not abort the whole submission.
    raise_on_iopub_timeout = Bool(False, help=Execute.raise_on_iopub_timeout.help).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
        self._bindings = protected_bindings(nb)
        self._paths = grader_paths()
        self._cell_bytes: dict[int, int] = {}
        self._capped: set[tuple[int, str]] = set()
        self._stuck = False
        self._nb = nb
        self.guard_log: list[tuple[int, list[str]]] = []
        info = (resources or {}).get("nbgrader", {})
        name = (resources or {}).get("unique_key") or (resources or {}).get("metadata", {}).get("name", "")
        self.evidence = RunEvidence(student=str(info.get("student", "")), assignment=str(info.get("assignment", "")),
                                    notebook=str(info.get("notebook", name)),
                                    kernel_manager=getattr(self.kernel_manager_class, "__name__", ""))
        try:
            nb, resources = super().preprocess(nb, resources, km)
        finally:
            self.write_evidence()
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                scrub_output(output, self._paths)
        return nb, resources

    def write_evidence(self) -> Path | None:
        """Write :attr:`evidence` into ``evidence_dir`` (if set); returns the file."""
        if not self.evidence_dir:
            return None
        path = self.evidence.path_in(self.evidence_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.evidence.to_json())
        return path

    def _grade_id(self, cell_index: int) -> str:
        try:
            return str(self._nb.cells[cell_index].metadata.get("nbgrader", {}).get("grade_id", ""))
        except (AttributeError, IndexError):
            return ""

    def _record(self, cell_index: int, status: str, ename: str = "", evalue: str = "") -> None:
        self.evidence.cells.append(CellEvent(cell_index, self._grade_id(cell_index), status, ename, evalue[:500]))

    # -- kernel start ------------------------------------------------------------------------------
    async def _start_failed(self, error: BaseException) -> KernelStartFailed:
        km = self.km or getattr(self, "_started_km", None)  # nbclient drops self.km when the start fails
        log = km.kernel_log() if km is not None and hasattr(km, "kernel_log") else ""
        detail = f"{type(error).__name__}: {error}" if not isinstance(error, KernelStartFailed) else str(error)
        if log.strip():
            detail += f"; the kernel's last words: {log.strip().splitlines()[-1][:500]}"
        self.evidence.start_error = KernelStartFailed(detail).args[0]
        if self.km is not None:
            try:
                await self.km.shutdown_kernel(now=True)
            except Exception as stop_error:  # the kernel may not exist at all; the start error is what matters
                self.log.debug("stopping a kernel that failed to start: %s", stop_error)
        return KernelStartFailed(detail)

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        self._started_km = self.km
        # the student's language, from the submitted notebook (never the grader's own COURSE_LANG)
        kwargs["env"] = {**kwargs.get("env", os.environ), "COURSE_LANG": notebook_lang(self._nb)}
        try:
            await super().async_start_new_kernel(**kwargs)
        except Exception as error:
            raise await self._start_failed(error) from error

    async def async_start_new_kernel_client(self) -> Any:
        try:
            kc = await super().async_start_new_kernel_client()
        except Exception as error:
            raise await self._start_failed(error) from error
        self.evidence.started = True
        return kc

    # nbconvert's ExecutePreprocessor calls the sync names, which NotebookClient binds to its own coroutines
    start_new_kernel = run_sync(async_start_new_kernel)
    start_new_kernel_client = run_sync(async_start_new_kernel_client)

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
                    outs.append(_note(say(self._nb, STREAM_OUTPUT, name=content.get("name")), self.max_output_bytes,
                                      self._nb))
                return None
        else:
            data = content.get("data", {})
            size = 0
            for mime in list(data):
                limit = self.max_image_bytes if mime.startswith("image/") else self.max_output_bytes
                item = _size(data[mime])
                if item > limit:
                    note = say(self._nb, NOTE, what=mime, limit=limit)
                    data[mime] = note if mime.startswith("text/") else None
                    if data[mime] is None:
                        del data[mime]
                        data.setdefault("text/plain", note)
                    item = 0
                size += item
            if used + size > self.max_cell_bytes:
                if (cell_index, "data") not in self._capped:
                    self._capped.add((cell_index, "data"))
                    outs.append(_note(say(self._nb, CELL_OUTPUT), self.max_cell_bytes, self._nb))
                return None
        self._cell_bytes[cell_index] = used + size
        return super().output(outs, msg, display_id, cell_index)

    # -- guard and unresponsive kernels ---------------------------------------------------------
    async def _shell_reply(self, msg_id: str, timeout: float) -> dict | None:
        assert self.kc is not None
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
            return say(self._nb, CHECK_NOT_RUN, reason=answer.get("ename", reply["content"].get("status")))
        try:
            text = ast.literal_eval(answer.get("data", {}).get("text/plain", "''"))
        except (ValueError, SyntaxError):
            text = ""
        valid, restored = guard_answer_ok(secret, nonce, str(text))
        if not valid:
            return say(self._nb, TAMPERED)
        if restored:
            self.guard_log.append((cell_index, restored))
            self.evidence.restored.append({"cell_index": cell_index, "grade_id": self._grade_id(cell_index),
                                           "restored": restored})
            self.log.warning("Cell %s: the guard restored %s", cell_index, ", ".join(restored[:20]))
        return None

    async def _responsive(self) -> bool:
        """After a timeout's interrupt: does the kernel answer an empty execution?"""
        probe = self.kc.execute("", silent=True, store_history=False, allow_stdin=False, stop_on_error=False)
        return await self._shell_reply(probe, self.responsive_wait) is not None

    async def async_execute_cell(self, cell: NotebookNode, cell_index: int, execution_count: int | None = None,
                                 store_history: bool = True) -> NotebookNode:
        if cell.cell_type != "code" or not cell.source.strip():
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        if self._stuck:
            not_run = say(self._nb, NOT_RUN)
            cell.outputs = [new_output("error", ename="KernelStopped", evalue=not_run,
                                       traceback=[f"KernelStopped: {not_run}"])]
            self._record(cell_index, "not_run", "KernelStopped")
            return cell
        problem = None
        if self.guard and is_grade_cell(cell):
            problem = await self._run_guard(cell_index)
        timeout_name = (self.error_on_timeout or {}).get("ename", "CellTimeoutError")
        try:
            cell = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except DeadKernelError:
            self._stuck = True
            message = say(self._nb, KERNEL_DIED)
            cell.outputs.append(new_output("error", ename="KernelDied", evalue=message,
                                           traceback=[f"KernelDied: {message}"]))
            self._record(cell_index, "kernel_died", "KernelDied", message)
            return cell
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if any(o.get("ename") == timeout_name for o in errors):
            self._record(cell_index, "timeout", timeout_name, f"interrupted after {self.timeout} s")
            if not await self._responsive():
                self.log.error("The kernel ignored the interrupt: stopping this notebook's remaining cells")
                self._stuck = True
                if await self.km.is_alive():
                    await self.km.shutdown_kernel(now=True)  # it ignores interrupts: do not wait for it any more
        elif errors:
            self._record(cell_index, "error", str(errors[0].get("ename", "")), str(errors[0].get("evalue", "")))
        if problem:
            cell.outputs.append(new_output("error", ename="GraderCheckFailed", evalue=problem,
                                           traceback=["GraderCheckFailed: " + say(self._nb, CHECK_FAILED,
                                                                                    problem=problem)]))
            self._record(cell_index, "guard_failed", "GraderCheckFailed", problem)
        return cell

    execute_cell = run_sync(async_execute_cell)  # NotebookClient binds the name to its own method
