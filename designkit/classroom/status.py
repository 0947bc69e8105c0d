"""The status table: one typed record per (student, assignment) saying what happened to the submission.

``grading-status.json`` in the course folder (git-ignored) maps ``"<student>/<assignment>"`` to a row::

    {"student": "student01", "assignment": "ps0-warm-up", "state": "graded",
     "fingerprint": "<sha256 of the submitted files>", "score": 7.0, "max_score": 10.0,
     "late": false, "seconds_late": 0, "reason": "", "graded_at": "...",
     "flags": [{"kind": "repaired", "text": "..."}],
     "dropped": ["'notes.txt': a symbolic link (to /etc/passwd)"], "left_out": [], "guard_restored": [],
     "cells": [{"cell": "q1-answer", "problem": "error", "detail": "ValueError"}], "environment": "",
     "needs_manual": false, "log": "<nbgrader's log of this run>"}

``state`` is a ``State``; ``flags`` are ``Flag`` records whose ``kind`` is a ``FlagKind`` (never strings
parsed back). The evidence of a run is kept with it: links and special files dropped at intake, files
left out by the stored-bytes cap, what the guard restored, the cells that errored or timed out, a
grading-environment failure and nbgrader's own log. The file is rewritten atomically (write a temporary
file, then rename), so a run killed at any moment leaves the old or the new table, never half of one; a
table that cannot be read is a one-line ``StatusError`` naming the file and the fix.

>>> row = StatusRow("s1", "ps0", State.NOT_GRADED, reason="invalid JSON")
>>> row.key, row.to_json()["state"]
('s1/ps0', 'not-graded')
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from designkit.classroom.course import CourseError

LOG_KEPT = 8_000  # characters of nbgrader's log kept per submission (the end of it)


class StatusError(CourseError):
    """The status table cannot be read; the message names the file and what to do."""


class State(str, Enum):
    """What happened to a submission."""

    SUBMITTED = "submitted"  # collected, not graded yet
    GRADED = "graded"
    NOT_GRADED = "not-graded"  # the submission cannot be graded (its fault); zero, with a reason
    FAILED = "grading-failed"  # the grading environment failed (not the student's fault): nothing recorded
    MISSING = "missing"


FINAL = (State.GRADED, State.NOT_GRADED)


class FlagKind(str, Enum):
    """The kinds of flag the report groups submissions by."""

    NOT_GRADED = "not graded"
    ENVIRONMENT = "grading environment failed"
    LATE = "late"
    EDITED_LOCKED = "edited locked cell"
    ERROR = "errors"
    TIMEOUT = "timeout"
    REPAIRED = "repaired"
    DROPPED = "links or special files dropped"
    LEFT_OUT = "left out (size cap)"
    GUARD = "guard restored"
    MANUAL = "awaiting manual grading"
    NOTE = "note"


_LEGACY_PREFIXES = (("not graded", FlagKind.NOT_GRADED), ("late", FlagKind.LATE),
                    ("edited locked", FlagKind.EDITED_LOCKED), ("error: timeout", FlagKind.TIMEOUT),
                    ("error", FlagKind.ERROR), ("repaired", FlagKind.REPAIRED), ("note", FlagKind.NOTE))


@dataclass(frozen=True)
class Flag:
    """One thing worth the instructor's attention about a submission.

    >>> str(Flag(FlagKind.LATE, "2.0 h after the due date"))
    'late: 2.0 h after the due date'
    """

    kind: FlagKind
    text: str

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.text}"

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind.value, "text": self.text}

    @classmethod
    def from_json(cls, data: Any) -> Flag:
        if isinstance(data, dict):
            return cls(FlagKind(data["kind"]), str(data["text"]))
        text = str(data)  # a table written before flags were typed: read once, written back typed
        for prefix, kind in _LEGACY_PREFIXES:
            if text.startswith(prefix):
                return cls(kind, text.split(":", 1)[-1].strip())
        return cls(FlagKind.NOTE, text)


@dataclass(frozen=True)
class CellProblem:
    """A cell that raised outside the tests, or was interrupted at the time limit.

    >>> CellProblem("q1-answer", "timeout").describe()
    "cell 'q1-answer' timed out (interrupted at the cell time limit)"
    """

    cell: str
    problem: str  # "error", "timeout", "kernel_died", "not_run" or "guard_failed"
    detail: str = ""

    def describe(self) -> str:
        if self.problem == "timeout":
            return f"cell '{self.cell}' timed out (interrupted at the cell time limit)"
        if self.problem == "kernel_died":
            return f"the kernel died in cell '{self.cell}'" + (f" ({self.detail})" if self.detail else "")
        if self.problem == "not_run":
            return f"cell '{self.cell}' did not run (the kernel had stopped)"
        if self.problem == "guard_failed":
            return f"the guard check before cell '{self.cell}' failed (the grade cell was failed)"
        return f"cell '{self.cell}' raised {self.detail or 'an error'}"

    def to_json(self) -> dict[str, str]:
        return {"cell": self.cell, "problem": self.problem, "detail": self.detail}


@dataclass
class StatusRow:
    """What happened to one submission, with the evidence of its last grading run.

    >>> StatusRow("s1", "ps0", State.GRADED, score=3.0, max_score=4.0).is_final
    True
    """

    student: str
    assignment: str
    state: State
    fingerprint: str = ""
    score: float | None = None
    max_score: float | None = None
    late: bool = False
    seconds_late: float = 0.0
    flags: list[Flag] = field(default_factory=list)
    reason: str = ""
    graded_at: str = ""
    dropped: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    guard_restored: list[str] = field(default_factory=list)
    cells: list[CellProblem] = field(default_factory=list)
    environment: str = ""
    needs_manual: bool = False
    log: str = ""

    def __post_init__(self) -> None:
        self.state = State(self.state)

    @property
    def key(self) -> str:
        return f"{self.student}/{self.assignment}"

    @property
    def is_final(self) -> bool:
        """True once grading has decided (graded, or not graded with a reason)."""
        return self.state in FINAL

    def kinds(self) -> set[FlagKind]:
        return {f.kind for f in self.flags}

    def add(self, kind: FlagKind, text: str) -> None:
        self.flags.append(Flag(kind, text))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["state"] = self.state.value
        out["flags"] = [f.to_json() for f in self.flags]
        out["cells"] = [c.to_json() for c in self.cells]
        out["log"] = self.log[-LOG_KEPT:]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StatusRow:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["flags"] = [Flag.from_json(f) for f in data.get("flags", [])]
        known["cells"] = [CellProblem(**c) for c in data.get("cells", [])]
        return cls(**known)


class StatusTable:
    """The rows of ``grading-status.json``; ``save()`` writes them atomically.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "status.json"
    >>> table = StatusTable(path)
    >>> table.put(StatusRow("s1", "ps0", State.GRADED, score=1.0, max_score=2.0))
    >>> StatusTable(path).get("s1", "ps0").score
    1.0
    >>> _ = path.write_text("{not json")
    >>> try:
    ...     StatusTable(path)
    ... except StatusError as exc:
    ...     print("fix:" , "grade --force" in str(exc))
    fix: True
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.rows: dict[str, StatusRow] = {}
        if self.path.exists():
            fix = (f"move it away (mv '{self.path}' '{self.path}.bad') and run `python -m designkit.classroom "
                   "grade --force` to rebuild it from the submissions")
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                for key, row in data["rows"].items():
                    self.rows[key] = StatusRow.from_json(row)
            except OSError as exc:
                raise StatusError(f"{self.path} cannot be read ({exc.strerror}): fix its permissions.") from exc
            except ValueError as exc:
                msg = getattr(exc, "msg", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
                raise StatusError(f"{self.path} is not a readable status table ({msg}): {fix}.") from exc
            except (KeyError, TypeError, AttributeError) as exc:
                raise StatusError(f"{self.path} is not a status table (unexpected content: "
                                  f"{type(exc).__name__} {exc}): {fix}.") from exc

    def get(self, student: str, assignment: str) -> StatusRow | None:
        return self.rows.get(f"{student}/{assignment}")

    def put(self, row: StatusRow, save: bool = True) -> None:
        self.rows[row.key] = row
        if save:
            self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        payload = {"rows": {k: self.rows[k].to_json() for k in sorted(self.rows)}}
        tmp.write_text(json.dumps(payload, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)

    def __iter__(self):
        return iter(self.rows[k] for k in sorted(self.rows))

    def __len__(self) -> int:
        return len(self.rows)


def fingerprint(folder: Path) -> str:
    """SHA-256 over the relative paths and contents of every regular file under ``folder``; links and
    special files are never opened or followed.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("x")
    >>> len(fingerprint(d))
    64
    """
    digest = hashlib.sha256()
    root = os.fsencode(folder)
    files: list[bytes] = []
    for dirpath, _, filenames in os.walk(root, followlinks=False):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if stat.S_ISREG(os.lstat(path).st_mode):
                files.append(path)
    for path in sorted(files):
        digest.update(os.path.relpath(path, root))
        digest.update(b"\0")
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):  # noqa: B023
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()
