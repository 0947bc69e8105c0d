"""The Chinese (简体中文) variants of the text rules in :mod:`designkit.framing.rules`.

Each function here is the ``zh`` implementation of the English rule of the same name (registered with
:func:`~designkit.framing.rules.variant`); the rule runs it for a text that :func:`~designkit.framing.rules.
language_of` finds Chinese. Chinese has no spaces between words, so texts are cut into words by ``jieba`` (a
maintained dictionary-based segmenter). jieba is imported only when the first Chinese text is seen (its first use
builds a prefix dictionary in about a second and caches it in the system temp folder, ``tempfile.gettempdir()``,
never in the checkout). The word lists are plain Python tuples, one per English list (``MISSING_SOLUTION_ZH`` is
the Chinese ``MISSING_SOLUTION_PREFIXES``...), so a student or a grader can read why a text was flagged.

>>> from designkit.framing.rules import missing_solution, mentions_child, to_objective
>>> missing_solution("村里缺少儿童主任"), missing_solution("婴儿死亡率高") is None
('儿童主任', True)
>>> mentions_child("留守儿童的祖父母"), to_objective("婴儿死亡率高")
(True, '婴儿死亡率降低')
"""

from __future__ import annotations

import functools
import re
from typing import Any

from designkit.i18n import N_

from .rules import variant

# ---- the segmenter, loaded on first use ----

# Words of the course that jieba's general dictionary would cut in two: kept whole (in memory only).
COURSE_WORDS_ZH = (
    "儿童主任", "留守儿童", "营养包", "卫生工作者", "社区卫生工作者", "照护者", "利益相关方", "用户画像", "旅程图",
    "问题树", "发育迟缓", "低出生体重", "出生登记", "免疫接种", "诊所工作人员", "艾滋病病毒", "检测结果", "无人机",
    "自助服务机", "聊天机器人", "二维码", "社会工作者", "社工", "赤脚医生", "贫血", "新生儿", "婴幼儿", "未成年人",
    "手机应用", "短信提醒", "小学生", "中学生", "寄宿学校", "外出务工",
)


@functools.cache
def _jieba() -> Any:
    """jieba, imported and given the course words the first time a Chinese text is segmented."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict..." lines in a student's notebook
    for word in COURSE_WORDS_ZH:
        jieba.add_word(word)
    return jieba


@functools.lru_cache(maxsize=4096)
def segment(text: str) -> tuple[str, ...]:
    """The words of ``text`` as jieba cuts them (spaces and punctuation dropped; Latin words in lower case; a number
    apart from its unit).

    >>> segment("村里缺少儿童主任。"), segment("登记率为60%")
    (('村里', '缺少', '儿童主任'), ('登记', '率为', '60', '%'))
    """
    out: list[str] = []
    for w in _jieba().lcut(text):
        if not re.search(r"\w", w):
            continue
        number = re.match(r"^(\d[\d,.]*)(%|[^\d,.%]+)$", w)  # "60%", "3周", "6100万": the number as its own word
        out += [number.group(1), number.group(2)] if number else [w.casefold()]
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def tagged(text: str) -> tuple[tuple[str, str], ...]:
    """``(word, part-of-speech)`` pairs of ``text`` (jieba.posseg: ``ns`` place, ``nr`` person name, ``v`` verb...).

    >>> dict(tagged("甘肃的女孩"))["甘肃"]
    'ns'
    """
    _jieba()
    import jieba.posseg

    return tuple((p.word, p.flag) for p in jieba.posseg.lcut(text) if re.search(r"\w", p.word))


def _find_all(text: str, phrases: tuple[str, ...]) -> list[tuple[int, str]]:
    """(position, phrase) of every phrase of the list in ``text``, longest first where two overlap, in order."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str]] = []
    for phrase in sorted(phrases, key=len, reverse=True):
        for m in re.finditer(re.escape(phrase), text, re.IGNORECASE):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append((m.start(), m.end()))
                found.append((m.start(), m.group(0)))
    return sorted(found)


_EN_WORD_RE = re.compile(r"[A-Za-z][\w'’-]*")


# ---- words ----

@variant("words", "zh")
def words(text: str) -> list[str]:
    """The words of a Chinese ``text`` (jieba), Latin words in lower case.

    >>> words("母亲要等几周才能拿到HIV结果")
    ['母亲', '要', '等', '几周', '才能', '拿到', 'hiv', '结果']
    """
    return list(segment(text))


@variant("stem", "zh")
def stem(word: str) -> str:
    """Chinese words have no plural or possessive ending: the word itself (``们`` dropped: 母亲们 -> 母亲).

    >>> stem("母亲们"), stem("诊所")
    ('母亲', '诊所')
    """
    w = word.strip()
    return w[:-1] if len(w) > 2 and w.endswith("们") else w


# Chinese stop words: the ones of ``STOP_WORDS`` (的, 了, 是, 在, 我们, 可以, 如何...).
STOP_WORDS_ZH = frozenset("""
的 地 得 了 着 过 是 在 和 与 及 以及 或 或者 而 并 并且 但 但是 也 都 就 还 又 再 很 非常 更 最 太 把 被 对 对于 为 为了
从 到 向 以 于 上 下 中 里 之 其 这 那 这些 那些 这个 那个 一个 一些 个 们 我 我们 你 你们 他 他们 她 她们 它 它们
自己 可以 能 能够 会 要 应该 如何 怎样 怎么 什么 哪 哪些 谁 吗 呢 吧 啊 所 所以 因为 由于 如果 虽然 不过 每 每个 各 等
""".split())
# Words of every case (``NEUTRAL_WORDS``): they say nothing about which case a text is about.
NEUTRAL_WORDS_ZH = frozenset("""
儿童 孩子 小孩 人 人们 家庭 父母 家长 母亲 妈妈 父亲 爸爸 婴儿 宝宝 女孩 男孩 某人 大家 所有人 东西 事情 方式 需要 需求
想要 时间 天 年 好 坏 更好 大 小 新 问题 情况
""".split())


