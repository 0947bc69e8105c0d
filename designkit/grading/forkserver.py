"""Fast sandboxed kernels: a warm fork server per grading process, a fresh forked kernel per submission.

A stock kernel costs about 1.3 s to start and stop, plus about 2 s to import pandas, matplotlib and
ipywidgets, for every notebook. Here each grading process starts one bubblewrap sandbox (rendered from
the same :class:`~designkit.grading.spec.SandboxSpec` as a cold kernel's: read-only runtime, no network,
its own PID namespace) running :mod:`designkit.grading.zygote`, which imports those once. For each
submission the provisioner (:class:`designkit.grading.provisioner.ForkProvisioner`) copies the
submission's files (not its notebooks: the graded copy holds the hidden tests) into a scratch folder and
asks the server to fork a kernel; the forked kernel builds its own mount and PID namespaces, sees only
that scratch folder, leaves root for its own uid, takes the limits and installs the guard, exactly like
a cold sandboxed kernel. Students share nothing: every submission gets a fresh process.

This module only runs the server process; it imports nothing else of the package but the spec and host
helpers (no import cycle).

>>> ForkServer.get.__doc__.split(",")[0]
"This process's server for ``spec``'s runtime"
"""
from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from .errors import ForkServerError
from .host import cleanup_stale, private_folder, require_bwrap
from .spec import SandboxSpec

HERE = Path(__file__).resolve().parent
ZYGOTE_SCRIPT = HERE / "zygote.py"
SERVER_CAPABILITIES = ("CAP_SETUID", "CAP_SETGID", "CAP_SYS_ADMIN", "CAP_DAC_OVERRIDE", "CAP_CHOWN", "CAP_FOWNER")
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


class ForkServer:
    """One warm sandboxed process that forks kernels (one per grading process; see :meth:`get`)."""

    _instance: ForkServer | None = None
    _lock = threading.Lock()

    def __init__(self, spec: SandboxSpec) -> None:
        require_bwrap()
        cleanup_stale()
        self.owner = os.getpid()
        self.key = self.runtime_key(spec)
        self.private = private_folder("forkserver")
        self.spool = os.path.join(self.private, "spool")
        self.ipc = os.path.join(self.private, "ipc")
        os.mkdir(self.spool, 0o711)
        os.mkdir(self.ipc, 0o711)
        empty = os.path.join(self.private, "empty")
        os.mkdir(empty)
        server = SandboxSpec(workdir=empty, uid=0, limits=spec.limits, mounts=list(spec.mounts),
                             env={**spec.env, "MPLBACKEND": INLINE_BACKEND}, capabilities=SERVER_CAPABILITIES)
        cmd = server.bwrap_argv(self.ipc)
        cmd += ["--bind", self.spool, "/spool", "--bind", self.ipc, "/ipc", "--dir", "/run",
                sys.executable, str(ZYGOTE_SCRIPT)]
        self.log_path = os.path.join(self.private, "server.log")
        self._log = open(self.log_path, "wb")  # noqa: SIM115
        self._answers_lock = threading.Lock()
        try:
            self.process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
                                            env={"LANG": "C.UTF-8"}, cwd=self.private, text=True, bufsize=1)
        except OSError as error:
            raise ForkServerError(f"the grading fork server could not be run: {error}") from error
        ready = self.process.stdout.readline()
        if not ready.startswith("{"):
            self.process.wait()
            raise ForkServerError(f"the grading fork server exited with status {self.process.returncode}: "
                                  f"{self.log_tail().strip() or 'no output'}")
        atexit.register(self.stop)

    @staticmethod
    def runtime_key(spec: SandboxSpec) -> tuple:
        """What a server is warmed for: the runtime it mounts and the thread budget its libraries were imported
        with (each kernel's own environment travels with its request)."""
        return (tuple(spec.mounts), spec.limits.threads, spec.limits.tmp_size)

    @classmethod
    def get(cls, spec: SandboxSpec) -> ForkServer:
        """This process's server for ``spec``'s runtime, started on first use (restarted if it died)."""
        with cls._lock:
            current = cls._instance
            # a process forked from the owner (a worker pool) must not share the owner's pipes
            if (current is None or current.owner != os.getpid() or current.process.poll() is not None
                    or current.key != cls.runtime_key(spec)):
                if current is not None and current.owner == os.getpid():
                    current.stop()
                cls._instance = ForkServer(spec)
            return cls._instance

    def log_tail(self, size: int = 3000) -> str:
        try:
            return Path(self.log_path).read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def ask(self, request: dict) -> dict:
        """Send one command, return its answer."""
        with self._answers_lock:
            if self.process.poll() is not None:
                raise ForkServerError(f"the grading fork server has stopped: {self.log_tail()}")
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        if not line:
            raise ForkServerError(f"the grading fork server stopped answering: {self.log_tail()}")
        return json.loads(line)

    def stop(self) -> None:
        if self.owner != os.getpid():
            return
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        self._log.close()
        shutil.rmtree(self.private, ignore_errors=True)


class ForkedProcess:
    """What jupyter_client's provisioner needs of a process (``poll``, ``wait``, ``send_signal``, ``kill``,
    ``terminate``), for a kernel forked by the server."""

    stdin = stdout = stderr = None

    def __init__(self, server: ForkServer, key: str, pid: int) -> None:
        self.server, self.key, self.pid = server, key, pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                self.returncode = self.server.ask({"op": "poll", "id": self.key})["returncode"]
            except ForkServerError:
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("forked kernel", timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            self.server.ask({"op": "kill", "id": self.key, "signal": int(signum)})
        except ForkServerError:
            pass  # the server is gone, and its kernels with it (PR_SET_PDEATHSIG)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGKILL)  # the kernel is PID 1 of its namespace: only SIGKILL is sure
