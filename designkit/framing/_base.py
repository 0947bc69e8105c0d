"""Shared machinery of the framing models: feedback, errors, JSON and type checks.

Where an error is reported (the rule every model follows):

- **Structural errors raise** :class:`FramingError` (a ``ValueError``) at construction, in
  ``from_json`` and again at the start of ``validate()`` (the models are mutable, so a widget or a
  student may have changed a field since): a field of the wrong type, a number outside its scale,
  an emotion outside -2..+2, an unknown stakeholder role, a node reached twice in a problem tree,
  malformed JSON or JSON describing another model. Such a model cannot be drawn or saved.
- **Quality of the framing is reported** by ``validate()`` as :class:`Feedback`: an empty text, too
  few causes, a core problem phrased as a missing solution, a quote without a source... A model in
  progress (even an empty one) is legal; ``validate()`` tells the student what to do next.

>>> Feedback("problem", "too-few-causes", "Add causes.").level
'problem'
"""

from __future__ import annotations

import difflib
import json
import math
import numbers
from typing import Any, ClassVar, TypeVar

from designkit.i18n import _

from ._records import LEVELS, CaseItem, Feedback, FramingError, listing  # noqa: F401  (re-exported: the models import them from here)

SCHEMA_VERSION = 1

T = TypeVar("T", bound="FramingModel")


def filler_feedback(parts: list[tuple[str, str]]) -> list[Feedback]:
    """A ``vague-wording`` problem for each (what, text) part that uses filler words ("stuff", "things"...).

    >>> [f.code for f in filler_feedback([("stage", "do things"), ("stage", "wait for the result")])]
    ['vague-wording']
    """
    from .rules import filler_words

    out = []
    for what, text in parts:
        filler = filler_words(text)
        if filler:
            out.append(Feedback(
                "problem", "vague-wording",
                _("The {what} '{text}' uses filler words ({filler}) that stand for something not named yet. Say "
                  "exactly what, who or where.",
                  what=_(what), text=text, filler=listing(filler)), where=text))
    return out


def _describe(value: Any) -> str:
    """A short, student-readable description of a value's type, e.g. "text '7'"."""
    if value is None:
        return "None"
    if value is ...:
        return _("`...` (not filled in yet)")
    if isinstance(value, bool):
        return _("True/False ({value})", value=value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return _("text {shown}", shown=repr(shown))
    if isinstance(value, int | float):
        return _("the number {value}", value=repr(value))
    if isinstance(value, list | tuple):
        return _("a {kind} of {n} item(s)", kind=type(value).__name__, n=len(value))
    if isinstance(value, dict):
        return _("a dict")
    return f"a {type(value).__name__}"


def check_text(value: Any, what: str) -> str:
    """Return ``value`` if it is a str, else raise FramingError naming ``what``.

    >>> check_text("high infant mortality", "core_problem")
    'high infant mortality'
    """
    if not isinstance(value, str):
        raise FramingError(_('{what} must be text (a str), but it is {value}. Write it in quotes, e.g. "...".',
                             what=what, value=_describe(value)))
    return value


def check_optional_text(value: Any, what: str) -> str | None:
    """Return ``value`` if it is a str or None, else raise FramingError."""
    if value is None:
        return None
    return check_text(value, what)


def check_text_list(value: Any, what: str) -> list[str]:
    """Return a list of str; a single str becomes a one-item list. Anything else raises FramingError.

    >>> check_text_list("wait at the clinic", "actions")
    ['wait at the clinic']
    """
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list | tuple):
        raise FramingError(_('{what} must be a list of texts, e.g. ["first", "second"], but it is {value}.',
                             what=what, value=_describe(value)))
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise FramingError(_("{what}[{i}] must be text (a str), but it is {item}.",
                                 what=what, i=i, item=_describe(item)))
    return list(value)


def check_number(value: Any, what: str, low: float, high: float) -> int | float:
    """Return ``value`` as a plain int/float if it is a real number in ``[low, high]``, else raise FramingError.

    >>> check_number(4, "interest of 'Mothers'", 1, 5)
    4
    """
    bounded = math.isfinite(low) and math.isfinite(high)
    wanted = _("a number from {low:g} to {high:g}", low=low, high=high) if bounded else _("a number")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise FramingError(_("{what} must be {wanted}, but it is {value}.",
                             what=what, wanted=wanted, value=_describe(value)))
    # numpy and other numeric types become plain int/float, so that JSON can store them
    value = int(value) if isinstance(value, numbers.Integral) else float(value)
    if not math.isfinite(value):
        raise FramingError(_("{what} is {value}: it must be {wanted}.",
                             what=what, value=repr(value), wanted=wanted))
    if not low <= value <= high:
        raise FramingError(_("{what} is {value}, outside the scale {low:g} to {high:g}: choose a value from {low:g} (lowest) "
                             "to {high:g} (highest).", what=what, value=repr(value), low=low, high=high))
    return value


def check_scale(value: Any, what: str = "scale") -> tuple[float, float]:
    """Return a (low, high) tuple with low < high; lists from JSON become tuples.

    >>> check_scale([1, 5])
    (1, 5)
    """
    if (not isinstance(value, list | tuple) or len(value) != 2
            or any(isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) for v in value)):
        raise FramingError(_("{what} must be a pair of numbers (low, high) such as (1, 5), but it is {value}.",
                             what=what, value=_describe(value)))
    low, high = value
    if not low < high:
        raise FramingError(_("{what} is {value}: the first number (low) must be smaller than the second (high).",
                             what=what, value=tuple(value)))
    return (low, high)


