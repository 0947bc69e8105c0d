"""What happened to a student's answer cells, in words: a copied cell (two cells with one nbgrader grade id, or one
cell id twice) or a deleted one (a grade id of the released notebook that is gone), and how to put it right.

nbgrader's own Validate stops on a copied answer cell with a raw ``jsonschema`` traceback ("the nbgrader metadata
may be corrupted") and says nothing about a deleted one. :func:`diagnose` reads the notebook (and the released
version it came from, when there is one) and returns one plain message per problem. It is used by the kit's
Validate (``designkit.classroom.on_submit``) and by Check & submit; grading repairs the same problems and names
them in the feedback (``designkit.classroom.preflight``).

>>> cell = {"cell_type": "code", "id": "a1", "source": "x = 1",
...         "metadata": {"nbgrader": {"grade_id": "q1-answer", "solution": True, "grade": False, "locked": False}}}
>>> copy = dict(cell, id="b2")
>>> print(diagnose({"cells": [cell, copy]})[0].message)
The answer cell q1-answer appears 2 times in your notebook (cells 1 and 2): it was copied. Keep the one under the question, delete the other (click it, then Edit ▸ Delete Cells), save, and validate again.
>>> print(diagnose({"cells": []}, {"cells": [cell]})[0].message)
The answer cell q1-answer is missing from your notebook: it was deleted. Put it back with Edit ▸ Undo Cell Operation, or copy it (with your answer) from a fresh copy of the set: rename your notebook, fetch the set again in the Assignments tab, and move your answers over.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from designkit.i18n import _


@dataclass(frozen=True)
class Diagnosis:
    """One problem: ``kind`` ("copied", "same-id" or "deleted"), the ``grade_id`` or cell id, the ``source`` of
    the cell concerned (the copy, or the released cell that is gone) and the ``message`` for the student."""

    kind: str
    cell: str
    source: str
    message: str


def _source(cell: Any) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _nbgrader(cell: Any) -> dict:
    meta = (cell.get("metadata") or {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def _kind(meta: dict) -> str:
    if meta.get("solution"):
        return _("answer cell")
    if meta.get("grade"):
        return _("test cell")
    return _("read-only cell")


def _counted(cell: Any) -> bool:
    meta = _nbgrader(cell)
    return bool(meta.get("grade_id")) and bool(meta.get("grade") or meta.get("solution") or meta.get("locked")
                                                or meta.get("task"))


def diagnose(nb: Any, reference: Any = None) -> list[Diagnosis]:
    """Plain messages for copied and deleted nbgrader cells of ``nb`` (a notebook as a dict); ``reference``: the
    released notebook it came from (None: deleted cells are not looked for). Empty when all is well."""
    cells = list(nb.get("cells", []))
    where: dict[str, list[int]] = defaultdict(list)
    for number, cell in enumerate(cells, start=1):
        if _counted(cell):
            where[_nbgrader(cell)["grade_id"]].append(number)
    messages = []
    for grade_id, numbers in where.items():
        if len(numbers) > 1:
            kind = _kind(_nbgrader(cells[numbers[0] - 1]))
            messages.append(Diagnosis("copied", grade_id, _source(cells[numbers[-1] - 1]), _(
                "The {kind} {grade_id} appears {times} times in your notebook (cells {cells}): it was copied. Keep the "
                "one under the question, delete the other (click it, then Edit ▸ Delete Cells), save, and "
                "validate again.", kind=kind, grade_id=grade_id,
                times=len(numbers),
                cells=_("{first} and {last}", first=", ".join(map(str, numbers[:-1])), last=numbers[-1]))))
    ids: dict[str, list[int]] = defaultdict(list)
    for number, cell in enumerate(cells, start=1):
        if cell.get("id"):
            ids[str(cell["id"])].append(number)
    for cell_id, numbers in ids.items():
        if len(numbers) > 1 and not any(_nbgrader(cells[n - 1]).get("grade_id") in where and
                                        len(where[_nbgrader(cells[n - 1])["grade_id"]]) > 1 for n in numbers):
            messages.append(Diagnosis("same-id", cell_id, _source(cells[numbers[-1] - 1]), _(
                "Cells {cells} of your notebook carry the same cell id ({cell_id}): one was pasted as a copy of the "
                "other. Delete the copy you do not need, save, and validate again.",
                cells=_("{first} and {last}", first=", ".join(map(str, numbers[:-1])), last=numbers[-1]),
                cell_id=cell_id)))
    if reference is not None:
        for cell in reference.get("cells", []):
            if _counted(cell) and _nbgrader(cell)["grade_id"] not in where:
                meta = _nbgrader(cell)
                if meta.get("solution"):
                    messages.append(Diagnosis("deleted", meta["grade_id"], _source(cell), _(
                        "The answer cell {grade_id} is missing from your notebook: it was deleted. Put it back with "
                        "Edit ▸ Undo Cell Operation, or copy it (with your answer) from a fresh copy of the set: "
                        "rename your notebook, fetch the set again in the Assignments tab, and move your answers "
                        "over.", grade_id=meta["grade_id"])))
                else:
                    messages.append(Diagnosis("deleted", meta["grade_id"], _source(cell), _(
                        "The {kind} {grade_id} is missing from your notebook: it was deleted. Put it back with "
                        "Edit ▸ Undo Cell Operation, or fetch a fresh copy of the set (rename your notebook first) "
                        "and move your answers over; grading puts the course's own copy back.",
                        kind=_kind(meta), grade_id=meta["grade_id"])))
    return messages
