"""Safe grading: every submission's kernel runs in a bubblewrap sandbox, with limits and a guard.

Plug it into any nbgrader app that autogrades (``nbgrader autograde`` itself included)::

    from designkit.grading import sandbox_config
    config.merge(sandbox_config())              # or sandbox_config(enabled=False) for --no-sandbox

or put those two lines in the course's ``nbgrader_config.py`` (nbgrader has no ``--config`` option).
``python -m designkit.classroom grade`` merges it for you and refuses to grade without bubblewrap
unless ``--no-sandbox`` is given (:func:`require_bwrap`, :class:`SandboxUnavailable`).

Two kernel managers run the same sandbox: :class:`SandboxKernelManager` starts each kernel cold,
and :class:`~designkit.grading.forkserver.ForkServerKernelManager` (the default,
``sandbox_config(fast=True)``) forks each one from a warm sandboxed server that has already imported
ipykernel, pandas, matplotlib, ipywidgets and designkit. Either way every submission gets a fresh
kernel process; the forked one gives it a *copy* of its folder's files without the notebooks.

Threat model and defences
-------------------------
A submission is untrusted code that nbgrader runs next to the instructor's files. Each defence below
is tested by an attack in ``tests/test_attacks.py`` through real ``nbgrader autograde``.

*Filesystem* (bubblewrap, :func:`bwrap_command`). The kernel sees a read-only system (``/usr`` and
the few ``/etc`` files Python needs), the Python installation, the virtualenv and the designkit
package, read-only; a fresh ``/tmp``; and, writable, only its own folder
``autograded/<student>/<assignment>/`` mounted at ``/home/student/<assignment>`` (so tracebacks
never show the grader's paths); the notebook files in it are masked by a read-only stub, since the
autograded copy holds the hidden tests. ``source/``, ``gradebook.db``, other students' work, the exchange
and home folders are not in its world at all. After the kernel stops, links, FIFOs and devices it
left in its folder are deleted, so it cannot make nbgrader write through a symlink into the
gradebook, and the folder's owner is put back.

*Network*: its own empty network namespace (``--unshare-net``); the grader talks to the kernel over
ZeroMQ IPC sockets in a private folder bound into the sandbox (``transport="ipc"``).

*Processes*: its own PID, IPC and UTS namespaces (it cannot see or signal the grader), ``JPY_PARENT_PID``
unset inside, ``--die-with-parent``; the kernel leaves root for an unprivileged uid chosen per kernel
(process limits only bind non-root users) under ``no_new_privs``.

*Resources* (``setrlimit`` in :mod:`designkit.grading.kernel`): address space (default
2 GiB), CPU seconds (300), processes and threads (64), file size (64 MiB), open files (256), a
64 MiB ``/tmp``; each cell also has nbgrader's ``Execute.timeout``. A kernel that runs out of a limit
dies; its remaining cells count as failed.

*Output* (:class:`~designkit.grading.execute.GuardedExecute`): outputs are capped as they
arrive (default 100 kB of text per output, 1 MB per image, 2 MB per cell) with a note
"[output truncated by the grader]"; the ZeroMQ sockets refuse messages over 16 MB. The feedback
preprocessor removes hidden tests from sources and their lines from tracebacks, and replaces the
course folder's path.

*Tampering from inside the kernel*. A grade cell runs in the same Python process as the student's
code, so the student can change what the grade cell runs: an IPython input transformer that blanks
every later cell, an AST transformer, a replaced ``designkit.checks.number``, a rebound ``checks``
name, a patched builtin, a patched ``InteractiveShell.run_cell``. Before every grade cell the grader
asks the kernel's guard (installed at kernel start, before any student code) to put back:
transformer lists and the shell's compiler and exception hooks; the builtins; the attributes of the
modules grade cells rely on (designkit, IPython.core, ipykernel, math, operator, numpy, pandas, ...)
and of their classes, and the code objects of designkit's functions, as they were at kernel start
(designkit.checks is imported before student code for that); names that the notebook's trusted
cells (grade or read-only cells, restored from the gradebook by nbgrader) bind to designkit; event
callbacks that student code registered. The guard is reached through ``user_expressions``, which
IPython evaluates without input transformers, and answers with an HMAC (keyed by a per-kernel
secret that the kernel reads as root before it leaves root, or that the fork server hands it in
memory) of the grader's nonce. No answer or a wrong one (the guard deleted, replaced or broken)
fails the grade cell. Trace and profile functions and new audit hooks are refused in the kernel (an
audit hook added first vetoes them): they would see each grade cell's code and frame, hidden tests
included, and could change the student's variables just before an assert. The graded notebook
itself is not readable from the kernel (masked, or not copied), since it holds the hidden tests.

What this does not stop, because student and test share one interpreter: code written against this
guard that digs the secret out of the guard's closure (``gc``, ``ctypes``) and fakes it; a value whose
``__eq__`` lies to a bare ``assert`` (checks should compare types first); a student *function* that a
grade cell calls, which runs inside the test and can inspect its frame. These take deliberate
reverse engineering and stay visible in the submitted source; the grader logs what the guard had
to put back ("the guard restored ...") for the instructor.

>>> from designkit.grading import sandbox_config
>>> cfg = sandbox_config(enabled=False, memory="1G")
>>> cfg.GuardedKernelManager.memory
1073741824
"""
from __future__ import annotations