@variant("content_words", "zh")
def content_words(text: str) -> list[str]:
    """The words of a Chinese ``text`` that carry meaning: no stop words (的, 了, 我们...), no words every case shares
    (儿童, 母亲, 问题...), no citations, no numbers.

    >>> content_words("孩子们吃太多水果 [@seidenberg2012]")
    ['吃', '多', '水果']
    """
    from .rules import without_citations

    out = []
    for w in segment(without_citations(text)):
        s = stem(w)
        if s in STOP_WORDS_ZH or s in NEUTRAL_WORDS_ZH or w.isdigit() or not any(c.isalpha() for c in s):
            continue
        out.append(s)
    return out


# ---- missing solutions ----

# "缺少 X", "没有 X", "需要 X"...: a text whose first clause says something is missing names a missing solution.
MISSING_SOLUTION_ZH = (
    "缺少", "缺乏", "欠缺", "缺", "没有", "没", "无", "需要", "急需", "亟需", "需", "不够", "不足", "短缺", "匮乏",
    "缺失",
)
# Things a project provides: "没有 [发送结果的] 短信系统" names a missing thing even after a verb.
PROVIDED_THINGS_ZH = (
    "系统", "平台", "应用", "网站", "医院", "诊所", "卫生所", "实验室", "化验室", "学校", "人员", "主任", "医生", "护士",
    "老师", "教师", "设备", "资金", "经费", "药", "药品", "疫苗", "车", "道路", "电", "网络", "补贴", "项目", "服务",
    "热线", "机器", "工具",
)
# "X 不足", "X 短缺": the same said after the thing.
MISSING_SOLUTION_SUFFIXES_ZH = ("不足", "不够", "短缺", "匮乏", "缺乏", "缺失", "太少", "数量少")
# Before the missing word there may be a short place or subject ("村里", "这个县"), not a reason ("因为", "导致").
_TOPIC_BREAKERS = "，,。；;因由导致而使让把被"
_NEGATIONS = ("没有", "没", "无")
_MISSING_ZH_RE = re.compile(
    rf"^\s*(?P<topic>[^{_TOPIC_BREAKERS}]{{0,6}}?)(?P<word>"
    + "|".join(re.escape(w) + (r"(?![法论需关奈])" if w == "无" else "")  # 无法 (cannot) is not 无 (no)
               for w in sorted(MISSING_SOLUTION_ZH, key=len, reverse=True)) + r")(?P<rest>[^，,。；;]+)")
# The place a missing thing can be missing from, before the missing-word: "村里缺少儿童主任", "学校没有食堂". A person
# there ("母亲没有手机": mothers have no phone) makes it a condition of that person, as in English.
PLACE_WORDS_ZH = ("村", "村里", "村子", "村庄", "农村", "乡", "乡里", "镇", "镇上", "县", "县里", "省", "市", "区", "社区",
                  "当地", "这里", "那里", "这个", "那个", "学校", "学校里", "诊所", "医院", "卫生院", "地区", "山区", "全县",
                  "全村", "目前", "现在", "过去", "以前")
_PLACE_FLAGS = ("s", "f", "ns", "t", "m", "q")
_MISSING_SUFFIX_ZH_RE = re.compile(
    r"^\s*(?P<rest>[^，,。；;]+?)(?:的)?(?:数量|人数)?(?:" + "|".join(MISSING_SOLUTION_SUFFIXES_ZH) + r")\s*[。.!！]?\s*$")


@variant("missing_solution", "zh")
def missing_solution(text: str) -> str | None:
    """X when ``text`` says X is missing ("缺少X", "村里没有X", "需要X", "X不足"), else None. A negated action
    ("母亲没有收到结果": mothers did not receive the results) is a condition, not a missing thing.

    >>> missing_solution("缺乏医院"), missing_solution("儿童主任数量不足")
    ('医院', '儿童主任')
    >>> missing_solution("母亲没有收到结果") is None, missing_solution("结果要几周才到诊所") is None
    (True, True)
    """
    match = _MISSING_ZH_RE.match(text)
    if match:
        rest = match.group("rest").strip().strip("。.")
        first = tagged(rest)[:1]
        negated_action = match.group("word") in _NEGATIONS and first and first[0][1].startswith("v") \
            and first[0][1] != "vn" and not rest.endswith(PROVIDED_THINGS_ZH)
        nobody = match.group("word") in _NEGATIONS and rest.startswith("人")  # 没有人告诉她: nobody tells her
        if rest and not negated_action and not nobody and _is_place(match.group("topic")):
            return rest
    match = _MISSING_SUFFIX_ZH_RE.match(text)
    if match and match.group("rest").strip():
        return match.group("rest").strip()
    return None


def _is_place(topic: str) -> bool:
    """True when the words before a missing-word name only a place or a time ("村里", "这个县", "目前"), or nothing."""
    return all(word in PLACE_WORDS_ZH or flag in _PLACE_FLAGS or word.endswith(("里", "上", "县", "村", "乡", "镇"))
               for word, flag in tagged(topic.strip()))


# ---- objectives ----

