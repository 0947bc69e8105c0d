"""The autograded parts of each problem set, with the visible checks their grade cells run.

A module per set (``ps0_warm_up`` for ``source/ps0-warm-up``) defines ``PROBLEM_SET``. Visible checks hold no
answer in plain text: numbers are compared through :func:`designkit.checks.loop.digests`, and answers with few
possible values (a name, a set of names) are checked for their form only, and say so.

>>> get("ps1-child-mortality").find("q3-girls-higher").variable
'girls_higher'
"""

from __future__ import annotations

from importlib import import_module

from ..loop import ProblemSet

__all__ = ["get"]


def get(name: str) -> ProblemSet:
    """The problem set called ``name`` (the folder name under source/)."""
    try:
        module = import_module(f"{__name__}.{name.replace('-', '_')}")
    except ModuleNotFoundError:
        raise ValueError(f"no visible checks for problem set {name!r}: add designkit/checks/sets/"
                         f"{name.replace('-', '_')}.py (see source/README.md)") from None
    return module.PROBLEM_SET
