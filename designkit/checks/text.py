"""Words of a student's text, in English or Chinese: what the problem sets' word-count and keyword checks read.

English words are separated by spaces; Chinese has none, so a Chinese text is cut into words by ``jieba`` (a
maintained dictionary-based segmenter, imported only when a text holds Chinese characters). Every function takes
the language from the text itself (:func:`designkit.framing.rules.language_of` and the presence of Chinese
characters), so one grade cell checks an English and a Chinese answer of the same substance alike, and an English
text is read exactly as before (the same regular expression).

- :func:`words` and :func:`word_count`: the words of a text;
- :func:`keyword_run`: the longest run of words with no linking word between them (a sentence has few in a row,
  a list of keywords has many);
- :func:`mentions`: whether a text names one of a list of words (English word beginnings, Chinese terms);
- :func:`shared_meaning_words`: the meaning words two texts share, across the two languages through a glossary;
- :func:`is_question`: a question mark at the end, ``?`` or the full-width ``？``.

>>> word_count("A director visits each child at home every month.")
9
>>> word_count("儿童主任每个月到每个孩子家里探访一次。") >= 8
True
>>> keyword_run("HIV PCR results laboratory clinic courier infant delay"), keyword_run("results take weeks to reach the clinic")
(8, 3)
>>> is_question("什么时候能拿到出生证明？"), is_question("When is it ready")
(True, False)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from designkit.framing.rules import STOP_WORDS, content_words, language_of, without_citations

__all__ = ["STOP_WORDS_ZH", "has_chinese", "is_question", "keyword_run", "mentions", "segment", "shared_meaning_words",
           "word_count", "words"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_EN_WORD = re.compile(r"[\w'’-]+")
_WORDLIKE = re.compile(r"\w")
_CITATION = re.compile(r"\[@[^\]]*\]")

# Chinese linking words: particles, prepositions, conjunctions, pronouns and the commonest adverbs and auxiliaries.
# They play the part of the English STOP_WORDS in keyword_run (a list of keywords has none of them).
STOP_WORDS_ZH = frozenset("""
的 地 得 了 着 过 之 所 和 与 及 以及 或 或者 还是 并 并且 而 而且 但 但是 可是 却 如果 要是 因为 所以 因此 由于 虽然
即使 只要 只有 除了 然后 于是 在 于 从 自 到 向 往 对 对于 关于 把 被 给 让 使 叫 为 为了 由 以 用 跟 同 比 按 按照 通过
根据 离 这 那 这个 那个 这些 那些 这里 那里 这样 那样 其 该 此 每 各 某 他 她 它 他们 她们 它们 我 我们 你 你们 您 自己
大家 谁 什么 哪 哪里 哪个 怎么 怎样 如何 为什么 多少 几 是 有 没 没有 不 也 都 就 才 还 又 再 很 太 更 最 已 已经 正在 在于
会 能 能够 可以 可能 应 应该 要 需要 必须 得以 将 吗 呢 吧 啊 呀 时 时候 后 以后 之后 前 以前 之前 中 里 上 下 等 一个 一
""".split())
# jieba part-of-speech flags of linking words: particles, prepositions, conjunctions, pronouns, adverbs, modal
# particles, interjections, onomatopoeia.
_LINK_FLAGS = ("u", "p", "c", "r", "d", "y", "e", "o")
_NUMBER_FLAGS = ("m", "q")  # numerals and measure words: "24 小时", "三次"
_NOUN_FLAGS = ("n", "j")  # nouns (place and person names too) and abbreviations: what a list of keywords is made of


def has_chinese(text: Any) -> bool:
    """True when ``text`` holds a Chinese character (then it is segmented with jieba).

    >>> has_chinese("HIV 检测结果"), has_chinese("HIV test results")
    (True, False)
    """
    return bool(_CJK.search(str(text)))


@functools.cache
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict..." lines in a student's notebook
    return jieba


@functools.lru_cache(maxsize=2048)
def _tagged(text: str) -> tuple[tuple[str, str], ...]:
    _jieba()
    import jieba.posseg

    return tuple((p.word, p.flag) for p in jieba.posseg.lcut(text) if _WORDLIKE.search(p.word))


def segment(text: str) -> list[str]:
    """The words of a Chinese (or mixed) text as jieba cuts them; spaces and punctuation dropped.

    >>> segment("村里的孩子没有出生证明")
    ['村里', '的', '孩子', '没有', '出生证明']
    """
    return [w for w, _ in _tagged(str(text))]


def words(text: Any) -> list[str]:
    """The words of ``text``: segmented by jieba when it holds Chinese characters, else the runs of letters,
    digits, apostrophes and hyphens (``it's``, ``HIV-exposed`` and ``8-11`` are one word each).

    >>> words("HIV-exposed infants' results"), words("孩子的出生证明")
    (['HIV-exposed', "infants'", 'results'], ['孩子', '的', '出生证明'])
    """
    text = str(text)
    return segment(text) if has_chinese(text) else _EN_WORD.findall(text)


def word_count(text: Any) -> int:
    """How many words ``text`` has (see :func:`words`): a Chinese sentence counts its words, not its spaces.

    >>> word_count("the district social welfare officer"), word_count("区社会福利官员")
    (5, 3)
    """
    return len(words(text))


def keyword_run(text: Any, *, skip_numbers: bool = False) -> int:
    """The longest run of words with no linking word between them, citations ``[@key]`` left out.

    English: a linking word is one of the framing rules' ``STOP_WORDS`` (the, to, of, in, who...). Chinese: a word
    jieba tags as a particle, preposition, conjunction, pronoun or adverb (的, 在, 和, 把, 他们, 不...) or one of
    :data:`STOP_WORDS_ZH`; the run counts the nouns (and numbers) between them, while verbs and adjectives neither
    link nor count (Chinese strings verbs together without linking words: 听人朗读知情同意书). A sentence rarely has
    more than six content words in a row; a list of keywords has many. With ``skip_numbers``, a number ("24 hours",
    "8-11", "三次") neither links nor counts.

    >>> keyword_run("出生证明 办公室 登记员 考试 小巴 排队 文件 户口")
    7
    >>> keyword_run("孩子的家人不知道出生证明什么时候能办好，只能一次次跑到办公室去问。") <= 6
    True
    >>> keyword_run("within 24 hours the lead refers the child", skip_numbers=True)
    2
    """
    text = _CITATION.sub(" ", str(text))
    best = run = 0
    if not has_chinese(text):
        for word in _EN_WORD.findall(text.lower()):
            if skip_numbers and any(c.isdigit() for c in word):
                continue
            run = 0 if word in STOP_WORDS else run + 1
            best = max(best, run)
        return best
    for word, flag in _tagged(text):
        w = word.casefold()
        if skip_numbers and (flag.startswith(_NUMBER_FLAGS) or any(c.isdigit() for c in w)):
            continue
        if w in STOP_WORDS_ZH or w in STOP_WORDS or flag.startswith(_LINK_FLAGS):
            run = 0
        elif flag.startswith(_NOUN_FLAGS) or flag in ("vn", "eng") or flag.startswith(_NUMBER_FLAGS):
            run += 1
            best = max(best, run)
        # a verb or an adjective neither links nor counts: Chinese strings verbs together without linking words
    return best


def mentions(text: Any, stems: Iterable[str] = (), terms_zh: Iterable[str] = ()) -> bool:
    """True when ``text`` names one of the words: for an English text, one of its meaning words
    (:func:`designkit.framing.rules.content_words`) begins with one of ``stems``; for a Chinese text, one of
    ``terms_zh`` occurs in it (or an English stem begins one of its Latin words: "HIV", "SMS").

    >>> mentions("Where do families wait for the certificate?", ("certificate", "regist"), ("出生证明", "登记"))
    True
    >>> mentions("家人在哪里等出生证明？", ("certificate",), ("出生证明",)), mentions("今天天气很好", (), ("出生证明",))
    (True, False)
    """
    text, stems = str(text), tuple(stems)
    if has_chinese(text) and language_of(text) == "zh":
        latin = [w.casefold() for w in re.findall(r"[A-Za-z][\w'’-]*", without_citations(text))]
        return any(t in text for t in terms_zh) or any(w.startswith(stems) for w in latin if stems)
    return bool(stems) and any(w.startswith(stems) for w in content_words(text))


def is_question(text: Any) -> bool:
    """True when ``text`` ends with a question mark, ``?`` or the full-width ``？`` a Chinese keyboard types.

    >>> is_question("How do children find out where their papers are?"), is_question("孩子们怎么知道证件在哪里？")
    (True, True)
    """
    return str(text).strip().endswith(("?", "？"))


def _zh_meaning_words(text: str) -> set[str]:
    return {w for w, flag in _tagged(without_citations(text))
            if w not in STOP_WORDS_ZH and not flag.startswith(_LINK_FLAGS + _NUMBER_FLAGS) and len(w) > 1}


def shared_meaning_words(text: Any, other: Any, glossary_zh: dict[str, str] | None = None) -> set[str]:
    """The meaning words ``text`` shares with ``other`` (e.g. an insight and the notes it rests on).

    Two English texts: their common :func:`~designkit.framing.rules.content_words` (stems). Two Chinese texts: their
    common words (jieba), linking words and one-character words left out. A Chinese ``text`` and an English
    ``other`` (a Chinese answer about English notes): the English stems that ``glossary_zh`` (Chinese term ->
    English word beginning) gives for the Chinese terms found in ``text`` and that begin a meaning word of
    ``other``. An English ``text`` about Chinese ``other`` shares nothing (the course's data are English).

    >>> sorted(shared_meaning_words("Families wait for the certificate", "the certificate took months; we wait"))
    ['certificate', 'wait']
    >>> glossary = {"出生证明": "certificate", "等": "wait", "办公室": "office"}
    >>> sorted(shared_meaning_words("家人一直在等出生证明", "the certificate took months; we wait", glossary))
    ['certificate', 'wait']
    """
    text, other = str(text), str(other)
    zh_text, zh_other = has_chinese(text), has_chinese(other)
    if not zh_text and not zh_other:
        return set(content_words(text)) & set(content_words(other))
    if zh_text and zh_other:
        return _zh_meaning_words(text) & _zh_meaning_words(other)
    if zh_other:
        return set()
    theirs = set(content_words(other))
    stems = {stem for term, stem in (glossary_zh or {}).items() if term in text}
    return {s for s in stems if any(w.startswith(s) for w in theirs)}
