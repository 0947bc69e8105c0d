"""The course folder: where things live, which problem sets exist, nbgrader's config and API.

The course folder is the folder holding ``nbgrader_config.py`` (by default the repository root).
It keeps nbgrader's standard layout, so stock ``nbgrader`` commands work on it unchanged::

    source/psN-slug/psN-slug.ipynb   instructor versions (with solutions), mistakes.yml, rubric.md
    assignments/psN-slug/            student versions (nbgrader's release directory)
    submitted/<student>/<assignment>/  submissions, each with timestamp.txt
    autograded/ feedback/ gradebook.db exchange/
    grading-status.json              this pipeline's status table (one row per submission)
    backups/                         gradebook backups and the originals of repaired submissions

>>> course = Course.find()
>>> (course.root / "nbgrader_config.py").exists()
True
"""
from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

CONFIG_NAME = "nbgrader_config.py"
STATUS_NAME = "grading-status.json"


DB_RETRIES = 6  # attempts for SQLite's transient "database is locked" (several graders and workers on one file)


def retry_db(fn: Callable[[], Any]) -> Any:
    """Call ``fn``, retrying SQLite's transient "database is locked" errors with a growing pause.

    >>> retry_db(lambda: 42)
    42
    """
    from sqlalchemy.exc import OperationalError

    for attempt in range(DB_RETRIES):
        try:
            return fn()
        except OperationalError:
            if attempt == DB_RETRIES - 1:
                raise
            time.sleep(0.2 * 2 ** attempt)
    return None
BACKUPS_KEPT = 5


class CourseError(RuntimeError):
    """A problem with the course folder or a name in it; the message says what to do."""


