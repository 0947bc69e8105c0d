"""Text-area formats for lists: one item per line, and indented outlines for problem-tree nodes.

An outline line is ``text [@key]`` (evidence as citation keys, several as ``[@a; @b]``); indent a
line under another (two spaces or a tab) to make it a sub-cause (or a further effect). Leading
``-``, ``*`` or ``•`` bullets are ignored, so a Markdown list pastes in as it is.

>>> nodes = parse_outline("results go by courier [@seidenberg2012]\\n  only 3 labs run the test\\nno phones")
>>> [(n.text, n.evidence, len(n.children)) for n in nodes]
[('results go by courier', 'seidenberg2012', 1), ('no phones', None, 0)]
>>> print(format_outline(nodes))
results go by courier [@seidenberg2012]
  only 3 labs run the test
no phones
"""
from __future__ import annotations

import re

from designkit.framing import Node

_EVIDENCE = re.compile(r"\s*\[(@[^\]]*)\]\s*$")
_BULLET = re.compile(r"^([-*•]|\d+[.)])\s+")


def parse_lines(text: str) -> list[str]:
    """Non-empty lines, stripped, bullets removed.

    >>> parse_lines("- walk to the clinic\\n\\n  wait ")
    ['walk to the clinic', 'wait']
    """
    out = []
    for line in text.splitlines():
        line = _BULLET.sub("", line.strip())
        if line:
            out.append(line)
    return out


def format_lines(items: list[str]) -> str:
    """One item per line.

    >>> format_lines(["a", "b"])
    'a\\nb'
    """
    return "\n".join(items)


def split_evidence(line: str) -> tuple[str, str | None]:
    """``'text [@a; @b]'`` -> ``('text', 'a; b')``.

    >>> split_evidence("few labs [@unicefinnovation_mwana]")
    ('few labs', 'unicefinnovation_mwana')
    """
    m = _EVIDENCE.search(line)
    if not m:
        return line.strip(), None
    keys = [k.strip().lstrip("@").strip() for k in re.split(r"[;,]", m.group(1))]
    keys = [k for k in keys if k]
    return line[: m.start()].strip(), ("; ".join(keys) or None)


def join_evidence(text: str, evidence: str | None) -> str:
    """``('text', 'a; b')`` -> ``'text [@a; @b]'``.

    >>> join_evidence("few labs", None)
    'few labs'
    """
    if not evidence:
        return text
    keys = [k.strip() for k in re.split(r"[;,]", evidence) if k.strip()]
    return f"{text} [" + "; ".join("@" + k for k in keys) + "]"


def parse_outline(text: str) -> list[Node]:
    """Nodes from an indented outline (any deeper indent than the line above nests under it)."""
    roots: list[Node] = []
    stack: list[tuple[int, Node]] = []
    for raw in text.splitlines():
        expanded = raw.expandtabs(2)
        body = expanded.strip()
        if not body:
            continue
        indent = len(expanded) - len(expanded.lstrip(" "))
        body = _BULLET.sub("", body)
        node_text, evidence = split_evidence(body)
        node = Node(node_text, evidence)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((indent, node))
    return roots


def format_outline(nodes: list[Node], depth: int = 0) -> str:
    """The outline text of nodes (two spaces per level)."""
    lines = []
    for node in nodes:
        lines.append("  " * depth + join_evidence(node.text, node.evidence))
        if node.children:
            lines.append(format_outline(node.children, depth + 1))
    return "\n".join(lines)
