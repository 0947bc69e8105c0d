"""nbgrader preprocessors for rubric rows: anchors stay with graders, 0-point answers need no manual grade.

A rubric row is a manually graded *task* cell whose ``### BEGIN MARK SCHEME`` region holds the row's
descriptors and the part's anchor answers (:mod:`designkit.classroom.rubrics` writes it). nbgrader removes the
region from the student version (``ClearMarkScheme`` at generate_assignment) and ``OverwriteCells`` restores it
into ``autograded/`` so Formgrader shows it to the grader next to the student's answer. Two gaps remain in stock
nbgrader 0.9.6, closed here by two preprocessors:

* :class:`StripMarkSchemeFromFeedback` (``GenerateFeedback.preprocessors``): ``generate_feedback`` (CLI and
  Formgrader's button) renders ``autograded/``, mark schemes included, so feedback would show the anchors.
  It removes mark-scheme regions from task cells before the HTML is written. Only task cells are touched
  (their source comes from the gradebook, never from the student), so a student who types the delimiters in
  an answer cannot break their feedback.
* :class:`ZeroPointNeedsNoManualGrade` (``Autograde.autograde_preprocessors``, after ``SaveAutoGrades``): a
  manually graded answer cell worth 0 points (``qK-written``: the answer the rubric rows score) is flagged
  "needs manual grade" by ``SaveAutoGrades`` and never cleared, so the submission would wait forever. It clears
  the flag of every grade whose ``max_score`` is 0 through nbgrader's Gradebook API; the rubric rows (task
  cells, points > 0) still need a person.

:func:`register_preprocessors` adds both to a config's lists (by dotted name, so no nbgrader import) and is
idempotent. The course's ``nbgrader_config.py`` calls it last (stock CLI and Formgrader); the kit's own
:meth:`designkit.classroom.course.Course.nbgrader_config` calls it after merging the sandbox's config, whose
lists replace the file's.

>>> from traitlets.config import Config
>>> c = Config(); register_preprocessors(c); register_preprocessors(c)
>>> c.GenerateFeedback.preprocessors.to_dict()
{'extend': ['designkit.classroom.markscheme.StripMarkSchemeFromFeedback']}
>>> c.GenerateFeedback.preprocessors = ["nbgrader.preprocessors.GetGrades"]; register_preprocessors(c)
>>> c.GenerateFeedback.preprocessors
['nbgrader.preprocessors.GetGrades', 'designkit.classroom.markscheme.StripMarkSchemeFromFeedback']
"""
from __future__ import annotations

from typing import Any

from nbformat import NotebookNode
from traitlets import Unicode
from traitlets.config import Config, LazyConfigValue

STRIP = "designkit.classroom.markscheme.StripMarkSchemeFromFeedback"
ZERO = "designkit.classroom.markscheme.ZeroPointNeedsNoManualGrade"

def _name(item: Any) -> str:
    return item if isinstance(item, str) else f"{item.__module__}.{item.__name__}"


def _add(section: Config, trait: str, dotted: str) -> None:
    current = section[trait] if trait in section else None
    if isinstance(current, list):
        if dotted not in [_name(p) for p in current]:
            section[trait] = [*current, dotted]
        return
    lazy = section[trait] if isinstance(current, LazyConfigValue) else LazyConfigValue()
    if dotted not in [_name(p) for key in ("extend", "prepend") for p in lazy.to_dict().get(key, [])]:
        lazy.append(dotted)
    section[trait] = lazy


def register_preprocessors(config: Config) -> None:
    """Add the two preprocessors to ``config`` (in place; a second call changes nothing).

    Feedback: :class:`StripMarkSchemeFromFeedback` last in ``GenerateFeedback.preprocessors``. Autograde:
    :class:`ZeroPointNeedsNoManualGrade` last in ``Autograde.autograde_preprocessors`` (after
    ``SaveAutoGrades``). A list the config does not set yet is extended from nbgrader's default.
    """
    _add(config.GenerateFeedback, "preprocessors", STRIP)
    _add(config.Autograde, "autograde_preprocessors", ZERO)


def strip_mark_scheme(text: str, begin: str = "BEGIN MARK SCHEME", end: str = "END MARK SCHEME") -> str:
    """``text`` without its mark-scheme regions (delimiter lines included). An unclosed region is cut to the end.

    >>> strip_mark_scheme("Row 1.\\n### BEGIN MARK SCHEME\\nanchor\\n### END MARK SCHEME\\nafter")
    'Row 1.\\nafter'
    """
    out, inside = [], False
    for line in text.split("\n"):
        if begin in line:
            inside = True
        elif end in line and inside:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def _define() -> dict[str, type]:
    """The preprocessor classes (defined on first use: importing nbgrader costs seconds, configs need only names)."""
    from nbgrader import utils
    from nbgrader.preprocessors import NbGraderPreprocessor

    class StripMarkSchemeFromFeedback(NbGraderPreprocessor):
        """Feedback: remove mark-scheme regions (rubric descriptors and anchor answers) from task cells."""

        begin_mark_scheme_delimeter = Unicode("BEGIN MARK SCHEME").tag(config=True)
        end_mark_scheme_delimeter = Unicode("END MARK SCHEME").tag(config=True)

        def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
            if utils.is_task(cell) and self.begin_mark_scheme_delimeter in cell.source:
                cell.source = strip_mark_scheme(cell.source, self.begin_mark_scheme_delimeter,
                                                self.end_mark_scheme_delimeter).rstrip()
            return cell, resources

    class ZeroPointNeedsNoManualGrade(NbGraderPreprocessor):
        """Autograde: a grade worth 0 points (the answer a rubric's rows score) needs no manual grade."""

        def preprocess(self, nb: NotebookNode, resources: Any) -> Any:
            from nbgrader.api import Gradebook

            info = resources["nbgrader"]
            cleared = []
            with Gradebook(info["db_url"]) as gb:
                notebook = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
                for grade in notebook.grades:
                    if grade.max_score == 0 and grade.needs_manual_grade:
                        grade.needs_manual_grade = False
                        cleared.append(grade.name)
                gb.db.commit()
            if cleared:
                self.log.info("0-point answers need no manual grade (their rubric rows do): %s", ", ".join(cleared))
            return nb, resources

    for cls in (StripMarkSchemeFromFeedback, ZeroPointNeedsNoManualGrade):
        cls.__module__ = __name__
        cls.__qualname__ = cls.__name__
    return {"StripMarkSchemeFromFeedback": StripMarkSchemeFromFeedback,
            "ZeroPointNeedsNoManualGrade": ZeroPointNeedsNoManualGrade}


def __getattr__(name: str) -> type:
    """``StripMarkSchemeFromFeedback`` and ``ZeroPointNeedsNoManualGrade``, defined on first access."""
    if name in ("StripMarkSchemeFromFeedback", "ZeroPointNeedsNoManualGrade"):
        classes = _define()
        globals().update(classes)
        return classes[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
