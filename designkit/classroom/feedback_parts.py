"""Feedback a student can read: sections named after the parts, and the kit's flags in plain words on top.

nbgrader's feedback page lists every grade cell as "Test cell". The kit's template
(``templates/feedback/parts.html.j2``, extending nbgrader's ``feedback`` template through nbconvert's
public ``HTMLExporter.template_name`` / ``extra_template_basedirs``) lists each part by its name instead, and
shows above the notebook what the grader noticed (a syntax error, a cell interrupted at the time limit, a
repaired file, files left out). The :class:`PartsAndFlags` preprocessor (``GenerateFeedback.preprocessors``)
puts both into the notebook's metadata and ``resources``; :func:`flag_gradebook` marks the same submissions
``flagged`` in nbgrader's gradebook, which Formgrader shows.

A part's name: as the checks print it, "Part 1 (q1-highest-rate)" (the docstring's label and the id in
``checks.part("...")``), else the first line of the grade cell's docstring, else its grade id.

>>> part_title({"source": 'checks.part("q2", "the persona")', "metadata": {}}, "q2-test")
'q2'
>>> plain_flags([{"kind": "timeout", "text": "cell q3 timed out"}])
['A cell ran longer than the time limit and was stopped: cell q3 timed out.']
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# nbgrader's template name: this package's templates/feedback/ comes first on nbconvert's path (through
# HTMLExporter.extra_template_basedirs) and holds parts.html.j2 (no index.html.j2), which extends the
# index.html.j2 found next, nbgrader's. nbgrader's GenerateFeedback may set template_name to "feedback" itself.
from designkit.classroom.feedback_config import TEMPLATE, TEMPLATE_FILE, TEMPLATES, register_feedback  # noqa: F401
from designkit.classroom.status import FlagKind
from designkit.i18n import N_, _, normalise, set_lang

PART_CALL = re.compile(r"""checks\.part\(\s*(?:name\s*=\s*)?["']([^"']+)["']""")
DOCSTRING = re.compile(r'''^\s*[rRuU]?("""|\'\'\'|"|')\s*(.*?)\s*(?:\1|$)''', re.S)

# what each kind of flag means, for a student (the instructor's report keeps the grader's words)
PLAIN = {
    FlagKind.ERROR: N_("Some of your code stopped with an error, so the parts after it may have lost points"),
    FlagKind.TIMEOUT: N_("A cell ran longer than the time limit and was stopped"),
    FlagKind.REPAIRED: N_("Your file had to be repaired before it could be graded"),
    FlagKind.DROPPED: N_("Some files were not accepted (links or special files) and were left out"),
    FlagKind.LEFT_OUT: N_("Some large files were not kept with your graded work"),
    FlagKind.EDITED_LOCKED: N_("A cell you were not meant to change was changed; the original was used"),
    FlagKind.GUARD: N_("A check you were not meant to change was changed; the original was used"),
    FlagKind.LATE: N_("This was submitted after the due date"),
    FlagKind.NOT_GRADED: N_("This could not be graded automatically; your instructor will look at it"),
    FlagKind.ENVIRONMENT: N_("The grading machine had a problem; your instructor will grade this again"),
}
# the kinds Formgrader's flagged view should show (the instructor's attention, not routine notes)
FLAG_IN_GRADEBOOK = set(PLAIN) - {FlagKind.LATE}


def part_title(cell: Any, grade_id: str) -> str:
    """The name a part goes by (see the module's docstring)."""
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    if match := PART_CALL.search(source):
        return match.group(1)
    if (match := DOCSTRING.match(source)) and match.group(2):
        return match.group(2).strip().splitlines()[0].strip()
    return grade_id


def part_label(cell: Any, grade_id: str) -> str:
    """The part's name as the checks print it: "Part 1 (q1-highest-rate)" for a ``checks.part("q1-...")`` cell
    whose docstring starts with a short label ("Part 1: ..."), else :func:`part_title`.

    >>> part_label({"source": "'Part 2: the median.'\\nchecks.part('q2-median')", "metadata": {}}, "q2")
    'Part 2 (q2-median)'
    """
    source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
    if not PART_CALL.search(source):
        return part_title(cell, grade_id)  # the docstring's first line already
    name = part_title(cell, grade_id)
    doc = DOCSTRING.match(source)
    head = doc.group(2).split(":", 1)[0].strip() if doc and ":" in doc.group(2) else ""
    return f"{head} ({name})" if head and len(head) <= 20 and head != name else name


def plain_flags(flags: list[dict[str, str]]) -> list[str]:
    """Flags (``{"kind": ..., "text": ...}`` as in the status table) in words for the student; notes are left out."""
    out = []
    for flag in flags:
        try:
            kind = FlagKind(flag["kind"])
        except ValueError:
            continue
        if kind in PLAIN:
            detail = str(flag.get("text", "")).strip().rstrip(".")
            plain = _(PLAIN[kind])
            out.append(f"{plain}: {detail}." if detail else f"{plain}.")
    return out


def submission_language(nb: Any) -> str:
    """A submitted notebook's language: its ``metadata.designkit.lang``, else English (never the grader's own).

    >>> submission_language({"metadata": {"designkit": {"lang": "zh_CN"}}}), submission_language({"metadata": {}})
    ('zh-CN', 'en')
    """
    try:
        return normalise(str((nb.get("metadata", {}).get("designkit") or {}).get("lang") or "en"))
    except (AttributeError, ValueError):
        return "en"


def _status_flags(course_root: str, student: str, assignment: str) -> list[dict[str, str]]:
    from designkit.classroom.course import STATUS_NAME
    from designkit.classroom.status import StatusError, StatusTable

    path = Path(course_root) / STATUS_NAME
    if not path.is_file():
        return []
    try:
        row = StatusTable(path).get(student, assignment)
    except StatusError:
        return []
    return [f.to_json() for f in row.flags] if row else []


def flag_gradebook(course: Any, assignments: list[str]) -> int:
    """Mark ``flagged`` in nbgrader's gradebook every graded notebook whose submission carries a flag worth
    the instructor's attention (Formgrader lists them); returns how many notebooks are flagged now."""
    from designkit.classroom.status import StatusTable

    table = StatusTable(course.status_file)
    count = 0
    with course.open_gradebook() as gb:
        for row in table:
            if row.assignment not in assignments:
                continue
            want = bool(row.kinds() & FLAG_IN_GRADEBOOK)
            try:
                submission = gb.find_submission(row.assignment, row.student)
            except Exception:  # noqa: BLE001  (nbgrader raises MissingEntry: nothing graded to flag)
                continue
            for notebook in submission.notebooks:
                if want and not notebook.flagged:
                    notebook.flagged = True
                count += bool(notebook.flagged)
        gb.db.commit()
    return count


def _define() -> type:
    from nbgrader import utils
    from nbgrader.preprocessors import NbGraderPreprocessor

    class PartsAndFlags(NbGraderPreprocessor):
        """Feedback: name each grade cell after its part; put the submission's flags, in plain words, in
        ``resources["designkit"]["flags"]`` for the template."""

        def preprocess(self, nb: Any, resources: Any) -> Any:
            info = resources.get("nbgrader", {})
            root = self.config.CourseDirectory.get("root", ".") if "CourseDirectory" in self.config else "."
            # the page in the submission's language (Formgrader's button included): its metadata.designkit.lang
            set_lang(submission_language(nb))
            flags = _status_flags(str(root), info.get("student", ""), info.get("assignment", ""))
            resources.setdefault("designkit", {})["flags"] = plain_flags(flags)
            for cell in nb.cells:
                if utils.is_grade(cell):
                    grade_id = cell.metadata.nbgrader.get("grade_id", "")
                    cell.metadata.setdefault("designkit", {})["part"] = part_label(cell, grade_id)
            return nb, resources

    PartsAndFlags.__module__ = __name__
    PartsAndFlags.__qualname__ = "PartsAndFlags"
    return PartsAndFlags


def __getattr__(name: str) -> type:
    """``PartsAndFlags``, defined on first access (importing nbgrader costs seconds)."""
    if name == "PartsAndFlags":
        cls = _define()
        globals()["PartsAndFlags"] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
