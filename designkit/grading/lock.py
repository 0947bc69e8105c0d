"""One grader at a time per course: a lock every grading command takes, whatever the gradebook.

- SQLite gradebook (one machine or a shared file system): a lock file ``.grading.lock`` in the course
  folder, created atomically (a complete file is hard-linked into place, so nobody ever reads half of
  one), holding who holds it (host, pid, since) and a heartbeat that a thread renews every
  ``heartbeat`` seconds. A lock whose holder stopped beating for ``stale_after`` seconds (or whose
  process is gone, on the same host) is taken over; the old holder sees it lost the lock at its next
  beat and stops.
- PostgreSQL gradebook (``db_url`` of nbgrader's ``CourseDirectory``): a session-level advisory lock
  (``pg_try_advisory_lock``) on a key derived from the course id, taken on a connection of its own made
  with SQLAlchemy from the same URL. The server releases it when that connection ends, so a dead holder
  never blocks; the holder is named through the connection's ``application_name``.

Others either wait (``wait`` seconds, then give up) or are refused at once with a message naming the
holder. A lock file that cannot be read is a one-line ``LockError`` saying how to fix it.

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> with CourseLock(folder, "sqlite:///" + folder + "/gradebook.db", course_id="c1") as lock:
...     try:
...         CourseLock(folder, "sqlite:///x.db", course_id="c1").acquire()
...     except LockBusy as busy:
...         print("refused:", "is grading this course" in str(busy))
refused: True
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

LOCK_NAME = ".grading.lock"


class LockError(RuntimeError):
    """The lock cannot be used (a corrupt lock file, a database that refuses); the message says what to do."""


class LockBusy(LockError):
    """Another grader holds the lock; ``holder`` says who."""

    def __init__(self, holder: Holder, where: str, waited: float = 0.0) -> None:
        self.holder = holder
        waited_txt = f" (waited {waited:.0f} s)" if waited else ""
        super().__init__(
            f"{holder.describe()} is grading this course{waited_txt} ({where}). Wait for it to finish, or "
            "pass --wait SECONDS to queue behind it; a holder that stops beating is taken over.")


class LockLost(LockError):
    """This process's lock was taken over (its heartbeat stalled): stop writing."""


def _now() -> float:
    return time.time()


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass
class Holder:
    """Who holds a lock.

    >>> Holder("h1", 42, 0.0, 0.0, "t").describe()
    'pid 42 on h1 (since 1970-01-01 00:00:00 UTC)'
    """

    host: str
    pid: int
    since: float
    beat: float
    token: str
    command: str = ""

    def describe(self) -> str:
        what = f" ({self.command})" if self.command else ""
        return f"pid {self.pid} on {self.host}{what} (since {_iso(self.since)})"

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def parse(cls, text: str) -> Holder:
        data = json.loads(text)
        return cls(str(data["host"]), int(data["pid"]), float(data["since"]), float(data["beat"]),
                   str(data["token"]), str(data.get("command", "")))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class CourseLock:
    """The per-course grading lock (use as a context manager; ``check()`` between units of work).

    ``wait``: seconds to queue behind another holder (0: refuse at once). ``heartbeat`` and
    ``stale_after``: seconds between beats, and without a beat before the lock is taken over.
    """

    def __init__(self, folder: str | os.PathLike, db_url: str, *, course_id: str = "", wait: float = 0.0,
                 heartbeat: float = 10.0, stale_after: float = 60.0, command: str = "") -> None:
        self.folder = Path(folder)
        self.db_url = db_url
        self.course_id = course_id
        self.wait = wait
        self.heartbeat = heartbeat
        self.stale_after = stale_after
        self.command = command
        self.server = not db_url.startswith("sqlite")
        self._impl: _FileLock | _AdvisoryLock = (_AdvisoryLock(self) if self.server else _FileLock(self))

    @property
    def where(self) -> str:
        return self._impl.where

    def acquire(self) -> CourseLock:
        """Take the lock, waiting up to ``wait`` seconds; raises ``LockBusy`` or ``LockError``."""
        start = _now()
        while True:
            holder = self._impl.try_acquire()
            if holder is None:
                return self
            waited = _now() - start
            if waited >= self.wait:
                raise LockBusy(holder, self.where, waited if self.wait else 0.0)
            time.sleep(min(1.0, max(0.05, self.wait - waited), self.heartbeat / 2))

    def check(self) -> None:
        """Raise ``LockLost`` when the lock was taken over by another grader."""
        self._impl.check()

    def release(self) -> None:
        self._impl.release()

    def holder(self) -> Holder | None:
        """Who holds the lock now (None: nobody)."""
        return self._impl.holder()

    def __enter__(self) -> CourseLock:
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()


