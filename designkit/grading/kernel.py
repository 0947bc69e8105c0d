"""The kernel side of the grading sandbox: limits, privilege drop and the grade-cell guard.

This file runs *inside* the sandbox as a script (``python kernel.py [options] -- <ipykernel
args>``), and the fork server loads it by path. It imports only the standard library and ipykernel,
never the rest of ``designkit.grading`` (which imports nbgrader and is slow), so a kernel starts as fast as a
stock one.

What it does, in order, before any student code runs:

1. reads the per-kernel guard secret from a root-only file and deletes the file;
2. drops ``JPY_PARENT_PID`` (in its own PID namespace the kernel would see no parent and exit);
3. sets resource limits: address space (memory), CPU seconds, processes, file size, open files, no
   core dumps;
4. leaves root: ``setgroups([])``, ``setgid``/``setuid`` to an unprivileged id chosen by the grader
   (process limits only bind non-root users, and the kernel must not own the grader's files);
5. starts ipykernel in this process, installs the guard, ``__designkit_guard__`` in builtins, and
   an audit hook that refuses later audit hooks, trace and profile functions (they would see the
   grade cells' code and frames; see :func:`block_tracing`).

The guard (see :func:`install_guard`) is what the grader calls before every grade cell, through an
execute request whose code is empty and whose ``user_expressions`` call the guard. User expressions
are evaluated with ``eval``: IPython's input transformers never see them, so a transformer that
blanks cells cannot blank the guard. The guard puts back what student code may have changed that a
grade cell relies on, then answers with an HMAC of the grader's nonce and the list of what it put
back. The grader fails the grade cell when the answer is missing or wrong. Details are in
``designkit/grading/__init__.py``.

>>> callable(install_guard)
True
"""
from __future__ import annotations

import builtins
import hashlib
import hmac
import os
import sys
import types

# Modules whose attributes (and whose classes' attributes) the guard restores before each grade
# cell. Prefixes match submodules. These are what grade cells and designkit.checks run through.
PROTECTED_PREFIXES = ("designkit", "IPython.core", "ipykernel")
PROTECTED_MODULES = (
    "builtins", "math", "cmath", "operator", "numbers", "functools", "re", "difflib", "json",
    "decimal", "fractions", "statistics", "collections", "collections.abc", "types", "inspect",
    "traceback", "textwrap", "dataclasses", "numpy", "numpy.testing", "pandas", "pandas.testing",
    "pandas.api.types", "math", "unittest", "unittest.case",
)
# Event callbacks from these modules are kept; anything else registered by student code is dropped.
TRUSTED_CALLBACK_PREFIXES = ("IPython", "ipykernel", "matplotlib", "matplotlib_inline", "ipywidgets",
                             "comm", "designkit")
# Shell attributes whose identity must not change between grade cells.
SHELL_ATTRIBUTES = ("compile", "input_transformer_manager", "custom_exceptions", "CustomTB",
                    "user_ns", "user_module", "displayhook", "display_pub", "display_formatter",
                    "InteractiveTB", "SyntaxTB", "events", "ast_transformers", "input_transformers_post")
SYS_ATTRIBUTES = ("excepthook", "displayhook", "stdout", "stderr", "modules")


def _protected(name: str) -> bool:
    return name in PROTECTED_MODULES or any(
        name == p or name.startswith(p + ".") for p in PROTECTED_PREFIXES)


def _callback_trusted(fn: object) -> bool:
    fn = getattr(fn, "__func__", fn)
    module = getattr(fn, "__module__", None) or ""
    return module.split(".")[0] in TRUSTED_CALLBACK_PREFIXES


