"""The grading engine's structure: no import cycle, classroom -> grading only, internals only in hooks.py.

Static checks over the source (ast), plus the hooks' registry checked against the installed
jupyter_client/nbclient: a hook that changed signature, source or disappeared fails here, before it can
move the security boundary silently.
"""
from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from designkit.grading import hooks

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "designkit"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """designkit modules imported by ``path`` (absolute and relative, anywhere in the file)."""
    tree = ast.parse(path.read_text())
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "designkit"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "designkit":
                continue
            found.add(target)
            for alias in node.names:  # `from . import x` imports the submodule x
                sub = PACKAGE.parent / (target + "." + alias.name).replace(".", "/")
                if sub.with_suffix(".py").exists() or (sub / "__init__.py").exists():
                    found.add(f"{target}.{alias.name}")
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {t for t in imports_of(path) if t in modules and t != name} for name, path in modules.items()}


def test_no_import_cycle_in_designkit():
    edges = graph()
    # a package's __init__ importing its own submodules is how a public face works: leave those edges out
    edges = {m: {t for t in ts if not (m == t.rsplit(".", 1)[0] or t.startswith(m + "."))}
             for m, ts in edges.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycle = stack[stack.index(target):] + [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if not state.get(target):
                visit(target)
        stack.pop()
        state[node] = 2

    for name in sorted(edges):
        if not state.get(name):
            visit(name)


def test_classroom_imports_grading_and_never_the_reverse():
    edges = graph()
    reverse = {m: sorted(t for t in ts if t.startswith("designkit.classroom"))
               for m, ts in edges.items() if m.startswith("designkit.grading")}
    assert not any(reverse.values()), f"designkit.grading imports classroom: {reverse}"
    assert any(t.startswith("designkit.grading") for m, ts in edges.items() if m.startswith("designkit.classroom")
               for t in ts), "classroom is expected to use the grading engine"
    # and no module of the kit imports the engine from student-facing packages
    for package in ("checks", "data", "framing", "plots", "widgets"):
        for m, ts in edges.items():
            if m.startswith(f"designkit.{package}"):
                assert not any(t.startswith("designkit.grading") for t in ts), (m, ts)


def private_upstream_names() -> set[str]:
    """Every private (single underscore) method or attribute name defined in a class of jupyter_client or
    nbclient (read from their installed source)."""
    names: set[str] = set()
    for package in ("jupyter_client", "nbclient"):
        root = Path(importlib.import_module(package).__file__).parent
        for path in root.rglob("*.py"):
            if "tests" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(errors="replace"))):
                if isinstance(node, ast.ClassDef):
                    for item in node.body:
                        for name in class_body_names(item):
                            if name.startswith("_") and not name.startswith("__"):
                                names.add(name)
    return names


def class_body_names(item: ast.stmt) -> list[str]:
    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return [item.name]
    if isinstance(item, ast.Assign):
        return [t.id for t in item.targets if isinstance(t, ast.Name)]
    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
        return [item.target.id]
    return []


def overridden_private_names(path: Path, upstream: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                found += [f"{path.name}:{node.name}.{n}" for n in class_body_names(item) if n in upstream]
    return found


def test_no_private_jupyter_method_is_overridden_outside_hooks():
    upstream = private_upstream_names()
    assert "_async_pre_start_kernel" in upstream and "_async_handle_timeout" in upstream  # the scan works
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name != "hooks.py":
            offenders += overridden_private_names(path, upstream)
    assert offenders == [], f"private jupyter_client/nbclient methods overridden outside hooks.py: {offenders}"


def test_the_override_scan_catches_an_override(tmp_path):
    """The control: a class that overrides a private kernel-manager method is reported."""
    sample = tmp_path / "sample.py"
    sample.write_text("class K(AsyncKernelManager):\n    async def _async_pre_start_kernel(self, **kw):\n"
                      "        pass\n    _async_interrupt_kernel = None\n")
    assert overridden_private_names(sample, private_upstream_names()) == [
        "sample.py:K._async_pre_start_kernel", "sample.py:K._async_interrupt_kernel"]


@pytest.mark.parametrize("name", sorted(hooks.HOOKS))
def test_each_hook_still_exists_unchanged(name):
    """A hook relies on a jupyter_client/nbclient internal: it must exist with the signature (and, for a
    copy, the source) it was written against (see hooks.TESTED_ON)."""
    _, signature, source_sha = hooks.HOOKS[name]
    module_name_, class_name, attribute = name.rsplit(".", 2)
    cls = getattr(importlib.import_module(module_name_), class_name)
    assert hasattr(cls, attribute), f"{name} is gone: review designkit/grading/hooks.py"
    member = getattr(cls, attribute)
    assert str(inspect.signature(member)) == signature, f"{name} changed its signature: review hooks.py"
    if source_sha:
        digest = hashlib.sha256(inspect.getsource(member).encode()).hexdigest()
        assert digest == source_sha, f"{name} changed upstream: compare it with the copy in hooks.py"


def test_hooks_are_where_they_are_used():
    from designkit.grading.manager import CappedKernelClient

    assert CappedKernelClient.wait_for_ready is hooks.quick_wait_for_ready


def test_importing_the_engine_loads_no_kernel_machinery():
    """A course's nbgrader_config.py imports designkit.grading for every nbgrader command (a student's
    Validate included): that import must not pull in jupyter_client, zmq or nbgrader."""
    code = ("import sys, designkit.grading\n"
            "print(sorted(m for m in ('jupyter_client', 'zmq', 'nbgrader', 'nbclient') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", check=True)
    assert done.stdout.strip() == "[]", done.stdout
