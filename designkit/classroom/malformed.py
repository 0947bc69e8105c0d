"""Malformed submissions, as students really produce them, for the demo and the tests.

Each kind takes a submission folder (a normal submission) and breaks it the way it happens in class;
the pipeline must repair it or record why it cannot be graded, without aborting the batch:

``invalid-json`` (a truncated save), ``empty-file``, ``wrong-name`` (``ps0-warm-up (1).ipynb``),
``wrong-assignment`` (another set's notebook under this set's name), ``duplicate-ids`` (a copy-pasted
answer cell: nbgrader #1083), ``markdown-grade-cell`` (a test cell turned into markdown: #1941),
``deleted-cells`` (a test cell and an instruction deleted), ``reordered`` (a test moved above its
answer), ``extra-files`` (notes and a notebook copy), ``non-utf8-name`` (a file name in Latin-1),
``edited-locked`` (a student "fixed" a test), ``error-in-answer`` (an answer that raises) and
``infinite-loop`` (an answer that never ends: nbgrader interrupts it at ``Execute.timeout``).

>>> sorted(KINDS)[:3]
['deleted-cells', 'duplicate-ids', 'edited-locked']
"""
from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path


def _nb_path(folder: Path) -> Path:
    paths = sorted(folder.glob("*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no notebook in {folder} to break")
    return paths[0]


def _load(folder: Path) -> tuple[Path, dict]:
    path = _nb_path(folder)
    return path, json.loads(path.read_text(encoding="utf-8"))


def _save(path: Path, nb: dict) -> None:
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _meta(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _first(nb: dict, pred: Callable[[dict], bool]) -> int:
    for i, cell in enumerate(nb["cells"]):
        if pred(cell):
            return i
    raise ValueError("no such cell in the notebook")


def _is_test(cell: dict) -> bool:
    return bool(_meta(cell).get("grade") and _meta(cell).get("locked") and cell["cell_type"] == "code")


def _is_answer(cell: dict) -> bool:
    return bool(_meta(cell).get("solution") and cell["cell_type"] == "code")


def invalid_json(folder: Path) -> str:
    path = _nb_path(folder)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    return f"{path.name} cut in the middle (invalid JSON)"


def empty_file(folder: Path) -> str:
    path = _nb_path(folder)
    path.write_bytes(b"")
    return f"{path.name} is empty (0 bytes)"


def wrong_name(folder: Path) -> str:
    path = _nb_path(folder)
    new = path.with_name(f"{path.stem} (1).ipynb")
    path.rename(new)
    return f"notebook saved as '{new.name}'"


def wrong_assignment(folder: Path, other_notebook: Path | None = None) -> str:
    """Replace the notebook with ``other_notebook`` (another set's), or with a copy whose nbgrader ids
    are all foreign when no other set exists."""
    path, nb = _load(folder)
    if other_notebook is not None:
        other = json.loads(Path(other_notebook).read_text(encoding="utf-8"))
        _save(path, other)
        return f"{path.name} holds {Path(other_notebook).stem}'s notebook"
    for cell in nb["cells"]:
        meta = _meta(cell)
        if meta.get("grade_id"):
            meta["grade_id"] = "other-set-" + meta["grade_id"]
    _save(path, nb)
    return f"{path.name} holds another set's notebook"


def duplicate_ids(folder: Path) -> str:
    path, nb = _load(folder)
    i = _first(nb, _is_answer)
    clone = copy.deepcopy(nb["cells"][i])
    nb["cells"][i]["source"] = "# my first try, kept for later\n" + "".join(nb["cells"][i]["source"])
    nb["cells"].insert(i + 1, clone)
    _save(path, nb)
    return f"answer cell '{_meta(clone)['grade_id']}' copy-pasted (duplicate cell id and grade id)"


def markdown_grade_cell(folder: Path) -> str:
    path, nb = _load(folder)
    i = _first(nb, _is_test)
    cell = nb["cells"][i]
    cell["cell_type"] = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    _save(path, nb)
    return f"test cell '{_meta(cell)['grade_id']}' turned into markdown"


def deleted_cells(folder: Path) -> str:
    path, nb = _load(folder)
    tests = [i for i, c in enumerate(nb["cells"]) if _is_test(c)]
    i = tests[1] if len(tests) > 1 else tests[0]
    gone = _meta(nb["cells"][i])["grade_id"]
    del nb["cells"][i]
    j = _first(nb, lambda c: c["cell_type"] == "markdown" and _meta(c).get("locked") and not _meta(c).get("grade"))
    gone2 = _meta(nb["cells"][j])["grade_id"]
    del nb["cells"][j]
    _save(path, nb)
    return f"test cell '{gone}' and instructions '{gone2}' deleted"


def reordered(folder: Path) -> str:
    path, nb = _load(folder)
    i = _first(nb, _is_answer)
    j = next(k for k in range(i + 1, len(nb["cells"])) if _is_test(nb["cells"][k]))
    nb["cells"][i], nb["cells"][j] = nb["cells"][j], nb["cells"][i]
    _save(path, nb)
    return f"test '{_meta(nb['cells'][i])['grade_id']}' moved above its answer"


def _replace_first_answer(folder: Path, source: str) -> str:
    """Put `source` in the first answer cell; returns that cell's grade id."""
    path, nb = _load(folder)
    cell = nb["cells"][_first(nb, _is_answer)]
    cell["source"] = source
    _save(path, nb)
    return _meta(cell)["grade_id"]


def error_in_answer(folder: Path) -> str:
    grade_id = _replace_first_answer(folder, "answer_value = totl_count / 2  # a typo: the name does not exist\n")
    return f"answer '{grade_id}' raises NameError (a typo)"


def infinite_loop(folder: Path) -> str:
    grade_id = _replace_first_answer(folder, "while True:  # waiting for the data to change\n    pass\n")
    return f"answer '{grade_id}' loops forever (interrupted at the cell timeout)"


def extra_files(folder: Path) -> str:
    (folder / "notes.txt").write_text("things to ask in class\n", encoding="utf-8")
    path = _nb_path(folder)
    (folder / f"{path.stem}-Copy1.ipynb").write_bytes(path.read_bytes())
    return f"notes.txt and {path.stem}-Copy1.ipynb added"


def non_utf8_name(folder: Path) -> str:
    name = "r\u00e9sum\u00e9.txt".encode("latin-1")
    with open(os.path.join(os.fsencode(folder), name), "wb") as fh:
        fh.write(b"draft\n")
    return "a file named 'r\\xe9sum\\xe9.txt' (Latin-1, not UTF-8)"


def edited_locked(folder: Path) -> str:
    path, nb = _load(folder)
    i = _first(nb, _is_test)
    nb["cells"][i]["source"] = "# I fixed the test\npass\n"
    _save(path, nb)
    return f"test cell '{_meta(nb['cells'][i])['grade_id']}' edited to pass"


KINDS: dict[str, Callable[..., str]] = {
    "invalid-json": invalid_json,
    "empty-file": empty_file,
    "wrong-name": wrong_name,
    "wrong-assignment": wrong_assignment,
    "duplicate-ids": duplicate_ids,
    "markdown-grade-cell": markdown_grade_cell,
    "deleted-cells": deleted_cells,
    "reordered": reordered,
    "extra-files": extra_files,
    "non-utf8-name": non_utf8_name,
    "edited-locked": edited_locked,
    "error-in-answer": error_in_answer,
    "infinite-loop": infinite_loop,
}


def malform(folder: Path, kind: str, **kwargs: object) -> str:
    """Break the submission in ``folder`` the way ``kind`` says; returns a description.

    >>> malform(Path("."), "no-such-kind")
    Traceback (most recent call last):
    ...
    KeyError: "unknown kind 'no-such-kind': one of deleted-cells, duplicate-ids, edited-locked, empty-file, error-in-answer, extra-files, infinite-loop, invalid-json, markdown-grade-cell, non-utf8-name, reordered, wrong-assignment, wrong-name"
    """
    if kind not in KINDS:
        raise KeyError(f"unknown kind {kind!r}: one of {', '.join(sorted(KINDS))}")
    return KINDS[kind](Path(folder), **kwargs)
