"""Checks that an artefact is about its case and that its evidence supports it: ``evidence_supports``,
``on_case``, ``not_vague``.

A citation key proves nothing by itself. ``evidence_supports`` reads each part that cites a source (a cause or
effect of a ProblemTree, a pain point of a JourneyMap stage, the insight of a PointOfView, a stakeholder's notes)
and requires that one of that source's claims, in the case's claims table (``designkit.framing.claims``), says
what the part says, written as a statement, not a list of keywords. ``on_case`` requires the parts to be about
the case (their words are the case's words). ``not_vague`` refuses filler ("stuff", "things", "places"),
feelings for needs and insights that give no reason. What no rule can judge (is this the right core problem? is
the insight true?) is left to the person who grades the written parts.

The model must be one of designkit's framing classes (exactly); its parts are read by that class's own code.

>>> from designkit.framing import Node, ProblemTree
>>> tree = ProblemTree("delayed HIV test results for infants",
...                    [Node("children eat too much fruit", evidence="seidenberg2012")], [])
>>> evidence_supports(tree, "mwana", name="tree")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
AssertionError: `tree`: 1 part(s) cite a source that does not say what they say:
- the cause 'children eat too much fruit' cites seidenberg2012, which does not say this; seidenberg2012 supports: ...
>>> not_vague("How might we help children do stuff in places?", name="hmw")
Traceback (most recent call last):
...
AssertionError: `hmw` is vague: it uses filler words (stuff, places) that stand for something not named yet. Say exactly what should change, for whom, where and when.
"""

from __future__ import annotations

import re
from typing import Any

from designkit.framing import MODELS, CaseItem, FramingError, claims
from designkit.framing.rules import (
    GENERIC_VERBS,
    cited_keys,
    content_words,
    filler_words,
    is_statement,
    stem,
    vague_phrases,
    without_citations,
)
from designkit.i18n import N_, _

from ._common import fail, kind_of, not_computed

#: The parts of a framing model as ``CaseItem.what`` names them, and the cases' titles (shown in messages).
PART_NAMES = (N_("cause"), N_("effect"), N_("deeper cause"), N_("deeper effect"), N_("core problem"),
              N_("core objective"), N_("means"), N_("end"), N_("deeper means"), N_("deeper end"), N_("question"),
              N_("user"), N_("need"), N_("insight"), N_("sentence"), N_("part"), N_("context"), N_("goal"),
              N_("frustration"))
CASE_TITLES = (N_("MobileVRS, birth registration in Uganda"),
               N_("Left-behind children in rural China and the Bijie deaths"),
               N_("REAP school anaemia trials, Shaanxi and Gansu (eggs versus vitamins)"),
               N_("Digital Drum kiosks, Uganda, and why ICT4D projects fail"),
               N_("Embrace infant warmer (Stanford Extreme, Nepal and India)"),
               N_("U-Report, SMS polls of young people in Uganda"),
               N_('Child Welfare Directors ("barefoot social workers"), China'),
               N_("Project Mwana, Zambia (SMS results of infant HIV tests), with the Malawi drone trials"))
_NAMED = re.compile(r"^(stage|pain point of|idea|stakeholder) '(.*)'$", re.S)


def _what(what: str) -> str:
    """A part's name (``CaseItem.what``) in the course language.

    >>> _what("stage 'Waiting'")
    "stage 'Waiting'"
    """
    m = _NAMED.match(what)
    if not m:
        return _(what)
    name = m.group(2)
    return {"stage": lambda: _("stage '{name}'", name=name), "pain point of": lambda: _("pain point of '{name}'", name=name),
            "idea": lambda: _("idea '{name}'", name=name),
            "stakeholder": lambda: _("stakeholder '{name}'", name=name)}[m.group(1)]()


VAGUE_CODES = ("vague-wording", "user-too-vague", "need-is-feeling", "insight-filler", "too-broad")
DEFAULT_MIN_SHARE = 0.75
_LIMIT = 6


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 3] + "..."


