"""The student's loop: one line after every answer, and a summary at the end of a set.

A problem set declares its autograded parts once (``designkit.checks.sets``); its notebook calls

- ``checks.begin("ps1-child-mortality")`` in the set-up cell (it also starts watching which cells ran, so a
  syntax error, a time-out or a missing answer cell is named as such);
- ``checks.part("q1-top5-share")`` in each grade cell: it prints one line, ``✓`` and *what it checked*, or
  raises :class:`PartFailed`, whose ``_render_traceback_`` shows IPython, JupyterLab, nbgrader's Validate and
  the feedback one plain line instead of a traceback; inside the hidden-tests block,
  ``with checks.hidden("q1-top5-share"): ...`` does the same for the hidden tests;
- ``checks.check_all()`` in the last cell: parts passed, points at stake, what is still open, and which
  parts a person grades.

Grade cells are tagged ``raises-exception``, so JupyterLab's Run All goes on past a failing part, while
nbgrader still sees the error and gives the part no points.

Answers with many possible values (a number computed from data) are checked visibly against a salted,
slow hash of the rounded value (:func:`digests`), so a wrong number fails before grading without the answer
appearing in any released file; answers with few possible values (a country, a set of names) are checked
only for their form, and the check says so, because any hash of them is found by trying them all.

>>> failure = PartFailed("Part 1 (q1-top5-share): top5_share_pct is still None.")
>>> failure._render_traceback_()
['✗ Part 1 (q1-top5-share): top5_share_pct is still None.']
>>> len(PartFailed("a long message " * 20)._render_traceback_())
4
>>> matches(49.78, digests(49.7838, tol=0.05, decimals=1, salt="q1"), decimals=1, salt="q1")
True
>>> matches(4.98, digests(49.7838, tol=0.05, decimals=1, salt="q1"), decimals=1, salt="q1")
False
"""

from __future__ import annotations

import re
import sys
import textwrap
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from designkit.i18n import _

from .parts import Part, ProblemSet, digests, matches

__all__ = ["Part", "PartFailed", "ProblemSet", "begin", "check_all", "digests", "hidden", "matches", "part"]

WIDTH = 84  # characters per line of a failure (Validate cuts lines at 90, with a 4-space indent)
TIME_LIMIT_S = 20  # c.Execute.timeout in nbgrader_config.py: the grader stops a cell after this long


class PartFailed(AssertionError):
    """A part's check failed: an AssertionError that IPython shows as one line, without a traceback.

    nbgrader still sees an error in the grade cell (the part scores 0); Validate, the notebook and the feedback
    show only the message.
    """

    def _render_traceback_(self) -> list[str]:
        # wrapped: nbgrader's Validate shows each line in a box that does not wrap (and cuts it at 90 characters)
        text = f"✗ {self}"
        if any(unicodedata.east_asian_width(ch) in "WF" for ch in text):
            return _wrap_wide(text, WIDTH)
        return textwrap.wrap(text, width=WIDTH, subsequent_indent="  ", break_long_words=False,
                             break_on_hyphens=False)


