"""nbgrader configuration that plugs the engine in: :func:`sandbox_config` and :func:`feedback_config`.

Imports the kernel machinery only when called, so merging :func:`feedback_config` in a course's
``nbgrader_config.py`` stays cheap for every other nbgrader command (a student's Validate included).

>>> c = sandbox_config(enabled=False)
>>> c.Execute.kernel_manager_class.__name__
'GuardedKernelManager'
"""
from __future__ import annotations

from typing import Any

from traitlets.config import Config

from .host import require_bwrap
from .spec import parse_size

SIZE_LIMITS = {"memory", "file_size", "tmp_size"}
COUNT_LIMITS = {"cpu_seconds", "processes", "threads", "open_files"}
EXECUTE_LIMITS = {"max_output_bytes", "max_image_bytes", "max_cell_bytes"}


def sandbox_config(enabled: bool = True, fast: bool = True, **limits: Any) -> Config:
    """nbgrader configuration that grades in sandboxed kernels (merge it into the autograde app's config).

    ``limits``: ``memory`` (bytes or "2G"), ``cpu_seconds``, ``processes``, ``threads``, ``file_size``,
    ``open_files``, ``tmp_size``, ``max_output_bytes`` (per text output), ``max_image_bytes``,
    ``max_cell_bytes``, ``preload``, ``evidence_dir`` (where each run's evidence JSON goes).
    ``enabled=False`` keeps the limits, output caps and guard but runs kernels unsandboxed (for
    ``--no-sandbox``). With ``enabled=True`` and no bubblewrap, raises :class:`SandboxUnavailable`.
    ``fast=True`` forks each sandboxed kernel from a warm server that has done the imports;
    ``fast=False`` starts each one from scratch.

    >>> sandbox_config(enabled=False, threads=2).GuardedKernelManager.threads
    2
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

    from .execute import GuardedExecute
    from .feedback import RedactFeedback
    from .manager import ForkServerKernelManager, GuardedKernelManager, SandboxKernelManager

    if enabled:
        require_bwrap()
    manager: type = GuardedKernelManager
    if enabled:
        manager = ForkServerKernelManager if fast else SandboxKernelManager
    c = Config()
    c.Execute.kernel_manager_class = manager
    c.Autograde.autograde_preprocessors = [
        GuardedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
        AssignLatePenalties, CheckCellMetadata]
    c.GenerateFeedback.preprocessors = [GetGrades, RedactFeedback, CSSHTMLHeaderPreprocessor]
    for key, value in limits.items():
        if key in EXECUTE_LIMITS:
            c.GuardedExecute[key] = parse_size(value)
        elif key == "evidence_dir":
            c.GuardedExecute[key] = str(value)
        elif key in SIZE_LIMITS:
            c.GuardedKernelManager[key] = parse_size(value)
        elif key in COUNT_LIMITS:
            c.GuardedKernelManager[key] = int(value)
        elif key == "preload":
            c.GuardedKernelManager[key] = str(value)
        else:
            raise ValueError(f"unknown sandbox limit {key!r}: use memory, cpu_seconds, processes, threads, "
                             "file_size, open_files, tmp_size, max_output_bytes, max_image_bytes, max_cell_bytes, "
                             "preload or evidence_dir")
    return c


def feedback_config() -> Config:
    """Configuration for ``nbgrader generate_feedback`` that hides hidden tests and grader paths.

    >>> [p.__name__ for p in feedback_config().GenerateFeedback.preprocessors][1]
    'RedactFeedback'
    """
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    from .feedback import RedactFeedback

    c = Config()
    c.GenerateFeedback.preprocessors = [GetGrades, RedactFeedback, CSSHTMLHeaderPreprocessor]
    return c
