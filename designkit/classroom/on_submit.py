"""The server side of "Check & submit" (the kit's JupyterLab extension, sources in ``labextension/``).

``GET /designkit/checks?path=<set>/<notebook>.ipynb`` runs the notebook's visible checks the way Validate does
(a fresh kernel in the notebook's folder, every cell, errors allowed) and answers which parts pass::

    {"course_id": "design-for-children", "assignment_id": "ps0-warm-up", "error": "",
     "parts": [{"name": "Q1: ...", "passed": true, "message": ""}, ...]}

With ``probe=1`` it only says whether the notebook belongs to a problem set the course released (the button
shows only there); ``problems`` lists copied or deleted answer cells in words (``answer_cells.diagnose``).
Submitting itself goes through nbgrader's own ``POST /assignments/submit``. Then ``POST /designkit/grading``
(``assignment_id``) starts grading on submit when the course enables it for the set
(``designkit.classroom.submit_grading``, one process per submission) and ``GET /designkit/grading?assignment_id=``
answers its state: ``queued``, ``grading``, ``done`` (``parts`` with ``score``/``max_score``, ``feedback`` paths),
``off`` or ``failed``, each with a ``message`` for the student.

nbgrader's Validate (``POST /assignments/validate``) is served by :class:`nbgrader`'s own handler class with the
kit's diagnosis of copied and deleted answer cells first (nbgrader would answer a jsonschema traceback): the one
nbgrader route the kit takes over, possible because the server loads extensions in name order (``designkit`` before
``nbgrader``).

Enabled as a Jupyter server extension by ``etc/jupyter/jupyter_server_config.d/designkit-submit.json``
(installed with the package).

>>> part_result({"outputs": [{"output_type": "error", "ename": "AssertionError", "evalue": "Q1: give a number"}]})
(False, 'Q1: give a number')
>>> part_result({"outputs": []})
(True, '')
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

MESSAGE_CHARS = 300


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": MODULE}]


def part_result(cell: Any) -> tuple[bool, str]:
    """Whether an executed test cell passed, and the teaching message of its error when it did not."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            ename, evalue = output.get("ename", "Error"), str(output.get("evalue", "")).strip()
            # a check's message teaches on its own (checks.part raises PartFailed); any other error keeps its name
            taught = ename in ("AssertionError", "PartFailed") and evalue
            text = evalue if taught else f"{ename}: {evalue}".strip().rstrip(":")
            return False, text[:MESSAGE_CHARS]
    return True, ""


def course_config(root_dir: str) -> Any:
    """The nbgrader config that ``root_dir`` sees (as nbgrader's own Assignments tab loads it)."""
    from jupyter_core.paths import jupyter_config_path
    from nbgrader.apps import NbGrader

    cwd = os.getcwd()
    try:
        os.chdir(root_dir)
        app = NbGrader()
        app.config_file_paths.append(jupyter_config_path())
        app.load_config_file()
        return app.config
    finally:
        os.chdir(cwd)


def course_settings(root_dir: str) -> tuple[str, Path, float]:
    """``(course_id, exchange_root, cell_timeout)`` from the nbgrader config that ``root_dir`` sees."""
    config = course_config(root_dir)
    course_id = str(config.CourseDirectory.get("course_id", "") or "")
    exchange = Path(str(config.Exchange.get("root", "/srv/nbgrader/exchange")))
    timeout = float(config.Execute.get("timeout", 30) or 30)
    return course_id, exchange, timeout


def released_set(root_dir: str, path: str) -> tuple[str, str, float]:
    """``(course_id, assignment_id, timeout)`` when ``path`` is ``<set>/<notebook>.ipynb`` of a released set,
    else ``assignment_id`` is ``""``."""
    parts = Path(path).parts
    course_id, exchange, timeout = course_settings(root_dir)
    if len(parts) != 2 or not parts[1].endswith(".ipynb") or not course_id:
        return course_id, "", timeout
    released = (exchange / course_id / "outbound" / parts[0]).is_dir()
    return course_id, parts[0] if released else "", timeout


