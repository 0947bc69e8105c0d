"""The text rules behind every framing model's feedback: one public function per rule, word lists you can read.

No NLP model: each rule is a short, documented function over word lists, so a student (and a grader) can see
why a text was flagged. Models and checks call rules **only** through these functions, never through their own
regular expressions, so that a rule can be improved (or given a variant for another language) in one place.

Language variants: every rule is registered with :func:`rule`; :func:`variant` registers an implementation
of the same rule for another language, which then runs for texts :func:`language_of` detects as that
language (English is the default and the fallback). ``RULES`` lists every rule by name.

Chinese: :mod:`designkit.framing.rules_zh` holds the ``zh`` variant of every rule that reads words, with its word
lists (``CHILD_WORDS_ZH`` next to ``CHILD_WORDS``...); it cuts Chinese text into words with ``jieba``, imported only
when the first Chinese text is seen. The rules about citation keys read both languages as they are.

>>> missing_solution("村里缺少儿童主任"), mentions_child("留守儿童")
('儿童主任', True)

>>> missing_solution("Lack of hospitals")
'hospitals'
>>> to_objective("High infant mortality")
'Lower infant mortality'
>>> mentions_child("Girls aged 10-14")
True
>>> filler_words("How might we help children do stuff in places?")
['stuff', 'places']
>>> vague_user("a mother in a village"), vague_user("a mother in rural Monze whose baby was tested for HIV")
('mother', None)
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from typing import Any

from designkit.i18n import N_

# ---- rule registry and language variants ----

RULES: dict[str, Callable[..., Any]] = {}
_VARIANTS: dict[tuple[str, str], Callable[..., Any]] = {}
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER_RE = re.compile(r"[^\W\d_]")


def language_of(text: str) -> str:
    """``"zh"`` when CJK ideographs make up at least a third of the letters of ``text``, else ``"en"``.

    >>> language_of("How might we help mothers?"), language_of("我们如何帮助母亲？")
    ('en', 'zh')
    """
    letters = _LETTER_RE.findall(text)
    if not letters:
        return "en"
    return "zh" if 3 * len(_CJK_RE.findall(text)) >= len(letters) else "en"


def rule(func: Callable[..., Any]) -> Callable[..., Any]:
    """Register ``func`` as the English rule of its name; the returned function dispatches on the language of its
    first argument (the text) to a variant registered with :func:`variant`, falling back to English.

    >>> RULES["filler_words"] is filler_words
    True
    """
    name = func.__name__

    @functools.wraps(func)
    def dispatch(text: Any, *args: Any, **kwargs: Any) -> Any:
        impl = _VARIANTS.get((name, language_of(text)), func) if isinstance(text, str) and _VARIANTS else func
        return impl(text, *args, **kwargs)

    dispatch.english = func  # type: ignore[attr-defined]
    RULES[name] = dispatch
    return dispatch


def variant(name: str, lang: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: register ``func`` as the ``lang`` implementation of the rule ``name`` (see :func:`language_of`).

    >>> shipped = _VARIANTS[("has_number", "zh")]  # the one rules_zh.py registers
    >>> @variant("has_number", "zh")
    ... def _zh_has_number(text): return "几" in text
    >>> has_number("出生后几天内"), has_number("出生后二十八天内"), has_number("no digits here")
    (True, False, False)
    >>> _VARIANTS[("has_number", "zh")] = shipped; has_number("出生后二十八天内")
    True
    """
    if name not in RULES:
        raise KeyError(f"no rule called {name!r}; the rules are: {', '.join(sorted(RULES))}")

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        _VARIANTS[(name, lang)] = func
        return func

    return register


# A text that starts with one of these phrases names a missing solution, not a condition.
MISSING_SOLUTION_PREFIXES = (
    "there is no", "there are no", "there is not enough", "there are not enough", "there isn't enough",
    "there aren't enough", "lack of", "a lack of", "the lack of", "lacking", "absence of", "the absence of",
    "not enough", "no", "need for", "the need for", "a need for", "needs", "need to", "we need",
    "shortage of", "a shortage of", "insufficient", "missing", "without",
)
_MISSING_RE = re.compile(
    r"^\s*(?:" + "|".join(re.escape(p) for p in sorted(MISSING_SOLUTION_PREFIXES, key=len, reverse=True))
    + r")\b[\s:,-]*(?P<rest>.*)$", re.IGNORECASE)


def norm(text: str) -> str:
    """Case-folded text with whitespace collapsed and end punctuation removed (for comparisons).

    >>> norm("  Late   HIV results. ")
    'late hiv results'
    """
    return re.sub(r"\s+", " ", text).strip().strip(".!?;:,。！？；：，").strip().casefold()


@rule
def words(text: str) -> list[str]:
    """The words of ``text`` (letters, digits, apostrophes and hyphens), lower case."""
    return re.findall(r"[\w'’-]+", text.casefold())


