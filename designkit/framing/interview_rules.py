"""Word rules for interview questions: leading, closed, double-barrelled and jargon for the interviewee's age.

Each rule is ONE public function over the text of one question, so that a grade cell can test a rule on its
own and a later language (Chinese) can be added behind the same functions. They are transparent word lists
and patterns written for this course, not a validated readability or bias measure: a flag is a prompt to
reread the question, and a question can be fine although a rule fires (say so in your reflection).

>>> leading_phrases("Don't you think the wait is too long?")
["don't you think"]
>>> is_closed("Do you like the clinic?"), is_closed("What happens when you get to the clinic?")
(True, False)
>>> double_barrelled("How do you feel about the waiting and the cost?")
['the waiting and the cost']
>>> jargon_for_age("What are your pain points in the registration process?", 11)
['pain points', 'registration', 'process']
"""

from __future__ import annotations

import re

from .rules import language_of

#: Phrases that suggest the answer the interviewer hopes for (or presuppose a feeling).
LEADING_PHRASES = (
    "don't you think", "do you not think", "wouldn't you say", "wouldn't you agree", "don't you agree",
    "do you agree", "would you agree", "isn't it", "aren't they", "isn't that", "wasn't it", "didn't you",
    "don't you", "doesn't it", "surely", "obviously", "of course", "everyone says", "most children say",
    "how much do you like", "how much do you love", "how much did you like", "how much did you enjoy",
    "how much do you enjoy", "how much do you hate", "how great", "how good was", "how bad was", "how bad is",
    "how annoying", "how scary", "how frustrating", "how happy", "how helpful", "how much better",
    "you must have", "you must feel", "you must be", ", right", "right?", "why is it so hard",
    "why is it so bad", "why do you hate", "why do you like",
)
_LEADING_RE = re.compile(r"(?:" + "|".join(re.escape(p) for p in sorted(LEADING_PHRASES, key=len, reverse=True))
                         + r")(?=\W|$)", re.IGNORECASE)

#: Words that open a yes/no question in English (the question can be answered "yes" or "no").
CLOSED_OPENERS = (
    "do", "does", "did", "is", "are", "was", "were", "am", "can", "could", "will", "would", "shall", "should",
    "have", "has", "had", "may", "might", "must", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't",
    "weren't", "can't", "couldn't", "won't", "wouldn't", "haven't", "hasn't",
)
_CLOSED_SET = frozenset(CLOSED_OPENERS)
#: Polite openers that invite a story although they start like a yes/no question ("Can you tell me about...").
OPEN_INVITATIONS = (
    "can you tell", "could you tell", "would you tell", "will you tell", "can you describe", "could you describe",
    "can you show", "could you show", "would you show", "can you explain", "could you explain", "can you draw",
    "could you draw", "would you draw", "can you walk me through", "could you walk me through",
)
_POLITE_RE = re.compile(r"^\s*(?:and|so|ok|okay|now|then|please|also)\b[\s,]*", re.IGNORECASE)

_WH = r"(?:what|why|how|when|where|who|whom|which|whose)"
_AUX = r"(?:do|does|did|is|are|was|were|can|could|will|would|have|has|had|should)"
# "... and why ...", "... or did you ...": a second question joined to the first
_SECOND_QUESTION_RE = re.compile(rf"\b(?:and|or)\s+(?:{_WH}\b|{_AUX}\s+(?:you|they|he|she|we|it|your)\b)",
                                 re.IGNORECASE)
# "about the waiting and the cost": two separate things in one question
_TWO_THINGS_RE = re.compile(
    r"\b(?:the|your|their|this|that|his|her|our)\s+(?:[\w'’-]+\s+){0,2}?(?:and|or)\s+"
    r"(?:the|your|their|this|that|his|her|our)\s+[\w'’-]+(?:\s+[\w'’-]+)?",
    re.IGNORECASE)