def cell_diagnoses(root_dir: str, path: str) -> list[Any]:
    """Copied and deleted nbgrader cells of the notebook at ``path`` (relative to ``root_dir``), against the
    released version in the course's exchange when the notebook is ``<set>/<notebook>.ipynb`` of a released set
    (``designkit.classroom.answer_cells.diagnose``)."""
    from designkit.classroom.answer_cells import diagnose

    notebook = (Path(root_dir) / path).resolve()
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    reference = None
    parts = Path(path).parts
    if len(parts) == 2:
        course_id, exchange, _timeout = course_settings(root_dir)
        released = exchange / course_id / "outbound" / parts[0] / parts[1]
        if course_id and released.is_file():
            reference = json.loads(released.read_text(encoding="utf-8"))
    return diagnose(nb, reference)


async def run_checks(notebook: Path, timeout: float) -> list[dict[str, Any]]:
    """Run ``notebook`` in a fresh kernel (its folder as the working directory) and return its test parts."""
    import nbformat
    from nbclient import NotebookClient

    from designkit.classroom.feedback_parts import part_label

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=int(timeout), allow_errors=True, kernel_name="python3",
                            resources={"metadata": {"path": str(notebook.parent)}})
    await client.async_execute()
    parts = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            passed, message = part_result(cell)
            name = part_label(cell, meta.get("grade_id", ""))
            message = " ".join(message.split()).removeprefix("✗ ").removeprefix(f"{name}: ")  # said once
            parts.append({"name": name, "passed": passed, "message": message})
    return parts


FINAL_STATES = ("done", "off", "failed")