@rule
def missing_solution(text: str) -> str | None:
    """If ``text`` is phrased as a missing solution ("lack of X", "no X", "need for X", "not enough X"...),
    return X (the solution it assumes); otherwise None.

    >>> missing_solution("No SMS system for results") is not None
    True
    >>> missing_solution("High infant mortality") is None
    True
    """
    match = _MISSING_RE.match(text)
    if not match:
        return None
    rest = match.group("rest").strip().strip(".")
    return rest or text.strip()


# Objective rewrite: the first word(s) of a negative condition -> the desired condition.
# Applied to the start of the text, longest phrase first; the rest of the text is kept.
OBJECTIVE_REWRITES: dict[str, str] = {
    "too high": "lower", "very high": "lower", "high": "lower", "higher": "lower", "rising": "falling",
    "increasing": "decreasing", "increased": "reduced", "too low": "higher", "very low": "higher",
    "low": "higher", "lower": "higher", "falling": "rising", "declining": "rising", "decreasing": "increasing",
    "reduced": "increased", "delayed": "timely", "late": "timely", "slow": "faster", "long": "shorter",
    "poor": "good", "weak": "strong", "many": "fewer", "too many": "fewer", "few": "more", "too few": "more",
    "frequent": "rare", "limited": "wider", "inadequate": "adequate", "unreliable": "reliable",
    "unregistered": "registered", "untreated": "treated", "unsafe": "safe", "unaffordable": "affordable",
    "inaccessible": "accessible", "unavailable": "available", "missed": "completed", "lost": "retained",
    "lack of": "adequate", "a lack of": "adequate", "no": "adequate", "not enough": "enough",
    "insufficient": "sufficient", "shortage of": "enough",
}
_OBJECTIVE_RE = re.compile(
    r"^(?P<lead>\s*)(?P<word>" + "|".join(re.escape(k) for k in sorted(OBJECTIVE_REWRITES, key=len, reverse=True))
    + r")\b(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)


@rule
def to_objective(text: str) -> str:
    """Rewrite a negative condition as the desired positive condition (the objectives tree).

    Rules (see ``OBJECTIVE_REWRITES``): "high X" -> "lower X", "low X" -> "higher X", "delayed X" ->
    "timely X", "poor X" -> "good X", "many X" -> "fewer X", "unregistered X" -> "registered X",
    "lack of X" -> "adequate X", ... The first letter's case is kept. Anything else falls back to
    "X is resolved" (then rephrase it by hand).

    >>> to_objective("delayed HIV test results")
    'timely HIV test results'
    >>> to_objective("Children die before age 1")
    'Children die before age 1 is resolved'
    """
    stripped = text.strip().rstrip(".")
    match = _OBJECTIVE_RE.match(stripped)
    if not match or not match.group("rest").strip():
        return f"{stripped} is resolved" if stripped else stripped
    new = OBJECTIVE_REWRITES[match.group("word").casefold()]
    if match.group("word")[0].isupper():
        new = new[0].upper() + new[1:]
    return f"{new}{match.group('rest')}"


@rule
def is_fallback_objective(text: str) -> bool:
    """True when ``to_objective`` could not rewrite the text and used the "... is resolved" fallback."""
    return text.endswith(" is resolved")


CHILD_WORDS = (
    "child", "children", "childhood", "young", "youth", "youths", "adolescent", "adolescents", "girl", "girls",
    "boy", "boys", "infant", "infants", "newborn", "newborns", "baby", "babies", "pupil", "pupils", "student",
    "students", "teen", "teens", "teenager", "teenagers", "toddler", "toddlers", "kid", "kids", "orphan", "orphans",
    "schoolchildren", "learner", "learners", "grader", "graders", "schoolgirl", "schoolgirls", "schoolboy",
    "schoolboys", "minor", "minors",
)
_CHILD_SET = frozenset(CHILD_WORDS)


@rule
def mentions_child(text: str) -> bool:
    """True when ``text`` names children or young people (a word from ``CHILD_WORDS``).

    >>> mentions_child("Mothers of HIV-exposed infants"), mentions_child("District health office")
    (True, False)
    """
    return any(w.strip("'’-") in _CHILD_SET or w.split("-")[0] in _CHILD_SET or w.split("-")[-1] in _CHILD_SET
               for w in words(text))


def close_names(name: str, names: list[str], n: int = 3) -> list[str]:
    """Names that contain ``name`` (ignoring case), then close spellings: for "did you mean" hints.

    >>> close_names("drones", ["Drone transport of samples", "Text results"])
    ['Drone transport of samples']
    """
    key = norm(name)
    contains = [x for x in names if key and (key in norm(x) or norm(x) in key)]
    stems = [x for x in names if key[:5] and norm(x).startswith(key[:5])]
    spelled = difflib.get_close_matches(name, names, n=n)
    out: list[str] = []
    for x in contains + spelled + stems:
        if x not in out:
            out.append(x)
    return out[:n]


_AGE_RE = re.compile(
    r"\b\d{1,2}(?:\s*(?:-|–|to)\s*\d{1,2})?[\s-]*(?:years?|yrs?|months?|weeks?|days?)(?:[\s-]*old)?\b"
    r"|\baged?\s+\d{1,2}\b|\b\d{1,2}[\s-]*y/?o\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen)[\s-]+(?:years?|months?|weeks?|days?)[\s-]*old\b",
    re.IGNORECASE)


@rule
def states_age(text: str) -> bool:
    """True when ``text`` states an age ("7 years old", "aged 13", "6-month-old", "10-14 years").

    >>> states_age("a 6-month-old baby"), states_age("Beatrice, aged 15"), states_age("a baby")
    (True, True, False)
    """
    return bool(_AGE_RE.search(text))


# ---- statements (point of view, How Might We) ----

ADULT_USER_WORDS = (
    "mother", "mothers", "father", "fathers", "parent", "parents", "caregiver", "caregivers", "carer", "carers",
    "family", "families", "grandparent", "grandparents", "guardian", "guardians", "women", "woman", "men", "man",
    "teacher", "teachers", "health worker", "health workers", "community health workers", "nurse", "nurses",
    "midwife", "midwives", "doctor", "doctors", "clinician", "clinicians", "clinic staff", "agent", "agents",
    "volunteer", "volunteers", "notifier", "notifiers", "registrar", "registrars", "official", "officials",
    "social worker", "social workers", "leader", "leaders", "farmer", "farmers", "community", "communities",
    "villager", "villagers", "resident", "residents", "patient", "patients", "user", "users", "people",
    "person", "households", "household", "director", "directors", "principal", "principals", "staff",
)
VAGUE_USERS = ("people", "person", "users", "user", "everyone", "everybody", "the community", "community",
               "the public", "stakeholders")
_ADULT_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(ADULT_USER_WORDS, key=len, reverse=True))
                       + r")\b", re.IGNORECASE)