class _Snapshot:
    """What the guard restores: taken once, after the kernel starts and before student code runs."""

    def __init__(self, shell) -> None:
        self.shell = shell
        self.modules: dict[str, tuple[types.ModuleType, dict]] = {}
        self.classes: dict[type, dict] = {}
        self.functions: dict[types.FunctionType, tuple] = {}
        self.take()
        self._take_shell()

    def take(self) -> None:
        """(Re)take the snapshot of the modules loaded now; already-snapshotted ones are kept."""
        for name, module in list(sys.modules.items()):
            if module is None or name in self.modules or not _protected(name):
                continue
            try:
                namespace = dict(vars(module))
            except TypeError:
                continue
            self.modules[name] = (module, namespace)
            for value in namespace.values():
                if isinstance(value, type) and value not in self.classes:
                    self.classes[value] = dict(vars(value))
                    if (value.__module__ or "").startswith("designkit"):
                        for member in vars(value).values():
                            if isinstance(member, types.FunctionType):
                                self._function(member)
                elif isinstance(value, types.FunctionType) and name.startswith("designkit"):
                    self._function(value)

    def _take_shell(self) -> None:
        """The shell's hooks, once, at kernel start (never re-taken: student code has run since)."""
        shell = self.shell
        self.shell_attributes = {a: getattr(shell, a) for a in SHELL_ATTRIBUTES if hasattr(shell, a)}
        self.shell_keys = set(vars(shell))
        self.sys_attributes = {a: getattr(sys, a) for a in SYS_ATTRIBUTES}
        manager = shell.input_transformer_manager
        self.transformer_lists = [
            (lst, list(lst)) for lst in (
                manager.cleanup_transforms, manager.line_transforms, manager.token_transformers,
                shell.ast_transformers, shell.input_transformers_post)]
        self.events = shell.events
        self.event_callbacks = {k: list(v) for k, v in shell.events.callbacks.items()}

    def _function(self, fn: types.FunctionType) -> None:
        self.functions[fn] = (fn.__code__, fn.__defaults__, fn.__kwdefaults__)

    def restore(self, bindings: list) -> list[str]:
        """Put everything back; return what had been changed (for the grader's log)."""
        restored: list[str] = []
        shell = self.shell
        for attribute, value in self.sys_attributes.items():
            if getattr(sys, attribute) is not value:
                setattr(sys, attribute, value)
                restored.append(f"sys.{attribute}")
        for name, (module, namespace) in self.modules.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
                restored.append(f"sys.modules[{name!r}]")
            current = vars(module)
            for key, value in namespace.items():
                if current.get(key, _MISSING) is not value:
                    try:
                        current[key] = value
                        restored.append(f"{name}.{key}")
                    except TypeError:
                        pass
        for cls, namespace in self.classes.items():
            current = vars(cls)
            for key, value in namespace.items():
                if current.get(key, _MISSING) is not value and key not in ("__dict__", "__weakref__"):
                    try:
                        setattr(cls, key, value)
                        restored.append(f"{cls.__qualname__}.{key}")
                    except (TypeError, AttributeError):
                        pass
            if cls.__module__.split(".")[0] in ("IPython", "ipykernel", "designkit"):
                for key in set(current) - set(namespace):
                    if not key.startswith("__") and callable(current[key]):
                        try:
                            delattr(cls, key)
                            restored.append(f"{cls.__qualname__}.{key}")
                        except (TypeError, AttributeError):
                            pass
        for fn, (code, defaults, kwdefaults) in self.functions.items():
            if fn.__code__ is not code or fn.__defaults__ is not defaults or fn.__kwdefaults__ is not kwdefaults:
                fn.__code__, fn.__defaults__, fn.__kwdefaults__ = code, defaults, kwdefaults
                restored.append(f"{fn.__module__}.{fn.__qualname__}")
        for attribute, value in self.shell_attributes.items():
            if vars(shell).get(attribute, _MISSING) is not value and getattr(shell, attribute) is not value:
                setattr(shell, attribute, value)
                restored.append(f"shell.{attribute}")
        for key in set(vars(shell)) - self.shell_keys:
            if callable(getattr(type(shell), key, None)):
                delattr(shell, key)
                restored.append(f"shell.{key}")
        for lst, original in self.transformer_lists:
            if lst != original:
                lst[:] = original
                restored.append("input/ast transformers")
        for event, callbacks in self.events.callbacks.items():
            kept = [cb for cb in callbacks
                    if cb in self.event_callbacks.get(event, ()) or _callback_trusted(cb)]
            if kept != callbacks:
                callbacks[:] = kept
                restored.append(f"events.{event}")
        user_ns = shell.user_ns
        for name, module_name, attribute in bindings:
            entry = self.modules.get(module_name)
            if entry is None:
                continue
            module, namespace = entry
            value = module if attribute is None else namespace.get(attribute, _MISSING)
            if value is _MISSING:
                continue
            if user_ns.get(name, _MISSING) is not value:
                user_ns[name] = value
                restored.append(name)
        return restored


