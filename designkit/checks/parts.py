"""The records of a problem set's visible checks (`Part`, `ProblemSet`) and the non-revealing digests of numeric
answers. A leaf module: the per-set modules (`designkit.checks.sets`) and the runner (`designkit.checks.loop`) both
import it, so neither imports the other at module level.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_ITERATIONS = 20_000  # pbkdf2 rounds per digest: ~10 ms, so trying every candidate value is slow work


@dataclass(frozen=True)
class Part:
    """One autograded part: its grade cell id, points, the variable it reads and its visible check.

    ``check(value, namespace)`` raises AssertionError with a teaching message, or returns a sentence saying
    what it checked (e.g. "the type and the range are right; the hidden tests check the value").
    """

    id: str
    points: float
    variable: str
    check: Callable[[Any, dict[str, Any]], str]

    @property
    def number(self) -> str:
        return self.id.split("-")[0].lstrip("q")


@dataclass(frozen=True)
class ProblemSet:
    """A problem set's autograded parts, and its parts a person grades (``{"q7": 3}``: part -> points)."""

    name: str
    parts: tuple[Part, ...]
    rubric: dict[str, float] = field(default_factory=dict)

    def find(self, part_id: str) -> Part:
        for candidate in self.parts:
            if candidate.id == part_id:
                return candidate
        raise ValueError(f"{self.name} has no autograded part {part_id!r}; its parts: {[p.id for p in self.parts]}")


# ------------------------------------------------------------------------------------------------ digests
def _digest(text: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", text.encode(), f"designkit:{salt}".encode(), _ITERATIONS).hex()[:20]


def _as_text(value: float, decimals: int) -> str:
    return f"{round(float(value), decimals):.{decimals}f}"


def digests(value: float, *, tol: float, decimals: int, salt: str) -> list[str]:
    """The digests of every rounded value within ``tol`` of ``value`` (for authors, never run in a notebook).

    >>> len(digests(17.0, tol=0.5, decimals=0, salt="q2"))  # 16, 17 and 18
    3
    """
    step = 10.0 ** -decimals
    low, high = round((value - tol) / step), round((value + tol) / step)
    return sorted({_digest(_as_text(k * step, decimals), salt) for k in range(low, high + 1)})


def matches(value: float, expected: list[str] | tuple[str, ...], *, decimals: int, salt: str) -> bool:
    """Whether ``value``, rounded to ``decimals``, has one of the ``expected`` digests.

    >>> matches(float("nan"), ["x"], decimals=1, salt="q1")
    False
    """
    if not math.isfinite(float(value)):
        return False
    return _digest(_as_text(value, decimals), salt) in expected