@rule
def user_group(text: str) -> str | None:
    """The first person or group word in ``text`` (children first), or None.

    >>> user_group("How might we help mothers in Monze get results sooner?")
    'mothers'
    """
    for w in re.findall(r"[\w'’-]+", text):
        if mentions_child(w):
            return w
    match = _ADULT_RE.search(text)
    return match.group(0) if match else None


OUTCOME_VERBS = (
    "help", "helps", "reduce", "increase", "ensure", "make", "enable", "support", "keep", "improve", "get", "give",
    "lower", "raise", "cut", "shorten", "speed", "protect", "prevent", "encourage", "connect", "reach", "empower",
    "strengthen", "boost", "ease", "let", "bring", "double", "halve", "register", "include", "stay", "receive",
    "find", "know", "learn", "feel", "access", "avoid", "stop", "end", "save", "grow", "thrive", "return",
    "survive", "remain", "become", "start", "finish", "complete", "attend", "trust", "share", "choose", "tell",
    "hear", "listen", "inform", "remind", "motivate", "invite", "welcome", "enrol", "enroll", "feed", "treat",
    "vaccinate", "immunise", "immunize", "test", "diagnose", "deliver", "track", "trace", "find", "notify",
    "solve", "change", "transform", "build", "create", "design", "develop",
)
_OUTCOME_SET = frozenset(OUTCOME_VERBS)

TECH_NOUNS = (
    "app", "apps", "application", "website", "websites", "web", "platform", "portal", "dashboard", "chatbot",
    "bot", "sms", "text message", "text messages", "texting", "ussd", "drone", "drones", "kiosk", "kiosks",
    "tablet", "tablets", "smartphone", "smartphones", "mobile phone", "mobile phones", "blockchain", "ai",
    "artificial intelligence", "machine learning", "database", "software", "sensor", "sensors", "robot",
    "robots", "qr code", "qr codes", "internet", "online", "whatsapp", "facebook", "rapidsms", "computer",
    "computers", "gps", "video", "videos", "radio", "email", "digital",
)
_TECH_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(TECH_NOUNS, key=len, reverse=True))
                      + r")\b", re.IGNORECASE)
SOLUTION_NOUNS = ("app", "website", "platform", "portal", "dashboard", "chatbot", "system", "kiosk", "device",
                  "programme", "program", "campaign", "tool", "service", "hotline", "machine", "game")
_SOLUTION_NOUN_RE = re.compile(
    r"\b(?:an?|the|new|our|one)\s+(?:[\w-]+\s+){0,2}(?:" + "|".join(SOLUTION_NOUNS) + r")s?\b", re.IGNORECASE)
# a means clause: "by <verb>ing ...", or "by/using/via/with/through" followed soon by a technology
_MEANS_RE = re.compile(
    r"\s(?:by\s+\w+ing\b|(?:by|using|via|with|through|on)\s+(?:[\w-]+\s+){0,3}?(?:"
    + "|".join(re.escape(w) for w in sorted(TECH_NOUNS + SOLUTION_NOUNS, key=len, reverse=True)) + r")s?\b)",
    re.IGNORECASE)
VAGUE_PHRASES = (
    "everything", "everyone", "everybody", "the world", "solve poverty", "end poverty", "all problems",
    "all the problems", "any problem", "improve lives", "make life better", "make things better",
    "improve things", "better world", "fix everything", "all issues", "society", "healthy", "healthier",
    "happy", "happier", "better off", "better", "be happy", "feel good", "a good life", "wellbeing", "well-being",
)
_VAGUE_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(VAGUE_PHRASES, key=len, reverse=True))
                       + r")\b", re.IGNORECASE)
