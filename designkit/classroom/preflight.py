"""Checks and safe repairs of one submission, before nbgrader sees it.

Stock nbgrader either aborts or silently loses points on submissions students break in ordinary
ways (nbgrader issues #1083 and #1941). ``check_submission`` looks at
``submitted/<student>/<assignment>/`` and either repairs the problem in a documented, safe way (the
untouched original is kept in ``backups/originals/<student>/<assignment>/`` first) or says why the
submission cannot be graded. The reference for every repair is the released student version in
``assignments/<assignment>/`` (what the student started from); nbgrader then restores locked cells
from the gradebook's own copy as usual.

Repairs (each recorded in the status table's ``flags`` as ``repaired: ...``):

- a file whose name is not valid UTF-8: moved to the originals folder (nbgrader cannot copy it);
- a single notebook under another name (``ps0-warm-up (1).ipynb``) holding this assignment's cells:
  renamed to the expected name;
- duplicate nbgrader grade ids from copy-pasted cells: the last copy keeps the id (nbgrader's own
  rule), earlier copies become ordinary cells whose code still runs;
- duplicate or missing notebook cell ids: renumbered (``<id>-2``, ``<id>-3``...);
- an answer, test or read-only cell whose type was changed (code <-> markdown): type restored;
- a deleted answer, test or read-only cell: restored from the released version (a deleted answer
  comes back as the empty stub and scores zero);
- reordered cells: the cells carrying nbgrader ids are put back in the released order, each
  student-added cell travelling with the nbgrader cell it followed;
- an unreadable ``timestamp.txt``: moved to the originals folder (submission time unknown).

Not graded (scores recorded as zero, reason in the status table): no notebook, an empty file, invalid
JSON, a file that is not a notebook, a notebook of another assignment, or several unknown notebooks
where one is expected. Extra files are left alone (nbgrader copies them; the instructor's own files
overwrite same-named ones) and noted. An edited read-only cell is flagged; nbgrader restores it.

>>> Preflight(ok=False, reason="empty file: ps0.ipynb").flags()
[]
"""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from designkit.classroom.course import Course
from designkit.classroom.status import Flag, FlagKind

REPAIR_LOG = "REPAIRS.json"


@dataclass
class Preflight:
    """The outcome of the checks on one submission.

    >>> [str(f) for f in Preflight(ok=True, repairs=["renamed a.ipynb to b.ipynb"]).flags()]
    ['repaired: renamed a.ipynb to b.ipynb']
    """

    ok: bool
    reason: str = ""
    repairs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    edited_locked: list[str] = field(default_factory=list)

    def flags(self) -> list[Flag]:
        out = [Flag(FlagKind.REPAIRED, r) for r in self.repairs]
        out += [Flag(FlagKind.EDITED_LOCKED, f"{c} (restored by nbgrader)") for c in self.edited_locked]
        out += [Flag(FlagKind.NOTE, n) for n in self.notes]
        return out

# written by nbgrader itself (submit, collect, the server extension): never the student's "extra files"
NBGRADER_OWN = {"timestamp.txt", "submission_secret.txt", ".ipynb_checkpoints"}


def _nbgrader_meta(cell: dict) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def _grade_id(cell: dict) -> str | None:
    meta = _nbgrader_meta(cell)
    if meta.get("grade") or meta.get("solution") or meta.get("locked") or meta.get("task"):
        gid = meta.get("grade_id")
        return gid if isinstance(gid, str) and gid else None
    return None


