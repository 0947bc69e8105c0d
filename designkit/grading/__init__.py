"""The grading engine: sandboxed, limited and guarded kernels for nbgrader's autograde.

Imported by :mod:`designkit.classroom` and by a course's ``nbgrader_config.py``, never by student code.
Plug it into any nbgrader app that autogrades (``nbgrader autograde`` itself included)::

    from designkit.grading import sandbox_config
    config.merge(sandbox_config())              # or sandbox_config(enabled=False) for --no-sandbox

How it is built (imports point down only; no cycle):

- :mod:`.spec` -- :class:`SandboxSpec`: mounts, capabilities, environment, limits, uid; rendered to a
  bubblewrap command or a fork-server request (standard library only);
- :mod:`.errors`, :mod:`.host` -- what can fail, and the machine's side (bubblewrap, private folders,
  stale leftovers, pids cgroups);
- :mod:`.kernel`, :mod:`.zygote` -- scripts that run inside the sandbox (limits, leaving root, the guard;
  the warm fork server);
- :mod:`.forkserver` -- runs the fork server process;
- :mod:`.provisioner` -- jupyter_client kernel provisioners that launch kernels from a spec;
- :mod:`.manager` -- the kernel managers nbgrader is configured with (they pick a provisioner);
- :mod:`.execute`, :mod:`.feedback` -- nbgrader preprocessors: the guarded executor and its evidence,
  feedback redaction; :mod:`.config` -- :func:`sandbox_config`, :func:`feedback_config`;
- :mod:`.canary` -- the pre-flight canary; :mod:`.hooks` -- the only jupyter_client internals relied on.

Threat model and defences
-------------------------
A submission is untrusted code that nbgrader runs next to the instructor's files. Each defence below
is tested by an attack in ``tests/test_attacks.py`` through real ``nbgrader autograde``.

*Filesystem* (bubblewrap, rendered from one :class:`SandboxSpec`). The kernel sees a read-only system (``/usr`` and
the few ``/etc`` files Python needs), the Python installation, the virtualenv and the designkit
package (also where an editable install points), read-only; a fresh ``/tmp``; and, writable, only its own folder
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

*Resources* (``setrlimit`` in :mod:`designkit.grading.kernel`; per-kernel uid): address space (default
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

Public face
-----------
>>> from designkit.grading import sandbox_config, parse_size
>>> parse_size("1G") == sandbox_config(enabled=False, memory="1G").GuardedKernelManager.memory
True
"""
from __future__ import annotations

from typing import Any

from .config import feedback_config, sandbox_config
from .errors import KernelStartFailed, SandboxUnavailable, unavailable_reason
from .host import bwrap_available, cleanup_stale, require_bwrap
from .spec import Limits, Mount, SandboxSpec, parse_size

# Heavier names (they import jupyter_client, nbclient or nbgrader) load on first use.
_LAZY = {
    "GuardedKernelManager": "manager", "SandboxKernelManager": "manager", "ForkServerKernelManager": "manager",
    "GuardedExecute": "execute", "RunEvidence": "execute", "CellEvent": "execute", "read_evidence": "execute",
    "RedactFeedback": "feedback", "CanaryResult": "canary", "run_canary": "canary", "course_imports": "canary",
}

__all__ = ["CanaryResult", "CellEvent", "ForkServerKernelManager", "GuardedExecute", "GuardedKernelManager",
           "KernelStartFailed", "Limits", "Mount", "RedactFeedback", "RunEvidence", "SandboxKernelManager",
           "SandboxSpec", "SandboxUnavailable", "bwrap_available", "cleanup_stale", "course_imports",
           "feedback_config", "parse_size", "read_evidence", "require_bwrap", "run_canary", "sandbox_config",
           "unavailable_reason"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
