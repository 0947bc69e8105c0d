"""Former home of the text rules, kept so that ``from ._text import ...`` in older code still works.

The rules live in :mod:`designkit.framing.rules`; import them from there.
"""

from .rules import *  # noqa: F403
from .rules import __all__  # noqa: F401