def _source_text(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def reference_cells(course: Course, assignment: str, notebook: str) -> list[dict]:
    """The released student version's cells (plain dicts) for ``assignment/notebook``."""
    path = course.release / assignment / f"{notebook}.ipynb"
    if not path.exists():
        from designkit.classroom.course import CourseError

        raise CourseError(f"{path} is missing: run `python -m designkit.classroom assignments` "
                          "(make assignments) before grading.")
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _ids_of_other_assignments(course: Course, assignment: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for other in course.assignment_names():
        if other == assignment:
            continue
        ids: set[str] = set()
        for nb in course.notebook_ids(other):
            path = course.release / other / f"{nb}.ipynb"
            if path.exists():
                ids |= {g for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
                        if (g := _grade_id(c))}
        out[other] = ids
    return out


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _not_this_assignment(course: Course, assignment: str, name: str, ids: set[str], ref_ids: set[str]) -> str:
    """Why a notebook with nbgrader ids ``ids`` is not this assignment's, or "" when it is. Sets share ids
    like ``q1-answer``, so the test is which set's ids the notebook matches best (Jaccard index)."""
    if not ids:
        return (f"no nbgrader cells in {name}: it was not started from the released {assignment} "
                "(a new or copied notebook cannot be graded)")
    own = _jaccard(ids, ref_ids)
    scores = {a: _jaccard(ids, a_ids) for a, a_ids in _ids_of_other_assignments(course, assignment).items()}
    best = max(scores, key=scores.get, default=None)
    if best is not None and scores[best] > own:
        return f"wrong assignment: {name} holds the cells of {best}, not {assignment}"
    if own == 0:
        return f"{name} is not a notebook of {assignment} (none of its nbgrader cells)"
    return ""


class _Keeper:
    """Copies a submission's untouched files to the originals folder, once, before any change."""

    def __init__(self, course: Course, student: str, assignment: str) -> None:
        self.folder = course.submitted / student / assignment
        self.dest = course.originals / student / assignment
        self.saved = False

    def save(self) -> None:
        if self.saved:
            return
        if not self.dest.exists():
            shutil.copytree(os.fsencode(self.folder), os.fsencode(self.dest), symlinks=True)
        self.saved = True

    def log(self, repairs: list[str]) -> None:
        if not repairs:
            return
        path = self.dest / REPAIR_LOG
        self.dest.mkdir(parents=True, exist_ok=True)
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        path.write_text(json.dumps(old + [r for r in repairs if r not in old], indent=1), encoding="utf-8")

    def previous(self) -> list[str]:
        path = self.dest / REPAIR_LOG
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def _move_bad_names(keeper: _Keeper, repairs: list[str]) -> None:
    root = os.fsencode(keeper.folder)
    bad: list[bytes] = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            try:
                name.decode("utf-8")
            except UnicodeDecodeError:
                bad.append(os.path.join(dirpath, name))
    if not bad:
        return
    keeper.save()
    for path in bad:
        if os.path.lexists(path):
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
            shown = os.path.relpath(path, root).decode("utf-8", "backslashreplace")
            repairs.append(f"removed '{shown}' (its name is not valid UTF-8; kept in backups/originals)")


def _read_notebook(path: Path) -> tuple[dict | None, str]:
    """(notebook dict, "") or (None, reason)."""
    data = path.read_bytes()
    if not data.strip():
        return None, f"empty file: {path.name}"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, f"not a notebook: {path.name} is not UTF-8 text"
    try:
        nb = json.loads(text)
    except ValueError as exc:
        return None, f"invalid JSON in {path.name} ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or nb.get("nbformat") != 4:
        return None, f"not a notebook: {path.name} has no nbformat-4 'cells' list"
    if not all(isinstance(c, dict) and c.get("cell_type") in ("code", "markdown", "raw") for c in nb["cells"]):
        return None, f"not a notebook: {path.name} has cells without a valid cell_type"
    return nb, ""


def _fix_notebook(nb: dict, ref: list[dict], repairs: list[str], edited: list[str], label: str) -> bool:
    """Repair ``nb`` in place against the reference cells; True when anything changed."""
    changed = False
    ref_ids = [g for c in ref if (g := _grade_id(c))]
    ref_by_id = {_grade_id(c): c for c in ref if _grade_id(c)}

    # 1. duplicate nbgrader grade ids: the last copy keeps it (nbgrader's rule), earlier ones become plain cells
    seen: set[str] = set()
    for cell in reversed(nb["cells"]):
        gid = _grade_id(cell)
        if gid is None:
            continue
        if gid in seen:
            del cell["metadata"]["nbgrader"]
            for key in ("deletable", "editable"):
                cell["metadata"].pop(key, None)
            repairs.append(f"{label}: copy of cell '{gid}' made an ordinary cell (duplicate grade id)")
            changed = True
        seen.add(gid)

    # 2. cells of the reference that were deleted: restore them from the released version
    present = {g for c in nb["cells"] if (g := _grade_id(c))}
    for gid in ref_ids:
        if gid not in present:
            restored = json.loads(json.dumps(ref_by_id[gid]))
            prev = ref_ids[: ref_ids.index(gid)]
            pos = 0
            for i, cell in enumerate(nb["cells"]):
                if _grade_id(cell) in prev:
                    pos = i + 1
            nb["cells"].insert(pos, restored)
            present.add(gid)
            kind = "answer" if _nbgrader_meta(restored).get("solution") else "read-only/test"
            repairs.append(f"{label}: deleted {kind} cell '{gid}' restored from the released version")
            changed = True

    # 3. reordered: put nbgrader cells back in the released order, student cells travel with their anchor
    order = [_grade_id(c) for c in nb["cells"] if _grade_id(c) in ref_by_id]
    wanted = [g for g in ref_ids if g in order]
    if order != wanted:
        head: list[dict] = []
        groups: dict[str, list[dict]] = {}
        current: list[dict] = head
        for cell in nb["cells"]:
            gid = _grade_id(cell)
            if gid in ref_by_id:
                current = groups.setdefault(gid, [])
            current.append(cell)
        nb["cells"] = head + [c for g in wanted for c in groups[g]]
        repairs.append(f"{label}: cells put back in the released order")
        changed = True

    # 4. changed cell types and edited read-only cells
    for cell in nb["cells"]:
        gid = _grade_id(cell)
        if gid not in ref_by_id:
            continue
        ref_cell = ref_by_id[gid]
        if cell["cell_type"] != ref_cell["cell_type"]:
            old = cell["cell_type"]
            cell["cell_type"] = ref_cell["cell_type"]
            if cell["cell_type"] == "code":
                cell["outputs"], cell["execution_count"] = [], None
            else:
                cell.pop("outputs", None)
                cell.pop("execution_count", None)
            cell.get("metadata", {}).get("nbgrader", {})["cell_type"] = ref_cell["cell_type"]
            repairs.append(f"{label}: cell '{gid}' had been turned into {old}: type restored")
            changed = True
        if _nbgrader_meta(ref_cell).get("locked") and _source_text(cell).strip() != _source_text(ref_cell).strip():
            edited.append(f"{label}: '{gid}'")

    # 5. notebook cell ids: unique and present (nbformat >= 4.5)
    ids: set[str] = set()
    renumbered = 0
    for i, cell in enumerate(nb["cells"]):
        cid = cell.get("id")
        if not isinstance(cid, str) or not cid:
            cid = f"cell-{i}"
        base, n = cid[:56], 1
        while cid in ids:
            n += 1
            cid = f"{base}-{n}"
        if cid != cell.get("id"):
            renumbered += 1
            cell["id"] = cid
        ids.add(cid)
    if renumbered:
        nb["nbformat_minor"] = max(int(nb.get("nbformat_minor", 5)), 5)
        repairs.append(f"{label}: {renumbered} duplicate or missing cell id(s) renumbered")
        changed = True
    return changed


def check_submission(course: Course, student: str, assignment: str) -> Preflight:
    """Check (and where safe, repair) ``submitted/<student>/<assignment>/``.

    >>> course = Course.find()
    >>> check_submission(course, "nobody", "ps0-none").reason.startswith("no submission")
    True
    """
    folder = course.submitted / student / assignment
    if not folder.is_dir():
        return Preflight(ok=False, reason=f"no submission folder {folder}")
    keeper = _Keeper(course, student, assignment)
    repairs: list[str] = []
    notes: list[str] = []
    edited: list[str] = []
    _move_bad_names(keeper, repairs)

    stamp = folder / "timestamp.txt"
    if stamp.exists():
        from nbgrader.utils import parse_utc

        try:
            parse_utc(stamp.read_text(encoding="utf-8", errors="replace").strip())
        except Exception:
            keeper.save()
            stamp.unlink()
            repairs.append("unreadable timestamp.txt moved to backups/originals (submission time unknown)")
    else:
        notes.append("no timestamp.txt: submission time unknown, lateness not checked")

    expected = course.notebook_ids(assignment)
    present = sorted(p.stem for p in folder.glob("*.ipynb") if p.is_file())
    extra = [n for n in present if n not in expected]
    missing = [n for n in expected if n not in present]

    def _prev_and_result(ok: bool, reason: str = "") -> Preflight:
        keeper.log(repairs)
        all_repairs = keeper.previous() if keeper.dest.exists() else repairs
        return Preflight(ok=ok, reason=reason, repairs=all_repairs, notes=notes, edited_locked=edited)

    # a single wrongly-named notebook for a single missing one
    if missing and extra:
        if len(missing) == 1 and len(extra) == 1:
            cand = folder / f"{extra[0]}.ipynb"
            nb, why = _read_notebook(cand)
            if nb is None:
                return _prev_and_result(False, why)
            ids = {g for c in nb["cells"] if (g := _grade_id(c))}
            ref_ids = {g for c in reference_cells(course, assignment, missing[0]) if (g := _grade_id(c))}
            why = _not_this_assignment(course, assignment, f"'{extra[0]}.ipynb'", ids, ref_ids)
            if why:
                return _prev_and_result(False, why)
            keeper.save()
            cand.rename(folder / f"{missing[0]}.ipynb")
            repairs.append(f"renamed '{extra[0]}.ipynb' to '{missing[0]}.ipynb'")
            present, extra, missing = expected, [], []
        else:
            return _prev_and_result(False, f"expected {', '.join(m + '.ipynb' for m in missing)}; found "
                                           f"{', '.join(e + '.ipynb' for e in extra)} (cannot tell which is which)")
    if missing and len(missing) == len(expected):
        return _prev_and_result(False, f"no notebook: expected {', '.join(m + '.ipynb' for m in missing)}")
    if missing:
        notes.append(f"missing notebook(s) scored zero by nbgrader: {', '.join(missing)}")
    if extra:
        notes.append(f"extra notebook(s) ignored: {', '.join(e + '.ipynb' for e in extra)}")
    others = sorted(p.name for p in folder.iterdir()
                    if p.name not in NBGRADER_OWN and not (p.suffix == ".ipynb" and p.stem in expected + extra))
    if others:
        notes.append(f"extra files kept: {', '.join(others[:5])}{' ...' if len(others) > 5 else ''}")

    for name in expected:
        path = folder / f"{name}.ipynb"
        if not path.exists():
            continue
        nb, why = _read_notebook(path)
        if nb is None:
            return _prev_and_result(False, why)
        ref = reference_cells(course, assignment, name)
        ids = {g for c in nb["cells"] if (g := _grade_id(c))}
        ref_ids = {g for c in ref if (g := _grade_id(c))}
        why = _not_this_assignment(course, assignment, path.name, ids, ref_ids)
        if why:
            return _prev_and_result(False, why)
        if _fix_notebook(nb, ref, repairs, edited, path.name):
            keeper.save()
            tmp = path.with_suffix(".ipynb.tmp")
            tmp.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            os.replace(tmp, path)
        # the result must be a valid notebook for nbformat
        import nbformat

        try:
            nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=4))
        except Exception as exc:  # nbformat raises several types
            return _prev_and_result(False, f"not a valid notebook: {path.name} ({str(exc).splitlines()[0]})")
    return _prev_and_result(True)


def load_notebook_json(path: Path) -> Any:
    """The notebook at ``path`` as plain JSON (for tests and reports)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
