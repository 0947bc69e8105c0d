"""Checks in Chinese (COURSE_LANG=zh-CN): the same verdicts as in English, the messages in the student's language.

Checks compare values (numbers, hashed digests, sets, tables), never text, so the language can change the message
but not the score: every case below runs in both languages and must pass or fail alike. The toolkit's catalogue
(designkit/locale/zh_CN/LC_MESSAGES/toolkit.po) must hold a translation of every message the code marks, with the
same fields.
"""
from __future__ import annotations

import io
import re
import unicodedata
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from designkit import checks
from designkit.checks.loop import WIDTH, PartFailed
from designkit.framing import HowMightWe, ProblemTree
from designkit.i18n import set_lang

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "designkit/locale/zh_CN/LC_MESSAGES/toolkit.po"
PACKAGES = ("checks", "widgets", "plots", "data", "grading")
CJK = re.compile(r"[\u4e00-\u9fff]")
FIELD = re.compile(r"(?<!\{)\{([A-Za-z_0-9]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


@pytest.fixture(autouse=True)
def _english_after():
    yield
    set_lang(None)


def _sowc() -> pd.DataFrame:
    from designkit import data

    return data.load("sowc_child_mortality")


CASES = {
    "number right": lambda: checks.number(17.5, 17.5, name="days_saved", unit="days"),
    "number wrong sign": lambda: checks.number(-17.5, 17.5, name="days_saved", unit="days"),
    "number still None": lambda: checks.number(None, 17.5, name="days_saved"),
    "number as text": lambda: checks.number("17.5", 17.5, name="days_saved"),
    "rate as percentage": lambda: checks.rate_per_1000(4.3, 43, name="u5mr"),
    "rate right": lambda: checks.rate_per_1000(43.2, 43, name="u5mr"),
    "percent as proportion": lambda: checks.percent(0.396, 39.6, name="reduction_pct"),
    "proportion right": lambda: checks.proportion(0.38, 0.38, name="share"),
    "same set": lambda: checks.same_set(["Malawi", "Zambia"], {"Zambia", "Malawi"}, name="countries"),
    "set differs": lambda: checks.same_set(["Zambia", "Malawi"], ["Malawi", "Uganda"], name="countries"),
    "wrong order": lambda: checks.ordered(["B", "A", "C"], ["A", "B", "C"], name="ranking"),
    "top n": lambda: checks.top_n(["Drones", "Text results"], ["Text results", "Reminder cards"], name="ranking"),
    "table unit slip": lambda: checks.table(pd.DataFrame({"iso3": ["ZMB", "MWI"], "u5mr": [5.8, 5.0]}),
                                            pd.DataFrame({"iso3": ["ZMB", "MWI"], "u5mr": [58.0, 50.0]}),
                                            name="rates", key="iso3"),
    "table right": lambda: checks.table(pd.DataFrame({"iso3": ["MWI", "ZMB"], "u5mr": [50.0, 58.0]}),
                                        pd.DataFrame({"iso3": ["ZMB", "MWI"], "u5mr": [58.0, 50.0]}),
                                        name="rates", key="iso3"),
    "model feedback": lambda: checks.has_feedback(HowMightWe("How might we build an app?"), "embeds-solution",
                                                  name="hmw"),
    "model problems": lambda: checks.valid_model(ProblemTree("lack of hospitals"), name="tree"),
    "vague": lambda: checks.not_vague("How might we help children do stuff in places?", name="hmw"),
    "off case": lambda: checks.on_case("Children eat too much fruit.", "mwana", name="cause"),
    "hashed part right": lambda: checks.part("q3-malawi-reduction", {"sowc": _sowc(), "malawi_reduction_pct": 79.1}),
    "hashed part wrong": lambda: checks.part("q3-malawi-reduction", {"sowc": _sowc(), "malawi_reduction_pct": 70.0}),
    "part not set": lambda: checks.part("q2-median-rate", {"sowc": _sowc()}),
}


def _run(case: str, code: str) -> tuple[bool, str]:
    set_lang(code)
    checks.begin("ps0-warm-up")
    out = io.StringIO()
    try:
        with redirect_stdout(out):
            CASES[case]()
    except AssertionError as failure:
        return False, str(failure)
    return True, out.getvalue()


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_verdict_in_both_languages_message_in_the_current_one(case):
    ok_en, text_en = _run(case, "en")
    ok_zh, text_zh = _run(case, "zh-CN")
    assert ok_en == ok_zh, (case, text_en, text_zh)
    assert not CJK.search(text_en), text_en
    if text_zh.strip():  # a failure, or a part's line of what it checked
        assert CJK.search(text_zh), text_zh


def test_the_hashed_check_passes_in_chinese_and_says_so_in_chinese():
    ok, text = _run("hashed part right", "zh-CN")
    assert ok and text.startswith("✓ 第 3 部分（q3-malawi-reduction）：") and "数值正确" in text


def test_check_all_summary_in_chinese_counts_the_same_points():
    namespace = {"sowc": _sowc(), "highest_country": None, "median_rate_2018": None, "malawi_reduction_pct": 79.1}
    summaries = {}
    for code in ("en", "zh-CN"):
        set_lang(code)
        checks.begin("ps0-warm-up")
        out = io.StringIO()
        with redirect_stdout(out):
            checks.check_all(dict(namespace))
        summaries[code] = out.getvalue()
    assert summaries["en"].startswith("ps0-warm-up: 1 of 4 autograded parts pass their visible checks (2 of 8")
    assert summaries["zh-CN"].startswith("ps0-warm-up：4 个自动评分部分中有 1 个通过了可见检查（自动评分共 8 分，已得 2 分")
    assert "尚未通过：" in summaries["zh-CN"] and "由人按照题目中的评分细则评分（2 分）：第 5 部分（2 分）。" in summaries["zh-CN"]
    assert summaries["en"].count("✗") == summaries["zh-CN"].count("✗") == 3


def test_a_chinese_failure_line_fits_validate_and_keeps_code_whole():
    set_lang("zh-CN")
    with pytest.raises(PartFailed) as caught:
        checks.part("q2-median-rate", {"sowc": _sowc(), "median_rate_2018": None})
    lines = caught.value._render_traceback_()
    assert len(lines) > 1 and lines[0].startswith("✗ 第 2 部分")
    width = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in s)  # noqa: E731
    assert all(width(line) <= WIDTH for line in lines), lines
    assert "# YOUR CODE HERE" in "".join(lines)  # Latin words and code are not cut in the middle


