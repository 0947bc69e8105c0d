"""One description of a grading kernel's world, rendered to a bubblewrap command or a fork-server request.

A :class:`SandboxSpec` says what a kernel may see (read-only runtime mounts, its own submission folder,
masks over the notebooks), what it keeps of the environment, its limits, the unprivileged uid it runs as
and the capabilities it keeps until it leaves root. The cold sandbox renders it with
:meth:`SandboxSpec.bwrap_argv`; the fork server with :meth:`SandboxSpec.fork_request`. Both come from
the same object, so the two paths cannot drift apart. Standard library only (fast to import).

>>> spec = SandboxSpec.for_submission("/c/autograded/ada/ps1", uid=200_001, limits=Limits(threads=2))
>>> spec.inside, spec.env["OMP_NUM_THREADS"]
('/home/student/ps1', '2')
>>> argv = spec.bwrap_argv("/tmp/dk-x/ipc")
>>> "--unshare-net" in argv and argv[argv.index("--chdir") + 1]
'/home/student/ps1'
"""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

SANDBOX_HOME = "/home/student"
# Kernels run as an unprivileged uid drawn from this range (no passwd entry needed): one uid per kernel,
# so the process limit counts that kernel's processes only, also when the grader runs as root.
UID_RANGE = (200_000, 260_000)
# Environment variables that reach the kernel; everything else (tokens, keys, paths) stays outside.
ENV_ALLOWED = ("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "NBGRADER_EXECUTION", "NBGRADER_VALIDATING",
               "MPLBACKEND", "PYDEVD_DISABLE_FILE_VALIDATION", "JPY_SESSION_NAME", "DESIGNKIT_OFFLINE",
               "COURSE_LANG")  # the submission's language (GuardedExecute sets it from the notebook's metadata)
# Numerical libraries start one thread per core unless told; each is told the kernel's thread budget.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS")
SYSTEM_ETC = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/fonts",
              "/etc/mime.types", "/etc/alternatives")
# Capabilities the kernel launcher keeps inside bubblewrap, only to leave root for its own uid.
DROP_CAPABILITIES = ("CAP_SETUID", "CAP_SETGID")


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


@dataclass(frozen=True)
class Limits:
    """Resource limits of one kernel (0 leaves a limit unset).

    ``processes`` counts processes and threads of the kernel's own uid; ``threads`` is what numerical
    libraries are told to use (it must stay well under ``processes``).

    >>> Limits().processes > Limits().threads
    True
    """

    memory: int = 2 * 1024**3
    cpu_seconds: int = 300
    processes: int = 64
    file_size: int = 64 * 1024**2
    open_files: int = 256
    tmp_size: int = 64 * 1024**2
    threads: int = 1
    stream_limit: int = 1_000_000

    def kernel_options(self) -> list[str]:
        """The limits as options of the kernel launcher (:mod:`designkit.grading.kernel`)."""
        return [f"--memory={self.memory}", f"--cpu={self.cpu_seconds}", f"--processes={self.processes}",
                f"--file_size={self.file_size}", f"--open_files={self.open_files}",
                f"--stream_limit={self.stream_limit}"]


@dataclass(frozen=True)
class Mount:
    """A host path seen inside the sandbox at ``target`` (the same path unless given)."""

    source: str
    target: str = ""
    writable: bool = False

    @property
    def inside(self) -> str:
        return self.target or self.source


def _realpath(path: str | os.PathLike) -> str:
    return os.path.realpath(os.fspath(path))


def editable_sources() -> list[str]:
    """Package folders that editable installs in this environment point the interpreter at.

    A kit installed with ``pip install -e`` from one checkout and a course graded from another folder:
    the kernel imports the kit from the *installed* checkout, so that folder (the package, not the whole
    checkout, which may hold a course) has to be visible in the sandbox.
    """
    found: list[str] = []
    for name, module in list(sys.modules.items()):
        if name.startswith("__editable__") and name.endswith("_finder"):
            mapping = getattr(module, "MAPPING", {})
            found += [_realpath(p) for p in mapping.values() if os.path.exists(p)]
    return found


def runtime_paths() -> list[str]:
    """Host folders the kernel needs read-only: the interpreter, the venv, the kit as the kernel imports it.

    >>> any(p == os.path.realpath(sys.prefix) for p in runtime_paths()) or sys.prefix.startswith(sys.base_prefix)
    True
    """
    import designkit

    paths = {_realpath(sys.base_prefix), _realpath(sys.prefix), _realpath(os.path.dirname(sys.executable)),
             str(Path(designkit.__file__).resolve().parent), *editable_sources()}
    # Drop folders inside others, so each is bound once.
    ordered = sorted(paths, key=len)
    return [p for i, p in enumerate(ordered) if not any(p.startswith(q + os.sep) for q in ordered[:i])]


def kernel_environment(env: dict[str, str] | None = None, threads: int = 1) -> dict[str, str]:
    """Only the allowed variables of ``env`` (the grader's secrets never reach the kernel), plus the
    thread budget for numerical libraries.

    >>> e = kernel_environment({"AWS_SECRET": "x", "LANG": "C.UTF-8"}, threads=2)
    >>> "AWS_SECRET" in e, e["LANG"], e["MKL_NUM_THREADS"]
    (False, 'C.UTF-8', '2')
    """
    source = env if env is not None else dict(os.environ)
    kept = {k: v for k, v in source.items() if k in ENV_ALLOWED or k.startswith("LC_")}
    kept.setdefault("LANG", "C.UTF-8")
    kept["PYTHONNOUSERSITE"] = "1"
    for name in THREAD_VARIABLES:
        kept[name] = str(max(1, threads))
    return kept