def _table(case: Any) -> claims.ClaimsTable:
    """The case's claims table; ValueError (an authoring bug, not the student's) for an unknown case."""
    try:
        return claims.load(case)
    except FramingError as err:
        raise ValueError(str(err)) from None


def _model_class(model: Any, name: str) -> type:
    not_computed(model, name)
    cls = MODELS.get(getattr(type(model), "MODEL", ""))
    if cls is None or type(model) is not cls:
        fail(_("`{name}` is {kind}, not a framing model: create it with ProblemTree(...), "
               "StakeholderMap(...), JourneyMap(...) or PointOfView(...) from designkit.framing.",
               name=name, kind=kind_of(model)))
    return cls


def _text_items(text: str) -> list[str]:
    return [s for s in (p.strip() for p in re.split(r"(?<=[.!?;])\s+|\n+", text)) if s.strip(" .;!?")]


def _items(model: Any, name: str) -> list[CaseItem]:
    """The parts of a framing model (read by its own class), or of an answer given as text (its sentences), a list
    of texts or a dict of texts (its values); inline citations "[@key]" are the keys a sentence cites."""
    if isinstance(model, str):
        return [CaseItem("sentence", without_citations(s).rstrip(" .;!?"), tuple(cited_keys(s)))
                for s in _text_items(str.__str__(model))]
    if isinstance(model, list | tuple | dict):
        values = list(model.values()) if isinstance(model, dict) else list(model)
        if all(isinstance(v, str) for v in values):
            return [CaseItem("part", without_citations(v), tuple(cited_keys(v))) for v in values if v.strip()]
    cls = _model_class(model, name)
    try:
        return cls.case_items(model)
    except FramingError as err:
        fail(_("`{name}` cannot be checked yet: {error}", name=name, error=err))
    raise AssertionError  # pragma: no cover - fail() always raises


def evidence_supports(model: Any, case: str, *, name: str = "your model", min_items: int = 1) -> None:
    """Check that every part of ``model`` that cites a source key is supported by that source: for each cited key,
    one of its claims in the ``case``'s claims table matches the part, written as a statement. Every cited key must
    be a source of the case, and at least ``min_items`` parts must cite one.

    ``model`` is a framing model (causes and effects cite keys in ``evidence=...`` or "[@key]" in their text;
    pain points, insights and stakeholders' notes with "[@key]"), or an answer as text (each sentence that ends
    with "[@key]" is checked), or a list or dict of such texts.

    >>> evidence_supports("In Macha only 30% of mothers had ever used a phone [@sutcliffe2017].", "mwana")

    >>> from designkit.framing import Node, ProblemTree
    >>> evidence_supports(ProblemTree("late results", [Node("results took weeks to reach the clinic",
    ...                   evidence="seidenberg2012")], []), "mwana", name="tree")
    """
    table = _table(case)
    items = [i for i in _items(model, name) if i.keys and i.text.strip()]
    if len(items) < min_items:
        fail(_("`{name}` has {n} part(s) citing a source; at least {min_items} should, with a key of this "
               "case's sources ({keys}), e.g. evidence=\"{key}\" on a cause or "
               "'[@{key}]' at the end of a pain point.", name=name, n=len(items), min_items=min_items,
               keys=", ".join(table.keys), key=table.keys[0]))
    problems: list[str] = []
    for item in items:
        for key in item.keys:
            if key not in table.claims:
                problems.append(_("the {what} '{text}' cites {key}, which is not a source of this "
                                  "case ({case}); its sources are {keys}", what=_what(item.what), text=_short(item.text),
                                  key=key, case=_(table.title), keys=", ".join(table.keys)))
            elif table.match(key, item.text, statement=item.statement) is None:
                keywords = item.statement and not is_statement(item.text) and any(
                    c.groups_match(item.text) for c in table.claims_of(key))
                how = (_(" (it reads as a list of keywords: write what happens, to whom, as a sentence)")
                       if keywords else "")
                problems.append(_("the {what} '{text}' cites {key}, which does not say "
                                  "this{how}; {key} supports: {supported}", what=_what(item.what),
                                  text=_short(item.text), key=key, how=how, supported=table.supported(key, limit=2)))
    if problems:
        shown = "\n".join(f"- {p}" for p in problems[:_LIMIT])
        more = "\n- " + _("and {n} more", n=len(problems) - _LIMIT) if len(problems) > _LIMIT else ""
        fail(_("`{name}`: {n} part(s) cite a source that does not say what they say:", name=name, n=len(problems))
             + f"\n{shown}{more}")


