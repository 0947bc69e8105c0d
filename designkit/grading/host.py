"""The grading machine's side of the sandbox: is bubblewrap usable, private folders, owners, stale leftovers.

Standard library only.

>>> isinstance(bwrap_available(), bool)
True
"""
from __future__ import annotations

import functools
import json
import os
import secrets
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

from .errors import SandboxUnavailable
from .spec import UID_RANGE

PRIVATE_PREFIX = "dk-grading-"
OWNER_FILE = "owner.json"


def bwrap_available() -> bool:
    """True when bubblewrap is installed and can create the grading sandbox here (as root).

    >>> bwrap_available() in (True, False)
    True
    """
    path = shutil.which("bwrap")
    if not path or os.geteuid() != 0:
        return False
    return _bwrap_works(path)


@functools.lru_cache(maxsize=8)
def _bwrap_works(path: str) -> bool:
    try:
        done = subprocess.run([path, "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "true"],
                              capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def require_bwrap() -> None:
    """Raise :class:`SandboxUnavailable` (with what to do) unless bubblewrap works here."""
    if not bwrap_available():
        raise SandboxUnavailable()


def new_uid() -> int:
    """A fresh unprivileged uid for one kernel (process limits then count that kernel only)."""
    return UID_RANGE[0] + secrets.randbelow(UID_RANGE[1] - UID_RANGE[0])


def _start_time(pid: int) -> str | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()[19]


def private_folder(kind: str) -> str:
    """A new 0711 folder in the temp folder for one kernel or fork server, marked with its owner process
    so that :func:`cleanup_stale` can remove it after a killed run."""
    folder = tempfile.mkdtemp(prefix=f"{PRIVATE_PREFIX}{kind}-")
    os.chmod(folder, 0o711)
    pid = os.getpid()
    Path(folder, OWNER_FILE).write_text(json.dumps({"pid": pid, "start": _start_time(pid)}))
    return folder


def cleanup_stale(temp: str | None = None) -> list[str]:
    """Remove private folders (fork-server spools, sockets, kernel scratch copies) whose owner process is
    gone, e.g. after a grading run was killed. Returns what was removed.

    >>> isinstance(cleanup_stale(), list)
    True
    """
    removed = []
    for folder in Path(temp or tempfile.gettempdir()).glob(f"{PRIVATE_PREFIX}*"):
        try:
            owner = json.loads((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        start = _start_time(int(owner.get("pid", 0)))
        if start is not None and start == owner.get("start"):
            continue  # its process still runs
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(str(folder))
    return removed


def give_workdir(workdir: str, uid: int, gid: int) -> None:
    """Let the kernel's uid write in ``workdir`` (the submission's own files only)."""
    for root, dirs, files in os.walk(workdir, followlinks=False):
        for name in dirs + files:
            os.chown(os.path.join(root, name), uid, gid, follow_symlinks=False)
    os.chown(workdir, uid, gid, follow_symlinks=False)


def clean_workdir(workdir: str, owner: tuple[int, int] | None) -> None:
    """After the kernel: remove links, FIFOs, sockets and devices it made; give files back to ``owner``."""
    for root, dirs, files in os.walk(workdir, followlinks=False):
        for name in dirs + files:
            path = os.path.join(root, name)
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                continue
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                os.unlink(path)
                continue
            if owner is not None:
                os.chown(path, *owner, follow_symlinks=False)
    if owner is not None:
        os.chown(workdir, *owner, follow_symlinks=False)


@functools.lru_cache(maxsize=1)
def matplotlib_fontlist() -> str | None:
    """The grader's matplotlib font cache file, built if missing (None without matplotlib).

    A sandboxed kernel starts with an empty ``/tmp``: without a copy of this file matplotlib would
    scan the system's fonts again in every kernel (about a second each).
    """
    try:
        import matplotlib
        from matplotlib import font_manager
    except ImportError:
        return None
    cached = list(Path(matplotlib.get_cachedir()).glob("fontlist-v*.json"))
    if not cached:
        font_manager.json_dump(font_manager.fontManager, font_manager._get_font_cache_path())
        cached = list(Path(matplotlib.get_cachedir()).glob("fontlist-v*.json"))
    return str(max(cached, key=lambda p: p.stat().st_mtime)) if cached else None


PIDS_ROOTS = ("/sys/fs/cgroup/pids", "/sys/fs/cgroup")


def pids_cgroup(limit: int) -> str | None:
    """A new pids cgroup allowing ``limit`` processes and threads, or None when none can be made here
    (no pids controller, or not writable: then only ``RLIMIT_NPROC`` limits processes, which does not bind
    root). Cgroup v1 (``/sys/fs/cgroup/pids``) and v2 (a ``pids.max`` in the root) are both handled."""
    if limit <= 0:
        return None
    for root in PIDS_ROOTS:
        if not os.path.exists(os.path.join(root, "cgroup.procs")):
            continue
        if root == "/sys/fs/cgroup" and not os.path.exists(os.path.join(root, "cgroup.controllers")):
            continue
        path = os.path.join(root, f"designkit-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            os.mkdir(path)
            Path(path, "pids.max").write_text(str(limit))
        except OSError:
            try:
                os.rmdir(path)
            except OSError:
                pass
            continue
        return path
    return None


def join_cgroup(path: str, pid: int) -> None:
    Path(path, "cgroup.procs").write_text(str(pid))


def remove_cgroup(path: str) -> None:
    """Kill what is left in the cgroup, then remove it."""
    import signal
    import time

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            pids = [int(p) for p in Path(path, "cgroup.procs").read_text().split()]
        except OSError:
            return
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.02)
    try:
        os.rmdir(path)
    except OSError:
        pass
