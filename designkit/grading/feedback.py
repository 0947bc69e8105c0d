"""Feedback that never shows hidden tests or the grader's folders (a ``GenerateFeedback`` preprocessor).

:class:`RedactFeedback` removes hidden tests from grade cells and the traceback lines that would show
them, and replaces the grader's folders by neutral names. This module does not import jupyter_client's
kernel machinery of its own, so a course's ``nbgrader_config.py`` can merge :func:`designkit.grading.feedback_config`
at no cost.

>>> scrub("/srv/course/source/x.py", {"/srv/course": "<course>"})
'<course>/source/x.py'
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, List, Unicode, default

HIDDEN_BEGIN = re.compile(r"^\s*#+\s*BEGIN HIDDEN TESTS", re.I)
HIDDEN_END = re.compile(r"^\s*#+\s*END HIDDEN TESTS", re.I)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def grader_paths() -> dict[str, str]:
    """Host folders that must not show in outputs, longest first, with what replaces them."""
    import designkit

    kit = str(Path(designkit.__file__).resolve().parent)
    pairs = {kit: "designkit", os.path.realpath(sys.prefix): "<python>",
             os.path.realpath(sys.base_prefix): "<python>", os.path.realpath(os.getcwd()): "<course>"}
    return dict(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


def scrub(text: str, paths: dict[str, str]) -> str:
    """Replace each grader folder in ``text``.

    >>> scrub("/srv/course/source/x.py", {"/srv/course": "<course>"})
    '<course>/source/x.py'
    """
    for path, name in paths.items():
        if path and path != "/":
            text = text.replace(path, name)
    return text


def scrub_output(output: NotebookNode, paths: dict[str, str]) -> None:
    if "text" in output:
        output["text"] = scrub(output["text"], paths)
    if output.get("output_type") == "error":
        output["evalue"] = scrub(output.get("evalue", ""), paths)
        output["traceback"] = [scrub(line, paths) for line in output.get("traceback", [])]
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/") and isinstance(value, str):
            output["data"][mime] = scrub(value, paths)



class RedactFeedback(NbGraderPreprocessor):
    """For feedback: drop hidden tests and the traceback lines showing them; hide grader folders."""

    enabled = Bool(True).tag(config=True)
    extra_paths = List(Unicode(), help="more folders to hide from feedback").tag(config=True)
    course_root = Unicode(help="the course folder (default: the current folder)").tag(config=True)

    @default("course_root")
    def _course_root_default(self) -> str:
        return os.getcwd()

    def preprocess(self, nb: NotebookNode, resources: Any) -> Any:
        self._paths = grader_paths()
        for path in [self.course_root, *self.extra_paths]:
            self._paths[os.path.realpath(path)] = "<course>"
        self._paths = dict(sorted(self._paths.items(), key=lambda kv: -len(kv[0])))
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
        if cell.get("cell_type") == "code":
            hidden = any(HIDDEN_BEGIN.match(line) for line in cell.source.splitlines())
            if hidden:
                kept, inside = [], False
                for line in cell.source.splitlines():
                    if HIDDEN_BEGIN.match(line):
                        inside = True
                    elif HIDDEN_END.match(line):
                        inside = False
                    elif not inside:
                        kept.append(line)
                cell.source = "\n".join(kept)
            for output in cell.get("outputs", []):
                if hidden and output.get("output_type") == "error":
                    message = f"{output.get('ename', 'Error')}: {ANSI.sub('', output.get('evalue', ''))}"
                    output["traceback"] = [message.rstrip(": ")]
                scrub_output(output, self._paths)
        return cell, resources