class UnknownAssignmentError(CourseError, KeyError):
    """An assignment name that is not one of ``source/ps*/``."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


def _natural_key(name: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


@dataclass(frozen=True)
class Course:
    """An nbgrader course folder.

    >>> Course.find().config_file.name
    'nbgrader_config.py'
    """

    root: Path

    # -- finding the course ------------------------------------------------------------------
    @classmethod
    def find(cls, course_dir: str | Path | None = None) -> Course:
        """The course at ``course_dir``, else the current folder, else this checkout's root.

        >>> Course.find().root.is_dir()
        True
        """
        if course_dir is not None:
            root = Path(course_dir).expanduser().resolve()
            if not (root / CONFIG_NAME).is_file():
                raise CourseError(
                    f"{root} is not a course folder: it has no {CONFIG_NAME}. "
                    "Pass --course-dir pointing at the folder that holds nbgrader_config.py.")
            return cls(root)
        for candidate in (Path.cwd(), Path(__file__).resolve().parents[2]):
            if (candidate / CONFIG_NAME).is_file():
                return cls(candidate.resolve())
        raise CourseError(
            f"No {CONFIG_NAME} in {Path.cwd()} or in the kit's checkout: run from the course folder "
            "or pass --course-dir.")

    # -- paths ---------------------------------------------------------------------------------
    @property
    def config_file(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def source(self) -> Path:
        return self.root / "source"

    @cached_property
    def release(self) -> Path:
        """The student versions: nbgrader's ``CourseDirectory.release_directory`` (here ``assignments``)."""
        config = self._load_config()
        name = "release"  # nbgrader's own default
        if "release_directory" in config.CourseDirectory:
            name = str(config.CourseDirectory.release_directory)
        return self.root / name

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @cached_property
    def db_url(self) -> str:
        """The gradebook's database URL: ``CourseDirectory.db_url`` from the course's config (which may
        point at PostgreSQL), else ``sqlite:///<course>/gradebook.db``."""
        config = self._load_config()
        if "db_url" in config.CourseDirectory and config.CourseDirectory.db_url:
            return str(config.CourseDirectory.db_url)
        return f"sqlite:///{self.root / 'gradebook.db'}"

    @property
    def sqlite_path(self) -> Path | None:
        """The gradebook's file when it is SQLite, else None."""
        url = self.db_url
        return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None

    @property
    def gradebook(self) -> Path:
        """The SQLite gradebook file (``gradebook.db`` in the course folder by default)."""
        return self.sqlite_path or self.root / "gradebook.db"

    @property
    def status_file(self) -> Path:
        return self.root / STATUS_NAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def originals(self) -> Path:
        """Where the untouched original of every repaired submission is kept."""
        return self.backups / "originals"

    @property
    def intake_log(self) -> Path:
        """Where what intake dropped from each submission (links, special files) is recorded."""
        return self.backups / "intake"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def grades_csv(self) -> Path:
        return self.root / "grades.csv"

    # -- problem sets ---------------------------------------------------------------------------
    def assignment_names(self) -> list[str]:
        """Every problem set ``source/ps*/`` that holds a notebook, in natural order, then the team capstone's
        milestones ``source/capstone-*/`` (graded once per team).

        >>> names = Course.find().assignment_names()
        >>> all(name.startswith(("ps", "capstone-")) for name in names), names[0]
        (True, 'ps0-warm-up')
        """
        if not self.source.is_dir():
            return []
        found = {prefix: [p.name for p in self.source.glob(prefix + "*") if p.is_dir() and any(p.glob("*.ipynb"))]
                 for prefix in ("ps", "capstone-")}
        return sorted(found["ps"], key=_natural_key) + sorted(found["capstone-"], key=_natural_key)

    def check_assignments(self, names: list[str] | None) -> list[str]:
        """``names`` checked against the known problem sets (all of them when ``names`` is empty)."""
        known = self.assignment_names()
        if not known:
            raise CourseError(f"No problem sets in {self.source}: expected folders source/psN-slug/ "
                              "holding psN-slug.ipynb.")
        if not names:
            return known
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UnknownAssignmentError(
                f"Unknown assignment {', '.join(map(repr, unknown))}: the known ones are "
                f"{', '.join(known)} (folders in {self.source}).")
        return list(names)

    def notebook_ids(self, assignment: str) -> list[str]:
        """The notebook names (without ``.ipynb``) of a problem set, from its source folder."""
        return sorted(p.stem for p in (self.source / assignment).glob("*.ipynb"))

    def students_submitted(self) -> list[str]:
        """Students with a folder in ``submitted/``, sorted."""
        if not self.submitted.is_dir():
            return []
        return sorted(p.name for p in self.submitted.iterdir() if p.is_dir() and not p.name.startswith("."))

    # -- nbgrader --------------------------------------------------------------------------------
    @staticmethod
    def _tools_on_path() -> None:
        """nbgrader runs the ``alembic`` command when it creates a gradebook: make sure this Python's
        scripts folder (the virtualenv's bin/, not on PATH under ``make``) is searched."""
        import os
        import shutil
        import sys

        bindir = os.path.dirname(sys.executable)
        if shutil.which("alembic") is None and os.path.exists(os.path.join(bindir, "alembic")):
            os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")

    def _load_config(self) -> Any:
        from traitlets.config.loader import PyFileConfigLoader

        return PyFileConfigLoader(CONFIG_NAME, path=str(self.root)).load_config()

    def nbgrader_config(self, extra: Any = None) -> Any:
        """nbgrader's config for this course (its ``nbgrader_config.py``) merged with ``extra``."""
        from traitlets.config import Config

        config = self._load_config()
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.db_url = self.db_url
        # Restore deleted grade cells from the gradebook's copy (stock nbgrader option, off by default).
        config.OverwriteCells.add_missing_cells = True
        merged = Config()
        merged.merge(config)
        if extra is not None:
            merged.merge(extra)
        # the extra's preprocessor lists replace the file's: add the rubric preprocessors again
        from designkit.classroom.markscheme import register_preprocessors

        register_preprocessors(merged)
        from designkit.classroom.feedback_config import register_feedback

        register_feedback(merged)  # parts by name and the kit's flags in the feedback page
        return merged

    def api(self, extra_config: Any = None) -> Any:
        """An ``nbgrader.apps.api.NbGraderAPI`` for this course (imports nbgrader: about 3 s)."""
        import logging

        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        self._tools_on_path()
        config = self.nbgrader_config(extra_config)
        logger = logging.getLogger("designkit.classroom.nbgrader")
        logger.propagate = False
        logger.setLevel(logging.INFO)  # every run's log is captured by NbGraderAPI and kept with its status row
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        coursedir = CourseDirectory(config=config, log=logger)
        return NbGraderAPI(coursedir=coursedir, config=config, log=logger)

    def open_gradebook(self) -> Any:
        """``nbgrader.api.Gradebook`` on this course's database (use as a context manager)."""
        from nbgrader.api import Gradebook

        self._tools_on_path()
        config = self.nbgrader_config()
        return Gradebook(self.db_url, config.CourseDirectory.course_id)

    def delimiters(self) -> dict[str, str]:
        """nbgrader's solution and hidden-test delimiters for this course: ``begin_solution``,
        ``end_solution``, ``begin_test``, ``end_test``, from its config (``ClearSolutions.*_delimeter``,
        ``ClearHiddenTests.*_delimeter``, nbgrader's spelling), else nbgrader's own defaults.

        >>> Course.find().delimiters()["begin_solution"]
        'BEGIN SOLUTION'
        """
        from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

        config = self._load_config()
        out = {}
        for cls, kind in ((ClearSolutions, "solution"), (ClearHiddenTests, "test")):
            section = config[cls.__name__]
            for side in ("begin", "end"):
                trait = f"{side}_{kind}_delimeter"
                out[f"{side}_{kind}"] = str(section[trait]) if trait in section else \
                    str(cls.class_traits()[trait].default_value)
        return out

    def course_id(self) -> str:
        return str(self.nbgrader_config().CourseDirectory.course_id)

    def exchange_root(self) -> Path:
        return Path(str(self.nbgrader_config().Exchange.root))

    def lock(self, wait: float = 0.0, command: str = "grade") -> Any:
        """The course's grading lock (``designkit.grading.lock.CourseLock``): a lock file next to a SQLite
        gradebook, a PostgreSQL advisory lock for a server database. Use as a context manager.

        >>> Course.find().lock().where.endswith(".grading.lock")
        True
        """
        from designkit.grading.lock import CourseLock

        return CourseLock(self.root, self.db_url, course_id=self.course_id(), wait=wait, command=command)

    # -- backups ---------------------------------------------------------------------------------
    def backup_gradebook(self, keep: int = BACKUPS_KEPT) -> Path | None:
        """Copy ``gradebook.db`` to ``backups/gradebook-<UTC time>.db`` (SQLite's online backup, safe
        while others read it) and keep only the newest ``keep`` copies. None when there is no gradebook.
        """
        if self.sqlite_path is None or not self.gradebook.exists():
            return None  # no gradebook yet, or a server database (back it up with its own tools)
        self.backups.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S-%f")
        target = self.backups / f"gradebook-{stamp}.db"
        for attempt in range(10):
            try:
                src, dst = sqlite3.connect(self.gradebook), sqlite3.connect(target)
                try:
                    src.backup(dst)
                finally:
                    src.close()
                    dst.close()
                break
            except sqlite3.OperationalError:
                if attempt == 9:
                    raise
                time.sleep(0.5 * (attempt + 1))
        old = sorted(self.backups.glob("gradebook-*.db"))
        for stale in old[:-keep] if keep > 0 else old:
            stale.unlink()
        return target
