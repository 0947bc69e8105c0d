"""Every docstring example in `designkit` runs in the suite (the same as `pytest --doctest-modules designkit`),
and none of them only prints a name back (`>>> f.__name__`), which checks nothing.

>>> sorted(_modules())[:2]
['designkit', 'designkit.checks']
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re

import pytest

import designkit

# A docstring example that looks up a function's own name (`f.__name__` -> 'f') can never fail.
NAME_LOOKUP = re.compile(r"^(?P<path>[\w.()]+)\.__name__$")


def _echoes_its_name(example: doctest.Example) -> bool:
    match = NAME_LOOKUP.match(example.source.strip())
    if not match:
        return False
    looked_up = match.group("path").replace("()", "").split(".")[-1]
    return example.want.strip().strip("'\"") == looked_up


def _modules() -> list[str]:
    names = [designkit.__name__]
    names += [m.name for m in pkgutil.walk_packages(designkit.__path__, prefix="designkit.")
              if not m.name.endswith("__main__")]
    return names


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False,
                             report=True)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} docstring examples failed (see above)"


@pytest.mark.parametrize("name", _modules())
def test_no_docstring_example_only_echoes_a_name(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    echo = [f"{t.name}: {ex.source.strip()}" for t in finder.find(module) if t.name.startswith(name)
            for ex in t.examples if _echoes_its_name(ex)]
    assert not echo, f"{name}: docstring examples that check nothing (show what the function does instead): {echo}"