# two verbs of judgement joined: "easy and useful", "clear and quick"
_TWO_JUDGEMENTS_RE = re.compile(
    r"\b(?:easy|hard|useful|helpful|clear|quick|fast|slow|safe|fun|nice|fair|friendly|simple|cheap)\s+(?:and|or)\s+"
    r"(?:easy|hard|useful|helpful|clear|quick|fast|slow|safe|fun|nice|fair|friendly|simple|cheap)\b",
    re.IGNORECASE)

#: Designers' words: jargon for an interviewee of any age.
DESIGN_JARGON = (
    "pain point", "pain points", "touchpoint", "touchpoints", "user journey", "journey map", "persona",
    "personas", "stakeholder", "stakeholders", "ideation", "ideate", "prototype", "prototypes", "iterate",
    "iteration", "user experience", "ux", "usability", "affordance", "affordances", "value proposition",
    "deliverable", "deliverables", "scalability", "uptake", "leverage", "synergy", "hmw", "how might we",
)
#: Institutional and research words: jargon when the interviewee is a child (under 18).
CHILD_JARGON = (
    "process", "procedure", "procedures", "facility", "facilities", "service provider", "service providers",
    "registration", "documentation", "eligibility", "beneficiary", "beneficiaries", "referral", "referrals",
    "caregiver", "caregivers", "guardian", "guardians", "adolescent", "adolescents", "consent", "assent",
    "confidential", "confidentiality", "anonymous", "anonymised", "anonymized", "data", "stakeholder",
    "intervention", "interventions", "outcome", "outcomes", "mechanism", "accessibility", "utilisation",
    "utilization", "compliance", "adherence", "community health worker", "health system", "turnaround",
    "turnaround time", "notification", "notify", "civil registration", "vital statistics",
)
# ---- the same rules for questions in Chinese (jieba cuts the words: see designkit/framing/rules_zh.py) ----

#: Phrases that lead the interviewee to an answer, in Chinese (``LEADING_PHRASES``).
LEADING_PHRASES_ZH = (
    "你不觉得", "你难道不觉得", "难道不是", "不是吗", "对吧", "对不对", "是不是很", "你同意吗", "你是否同意", "你同不同意",
    "显然", "当然", "肯定", "大家都说", "大多数孩子都说", "你有多喜欢", "你有多爱", "你有多讨厌", "有多好", "有多糟",
    "有多烦", "有多可怕", "有多开心", "有多有用", "好多少", "你一定", "为什么这么难", "为什么这么糟", "你为什么讨厌",
    "你为什么喜欢",
)
#: Yes/no questions in Chinese: "...吗？", "是否...", "有没有", and other A-not-A forms ("喜不喜欢").
_CLOSED_ZH_RE = re.compile(r"吗\s*[？?]?\s*$|^\s*是否|([\u4e00-\u9fff])[不没]\1")
#: Invitations to tell (open, although they end in 吗: "你能跟我说说……吗？").
OPEN_INVITATIONS_ZH = ("说说", "讲讲", "谈谈", "描述", "告诉我", "给我看", "画一画", "画画", "演示", "带我看")
#: Prompts without a question mark ("跟我说说……", "画一画……").
PROMPT_OPENERS_ZH = ("请", "跟我说说", "和我说说", "说说", "讲讲", "谈谈", "描述", "画", "给我看", "演示", "想象",
                     "想一想", "回忆", "指出", "选", "挑", "排一排")
_POLITE_ZH_RE = re.compile(r"^\s*(?:那么|那|好的|好|现在|然后|另外|还有|也)[，,\s]*")
# "……和为什么……": a second question joined to the first; "等待和费用": two things; "容易又有用": two judgements
_SECOND_QUESTION_ZH_RE = re.compile(r"(?:和|还有|以及|并且|而且|或者|还是)\s*(?:为什么|怎么|怎样|如何|什么|哪里|哪个|谁|"
                                    r"什么时候|你)")