_CONTEXT_RE = re.compile(r"\s(?:in|at|during|when|while|within|before|after|on|across|between)\s", re.IGNORECASE)
_NUMBER_RE = re.compile(
    r"\s(?:(?:within|in|by|to|under|below|above|from|of|for|at)\s+)?(?:about\s+)?\d[\d,.]*\s*"
    r"(?:%|percent\b|per cent\b|days?\b|weeks?\b|months?\b|years?\b|hours?\b|minutes?\b|km\b|kilomet\w*\b)?",
    re.IGNORECASE)


@rule
def outcome_verbs(text: str) -> list[str]:
    """The verbs of change in ``text`` (from ``OUTCOME_VERBS``).

    >>> outcome_verbs("How might we help mothers learn the result?")
    ['help', 'learn']
    """
    return [w for w in words(text) if w in _OUTCOME_SET]


@rule
def technologies(text: str) -> list[str]:
    """The technologies named in ``text`` (from ``TECH_NOUNS``).

    >>> technologies("results sent by SMS to a tablet"), technologies("results reach the clinic")
    (['SMS', 'tablet'], [])
    """
    return [m.group(0) for m in _TECH_RE.finditer(text)]


# handing over a thing: "give every pupil an egg", "provide a tablet", "build a clinic" (not "give girls a voice")
_ABSTRACT_GIFTS = ("voice", "say", "chance", "choice", "way", "reason", "opportunity", "sense", "role", "place",
                   "head start", "fair chance", "second chance", "break")
_PROVIDE_RE = re.compile(
    r"\b(?:give|gives|provide|provides|distribute|hand out|build|install|supply|donate|buy)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:an?|one|more|new|free)\s+(?!(?:" + "|".join(_ABSTRACT_GIFTS) + r")\b)[\w-]+", re.IGNORECASE)


@rule
def solution_phrase(text: str) -> str | None:
    """The part of ``text`` that embeds a solution ("by building an app", "using drones", "an SMS system"), or None.

    >>> solution_phrase("How might we help mothers get results using drones?")
    'using drones'
    >>> solution_phrase("How might we give every pupil an egg a day?")
    'give every pupil an egg'
    """
    found = [m for m in (_MEANS_RE.search(text), _SOLUTION_NOUN_RE.search(text), _PROVIDE_RE.search(text)) if m]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return first.group(0).strip()


@rule
def vague_phrases(text: str) -> list[str]:
    """The vague phrases in ``text`` (from ``VAGUE_PHRASES``): aims so wide that any idea fits.

    >>> vague_phrases("How might we make children happy and improve everything?")
    ['happy', 'everything']
    """
    return [m.group(0) for m in _VAGUE_RE.finditer(text)]


@rule
def has_number(text: str) -> bool:
    """True when ``text`` contains a digit. A number makes a question precise, not narrow (see :func:`names_product`).

    >>> has_number("in their first 28 days"), has_number("in their first month")
    (True, False)
    """
    return bool(re.search(r"\d", text))


@rule
def has_context(text: str) -> bool:
    """True when ``text`` has a context phrase (in/at/during/when/before/after/within ...).

    >>> has_context(" help mothers in Monze "), has_context(" help mothers ")
    (True, False)
    """
    return bool(_CONTEXT_RE.search(text))


# ---- rewriting How Might We questions (used by HowMightWe.broader / narrower) ----

_OTHER_OPENING_RE = re.compile(
    r"^\s*(?:how\s+(?:can|could|should|do|would|will|might)\s+(?:we|i|you)|how\s+to|we\s+(?:need|want|should|must)\s+to|"
    r"in\s+what\s+ways?\s+(?:can|might)\s+we)\s+", re.IGNORECASE)
# a time limit with a number ("within 12 weeks of birth", "by 2030"): cut from there to the end of the clause
_DEADLINE_RE = re.compile(r"\s(?:within|by|before|in|under|after)\s+(?:about\s+|the\s+first\s+)?\d[^,;]*",
                          re.IGNORECASE)


@rule
def strip_opening(text: str) -> str:
    """``text`` without another question opening ("How can we", "How to", "We need to").

    >>> strip_opening("How can we reduce child deaths?")
    'reduce child deaths?'
    """
    return _OTHER_OPENING_RE.sub("", text)


@rule
def without_means(text: str) -> str:
    """``text`` cut before its means clause ("using drones", "by building an app"), if any.

    >>> without_means(" help mothers get results using drones")
    ' help mothers get results'
    """
    cut = _MEANS_RE.search(text)
    return text[:cut.start()] if cut else text


@rule
def without_numbers(text: str) -> str:
    """``text`` without a numeric deadline clause ("within 12 weeks of birth") and without other numbers and units.

    >>> without_numbers(" help girls stay in school within 12 weeks")
    ' help girls stay in school'
    """
    deadline = _DEADLINE_RE.search(text)
    if deadline:
        text = text[:deadline.start()]
    return _NUMBER_RE.sub("", text)


