"""The status table: one row per (student, assignment) recording what happened to the submission.

``grading-status.json`` in the course folder (git-ignored) maps ``"<student>/<assignment>"`` to a row::

    {"student": "student01", "assignment": "ps0-warm-up", "state": "graded",
     "fingerprint": "<sha256 of the submitted files>", "score": 7.0, "max_score": 10.0,
     "late": false, "seconds_late": 0, "flags": ["repaired: ..."], "reason": "", "graded_at": "..."}

``state`` is one of ``submitted`` (collected, not graded yet), ``graded``, ``not-graded`` (with a
``reason``; its scores are recorded as zero in the gradebook) and ``missing`` (no submission). The
file is rewritten atomically (write to a temporary file, then rename), so a run killed at any moment
leaves either the old or the new table, never half of one.

>>> row = StatusRow("s1", "ps0", "not-graded", reason="invalid JSON")
>>> row.key
's1/ps0'
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATES = ("submitted", "graded", "not-graded", "missing")


@dataclass
class StatusRow:
    """What happened to one submission.

    >>> StatusRow("s1", "ps0", "graded", score=3.0, max_score=4.0).is_final
    True
    """

    student: str
    assignment: str
    state: str
    fingerprint: str = ""
    score: float | None = None
    max_score: float | None = None
    late: bool = False
    seconds_late: float = 0.0
    flags: list[str] = field(default_factory=list)
    reason: str = ""
    graded_at: str = ""

    @property
    def key(self) -> str:
        return f"{self.student}/{self.assignment}"

    @property
    def is_final(self) -> bool:
        """True once grading has decided (graded or not graded with a reason)."""
        return self.state in ("graded", "not-graded")


class StatusTable:
    """The rows of ``grading-status.json``; ``save()`` writes them atomically.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "status.json"
    >>> table = StatusTable(path)
    >>> table.put(StatusRow("s1", "ps0", "graded", score=1.0, max_score=2.0))
    >>> StatusTable(path).get("s1", "ps0").score
    1.0
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.rows: dict[str, StatusRow] = {}
        if self.path.exists():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ValueError(
                    f"{self.path} is not a readable status table ({exc}); delete it and run "
                    "`python -m designkit.classroom grade --force` to rebuild it.") from exc
            for key, row in data.get("rows", {}).items():
                self.rows[key] = StatusRow(**row)

    def get(self, student: str, assignment: str) -> StatusRow | None:
        return self.rows.get(f"{student}/{assignment}")

    def put(self, row: StatusRow, save: bool = True) -> None:
        if row.state not in STATES:
            raise ValueError(f"unknown state {row.state!r}; expected one of {STATES}")
        self.rows[row.key] = row
        if save:
            self.save()

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        payload = {"rows": {k: asdict(self.rows[k]) for k in sorted(self.rows)}}
        tmp.write_text(json.dumps(payload, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)

    def __iter__(self):
        return iter(self.rows[k] for k in sorted(self.rows))

    def __len__(self) -> int:
        return len(self.rows)


def fingerprint(folder: Path) -> str:
    """SHA-256 over the relative paths and contents of every file under ``folder``.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("x")
    >>> len(fingerprint(d))
    64
    """
    digest = hashlib.sha256()
    folder = Path(folder)
    for path in sorted(folder.rglob("*"), key=lambda p: os.fsencode(p)):
        if path.is_file():
            digest.update(os.fsencode(path.relative_to(folder)))
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()