# A negative condition said after its subject ("婴儿死亡率高") -> the desired condition ("婴儿死亡率降低").
OBJECTIVE_SUFFIX_REWRITES_ZH: dict[str, str] = {
    "过高": "降低", "太高": "降低", "很高": "降低", "偏高": "降低", "高": "降低", "上升": "下降", "增加": "减少",
    "过低": "提高", "太低": "提高", "很低": "提高", "偏低": "提高", "低": "提高", "下降": "回升", "减少": "增加",
    "延迟": "及时", "迟缓": "正常", "太慢": "更快", "慢": "快", "太晚": "及时", "晚": "及时", "太长": "缩短",
    "长": "缩短", "差": "改善",
    "弱": "加强", "太多": "减少", "多": "减少", "太少": "增加", "少": "增加", "频繁": "减少", "有限": "扩大",
    "不足": "充足", "不够": "足够", "短缺": "充足", "不可靠": "可靠", "不安全": "安全", "难以获得": "容易获得",
}
# ... or before it ("高婴儿死亡率", "缺少儿童主任") -> "更低的婴儿死亡率", "有足够的儿童主任".
OBJECTIVE_PREFIX_REWRITES_ZH: dict[str, str] = {
    "过高的": "更低的", "高": "更低的", "过低的": "更高的", "低": "更高的", "延迟的": "及时的", "延迟": "及时的",
    "迟到的": "及时的", "迟": "及时的", "缓慢的": "更快的", "较差的": "良好的", "差的": "良好的", "不可靠的": "可靠的",
    "未登记的": "已登记的", "未治疗的": "得到治疗的", "不安全的": "安全的", "负担不起的": "负担得起的",
    "缺少": "有足够的", "缺乏": "有足够的", "没有": "有", "不足的": "充足的", "太多": "更少的", "太少": "更多的",
    "很多": "更少的", "频繁的": "更少的",
}
FALLBACK_OBJECTIVE_ZH = "得到解决"


@variant("to_objective", "zh")
def to_objective(text: str) -> str:
    """Rewrite a Chinese negative condition as the desired condition (``OBJECTIVE_SUFFIX_REWRITES_ZH``, then
    ``OBJECTIVE_PREFIX_REWRITES_ZH``); anything else becomes "X得到解决" (then rephrase it by hand).

    >>> to_objective("艾滋病检测结果延迟"), to_objective("缺乏儿童主任"), to_objective("孩子们在一岁前死亡")
    ('艾滋病检测结果及时', '有足够的儿童主任', '孩子们在一岁前死亡得到解决')
    """
    stripped = text.strip().rstrip("。.")
    for word in sorted(OBJECTIVE_SUFFIX_REWRITES_ZH, key=len, reverse=True):
        if stripped.endswith(word) and len(stripped) > len(word):
            return stripped[:-len(word)] + OBJECTIVE_SUFFIX_REWRITES_ZH[word]
    for word in sorted(OBJECTIVE_PREFIX_REWRITES_ZH, key=len, reverse=True):
        if stripped.startswith(word) and len(stripped) > len(word):
            return OBJECTIVE_PREFIX_REWRITES_ZH[word] + stripped[len(word):]
    return stripped + FALLBACK_OBJECTIVE_ZH if stripped else stripped


@variant("is_fallback_objective", "zh")
def is_fallback_objective(text: str) -> bool:
    """True when ``to_objective`` used the "...得到解决" fallback.

    >>> is_fallback_objective("孩子们在一岁前死亡得到解决")
    True
    """
    return text.endswith(FALLBACK_OBJECTIVE_ZH)


# ---- people ----

# Words for children and young people (``CHILD_WORDS``).
CHILD_WORDS_ZH = (
    "儿童", "孩子", "小孩", "童年", "青少年", "少年", "青年", "年轻人", "女孩", "男孩", "女童", "男童", "婴儿", "新生儿",
    "婴幼儿", "幼儿", "宝宝", "学生", "小学生", "中学生", "学童", "孤儿", "留守儿童", "未成年人", "少女", "学龄儿童",
    "子女", "儿子", "女儿", "孙子", "孙女", "孙辈", "学习者",
)


@variant("mentions_child", "zh")
def mentions_child(text: str) -> bool:
    """True when ``text`` names children or young people (a word of ``CHILD_WORDS_ZH``).

    >>> mentions_child("艾滋病暴露婴儿的母亲"), mentions_child("区卫生局")
    (True, False)
    """
    return bool(_find_all(text, CHILD_WORDS_ZH)) or bool(_EN_WORD_RE.search(text)) and _english_rule(
        "mentions_child", " ".join(_EN_WORD_RE.findall(text)))


def _english_rule(name: str, text: str) -> Any:
    from .rules import RULES

    return RULES[name].english(text)  # type: ignore[attr-defined]


_AGE_ZH_RE = re.compile(
    r"\d{1,2}\s*(?:[-–~至到]\s*\d{1,2}\s*)?(?:周岁|岁|个月|月龄|周|天)(?:大)?"
    r"|[一二三四五六七八九十两]{1,3}\s*(?:周岁|岁|个月大|个月|周大)|年龄在?\s*\d|月龄")


@variant("states_age", "zh")
def states_age(text: str) -> bool:
    """True when ``text`` states an age ("7岁", "6个月大的婴儿", "10-14岁", "十五岁").

    >>> states_age("一个6个月大的婴儿"), states_age("十五岁的比阿特丽斯"), states_age("一个婴儿")
    (True, True, False)
    """
    return bool(_AGE_ZH_RE.search(text))


