"""What the grading engine raises, so the orchestrator can tell a refusal, a failed start and a crash apart.

>>> issubclass(KernelStartFailed, RuntimeError), str(KernelStartFailed("bwrap: no permission"))
(True, 'failed to start: bwrap: no permission')
"""
from __future__ import annotations

import os
import shutil

NOT_FOUND = ("bubblewrap (bwrap) not found: install it (apt-get install bubblewrap) or pass --no-sandbox "
             "to grade without a sandbox (only for code you trust)")
NEEDS_ROOT = ("the grading sandbox needs root: it gives each kernel its own unprivileged uid, which only "
              "root may do; run the grader as root (as a JupyterHub service or in its container) or pass "
              "--no-sandbox")
UNAVAILABLE = NOT_FOUND  # the name the sandbox used before it had its own package


def unavailable_reason() -> str:
    """Why the sandbox cannot run here, and what to do."""
    if shutil.which("bwrap") and os.geteuid() != 0:
        return NEEDS_ROOT
    return NOT_FOUND


class SandboxUnavailable(RuntimeError):
    """Raised when grading is asked to sandbox kernels but bubblewrap cannot run here.

    >>> str(SandboxUnavailable("x"))
    'x'
    """

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or unavailable_reason())


class KernelStartFailed(RuntimeError):
    """A grading kernel (or the fork server that makes kernels) did not start: a set-up problem of the
    grading machine, not something the submission did. The message starts with "failed to start: " and
    carries the kernel's own error."""

    prefix = "failed to start: "

    def __init__(self, error: str) -> None:
        super().__init__(error if error.startswith(self.prefix) else self.prefix + error)


class ForkServerError(KernelStartFailed):
    """The fork server could not start or answer; the message says why."""