class GradingJobs:
    """Grading on submit as this Jupyter server runs it: one ``python -m designkit.classroom.submit_grading``
    process per submission (they queue behind the course's grading lock), the newest state of each set kept
    for the Check & submit panel to poll."""

    def __init__(self, root_dir: str, log: Any) -> None:
        self.root_dir = root_dir
        self.log = log
        self.jobs: dict[str, dict[str, Any]] = {}
        self.tasks: set[Any] = set()

    def state(self, assignment: str) -> dict[str, Any]:
        from designkit.i18n import _

        return self.jobs.get(assignment) or {
            "state": "none", "message": _("No submission of {assignment} is being graded by this server.",
                                          assignment=assignment)}

    def decide(self, assignment: str) -> tuple[dict[str, Any] | None, list[str]]:
        """``(answer, None)`` when grading on submit does not run for ``assignment`` (off, or cannot run here),
        else ``(None, command)``."""
        from nbgrader.utils import get_username

        from designkit.classroom.submit_grading import SubmitGradingError, settings
        from designkit.i18n import _

        config = course_config(self.root_dir)
        root = Path(str(config.CourseDirectory.get("root", "") or self.root_dir))
        try:
            assignments, _wait = settings(config)
        except SubmitGradingError as exc:
            return {"state": "failed", "message": str(exc)}, []
        if assignment not in assignments:
            return {"state": "off", "message": _(
                "Grading on submit is off for {assignment}: your instructor grades it later, and the feedback "
                "comes through the Assignments tab.", assignment=assignment)}, []
        if not (root / "nbgrader_config.py").is_file() or not os.access(root, os.W_OK):
            return {"state": "off", "message": _(
                "Grading on submit cannot run on this server: it cannot write to the course folder {root}. Your "
                "submission went in; the feedback comes through the Assignments tab.", root=str(root))}, []
        import sys

        return None, [sys.executable, "-m", "designkit.classroom.submit_grading", "--course-dir", str(root),
                      "--student", get_username(), "--assignment", assignment, "--folder", self.root_dir]

    async def start(self, assignment: str) -> dict[str, Any]:
        import asyncio
        import uuid

        from designkit.i18n import _

        answer, command = self.decide(assignment)
        if answer is not None:
            self.jobs[assignment] = answer
            return answer
        token = uuid.uuid4().hex
        job = {"state": "queued", "message": _("Your submission is waiting for the grader…"), "token": token}
        self.jobs[assignment] = job
        proc = await asyncio.create_subprocess_exec(*command, cwd=command[command.index("--course-dir") + 1],
                                                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        task = asyncio.ensure_future(self._follow(assignment, token, proc))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return {k: v for k, v in job.items() if k != "token"}

    async def _follow(self, assignment: str, token: str, proc: Any) -> None:
        import asyncio

        from designkit.i18n import _

        async def _errors() -> bytes:
            return await proc.stderr.read()

        errors = asyncio.ensure_future(_errors())
        last: dict[str, Any] = {}
        async for line in proc.stdout:
            try:
                last = json.loads(line)
            except ValueError:
                continue
            if self.jobs.get(assignment, {}).get("token") == token:
                self.jobs[assignment] = {**last, "token": token}
        await proc.wait()
        stderr = (await errors).decode("utf-8", "replace")
        if last.get("state") not in FINAL_STATES:
            tail = " ".join(stderr.strip().splitlines()[-1:])[:300]
            last = {"state": "failed", "message": _(
                "Grading on submit stopped without a result ({error}). Your submission is safe in the course; "
                "your instructor grades it later.", error=tail or f"exit status {proc.returncode}")}
        if last.get("state") == "failed" or proc.returncode:
            self.log.warning("designkit grading on submit of %s: %s\n%s", assignment, last.get("message"), stderr[-4000:])
        if self.jobs.get(assignment, {}).get("token") == token:
            self.jobs[assignment] = {**last, "token": token}


def _load_jupyter_server_extension(serverapp: Any) -> None:
    from jupyter_server.base.handlers import APIHandler
    from jupyter_server.utils import url_path_join
    from tornado import web

    root_dir = serverapp.root_dir

    class ChecksHandler(APIHandler):
        @web.authenticated
        async def get(self) -> None:
            path = self.get_argument("path").lstrip("/")
            course_id, assignment_id, timeout = released_set(root_dir, path)
            answer: dict[str, Any] = {"course_id": course_id, "assignment_id": assignment_id, "parts": [],
                                      "problems": [], "error": ""}
            notebook = (Path(root_dir) / path).resolve()
            if not assignment_id:
                answer["error"] = (f"{path} is not a notebook of a released problem set: fetch the set from "
                                   "the Assignments tab and open the notebook in its folder")
            elif Path(root_dir).resolve() not in notebook.parents or not notebook.is_file():
                answer["error"] = f"{path} was not found in {root_dir}"
            elif self.get_argument("probe", "") != "1":
                try:
                    answer["problems"] = [d.message for d in cell_diagnoses(root_dir, path)]
                    answer["parts"] = await run_checks(notebook, timeout)
                except Exception as exc:  # noqa: BLE001  (told to the student, and logged in full)
                    self.log.exception("designkit checks of %s failed", path)
                    answer["error"] = f"the checks could not run ({type(exc).__name__}: {exc})"
            self.finish(json.dumps(answer))

    from nbgrader.server_extensions.validate_assignment.handlers import ValidateAssignmentHandler

    class DiagnosingValidate(ValidateAssignmentHandler):
        """nbgrader's own Validate handler (the Assignments tab's and the notebook toolbar's button), first saying
        what happened to a copied or deleted answer cell instead of nbgrader's jsonschema traceback. Registered
        on nbgrader's route ``/assignments/validate`` by this extension, which the server loads before nbgrader's
        (extensions load in name order): the kit's one override of an nbgrader route."""

        def validate_notebook(self, path: str) -> dict[str, Any]:
            import html

            try:
                found = cell_diagnoses(self.root_dir, path)
            except Exception:  # noqa: BLE001  (nbgrader's own Validate then runs and reports as usual)
                self.log.exception("designkit: could not look for copied or deleted cells in %s", path)
                found = []
            if not found:
                return super().validate_notebook(path)
            import textwrap

            failed = [{"source": d.source.strip(), "error": html.escape(textwrap.fill(d.message, 88)),
                       "raw_error": d.message} for d in found]
            if not any(d.kind in ("copied", "same-id") for d in found):  # nbgrader can still run the tests
                result = super().validate_notebook(path)
                value = result.get("value")
                if result.get("success") and isinstance(value, dict):
                    failed += value.get("failed", [])
            return {"success": True, "value": {"failed": failed}}

    serverapp.web_app.settings.setdefault("root_dir", root_dir)
    jobs = GradingJobs(root_dir, serverapp.log)

    class GradingHandler(APIHandler):
        """``POST`` (form or JSON ``assignment_id``) after nbgrader's submit: start grading on submit, answer its
        first state; ``GET ?assignment_id=``: its state now (``queued``, ``grading``, ``done`` with ``parts``,
        ``score``, ``max_score``, ``feedback`` paths, ``off`` or ``failed`` with a ``message``)."""

        def _assignment(self) -> str:
            name = self.get_argument("assignment_id", "")
            if not name and self.request.body:
                try:
                    name = str(json.loads(self.request.body).get("assignment_id", ""))
                except ValueError:
                    name = ""
            if not name or "/" in name or name.startswith("."):
                raise web.HTTPError(400, "assignment_id is missing or not a set name")
            return name

        @staticmethod
        def _public(state: dict[str, Any]) -> str:
            return json.dumps({k: v for k, v in state.items() if k != "token"})

        @web.authenticated
        async def post(self) -> None:
            name = self._assignment()
            try:
                state = await jobs.start(name)
            except Exception as exc:  # noqa: BLE001  (told to the student, and logged in full)
                from designkit.i18n import _

                self.log.exception("designkit grading on submit of %s could not start", name)
                state = {"state": "failed", "message": _(
                    "Grading on submit could not start ({error}). Your submission is safe in the course; your "
                    "instructor grades it later.", error=f"{type(exc).__name__}: {exc}")}
            self.finish(self._public(state))

        @web.authenticated
        async def get(self) -> None:
            self.finish(self._public(jobs.state(self._assignment())))

    base = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [(url_path_join(base, "assignments", "validate"), DiagnosingValidate),
                                           (url_path_join(base, "designkit", "checks"), ChecksHandler),
                                           (url_path_join(base, "designkit", "grading"), GradingHandler)])
    serverapp.log.info("designkit: Check & submit enabled (GET /designkit/checks, POST/GET /designkit/grading)")