_JUDGEMENTS_ZH = r"(?:容易|难|有用|有帮助|清楚|快|慢|安全|有趣|好玩|公平|友好|简单|便宜)"
_TWO_JUDGEMENTS_ZH_RE = re.compile(rf"{_JUDGEMENTS_ZH}(?:又|和|而且|并且|或者|还是|、){_JUDGEMENTS_ZH}")
_TWO_THINGS_ZH_RE = re.compile(r"(?:对|关于)?[^，,。？?和与及、]{1,6}(?:和|与|以及|还有)[^，,。？?]{1,6}?"
                               r"(?=的?(?:感觉|看法|怎么样|如何|有什么))")
#: Designers' words and institutional words, in Chinese (``DESIGN_JARGON``, ``CHILD_JARGON``).
DESIGN_JARGON_ZH = (
    "痛点", "触点", "用户旅程", "旅程图", "用户画像", "利益相关方", "构思", "原型", "迭代", "用户体验", "可用性",
    "价值主张", "交付物", "可扩展性", "采纳率", "赋能", "协同", "我们可以如何",
)
CHILD_JARGON_ZH = (
    "流程", "程序", "机构", "服务提供者", "登记", "文件", "资格", "受益人", "转介", "照护者", "监护人", "青少年",
    "知情同意", "赞同", "保密", "匿名", "数据", "干预", "结果指标", "机制", "可及性", "利用率", "依从性",
    "社区卫生工作者", "卫生系统", "周转时间", "民事登记", "人口动态统计",
)


def _zh(text: str) -> bool:
    return language_of(text) == "zh"


def _found_zh(text: str, phrases: tuple[str, ...]) -> list[str]:
    from .rules_zh import _find_all

    return [w for _, w in _find_all(text, phrases)]


#: Below this age the interviewee is a child (CRC art. 1), and CHILD_JARGON applies too.
ADULT_AGE = 18