@rule
def context_start(text: str) -> int | None:
    """Where the first context clause ("in Monze", "during ...") starts in ``text``, or None.

    >>> context_start(" help girls in Gansu stay in school")
    11
    """
    match = _CONTEXT_RE.search(text)
    return match.start() if match else None


@rule
def strip_lead(text: str, lead: str) -> str:
    """``text`` without a leading word such as "needs" or "because" (case-insensitive), stripped.

    >>> strip_lead("Because the lab is far.", "because")
    'the lab is far.'
    """
    return re.sub(rf"^\s*{re.escape(lead)}\s+", "", text.strip(), flags=re.IGNORECASE)


_PLURALS = frozenset({"children", "people", "women", "men", "families", "youth", "staff", "police"})
_HEAD_SPLIT_RE = re.compile(r",|\s(?:who|whose|aged|in|at|from|with|of|living|under|over|\d)")


@rule
def plural_group(text: str) -> bool:
    """True when the head noun of a user description is plural ("parents of newborns" yes, "a mother" no).

    >>> plural_group("parents of newborns in Nepal"), plural_group("a mother in rural Monze")
    (True, False)
    """
    head = words(_HEAD_SPLIT_RE.split(text.strip(), maxsplit=1)[0])
    return bool(head) and (head[-1] in _PLURALS or (head[-1].endswith("s") and not head[-1].endswith("ss")))


# A need that starts like a noun phrase ("an egg every day", "a cheaper incubator", "more schools") names a thing
# to provide, not what the user is trying to do.
_NOUN_SOLUTION_RE = re.compile(
    r"^(?:an?|the|more|better|new|cheaper|cheap|free|some|one|another|extra)\s+(?:[\w'’-]+\s+){0,2}?[\w'’-]+",
    re.IGNORECASE)


@rule
def noun_solution(text: str) -> str | None:
    """The thing a need names when it starts like a noun phrase ("a cheaper incubator"), else None.

    >>> noun_solution("a cheaper incubator"), noun_solution("to keep a small baby warm")
    ('a cheaper incubator', None)
    """
    text = text.strip()
    return text.rstrip(".") if _NOUN_SOLUTION_RE.match(text) else None


# ---- evidence: citation keys ----

_KEY_RE = re.compile(r"^[a-z][a-z0-9_:-]*$")
_CITED_RE = re.compile(r"@([a-z][a-z0-9_:-]*[a-z0-9])")


@rule
def evidence_keys(text: str | None) -> list[str]:
    """The keys of an ``evidence`` field ("a; b", "a, b") or of inline citations ("... [@a; @b]"), in order.

    >>> evidence_keys("unicefinnovation_mwana; seidenberg2012")
    ['unicefinnovation_mwana', 'seidenberg2012']
    >>> evidence_keys("results take weeks to reach the clinic [@seidenberg2012]")
    ['seidenberg2012']
    """
    if not text or not text.strip():
        return []
    cited = _CITED_RE.findall(text)
    if cited:
        return list(dict.fromkeys(cited))
    return [k.strip() for k in re.split(r"[;,；，、]", text) if k.strip()]


@rule
def cited_keys(text: str) -> list[str]:
    """The keys of the inline citations in ``text`` ("[@a]", "[@a; @b]"), in order; [] with none.

    >>> cited_keys("only 30% of mothers had used a phone [@sutcliffe2017]"), cited_keys("no citation; here")
    (['sutcliffe2017'], [])
    """
    return list(dict.fromkeys(_CITED_RE.findall(text)))


@rule
def is_key(text: str) -> bool:
    """True when ``text`` is written like a citation key or dataset name (lower case, no spaces).

    >>> is_key("seidenberg2012"), is_key("Seidenberg et al. 2012")
    (True, False)
    """
    return bool(_KEY_RE.match(text.strip()))


@rule
def without_citations(text: str) -> str:
    """``text`` without inline citations ("[@key]", "[@a; @b]").

    >>> without_citations("results take weeks [@seidenberg2012].")
    'results take weeks.'
    """
    return re.sub(r"\s*\[\s*@[^\]]*\]", "", text).strip()


# ---- vagueness: filler words, aims, users that could be anyone, feelings, filler insights ----

# Placeholder words that stand for something the writer has not named: a text made of them says nothing.
# Ordinary words that are only sometimes filler ("anything", "something", "kind of") are left out: a false alarm
# on a real answer costs a student more than a missed one, which a person still reads.
FILLER_WORDS = (
    "stuff", "things", "somehow", "places", "in general", "various", "etc", "and so on", "and so forth",
    "whatever", "in some way", "some way", "in many ways", "all kinds of", "improve things", "some issues",
    "some problems", "many issues", "many problems", "a lot of problems", "bad things",
)
_FILLER_RE = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(FILLER_WORDS, key=len, reverse=True))
                        + r")(?![\w-])", re.IGNORECASE)