LABEXTENSION = Path(__file__).resolve().parent / "labextension"
NAME = "designkit-submit"
MODULE = "designkit.classroom.on_submit"  # not __name__: "__main__" when run with -m


def install(prefix: str | None = None) -> list[Path]:
    """Make ``prefix`` (default: this Python's ``sys.prefix``) serve the prebuilt extension and enable the server
    extension: what a wheel's shared data does, for an editable install (``pip install -e .`` does not install
    shared data). Idempotent; returns what it created.

    >>> import tempfile; made = install(tempfile.mkdtemp()); [p.name for p in made]
    ['designkit-submit', 'designkit-submit.json']
    >>> install(str(made[0].parents[3]))
    []
    """
    import sys

    root = Path(prefix or sys.prefix)
    made = []
    link = root / "share" / "jupyter" / "labextensions" / NAME
    if not (link.exists() or link.is_symlink()):
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(LABEXTENSION, target_is_directory=True)
        made.append(link)
    config = root / "etc" / "jupyter" / "jupyter_server_config.d" / f"{NAME}.json"
    if not config.exists():
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(json.dumps({"ServerApp": {"jpserver_extensions": {MODULE: True}}}, indent=2) + "\n",
                          encoding="utf-8")
        made.append(config)
    return made


if __name__ == "__main__":
    for path in install():
        print(f"installed {path}")