def _jargon_re(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


_DESIGN_RE = _jargon_re(DESIGN_JARGON)
_CHILD_RE = _jargon_re(tuple(dict.fromkeys(DESIGN_JARGON + CHILD_JARGON)))


#: Prompts that ask for an answer without a question mark ("Tell me about...", "Draw...").
PROMPT_OPENERS = ("tell", "describe", "show", "draw", "explain", "walk me through", "talk about", "say", "act out",
                  "imagine", "think of", "think about", "remember", "point to", "sort", "pick", "choose")
MIN_QUESTION_WORDS = 3


def is_question(question: str) -> bool:
    """True when ``question`` reads as a question or a prompt: at least 3 words, and it ends with "?" or opens
    with a prompt ("Tell me...", "Draw...", ``PROMPT_OPENERS``).

    >>> is_question("What happens next?"), is_question("Draw your way to school."), is_question("the clinic")
    (True, True, False)
    """
    if _zh(question):  # "等待的时候发生了什么？", "画一画你去诊所的路。"
        from .rules import words

        text = _POLITE_ZH_RE.sub("", question.strip())
        return len(words(text)) >= MIN_QUESTION_WORDS and (
            text.rstrip().endswith(("?", "？")) or text.startswith(PROMPT_OPENERS_ZH))
    text = _POLITE_RE.sub("", question.strip()).casefold()
    if len(re.findall(r"[\w'’-]+", text)) < MIN_QUESTION_WORDS:
        return False
    return text.rstrip().endswith("?") or text.startswith(PROMPT_OPENERS)


def leading_phrases(question: str) -> list[str]:
    """The phrases in ``question`` that lead the interviewee to an answer (from ``LEADING_PHRASES``).

    >>> leading_phrases("How much do you like the new card?")
    ['how much do you like']
    >>> leading_phrases("What do you think of the card?")
    []
    """
    if _zh(question):  # "你不觉得等太久了吗？"
        return _found_zh(question, LEADING_PHRASES_ZH)
    return [m.group(0).strip(" ,").casefold() for m in _LEADING_RE.finditer(question)]


def is_closed(question: str) -> bool:
    """True when ``question`` can be answered yes or no: it opens with an auxiliary verb ("Do you ...?",
    "Is it ...?", "Can you ...?") after any polite opener ("And", "So", "Please"). An invitation to tell
    ("Can you tell me about...", ``OPEN_INVITATIONS``) is open.

    >>> is_closed("So, is the nurse kind to you?"), is_closed("Tell me about the last time you waited.")
    (True, False)
    >>> is_closed("Can you tell me what happened next?")
    False
    """
    if _zh(question):  # "护士对你好吗？" closed; "你能跟我说说接下来发生了什么吗？" open
        text = _POLITE_ZH_RE.sub("", question.strip())
        return not any(w in text for w in OPEN_INVITATIONS_ZH) and bool(_CLOSED_ZH_RE.search(text))
    text = _POLITE_RE.sub("", question.strip())
    if text.casefold().replace("’", "'").startswith(OPEN_INVITATIONS):
        return False
    first = re.match(r"[\w'’]+", text)
    return bool(first) and first.group(0).casefold().replace("’", "'") in _CLOSED_SET


def double_barrelled(question: str) -> list[str]:
    """The parts of ``question`` that ask two things at once ("... and why ...?", "the waiting and the cost",
    "easy and useful", or two question marks); empty when it asks one thing.

    >>> double_barrelled("What did you do and why did you do it?")
    ['and why']
    >>> double_barrelled("What happens when the result is late?")
    []
    >>> double_barrelled("What happens between the birth and the certificate?")
    []
    """
    if _zh(question):  # "你做了什么，为什么这样做？" is one question; "……和为什么……" two
        found = [m.group(0) for m in _SECOND_QUESTION_ZH_RE.finditer(question)]
        found += [m.group(0) for m in _TWO_THINGS_ZH_RE.finditer(question) if "之间" not in question[m.end():]]
        found += [m.group(0) for m in _TWO_JUDGEMENTS_ZH_RE.finditer(question)]
        if question.count("?") + question.count("？") > 1 and not found:
            found.append(question.strip())
        return found
    found = [m.group(0) for m in _SECOND_QUESTION_RE.finditer(question)]
    # "between the clinic and the office", "from the office or the school" name one span, not two things
    found += [m.group(0) for m in _TWO_THINGS_RE.finditer(question)
              if not re.search(r"\b(?:between|both|from|either)\s*$", question[:m.start()], re.IGNORECASE)]
    found += [m.group(0) for m in _TWO_JUDGEMENTS_RE.finditer(question)]
    if question.count("?") > 1 and not found:
        found.append(question.strip())
    return found


def jargon_for_age(question: str, age: int | float | None) -> list[str]:
    """The jargon in ``question`` for an interviewee of ``age`` (years): designers' words (``DESIGN_JARGON``) at
    any age; institutional and research words (``CHILD_JARGON``) too when the interviewee is under 18 or the
    age is unknown (None).

    >>> jargon_for_age("Which touchpoint was hardest?", 40)
    ['touchpoint']
    >>> jargon_for_age("How long did the registration take?", 40), jargon_for_age("How long did it take?", 9)
    ([], [])
    """
    if _zh(question):  # "登记流程中你的痛点是什么？"
        adult = age is not None and age >= ADULT_AGE
        return list(dict.fromkeys(_found_zh(question, DESIGN_JARGON_ZH if adult else DESIGN_JARGON_ZH + CHILD_JARGON_ZH)))
    pattern = _DESIGN_RE if age is not None and age >= ADULT_AGE else _CHILD_RE
    out: list[str] = []
    for m in pattern.finditer(question):
        word = m.group(0).casefold()
        if word not in out:
            out.append(word)
    return out