def on_case(model_or_text: Any, case: str, *, name: str = "your answer",
            min_share: float = DEFAULT_MIN_SHARE) -> None:
    """Check that at least ``min_share`` of the parts of a model (or of the sentences of a text, or of the texts of
    a list or dict) are about the ``case``: each part's content words are mostly the case's words
    (``ClaimsTable.on_case``).

    >>> on_case("Results took weeks to reach rural clinics by courier.", "mwana", name="cause")
    >>> on_case("Children eat too much fruit.", "mwana", name="cause")
    Traceback (most recent call last):
    ...
    AssertionError: `cause` is not about the case (Project Mwana, Zambia (SMS results of infant HIV tests), with the Malawi drone trials): 0 of 1 part(s) are; not about it: 'Children eat too much fruit'. Build it from what the case's sources say about its people, steps and delays.
    """
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be in (0, 1], not {min_share!r}")
    table = _table(case)
    not_computed(model_or_text, name)
    plain = isinstance(model_or_text, str)
    texts = [(_short(i.text) if plain else _("{what} '{text}'", what=_what(i.what), text=_short(i.text)), i.text)
             for i in _items(model_or_text, name) if i.relevance and i.text.strip()]
    if not texts:
        fail(_("`{name}` is empty: write your answer about the case ({case}).", name=name, case=_(table.title)))
    off = [label for label, text in texts if not table.on_case(text)]
    if len(texts) - len(off) < min_share * len(texts):
        listed = _("; ").join(f"'{x}'" if not x.endswith("'") else x for x in off[:_LIMIT])
        more = " " + _("and {n} more", n=len(off) - _LIMIT) if len(off) > _LIMIT else ""
        fail(_("`{name}` is not about the case ({case}): {n} of {total} part(s) "
               "are; not about it: {listed}. Build it from what the case's sources say about its people, "
               "steps and delays.", name=name, case=_(table.title), n=len(texts) - len(off), total=len(texts),
               listed=listed + more))


def not_vague(text_or_model: Any, *, name: str = "your answer") -> None:
    """Check that a text has no filler words ("stuff", "things", "places", "in general", "various") and is not only
    a vague aim ("to make children happy": an aim word such as happy, better, healthy with fewer than 2 other words
    that carry meaning), or that a model's ``validate()`` reports none of the vagueness codes (``VAGUE_CODES``:
    vague-wording, user-too-vague, need-is-feeling, insight-filler, too-broad).

    >>> not_vague("How might we help mothers in rural Monze learn their baby's HIV result in time?", name="hmw")
    """
    not_computed(text_or_model, name)
    if isinstance(text_or_model, str):
        text = str.__str__(text_or_model)
        filler, vague = filler_words(text), vague_phrases(text)
        if filler:
            fail(_("`{name}` is vague: it uses filler words ({words}) that stand for something not named "
                   "yet. Say exactly what should change, for whom, where and when.", name=name, words=_(", ").join(filler)))
        vague_words = {stem(w) for v in vague for w in v.split()} | set(GENERIC_VERBS)
        if vague and len([w for w in content_words(text) if w not in vague_words]) < 2:
            fail(_("`{name}` is vague: '{words}' could mean anything. Say what would change that someone "
                   "could see (who does what, where, by when).", name=name, words=_(", ").join(vague)))
        return None
    cls = _model_class(text_or_model, name)
    try:
        found = cls.validate(text_or_model)
    except FramingError as err:
        fail(_("`{name}` cannot be checked yet: {error}", name=name, error=err))
    hits = [f for f in found if f.code in VAGUE_CODES]
    if hits:
        fail(_("`{name}` is vague:", name=name) + "\n" + "\n".join(f"- [{f.code}] {f.message}" for f in hits))
    return None
