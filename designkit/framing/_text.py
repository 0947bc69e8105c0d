"""Small, transparent text rules shared by the framing models (no NLP: word lists you can read).

>>> missing_solution("Lack of hospitals")
'hospitals'
>>> to_objective("High infant mortality")
'Lower infant mortality'
>>> mentions_child("Girls aged 10-14")
True
"""

from __future__ import annotations

import difflib
import re

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
    return re.sub(r"\s+", " ", text).strip().strip(".!?;:,").strip().casefold()


def words(text: str) -> list[str]:
    """The words of ``text`` (letters, digits, apostrophes and hyphens), lower case."""
    return re.findall(r"[\w'’-]+", text.casefold())


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
    "happy", "happier", "better off",
)
_VAGUE_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in VAGUE_PHRASES) + r")\b", re.IGNORECASE)
_CONTEXT_RE = re.compile(r"\s(?:in|at|during|when|while|within|before|after|on|across|between)\s", re.IGNORECASE)
_NUMBER_RE = re.compile(
    r"\s(?:(?:within|in|by|to|under|below|above|from|of|for|at)\s+)?(?:about\s+)?\d[\d,.]*\s*"
    r"(?:%|percent\b|per cent\b|days?\b|weeks?\b|months?\b|years?\b|hours?\b|minutes?\b|km\b|kilomet\w*\b)?",
    re.IGNORECASE)


def outcome_verbs(text: str) -> list[str]:
    """The verbs of change in ``text`` (from ``OUTCOME_VERBS``)."""
    return [w for w in words(text) if w in _OUTCOME_SET]


def technologies(text: str) -> list[str]:
    """The technologies named in ``text`` (from ``TECH_NOUNS``)."""
    return [m.group(0) for m in _TECH_RE.finditer(text)]


# handing over a thing: "give every pupil an egg", "provide a tablet", "build a clinic" (not "give girls a voice")
_ABSTRACT_GIFTS = ("voice", "say", "chance", "choice", "way", "reason", "opportunity", "sense", "role", "place",
                   "head start", "fair chance", "second chance", "break")
_PROVIDE_RE = re.compile(
    r"\b(?:give|gives|provide|provides|distribute|hand out|build|install|supply|donate|buy)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:an?|one|more|new|free)\s+(?!(?:" + "|".join(_ABSTRACT_GIFTS) + r")\b)[\w-]+", re.IGNORECASE)


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


def vague_phrases(text: str) -> list[str]:
    """The vague phrases in ``text`` (from ``VAGUE_PHRASES``)."""
    return [m.group(0) for m in _VAGUE_RE.finditer(text)]


def has_number(text: str) -> bool:
    """True when ``text`` contains a digit."""
    return bool(re.search(r"\d", text))


def has_context(text: str) -> bool:
    """True when ``text`` has a context phrase (in/at/during/when/before/after/within ...)."""
    return bool(_CONTEXT_RE.search(text))
