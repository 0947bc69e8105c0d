"""Framing feedback in Chinese: validate() speaks the course language, and no framing message is left untranslated.

The messages are gettext msgids in designkit/framing (``_("...")`` and ``N_("...")``); their Chinese is in
designkit/locale/zh_CN/LC_MESSAGES/framing.po. English stays the default.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from designkit.framing import (
    CODES,
    FramingError,
    HowMightWe,
    JourneyMap,
    Node,
    Persona,
    PointOfView,
    ProblemTree,
    Stage,
    Stakeholder,
    StakeholderMap,
)
from designkit.i18n import LOCALE_DIR, _, set_lang

ROOT = Path(__file__).resolve().parents[1]
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "framing.po"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zh():
    set_lang("zh-CN")
    yield
    set_lang(None)


def _catalog():
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_CN")


def _extracted() -> set[str]:
    found = extract_from_dir(str(ROOT / "designkit" / "framing"), method_map=[("**.py", "python")],
                             keywords={"_": None, "N_": None})
    return {message for _file, _line, message, _comments, _context in found if isinstance(message, str)}


def test_every_framing_message_has_a_chinese_translation():
    translated = {m.id for m in _catalog() if m.id and m.string and not m.fuzzy}
    extracted = _extracted()
    assert len(extracted) > 300
    missing = sorted(extracted - translated)
    assert missing == [], f"untranslated framing messages (run pybabel extract/update, then translate): {missing[:5]}"
    stale = sorted(m.id for m in _catalog() if m.id and m.id not in extracted)
    assert stale == [], f"framing.po holds messages the code no longer has: {stale[:5]}"


def test_translations_keep_every_field_of_the_english():
    fmt = string.Formatter()
    for m in _catalog():
        if m.id:
            fields = sorted({(n, spec) for _, n, spec, _ in fmt.parse(m.id) if n is not None})
            assert sorted({(n, spec) for _, n, spec, _ in fmt.parse(m.string) if n is not None}) == fields, m.id
            assert CJK.search(m.string) or not re.search(r"[a-z]{3}", m.id), m.id


def test_translations_use_the_glossary_terms():
    glossary = yaml.safe_load((ROOT / "course" / "glossary.yml").read_text(encoding="utf-8"))["terms"]
    off = []
    for m in _catalog():
        english = re.sub(r"Persona\b|'\w+'", "", m.id or "")  # Python names (a class, a field) stay as they are
        for term in glossary:
            if english and re.search(rf"(?<![\w-]){re.escape(term['en'])}s?(?![\w-])", english, re.IGNORECASE):
                zh_term = term["zh"].strip("“”").replace("”问题", "")  # “我们可以如何”问题 -> 我们可以如何
                if zh_term.strip("《》") not in m.string:
                    off.append((term["en"], m.id[:50]))
    assert off == []


def test_english_stays_the_default():
    set_lang(None)
    found = ProblemTree("lack of hospitals", ["distance"], ["deaths"]).validate()
    assert found[0].message.startswith("'lack of hospitals' describes a missing solution (hospitals)")


def test_feedback_on_a_chinese_model_comes_in_chinese(zh):
    tree = ProblemTree("村里缺少儿童主任", ["补贴到不了儿童手里"], ["儿童得不到支持"])
    found = {f.code: f for f in tree.validate()}
    assert list(found) == ["core-is-missing-solution", "too-few-causes", "too-few-effects", "evidence-missing"]
    assert found["core-is-missing-solution"].message.startswith("“村里缺少儿童主任”描述的是缺少某种解决方案（儿童主任）")
    assert "这棵树有 1 个直接原因；一棵完整的树至少需要 3 个" in found["too-few-causes"].message
    assert found["core-is-missing-solution"].code == "core-is-missing-solution"  # codes are ids: never translated
    pov = PointOfView("人们", "要快乐", "总的来说这对他们真的很重要")
    messages = {f.code: f.message for f in pov.validate()}
    assert messages["insight-filler"].startswith("洞察“总的来说这对他们真的很重要”没说任何具体内容。")
    assert messages["vague-wording"].startswith("洞察用了空泛词（总的来说）")


SWEEP = [
    ProblemTree("事情很糟", ["发生了各种事情", "没有医院", Node("一些东西", evidence="Seidenberg 2012")],
                ["死亡", "死亡"]),
    ProblemTree("", [], []),
    HowMightWe("我们可以如何帮助孩子们在一些地方做东西？"),
    HowMightWe("我们如何利用无人机让人们快乐？"),
    HowMightWe(""),
    PointOfView("", "", ""),
    PointOfView("儿童", "一个应用", "他们很无聊"),
    Persona("", "", [], [], quote="每次去诊所都要耽误一天的活。"),
    Persona("小李", "陕西一所农村学校的四年级学生", ["上课时保持清醒"], ["每天下午都觉得累"]),
    JourneyMap("", [Stage("等待", [], [], [], -1), Stage("等待", [], [], [], 1)]),
    StakeholderMap([Stakeholder("民政部", "duty-bearer", 3, 5), Stakeholder("民政部", "funder", 2, 2),
                    Stakeholder("", "other", 1, 1)]),
]


@pytest.mark.parametrize("model", SWEEP, ids=lambda m: type(m).__name__)
def test_no_feedback_is_left_in_english_under_chinese(zh, model):
    found = model.validate()
    assert found
    for f in found:
        assert CJK.search(f.message), f
        assert f.code in CODES


def test_case_feedback_and_errors_in_chinese(zh):
    tree = ProblemTree("结果延迟", [Node("孩子们吃太多水果", evidence="seidenberg2012")], [])
    messages = {f.code: f.message for f in tree.validate(case="mwana")}
    assert messages["item-off-case"].startswith("原因“孩子们吃太多水果”与案例（赞比亚 Mwana 项目（用短信传送")
    assert "原因“孩子们吃太多水果”引用了 seidenberg2012，但该来源并没有这样说" in messages["evidence-unsupported"]
    with pytest.raises(FramingError, match="核心问题|core_problem 必须是文字"):
        ProblemTree(7)
    with pytest.raises(FramingError, match="你是不是想写 'duty-bearer'"):
        Stakeholder("民政部", "duty bearr", 3, 5)


def test_code_descriptions_translate_where_they_are_shown(zh):
    assert _(CODES["core-is-missing-solution"][1]) == "核心问题写成了缺少某种解决方案（“缺少X”）"


def test_every_claims_table_has_its_title_and_claims_in_chinese(zh):
    from designkit.framing import claims

    for case in claims.cases():
        table = claims.load(case)
        assert CJK.search(table.shown_title), case
        for key, found in table.claims.items():
            assert all(CJK.search(str(c)) for c in found), (case, key)
    tree = ProblemTree("结果延迟", [Node("孩子们吃太多水果", evidence="seidenberg2012")], [])
    unsupported = next(f for f in tree.validate(case="mwana") if f.code == "evidence-unsupported")
    assert "seidenberg2012 支持的是：一项在 10 家医疗机构进行的前后对照研究中" in unsupported.message
    set_lang("en")
    assert str(claims.load("mwana").claims["seidenberg2012"][0]).startswith("In a before-and-after study")


def test_a_case_title_reads_the_same_in_framing_feedback_and_in_designkit_checks(zh):
    from designkit.framing import claims

    for case in claims.cases():
        table = claims.load(case)
        assert table.shown_title == _(table.title), case  # title_zh (framing) and toolkit.po (checks) agree