# Person or group words (``ADULT_USER_WORDS``).
ADULT_USER_WORDS_ZH = (
    "母亲", "妈妈", "父亲", "爸爸", "父母", "家长", "照护者", "看护人", "监护人", "家庭", "家人", "祖父母", "祖母",
    "祖父", "奶奶", "爷爷", "外婆", "外公", "妇女", "女性", "男性", "男人", "女人", "教师", "老师", "卫生工作者",
    "社区卫生工作者", "护士", "助产士", "医生", "临床医生", "诊所工作人员", "工作人员", "志愿者", "代理人", "报告员",
    "登记员", "官员", "干部", "社会工作者", "社工", "领导", "农民", "社区", "村民", "居民", "患者", "病人", "用户",
    "人们", "人", "住户", "家户", "主任", "儿童主任", "校长", "员工", "孕妇",
)
# Words for anyone at all (``VAGUE_USERS``).
VAGUE_USERS_ZH = ("人们", "人", "用户", "大家", "所有人", "每个人", "社区", "公众", "利益相关方")


@variant("user_group", "zh")
def user_group(text: str) -> str | None:
    """The first child word of ``text`` (``CHILD_WORDS_ZH``), else the first person or group word, else None.

    >>> user_group("我们可以如何帮助蒙泽的母亲更早拿到结果？"), user_group("我们可以如何消除贫困？")
    ('母亲', None)
    """
    children = _find_all(text, CHILD_WORDS_ZH)
    if children:
        return children[0][1]
    adults = _find_all(text, ADULT_USER_WORDS_ZH)
    if adults:
        return adults[0][1]
    latin = " ".join(_EN_WORD_RE.findall(text))
    return _english_rule("user_group", latin) if latin else None


# Group words that could be anyone unless something narrows them (``BROAD_USERS``).
BROAD_USERS_ZH = (
    "人们", "人", "大家", "所有人", "每个人", "任何人", "用户", "公众", "社区", "公民", "个人", "儿童", "孩子", "小孩",
    "母亲", "妈妈", "妇女", "女性", "男性", "父母", "家长", "家庭", "父亲", "爸爸", "女孩", "男孩", "青年", "年轻人",
    "照护者", "看护人", "监护人", "利益相关方", "受益人", "村民", "居民", "住户", "家户",
)
# Words that narrow a group: a condition, a life stage, a situation (``NARROWING_WORDS``).
NARROWING_WORDS_ZH = (
    "艾滋病", "阳性", "暴露", "感染", "怀孕", "孕妇", "孕期", "检测", "残疾", "残障", "聋", "盲", "孤儿", "留守",
    "流动", "外出务工", "打工", "难民", "流离失所", "贫血", "营养不良", "发育迟缓", "早产", "低出生体重", "新生儿",
    "婴儿", "婴幼儿", "幼儿", "宝宝", "青少年", "学生", "小学生", "中学生", "学校", "上学", "未登记", "丧偶", "单亲",
    "出生", "母乳", "哺乳", "寄宿", "务农", "游牧", "偏远", "第一次", "首次", "初为", "祖母", "祖父母", "奶奶",
    "正在", "等待", "照顾", "抚养", "带着", "独自", "之后", "之前", "期间", "时候",
)
# Parts of speech jieba gives names: a place (甘肃), a person, an organisation, another proper name.
_NAME_FLAGS = ("ns", "nr", "nt", "nz")
_PLACE_RE = re.compile(r"[\u4e00-\u9fff]{1,6}(?:省|市|县|区|乡|镇|州)")


def _named(text: str) -> bool:
    """True when ``text`` names a place, a person or a programme (jieba's name tags, 省/县/乡..., a Latin name)."""
    return (any(flag in _NAME_FLAGS for _, flag in tagged(text)) or bool(_PLACE_RE.search(text))
            or any(w[:1].isupper() for w in _EN_WORD_RE.findall(text)))


@variant("vague_user", "zh")
def vague_user(text: str) -> str | None:
    """The group word when a Chinese ``text`` names a group that could be anyone ("儿童", "所有人", "村里的母亲")
    and nothing narrows it: no age or number, no condition or life stage (艾滋病, 怀孕, 新生儿...), no situation
    (正在等待, 照顾...) and no named place (甘肃, 蒙泽); else None. Specific roles (卫生工作者, 老师) are never vague.

    >>> vague_user("儿童"), vague_user("村里的母亲"), vague_user("10-14岁的女孩")
    ('儿童', '母亲', None)
    >>> vague_user("甘肃农村的母亲"), vague_user("社区卫生工作者")
    (None, None)
    """
    from .rules import has_number

    broad = _find_all(text, BROAD_USERS_ZH)
    if not broad:
        return None
    roles = [w for _, w in _find_all(text, ADULT_USER_WORDS_ZH + CHILD_WORDS_ZH) if w not in BROAD_USERS_ZH]
    if roles:
        return None
    if states_age(text) or has_number(text) or _find_all(text, NARROWING_WORDS_ZH) or _named(text):
        return None
    return broad[0][1]


# ---- statements: verbs of change, technologies, solutions, vague aims ----

# Verbs of change (``OUTCOME_VERBS``).
OUTCOME_VERBS_ZH = (
    "帮助", "帮", "减少", "降低", "增加", "提高", "确保", "保证", "使", "让", "支持", "保持", "改善", "获得", "得到",
    "拿到", "给", "缩短", "加快", "保护", "预防", "防止", "鼓励", "联系", "接触", "赋能", "加强", "促进", "减轻",
    "带来", "翻倍", "减半", "登记", "纳入", "留在", "收到", "接收", "找到", "知道", "得知", "了解", "学习", "学会",
    "感到", "获取", "使用", "避免", "停止", "结束", "挽救", "成长", "返回", "回到", "存活", "活下来", "成为",
    "开始", "完成", "上学", "信任", "分享", "选择", "告诉", "听到", "倾听", "告知", "通知", "提醒", "激励", "邀请",
    "欢迎", "入学", "喂养", "治疗", "接种", "检测", "诊断", "送达", "追踪", "跟踪", "解决", "改变", "变革", "建设",
    "建立", "创造", "设计", "开发", "做", "协助", "服务", "造福", "坚持", "吃", "吃到", "识别", "发现", "转介", "消除",
)
# Verbs that say only that something should happen, not what should change (``GENERIC_VERBS``).
GENERIC_VERBS_ZH = ("帮助", "帮", "支持", "使", "让", "做", "协助", "赋能", "服务", "造福", "解决", "改变", "变革")


