"""How grading kernels are launched: jupyter_client kernel provisioners (its public launch API).

Each provisioner builds the kernel's :class:`~designkit.grading.spec.SandboxSpec` in ``pre_launch`` and
renders it; ``cleanup`` gives the submission folder back. The kernel manager
(:mod:`designkit.grading.manager`) only picks which provisioner runs (``provisioner_class``).

- :class:`GuardedProvisioner` (``--no-sandbox``): the kernel launcher (:mod:`designkit.grading.kernel`)
  with limits and the guard, no bubblewrap, as the grader's user; as root, a pids cgroup holds the
  process limit (``RLIMIT_NPROC`` does not bind root);
- :class:`SandboxProvisioner`: the same launcher inside bubblewrap, one cold kernel per notebook;
- :class:`ForkProvisioner`: the same spec, the kernel forked from a warm sandboxed server.

Interrupts go to the kernel as a message on its control channel (a sandboxed kernel is not our child).

>>> issubclass(ForkProvisioner, LocalProvisioner)
True
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from .errors import ForkServerError, KernelStartFailed
from .forkserver import INLINE_BACKEND, ForkedProcess, ForkServer
from .host import (
    clean_workdir,
    cleanup_stale,
    give_workdir,
    join_cgroup,
    matplotlib_fontlist,
    new_uid,
    pids_cgroup,
    private_folder,
    remove_cgroup,
    require_bwrap,
)
from .spec import Mount, SandboxSpec

HERE = Path(__file__).resolve().parent
KERNEL_SCRIPT = HERE / "kernel.py"
HIDDEN_NOTEBOOK = ('{"cells": [], "metadata": {"note": "notebooks are not readable while grading"}, '
                   '"nbformat": 4, "nbformat_minor": 5}\n')


def _kernel_argv(cmd: list[str]) -> list[str]:
    """The kernelspec's arguments after ``-m ipykernel_launcher`` (``-f <connection file>`` ...)."""
    if "-m" in cmd:
        return cmd[cmd.index("-m") + 2:]
    return cmd[1:]


_CLEANED: set[int] = set()


def _cleanup_stale_once() -> None:
    """Remove leftovers of killed runs once per grading process (not before every kernel)."""
    if os.getpid() not in _CLEANED:
        _CLEANED.add(os.getpid())
        cleanup_stale()