_MISSING = object()




def _stream_note(limit: int) -> str:
    """STREAM_NOTE in the kernel's course language (imported here: the guard keeps the kernel's imports lean)."""
    from designkit.i18n import _

    return _("\n[output truncated by the grader: this cell printed more than {limit:,} bytes]\n", limit=limit)


def cap_streams(shell, limit: int) -> None:
    """Stop forwarding stdout/stderr after ``limit`` characters per execution, in the kernel itself.

    A print loop would otherwise pile up in ipykernel's buffer (and the kernel's memory) faster than it
    can be sent. The grader caps again, lower, as outputs arrive: this one only protects the kernel.
    """
    if limit <= 0:
        return
    state = {"used": 0, "noted": False}

    def reset(*_args: object) -> None:
        state["used"], state["noted"] = 0, False

    shell.events.register("pre_execute", reset)
    for stream in (sys.stdout, sys.stderr):
        original = stream.write

        def write(text: str, original=original) -> int:
            size = len(text)
            if state["used"] + size <= limit:
                state["used"] += size
                return original(text)
            room = max(0, limit - state["used"])
            state["used"] = limit
            if room:
                original(text[:room])
            if not state["noted"]:
                state["noted"] = True
                original(_stream_note(limit))
            return size

        stream.write = write


def install_guard(shell, secret: bytes) -> None:
    """Install ``__designkit_guard__(nonce, bindings)`` into builtins for this kernel.

    ``bindings`` is a list of ``(name, module, attribute_or_None)``: the names that the notebook's
    trusted (grade or read-only) cells bind by importing designkit; they are put back too.
    The answer is ``"<hmac>|<restored, comma separated>"``.
    """
    snapshot = _Snapshot(shell)

    def guard(nonce: str, bindings: list = ()) -> str:
        snapshot.take()  # modules imported since the last call (e.g. designkit.checks imported late)
        restored = snapshot.restore(list(bindings))
        # Take the cleaned state as the new baseline for newly imported modules only; keep originals.
        summary = ",".join(dict.fromkeys(restored))
        mac = hmac.new(secret, f"{nonce}|{summary}".encode(), hashlib.sha256).hexdigest()
        return f"{mac}|{summary}"

    builtins.__designkit_guard__ = guard
    snapshot.modules["builtins"] = (builtins, dict(vars(builtins)))


def guard_answer_ok(secret: bytes, nonce: str, answer: str) -> tuple[bool, list[str]]:
    """Check a guard answer on the grader's side: (valid, what the guard restored).

    >>> import hashlib, hmac
    >>> mac = hmac.new(b"k", b"n|x", hashlib.sha256).hexdigest()
    >>> guard_answer_ok(b"k", "n", mac + "|x")
    (True, ['x'])
    """
    mac, _, summary = answer.partition("|")
    expected = hmac.new(secret, f"{nonce}|{summary}".encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, expected), [s for s in summary.split(",") if s]


def apply_limits(memory: int, cpu: int, processes: int, file_size: int, open_files: int = 256) -> None:
    """Set the kernel's resource limits (0 = leave that one alone)."""
    import resource

    for which, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_NPROC, processes),
                         (resource.RLIMIT_FSIZE, file_size), (resource.RLIMIT_NOFILE, open_files)):
        if value:
            resource.setrlimit(which, (value, value))
    if cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def own_threads() -> int:
    """How many processes and threads this user runs now (what ``RLIMIT_NPROC`` counts)."""
    uid, count = os.getuid(), 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/status") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
        except OSError:
            continue
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            count += int(fields.get("Threads", "1").strip() or 1)
    return count


def drop_privileges(uid: int, gid: int) -> None:
    """Leave root for ``uid``/``gid`` (no supplementary groups); a no-op when not root or uid < 0."""
    if uid < 0 or os.geteuid() != 0:
        return
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)