@rule
def filler_words(text: str) -> list[str]:
    """The filler words of ``text`` (from ``FILLER_WORDS``): "stuff", "things", "places", "in general", "various"...

    >>> filler_words("various things happen in general"), filler_words("results take weeks to reach the clinic")
    (['various things', 'in general'], [])
    """
    merged: list[tuple[int, int]] = []
    for m in _FILLER_RE.finditer(text):
        if merged and not text[merged[-1][1]:m.start()].strip():  # adjacent fillers ("various things") as one
            merged[-1] = (merged[-1][0], m.end())
        else:
            merged.append((m.start(), m.end()))
    return [text[start:end] for start, end in merged]


# Verbs of change that say only that something should happen, not what should change.
GENERIC_VERBS = ("help", "helps", "support", "supports", "make", "makes", "do", "does", "assist", "empower",
                 "serve", "benefit", "solve", "transform")


@rule
def vague_outcome(text: str) -> str | None:
    """The generic verb when every verb of change in ``text`` is generic ("help", "support", "make"...) and nothing
    after it says what should change (only people, filler or vague words follow); else None.

    >>> vague_outcome("How might we help children do stuff in places?")
    'help'
    >>> vague_outcome("How might we help mothers learn their baby's result?") is None
    True
    >>> vague_outcome("How might we help clinic staff send results?") is None
    True
    >>> vague_outcome("How might we help girls in Gansu?")
    'help'

    """
    verbs = outcome_verbs(text)
    if not verbs or not all(v in GENERIC_VERBS for v in verbs):
        return None
    after = re.split(rf"\b{re.escape(verbs[0])}\b", text, maxsplit=1, flags=re.IGNORECASE)[-1]
    after = " ".join(t for t in after.split() if not t[:1].isupper())  # a place or name says where, not what
    ignored = set(GENERIC_VERBS) | {stem(w) for w in BROAD_USERS + ADULT_USER_WORDS + FILLER_WORDS + VAGUE_PHRASES
                                    for w in w.split()}
    concrete = [w for w in content_words(after) if w not in ignored and w not in _FEELINGS]
    return None if concrete else verbs[0]


# Group words that could be anyone unless something narrows them (an age, a condition, a place, a situation).
BROAD_USERS = (
    "people", "person", "persons", "everyone", "everybody", "anyone", "anybody", "users", "user", "the public",
    "public", "community", "communities", "citizens", "individuals", "humans", "children", "child", "kids", "kid",
    "mothers", "mother", "women", "woman", "men", "man", "parents", "parent", "families", "family", "fathers",
    "father", "girls", "girl", "boys", "boy", "youth", "young people", "caregivers", "caregiver", "carers",
    "carer", "guardians", "guardian", "stakeholders", "beneficiaries", "villagers", "villager", "residents",
    "households", "household",
)
_BROAD_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(BROAD_USERS, key=len, reverse=True))
                       + r")\b", re.IGNORECASE)
# Words that narrow a group: a condition, a life stage, a situation (a named place is found by its capital letter).
NARROWING_WORDS = (
    "hiv", "hiv-positive", "hiv-exposed", "exposed", "positive", "pregnant", "pregnancy", "tested", "disabled",
    "disability", "disabilities", "deaf", "blind", "orphan", "orphans", "orphaned", "left-behind", "migrant",
    "migrants", "refugee", "refugees", "displaced", "anaemic", "anemic", "anaemia", "anemia", "malnourished",
    "stunted", "premature", "preterm", "low-birth-weight", "newborn", "newborns", "infant", "infants", "baby",
    "babies", "toddler", "toddlers", "adolescent", "adolescents", "teenage", "teenaged", "teen", "teens",
    "pupils", "pupil", "students", "student", "school", "schoolchildren", "unregistered", "widowed", "single",
    "birth", "born", "breastfeeding", "boarding", "working", "farming", "nomadic", "remote", "first-time",
    "grandmother", "grandmothers", "grandparents", "who", "whose", "with", "living", "waiting", "caring",
    "raising", "looking", "without", "after", "before", "during", "when", "while",
)
_NARROWING = frozenset(NARROWING_WORDS)
_BROAD_SET = frozenset(BROAD_USERS)


@rule
def vague_user(text: str) -> str | None:
    """The group word when ``text`` names a group that could be anyone ("people", "children", "a mother in a
    village") and nothing narrows it: no age, no condition or life stage (HIV-exposed, pregnant, newborn...), no
    situation ("whose baby was tested", "caring for three grandchildren") and no named place ("in Monze");
    else None. Specific roles ("health workers", "notifiers", "pupils") are never vague.

    >>> vague_user("children"), vague_user("everyone"), vague_user("girls aged 10-14")
    ('children', 'everyone', None)
    >>> vague_user("mothers in rural Zambia"), vague_user("community health workers")
    (None, None)
    """
    match = _BROAD_RE.search(text)
    if not match:
        return None
    if any(norm(m.group(0)) not in _BROAD_SET for m in _ADULT_RE.finditer(text)):
        return None  # a specific role: "community health workers", "teachers", "registrars"
    if states_age(text) or has_number(text) or any(w in _NARROWING or stem(w) in _NARROWING or
                                                    any(p in _NARROWING for p in w.split("-")) for w in words(text)):
        return None
    tokens = re.findall(r"[\w'’-]+", text)
    if any(t[:1].isupper() and not t.isupper() or (t.isupper() and len(t) > 1) for t in tokens[1:]):
        return None  # a named place, people or programme ("Monze", "HIV", "Mazabuka")
    return match.group(0)


