"""Fast sandboxed kernels: a warm fork server per grading worker, a fresh forked kernel per submission.

A stock kernel costs about 1.3 s to start and stop, plus about 2 s to import pandas, matplotlib and
ipywidgets, for every notebook. Here each grading process starts one bubblewrap sandbox (the same
read-only view as :func:`designkit.grading.sandbox.bwrap_command`, no network, its own PID
namespace) running :mod:`designkit.grading.zygote`, which imports those once. For each
submission the grader copies the submission's files (not its notebooks: the graded copy holds the
hidden tests) into a scratch folder and asks the server to fork a kernel; the forked kernel builds
its own mount and PID namespaces, sees only that scratch folder, leaves root, takes the limits and
installs the guard, exactly like an unforked sandboxed kernel. Students share nothing: every
submission still gets a fresh process, just without paying for the imports again.

Use it through :func:`designkit.grading.sandbox.sandbox_config` (``fast=True``), or set
``c.Execute.kernel_manager_class = ForkServerKernelManager`` in an nbgrader config.

>>> ForkServerKernelManager.__mro__[1].__name__
'SandboxKernelManager'
"""
from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from .sandbox import (
    HERE,
    SANDBOX_HOME,
    UID_RANGE,
    SandboxKernelManager,
    bwrap_command,
    kernel_environment,
    python_paths,
    require_bwrap,
)

ZYGOTE_SCRIPT = HERE / "zygote.py"


class ForkServerError(RuntimeError):
    """The fork server could not start or answer; the message says why and what to do."""


class ForkServer:
    """One warm sandboxed process that forks kernels (one per grading process; see :meth:`get`)."""

    _instance: ForkServer | None = None
    _lock = threading.Lock()

    def __init__(self, tmp_size: int = 64 * 1024**2) -> None:
        require_bwrap()
        self.owner = os.getpid()
        self.private = tempfile.mkdtemp(prefix="dk-forkserver-")
        os.chmod(self.private, 0o711)
        self.spool = os.path.join(self.private, "spool")
        self.ipc = os.path.join(self.private, "ipc")
        os.mkdir(self.spool, 0o711)
        os.mkdir(self.ipc, 0o711)
        empty = os.path.join(self.private, "empty")
        os.mkdir(empty)
        cmd = bwrap_command(empty, self.ipc, tmp_size=tmp_size)
        # the server's own view: the spool and IPC folders at fixed names, and a /run to mount over
        cmd = [a for a in cmd]
        cmd[cmd.index("--cap-add"):cmd.index("--cap-add") + 4] = [
            "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SYS_ADMIN",
            "--cap-add", "CAP_DAC_OVERRIDE", "--cap-add", "CAP_CHOWN", "--cap-add", "CAP_FOWNER"]
        cmd += ["--bind", self.spool, "/spool", "--bind", self.ipc, "/ipc", "--dir", "/run",
                "--setenv", "OPENBLAS_NUM_THREADS", "1", "--setenv", "MPLBACKEND",
                "module://matplotlib_inline.backend_inline"]
        cmd += [sys.executable, str(ZYGOTE_SCRIPT)]
        self.log_path = os.path.join(self.private, "server.log")
        self._log = open(self.log_path, "wb")  # noqa: SIM115
        self.process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
                                        env=kernel_environment(None), cwd=self.private, text=True, bufsize=1)
        ready = self.process.stdout.readline()
        if not ready.startswith("{"):
            raise ForkServerError(f"the grading fork server did not start: {self.log_tail()}")
        atexit.register(self.stop)

    @classmethod
    def get(cls, tmp_size: int = 64 * 1024**2) -> ForkServer:
        """This process's server, started on first use (restarted if it died)."""
        with cls._lock:
            current = cls._instance
            # a process forked from the owner (a worker pool) must not share the owner's pipes
            if current is None or current.owner != os.getpid() or current.process.poll() is not None:
                cls._instance = ForkServer(tmp_size)
            return cls._instance

    def log_tail(self, size: int = 3000) -> str:
        try:
            return Path(self.log_path).read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def ask(self, request: dict) -> dict:
        """Send one command, return its answer."""
        with self._lock:
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
        self._log.close()
        shutil.rmtree(self.private, ignore_errors=True)