def read_secret(path: str) -> bytes:
    """Read the guard secret (hex) and delete its file, so student code cannot read it."""
    if not path:
        return os.urandom(32)
    with open(path) as handle:
        secret = bytes.fromhex(handle.read().strip())
    try:
        os.unlink(path)
    except OSError:
        pass  # bound read-only into the sandbox: root-only (0600), unreadable once privileges drop
    return secret


BLOCKED_EVENTS = frozenset({"sys.addaudithook", "sys.settrace", "sys.setprofile"})


def _audit(event: str, args: tuple) -> None:
    if event in BLOCKED_EVENTS:
        raise RuntimeError(f"{event} is not allowed while grading")


def block_tracing() -> None:
    """Refuse new audit hooks, trace and profile functions for the rest of this process.

    A trace function or an audit hook sees every grade cell's code (hidden tests included) and the
    frame it runs in, and could change the student's variables just before an assert; an audit hook
    cannot be removed once added. Python lets the first hook veto the others (a ``RuntimeError`` from
    an existing hook cancels ``sys.addaudithook``), so this one, added before student code, keeps
    the process free of them.
    """
    sys.addaudithook(_audit)


def prepare(options: dict) -> bytes:
    """Everything before ipykernel starts; returns the guard secret."""
    secret = read_secret(options.get("secret_file", ""))
    os.environ.pop("JPY_PARENT_PID", None)
    for module in filter(None, options.get("preload", "").split(",")):
        try:
            __import__(module)
        except Exception as error:  # a missing optional module must not stop grading
            print(f"sandbox: could not preload {module}: {error}", file=sys.stderr)
    processes = int(options.get("processes", 0))
    if processes and int(options.get("uid", -1)) < 0 and os.geteuid() != 0:
        processes += own_threads()  # the limit counts all of this user's processes: leave room for them
    apply_limits(int(options.get("memory", 0)), int(options.get("cpu", 0)),
                 processes, int(options.get("file_size", 0)),
                 int(options.get("open_files", 256)))
    drop_privileges(int(options.get("uid", -1)), int(options.get("gid", -1)))
    fontlist = options.get("mpl_fontlist")
    if fontlist and os.path.exists(fontlist) and os.environ.get("MPLCONFIGDIR"):
        # the grader's font cache, so matplotlib does not scan every font again in each kernel
        import shutil

        os.makedirs(os.environ["MPLCONFIGDIR"], exist_ok=True)
        target = os.path.join(os.environ["MPLCONFIGDIR"], os.path.basename(fontlist).removeprefix(".designkit-"))
        shutil.copyfile(fontlist, target)
    return secret


def _comm(pid: int | str) -> str:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            text = handle.read()
    except OSError:
        return ""
    return text[text.index("(") + 1:text.rindex(")")]


def _stat(pid: int | str) -> tuple[str, str, int] | None:
    """(state, command name, parent pid) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            text = handle.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], text[text.index("(") + 1:text.rindex(")")], int(fields[1])


def _own_cgroup_pids() -> tuple[set[int], int, int]:
    """Members, current count and maximum of this process's pids cgroup, when it is one the grader made."""
    try:
        with open("/proc/self/cgroup") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return set(), 0, 0
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "designkit-" not in path or (controllers and "pids" not in controllers.split(",")):
            continue
        folder = ("/sys/fs/cgroup/pids" if controllers else "/sys/fs/cgroup") + path
        try:
            with open(f"{folder}/cgroup.procs") as handle:
                members = {int(p) for p in handle.read().split()}
            with open(f"{folder}/pids.current") as handle:
                current = int(handle.read())
            with open(f"{folder}/pids.max") as handle:
                maximum = int(handle.read().strip().replace("max", "0"))
        except (OSError, ValueError):
            continue
        return members, current, maximum
    return set(), 0, 0


