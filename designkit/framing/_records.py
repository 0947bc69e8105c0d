"""The plain records every framing module shares: feedback, the parts of a model that should be about a case,
and the error malformed input raises. A leaf module (imports nothing from the package), so that the case
checks (`_case.py`, `claims.py`) and the models' base (`_base.py`) can all use it without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from designkit.i18n import N_, _

LEVELS = ("problem", "suggestion", "strength")
# How a level is shown in printed feedback (the level itself is an id, like a feedback code).
LEVEL_NAMES = {"problem": N_("problem"), "suggestion": N_("suggestion"), "strength": N_("strength")}


class FramingError(ValueError):
    """A framing model was given malformed input; the message says what is wrong and how to fix it.

    >>> raise FramingError("emotion must be -2..2")
    Traceback (most recent call last):
    ...
    designkit.framing._records.FramingError: emotion must be -2..2
    """


@dataclass(frozen=True)
class CaseItem:
    """One part of a model that should be about the case: ``what`` it is ("cause", "pain point of 'Waiting'"),
    its ``text``, the source ``keys`` it cites, and whether it should read as a ``statement`` (names of
    stakeholders need not).

    >>> CaseItem("cause", "results travel by courier", ("seidenberg2012",)).keys
    ('seidenberg2012',)
    """

    what: str
    text: str
    keys: tuple[str, ...] = ()
    statement: bool = True
    relevance: bool = True  # False: checked against its sources only (a pain point, judged with its stage)


@dataclass(frozen=True)
class Feedback:
    """One piece of formative feedback from ``validate()``.

    ``level`` is ``"problem"`` (must fix), ``"suggestion"`` (worth considering) or ``"strength"``
    (keep doing this); ``code`` is stable (tests and grade cells rely on it, see ``CODES``);
    ``message`` teaches in plain words; ``where`` names the part of the model concerned.

    >>> print(Feedback("suggestion", "evidence-missing", "Cite a source.", where="causes"))
    [suggestion] Cite a source. (causes)
    """

    level: str
    code: str
    message: str
    where: str = ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise FramingError(_("Feedback level {level} is unknown: use one of {levels}.",
                                 level=repr(self.level), levels=listing(LEVELS)))

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        return f"[{_(LEVEL_NAMES[self.level])}] {self.message}{where}"


def listing(items: object, sep: str = ", ") -> str:
    """Items joined for a message in the course language: ", " in English, "、" in Chinese ("; " -> "；").

    >>> from designkit.i18n import set_lang
    >>> set_lang("en"); listing(["stuff", "things"]); set_lang("zh-CN"); listing(["东西", "事情"]); set_lang(None)
    'stuff, things'
    '东西、事情'
    """
    from designkit.i18n import lang

    if lang() == "zh-CN":
        sep = {", ": "、", "; ": "；"}.get(sep, sep)
    return sep.join(str(i) for i in items)  # type: ignore[attr-defined]


def quote(text: str) -> str:
    """``text`` quoted for a message: ``repr`` in English ('pain points'), “…” in Chinese (“痛点”).

    >>> from designkit.i18n import set_lang
    >>> set_lang("en"); quote("pain points"); set_lang("zh-CN"); quote("痛点"); set_lang(None)
    "'pain points'"
    '“痛点”'
    """
    from designkit.i18n import lang

    return f"“{text}”" if lang() == "zh-CN" else repr(text)
