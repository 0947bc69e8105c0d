"""The autograded parts of each problem set, with the visible checks their grade cells run.

A module per set (``ps0_warm_up`` for ``source/ps0-warm-up``) defines ``PROBLEM_SET``. Visible checks hold no
answer in plain text: numbers are compared through :func:`designkit.checks.loop.digests`, and answers with few
possible values (a name, a set of names) are checked for their form only, and say so.

>>> get("ps1-child-mortality").find("q3-girls-higher").variable
'girls_higher'
>>> find_part("q3-girls-higher")[0].name
'ps1-child-mortality'
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

from ..parts import Part, ProblemSet

__all__ = ["find_part", "get", "names"]


def get(name: str) -> ProblemSet:
    """The problem set called ``name`` (the folder name under source/)."""
    try:
        module = import_module(f"{__name__}.{name.replace('-', '_')}")
    except ModuleNotFoundError:
        raise ValueError(f"no visible checks for problem set {name!r}: add designkit/checks/sets/"
                         f"{name.replace('-', '_')}.py (see source/README.md)") from None
    return module.PROBLEM_SET


def names() -> list[str]:
    """The problem sets that have visible checks (a module each in this package)."""
    return sorted(m.name.replace("_", "-") for m in pkgutil.iter_modules(__path__))


def find_part(part_id: str) -> tuple[ProblemSet, Part]:
    """The set and part with this grade cell id, looked up in the modules themselves (not in what a notebook's
    code could change): part ids are unique across the sets (tests/test_checks_loop.py checks it)."""
    hits = [(problem_set, one) for problem_set in map(get, names()) for one in problem_set.parts if one.id == part_id]
    if len(hits) != 1:
        raise ValueError(f"{len(hits)} problem sets have an autograded part {part_id!r}: part ids must be unique "
                         "across designkit/checks/sets/ (prefix the new set's ids)")
    return hits[0]
