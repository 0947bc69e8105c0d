"""Feedback that needs a case: is each part about the case, and does each cited source say what the part says?

``model.validate(case="mwana")`` adds, to the model's own feedback (codes in ``designkit.framing.CODES``):

- ``off-case`` (problem): fewer than half of the model's parts (``model.case_items()``) are about the case,
  i.e. fewer than half reach the case table's relevance threshold (``claims.ClaimsTable.on_case``);
- ``item-off-case`` (suggestion): one part shares (almost) no words with the case; a person will check it;
- ``evidence-unsupported`` (problem): a part cites a source of the case that states no such thing (no claim of
  that source matches, see ``claims.ClaimsTable.match``); the message says what the source does support;
- ``evidence-unchecked`` (suggestion): a part cites a key that has no claims in the case's table;
- ``evidence-supported`` (strength): parts whose every cited source states what they say.

When the case finds the artefact ``off-case``, every strength of the model is withdrawn (nothing about an artefact
on another subject deserves praise); when it finds another problem, the overall strengths (``well-framed``,
``pov-well-formed``, ``evidence-given``) are: a well-formed artefact built on unsupported claims is not well framed.
"""

from __future__ import annotations

from designkit.i18n import N_, _

from ._records import CaseItem, Feedback, listing
from .claims import ClaimsTable, load
from .rules import is_statement

OVERALL_STRENGTHS = frozenset({"well-framed", "pov-well-formed", "evidence-given"})
MIN_ON_CASE = 0.5
# The names of the parts of a model (CaseItem.what) that feedback shows, so that they are translated too.
ITEM_LABELS = (N_("core problem"), N_("cause"), N_("deeper cause"), N_("effect"), N_("deeper effect"),
               N_("core objective"), N_("means"), N_("deeper means"), N_("end"), N_("deeper end"), N_("question"),
               N_("user"), N_("need"), N_("insight"), N_("context"), N_("goal"),
               N_("frustration"), N_("idea"), N_("stakeholder"), N_("stage"))


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 3] + "..."


def relevance_feedback(items: list[CaseItem], table: ClaimsTable) -> list[Feedback]:
    """``off-case`` / ``item-off-case`` for the items of one model."""
    items = [i for i in items if i.text.strip() and i.relevance]
    if not items:
        return []
    off = [i for i in items if not table.on_case(i.text)]
    if len(items) - len(off) < MIN_ON_CASE * len(items):
        listed = listing((f"{_(i.what)} '{_short(i.text)}'" for i in off[:4]), "; ") + (" ..." if len(off) > 4 else "")
        return [Feedback(
            "problem", "off-case",
            _("{n_off} of {n_items} parts are not about the case ({title}): {listed}. Build this artefact from "
              "the case: what its sources say about the people, the steps and the delays.",
              n_off=len(off), n_items=len(items), title=table.shown_title, listed=listed),
            where="case")]
    return [Feedback(
        "suggestion", "item-off-case",
        _("The {what} '{text}' shares almost no words with the case ({title}). If it is about the case, say"
          " how (who, where, which step); a person will check it.", what=_(i.what), text=_short(i.text), title=table.shown_title), where=i.text) for i in off]


def evidence_feedback(items: list[CaseItem], table: ClaimsTable) -> list[Feedback]:
    """``evidence-unsupported`` / ``evidence-unchecked`` / ``evidence-supported`` for the items that cite keys."""
    out: list[Feedback] = []
    supported: list[str] = []
    for item in items:
        if not item.keys or not item.text.strip():
            continue
        unsupported = []
        for key in item.keys:
            if key not in table.claims:
                out.append(Feedback(
                    "suggestion", "evidence-unchecked",
                    _("The {what} '{text}' cites {key}, which has no claims in the table of this case (its sources: "
                      "{keys}), so the kit cannot check it: a person will.",
                      what=_(item.what), text=_short(item.text), key=key, keys=listing(table.keys)),
                    where=item.text))
            elif table.match(key, item.text, statement=item.statement) is None:
                unsupported.append(key)
        for key in unsupported:
            keywords = item.statement and not is_statement(item.text) and any(
                c.groups_match(item.text) for c in table.claims_of(key))
            why = (" " + _("It reads as a list of keywords, not a statement: say what happens, to whom, and how it "
                           "shows.") if keywords else "")
            out.append(Feedback(
                "problem", "evidence-unsupported",
                _("The {what} '{text}' cites {key}, but that source does not say this.{why} {key} supports: "
                  "{supported}. Cite the source that states it, or change the {what} to what the source shows.",
                  what=_(item.what), text=_short(item.text), key=key, why=why, supported=table.supported(key)), where=item.text))
        if not unsupported and any(k in table.claims for k in item.keys):
            supported.append(item.text)
    if supported:
        out.append(Feedback(
            "strength", "evidence-supported",
            _("{n_supported} part(s) say what their cited source states ({short}). A person still judges "
              "whether they are the causes that matter most.",
              n_supported=len(supported), short=listing(map(_short, supported), '; ')), where="evidence"))
    return out


def case_feedback(model: object, case: str, found: list[Feedback]) -> list[Feedback]:
    """``found`` (the model's own feedback) plus the case's feedback; strengths go when it adds a problem.

    >>> from designkit.framing import HowMightWe
    >>> hmw = HowMightWe("How might we help girls in Madrid score more goals at football?")
    >>> [f.code for f in hmw.validate()], [f.code for f in case_feedback(hmw, "mwana", hmw.validate())]
    (['well-framed'], ['off-case'])
    """
    table = load(case)
    items = model.case_items()  # type: ignore[attr-defined]
    added = relevance_feedback(items, table) + evidence_feedback(items, table)
    if any(f.code == "off-case" for f in added):
        found = [f for f in found if f.level != "strength"]
    elif any(f.level == "problem" for f in added):
        found = [f for f in found if f.code not in OVERALL_STRENGTHS]
    return found + added
