"""Problem tree: a core problem, its causes (roots) and its effects (branches), and its objectives tree.

State problems as conditions people experience ("high infant mortality"), not as missing solutions
("lack of hospitals"), which assume the answer before the problem is understood.

>>> tree = ProblemTree(
...     "delayed HIV test results for infants",
...     causes=[Node("results travel by courier from 3 labs", evidence="seidenberg2012"),
...             Node("few labs run infant PCR tests"),
...             Node("clinics cannot reach mothers", evidence="sutcliffe2017")],
...     effects=[Node("late start of treatment"), Node("high infant mortality")])
>>> tree.ok
True
>>> tree.objectives().core_objective
'timely HIV test results for infants'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from designkit.i18n import _

from ._base import (
    CaseItem,
    Feedback,
    FramingError,
    FramingModel,
    _describe,
    check_optional_text,
    check_text,
    take_fields,
)
from ._records import listing
from .rules import (
    cited_keys,
    evidence_keys,
    filler_words,
    is_fallback_objective,
    is_key,
    missing_solution,
    norm,
    to_objective,
    without_citations,
)

MIN_CAUSES = 3
MIN_EFFECTS = 2
# Evidence is one or more citation keys ("seidenberg2012") or catalogue dataset names
# ("sowc_child_mortality"), separated by ";" or ","; inline citations "[@key]" in a node's text count too.


@dataclass
class Node:
    """A cause or an effect; ``children`` are its own causes (or further effects).

    ``evidence`` is a citation key from ``course/references.yml`` (e.g. ``"seidenberg2012"``) or the
    name of a catalogue dataset (e.g. ``"sowc_child_mortality"``); several are separated by ";".

    >>> Node("results travel by courier", evidence="seidenberg2012").text
    'results travel by courier'
    """

    text: str
    evidence: str | None = None
    children: list[Node] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check()

    def check(self, what: str = "Node") -> None:
        """Structural check of this node alone (types); plain strings in ``children`` become Nodes."""
        check_text(self.text, f"{what}.text")
        check_optional_text(self.evidence, _("{what}.evidence of {text}", what=what, text=repr(self.text)))
        self.children = _as_nodes(self.children, _("children of {text}", text=repr(self.text)))

    def keys(self) -> tuple[str, ...]:
        """The source keys this node cites: its ``evidence`` field, then inline "[@key]" citations in its text.

        >>> Node("labs are few [@unicefinnovation_mwana]", evidence="seidenberg2012").keys()
        ('seidenberg2012', 'unicefinnovation_mwana')
        """
        return tuple(dict.fromkeys(evidence_keys(self.evidence) + cited_keys(self.text)))

    def to_dict(self) -> dict:
        """The node as a JSON-ready dict."""
        return {"text": self.text, "evidence": self.evidence, "children": [c.to_dict() for c in self.children]}

    @classmethod
    def from_dict(cls, data: Any, what: str = "a node") -> Node:
        """Rebuild a node from ``to_dict()`` output; a plain string is accepted as a node's text."""
        if isinstance(data, str):
            return cls(data)
        take_fields(data, what, ("text",), ("evidence", "children"))
        children = data.get("children", [])
        if not isinstance(children, list):
            raise FramingError(_("'children' of {what} must be a list, but it is {children}.",
                                 what=what, children=_describe(children)))
        text = data["text"]
        label = f"{text!r}" if isinstance(text, str) else what
        return cls(text, data.get("evidence"),
                   [cls.from_dict(c, _("child {i} of {label}", i=i, label=label))
                    for i, c in enumerate(children)])


def _as_nodes(items: Any, what: str) -> list[Node]:
    if not isinstance(items, list | tuple):
        raise FramingError(_("{what} must be a list of Node(...) (or texts), but it is {items}.",
                             what=what, items=_describe(items)))
    out = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            item = Node(item)
        elif not isinstance(item, Node):
            raise FramingError(_('{what}[{i}] must be a Node("...") or a text, but it is {item}.',
                                 what=what, i=i, item=_describe(item)))
        out.append(item)
    return out


def _walk(nodes: list[Node], path: tuple[Node, ...] = ()) -> Iterator[tuple[Node, tuple[Node, ...]]]:
    """Depth-first (node, ancestors) pairs. Assumes the structure was checked (no node reached twice)."""
    for node in nodes:
        yield node, path
        yield from _walk(node.children, path + (node,))


