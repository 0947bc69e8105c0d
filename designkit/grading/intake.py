"""Intake: what a submission may hold before nbgrader copies it. Links and special files are dropped.

nbgrader copies a submission with ``shutil.copytree``, which follows symbolic links: a submitted
``notes.txt -> /course/source/ps1/ps1.ipynb`` arrives in ``autograded/`` and ``feedback/`` as the
instructor's notebook (solutions and hidden tests), readable by the student's code while it runs, and
``nbgrader collect`` copies from the exchange the same way. ``sanitize(folder)`` runs before nbgrader
sees a folder and removes, without ever opening or following them:

- symbolic links (to files or folders, inside or outside the submission);
- hard links whose file has names outside the folder (its link count is higher than the names found in it);
- device files, FIFOs (named pipes) and sockets.

Each removal is returned as a ``Dropped`` record (the path relative to the folder, what it was, and a
link's target as written, which is never resolved) for the status table and the report. The rest of the
submission is graded as usual.

>>> import os, tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "answer.ipynb").write_text("{}")
>>> os.symlink("/etc/passwd", d / "notes.txt")
>>> [x.describe() for x in sanitize(d)]
["'notes.txt': a symbolic link (to /etc/passwd)"]
>>> sorted(p.name for p in d.iterdir())
['answer.ipynb']
"""
from __future__ import annotations

import os
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from designkit.i18n import N_, _

KINDS = {
    "symlink": N_("a symbolic link"),
    "hardlink": N_("a hard link to a file outside the submission"),
    "device": N_("a device file"),
    "fifo": N_("a named pipe (FIFO)"),
    "socket": N_("a socket"),
    "other": N_("a special file"),
}


class IntakeError(RuntimeError):
    """A dangerous entry could not be removed (no permission): the folder must not be copied."""


@dataclass(frozen=True)
class Dropped:
    """One entry removed from a submission.

    >>> Dropped("data/x", "fifo").describe()
    "'data/x': a named pipe (FIFO)"
    """

    path: str
    kind: str
    target: str = ""

    def describe(self) -> str:
        """One line for the status table, the report and the feedback."""
        what = _(KINDS.get(self.kind, KINDS["other"]))
        if self.target:
            return _("'{path}': {what} (to {target})", path=self.path, what=what, target=self.target)
        return _("'{path}': {what}", path=self.path, what=what)

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "kind": self.kind, "target": self.target}

    @classmethod
    def from_json(cls, data: dict) -> Dropped:
        return cls(str(data["path"]), str(data["kind"]), str(data.get("target", "")))


def _kind(mode: int) -> str | None:
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return "other"


def _shown(path: bytes) -> str:
    return os.fsdecode(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def scan(folder: str | os.PathLike) -> list[tuple[bytes, Dropped]]:
    """Every entry of ``folder`` that ``sanitize`` would remove, as (absolute path, record), without
    changing anything. The folder itself being a link is reported with the path ``.``.

    >>> import tempfile
    >>> scan(tempfile.mkdtemp())
    []
    """
    root = os.fsencode(folder)
    found: list[tuple[bytes, Dropped]] = []
    top = os.lstat(root)
    if stat.S_ISLNK(top.st_mode):
        return [(root, Dropped(".", "symlink", _shown(os.readlink(root))))]
    regular: list[tuple[bytes, os.stat_result]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        keep_dirs = []
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            kind = _kind(st.st_mode)
            rel = _shown(os.path.relpath(path, root))
            if kind == "symlink":
                found.append((path, Dropped(rel, kind, _shown(os.readlink(path)))))
            elif kind is not None:
                found.append((path, Dropped(rel, kind)))
            elif stat.S_ISREG(st.st_mode):
                regular.append((path, st))
            elif name in dirnames:
                keep_dirs.append(name)
        dirnames[:] = keep_dirs  # os.walk lists symlinked folders among dirnames: never descend into them
    names = Counter((st.st_dev, st.st_ino) for _, st in regular)
    for path, st in regular:
        if st.st_nlink > names[(st.st_dev, st.st_ino)]:
            found.append((path, Dropped(_shown(os.path.relpath(path, root)), "hardlink")))
    return found


def sanitize(folder: str | os.PathLike) -> list[Dropped]:
    """Remove every link and special file from ``folder`` (never following one); returns what was removed.
    A folder that is itself a symbolic link is removed (the link only, never its target). Raises
    ``IntakeError`` when an entry cannot be removed.
    """
    dropped = []
    for path, record in scan(folder):
        try:
            os.unlink(path)
        except OSError as exc:
            raise IntakeError(
                f"{_shown(path)} is {KINDS.get(record.kind, KINDS['other'])} and could not be removed "
                f"({exc.strerror}): remove it by hand (as its owner or root) before nbgrader copies the "
                "folder, then run the command again.") from exc
        dropped.append(record)
    return dropped


def inbound_owner(name: str) -> tuple[str, str] | None:
    """(student, assignment) of an exchange inbound entry ``student+assignment+timestamp[+random]``.

    >>> inbound_owner("s+1+ps0-warm-up+2026-11-30 05:00:00.000000 UTC+abc123")
    ('s+1', 'ps0-warm-up')
    """
    parts = name.rsplit("+", 3)
    if len(parts) == 4 and " " not in parts[3] and ":" not in parts[3]:
        return parts[0], parts[1]
    parts = name.rsplit("+", 2)
    return (parts[0], parts[1]) if len(parts) == 3 else None


def sanitize_inbound(inbound: str | os.PathLike, assignment: str | None = None
                     ) -> dict[tuple[str, str], list[Dropped]]:
    """``sanitize`` every submission in an nbgrader exchange's ``inbound/`` folder (of one assignment, or
    all), before ``nbgrader collect`` copies them; an entry that is itself a link is removed. Returns
    ``{(student, assignment): [Dropped, ...]}`` for the submissions that held anything dropped.
    """
    out: dict[tuple[str, str], list[Dropped]] = {}
    root = Path(inbound)
    if not root.is_dir():
        return out
    for entry in sorted(root.iterdir()):
        owner = inbound_owner(entry.name)
        if owner is None or (assignment is not None and owner[1] != assignment):
            continue
        dropped = sanitize(entry)
        if dropped:
            out.setdefault(owner, []).extend(dropped)
    return out