def _wrap_wide(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` columns for text with Chinese (two columns a character, no spaces to break at);
    Latin words, numbers and code stay whole.

    >>> _wrap_wide("✗ 第一部分第二部分", 12)
    ['✗ 第一部分第', '  二部分']
    >>> _wrap_wide("把 YOUR_CODE 换掉", 8)
    ['把', '  YOUR_CODE', '  换掉']
    """
    lines: list[str] = []
    line, cols = "", 0
    for token in re.findall(r"[\x21-\x7e]+|.", text):
        w = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in token)
        if cols + w > width and line.strip():
            lines.append(line.rstrip())
            line, cols = "  ", 2
            if token == " ":
                continue
        line += token
        cols += w
    if line.strip():
        lines.append(line.rstrip())
    return lines


# ------------------------------------------------------------------------------------------ what ran
@dataclass
class _Run:
    source: str
    cell_id: str | None
    before: BaseException | None  # e.g. SyntaxError: the cell never ran
    during: BaseException | None  # e.g. KeyboardInterrupt: stopped (time-out or the Stop button)


_state: dict[str, Any] = {"set": None, "runs": [], "hooked": False}


def _record(result: Any) -> None:
    info = getattr(result, "info", None)
    source = getattr(info, "raw_cell", "") or ""
    runs: list[_Run] = _state["runs"]
    runs.append(_Run(source, getattr(info, "cell_id", None), result.error_before_exec, result.error_in_exec))
    del runs[:-200]


def begin(problem_set: str) -> ProblemSet:
    """Start a set's loop (in its set-up cell): find its parts and watch which cells run and how they end.

    >>> begin("ps0-warm-up").name
    'ps0-warm-up'
    """
    from .sets import get

    found = get(problem_set)
    _state["set"] = found
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python (doctests, scripts): nothing to watch
        return found
    shell = get_ipython()
    if shell is not None and not _state["hooked"]:
        shell.events.register("post_run_cell", _record)
        _state["hooked"] = True
    return found


def _current() -> ProblemSet:
    if _state["set"] is None:
        raise PartFailed(_("the set-up cell has not run yet: run the first code cell of the notebook (Run this cell "
                           "first), then this cell again."))
    return _state["set"]


def _part(part_id: str) -> Part:
    # from the set modules, not from _state: a grade cell runs the check its part id names, whatever a notebook's
    # code did to the loop's state (the grading sandbox restores designkit's modules before each grade cell)
    from .sets import find_part

    return find_part(part_id)[1]


def _placeholder(variable: str) -> str:
    return f"{variable} = None"


def _answer_runs(variable: str) -> list[_Run]:
    placeholder = _placeholder(variable)
    return [r for r in _state["runs"] if any(line.strip() == placeholder for line in r.source.splitlines())]


def _diagnose(found: Part, namespace: dict[str, Any]) -> None:
    """Raise PartFailed when the answer cell did not run to its end (syntax error, time-out, error, deleted)."""
    label = _label(found)
    cell = _("your answer cell (q{number}-answer)", number=found.number)
    runs = _answer_runs(found.variable)
    cells = {r.cell_id for r in runs if r.cell_id}
    if len(cells) > 1:
        raise PartFailed(_(
            "{label}: {n} different cells set `{placeholder}`: an answer cell was "
            "copied. Delete the copy (keep the cell right under the question), then run it and this cell again.",
            label=label, n=len(cells), placeholder=_placeholder(found.variable)))
    last = runs[-1] if runs else None
    if last is not None and isinstance(last.before, SyntaxError):
        error = last.before
        text = (error.text or "").strip()
        where = ""
        if error.lineno:
            where = (_(" on line {line} (`{text}`)", line=error.lineno, text=text) if text
                     else _(" on line {line}", line=error.lineno))
        raise PartFailed(_(
            "{label}: {cell} has a syntax error{where}: {error}. Python could not run the cell, "
            "so `{variable}` was not set. Fix that line, run the answer cell, then this cell.",
            label=label, cell=cell, where=where, error=error.msg, variable=found.variable))
    if last is not None and isinstance(last.during, KeyboardInterrupt):
        raise PartFailed(_(
            "{label}: {cell} was stopped before it finished (a time-out: the grader stops a cell after "
            "{seconds} s; or the Stop button). Look for a loop that never ends or work repeated row by row; "
            "a pandas operation on the whole column is fast.", label=label, cell=cell, seconds=TIME_LIMIT_S))
    if last is not None and last.during is not None:
        error = last.during
        raise PartFailed(_(
            "{label}: {cell} stopped with {error_type}: {error}. Fix the error it shows, "
            "run the answer cell, then this cell.", label=label, cell=cell, error_type=type(error).__name__,
            error=error))
    if found.variable not in namespace:
        raise PartFailed(_(
            "{label}: `{variable}` is not set. Run {cell}, under the question (it starts with "
            "`{placeholder}`); if it was deleted, use Edit > Undo Cell Operation, or copy the cell "
            "from a fresh copy of the assignment (Assignments tab).", label=label, variable=found.variable,
            cell=cell, placeholder=_placeholder(found.variable)))


def _label(found: Part) -> str:
    return _("Part {number} ({id})", number=found.number, id=found.id)


def part(part_id: str, namespace: dict[str, Any] | None = None) -> None:
    """Run a part's visible check: print one line saying what passed, or raise :class:`PartFailed`.

    ``namespace`` defaults to the caller's globals (the notebook's variables).

    >>> _ = begin("ps0-warm-up")
    >>> part("q2-median-rate", {"median_rate_2018": None})
    Traceback (most recent call last):
    ...
    designkit.checks.loop.PartFailed: Part 2 (q2-median-rate): median_rate_2018 is still None: replace the '# YOUR CODE HERE' line with your answer.
    """
    _current()  # the set-up cell has run (its watch names syntax errors and time-outs)
    found = _part(part_id)
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    _diagnose(found, namespace)
    value = namespace[found.variable]
    label = _label(found)
    if value is None:
        raise PartFailed(_("{label}: {variable} is still None: replace the '# YOUR CODE HERE' line with "
                           "your answer.", label=label, variable=found.variable))
    print("✓ " + _("{label}: {failure}", label=label, failure=_run_check(found, value, namespace, label)))


def _run_check(found: Part, value: Any, namespace: dict[str, Any], label: str) -> str:
    try:
        return found.check(value, namespace)
    except PartFailed:
        raise
    except AssertionError as failure:
        raise PartFailed(_("{label}: {failure}", label=label, failure=failure)) from None
    except Exception as error:  # the answer's form broke the check itself: say so, in one line
        raise PartFailed(_(
            "{label}: `{variable}` could not be checked ({error_type}: {error}). Check that it has "
            "the form the question asks for (type, keys, columns).", label=label, variable=found.variable,
            error_type=type(error).__name__, error=error)) from None


@contextmanager
def hidden(part_id: str) -> Iterator[None]:
    """Wrap a grade cell's hidden tests: a failure shows as one line naming the part.

    >>> with hidden("q1-highest-rate"):
    ...     assert False, "another country's rate is higher."
    Traceback (most recent call last):
    ...
    designkit.checks.loop.PartFailed: Part 1 (q1-highest-rate), hidden test: another country's rate is higher.
    """
    number = part_id.split("-")[0].lstrip("q")
    try:
        yield
    except PartFailed:
        raise
    except AssertionError as failure:
        raise PartFailed(_("Part {number} ({id}), hidden test: {failure}", number=number, id=part_id,
                           failure=failure)) from None


def check_all(namespace: dict[str, Any] | None = None) -> None:
    """Re-run every visible check and print a summary: what passes, the points at stake, what is still open,
    and what a person grades. It never raises, so Run All ends on it.

    >>> _ = begin("ps0-warm-up")
    >>> check_all({"highest_country": None, "median_rate_2018": None})  # doctest: +ELLIPSIS
    ps0-warm-up: 0 of 4 autograded parts pass their visible checks (0 of 8 autograded points; ...
    Still open:
      ✗ Part 1 (q1-highest-rate, 2 points): highest_country is still None.
      ✗ Part 2 (q2-median-rate, 2 points): median_rate_2018 is still None.
      ✗ Part 3 (q3-malawi-reduction, 2 points): `malawi_reduction_pct` is not set. Run your answer cell ...
      ✗ Part 4 (q4-at-target, 2 points): `countries_at_target` is not set. Run your answer cell ...
    Graded by a person with the rubric in the question (2 points): Part 5 (2 points).
    """
    problem_set = _current()
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    results: dict[str, str | None] = {}
    for one in problem_set.parts:
        try:
            _diagnose(one, namespace)
            value = namespace[one.variable]
            if value is None:
                raise PartFailed(_("{variable} is still None.", variable=one.variable))
            _run_check(one, value, namespace, _label(one))
            results[one.id] = None
        except AssertionError as failure:
            results[one.id] = str(failure).removeprefix(_("{label}: {failure}", label=_label(one), failure=""))
    passed = [p for p in problem_set.parts if results[p.id] is None]
    auto = sum(p.points for p in problem_set.parts)
    ok = sum(p.points for p in passed)
    person = sum(problem_set.rubric.values())
    lines = [
        _("{name}: {passed} of {total} autograded parts pass their visible checks "
          "({ok:g} of {auto:g} autograded points; the hidden tests run when your work is graded).",
          name=problem_set.name, passed=len(passed), total=len(problem_set.parts), ok=ok, auto=auto),
    ]
    still_open = [p for p in problem_set.parts if results[p.id] is not None]
    if still_open:
        lines.append(_("Still open:"))
        lines += ["  ✗ " + _("Part {number} ({id}, {points}): {failure}", number=p.number, id=p.id,
                             points=_pts(p.points), failure=results[p.id]) for p in still_open]
    if problem_set.rubric:
        listed = _(", ").join(_("Part {number} ({points})", number=k.lstrip("q"), points=_pts(v))
                              for k, v in problem_set.rubric.items())
        lines.append(_("Graded by a person with the rubric in the question ({points}): {parts}.",
                       points=_pts(person), parts=listed))
    print("\n".join(lines))


def _pts(points: float) -> str:
    return _("{points:g} point", points=points) if points == 1 else _("{points:g} points", points=points)
