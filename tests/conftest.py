"""Shared fixtures for the whole suite: small and generic.

- ``repo_root``: the checkout (a ``pathlib.Path``).
- ``course_copy``: a factory that copies the course (``nbgrader_config.py`` and ``source/``) into a fresh
  temporary folder, so nbgrader can write its gradebook and grading folders without dirtying the repo.
- ``timings``: a dict tests fill with measured seconds (``timings["ps0 solution"] = 2.1``); the values
  are printed at the end of the run, never asserted tightly.

Figures render with matplotlib's Agg backend everywhere in the suite (kernels inherit it too). The folder of
the running Python (the virtualenv's ``bin``) goes first on ``PATH``: nbgrader runs the ``alembic`` command when it
creates a gradebook, and the kernels it starts should be this environment's.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
_BIN = os.path.dirname(sys.executable)
if os.environ.get("PATH", "").split(os.pathsep)[0] != _BIN:
    os.environ["PATH"] = _BIN + os.pathsep + os.environ.get("PATH", "")

ROOT = Path(__file__).resolve().parents[1]
_TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The root of the checkout (where ``nbgrader_config.py`` lives)."""
    return ROOT


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Return ``make(assignments=None) -> Path``: a temporary copy of the course folder.

    The copy holds ``nbgrader_config.py`` (which sets the course root to its own folder), the header
    notebook and the given ``source/<assignment>`` folders (all of them when ``assignments`` is None).

    >>> course = course_copy(["ps0-warm-up"])   # doctest: +SKIP
    >>> (course / "source" / "ps0-warm-up").is_dir()   # doctest: +SKIP
    True
    """

    def make(assignments: Iterable[str] | None = None) -> Path:
        course = tmp_path_factory.mktemp("course")
        shutil.copy2(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
        (course / "source").mkdir()
        for item in (ROOT / "source").iterdir():
            if item.is_file():
                shutil.copy2(item, course / "source" / item.name)
        names = [p.name for p in (ROOT / "source").iterdir() if p.is_dir()] if assignments is None else assignments
        for name in names:
            if not (ROOT / "source" / name).is_dir():
                raise FileNotFoundError(f"source/{name} does not exist in {ROOT}: check the assignment name.")
            shutil.copytree(
                ROOT / "source" / name,
                course / "source" / name,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
            )
        return course

    return make


@pytest.fixture(scope="session")
def timings() -> dict[str, float]:
    """A dict of measured durations in seconds, reported at the end of the run."""
    return _TIMINGS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the durations tests recorded in ``timings`` (measured, not asserted)."""
    if not _TIMINGS:
        return
    terminalreporter.section("measured durations (s)")
    for name, seconds in sorted(_TIMINGS.items()):
        terminalreporter.write_line(f"{seconds:7.2f}  {name}")


@pytest.fixture(autouse=True)
def _keep_pytests_main_module():
    """A test that starts an IPython shell leaves IPython's namespace module in ``sys.modules["__main__"]``
    (it has no ``__spec__``), and every later test that starts worker processes fails in multiprocessing's
    spawn: put pytest's own back after each test."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main