def _extracted() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for _file, _line, message, _comments, _context in extract_from_dir(
                str(ROOT / "designkit" / package), method_map=[("**.py", "python")],
                keywords={"_": None, "N_": None}):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalogue():
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_CN")


def test_every_toolkit_message_has_a_current_chinese_translation():
    catalog = _catalogue()
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(_extracted() - set(translated))
    assert not missing, f"{len(missing)} toolkit messages have no Chinese in {PO.name} (run pybabel extract/update): " \
                        f"{missing[:5]}"


def test_translations_keep_the_fields_of_the_english():
    for message in _catalogue():
        if message.id and message.string:
            assert set(FIELD.findall(message.id)) == set(FIELD.findall(message.string)), message.id
            message.string.format(**{f: 1 for f in FIELD.findall(message.id) if f})  # formats without error


def test_glossary_terms_are_used():
    """Where an English message uses a glossary term in running text, its Chinese uses the glossary's term."""
    import yaml

    terms = yaml.safe_load((ROOT / "course/glossary.yml").read_text(encoding="utf-8"))["terms"]
    table = {m.id: m.string for m in _catalogue() if m.id}
    # code, quoted text and file paths (course/capstone/README.md names a folder, not the term)
    code = re.compile(r"`[^`]*`|\"[^\"]*\"|'[^']*'|“[^”]*”|\b\w+\([^)]*\)|\b[A-Z][a-z]+[A-Z]\w*|[\w.-]*/[\w./-]+")
    checked = 0
    for term in terms:
        for en, zh in table.items():
            if en.startswith("How might we"):  # the question itself (我们可以如何……？), not the term
                continue
            if re.search(rf"\b{re.escape(term['en'])}s?\b", code.sub(" ", en), re.I):
                checked += 1
                assert term["zh"] in zh or term.get("zh_first", "") in zh, (term["en"], en, zh)
    assert checked > 20
