"""What the grader writes into a student's notebook comes back in the notebook's language.

The grader process may run in English while a student submitted the Chinese set: the notes it adds (a cell stopped,
the kernel died, output truncated) follow the submitted notebook's ``metadata.designkit.lang``.
"""
from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from designkit.grading.execute import KERNEL_DIED, NOTE, _note, notebook_lang, say
from designkit.grading.intake import Dropped
from designkit.i18n import set_lang


def _nb(code: str | None) -> nbformat.NotebookNode:
    nb = new_notebook(cells=[new_code_cell("x = 1")])
    if code:
        nb.metadata["designkit"] = {"lang": code}
    return nb


def test_the_notebooks_language_decides_not_the_graders():
    set_lang("en")
    try:
        assert notebook_lang(_nb("zh-CN")) == "zh-CN" and notebook_lang(_nb(None)) == "en"
        assert say(_nb("zh-CN"), KERNEL_DIED).startswith("内核停止了")
        assert say(_nb(None), KERNEL_DIED).startswith("the kernel stopped")
        assert say(_nb("en"), NOTE, what="stdout", limit=10_000) == \
            "[output truncated by the grader: stdout exceeded 10,000 bytes]"
        note = _note("stdout", 10_000, _nb("zh-CN"))
        assert note.name == "stderr" and note.text == "[输出被评分程序截断：stdout 超过了 10,000 字节]\n"
    finally:
        set_lang(None)


def test_dropped_files_are_described_in_the_course_language():
    set_lang("zh-CN")
    try:
        assert Dropped("data/x", "symlink", "/etc/passwd").describe() == "'data/x'：一个符号链接（指向 /etc/passwd）"
    finally:
        set_lang(None)
    assert Dropped("data/x", "fifo").describe() == "'data/x': a named pipe (FIFO)"