import functools
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from queue import Empty
from typing import Any

import zmq
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import Integer, List, Unicode, default
from traitlets.config import Config

HERE = Path(__file__).resolve().parent
KERNEL_SCRIPT = HERE / "kernel.py"
SANDBOX_HOME = "/home/student"
UNAVAILABLE = ("bubblewrap (bwrap) not found: install it (apt-get install bubblewrap) or pass --no-sandbox "
               "to grade without a sandbox (only for code you trust)")
# Environment variables that reach the kernel; everything else (tokens, keys, paths) stays outside.
ENV_ALLOWED = ("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION", "NBGRADER_VALIDATING",
               "MPLBACKEND", "PYDEVD_DISABLE_FILE_VALIDATION", "JPY_SESSION_NAME", "OPENBLAS_NUM_THREADS",
               "OMP_NUM_THREADS", "DESIGNKIT_OFFLINE")
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
# Kernels run as an unprivileged uid drawn from this range (no passwd entry needed).
UID_RANGE = (200_000, 260_000)


class SandboxUnavailable(RuntimeError):
    """Raised when grading is asked to sandbox kernels but bubblewrap is missing.

    >>> str(SandboxUnavailable()).startswith("bubblewrap (bwrap) not found")
    True
    """

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or unavailable_reason())


NEEDS_ROOT = ("the grading sandbox needs root: it gives each kernel its own unprivileged uid, which only "
              "root may do; run the grader as root (as a JupyterHub service or in its container) or pass "
              "--no-sandbox")


def unavailable_reason() -> str:
    """Why the sandbox cannot run here, and what to do."""
    if shutil.which("bwrap") and os.geteuid() != 0:
        return NEEDS_ROOT
    return UNAVAILABLE