def _parents(path: str) -> list[str]:
    parts = Path(path).parts[1:-1]
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


@dataclass
class SandboxSpec:
    """What one grading kernel sees and may do (see the module docstring).

    ``workdir`` is the host folder that appears, writable, at :attr:`inside`; ``mounts`` are the
    read-only runtime; ``masks`` maps names in ``workdir`` to host files bound read-only over them.
    """

    workdir: str
    uid: int
    limits: Limits = field(default_factory=Limits)
    mounts: list[Mount] = field(default_factory=list)
    masks: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    capabilities: tuple[str, ...] = DROP_CAPABILITIES
    network: bool = False

    @classmethod
    def for_submission(cls, workdir: str | os.PathLike, *, uid: int, limits: Limits | None = None,
                       extra_read_only: list[str] | tuple[str, ...] = (), env: dict[str, str] | None = None
                       ) -> SandboxSpec:
        """The standard spec: the runtime read-only, ``workdir`` writable, a clean environment."""
        limits = limits or Limits()
        mounts = [Mount(p) for p in runtime_paths() + [_realpath(p) for p in extra_read_only]]
        kernel_env = kernel_environment(env, limits.threads)
        kernel_env.update({
            "HOME": SANDBOX_HOME, "USER": "student", "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython",
            "JUPYTER_RUNTIME_DIR": "/tmp/jupyter", "PYTHONDONTWRITEBYTECODE": "1",
            "PATH": f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin"})
        return cls(workdir=_realpath(workdir), uid=uid, limits=limits, mounts=mounts, env=kernel_env)

    @property
    def name(self) -> str:
        return Path(self.workdir).name

    @property
    def inside(self) -> str:
        """Where the submission folder appears inside (also the kernel's working folder)."""
        return f"{SANDBOX_HOME}/{self.name}"

    def with_workdir(self, workdir: str) -> SandboxSpec:
        return replace(self, workdir=_realpath(workdir))

    # -- rendering -----------------------------------------------------------------------------------
    def bwrap_argv(self, sockdir: str, binds: list[Mount] | tuple[Mount, ...] = ()) -> list[str]:
        """The bubblewrap prefix for this kernel; ``sockdir`` (IPC sockets) is bound writable at its path."""
        cmd = [shutil.which("bwrap") or "bwrap",
               "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
               "--die-with-parent", "--new-session", "--hostname", "sandbox", "--cap-drop", "ALL"]
        if not self.network:
            cmd.insert(1, "--unshare-net")
        for capability in self.capabilities:
            cmd += ["--cap-add", capability]
        cmd += ["--ro-bind", "/usr", "/usr"]
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            top = f"/{name}"
            if os.path.islink(top):
                cmd += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                cmd += ["--ro-bind", top, top]
        for etc in SYSTEM_ETC:
            if os.path.exists(etc):
                cmd += ["--ro-bind", etc, etc]
        cmd += ["--proc", "/proc", "--dev", "/dev",
                "--perms", "1777", "--size", str(self.limits.tmp_size), "--tmpfs", "/tmp",
                "--perms", "0755", "--tmpfs", "/home",
                "--perms", "1777", "--dir", SANDBOX_HOME]
        made: set[str] = {"/tmp", "/home", SANDBOX_HOME}
        for mount in [*self.mounts, Mount(sockdir, writable=True), *binds]:
            for parent in _parents(mount.inside):
                if parent not in made and not parent.startswith(("/usr", "/proc", "/dev")):
                    cmd += ["--perms", "0755", "--dir", parent]
                    made.add(parent)
            made.add(mount.inside)
            cmd += ["--bind" if mount.writable else "--ro-bind", mount.source, mount.inside]
        cmd += ["--bind", self.workdir, self.inside]
        for name, replacement in self.masks.items():
            cmd += ["--ro-bind", replacement, f"{self.inside}/{name}"]
        cmd += ["--chdir", self.inside]
        for key, value in sorted(self.env.items()):
            cmd += ["--setenv", key, value]
        cmd += ["--unsetenv", "JPY_PARENT_PID"]
        return cmd

    def fork_request(self, key: str, *, scratch: str, ipc: str, secret: bytes, detach: list[str]) -> dict[str, Any]:
        """The fork server's ``spawn`` request for this kernel (paths as the server sees them).

        The server's own sandbox already holds the runtime mounts; the forked kernel keeps those under
        ``/tmp`` (it replaces ``/tmp``) and binds ``scratch`` (a copy of ``workdir``) at :attr:`inside`.
        """
        return {
            "op": "spawn", "id": key, "scratch": scratch, "ipc": ipc, "name": self.name, "uid": self.uid,
            "detach": detach, "keep": [m.inside for m in self.mounts if m.inside.startswith("/tmp/")],
            "secret": secret.hex(), "env": dict(self.env),
            "limits": {"memory": self.limits.memory, "cpu": self.limits.cpu_seconds,
                       "processes": self.limits.processes, "file_size": self.limits.file_size,
                       "open_files": self.limits.open_files, "tmp_size": self.limits.tmp_size,
                       "stream_limit": self.limits.stream_limit},
        }
