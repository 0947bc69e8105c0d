"""The fork server's inside: one warm process per grading worker that forks a fresh kernel per submission.

It runs as a script inside one bubblewrap sandbox (see :mod:`designkit.grading.forkserver`), imports
what kernels need (ipykernel, numpy, pandas, matplotlib, ipywidgets, designkit) and loads the offline
data catalogue once, then reads
commands, one JSON object per line, on stdin and answers on stdout:

- ``{"op": "spawn", "id", "scratch", "ipc", "name", "uid", "secret", "limits"}`` -> ``{"pid": n}``
- ``{"op": "poll", "id"}`` -> ``{"returncode": None | int}``
- ``{"op": "kill", "id", "signal"}`` -> ``{"ok": true}``

Each spawned kernel gets its own world before any student code runs: the child unshares a mount
and a PID namespace and forks again; the grandchild is PID 1 of the new PID namespace (its whole
process tree dies with it, and it sees no other process), mounts its own ``/proc``, a fresh
``/tmp`` and ``/home``, binds only its scratch folder (a copy of the submission's files, without
notebooks) at ``/home/student/<assignment>`` and its IPC folder at ``/run/kernel``, then detaches
the spool and IPC parents so nothing of other submissions remains in its view. It then sets the
limits, leaves root and starts ipykernel in place, with the same guard as an unforked sandboxed
kernel (:mod:`designkit.grading.kernel`). Nothing is shared between students but
read-only code pages: each kernel is a fresh process with a fresh interpreter state.

>>> parse_limits({"memory": "5"})["memory"]
5
"""
from __future__ import annotations

import ctypes
import importlib.util
import json
import os
import signal
import sys

CLONE_NEWNS, CLONE_NEWPID = 0x00020000, 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG = 1

PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.debugger", "IPython", "zmq",
           "jupyter_client",
           "numpy", "pandas", "matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg",
           "ipywidgets", "designkit", "designkit.checks", "designkit.data", "designkit.framing",
           "designkit.plots", "designkit.widgets")  # not pyplot: its inline hooks need the shell

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    """mount(2) through libc."""
    enc = lambda s: s.encode() if s is not None else None  # noqa: E731
    _check(_libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def parse_limits(limits: dict) -> dict:
    """Limits as ints (the grader sends numbers or numeric strings)."""
    return {key: int(value) for key, value in limits.items()}


def _load_kernel_module():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel.py")
    spec = importlib.util.spec_from_file_location("_designkit_sandbox_kernel", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def enter_own_world(request: dict) -> str:
    """In the grandchild (PID 1 of a new PID namespace, in a new mount namespace): build its view.

    Returns the path of its connection file.
    """
    _check(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl")
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for extra in request.get("detach", ()):  # the host path of the IPC parent (before /tmp is replaced)
        _check(_libc.umount2(extra.encode(), MNT_DETACH), f"umount {extra}")
    limits = request["limits"]
    # Python, the venv or the course's package may live under /tmp (a clone in /tmp, as in CI): hold them by file
    # descriptor, replace /tmp, then bind them back read-only at the same paths.
    kept = [(path, os.open(path, os.O_PATH)) for path in request.get("keep", ()) if os.path.exists(path)]
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={limits.get('tmp_size', 64 << 20)},mode=1777")
    for path, fd in kept:
        os.makedirs(path, exist_ok=True)
        mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        mount(None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
        os.close(fd)
    # read the connection file while the IPC parent is still visible
    with open(os.path.join(request["ipc"], "kernel.json")) as handle:
        info = json.load(handle)
    mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    os.mkdir("/run/kernel")
    mount(request["ipc"], "/run/kernel", None, MS_BIND)
    mount("tmpfs", "/home", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    home = "/home/student"
    os.mkdir(home, 0o755)
    os.chown(home, request["uid"], request["uid"])
    inside = f"{home}/{request['name']}"
    os.mkdir(inside)
    mount(request["scratch"], inside, None, MS_BIND)
    for parent in ("/spool", "/ipc"):
        _check(_libc.umount2(parent.encode(), MNT_DETACH), f"umount {parent}")
    info["ip"] = "/run/kernel/k"
    connection = "/tmp/kernel.json"
    with open(connection, "w") as handle:
        json.dump(info, handle)
    os.chown(connection, request["uid"], request["uid"])
    os.chdir(inside)
    return connection


def run_child(request: dict, kernel_module) -> None:
    """The forked child: new namespaces, then the kernel as PID 1 of its own PID namespace."""
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(devnull, 1)
        log = os.open(os.path.join(request["ipc"], "..", f"{request['id']}.log"),
                      os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(log, 2)
        os.closerange(3, 1024)
        _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID), "unshare")
        mount(None, "/", None, MS_REC | MS_PRIVATE)
        pid = os.fork()
        if pid:
            _, status = os.waitpid(pid, 0)
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
        connection = enter_own_world(request)
        os.environ.clear()
        os.environ.update(request["env"])
        import random

        random.seed()
        try:
            import numpy

            numpy.random.seed()
        except ImportError:
            pass
        limits = request["limits"]
        kernel_module.apply_limits(limits.get("memory", 0), limits.get("cpu", 0), limits.get("processes", 0),
                                   limits.get("file_size", 0), limits.get("open_files", 256))
        kernel_module.drop_privileges(request["uid"], request["uid"])
        kernel_module.start_kernel(["-f", connection, "--HistoryManager.hist_file=:memory:"],
                                   bytes.fromhex(request["secret"]), limits.get("stream_limit", 1_000_000))
        os._exit(0)
    except BaseException as error:  # report why and never return into the server's loop
        try:
            import traceback

            print(f"forkserver child failed: {error!r}", file=sys.stderr, flush=True)
            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(70)


def warm_data() -> None:
    """Load the offline catalogue once, so each forked kernel finds it in ``designkit.data``'s cache.

    ``designkit.data.load`` returns a copy of its cached frame, and each kernel is a separate process
    (copy-on-write), so no student can change what another one loads.
    """
    try:
        from designkit.data import catalogue, load

        for name in catalogue()["name"]:
            load(name)
    except Exception as error:  # grading must not depend on this optimisation
        print(f"forkserver: could not preload the data catalogue: {error}", file=sys.stderr, flush=True)


def serve() -> None:
    """Preload, then answer commands until stdin closes."""
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception as error:  # an optional module missing must not stop grading
            print(f"forkserver: could not preload {name}: {error}", file=sys.stderr, flush=True)
    warm_data()
    kernel_module = _load_kernel_module()
    children: dict[str, int] = {}
    codes: dict[str, int] = {}
    out = sys.stdout
    out.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        op = request.get("op")
        for key, pid in list(children.items()):
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done, status = pid, 0
            if done:
                codes[key] = os.waitstatus_to_exitcode(status)
                del children[key]
        if op == "spawn":
            request["limits"] = parse_limits(request["limits"])
            pid = os.fork()
            if pid == 0:
                run_child(request, kernel_module)
            children[request["id"]] = pid
            answer = {"pid": pid}
        elif op == "poll":
            key = request["id"]
            answer = {"returncode": None if key in children else codes.get(key, 0)}
        elif op == "kill":
            pid = children.get(request["id"])
            if pid:
                try:
                    os.kill(pid, int(request.get("signal", signal.SIGKILL)))
                except ProcessLookupError:
                    pass
            answer = {"ok": True}
        else:
            answer = {"error": f"unknown op {op!r}"}
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]
    serve()