# A need that is only a feeling or a state: nothing anyone could observe change.
FEELINGS = (
    "happy", "happier", "happiness", "good", "better", "best", "well", "safe", "safer", "comfortable", "loved",
    "valued", "supported", "empowered", "ok", "okay", "fine", "content", "satisfied", "healthy", "healthier",
    "confident", "hopeful", "relaxed", "secure", "cared", "respected", "included", "great", "nice", "joy",
    "joyful", "wellbeing", "well-being", "fulfilled", "successful", "normal",
)
_FEELINGS = frozenset(FEELINGS)
_FEELING_FRAME = frozenset({"to", "be", "feel", "become", "have", "get", "a", "an", "the", "more", "less", "very",
                            "and", "or", "life", "lives", "live", "living", "they", "she", "he", "her", "his",
                            "their", "them", "it", "its", "really", "so", "always", "again", "just", "about",
                            "overall", "general", "in", "all", "time", "times", "needs", "need", "wants", "want"})


@rule
def feeling_need(text: str) -> str | None:
    """The need itself when it is only a feeling or state ("to be happy", "to feel better", "to have a good life")
    with no observable change; else None.

    >>> feeling_need("to be happy"), feeling_need("to feel safe walking to school at night")
    ('to be happy', None)
    """
    rest = [w for w in words(text) if w not in _FEELING_FRAME and not filler_words(w)]
    if rest and all(w in _FEELINGS for w in rest):
        return text.strip().rstrip(".")
    return None


STOP_WORDS = frozenset("""
a an the and or but if so than then that this these those there here it its it's is are was were be been being am
to of in on at by for from with without into onto over under about as up down out off through across between
during before after until while when where which who whom whose what why how not no nor only very too also just
their them they she he her his hers him we us our you your i me my mine yours theirs ours one some any all each
every both either neither more most less least many much few other such own same can could should would will
shall may might must do does did doing done have has had having get gets got make makes made go goes went going
because since although though yet still even ever again already once soon often always never really quite
""".split())
# Words of every case: they say nothing about which case a text is about.
NEUTRAL_WORDS = frozenset("""
child children kid kids people person family families parent parents mother mothers father fathers man men woman
women baby babies girl girls boy boys someone everyone everybody thing things stuff lot lots way ways need needs
want wants time times day days year years good bad better big small new problem problems issue issues
""".split())
# Words that make a string of nouns into a statement: verbs and words of condition ("late", "only", "cannot").
# Words that are as often nouns in the cases ("test", "cost", "delay", "use", "result", "return") are left out, so a
# list of a case's keywords does not read as a statement.
PREDICATE_WORDS = frozenset("""
is are was were be been being am has have had do does did can cannot can't could couldn't will won't would
should must may might needed take takes took taken wait waits waited travel travels travelled traveled go goes
went come comes came reach reaches reached arrive arrives arrived get gets got know knows knew learn learns
learned learnt start starts started die dies died live lived lose loses lost miss misses missed send sends sent
returned keep keeps kept ran make makes made give gives gave pay pays paid fall falls fell rise rises rose stay
stays stayed leave leaves left lacked depend depends delayed carry carries carried move moves moved see sees saw
happen happens happened become becomes became worked hear hears heard tell tells told ask asks asked notified
collected tested receive receives received afford affords affect affects affected find finds found means
not no never only late later slow slower long longer far few fewer less more many too high higher low lower
rarely often seldom unable until difficult hard expensive costly distant rare absent irregular unknown unaware
afraid scared poor weak unreliable limited inadequate insufficient missing broken
""".split()) | frozenset(w for w in OBJECTIVE_REWRITES if " " not in w and w != "no")


@rule
def stem(word: str) -> str:
    """A word in lower case without a possessive or plural ending ("results" -> "result", "babies" -> "baby",
    "clinic's" -> "clinic"): the simple normalisation claims and vocabularies are matched with.

    >>> [stem(w) for w in ["Results", "babies", "clinic's", "courses", "status", "boxes"]]
    ['result', 'baby', 'clinic', 'course', 'status', 'box']
    """
    w = word.casefold().strip("'’-.")
    w = re.sub(r"['’]s?$", "", w)
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes", "zes")):
        return w[:-2]
    if w.endswith(("ss", "us", "is", "'s")):
        return w
    return w[:-1] if w.endswith("s") else w


@rule
def content_words(text: str) -> list[str]:
    """The stems of ``text``'s words that carry meaning: no stop words (the, of, is...), no words every case shares
    (children, mothers, people, problem, time...), no citations, no numbers.

    >>> content_words("Children eat too much fruit [@seidenberg2012]"), content_words("HIV-exposed infants")
    (['eat', 'fruit'], ['hiv', 'exposed', 'infant'])
    """
    out = []
    for w in words(without_citations(text).replace("-", " ")):
        if w in STOP_WORDS or w.isdigit():
            continue
        s = stem(w)
        if s in STOP_WORDS or s in NEUTRAL_WORDS or w in NEUTRAL_WORDS or not any(c.isalpha() for c in s):
            continue
        out.append(s)
    return out


