"""The grading engine: sandboxed, limited and guarded kernels for nbgrader's autograde.

Imported by :mod:`designkit.classroom` and by a course's ``nbgrader_config.py``, never by student code.
The public face is small; everything else is internal:

>>> from designkit.grading import sandbox_config, parse_size
>>> parse_size("1G") == sandbox_config(enabled=False, memory="1G").GuardedKernelManager.memory
True
"""
from __future__ import annotations

from .sandbox import (
    SandboxUnavailable,
    bwrap_available,
    feedback_config,
    parse_size,
    require_bwrap,
    sandbox_config,
    unavailable_reason,
)

__all__ = ["SandboxUnavailable", "bwrap_available", "feedback_config", "parse_size", "require_bwrap",
           "sandbox_config", "unavailable_reason"]
