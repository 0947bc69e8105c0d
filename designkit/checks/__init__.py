"""What grade cells and students' self-checks call: comparisons that teach when they fail.

Every check returns None when the answer is right and raises ``AssertionError`` with a message a
first-year student can act on when it is not. ``name`` is how the message refers to the answer
(usually the variable's name). Wrong arguments from the *author* of a check (an expected value that is
not a number, an unknown feedback code) raise TypeError/ValueError instead.

- numbers: :func:`number`, :func:`rate_per_1000`, :func:`percent`, :func:`proportion`
- collections: :func:`same_set`, :func:`ordered`, :func:`top_n`
- tables: :func:`table` (imports pandas only when called)
- framing models: :func:`valid_model`, :func:`has_feedback`, :func:`no_feedback`
- the student's loop: :func:`begin` (set-up cell), :func:`part` (a grade cell's one line), :func:`hidden`,
  :func:`check_all` (the summary at the end of a set)
- case and evidence: :func:`evidence_supports` (cited sources state what each part says), :func:`on_case`
  (the parts are about the case), :func:`not_vague` (no filler, feelings or empty insights)

``import designkit.checks`` loads no pandas, matplotlib, ipywidgets or nbgrader.

>>> from designkit import checks
>>> checks.number(35.0, 35.0, name="days_to_caregiver", unit="days")
>>> checks.rate_per_1000(4.3, 43, name="u5mr")
Traceback (most recent call last):
...
AssertionError: `u5mr` should be a rate per 1,000 live births (expected about 43); your value 4.3 looks like a percentage (per 100). Multiply by 10 to get per 1,000, or divide by the live births and multiply by 1,000.
"""

from .evidence import evidence_supports, not_vague, on_case
from .loop import begin, check_all, hidden, part
from .models import has_feedback, no_feedback, valid_model
from .quantities import number, percent, proportion, rate_per_1000
from .sequences import ordered, same_set, top_n
from .tables import table

__all__ = ["begin", "check_all", "evidence_supports", "hidden", "part", "has_feedback", "no_feedback", "not_vague", "number", "on_case", "ordered",
           "percent", "proportion", "rate_per_1000", "same_set", "table", "top_n",
           "valid_model"]