@dataclass
class ObjectivesTree(FramingModel):
    """The problem tree turned positive: the core objective, the means (from causes), the ends (from effects).

    Made by :meth:`ProblemTree.objectives`; texts the rules could not rewrite end in "is resolved".

    >>> ObjectivesTree("timely test results", [Node("faster transport of samples")], []).core_objective
    'timely test results'
    """

    MODEL = "ObjectivesTree"

    core_objective: str
    means: list[Node] = field(default_factory=list)
    ends: list[Node] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check (types); raises FramingError."""
        check_text(self.core_objective, "core_objective")
        self.means = _as_nodes(self.means, "means")
        self.ends = _as_nodes(self.ends, "ends")
        _check_tree(self.means + self.ends)

    def to_dict(self) -> dict:
        """The tree as a JSON-ready dict."""
        return {"core_objective": self.core_objective, "means": [n.to_dict() for n in self.means],
                "ends": [n.to_dict() for n in self.ends]}

    @classmethod
    def from_dict(cls, data: dict) -> ObjectivesTree:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON",
                            model="ObjectivesTree"), ("core_objective",), ("means", "ends"))
        return cls(data["core_objective"], _nodes_from(data.get("means", []), "means"),
                   _nodes_from(data.get("ends", []), "ends"))

    def case_items(self) -> list[CaseItem]:
        """The core objective, the means and the ends, with the keys each cites."""
        self.check()
        return ([CaseItem("core objective", self.core_objective)] + _node_items(self.means, "means")
                + _node_items(self.ends, "end"))

    def _feedback(self) -> list[Feedback]:
        out = []
        texts = [self.core_objective] + [n.text for n, _ in _walk(self.means + self.ends)]
        for text in texts:
            if is_fallback_objective(text):
                out.append(Feedback(
                    "suggestion", "objective-needs-rewording",
                    _("'{text}' was made by the fallback rule: rewrite it as the positive condition you want to see "
                      "(e.g. 'children die before age 1' -> 'more children survive their first year').",
                      text=text),
                    where=text))
        return out


def _nodes_from(items: Any, what: str) -> list[Node]:
    if not isinstance(items, list):
        raise FramingError(_("'{what}' must be a list of nodes, but it is {items}.",
                             what=what, items=_describe(items)))
    return [Node.from_dict(item, f"{what}[{i}]") for i, item in enumerate(items)]


def _check_tree(roots: list[Node]) -> None:
    """FramingError when a node object is reached twice (a cycle, or one node under two parents)."""
    seen: set[int] = set()
    stack: list[tuple[Node, tuple[str, ...]]] = [(n, ()) for n in reversed(roots)]
    while stack:
        node, path = stack.pop()
        node.check()
        if id(node) in seen:
            route = " -> ".join(path + (node.text,))
            raise FramingError(
                _("The node {text} appears twice in the tree ({route}): a tree cannot loop back or share a node "
                  "between two parents. Create a separate Node(...) for each place, or remove the repeat.",
                  text=repr(node.text), route=route))
        seen.add(id(node))
        stack.extend((child, path + (node.text,)) for child in reversed(node.children))


def _node_items(roots: list[Node], what: str) -> list[CaseItem]:
    return [CaseItem(what if not path else f"deeper {what}", without_citations(node.text), node.keys())
            for node, path in _walk(roots)]


def _objective_nodes(nodes: list[Node]) -> list[Node]:
    return [Node(to_objective(n.text), n.evidence, _objective_nodes(n.children)) for n in nodes]


@dataclass
class ProblemTree(FramingModel):
    """A problem tree: ``core_problem`` with ``causes`` below and ``effects`` above.

    Causes and effects are :class:`Node` objects (plain texts are turned into Nodes); a node's
    ``children`` are deeper causes (or further effects). Checks (``validate()``): the core problem is
    a condition, not a missing solution; at least 3 causes and 2 effects; no duplicate or circular
    texts; evidence on causes.

    >>> ProblemTree("lack of hospitals", ["distance"], ["deaths"]).validate()[0].code
    'core-is-missing-solution'
    """

    MODEL = "ProblemTree"

    core_problem: str
    causes: list[Node] = field(default_factory=list)
    effects: list[Node] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Structural check: texts are str, causes/effects are Nodes, no node reached twice (FramingError)."""
        check_text(self.core_problem, "core_problem")
        self.causes = _as_nodes(self.causes, "causes")
        self.effects = _as_nodes(self.effects, "effects")
        _check_tree(self.causes + self.effects)

    def to_dict(self) -> dict:
        """The tree as a JSON-ready dict."""
        return {"core_problem": self.core_problem, "causes": [n.to_dict() for n in self.causes],
                "effects": [n.to_dict() for n in self.effects]}

    @classmethod
    def from_dict(cls, data: dict) -> ProblemTree:
        """Rebuild from ``to_dict()`` output."""
        take_fields(data, _("The {model} JSON",
                            model="ProblemTree"), ("core_problem",), ("causes", "effects"))
        return cls(data["core_problem"], _nodes_from(data.get("causes", []), "causes"),
                   _nodes_from(data.get("effects", []), "effects"))

    def case_items(self) -> list[CaseItem]:
        """The core problem, every cause and every effect, with the keys each cites.

        >>> [i.what for i in ProblemTree("late results", [Node("a", children=[Node("b")])], ["c"]).case_items()]
        ['core problem', 'cause', 'deeper cause', 'effect']
        """
        self.check()
        return ([CaseItem("core problem", self.core_problem)] + _node_items(self.causes, "cause")
                + _node_items(self.effects, "effect"))

    def all_causes(self) -> list[Node]:
        """Every cause at every depth, depth-first (a cause before its own causes).

        >>> [n.text for n in ProblemTree("x", [Node("a", children=[Node("b")])], []).all_causes()]
        ['a', 'b']
        """
        self.check()
        return [n for n, _ in _walk(self.causes)]

    def all_effects(self) -> list[Node]:
        """Every effect at every depth, depth-first."""
        self.check()
        return [n for n, _ in _walk(self.effects)]

    def depth(self) -> int:
        """Levels of causes below the core problem (0 with no causes; 1 with direct causes only).

        >>> ProblemTree("x", [Node("a", children=[Node("b")])], []).depth()
        2
        """
        self.check()
        return max((len(path) + 1 for _, path in _walk(self.causes)), default=0)

    def objectives(self) -> ObjectivesTree:
        """Invert into an objectives tree with the documented rewrite rules (``_text.OBJECTIVE_REWRITES``):
        "high X" -> "lower X", "low X" -> "higher X", "delayed X" -> "timely X", ... else "X is resolved".
        Causes become means, effects become ends.

        >>> ProblemTree("high infant mortality", ["late HIV results"], []).objectives().means[0].text
        'timely HIV results'
        """
        self.check()
        return ObjectivesTree(to_objective(self.core_problem), _objective_nodes(self.causes),
                              _objective_nodes(self.effects))

    def _feedback(self) -> list[Feedback]:
        out: list[Feedback] = []
        core = self.core_problem.strip()
        if not core:
            out.append(Feedback("problem", "core-missing",
                                _("Write the core problem: the one condition the tree is about, e.g. "
                                "'high infant mortality' or 'delayed HIV test results for infants'."),
                                where="core_problem"))
        else:
            assumed = missing_solution(core)
            if assumed is not None:
                out.append(Feedback(
                    "problem", "core-is-missing-solution",
                    _("'{core}' describes a missing solution ({assumed}), so it already assumes the answer. State the "
                      "condition children or families experience instead: what goes wrong because {assumed} is missing?"
                      " For example 'high infant mortality' rather than 'lack of hospitals'.",
                      core=core, assumed=assumed),
                    where="core_problem"))
        n_causes, n_effects = len(self.causes), len(self.effects)
        if n_causes < MIN_CAUSES:
            out.append(Feedback(
                "problem", "too-few-causes",
                _("The tree has {n_causes} direct cause(s); a complete tree needs at least {min_causes}. Ask 'why "
                  "does this happen?' and add the answers as causes below the core problem.",
                  n_causes=n_causes, min_causes=MIN_CAUSES),
                where="causes"))
        if n_effects < MIN_EFFECTS:
            out.append(Feedback(
                "problem", "too-few-effects",
                _("The tree has {n_effects} effect(s); a complete tree needs at least {min_effects}. Ask 'what "
                  "happens because of this?' and add the answers as effects above the core problem.",
                  n_effects=n_effects, min_effects=MIN_EFFECTS),
                where="effects"))
        out += self._duplicates_and_loops(core)
        out += self._vague_nodes(core)
        out += self._cause_quality()
        return out

    def _vague_nodes(self, core: str) -> list[Feedback]:
        out: list[Feedback] = []
        texts = [("core problem", core)] + [(b, n.text) for b, roots in (("cause", self.causes),
                                                                         ("effect", self.effects))
                                            for n, _ in _walk(roots)]
        for what, text in texts:
            filler = filler_words(text)
            if filler:
                out.append(Feedback(
                    "problem", "vague-wording",
                    _("The {what} '{text}' uses filler words ({filler}) that stand for something not named yet. Say "
                      "exactly what happens, to whom: e.g. 'results take weeks to reach the clinic'.",
                      what=_(what), text=text, filler=listing(filler)),
                    where=text))
        return out

    def _duplicates_and_loops(self, core: str) -> list[Feedback]:
        out: list[Feedback] = []
        seen: dict[str, str] = {}
        core_key = norm(core)
        for branch, roots in (("causes", self.causes), ("effects", self.effects)):
            for node, path in _walk(roots):
                key = norm(node.text)
                if not key:
                    out.append(Feedback("problem", "empty-node",
                                        _("A node in the {branch} has no text: write what it is, or remove it.",
                                          branch=branch),
                                        where=" > ".join(p.text for p in path) or branch))
                    continue
                ancestors = {norm(p.text) for p in path} | {core_key}
                if key in ancestors:
                    loop = " -> ".join([core] + [p.text for p in path] + [node.text]) if path else \
                        f"{core} -> {node.text}"
                    out.append(Feedback(
                        "problem", "circular-cause",
                        _("'{text}' appears again below itself ({loop}): a condition cannot cause itself. Ask 'why?' once "
                          "more and write the deeper reason instead.", text=node.text, loop=loop),
                        where=node.text))
                elif key in seen:
                    out.append(Feedback(
                        "problem", "duplicate-node",
                        _("'{text}' appears twice (also under {seen}). Keep it once, in the place where it fits best, or "
                          "make the two texts say what is different.", text=node.text, seen=seen[key]),
                        where=node.text))
                else:
                    seen[key] = branch
        return out

    def _cause_quality(self) -> list[Feedback]:
        out: list[Feedback] = []
        with_evidence: list[str] = []
        without: list[str] = []
        odd_keys: list[str] = []
        for node, path in _walk(self.causes):
            if not node.text.strip():
                continue
            assumed = missing_solution(node.text)
            if assumed is not None:
                out.append(Feedback(
                    "suggestion", "cause-is-missing-solution",
                    _("The cause '{text}' names a missing solution ({assumed}). Describe the condition instead (what "
                      "happens now?), so that other solutions stay open.", text=node.text, assumed=assumed),
                    where=node.text))
            if path:
                continue  # evidence is asked of direct causes; deeper causes are welcome to carry it too
            if node.evidence and node.evidence.strip():
                with_evidence.append(node.text)
                keys = evidence_keys(node.evidence)
                if not keys or not all(is_key(k) for k in keys):
                    odd_keys.append(node.text)
            else:
                without.append(node.text)
        if with_evidence:
            out.append(Feedback(
                "strength", "evidence-given",
                _("{n_with_evidence} cause(s) cite a source ({with_evidence}). Citing is the first step: "
                  "validate(case=...) checks that each source states what the cause says, and a person judges "
                  "whether these are the causes that matter most.",
                  n_with_evidence=len(with_evidence), with_evidence=listing(with_evidence)), where="causes"))
        if without:
            out.append(Feedback(
                "suggestion", "evidence-missing",
                _("No evidence yet for: {without}. Add a citation key (e.g. 'seidenberg2012') or a dataset name "
                  "(e.g. 'sowc_child_mortality') as the node's evidence, or mark it as a guess to check with "
                  "families.", without=listing(without)), where="causes"))
        if odd_keys:
            out.append(Feedback(
                "suggestion", "evidence-not-a-key",
                _("The evidence of {odd_keys} is not written as a key. Use the citation key from "
                  "course/references.yml (lower case, like 'seidenberg2012') or a catalogue dataset name, separated"
                  " by ';' if there are several.", odd_keys=listing(odd_keys)), where="causes"))
        return out
