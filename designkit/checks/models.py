"""Checks of framing models: ``valid_model``, ``has_feedback``, ``no_feedback``.

The model must be one of designkit's framing classes (exactly, not a subclass), and its feedback is
computed with that class's own ``validate`` (so a model cannot vouch for itself).

>>> from designkit.framing import HowMightWe
>>> valid_model(HowMightWe("How might we help mothers learn their baby's HIV result in time?"), name="hmw")
>>> has_feedback(HowMightWe("How might we build an app?"), "embeds-solution", name="hmw")
>>> valid_model(HowMightWe("How might we help girls in Madrid score more goals at football?"), name="hmw",
...             case="mwana")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
AssertionError: `hmw` has 1 problem(s) to fix:
- [off-case] 1 of 1 parts are not about the case (Project Mwana, ...
"""

from __future__ import annotations

from typing import Any

from designkit.framing import CODES, MODELS, Feedback, FramingError
from designkit.i18n import _

from ._common import fail, kind_of, not_computed


def _kind_name(kind: Any) -> str | None:
    if kind is None:
        return None
    name = kind if isinstance(kind, str) else getattr(kind, "MODEL", None)
    if name not in MODELS:
        raise ValueError(f"kind must be one of {', '.join(MODELS)} (a class or its name), not {kind!r}")
    return name


def _feedback(model: Any, name: str, kind: Any = None, case: str | None = None) -> list[Feedback]:
    """The model's feedback, computed by its real class (with ``case``: also the case's relevance and evidence
    feedback); fail for a wrong object or a malformed model."""
    not_computed(model, name)
    wanted = _kind_name(kind)
    cls = MODELS.get(getattr(type(model), "MODEL", ""))
    if cls is None or type(model) is not cls:
        example = f"{wanted}(...)" if wanted else "ProblemTree(...), Persona(...)"
        fail(_("`{name}` is {kind}, not a framing model: create it with {example} from designkit.framing.",
               name=name, kind=kind_of(model), example=example))
    if wanted and cls.MODEL != wanted:
        fail(_("`{name}` is a {model}, but a {wanted} is expected here.", name=name, model=cls.MODEL, wanted=wanted))
    if case is not None:
        from designkit.framing import claims

        if case not in claims.cases():
            raise ValueError(f"case must be one of {', '.join(claims.cases())}, not {case!r}")
    try:
        return cls.validate(model, case=case)
    except FramingError as err:
        fail(_("`{name}` cannot be checked yet: {error}", name=name, error=err))
    raise AssertionError  # pragma: no cover


def _known(code: str) -> None:
    if code not in CODES:
        raise ValueError(f"unknown feedback code {code!r}; the codes are listed in designkit.framing.CODES")


def valid_model(model: Any, *, name: str = "your model", kind: Any = None, case: str | None = None) -> None:
    """Check that ``model`` is a framing model (of ``kind``, a class or its name) whose ``validate()``
    reports no problem (suggestions and strengths are fine). With ``case`` (a name from
    ``designkit.framing.claims.cases()``), ``validate(case=...)`` is used: parts off the case and cited sources
    that do not state what a part says are problems too.

    >>> from designkit.framing import ProblemTree
    >>> valid_model(ProblemTree("lack of hospitals"), name="tree")
    Traceback (most recent call last):
    ...
    AssertionError: `tree` has 3 problem(s) to fix:
    - [core-is-missing-solution] 'lack of hospitals' describes a missing solution (hospitals), so it already assumes the answer. State the condition children or families experience instead: what goes wrong because hospitals is missing? For example 'high infant mortality' rather than 'lack of hospitals'.
    - [too-few-causes] The tree has 0 direct cause(s); a complete tree needs at least 3. Ask 'why does this happen?' and add the answers as causes below the core problem.
    - [too-few-effects] The tree has 0 effect(s); a complete tree needs at least 2. Ask 'what happens because of this?' and add the answers as effects above the core problem.
    """
    problems = [f for f in _feedback(model, name, kind, case) if f.level == "problem"]
    if problems:
        fail(_("`{name}` has {n} problem(s) to fix:", name=name, n=len(problems)) + "\n"
             + "\n".join(f"- [{f.code}] {f.message}" for f in problems))


def has_feedback(model: Any, code: str, *, name: str = "your model", kind: Any = None, hint: str = "",
                 case: str | None = None) -> None:
    """Check that ``validate()`` reports ``code`` (e.g. a strength the answer should earn, or the
    problem a deliberately flawed example should show). ``hint`` is added to the failure message.

    >>> from designkit.framing import Persona
    >>> has_feedback(Persona("Chipo", "a mother", ["know the result"], ["travel"]), "quote-sourced", name="persona",
    ...              hint="Add a quote from your interview notes with its source.")
    Traceback (most recent call last):
    ...
    AssertionError: `persona` does not show 'quote-sourced' yet (the quote carries its source). Add a quote from your interview notes with its source.
    """
    _known(code)
    found = _feedback(model, name, kind, case)
    if any(f.code == code for f in found):
        return None
    problems = [f for f in found if f.level == "problem"]
    extra = (" " + _("First fix:") + " " + " ".join(f"[{f.code}] {f.message}" for f in problems)) if problems and \
        CODES[code][0] != "problem" else ""
    fail(_("`{name}` does not show '{code}' yet ({meaning}).", name=name, code=code, meaning=_(CODES[code][1]))
         + ((" " + hint) if hint else "") + extra)


def no_feedback(model: Any, code: str, *, name: str = "your model", kind: Any = None, hint: str = "",
                case: str | None = None) -> None:
    """Check that ``validate()`` (``validate(case=...)`` with ``case``) does not report ``code``; the failure
    repeats the feedback's own message.

    >>> from designkit.framing import HowMightWe
    >>> no_feedback(HowMightWe("How might we help girls stay in school using tablets?"), "embeds-solution",
    ...             name="hmw")
    Traceback (most recent call last):
    ...
    AssertionError: `hmw` still has 'embeds-solution': The question already contains a solution ('using tablets'), which closes off other ideas before you have any. Ask about the outcome instead, e.g. 'How might we help girls stay in school?'
    """
    _known(code)
    hits = [f for f in _feedback(model, name, kind, case) if f.code == code]
    if hits:
        fail(_("`{name}` still has '{code}':", name=name, code=code) + " " + " ".join(f.message for f in hits)
             + (f" {hint}" if hint else ""))