def bwrap_available() -> bool:
    """True when bubblewrap is installed and can create the grading sandbox here (as root).

    >>> isinstance(bwrap_available(), bool)
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


def parse_size(value: int | str) -> int:
    """Bytes from an int or a string like ``"2G"``, ``"512M"``, ``"100k"``.

    >>> parse_size("2G"), parse_size("100k"), parse_size(5)
    (2147483648, 102400, 5)
    """
    if isinstance(value, int):
        return value
    text = str(value).strip().upper().removesuffix("B").removesuffix("I")
    units = {"K": 1024, "M": 1024**2, "G": 1024**3}
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"cannot read the size {value!r}: write bytes or a number with K, M or G "
                         "(e.g. 2G)") from None


def python_paths() -> list[str]:
    """Folders the kernel's Python needs: the interpreter's installation, the venv, designkit."""
    import designkit

    paths = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix),
             os.path.realpath(os.path.dirname(sys.executable)),
             str(Path(designkit.__file__).resolve().parent)}
    # Drop folders inside others, so each is bound once.
    ordered = sorted(paths, key=len)
    return [p for i, p in enumerate(ordered) if not any(p.startswith(q + os.sep) for q in ordered[:i])]


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
    cached = [p for p in Path(matplotlib.get_cachedir()).glob("fontlist-v*.json")]
    if not cached:
        font_manager.json_dump(font_manager.fontManager, font_manager._get_font_cache_path())
        cached = list(Path(matplotlib.get_cachedir()).glob("fontlist-v*.json"))
    return str(max(cached, key=lambda p: p.stat().st_mtime)) if cached else None


def _parents(path: str) -> list[str]:
    parts = Path(path).parts[1:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


def bwrap_command(workdir: str, sockdir: str, *, tmp_size: int = 64 * 1024**2,
                  extra_ro: list[str] | None = None, masks: dict[str, str] | None = None) -> list[str]:
    """The bubblewrap prefix for one kernel: read-only system, ``workdir`` as the only writable folder.

    ``workdir`` appears inside as ``/home/student/<its name>`` (the kernel's cwd); ``sockdir`` (the
    IPC sockets and connection file) at its own path. ``masks`` maps names in ``workdir`` to host
    files bound read-only over them (the notebook being graded, which holds the hidden tests).

    >>> cmd = bwrap_command("/c/autograded/ada/ps1", "/tmp/dk-x")
    >>> cmd[0].endswith("bwrap"), "--unshare-net" in cmd
    (True, True)
    """
    inside = f"{SANDBOX_HOME}/{Path(workdir).name}"
    cmd = [shutil.which("bwrap") or "bwrap",
           "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
           "--die-with-parent", "--new-session", "--hostname", "sandbox",
           "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
           "--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = f"/{name}"
        if os.path.islink(top):
            cmd += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            cmd += ["--ro-bind", top, top]
    for etc in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
                "/etc/fonts", "/etc/mime.types", "/etc/alternatives"):
        if os.path.exists(etc):
            cmd += ["--ro-bind", etc, etc]
    cmd += ["--proc", "/proc", "--dev", "/dev",
            "--perms", "1777", "--size", str(tmp_size), "--tmpfs", "/tmp",
            "--perms", "0755", "--tmpfs", "/home",
            "--perms", "1777", "--dir", SANDBOX_HOME]
    made: set[str] = {"/tmp", "/home", SANDBOX_HOME}
    for path in python_paths() + list(extra_ro or []) + [sockdir]:
        for parent in _parents(path):
            if parent not in made and not parent.startswith(("/usr", "/proc", "/dev")):
                cmd += ["--perms", "0755", "--dir", parent]
                made.add(parent)
        made.add(path)
        cmd += ["--bind" if path == sockdir else "--ro-bind", path, path]
    cmd += ["--bind", workdir, inside]
    for name, replacement in (masks or {}).items():
        cmd += ["--ro-bind", replacement, f"{inside}/{name}"]
    cmd += ["--chdir", inside,
            "--setenv", "HOME", SANDBOX_HOME, "--setenv", "USER", "student",
            "--setenv", "MPLCONFIGDIR", "/tmp/matplotlib", "--setenv", "IPYTHONDIR", "/tmp/ipython",
            "--setenv", "JUPYTER_RUNTIME_DIR", "/tmp/jupyter", "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
            "--setenv", "PATH", f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin",
            "--unsetenv", "JPY_PARENT_PID"]
    return cmd


def kernel_environment(env: dict[str, str] | None) -> dict[str, str]:
    """Only the allowed variables of ``env`` (the grader's secrets never reach the kernel)."""
    source = env if env is not None else dict(os.environ)
    kept = {k: v for k, v in source.items() if k in ENV_ALLOWED or k.startswith("LC_")}
    kept.setdefault("LANG", "C.UTF-8")
    kept["PYTHONNOUSERSITE"] = "1"
    return kept


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


def give_workdir(workdir: str, uid: int, gid: int) -> None:
    """Let the sandbox's uid write in ``workdir`` (the submission's own files only)."""
    for root, dirs, files in os.walk(workdir, followlinks=False):
        for name in dirs + files:
            os.chown(os.path.join(root, name), uid, gid, follow_symlinks=False)
    os.chown(workdir, uid, gid, follow_symlinks=False)


class CappedKernelClient(AsyncKernelClient):
    """A kernel client whose sockets refuse messages over :data:`MAX_MESSAGE_BYTES`."""

    def _create_connected_socket(self, channel: str, identity: bytes | None = None) -> zmq.Socket:
        url = self._make_url(channel)
        from jupyter_client.connect import channel_socket_types

        sock = self.context.socket(channel_socket_types[channel])
        sock.linger = 1000
        sock.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
        if identity:
            sock.identity = identity
        sock.connect(url)
        return sock

    async def _wait_for_ready(self, timeout: float | None = None) -> None:
        """jupyter_client's readiness check (kernel_info answered, IOPub connected), without its final
        0.2 s of waiting for IOPub to fall silent: startup messages left over are not this cell's, and
        nbclient ignores messages that do not answer its own requests."""
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                msg = None
            if msg is not None and msg["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.2)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(msg)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while True:  # drain what is already queued
            try:
                await self.iopub_channel.get_msg(timeout=0.01)
            except Empty:
                break

    wait_for_ready = _wait_for_ready


class GuardedKernelManager(AsyncKernelManager):
    """A kernel started through :mod:`~designkit.grading.kernel`: limits and guard, no sandbox.

    This is what ``--no-sandbox`` grading uses; :class:`SandboxKernelManager` adds bubblewrap.
    Limits are configurable (``c.GuardedKernelManager.memory = 1024**3``).
    """

    memory = Integer(2 * 1024**3, help="address-space limit of the kernel, bytes").tag(config=True)
    cpu_seconds = Integer(300, help="CPU-time limit of the kernel, seconds").tag(config=True)
    processes = Integer(64, help="process and thread limit (binds only when the kernel is not root)"
                        ).tag(config=True)
    file_size = Integer(64 * 1024**2, help="largest file the kernel may write, bytes").tag(config=True)
    preload = Unicode("designkit.checks",
                      help="comma-separated modules imported before student code (guarded from then on)"
                      ).tag(config=True)
    guard_secret: bytes = b""

    @default("client_class")
    def _default_client_class(self) -> str:
        return "designkit.grading.sandbox.CappedKernelClient"

    @default("client_factory")
    def _default_client_factory(self) -> type:
        return CappedKernelClient

    def _limit_options(self, uid: int = -1, gid: int = -1, secret_file: str = "") -> list[str]:
        return [f"--memory={self.memory}", f"--cpu={self.cpu_seconds}", f"--processes={self.processes}",
                f"--file_size={self.file_size}", f"--preload={self.preload}", f"--uid={uid}",
                f"--gid={gid}", f"--secret_file={secret_file}"]

    def _secret_file(self, folder: str) -> str:
        self.guard_secret = secrets.token_bytes(32)
        path = os.path.join(folder, "guard-secret")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(self.guard_secret.hex())
        return path

    def _kernel_argv(self, cmd: list[str]) -> list[str]:
        """The kernelspec's arguments after ``-m ipykernel_launcher`` (``-f <connection file>`` ...)."""
        if "-m" in cmd:
            index = cmd.index("-m")
            return cmd[index + 2:]
        return cmd[1:]

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        self._private = tempfile.mkdtemp(prefix="dk-kernel-")
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        secret_file = self._secret_file(self._private)
        wrapped = [sys.executable, str(KERNEL_SCRIPT), *self._limit_options(secret_file=secret_file), "--",
                   *self._kernel_argv(cmd)]
        kw["env"] = {**kernel_environment(kw.get("env")), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                     "HOME": os.environ.get("HOME", "/tmp")}
        return wrapped, kw

    async def _async_interrupt_kernel(self) -> None:
        """Interrupt by message on the control channel (a sandboxed kernel is not our child)."""
        if not self.has_kernel:
            raise RuntimeError("Cannot interrupt kernel. No kernel is running!")
        msg = self.session.msg("interrupt_request", content={})
        self._connect_control_socket()
        self.session.send(self._control_socket, msg)

    interrupt_kernel = _async_interrupt_kernel  # AsyncKernelManager binds the name to its own method

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        private = getattr(self, "_private", None)
        if private and not restart:
            shutil.rmtree(private, ignore_errors=True)


class SandboxKernelManager(GuardedKernelManager):
    """A kernel in a bubblewrap sandbox (see the module docstring); for ``Execute.kernel_manager_class``."""

    tmp_size = Integer(64 * 1024**2, help="size of the kernel's private /tmp, bytes").tag(config=True)
    extra_read_only = List(Unicode(), help="more host folders the kernel may read").tag(config=True)

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        require_bwrap()
        self._private = tempfile.mkdtemp(prefix="dk-sandbox-")
        os.chmod(self._private, 0o711)
        self._sockdir = os.path.join(self._private, "ipc")
        os.mkdir(self._sockdir, 0o700)
        self.transport = "ipc"
        self.connection_file = os.path.join(self._sockdir, "kernel.json")
        self.ip = os.path.join(self._sockdir, "k")
        self._workdir = os.path.realpath(str(kw.get("cwd") or os.getcwd()))
        st = os.stat(self._workdir)
        self._owner = (st.st_uid, st.st_gid)
        self._mode = stat.S_IMODE(st.st_mode)
        os.chmod(self._workdir, self._mode | 0o711)  # bubblewrap (root without DAC override) must enter it
        self._uid = UID_RANGE[0] + secrets.randbelow(UID_RANGE[1] - UID_RANGE[0])
        cmd, kw = await AsyncKernelManager._async_pre_start_kernel(self, **kw)
        os.chown(self.connection_file, self._uid, self._uid)
        os.chown(self._sockdir, self._uid, self._uid)
        secret_file = self._secret_file(self._private)
        give_workdir(self._workdir, self._uid, self._uid)
        masks = self._notebook_masks()
        self._stderr = open(os.path.join(self._private, "kernel.log"), "wb")  # noqa: SIM115
        inner = [sys.executable, str(KERNEL_SCRIPT),
                 *self._limit_options(self._uid, self._uid, secret_file), "--", *self._kernel_argv(cmd)]
        # The secret is bound root-only (0600): the launcher reads it as root, then leaves root.
        prefix = bwrap_command(self._workdir, self._sockdir, tmp_size=self.tmp_size,
                               extra_ro=list(self.extra_read_only), masks=masks)
        prefix += ["--ro-bind", secret_file, "/tmp/guard-secret"]
        fontlist = matplotlib_fontlist()
        if fontlist:
            inside_fontlist = f"/tmp/.designkit-{Path(fontlist).name}"
            prefix += ["--ro-bind", fontlist, inside_fontlist]
            inner.insert(inner.index("--"), f"--mpl_fontlist={inside_fontlist}")
        inner[inner.index(f"--secret_file={secret_file}")] = "--secret_file=/tmp/guard-secret"
        kw["env"] = kernel_environment(kw.get("env"))
        kw["cwd"] = self._private
        kw["stdout"] = subprocess.DEVNULL
        kw["stderr"] = self._stderr
        return prefix + inner, kw

    def _notebook_masks(self) -> dict[str, str]:
        """Hide the notebooks in the folder: the one being graded holds the hidden tests."""
        stub = os.path.join(self._private, "notebook-hidden.ipynb")
        with open(stub, "w") as handle:
            handle.write('{"cells": [], "metadata": {"note": "notebooks are not readable while grading"}, '
                         '"nbformat": 4, "nbformat_minor": 5}\n')
        os.chmod(stub, 0o444)
        return {name: stub for name in sorted(os.listdir(self._workdir))
                if name.endswith(".ipynb") and os.path.isfile(os.path.join(self._workdir, name))}

    def kernel_log(self) -> str:
        """The last lines the sandboxed kernel wrote to stderr (for error messages)."""
        try:
            with open(os.path.join(self._private, "kernel.log"), "rb") as handle:
                handle.seek(0, os.SEEK_END)
                handle.seek(max(0, handle.tell() - 4000))
                return handle.read().decode(errors="replace")
        except (OSError, AttributeError):
            return ""

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        if getattr(self, "_workdir", None) and not restart:
            clean_workdir(self._workdir, self._owner)
            os.chmod(self._workdir, self._mode)
        stderr = getattr(self, "_stderr", None)
        if stderr is not None and not restart:
            stderr.close()
        await super()._async_cleanup_resources(restart=restart)


def sandbox_config(enabled: bool = True, fast: bool = True, **limits: Any) -> Config:
    """nbgrader configuration that grades in sandboxed kernels (merge it into the autograde app's config).

    ``limits``: ``memory`` (bytes or "2G"), ``cpu_seconds``, ``processes``, ``file_size``, ``tmp_size``,
    ``max_output_bytes`` (per text output), ``max_image_bytes``, ``max_cell_bytes``, ``preload``.
    ``enabled=False`` keeps the limits, output caps and guard but runs kernels unsandboxed (for
    ``--no-sandbox``). With ``enabled=True`` and no bubblewrap, raises :class:`SandboxUnavailable`.
    ``fast=True`` forks each sandboxed kernel from a warm server that has done the imports
    (:mod:`designkit.grading.forkserver`); ``fast=False`` starts each one from scratch.

    >>> c = sandbox_config(enabled=False)
    >>> c.Execute.kernel_manager_class.__name__
    'GuardedKernelManager'
    """
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        GetGrades,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    from .execute import GuardedExecute, RedactFeedback

    if enabled:
        require_bwrap()
    manager: type = GuardedKernelManager
    if enabled:
        from .forkserver import ForkServerKernelManager

        manager = ForkServerKernelManager if fast else SandboxKernelManager
    c = Config()
    c.Execute.kernel_manager_class = manager
    c.Autograde.autograde_preprocessors = [
        GuardedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
        AssignLatePenalties, CheckCellMetadata]
    c.GenerateFeedback.preprocessors = [GetGrades, RedactFeedback, CSSHTMLHeaderPreprocessor]
    execute_keys = {"max_output_bytes", "max_image_bytes", "max_cell_bytes"}
    for key, value in limits.items():
        if key in execute_keys:
            c.GuardedExecute[key] = parse_size(value)
        elif key in {"memory", "file_size", "tmp_size"}:
            c.GuardedKernelManager[key] = parse_size(value)
        elif key in {"cpu_seconds", "processes"}:
            c.GuardedKernelManager[key] = int(value)
        elif key == "preload":
            c.GuardedKernelManager[key] = str(value)
        else:
            raise ValueError(f"unknown sandbox limit {key!r}: use memory, cpu_seconds, processes, file_size, "
                             f"tmp_size, max_output_bytes, max_image_bytes, max_cell_bytes or preload")
    return c


def feedback_config() -> Config:
    """Configuration for ``nbgrader generate_feedback`` that hides hidden tests and grader paths.

    >>> [p.__name__ for p in feedback_config().GenerateFeedback.preprocessors][1]
    'RedactFeedback'
    """
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from .execute import RedactFeedback

    c = Config()
    c.GenerateFeedback.preprocessors = [GetGrades, RedactFeedback, CSSHTMLHeaderPreprocessor]
    return c
