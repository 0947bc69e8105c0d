"""Move a course's gradebook from SQLite to a server database (PostgreSQL), keeping every row.

``python -m designkit.classroom migrate-gradebook --to postgresql://USER@HOST/DB`` copies every table of
nbgrader's gradebook (students, assignments and their cells, submissions, grades with automatic and manual
scores, comments, the course row) from the course's SQLite file into the new database, row for row with the
same ids, then reads both back and compares them table by table. The new database must hold no gradebook
yet (an empty database, or one nbgrader only created tables in); the SQLite file is left as it is. Then point
the course at the new database: ``export DESIGNKIT_DB_URL=postgresql://...`` (read by ``nbgrader_config.py``
for the kit's commands, Formgrader and stock nbgrader alike).

Every table is copied through nbgrader's own SQLAlchemy models (``nbgrader.api.Base.metadata``), in the
order their foreign keys need; nbgrader's ids are strings (uuid4 hex), so nothing is renumbered.

>>> from designkit.classroom.migrate import TableCount
>>> TableCount("student", 3, 3).ok
True
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from designkit.classroom.course import Course, CourseError


class MigrationError(CourseError):
    """The gradebook could not be moved; the message says why and what to do."""


@dataclass
class TableCount:
    """Rows of one table in the source and in the target after the copy."""

    table: str
    source: int
    target: int

    @property
    def ok(self) -> bool:
        return self.source == self.target


def _rows(conn: Any, table: Any) -> list[dict]:
    from sqlalchemy import select

    key = [c for c in table.primary_key.columns] or list(table.columns)
    return [dict(r._mapping) for r in conn.execute(select(table).order_by(*key))]


def migrate_gradebook(course: Course, to_url: str, from_url: str | None = None) -> list[TableCount]:
    """Copy the gradebook at ``from_url`` (default: the course's SQLite file) into ``to_url``; returns the
    row counts per table, which are checked equal (and every row compared) before it returns.

    Raises ``MigrationError`` when the source is missing, the target already holds a gradebook, or the
    copy differs."""
    from nbgrader.api import Base, Gradebook
    from sqlalchemy import create_engine, delete, insert, inspect
    from sqlalchemy.exc import SQLAlchemyError

    source_url = from_url or course.db_url
    if source_url == to_url:
        raise MigrationError(f"the gradebook is already at {to_url.split('@')[-1]}: nothing to move.")
    if source_url.startswith("sqlite:///") and not course.gradebook.exists() and from_url is None:
        raise MigrationError(f"no SQLite gradebook at {course.gradebook}: grade something first, or name the "
                             "source with --from.")
    course_id = course.course_id()
    src = create_engine(source_url, future=True)
    try:
        dst_engine = create_engine(to_url, future=True)
        with dst_engine.connect() as probe:
            tables = set(inspect(probe).get_table_names())
    except (SQLAlchemyError, ImportError) as exc:
        raise MigrationError(f"cannot open {to_url.split('@')[-1]} ({str(exc).splitlines()[0]}): check the URL, "
                             "that the server runs and that the database exists (createdb NAME).") from exc
    try:
        if tables & {"student", "assignment"}:
            with dst_engine.connect() as conn:
                from sqlalchemy import func, select

                used = sum(conn.execute(select(func.count()).select_from(Base.metadata.tables[t])).scalar()
                           for t in ("student", "assignment") if t in tables)
            if used:
                raise MigrationError(f"{to_url.split('@')[-1]} already holds a gradebook ({used} students and "
                                     "assignments): migrate into an empty database.")
        Gradebook(to_url, course_id).close()  # nbgrader creates its tables and stamps its alembic version
        ordered = Base.metadata.sorted_tables
        counts: list[TableCount] = []
        with src.connect() as s, dst_engine.begin() as d:
            d.execute(delete(Base.metadata.tables["course"]))  # the row Gradebook() just made comes from the source
            for table in ordered:
                rows = _rows(s, table)
                if rows:
                    d.execute(insert(table), rows)
        with src.connect() as s, dst_engine.connect() as d:
            for table in ordered:
                a, b = _rows(s, table), _rows(d, table)
                counts.append(TableCount(table.name, len(a), len(b)))
                if a != b:
                    raise MigrationError(f"table {table.name} differs after the copy ({len(a)} rows in the "
                                         f"source, {len(b)} in the target): drop the target database and run again.")
        return counts
    finally:
        src.dispose()
        dst_engine.dispose()
