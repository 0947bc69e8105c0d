"""Claims tables: what each source of a case supports, so that evidence is checked against the claim, not the key.

A citation key proves nothing by itself: a cause "children eat too much fruit" with ``evidence="seidenberg2012"``
cites a real source that says nothing of the kind. Each case has a small YAML table shipped with the package
(``designkit/framing/claims/<case>.yml``) mapping source keys (keys of ``course/references.yml``) to the claims that
source really states, taken from the course's references and fact sheets, each with the words that identify it::

    case: mwana
    title: Project Mwana, Zambia (SMS results of infant HIV tests)
    threshold: 0.3                 # relevance above which a text is about the case
    vocabulary: [hiv, infant, pcr, laborator*, ...]
    claims:
      seidenberg2012:
        - id: facility-faster
          claim: With SMS the mean time for a result to reach the facility fell from 44.2 to 26.7 days
          claim_zh: 使用短信后，结果送到医疗机构的平均时间从 44.2 天降到 26.7 天
          words: [[result, notif*], [facilit*, clinic*], [day, week, time, delay*, wait*, faster, 结果, 诊所, 天]]

Chinese: ``title_zh`` and ``claim_zh`` are what a student working in Chinese reads; Chinese words sit in the same
word groups and vocabulary as the English ones and match where their characters occur in a Chinese text (a
one-character word only as a whole word or after a number: "周" in "几周", "天" in "28天").

**Matching** (:meth:`ClaimsTable.match`): every word group of a claim must match (a group is any-of), after
simple normalisation (lower case, possessive and plural endings removed: :func:`~designkit.framing.rules.stem`);
a word ending in ``*`` matches any word that starts with it; a phrase ("text message") matches its words in a
row. And the text must read as a statement (:func:`~designkit.framing.rules.is_statement`: at least 4 words,
a linking word and a verb or word of condition), so a list of the case's keywords ("HIV SMS results clinic
courier infant") matches no claim. Names (stakeholders) are matched with ``statement=False``.

**Relevance** (:meth:`ClaimsTable.relevance`): the share of a text's content words (:func:`~designkit.framing.rules.
content_words`: no stop words, no words every case shares such as children or mothers) found in the case's
vocabulary or claims; :meth:`ClaimsTable.on_case` compares it with the table's ``threshold``.

What a rule cannot judge (is this the right core problem? is the insight real?) stays with a person.

>>> table = load("mwana")
>>> table.match("seidenberg2012", "results took weeks to reach the clinic").id
'facility-faster'
>>> table.match("seidenberg2012", "children eat too much fruit") is None
True
>>> table.on_case("children eat too much fruit"), table.on_case("the PCR laboratory is far from rural clinics")
(False, True)
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from designkit.i18n import _

from ._records import FramingError, listing
from .rules import content_words, is_statement, stem, words

DEFAULT_THRESHOLD = 0.3
_PACKAGE_DIR = "claims"


@functools.lru_cache(maxsize=4096)
def _entry_tokens(entry: str) -> tuple[str, ...]:
    """An entry of a word group as stemmed tokens; a trailing ``*`` (prefix match) is kept on the last token."""
    out: list[str] = []
    for part in str(entry).split():
        if part.endswith("*"):  # "u-report*" -> "u", "report*": hyphens split words in texts too
            pieces = part.casefold().replace("-", " ").split()
            out += [stem(w) for w in pieces[:-1]] + pieces[-1:]
        else:
            out += [stem(w) for w in words(part.replace("-", " "))]
    return tuple(out)


def _is_cjk(entry: tuple[str, ...]) -> bool:
    return any("\u3400" <= c <= "\u9fff" for t in entry for c in t)


def _token_matches(pattern: str, token: str) -> bool:
    return token.startswith(pattern[:-1]) if pattern.endswith("*") else token == pattern


def _entry_in(entry: tuple[str, ...], stems: list[str], raw: list[str]) -> bool:
    """True when the entry's tokens occur in a row in the text (stems, or raw words for prefixes). A Chinese entry
    ("儿童主任") matches where its characters occur in the text, whichever way the segmenter cut them; a Chinese
    entry of one character ("村", "周") only as a whole word or after a number ("几周", "28天", "6100万"), since
    single characters occur inside many words."""
    if _is_cjk(entry):
        word = "".join(entry).rstrip("*")
        if len(word) > 1:
            return word in "".join(raw)
        counted = re.compile(rf"^(?:[\d.,]+|[几数每多两一二三四五六七八九十百千万]+)?{re.escape(word)}$")
        return any(counted.match(t) for t in raw)
    n = len(entry)
    if n == 1:  # most entries are one word: no need to walk the positions
        p = entry[0]
        if not p.endswith("*"):
            return p in stems
        return any(w.startswith(p[:-1]) for w in stems) or any(w.startswith(p[:-1]) for w in raw)
    for i in range(len(stems) - n + 1):
        if all(_token_matches(p, stems[i + j]) or (p.endswith("*") and _token_matches(p, raw[i + j]))
               for j, p in enumerate(entry)):
            return True
    return False


@dataclass(frozen=True)
class Claim:
    """One claim a source supports: ``key`` (the source), ``id``, the ``claim`` in words, and its word ``groups``.

    >>> c = Claim("sutcliffe2017", "phone-use", "Only 30% of mothers had used a phone", (("mother",), ("phone",)))
    >>> c.groups_match("few mothers have a phone"), c.groups_match("mothers walk far")
    (True, False)
    """

    key: str
    id: str
    claim: str
    groups: tuple[tuple[str, ...], ...]
    claim_zh: str = ""  # the claim in Chinese (``claim_zh:`` in the YAML), shown to a student working in Chinese

    def groups_match(self, text: str) -> bool:
        """True when every word group has an entry in ``text`` (no statement test: see ClaimsTable.match)."""
        raw = words(text.replace("-", " "))
        stems = [stem(w) for w in raw]
        return all(any(_entry_in(_entry_tokens(e), stems, raw) for e in group) for group in self.groups)

    @property
    def words(self) -> tuple[tuple[str, ...], ...]:
        """The word groups, under the name the YAML files use (``words:``)."""
        return self.groups

    def __str__(self) -> str:
        """The claim in the course language (Chinese when ``claim_zh`` is given and the course is in Chinese)."""
        from designkit.i18n import lang

        return self.claim_zh if self.claim_zh and lang() == "zh-CN" else self.claim


@dataclass
class ClaimsTable:
    """The claims of one case's sources, its vocabulary and its relevance threshold (see the module doc).

    >>> t = load("mwana")
    >>> "seidenberg2012" in t.keys, t.case
    (True, 'mwana')
    """

    case: str
    title: str
    vocabulary: tuple[str, ...]
    claims: dict[str, tuple[Claim, ...]]
    threshold: float = DEFAULT_THRESHOLD
    source: str = ""
    title_zh: str = ""
    _exact: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _prefixes: tuple[str, ...] = field(default=(), repr=False, compare=False)
    _chinese: tuple[str, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        entries = list(self.vocabulary) + [e for cs in self.claims.values() for c in cs for g in c.groups for e in g]
        tokens = {t for e in entries for t in _entry_tokens(e)}
        self._exact = frozenset(t for t in tokens if not t.endswith("*"))
        self._prefixes = tuple(sorted(t[:-1] for t in tokens if t.endswith("*")))
        self._chinese = tuple(sorted({t.rstrip("*") for t in tokens if _is_cjk((t,))}))

    @property
    def shown_title(self) -> str:
        """The case's title in the course language (``title_zh`` when the course is in Chinese; the same words as
        designkit.checks shows, which translates the English title through toolkit.po).

        >>> from designkit.i18n import set_lang
        >>> set_lang("zh-CN"); load("left-behind-children").shown_title; set_lang(None)
        '中国农村的留守儿童与毕节儿童死亡事件'
        """
        from designkit.i18n import lang

        return self.title_zh if self.title_zh and lang() == "zh-CN" else self.title

    @property
    def keys(self) -> list[str]:
        """The source keys that have claims in this table, in file order."""
        return list(self.claims)

    def claims_of(self, key: str) -> tuple[Claim, ...]:
        """The claims of source ``key``; FramingError naming the case's keys when it has none here."""
        if key not in self.claims:
            raise FramingError(_("The source {key} has no claims in the {case} table ({source}). Its sources are: {keys}.",
                                 key=repr(key), case=repr(self.case), source=self.source, keys=listing(self.keys)))
        return self.claims[key]

    def match(self, key: str, text: str, *, statement: bool = True) -> Claim | None:
        """The first claim of ``key`` that ``text`` states, or None. With ``statement=True`` (the default) the text
        must also read as a statement, not a list of keywords; use ``statement=False`` for names (stakeholders).

        >>> load("mwana").match("sutcliffe2017", "clinics cannot reach many mothers by phone").id
        'phone-use'
        >>> load("mwana").match("seidenberg2012", "HIV SMS results clinic courier infant") is None
        True
        """
        claims = self.claims_of(key)
        if statement and not is_statement(text):
            return None
        return next((c for c in claims if c.groups_match(text)), None)

    def supported(self, key: str, limit: int = 3) -> str:
        """What source ``key`` supports, briefly: its first claims joined by "; "."""
        claims = self.claims_of(key)
        from ._records import listing

        shown = listing((str(c) for c in claims[:limit]), "; ")
        return shown + ("; ..." if len(claims) > limit else "")

    def _known(self, token: str) -> bool:
        """A case word: listed, or starting like a listed prefix; a Chinese word that contains a listed Chinese
        word ("生活补贴" holds "补贴") or is part of one ("主任" of "儿童主任")."""
        if token in self._exact or token.startswith(self._prefixes):
            return True
        return _is_cjk((token,)) and any(len(w) > 1 and w in token or len(token) > 1 and token in w
                                         for w in self._chinese)

    def relevance(self, text: str) -> float:
        """Share (0..1) of the content words of ``text`` found in the case's vocabulary or claims; 0.0 with none.

        >>> load("mwana").relevance("children eat too much fruit")
        0.0
        """
        found = content_words(text)
        if not found:
            return 0.0
        return sum(self._known(w) for w in found) / len(found)

    def on_case(self, text: str) -> bool:
        """True when :meth:`relevance` of ``text`` is at least the table's ``threshold``."""
        return self.relevance(text) >= self.threshold