@variant("outcome_verbs", "zh")
def outcome_verbs(text: str) -> list[str]:
    """The verbs of change in a Chinese ``text`` (``OUTCOME_VERBS_ZH``), as jieba cuts them.

    >>> outcome_verbs("我们可以如何帮助母亲得知结果？")
    ['帮助', '得知']
    """
    verbs = set(OUTCOME_VERBS_ZH)
    found = [w for w in segment(text) if w in verbs]
    if "给" in found and _give_is_preposition(text):
        found.remove("给")
    return found


def _give_is_preposition(text: str) -> bool:
    """True when 给 is "to/for" (给母亲发送短信: another verb follows in its clause), not "give" (给每个学生一个鸡蛋)."""
    tags = tagged(text)
    start = next(i for i, (w, _) in enumerate(tags) if w == "给") if any(w == "给" for w, _ in tags) else len(tags)
    for word, flag in tags[start + 1:]:
        if word in "，,。；;？?":
            break
        if flag.startswith("v") and flag != "vn":
            return True
    return False


# Technologies (``TECH_NOUNS``); Latin names (SMS, app, WhatsApp) are found by the English list.
TECH_NOUNS_ZH = (
    "应用程序", "手机应用", "应用", "网站", "网页", "平台", "门户", "仪表盘", "聊天机器人", "机器人", "短信", "短消息",
    "无人机", "自助服务机", "平板电脑", "平板", "智能手机", "手机", "移动电话", "区块链", "人工智能", "机器学习",
    "数据库", "软件", "传感器", "二维码", "互联网", "网上", "在线", "线上", "微信", "电脑", "计算机", "视频", "广播",
    "收音机", "电子邮件", "数字化",
)
# Single products or features (``PRODUCT_NOUNS``).
PRODUCT_NOUNS_ZH = (
    "设备", "装置", "小工具", "按钮", "提醒", "警报", "通知", "热线", "海报", "传单", "宣传单", "游戏", "贴纸",
    "代金券", "优惠券", "功能", "小组件", "自助机",
)
# Things a solution is made of (``SOLUTION_NOUNS``).
SOLUTION_NOUNS_ZH = (
    "应用", "网站", "平台", "门户", "仪表盘", "聊天机器人", "系统", "自助机", "设备", "项目", "计划", "运动", "工具",
    "服务", "热线", "机器", "游戏",
)
_MEANS_ZH_RE = re.compile(
    r"(?:通过|利用|借助|使用|用|依靠|靠|经由)[^，,。？?；;]{0,8}?(?:"
    + "|".join(sorted(TECH_NOUNS_ZH + SOLUTION_NOUNS_ZH, key=len, reverse=True)) + r"|[A-Za-z]+)")
_SOLUTION_NOUN_ZH_RE = re.compile(
    r"(?:一个|一套|一款|一种|新的|我们的)[^，,。？?；;]{0,6}?(?:"
    + "|".join(sorted(SOLUTION_NOUNS_ZH, key=len, reverse=True)) + r")")
# Handing over a thing ("给每个学生一个鸡蛋", "建一所诊所"), not "给女孩发言的机会".
ABSTRACT_GIFTS_ZH = ("机会", "声音", "发言权", "选择", "理由", "角色", "位置", "希望", "空间", "时间")
_PROVIDE_ZH_RE = re.compile(
    r"(?:给|提供|发放|分发|建|修建|建造|安装|供应|捐赠|购买|买)[^，,。？?；;]{0,6}?"
    r"(?:一个|一台|一份|一只|一枚|一颗|一辆|一所|一部|更多的?|新的|免费的?)[^，,。？?；;\s]{1,4}")


@variant("technologies", "zh")
def technologies(text: str) -> list[str]:
    """The technologies named in a Chinese ``text`` (``TECH_NOUNS_ZH``, and Latin names such as SMS).

    >>> technologies("用短信把结果发到平板电脑上"), technologies("结果送到诊所")
    (['短信', '平板电脑'], [])
    """
    found = _find_all(text, TECH_NOUNS_ZH)
    found += [(m.start(), m.group(0)) for m in re.finditer(r"[A-Za-z][\w-]*", text)
              if _english_rule("technologies", m.group(0))]
    return [w for _, w in sorted(found)]


@variant("names_product", "zh")
def names_product(text: str) -> list[str]:
    """The technologies and single products a Chinese ``text`` names (``PRODUCT_NOUNS_ZH``; 提醒 and 通知 only as
    nouns, not as the verbs "remind", "notify"). An age, a number or a place makes a question precise, not narrow.

    >>> names_product("我们可以如何给母亲发送短信提醒？"), names_product("我们可以如何提醒母亲按时复诊？")
    (['短信', '提醒'], [])
    """
    found = [(text.find(w), w) for w in technologies(text)]
    tags = dict(tagged(text))
    for pos, w in _find_all(text, PRODUCT_NOUNS_ZH):
        if tags.get(w, "n").startswith("v") and w in ("提醒", "通知"):
            continue
        if not any(s <= pos < s + len(t) for s, t in found):
            found.append((pos, w))
    return [w for _, w in sorted(found)]