def check_items(value: Any, cls: type, what: str) -> list:
    """Return ``value`` as a list whose items are all ``cls`` instances, else raise FramingError."""
    if not isinstance(value, list | tuple):
        raise FramingError(_("{what} must be a list of {name} objects, but it is {value}.",
                             what=what, name=cls.__name__, value=_describe(value)))
    for i, item in enumerate(value):
        if not isinstance(item, cls):
            raise FramingError(_("{what}[{i}] must be a {name}(...), but it is {item}. Create it with {name}(...).",
                                 what=what, i=i, name=cls.__name__, item=_describe(item)))
    return list(value)


def parse_json(text_or_dict: Any, model: str) -> dict:
    """Parse JSON text (or accept a dict) describing ``model``; FramingError when malformed or another model."""
    if isinstance(text_or_dict, bytes):
        text_or_dict = text_or_dict.decode("utf-8", errors="replace")
    if isinstance(text_or_dict, str):
        try:
            data = json.loads(text_or_dict)
        except json.JSONDecodeError as err:
            raise FramingError(_("This is not valid JSON for a {model}: {msg} at line {lineno}, column {colno}. Check the quotes, "
                                 "commas and brackets there, or re-save the model with .to_json().", model=model, msg=err.msg, lineno=err.lineno, colno=err.colno)) from None
    elif isinstance(text_or_dict, dict):
        data = text_or_dict
    else:
        raise FramingError(_("{model}.from_json needs JSON text or a dict, but got {text_or_dict}.",
                             model=model, text_or_dict=_describe(text_or_dict)))
    if not isinstance(data, dict):
        raise FramingError(_("The JSON for a {model} must be an object {{...}}, but it is {data}.",
                             model=model, data=_describe(data)))
    kind = data.get("type", model)
    if kind != model:
        raise FramingError(_("This JSON describes a {kind}, not a {model}: load it with {kind2}.from_json(...) or "
                             "designkit.framing.load(path).", kind=repr(kind), model=model, kind2=kind))
    version = data.get("version", SCHEMA_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FramingError(_("The JSON 'version' of this {model} must be a whole number >= 1, not {version}.",
                             model=model, version=repr(version)))
    if version > SCHEMA_VERSION:
        raise FramingError(_("This {model} was saved with format version {version}, newer than this designkit understands "
                             "({schema_version}): update designkit.",
                             model=model, version=version, schema_version=SCHEMA_VERSION))
    return {k: v for k, v in data.items() if k not in ("type", "version")}


def take_fields(data: Any, what: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    """Check a JSON object's keys: all ``required`` present, nothing unknown (catches typos)."""
    if not isinstance(data, dict):
        raise FramingError(_("{what} must be a JSON object {{...}}, but it is {data}.",
                             what=what, data=_describe(data)))
    known = required + optional
    unknown = [k for k in data if k not in known]
    if unknown:
        close = [difflib.get_close_matches(str(k), known, n=1) for k in unknown]
        hints = [f"{k!r} (did you mean {c[0]!r}?)" if c else repr(k) for k, c in zip(unknown, close, strict=True)]
        raise FramingError(_("{what} has unknown field(s) {hints}: check the spelling (known fields: {known}).",
                             what=what, hints=listing(hints), known=listing(known)))
    missing = [k for k in required if k not in data]
    if missing:
        raise FramingError(_("{what} is missing the field(s) {missing}: add them.",
                             what=what, missing=listing(missing)))
    return data


class FramingModel:
    """Mixin for the six models: JSON round trip, ``ok`` and the validate() contract.

    Subclasses define ``to_dict()``, ``from_dict(data)``, ``check()`` (structural; raises
    FramingError) and ``_feedback()`` (quality; returns a list of Feedback).
    """

    MODEL: ClassVar[str] = ""

    def to_dict(self) -> dict:  # pragma: no cover - overridden
        raise NotImplementedError

    @classmethod
    def from_dict(cls: type[T], data: dict) -> T:  # pragma: no cover - overridden
        raise NotImplementedError

    def check(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _feedback(self) -> list[Feedback]:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_json(self) -> str:
        """The model as JSON text (indent 2) with a ``type`` and a ``version`` field."""
        self.check()
        data = {"type": self.MODEL, "version": SCHEMA_VERSION, **self.to_dict()}
        return json.dumps(data, indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls: type[T], text_or_dict: str | dict) -> T:
        """Rebuild the model from ``to_json()`` text (or the dict it holds); FramingError if malformed."""
        return cls.from_dict(parse_json(text_or_dict, cls.MODEL))

    def case_items(self) -> list[CaseItem]:
        """The parts of this model that should be about a case, each with the source keys it cites (see
        :class:`CaseItem`); used by ``validate(case=...)`` and ``designkit.checks.evidence_supports``/``on_case``."""
        return []

    def validate(self, case: str | None = None) -> list[Feedback]:
        """Problems, suggestions and strengths of this framing (raises FramingError if malformed).

        With ``case`` (a name from ``designkit.framing.claims.cases()``), the feedback also says which parts are
        not about the case and which cited sources do not support what the part says (see
        ``designkit/framing/_case.py``).
        """
        self.check()
        found = self._feedback()
        if case is not None:
            from ._case import case_feedback

            found = case_feedback(self, case, found)
        return found

    @property
    def ok(self) -> bool:
        """True when ``validate()`` reports no problem (suggestions and strengths are fine)."""
        return not any(f.level == "problem" for f in self.validate())