class _ForkedProcess:
    """What jupyter_client's provisioner needs of a process, for a kernel forked by the server."""

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
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("forked kernel", timeout)
            time.sleep(0.05)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        self.server.ask({"op": "kill", "id": self.key, "signal": int(signum)})

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGKILL)  # the kernel is PID 1 of its namespace: only SIGKILL is sure


class ForkProvisioner(LocalProvisioner):
    """Launches by asking the fork server instead of starting a process."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> dict:
        km = self.parent
        self.process = km._spawn_forked()
        self.pid = self.process.pid
        self.pgid = None
        self.cwd = kwargs.get("cwd")
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        if self.process:
            self.process.send_signal(signum)

    async def kill(self, restart: bool = False) -> None:
        if self.process:
            self.process.kill()

    async def terminate(self, restart: bool = False) -> None:
        if self.process:
            self.process.terminate()


class ForkServerKernelManager(SandboxKernelManager):
    """A fresh sandboxed kernel per notebook, forked from a warm server (see the module docstring)."""

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        self._server = ForkServer.get(self.tmp_size)
        self._key = secrets.token_hex(8)
        self._ipc = os.path.join(self._server.ipc, self._key)
        self._scratch = os.path.join(self._server.spool, self._key)
        os.mkdir(self._ipc, 0o700)
        self._workdir = os.path.realpath(str(kw.get("cwd") or os.getcwd()))
        self._owner = None
        self._uid = UID_RANGE[0] + secrets.randbelow(UID_RANGE[1] - UID_RANGE[0])
        self._env = kernel_environment(kw.get("env"))
        shutil.copytree(self._workdir, self._scratch, symlinks=True,
                        ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
        for root, dirs, files in os.walk(self._scratch):
            for name in dirs + files:
                os.chown(os.path.join(root, name), self._uid, self._uid, follow_symlinks=False)
        os.chown(self._scratch, self._uid, self._uid)
        self.transport = "ipc"
        self.connection_file = os.path.join(self._ipc, "kernel.json")
        self.ip = os.path.join(self._ipc, "k")
        if self.provisioner is None:
            self.provisioner = ForkProvisioner(kernel_id=self.kernel_id or secrets.token_hex(8),
                                               kernel_spec=self.kernel_spec, parent=self)
        from jupyter_client.manager import AsyncKernelManager

        cmd, kw = await AsyncKernelManager._async_pre_start_kernel(self, **kw)
        os.chown(self.connection_file, self._uid, self._uid)
        os.chown(self._ipc, self._uid, self._uid)
        self.guard_secret = secrets.token_bytes(32)
        return cmd, kw

    def _spawn_forked(self) -> _ForkedProcess:
        request = {
            "op": "spawn", "id": self._key, "scratch": f"/spool/{self._key}", "ipc": f"/ipc/{self._key}",
            "name": Path(self._workdir).name, "uid": self._uid, "detach": [self._server.ipc],
            "keep": [path for path in python_paths() if path.startswith("/tmp/")], "secret": self.guard_secret.hex(),
            "env": {**self._env, "HOME": SANDBOX_HOME, "USER": "student", "MPLCONFIGDIR": "/tmp/matplotlib",
                    "IPYTHONDIR": "/tmp/ipython", "JUPYTER_RUNTIME_DIR": "/tmp/jupyter",
                    "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1",
                    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
                    "PATH": f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin"},
            "limits": {"memory": self.memory, "cpu": self.cpu_seconds, "processes": self.processes,
                       "file_size": self.file_size, "tmp_size": self.tmp_size},
        }
        answer = self._server.ask(request)
        if "pid" not in answer:
            raise ForkServerError(f"the fork server could not start a kernel: {answer}")
        return _ForkedProcess(self._server, self._key, answer["pid"])

    def kernel_log(self) -> str:
        try:
            return Path(self._server.ipc, f"{self._key}.log").read_text(errors="replace")[-4000:]
        except (OSError, AttributeError):
            return ""

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        from jupyter_client.manager import AsyncKernelManager

        await AsyncKernelManager._async_cleanup_resources(self, restart=restart)
        if not restart:
            for path in (getattr(self, "_scratch", None), getattr(self, "_ipc", None)):
                if path:
                    shutil.rmtree(path, ignore_errors=True)
            log = getattr(self, "_ipc", None)
            if log:
                try:
                    os.unlink(log + ".log")
                except OSError:
                    pass