def forked_copies(kernel_pid: int, comm: str) -> list[int]:
    """Processes that are copies of the kernel (same command name, made by ``os.fork`` in student code):
    its descendants, every such process of its own PID namespace, or of its pids cgroup."""
    members, _, _ = _own_cgroup_pids()
    table = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        info = _stat(pid)
        if info is not None:
            table[int(pid)] = info
    copies = []
    for pid, (_state, name, ppid) in table.items():
        if pid == kernel_pid or name != comm:
            continue
        ancestor, hops = ppid, 0
        while ancestor not in (0, 1, kernel_pid) and ancestor in table and hops < 4096:
            ancestor, hops = table[ancestor][2], hops + 1
        if ancestor == kernel_pid or pid in members or kernel_pid <= 2:
            copies.append(pid)
    return copies


def reap_forked_children(kernel_pid: int, comm: str) -> int:
    """Collect the kernel's exited forked children (zombies still count against the process limit).

    Only children that are copies of the kernel (same command name) are collected, so a program the
    student started with ``subprocess`` keeps its exit status for its own ``wait()``.
    """
    reaped = 0
    for pid in forked_copies(kernel_pid, comm):
        info = _stat(pid)
        if info is not None and info[0] == "Z" and info[2] == kernel_pid:
            try:
                os.waitpid(pid, os.WNOHANG)
                reaped += 1
            except ChildProcessError:
                pass
    return reaped


def process_budget_used() -> float:
    """The share of the kernel's process limit in use (0 when it has none)."""
    import resource

    _, current, maximum = _own_cgroup_pids()
    if maximum:
        return current / maximum
    limit = resource.getrlimit(resource.RLIMIT_NPROC)[0]
    if os.geteuid() == 0 or limit in (resource.RLIM_INFINITY, 0):
        return 0.0
    return own_threads() / limit


def contain_forks(shell, threshold: float = 0.75) -> None:
    """A fork loop must not take the rest of the notebook with it.

    A process forked from the kernel (``os.fork()`` in a cell) that finishes the cell would go on as a
    second copy of the kernel, holding a share of the process limit and writing into later cells' output;
    with the limit used up the real kernel cannot even start a thread, and every later test fails. Here
    such a copy exits as soon as its cell ends, its low-level output goes nowhere; after each cell, when more than ``threshold`` of the process
    limit is in use, the copies still running are killed; exited copies are collected before and after
    every cell. A few ``multiprocessing`` workers kept across cells stay under the threshold and live on.
    """
    import signal

    kernel_pid = os.getpid()
    comm = _comm(kernel_pid)

    def quiet_child() -> None:
        # A forked copy's low-level output (e.g. a library failing to start a thread at the process limit)
        # would reach the kernel's captured stderr and land in whatever cell runs then, failing a test
        # that has nothing to do with it. Python-level prints of the copy still go through ipykernel.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)

    forks = [0]  # Python-level forks since the last clean-up: most notebooks never fork, and pay nothing

    def count_fork() -> None:
        forks[0] += 1

    os.register_at_fork(before=count_fork, after_in_child=quiet_child)

    def contain(*_args: object) -> None:
        if os.getpid() != kernel_pid:
            os._exit(0)
        if not forks[0]:
            return
        if process_budget_used() > threshold:
            for pid in forked_copies(kernel_pid, comm):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        reap_forked_children(kernel_pid, comm)
        if not forked_copies(kernel_pid, comm):
            forks[0] = 0

    shell.events.register("pre_execute", contain)
    shell.events.register("post_execute", contain)


def start_kernel(argv: list[str], secret: bytes, stream_limit: int = 1_000_000) -> None:
    """Start ipykernel in this process with the guard installed (does not return until shutdown)."""
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(argv)
    cap_streams(app.shell, stream_limit)
    contain_forks(app.shell)
    install_guard(app.shell, secret)
    block_tracing()
    app.start()


def parse(argv: list[str]) -> tuple[dict, list[str]]:
    """``--key=value ... -- kernel args`` -> (options, kernel args)."""
    options: dict = {}
    rest: list[str] = []
    for index, arg in enumerate(argv):
        if arg == "--":
            rest = argv[index + 1:]
            break
        key, _, value = arg.lstrip("-").partition("=")
        options[key.replace("-", "_")] = value
    return options, rest


if __name__ == "__main__":
    if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]  # do not let student code import the grader's modules by their bare names
    opts, kernel_argv = parse(sys.argv[1:])
    start_kernel(kernel_argv, prepare(opts), int(opts.get("stream_limit", 1_000_000)))