@variant("solution_phrase", "zh")
def solution_phrase(text: str) -> str | None:
    """The part of a Chinese ``text`` that embeds a solution ("利用无人机", "开发一个应用", "给每个学生一个鸡蛋").

    >>> solution_phrase("我们可以如何利用无人机帮助母亲拿到结果？"), solution_phrase("我们可以如何给每个学生一个鸡蛋？")
    ('利用无人机', '给每个学生一个鸡蛋')
    >>> solution_phrase("我们可以如何给女孩一个发言的机会？") is None
    True
    """
    found = [m for m in (_MEANS_ZH_RE.search(text), _SOLUTION_NOUN_ZH_RE.search(text)) if m]
    provide = _PROVIDE_ZH_RE.search(text)
    if provide and not any(g in text[provide.start():provide.end() + 4] for g in ABSTRACT_GIFTS_ZH):
        found.append(provide)
    if not found:
        return None
    return min(found, key=lambda m: m.start()).group(0).strip()


# Aims so wide that any idea fits (``VAGUE_PHRASES``).
VAGUE_PHRASES_ZH = (
    "一切", "所有人", "每个人", "整个世界", "全世界", "世界", "解决贫困", "消除贫困", "所有问题", "任何问题", "改善生活",
    "让生活更好", "生活更美好", "变得更好", "改善情况", "更美好的世界", "社会", "更健康", "身体健康", "快乐", "更快乐",
    "开心", "幸福", "更好", "过得更好", "感觉良好", "美好生活", "福祉",
)


@variant("vague_phrases", "zh")
def vague_phrases(text: str) -> list[str]:
    """The vague phrases in a Chinese ``text`` (``VAGUE_PHRASES_ZH``).

    >>> vague_phrases("我们可以如何让孩子们快乐并改善一切？")
    ['快乐', '一切']
    """
    return [w for _, w in _find_all(text, VAGUE_PHRASES_ZH)]


_NUMBER_ZH_RE = re.compile(
    r"\d|百分之|(?<!第)(?:[二三四五六七八九十两百千万][零一二三四五六七八九十两百千万]*|一[零一二三四五六七八九十百千万]+)"
    r"\s*(?:个|天|周|星期|月|年|岁|小时|分钟|公里|倍|名|位|次|所|家|成)")


@variant("has_number", "zh")
def has_number(text: str) -> bool:
    """True when a Chinese ``text`` has a number: a digit, or a Chinese numeral with a unit ("二十八天", "三个孙辈");
    "第一个月" (an ordinal) and "一个母亲" (an article) are not numbers.

    >>> has_number("出生后28天内"), has_number("出生后二十八天内"), has_number("在第一个月里"), has_number("一个母亲")
    (True, True, False, False)
    """
    return bool(_NUMBER_ZH_RE.search(text))


# Context words (``_CONTEXT_RE``: in, at, during, when, before, after...).
CONTEXT_WORDS_ZH = ("在", "于", "当", "期间", "之前", "之后", "以前", "以后", "以内", "之内", "的时候", "时", "里")


@variant("context_start", "zh")
def context_start(text: str) -> int | None:
    """Where the first context word (``CONTEXT_WORDS_ZH``: 在, 期间, 之前...) starts in a Chinese ``text``, or None.
    A word that is part of another word (存在, 现在) does not count.

    >>> context_start("帮助甘肃的女孩在学校读完书"), context_start("帮助女孩读完书") is None
    (7, True)
    """
    pos = 0
    for w in _jieba().lcut(text):
        if w in CONTEXT_WORDS_ZH:
            return pos
        pos += len(w)
    return None


@variant("has_context", "zh")
def has_context(text: str) -> bool:
    """True when a Chinese ``text`` has a context word (在, 期间, 当...时...) or names a place.

    >>> has_context("帮助在甘肃的女孩"), has_context("帮助女孩")
    (True, False)
    """
    return context_start(text) is not None or _named(text)


# Other openings of a question (``_OTHER_OPENING_RE``).
OPENINGS_ZH = ("我们可以如何", "我们可以怎样", "我们该如何", "我们应该如何", "我们如何", "我们怎样才能", "我们怎样",
               "我们怎么", "如何才能", "如何", "怎样才能", "怎样", "怎么", "我们需要", "我们想要", "我们要")


@variant("strip_opening", "zh")
def strip_opening(text: str) -> str:
    """A Chinese question without its opening ("我们如何", "如何", "我们需要").

    >>> strip_opening("我们如何降低儿童死亡率？")
    '降低儿童死亡率？'
    """
    stripped = text.lstrip()
    for opening in sorted(OPENINGS_ZH, key=len, reverse=True):
        if stripped.startswith(opening):
            return stripped[len(opening):].lstrip("，, ")
    return text


@variant("without_means", "zh")
def without_means(text: str) -> str:
    """A Chinese ``text`` without its means ("利用无人机", "通过短信"), if any. Chinese puts the means before the
    verb, so only the means is cut, not the rest of the sentence.

    >>> without_means("利用无人机帮助母亲拿到结果"), without_means("帮助母亲通过短信拿到结果")
    ('帮助母亲拿到结果', '帮助母亲拿到结果')
    """
    cut = _MEANS_ZH_RE.search(text)
    return text[:cut.start()] + text[cut.end():] if cut else text


_DEADLINE_ZH_RE = re.compile(r"(?:在|于)?[^，,。；;在于]{0,6}?(?:\d+|[一二三四五六七八九十两百千]+)\s*"
                             r"(?:个|天|周|星期|月|年|小时)[^，,。；;]*?(?:内|以内|之内|前|之前|以前|后|之后)")


