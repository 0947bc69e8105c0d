"""Widgets in Chinese (COURSE_LANG=zh-CN): labels, buttons, help, status lines, feedback and figures' alt text.

The model keeps its English values (a role is still "duty-bearer"), so a model saved in one language loads in
the other; only what the student reads changes.
"""
from __future__ import annotations

import re

import pytest

from designkit.framing import Node, ProblemTree, Stakeholder, StakeholderMap
from designkit.i18n import set_lang
from designkit.widgets import (
    IndicatorExplorer,
    JourneyMapEditor,
    ProblemTreeEditor,
    ResearchPlanEditor,
    StakeholderMapEditor,
)
from designkit.widgets.editor import EditorFileError

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zh():
    set_lang("zh-CN")
    yield
    set_lang(None)


def test_problem_tree_editor_in_chinese(zh, tmp_path):
    ed = ProblemTreeEditor(ProblemTree("村里缺少儿童主任", [Node("家访太少")], []))
    assert (ed.core.description, ed.causes.description, ed.effects.description) == \
        ("核心问题", "原因（为什么会发生）", "影响（会导致什么）")
    assert (ed.save_button.description, ed.load_button.description, ed.file.description) == ("保存", "载入", "文件")
    assert "<h3 style='margin:0 0 4px 0'>问题树</h3>" in ed.widget.children[1].value
    assert 'aria-label="问题树：反馈"' in ed.feedback_view.value and "反馈：" in ed.feedback_view.value
    assert "必须修正" in ed.feedback_view.value
    assert "替代文本：" in ed.figure_view.value and "问题树图" in ed.figure_view.value  # the figure's alt text
    assert ed.save(tmp_path / "tree.json").exists()
    assert ed.status.value.endswith(f"已保存到 {tmp_path / 'tree.json'}</span>")
    with pytest.raises(EditorFileError, match="你在编辑器中的内容没有改变"):
        ed.load(tmp_path / "missing.json")


def test_stakeholder_roles_show_in_chinese_but_stay_english_in_the_model(zh):
    ed = StakeholderMapEditor(StakeholderMap([Stakeholder("民政局", "duty-bearer", 4, 5)]))
    role = ed.rows.rows[0]["role"]
    assert ("责任承担者", "duty-bearer") in role.options and role.value == "duty-bearer"
    assert role.description == "角色" and ed.rows.add_button.description == "添加利益相关方"
    ed.rows.add_button.click()
    assert ed.model.stakeholders[-1].name == "利益相关方 2" and ed.model.stakeholders[-1].role == "other"
    assert "利益相关方" in ed.figure_view.value


def test_journey_and_research_plan_labels_in_chinese(zh):
    journey = JourneyMapEditor()
    assert journey.rows.add_button.description == "添加阶段" and journey.persona.description == "用户画像"
    plan = ResearchPlanEditor()
    html = plan.figure_view.value
    assert "伦理检查清单" in html and "缺失" in html and "照护者知情同意" in html
    assert not re.search(r"\b(missing|done|Ethics)\b", html)


def test_indicator_explorer_in_chinese(zh):
    ex = IndicatorExplorer()
    assert ex.dataset.description == "数据集" and ex.year_from.description == "起始年份"
    assert CJK.search(ex.finding) and "替代文本：" in ex.figure_view.value and "来源：" in ex.source_view.value


def test_english_stays_the_default():
    set_lang(None)
    ed = ProblemTreeEditor(ProblemTree("late results", [Node("courier")], []))
    assert ed.core.description == "Core problem" and ed.save_button.description == "Save"
    assert not CJK.search(ed.feedback_view.value + ed.widget.children[1].value)