class _FileLock:
    def __init__(self, lock: CourseLock) -> None:
        self.lock = lock
        self.path = lock.folder / LOCK_NAME
        self.where = f"lock file {self.path}"
        self.token = ""
        self.since = 0.0
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- reading --------------------------------------------------------------------------------------
    def _read(self) -> Holder | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise LockError(f"cannot read the lock file {self.path} ({exc.strerror}): fix its permissions, "
                            "or delete it if no grading runs.") from exc
        try:
            return Holder.parse(text)
        except (ValueError, KeyError, TypeError) as exc:
            raise LockError(f"the lock file {self.path} is corrupt ({type(exc).__name__}); if no grading runs "
                            f"on this course, delete it (rm '{self.path}') and run the command again.") from exc

    def holder(self) -> Holder | None:
        return self._read()

    def _stale(self, holder: Holder) -> bool:
        if _now() - holder.beat > self.lock.stale_after:
            return True
        return holder.host == socket.gethostname() and holder.pid != os.getpid() and not _alive(holder.pid)

    # -- writing --------------------------------------------------------------------------------------
    def _mine(self, since: float | None = None) -> Holder:
        return Holder(socket.gethostname(), os.getpid(), since or _now(), _now(), self.token, self.lock.command)

    def _write_tmp(self, holder: Holder) -> Path:
        tmp = self.path.with_name(f"{LOCK_NAME}.{uuid.uuid4().hex}.tmp")
        tmp.write_text(holder.to_json(), encoding="utf-8")
        return tmp

    def try_acquire(self) -> Holder | None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.token = uuid.uuid4().hex
        self.since = _now()
        tmp = self._write_tmp(self._mine(self.since))
        try:
            try:
                os.link(tmp, self.path)  # atomic, and the file is complete before anyone sees it
                self._start()
                return None
            except FileExistsError:
                pass
            holder = self._read()
            if holder is None:  # released in between: try again at once
                return self.try_acquire()
            if not self._stale(holder):
                return holder
            # take over a stale lock: replace it only if it still holds the same stale holder
            with self._takeover_guard():
                again = self._read()
                if again is not None and again.token != holder.token:
                    return again  # someone else took it over first
                os.replace(tmp, self.path)
                tmp = None  # type: ignore[assignment]
            self._start()
            return None
        finally:
            if tmp is not None:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()

    @contextlib.contextmanager
    def _takeover_guard(self):
        guard = self.path.with_name(LOCK_NAME + ".takeover")
        deadline = _now() + 10
        while True:
            try:
                fd = os.open(guard, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
                os.close(fd)
                break
            except FileExistsError:
                pass
            try:
                if _now() - guard.stat().st_mtime > 10:  # a takeover that died half-way
                    guard.unlink()
                    continue
            except FileNotFoundError:
                continue
            if _now() > deadline:
                raise LockError(f"{guard} stays in place: if no grading runs, delete it and run again.")
            time.sleep(0.05)
        try:
            yield
        finally:
            with contextlib.suppress(FileNotFoundError):
                guard.unlink()

    def _beat(self) -> None:
        while not self._stop.wait(self.lock.heartbeat):
            try:
                holder = self._read()
            except LockError:
                holder = None
            if holder is None or holder.token != self.token:
                self.lost = True
                return
            tmp = self._write_tmp(self._mine(self.since))
            os.replace(tmp, self.path)

    def _start(self) -> None:
        self.lost = False
        self._stop.clear()
        self._thread = threading.Thread(target=self._beat, name="grading-lock-heartbeat", daemon=True)
        self._thread.start()

    def check(self) -> None:
        if self.lost:
            raise LockLost(f"another grader took over {self.path} (this process stopped beating for more than "
                           f"{self.lock.stale_after:.0f} s): stopped; run the command again once it finishes.")

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        try:
            holder = self._read()
        except LockError:
            return
        if holder is not None and holder.token == self.token:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()


def advisory_key(course_id: str) -> int:
    """The PostgreSQL advisory-lock key of a course: a signed 64-bit integer from its id.

    >>> advisory_key("design-for-children") == advisory_key("design-for-children")
    True
    """
    digest = hashlib.sha256(f"designkit-grading:{course_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class _AdvisoryLock:
    def __init__(self, lock: CourseLock) -> None:
        self.lock = lock
        self.key = advisory_key(lock.course_id)
        self.where = f"PostgreSQL advisory lock {self.key}"
        self.engine: Any = None
        self.conn: Any = None

    def _connect(self) -> Any:
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        if self.engine is None:
            since = _iso(_now())
            name = f"designkit-grading pid {os.getpid()} on {socket.gethostname()} since {since}"[:63]
            try:
                self.engine = create_engine(self.lock.db_url, poolclass=NullPool,
                                            connect_args={"application_name": name})
            except ImportError as exc:
                raise LockError(f"the database driver for {self.lock.db_url.split(':')[0]} is not installed "
                                f"({exc}): install it (e.g. pip install 'psycopg[binary]') or name the one you "
                                "have in the URL (postgresql+psycopg2://...).") from exc
        return self.engine.connect()

    def try_acquire(self) -> Holder | None:
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        try:
            conn = self._connect()
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
            conn.commit()
        except SQLAlchemyError as exc:
            raise LockError(f"cannot take the grading lock on {self.lock.db_url.split('@')[-1]} "
                            f"({str(exc).splitlines()[0]}): check the database URL and that the server runs.") from exc
        if got:
            self.conn = conn
            return None
        holder = self._holder(conn)
        conn.close()
        return holder or Holder("another host", 0, _now(), _now(), "")

    def _holder(self, conn: Any) -> Holder | None:
        from sqlalchemy import text

        row = conn.execute(text(
            "SELECT a.application_name, a.client_hostname, a.client_addr::text, a.pid, "
            "extract(epoch from a.backend_start) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = :hi AND l.objid::bigint = :lo "
            "AND l.objsubid = 1"), {"hi": (self.key >> 32) & 0xFFFFFFFF, "lo": self.key & 0xFFFFFFFF}).first()
        conn.commit()
        if row is None:
            return None
        app, host, addr, pid, start = row
        mine = re.match(r"designkit-grading pid (\d+) on (\S+)", str(app or ""))
        if mine:  # the grader named itself in application_name: its own pid and host
            return Holder(mine.group(2), int(mine.group(1)), float(start or 0), _now(), "", "grade")
        return Holder(host or addr or "the database host", int(pid), float(start or 0), _now(), "",
                      f"database backend; application {app or 'unknown'}")

    def holder(self) -> Holder | None:
        with self._connect() as conn:
            return self._holder(conn)

    def check(self) -> None:
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        if self.conn is None:
            return
        try:
            self.conn.execute(text("SELECT 1")).scalar()
            self.conn.commit()
        except SQLAlchemyError as exc:
            raise LockLost(f"the connection holding the grading lock broke ({str(exc).splitlines()[0]}): "
                           "stopped; run the command again.") from exc

    def release(self) -> None:
        from sqlalchemy import text

        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                self.conn.commit()
            self.conn.close()
            self.conn = None
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