@variant("without_numbers", "zh")
def without_numbers(text: str) -> str:
    """A Chinese ``text`` without a deadline ("在12周内", "出生后28天内") and without other numbers and units.

    >>> without_numbers("帮助女孩在12周内留在学校")
    '帮助女孩留在学校'
    """
    text = _DEADLINE_ZH_RE.sub("", text)
    return re.sub(r"(?:约|大约)?\d[\d,.]*\s*(?:%|个|天|周|星期|月|年|小时|分钟|公里)?", "", text)


# Chinese leads for the English ones the models strip ("needs", "need", "because").
LEADS_ZH: dict[str, tuple[str, ...]] = {
    "needs": ("需要", "想要", "需"), "need": ("需要", "想要", "需"), "because": ("因为", "由于", "因"),
}


@variant("strip_lead", "zh")
def strip_lead(text: str, lead: str) -> str:
    """A Chinese ``text`` without the Chinese word for ``lead`` ("needs" -> 需要, "because" -> 因为), stripped.

    >>> strip_lead("因为化验室很远。", "because")
    '化验室很远。'
    """
    text = text.strip()
    for word in LEADS_ZH.get(lead.casefold(), (lead,)):
        if text.startswith(word):
            return text[len(word):].lstrip("，, ")
    return text


# Words that make a group plural in Chinese, which has no plural ending (``_PLURALS``).
PLURAL_MARKS_ZH = ("们", "所有", "许多", "很多", "一些", "这些", "那些", "各位", "群体", "人们", "大家", "父母")


@variant("plural_group", "zh")
def plural_group(text: str) -> bool:
    """True when a Chinese user description is plural: 们, or a word such as 所有, 许多, 这些, 父母.

    >>> plural_group("新生儿的父母"), plural_group("蒙泽农村的一位母亲")
    (True, False)
    """
    return bool(_find_all(text, PLURAL_MARKS_ZH))


_NOUN_SOLUTION_ZH_RE = re.compile(
    r"^(?:一个|一台|一份|一种|一套|一款|一所|更多的?|更好的|新的|更便宜的|便宜的|免费的|另一个|额外的)")


@variant("noun_solution", "zh")
def noun_solution(text: str) -> str | None:
    """The thing a Chinese need names when it starts like a noun phrase ("一个更便宜的保温箱"), else None.

    >>> noun_solution("一个更便宜的保温箱"), noun_solution("在没有电的情况下让小婴儿保暖")
    ('一个更便宜的保温箱', None)
    """
    text = text.strip()
    return text.rstrip("。.") if _NOUN_SOLUTION_ZH_RE.match(text) else None


# ---- vagueness ----

# Placeholder words that stand for something not named (``FILLER_WORDS``).
FILLER_WORDS_ZH = (
    "东西", "事情", "一些事情", "各种事情", "某种方式", "以某种方式", "某些地方", "一些地方", "各种地方", "各种",
    "等等", "之类的", "什么的", "一般来说", "总的来说", "不知怎么", "各方面", "某些问题", "一些问题", "很多问题",
    "许多问题", "坏事", "改善事情",
)


@variant("filler_words", "zh")
def filler_words(text: str) -> list[str]:
    """The filler words of a Chinese ``text`` (``FILLER_WORDS_ZH``: 东西, 事情, 各种, 等等...); adjacent ones as one.

    >>> filler_words("我们可以如何帮助孩子们在一些地方做东西？"), filler_words("结果要几周才能到诊所")
    (['一些地方', '东西'], [])
    """
    merged: list[tuple[int, int]] = []
    for pos, w in _find_all(text, FILLER_WORDS_ZH):
        if merged and not text[merged[-1][1]:pos].strip():
            merged[-1] = (merged[-1][0], pos + len(w))
        else:
            merged.append((pos, pos + len(w)))
    return [text[s:e] for s, e in merged]


@variant("vague_outcome", "zh")
def vague_outcome(text: str) -> str | None:
    """The generic verb when every verb of change of a Chinese ``text`` is generic (帮助, 支持, 让...) and nothing after
    it says what should change (only people, places, filler or vague words follow); else None.

    >>> vague_outcome("我们可以如何帮助甘肃的女孩？"), vague_outcome("我们可以如何帮助母亲得知孩子的检测结果？")
    ('帮助', None)
    """
    verbs = outcome_verbs(text)
    if not verbs or not all(v in GENERIC_VERBS_ZH for v in verbs):
        return None
    after = text[text.find(verbs[0]) + len(verbs[0]):]
    for _pos, filler in _find_all(after, FILLER_WORDS_ZH):
        after = after.replace(filler, " ")
    ignored = set(GENERIC_VERBS_ZH + BROAD_USERS_ZH + ADULT_USER_WORDS_ZH + CHILD_WORDS_ZH + FILLER_WORDS_ZH
                  + VAGUE_PHRASES_ZH + FEELINGS_ZH + OPENINGS_ZH)
    places = {w for w, flag in tagged(after) if flag in _NAME_FLAGS}
    concrete = [w for w in content_words(after) if w not in ignored and w not in places]
    return None if concrete else verbs[0]


# Feelings and states: nothing anyone could observe change (``FEELINGS``).
FEELINGS_ZH = (
    "快乐", "开心", "幸福", "好", "更好", "最好", "好好", "安全", "更安全", "舒适", "舒服", "爱", "重视", "被爱",
    "被重视", "被支持", "有力量", "还行", "满足", "满意", "健康", "更健康", "自信", "有希望", "放松", "安心", "关心",
    "尊重", "接纳", "很棒", "美好", "喜悦", "福祉", "成功", "正常", "愉快",
)
# Words around a feeling that do not make it observable (``_FEELING_FRAME``).
FEELING_FRAME_ZH = frozenset("""
要 想 想要 需要 能 能够 感到 觉得 感觉 变得 成为 过 过上 有 更 更加 很 非常 一直 总是 生活 日子 人生 他们 她 他 她们
我 的 地 得 了 一种 一个 和 并 都 真正 总体 一般 被 感 到 所有 时候 都能 活得 过得
""".split())