@rule
def is_statement(text: str) -> bool:
    """True when ``text`` reads as a statement, not a list of keywords: at least 3 words, one of them a verb or a
    word of condition (``PREDICATE_WORDS``: take, reach, cannot, late, only, unreliable...; or a word ending in
    -ed or -ing). A condition written as a noun phrase ("unreliable contact with mothers") is a statement.
    The limit of the rule: keywords with one such word added ("HIV results clinic late") pass; a person reads the
    rest.

    >>> is_statement("results take weeks to reach the clinic"), is_statement("HIV SMS results clinic courier infant")
    (True, False)
    >>> is_statement("HIV-positive infants start treatment late"), is_statement("unreliable contact with mothers")
    (True, True)
    """
    ws = words(without_citations(text))
    if len(ws) < 3:
        return False
    return any(w in PREDICATE_WORDS or (len(w) > 4 and w.endswith(("ed", "ing"))) for w in ws)


# Words an insight can be made of without saying anything: the reason is still missing.
GENERIC_INSIGHT_WORDS = frozenset("""
important matter matters matter necessary essential key crucial big hard difficult tough bad good great nice
problem problems issue issues situation situations life lives deserve deserves right rights happy happiness
better best help helps helpful useful need needs want wants like likes everything nothing something anything
really truly very important thing things stuff general overall world society way ways lot lots kind sort
""".split())


# Words that carry a reason or a tension: what makes the need hard to meet ("cannot", "only", "but", "weeks"...).
TENSION_WORDS = frozenset("""
not no never cannot can't don't doesn't didn't won't isn't aren't wasn't weren't nobody none only but yet although
though however because so while until without late later far long week weeks month months day days year years
cost costs costly expensive afford lose loses lost miss misses missed wait waits waiting too afraid fear fears
ashamed stigma dead broken unable few fewer less lack lacks instead despite even still rather limited unreliable
must forced hard difficult away alone
""".split())


@rule
def filler_insight(insight: str, need: str = "") -> str | None:
    """Why an insight says nothing, or None: "says nothing concrete" when, without filler and generic words
    (important, hard, problem, deserve...), fewer than 2 words carry meaning; "gives no reason or tension" when
    only 2 do and nothing says what makes the need hard (no "cannot", "only", "but", "far", a number...);
    "restates the need" when its meaning words are (nearly) all words of the need. A rule cannot tell whether an
    insight is true or surprising: a person judges that.

    >>> filler_insight("it is really important for them in general")
    'says nothing concrete'
    >>> filler_insight("mothers live in Zambia and have babies")
    'gives no reason or tension'
    >>> filler_insight("she wants to know the result of her baby", "to know her baby's result")
    'restates the need'
    >>> filler_insight("the result reaches the clinic weeks later and she cannot afford the bus") is None
    True
    """
    meaning = [w for w in content_words(insight) if w not in GENERIC_INSIGHT_WORDS and not filler_words(w)]
    if len(meaning) < 2:
        return N_("says nothing concrete")
    need_words = set(content_words(need)) | GENERIC_INSIGHT_WORDS
    if need and sum(w in need_words for w in meaning) >= 0.8 * len(meaning):
        return N_("restates the need")
    ws = words(insight)
    if len(meaning) < 3 and not has_number(insight) and not any(w in TENSION_WORDS or w.endswith("n't") for w in ws):
        return N_("gives no reason or tension")
    return None


# A single product or feature: the only thing that makes a question too narrow (precision is not narrowness).
PRODUCT_NOUNS = ("app", "apps", "website", "platform", "portal", "dashboard", "chatbot", "kiosk", "device",
                 "gadget", "button", "reminder", "reminders", "alert", "alerts", "notification", "notifications",
                 "hotline", "poster", "posters", "leaflet", "leaflets", "game", "sticker", "stickers", "voucher",
                 "vouchers", "feature", "widget")
_PRODUCT_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(PRODUCT_NOUNS, key=len, reverse=True))
                         + r")\b", re.IGNORECASE)


@rule
def names_product(text: str) -> list[str]:
    """The technologies (``TECH_NOUNS``) and single products or features (``PRODUCT_NOUNS``) ``text`` names: what
    makes a question too narrow. An age, days of life, a district or a number make it precise, not narrow.

    >>> names_product("How might we send mothers an SMS reminder?")
    ['SMS', 'reminder']
    >>> names_product("How might we help mothers learn their baby's HIV result in their first 28 days in rural Malawi?")
    []
    """
    found = [(m.start(), m.group(0)) for m in _TECH_RE.finditer(text)]
    found += [(m.start(), m.group(0)) for m in _PRODUCT_RE.finditer(text)
              if not any(m.start() == s for s, _ in found)]
    return [w for _, w in sorted(found)]


__all__ = sorted(name for name, value in list(globals().items())
                 if not name.startswith("_") and name not in {"annotations", "difflib", "functools", "re", "Callable", "Any", "N_"})