class GuardedProvisioner(LocalProvisioner):
    """The kernel launcher with limits and the guard, no sandbox (``--no-sandbox``)."""

    sandboxed = False
    needs_private_folder = True  # the guard's secret file, the kernel's log, its sockets (not for forked kernels)
    spec: SandboxSpec | None = None
    guard_secret: bytes = b""
    private: str | None = None

    # -- jupyter_client's provisioner API --------------------------------------------------------------
    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        km = self.parent
        _cleanup_stale_once()
        self.private = private_folder("kernel") if self.needs_private_folder else None
        self.workdir = os.path.realpath(str(kwargs.get("cwd") or os.getcwd()))
        st = os.stat(self.workdir)
        self.owner, self.mode = (st.st_uid, st.st_gid), stat.S_IMODE(st.st_mode)
        uid = new_uid() if self.sandboxed else -1
        self.spec = SandboxSpec.for_submission(self.workdir, uid=uid, limits=km.limits(),
                                               extra_read_only=list(km.extra_read_only), env=kwargs.get("env"))
        self.prepare(km)
        kwargs = await super().pre_launch(**kwargs)  # writes the connection file, builds the kernelspec's command
        kwargs["cmd"] = self.command(kwargs.pop("cmd"), kwargs)
        return kwargs

    async def send_signal(self, signum: int) -> None:
        if signum == signal.SIGINT and self.process is not None:
            km = self.parent
            socket = km.connect_control()
            try:
                km.session.send(socket, km.session.msg("interrupt_request", content={}))
            finally:
                socket.close(linger=1000)
            return
        await super().send_signal(signum)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart=restart)
        if restart:
            return
        self.last_words = self.log_tail()  # kept for the error message after the folder is gone
        self.give_back()
        if self.private:
            shutil.rmtree(self.private, ignore_errors=True)
            self.private = None

    # -- ours --------------------------------------------------------------------------------------------
    def prepare(self, km: Any) -> None:
        """Before the connection file is written (the sandboxes choose IPC sockets here)."""

    def secret_file(self) -> str:
        self.guard_secret = secrets.token_bytes(32)
        path = os.path.join(self.private, "guard-secret")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(self.guard_secret.hex())
        return path

    def launcher(self, cmd: list[str], secret_file: str, fontlist: str | None = None) -> list[str]:
        spec = self.spec
        options = [*spec.limits.kernel_options(), f"--preload={self.parent.preload}", f"--uid={spec.uid}",
                   f"--gid={spec.uid}", f"--secret_file={secret_file}"]
        if fontlist:
            options.append(f"--mpl_fontlist={fontlist}")
        return [sys.executable, str(KERNEL_SCRIPT), *options, "--", *_kernel_argv(cmd)]

    def command(self, cmd: list[str], kwargs: dict[str, Any]) -> list[str]:
        """After the connection file is written: the command that really runs (here: the launcher as the
        grader's own user, in the grader's world; the process limit is a pids cgroup when root)."""
        env = dict(self.spec.env)
        for name in ("MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_RUNTIME_DIR", "USER"):
            env.pop(name, None)
        env.update({"HOME": os.environ.get("HOME", "/tmp"), "PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        kwargs["env"] = env
        self.log_path = os.path.join(self.private, "kernel.log")
        kwargs["stderr"] = self._log = open(self.log_path, "wb")  # noqa: SIM115
        self.cgroup = pids_cgroup(self.spec.limits.processes) if os.geteuid() == 0 else None
        return self.launcher(cmd, self.secret_file())

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> dict:
        info = await super().launch_kernel(cmd, **kwargs)
        if getattr(self, "cgroup", None):
            join_cgroup(self.cgroup, self.pid)  # before any student code: the kernel is still importing
        return info

    def give_back(self) -> None:
        """The submission folder back to its owner, without links, FIFOs or devices the kernel made."""
        log = getattr(self, "_log", None)
        if log is not None:
            log.close()
        if getattr(self, "cgroup", None):
            remove_cgroup(self.cgroup)
            self.cgroup = None
        if self.sandboxed and getattr(self, "workdir", None):
            clean_workdir(self.workdir, self.owner)
            os.chmod(self.workdir, self.mode)

    def log_tail(self, size: int = 4000) -> str:
        """The last lines the kernel wrote to stderr (for error messages)."""
        try:
            with open(self.log_path, "rb") as handle:
                handle.seek(0, os.SEEK_END)
                handle.seek(max(0, handle.tell() - size))
                return handle.read().decode(errors="replace")
        except (OSError, AttributeError):
            return getattr(self, "last_words", "")


class SandboxProvisioner(GuardedProvisioner):
    """A cold kernel in a bubblewrap sandbox rendered from its :class:`SandboxSpec`."""

    sandboxed = True

    def prepare(self, km: Any) -> None:
        require_bwrap()
        km.transport = "ipc"  # no network inside: sockets in a folder bound into the sandbox
        self.sockdir = os.path.join(self.private, "ipc")
        os.mkdir(self.sockdir, 0o700)
        km.connection_file = os.path.join(self.sockdir, "kernel.json")
        km.ip = os.path.join(self.sockdir, "k")
        os.chmod(self.workdir, self.mode | 0o711)  # bubblewrap (root without DAC override) must enter it
        stub = os.path.join(self.private, "notebook-hidden.ipynb")
        Path(stub).write_text(HIDDEN_NOTEBOOK)
        os.chmod(stub, 0o444)
        # the notebooks in the folder are masked: the one being graded holds the hidden tests
        self.spec.masks = {name: stub for name in sorted(os.listdir(self.workdir))
                           if name.endswith(".ipynb") and os.path.isfile(os.path.join(self.workdir, name))}

    def command(self, cmd: list[str], kwargs: dict[str, Any]) -> list[str]:
        spec = self.spec
        os.chown(km_file := self.parent.connection_file, spec.uid, spec.uid)
        os.chown(os.path.dirname(km_file), spec.uid, spec.uid)
        secret_file = self.secret_file()
        give_workdir(self.workdir, spec.uid, spec.uid)
        binds = [Mount(secret_file, "/tmp/guard-secret")]  # root-only (0600): read as root, then root is left
        fontlist = matplotlib_fontlist()
        inside_fontlist = None
        if fontlist:
            inside_fontlist = f"/tmp/.designkit-{Path(fontlist).name}"
            binds.append(Mount(fontlist, inside_fontlist))
        self.log_path = os.path.join(self.private, "kernel.log")
        kwargs["env"] = dict(spec.env)
        kwargs["cwd"] = self.private
        kwargs["stdout"] = subprocess.DEVNULL
        kwargs["stderr"] = self._log = open(self.log_path, "wb")  # noqa: SIM115
        return spec.bwrap_argv(self.sockdir, binds) + self.launcher(cmd, "/tmp/guard-secret", inside_fontlist)


class ForkProvisioner(SandboxProvisioner):
    """The same spec, the kernel forked from this process's warm sandboxed server
    (:class:`~designkit.grading.forkserver.ForkServer`)."""

    server: ForkServer | None = None
    needs_private_folder = False

    def prepare(self, km: Any) -> None:
        require_bwrap()
        spec = self.spec
        spec.env["MPLBACKEND"] = INLINE_BACKEND
        self.server = ForkServer.get(spec)
        self.key = secrets.token_hex(8)
        self.ipc = os.path.join(self.server.ipc, self.key)
        self.scratch = os.path.join(self.server.spool, self.key)
        self.log_path = os.path.join(self.server.ipc, f"{self.key}.log")
        os.mkdir(self.ipc, 0o700)
        # a copy of the submission's files without its notebooks (the graded one holds the hidden tests)
        shutil.copytree(self.workdir, self.scratch, symlinks=True,
                        ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"))
        give_workdir(self.scratch, spec.uid, spec.uid)
        km.transport = "ipc"
        km.connection_file = os.path.join(self.ipc, "kernel.json")
        km.ip = os.path.join(self.ipc, "k")

    def command(self, cmd: list[str], kwargs: dict[str, Any]) -> list[str]:
        os.chown(self.parent.connection_file, self.spec.uid, self.spec.uid)
        os.chown(self.ipc, self.spec.uid, self.spec.uid)
        self.guard_secret = secrets.token_bytes(32)  # handed over in memory, never written to a file
        return cmd

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> dict:
        request = self.spec.fork_request(self.key, scratch=f"/spool/{self.key}", ipc=f"/ipc/{self.key}",
                                         secret=self.guard_secret, detach=[self.server.ipc])
        try:
            answer = self.server.ask(request)
        except ForkServerError:
            raise
        if "pid" not in answer:
            raise KernelStartFailed(f"the fork server could not fork a kernel: {answer}")
        self.process = ForkedProcess(self.server, self.key, answer["pid"])
        self.pid, self.pgid, self.cwd = answer["pid"], None, self.workdir
        return self.connection_info

    def give_back(self) -> None:
        for path in (getattr(self, "scratch", None), getattr(self, "ipc", None)):
            if path:
                shutil.rmtree(path, ignore_errors=True)

    async def cleanup(self, restart: bool = False) -> None:
        await super().cleanup(restart=restart)  # (keeps the log's tail in last_words)
        log = getattr(self, "log_path", None)
        if not restart and log:
            try:
                os.unlink(log)
            except OSError:
                pass