@variant("feeling_need", "zh")
def feeling_need(text: str) -> str | None:
    """The need when it is only a feeling ("快乐", "感觉更好", "过上美好的生活"), else None.

    >>> feeling_need("要快乐"), feeling_need("晚上能安全地走路去学校")
    ('要快乐', None)
    """
    feelings = set(FEELINGS_ZH)
    rest = [w for w in segment(text) if w not in FEELING_FRAME_ZH and not filler_words(w)]
    if rest and all(w in feelings for w in rest):
        return text.strip().rstrip("。.")
    return None


# Words that make a string of nouns into a statement (``PREDICATE_WORDS``): verbs and words of condition.
PREDICATE_WORDS_ZH = frozenset("""
是 有 没有 没 不 无法 不能 不会 能 会 要 需要 需 等 等待 等到 花 花费 走 去 来 到 到达 送 送到 寄 运 运送 知道 得知 了解
拿到 收到 得到 获得 开始 死 死亡 去世 住 生活 失去 丢失 错过 漏 发送 发 返回 保持 使 给 付 支付 下降 上升 增加 减少 留
留下 离开 缺 缺少 缺乏 依赖 延迟 推迟 带 搬 看到 发生 成为 工作 听到 告诉 问 通知 收集 负担 影响 找到 意味着 晚 迟 慢
长 远 少 多 太 高 低 很少 经常 常常 很难 难 贵 昂贵 罕见 不在 害怕 担心 贫困 弱 不可靠 有限 不足 不够 缺失 坏 损坏
只 只有 仅 才 直到 超过 不到 接受 接种 治疗 上学 辍学 外出 打工 照顾 抚养 了 过 着 被 变 变得 导致 造成 使得 吃 喝
患 患有 出现 提高 降低 改善 帮助 支持 连接 联系 申请 领取 选 选拔 选择 培训 建立 设立 报告 监测 探访 访问 登记
统计 计算 估计 调查 用 花了 用了 面试 考试 试点 推广 启动 开展 扩大 覆盖 建 成立 发现 记录 上报 报道 认为 表示 显示 说
说明 指出 证明 提供 发放 对接 协助 走访 提醒 运到 带到 寄到 拿 拿到 取 接 收 走 跑 飞 飞行 病 感染 出生 出 进 回 迁移
流动 看护 教 学 读 写 画 玩 答 听 看 想 觉得 认识 相信 信任 希望 决定 停止 继续 完成 结束 超过 达到 喝 中毒 自杀 下降了
为 以 只能 办 办完 递送 邮寄 送回 寄回 延误 使用 有权 表达 给予 要求 制定 审查 入选 叫停 暂停 资助 发明 列出 包括 忽视
投放 更新 占 统计出 进行 游说 推动 上线 发到 加入 回答 批评 发放 服用 比较 参加 引发 试飞 测试 举办 实施 降到 降 成为
""".split())


@variant("is_statement", "zh")
def is_statement(text: str) -> bool:
    """True when a Chinese ``text`` reads as a statement, not a list of keywords: at least 3 words, one of them a
    verb or a word of condition (``PREDICATE_WORDS_ZH``: 要, 到, 没有, 晚, 只...).

    >>> is_statement("结果要几周才能送到诊所"), is_statement("艾滋病 短信 结果 诊所 快递 婴儿")
    (True, False)
    """
    from .rules import without_citations

    ws = segment(without_citations(text))
    return len(ws) >= 3 and any(w in PREDICATE_WORDS_ZH for w in ws)


# Words an insight can be made of without saying anything (``GENERIC_INSIGHT_WORDS``).
GENERIC_INSIGHT_WORDS_ZH = frozenset("""
重要 很重要 必要 关键 至关重要 大 难 困难 不好 好 问题 情况 生活 人生 应该 值得 权利 快乐 幸福 更好 帮助 需要 想要 喜欢
一切 事情 东西 总体 总的来说 世界 社会 方面 真的 确实 非常 有用 有帮助
""".split())
# Words that carry a reason or a tension (``TENSION_WORDS``).
TENSION_WORDS_ZH = frozenset("""
不 没 没有 无法 不能 不会 不敢 没人 只 只有 仅 但 但是 可是 然而 却 虽然 因为 所以 直到 才 迟 晚 远 长 周 几周 月 天 年
费用 贵 付不起 负担 失去 错过 等 等待 害怕 担心 羞耻 歧视 污名 坏 少 更少 缺 缺少 仍然 还是 反而 必须 被迫 难 困难 远离
独自 离开
""".split())


@variant("filler_insight", "zh")
def filler_insight(insight: str, need: str = "") -> str | None:
    """Why a Chinese insight says nothing, or None (the same reasons as the English rule).

    >>> filler_insight("这对他们来说真的很重要")
    'says nothing concrete'
    >>> filler_insight("化验结果要几周才能送到诊所，她负担不起反复去问的车费") is None
    True
    """
    meaning = [w for w in content_words(insight) if w not in GENERIC_INSIGHT_WORDS_ZH and not filler_words(w)
               and w not in STOP_WORDS_ZH]
    if len(meaning) < 2:
        return N_("says nothing concrete")
    need_words = set(content_words(need)) | GENERIC_INSIGHT_WORDS_ZH
    if need and sum(w in need_words for w in meaning) >= 0.8 * len(meaning):
        return N_("restates the need")
    ws = segment(insight)
    if len(meaning) < 3 and not has_number(insight) and not any(w in TENSION_WORDS_ZH for w in ws):
        return N_("gives no reason or tension")
    return None
