"""Kit figures in Chinese (COURSE_LANG=zh-CN): Chinese titles, axis labels and alt text, drawn with a CJK font.

matplotlib draws Chinese as empty boxes and warns "Glyph … missing from font(s) DejaVu Sans" unless a CJK family
is in the text's font list (designkit.plots.style puts the one it finds after DejaVu Sans). These tests render
real figures with the fonts installed here (`apt-get install fonts-noto-cjk`; .ci/run installs it).
"""
from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

import designkit.plots as dp
from designkit.framing import Node, ProblemTree, Stakeholder, StakeholderMap
from designkit.i18n import set_lang
from designkit.plots import style

CJK = re.compile(r"[\u4e00-\u9fff]")
PNG = Path("/tmp/designkit-zh-figure.png")

pytestmark = pytest.mark.skipif(not style.cjk_families(), reason="no CJK font installed: apt-get install fonts-noto-cjk")


@pytest.fixture
def zh():
    set_lang("zh-CN")
    yield
    set_lang(None)


def _trend() -> pd.DataFrame:
    return pd.DataFrame({"country": ["Nepal", "Nepal", "Peru", "Peru"], "year": [1990, 2018] * 2,
                         "value": [141.0, 32.0, 80.0, 14.0]})


def _missing_glyph_warnings(record) -> list[str]:
    return [str(w.message) for w in record if "missing from font" in str(w.message)]


def _font_for(text_artist, char: str) -> str:
    """The family matplotlib draws ``char`` of this Text with: the first font of its fallback list that has it."""
    for path in font_manager.fontManager._find_fonts_by_props(text_artist.get_fontproperties()):
        font = FT2Font(path)
        if ord(char) in font.get_charmap():
            return font.family_name
    return ""


def test_kit_figure_has_chinese_title_axis_labels_and_alt_text(zh):
    fig = dp.trend_with_target(_trend(), indicator="under5_mortality")
    assert CJK.search(dp.finding(fig)), dp.finding(fig)
    assert "五岁以下儿童死亡率" in dp.finding(fig)
    assert CJK.search(fig.get_suptitle())
    ax = fig.axes[0]
    assert ax.get_xlabel() == "年份" and "每千例活产死亡数" in ax.get_ylabel()
    assert CJK.search(dp.alt_text(fig)) and dp.alt_text(fig).startswith("Nepal和Peru")
    assert "替代文本" in dp.figure.figure_html(fig)


def test_english_stays_the_default():
    set_lang(None)
    fig = dp.trend_with_target(_trend(), indicator="under5_mortality")
    assert not CJK.search(dp.finding(fig) + dp.alt_text(fig) + fig.axes[0].get_ylabel())
    assert dp.finding(fig).startswith("Under-5 mortality fell in both countries")


def test_chinese_figure_draws_without_missing_glyphs_and_with_a_cjk_font(zh):
    tree = ProblemTree("村里缺少儿童主任", causes=[Node("留守儿童无人照看"), Node("家访太少")],
                       effects=[Node("儿童辍学")])
    fig = dp.problem_tree(tree)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        PNG.write_bytes(dp.to_png(fig, dpi=100))
        dp.to_svg(fig)
    assert _missing_glyph_warnings(record) == []
    title = fig._suptitle
    assert CJK.search(title.get_text())
    family = _font_for(title, "核")
    assert family in style.CJK_CANDIDATES, family
    assert _font_for(title, "A") == "DejaVu Sans"  # Latin stays in the kit's Latin font
    assert PNG.stat().st_size > 10_000


def test_without_the_fallback_matplotlib_would_draw_boxes():
    # the same title in DejaVu Sans alone: matplotlib warns and draws boxes (what the style prevents)
    from matplotlib.figure import Figure

    fig = Figure()
    fig.suptitle("儿童主任", fontfamily="DejaVu Sans")
    with pytest.warns(UserWarning, match="missing from font"):
        dp.to_png(fig)


def test_stakeholder_grid_in_chinese_renders_clean(zh):
    m = StakeholderMap([Stakeholder("留守儿童", "rights-holder", 5, 1), Stakeholder("民政局", "duty-bearer", 4, 5)])
    fig = dp.stakeholder_grid(m)
    assert "利益相关方" in dp.finding(fig) and "权利持有者" in dp.finding(fig)
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "权利持有者"
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        dp.to_png(fig)
    assert _missing_glyph_warnings(record) == []


def test_style_puts_a_found_cjk_family_after_dejavu():
    families = list(mpl.rcParams["font.family"])
    assert families[0] == "DejaVu Sans" and families[1] in style.cjk_families()
    assert mpl.rcParams["font.sans-serif"][:2] == families[:2]
    found = {f.name for f in font_manager.fontManager.ttflist}
    assert all(f in found for f in families)  # only families matplotlib finds (no "not found" warnings)


def test_no_cjk_font_says_once_how_to_install_one(zh, monkeypatch):
    monkeypatch.setattr(style, "CJK_CANDIDATES", ("No Such CJK Font",))
    monkeypatch.setattr(style, "_warned", [])
    style.cjk_families.cache_clear()
    try:
        with pytest.warns(style.CJKFontMissing, match="fonts-noto-cjk") as record:
            dp.figure.new_figure()
            dp.figure.new_figure()
        assert len([w for w in record if w.category is style.CJKFontMissing]) == 1
        assert "apt-get install fonts-noto-cjk" in str(record[0].message) and CJK.search(str(record[0].message))
    finally:
        style.cjk_families.cache_clear()


def test_no_cjk_font_in_english_says_nothing(monkeypatch):
    set_lang("en")
    monkeypatch.setattr(style, "CJK_CANDIDATES", ("No Such CJK Font",))
    monkeypatch.setattr(style, "_warned", [])
    style.cjk_families.cache_clear()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", style.CJKFontMissing)
            dp.figure.new_figure()
    finally:
        style.cjk_families.cache_clear()
        set_lang(None)


def test_wrap_counts_chinese_characters_as_two_columns():
    assert dp.figure.wrap("五岁以下儿童死亡率下降了", 12) == "五岁以下儿童\n死亡率下降了"
    assert dp.figure.wrap("Peru降幅最大（−82%）", 10).split("\n")[0] == "Peru降幅最"
    assert dp.figure.wrap("a b c", 3) == "a b\nc"