def _fail(source: str, message: str) -> FramingError:
    return FramingError(_("{source}: {message} Fix the claims table (see designkit/framing/claims.py for the format).",
                          source=source, message=message))


def _parse(data: Any, source: str) -> ClaimsTable:
    if not isinstance(data, dict):
        raise _fail(source, _("the file must be a mapping with case, title, vocabulary and claims."))
    for name in ("case", "title", "claims"):
        if name not in data:
            raise _fail(source, _("'{name}' is missing.", name=name))
    vocabulary = data.get("vocabulary", [])
    if not isinstance(vocabulary, list) or not all(isinstance(v, str) for v in vocabulary):
        raise _fail(source, _("'vocabulary' must be a list of words."))
    threshold = data.get("threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 < threshold <= 1:
        raise _fail(source, _("'threshold' must be a number in (0, 1], not {threshold}.",
                              threshold=repr(threshold)))
    if not isinstance(data["claims"], dict) or not data["claims"]:
        raise _fail(source, _("'claims' must map source keys to lists of claims."))
    claims: dict[str, tuple[Claim, ...]] = {}
    for key, items in data["claims"].items():
        if not isinstance(items, list) or not items:
            raise _fail(source, _("the claims of {key} must be a non-empty list.", key=repr(key)))
        out = []
        for i, item in enumerate(items):
            where = f"claim {i} of {key!r}"
            if not isinstance(item, dict) or not {"id", "claim", "words"} <= set(item):
                raise _fail(source, _("{where} needs id, claim and words.", where=where))
            groups = item["words"]
            if (not isinstance(groups, list) or not groups or
                    not all(isinstance(g, list) and g and all(isinstance(w, str | int | float) for w in g)
                            for g in groups)):
                raise _fail(source, _("{where} ({get}): words must be a list of non-empty lists of words.",
                                      where=where, get=item.get('id')))
            out.append(Claim(str(key), str(item["id"]), " ".join(str(item["claim"]).split()),
                             tuple(tuple(str(w) for w in g) for g in groups), str(item.get("claim_zh", ""))))
        ids = [c.id for c in out]
        if len(set(ids)) != len(ids):
            raise _fail(source, _("the claims of {key} repeat an id.", key=repr(key)))
        claims[str(key)] = tuple(out)
    return ClaimsTable(str(data["case"]), " ".join(str(data["title"]).split()), tuple(vocabulary), claims,
                       float(threshold), source, str(data.get("title_zh", "")))


def cases() -> list[str]:
    """The names of the cases that have a claims table, sorted.

    >>> "mwana" in cases()
    True
    """
    folder = resources.files(__package__).joinpath(_PACKAGE_DIR)
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".yml"))


@functools.cache
def load(case: str) -> ClaimsTable:
    """The claims table of ``case`` (see :func:`cases`); FramingError naming the known cases otherwise.

    >>> load("mwana").title
    'Project Mwana, Zambia (SMS results of infant HIV tests), with the Malawi drone trials'
    >>> load("fruit")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    designkit.framing._records.FramingError: No claims table for the case 'fruit'. The cases with claims are: ...
    """
    import yaml  # only when a table is loaded: importing designkit.framing stays fast

    if not isinstance(case, str) or case not in cases():
        raise FramingError(_("No claims table for the case {case}. The cases with claims are: {cases}.",
                             case=repr(case), cases=listing(cases())))
    path = resources.files(__package__).joinpath(_PACKAGE_DIR, f"{case}.yml")
    source = f"designkit/framing/{_PACKAGE_DIR}/{case}.yml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise FramingError(_("{source} is not valid YAML: {err}", source=source, err=err)) from None
    table = _parse(data, source)
    if table.case != case:
        raise _fail(source, _("its 'case' is {case}, but the file name says {case2}.",
                              case=repr(table.case), case2=repr(case)))
    return table


__all__ = ["DEFAULT_THRESHOLD", "Claim", "ClaimsTable", "cases", "load"]
