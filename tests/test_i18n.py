"""The two languages stay in step (design: source/README.md, "Two languages"; build: designkit/i18n/build.py).

- every English unit (markdown cell, document section, code string) has a current translation, and the gettext
  catalogues (``designkit/locale/zh_CN/LC_MESSAGES/*.po``) have no untranslated or fuzzy message: the count
  ``make translations`` prints is zero;
- the generated files (``course/zh-CN/``, ``source/*-zh/``, ``source/header-zh.ipynb``), the catalogues, the
  templates and ``course.po`` are what ``make translations`` writes now;
- every file of the kit that calls ``_()`` belongs to a gettext domain;
- a generated notebook keeps the English one's cells, ids, code and nbgrader metadata; a rubric task cell holds
  both mark schemes;
- each translated unit keeps the English's citations, numbers, links, nbgrader markers and headings, and each
  translated message its ``{fields}`` (the glossary: tests/test_i18n_glossary.py);
- the build itself, on a small course in a temporary folder: translations used, English fallbacks counted and
  relinked, stale units not used, the bilingual mark scheme, data files copied and grader files not, orphans
  removed, a second run changes nothing, ``--check`` fails while anything is left.

No nbgrader run and no kernel: a few seconds. ``.venv/bin/python -m pytest tests/test_i18n*.py -q``
"""
from __future__ import annotations

import fnmatch
import json
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from designkit.i18n import build, catalog, consistency, extract
from designkit.i18n.generate import EN_LABEL, MARK_SCHEME_RE, current
from designkit.i18n.layout import generated_roots, translated_path

ROOT = Path(__file__).resolve().parents[1]
LANG = "zh-CN"
ENGLISH = [p.as_posix() for p in catalog.english_files(ROOT)]
NOTEBOOKS = [p for p in ENGLISH if p.endswith(".ipynb")]
PO_DIR = ROOT / "designkit" / "locale" / LANG.replace("-", "_") / "LC_MESSAGES"
HOW = "write the `zh` of these units in their catalogues, then run `make translations` and commit"


@pytest.fixture(scope="module")
def plan() -> build.Plan:
    return build.plan(ROOT, LANG)


@pytest.fixture(scope="module")
def catalogues() -> dict[str, dict]:
    """English path -> its catalogue as the build sees it (refreshed from the current English, not written)."""
    return {rel: catalog.refresh(Path(rel), LANG, ROOT) for rel in ENGLISH}


def generated(rel: str) -> bool:
    return any(fnmatch.fnmatchcase(rel, pattern) for pattern in generated_roots(LANG))


# ------------------------------------------------------------------------------------------- done when: zero
def test_every_english_unit_has_a_current_translation(catalogues: dict[str, dict]) -> None:
    left = []
    for rel, data in catalogues.items():
        cat = catalog.catalogue_path(Path(rel), LANG, Path(".")).as_posix()
        untranslated = [u["id"] for u in data["units"] if not (u.get("zh") or "").strip()]
        stale = [u["id"] for u in data["units"] if (u.get("zh") or "").strip() and current(u) is None]
        strings = [s["en"] for s in data["strings"] if not (s.get("zh") or "").strip()]
        if untranslated:
            left.append(f"{cat}: untranslated units {untranslated}")
        if stale:
            left.append(f"{cat}: stale units (the English changed: revise zh, delete `stale: true`) {stale}")
        if strings:
            left.append(f"{cat}: untranslated strings {strings}")
    assert not left, f"{len(left)} catalogues are not done ({HOW}):\n  " + "\n  ".join(left)


def test_po_files_have_no_untranslated_or_fuzzy_message() -> None:
    files = sorted(PO_DIR.glob("*.po"))
    assert files, f"no gettext catalogue in {PO_DIR.relative_to(ROOT)}: run make translations"
    left = []
    for po in files:
        for msg in extract.read(po, LANG):
            if msg.id and (msg.fuzzy or not msg.string):
                state = "fuzzy (the English changed: revise msgstr, remove the fuzzy flag)" if msg.fuzzy else "untranslated"
                left.append(f"{po.relative_to(ROOT)}: {state}: {msg.id!r}")
    assert not left, f"{len(left)} gettext messages are not done:\n  " + "\n  ".join(left)


def test_translated_messages_keep_their_fields(catalogues: dict[str, dict]) -> None:
    """A translation's {fields} are the English message's: an unknown field fails when _() fills it."""
    bad = []
    for po in sorted(PO_DIR.glob("*.po")):
        for msg in extract.read(po, LANG):
            if msg.id and isinstance(msg.id, str) and msg.string:
                bad += [f"{po.relative_to(ROOT)}: {msg.id!r}: {p}" for p in consistency.field_problems(msg.id, msg.string)]
    for rel, data in catalogues.items():
        cat = catalog.catalogue_path(Path(rel), LANG, Path(".")).as_posix()
        for s in data["strings"]:
            if s.get("zh"):
                bad += [f"{cat}: string {s['en']!r}: {p}" for p in consistency.field_problems(s["en"], s["zh"])]
    assert not bad, "translated messages with other fields than the English:\n  " + "\n  ".join(bad)


# -------------------------------------------------------------------------------------------- up to date
def test_generated_files_are_up_to_date(plan: build.Plan) -> None:
    out_of_date = [r for r in build.differences(plan, ROOT) if generated(r)]
    assert not out_of_date, (
        "generated translations differ from what `make translations` writes now (never edit them by hand: edit the "
        "English or the catalogue, then run make translations and commit):\n  " + "\n  ".join(out_of_date)
    )


def test_catalogues_and_gettext_files_are_up_to_date(plan: build.Plan) -> None:
    out_of_date = [r for r in build.differences(plan, ROOT) if not generated(r)]
    assert not out_of_date, (
        "catalogues or gettext files are behind the English (run make translations and commit):\n  "
        + "\n  ".join(out_of_date)
    )


def test_every_file_calling_the_message_function_has_a_domain() -> None:
    table = extract.domains(ROOT / "designkit" / "locale")
    orphans = [
        rel for path in sorted((ROOT / "designkit").rglob("*.py"))
        if not (rel := path.relative_to(ROOT).as_posix()).startswith("designkit/i18n/")
        and extract.calls_message_function(path) and extract.domain_of(rel, table) is None
    ]
    assert not orphans, (
        f"these files call _() or N_() but belong to no gettext domain, so their messages are never extracted: "
        f"{orphans}; add them to designkit/locale/domains.yml"
    )


# --------------------------------------------------------------------------------- generated notebooks
def nbgrader(cell: nbformat.NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


@pytest.mark.parametrize("en_rel", NOTEBOOKS)
def test_generated_notebook_keeps_the_english_code_and_grading(en_rel: str) -> None:
    zh_rel = translated_path(en_rel, LANG)
    assert (ROOT / zh_rel).is_file(), f"{zh_rel} is missing: run make translations and commit"
    en = nbformat.read(ROOT / en_rel, as_version=4)
    zh = nbformat.read(ROOT / zh_rel, as_version=4)
    assert zh.metadata.get("designkit", {}).get("lang") == LANG, f"{zh_rel}: metadata designkit.lang is not {LANG}"
    assert zh.metadata.get("kernelspec") == en.metadata.get("kernelspec"), f"{zh_rel}: kernelspec differs"
    assert [(c.id, c.cell_type) for c in zh.cells] == [(c.id, c.cell_type) for c in en.cells], (
        f"{zh_rel}: its cells (ids, types, order) differ from {en_rel}"
    )
    for e, z in zip(en.cells, zh.cells):
        assert z.metadata == e.metadata, f"{zh_rel}: cell {e.id}: metadata (nbgrader grade id, points...) differs"
        if e.cell_type == "code":
            assert z.source == e.source, f"{zh_rel}: code cell {e.id} differs from the English"
            assert not z.outputs and z.execution_count is None, f"{zh_rel}: code cell {e.id} holds outputs"
        elif nbgrader(e).get("task") and (region := MARK_SCHEME_RE.search(e.source)):
            assert region.group(2) in z.source, (
                f"{zh_rel}: rubric task cell {e.id} lacks the English mark scheme, which a grader who reads English needs"
            )


@pytest.mark.parametrize("en_rel", [p for p in NOTEBOOKS if p.startswith("source/")])
def test_translated_assignment_has_the_same_grade_ids_and_points(en_rel: str) -> None:
    zh_rel = translated_path(en_rel, LANG)
    graded = lambda path: [(nbgrader(c).get("grade_id"), nbgrader(c).get("points")) for c in  # noqa: E731
                           nbformat.read(ROOT / path, as_version=4).cells if nbgrader(c)]
    assert graded(zh_rel) == graded(en_rel), f"{zh_rel}: grade ids or points differ from {en_rel}"


# --------------------------------------------------------------------------- translation slips, per unit
def exists_after_build(plan: build.Plan) -> Callable[[str], bool]:
    planned = set(plan.files)
    for rel in list(planned):
        while "/" in rel:
            rel = rel.rsplit("/", 1)[0]
            planned.add(rel)
    return lambda rel: rel in planned or (ROOT / rel).exists()


@pytest.mark.parametrize("en_rel", ENGLISH)
def test_translation_keeps_citations_numbers_links_and_markers(en_rel: str, catalogues: dict[str, dict],
                                                              plan: build.Plan) -> None:
    data = catalogues[en_rel]
    cat = catalog.catalogue_path(Path(en_rel), LANG, Path(".")).as_posix()
    exists = exists_after_build(plan)
    problems = [
        f"{cat}: unit {u['id']}: {problem}"
        for u in data["units"] if (zh := current(u)) is not None
        for problem in consistency.unit_problems(u["en"], zh, en_rel, LANG, exists)
    ]
    assert not problems, "translation slips (fix the zh of these units, then make translations):\n  " + "\n  ".join(problems)


# ------------------------------------------------------------------------------- the build, on a small course
def notebook(cells: list[dict]) -> str:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    for spec in cells:
        make = nbformat.v4.new_code_cell if spec["type"] == "code" else nbformat.v4.new_markdown_cell
        nb.cells.append(make(spec["source"], id=spec["id"], metadata=spec.get("metadata", {})))
    return nbformat.writes(nb) + "\n"


TASK_META = {"nbgrader": {"grade": False, "grade_id": "q1-r1-fit", "locked": True, "points": 1, "schema_version": 3,
                          "solution": False, "task": True}}
EN_TASK = "**Part 1, rubric row 1 (1 point): Fit.** Look at fit.\n\n### BEGIN MARK SCHEME\nFull: fits.\n### END MARK SCHEME"
ZH_TASK = "**第1部分，评分细则第1行（1分）：契合。** 看是否契合。\n\n### BEGIN MARK SCHEME\n满分：契合。\n### END MARK SCHEME"


@pytest.fixture()
def small_course(tmp_path: Path) -> Path:
    """A course of one module, a syllabus and one problem set (with a data file and a rubric), half translated."""
    root = tmp_path
    (root / "designkit" / "locale").mkdir(parents=True)
    (root / "designkit" / "locale" / "domains.yml").write_text("toy:\n  - designkit/toy/**.py\n", encoding="utf-8")
    (root / "designkit" / "toy").mkdir()
    (root / "designkit" / "toy" / "m.py").write_text('from designkit.i18n import _\nX = _("Well done, {name}", name="x")\n')
    (root / "course").mkdir()
    (root / "course" / "references.yml").write_text("[]\n")
    (root / "course" / "01-a.ipynb").write_text(notebook([
        {"type": "markdown", "id": "title", "source": "# 01 · Rights\n\n3 labs [@k]; see [refs](references.yml)."},
        {"type": "code", "id": "setup", "source": 'print(_("Hello {name}", name="Ada"))'},
        {"type": "markdown", "id": "next", "source": "## What's next\n\n[Back](01-a.ipynb), [refs](references.yml)"},
    ]), encoding="utf-8")
    (root / "course" / "README.md").write_text("# Syllabus\n\nStart with [01](01-a.ipynb).\n\n## Books\n\nNone.\n")
    ps = root / "source" / "ps9-toy"
    ps.mkdir(parents=True)
    (ps / "ps9-toy.ipynb").write_text(notebook([
        {"type": "markdown", "id": "ps9-title", "source": "# Problem set 9\n\n**Total: 1 point**"},
        {"type": "markdown", "id": "q1-r1-fit", "source": EN_TASK, "metadata": TASK_META},
    ]), encoding="utf-8")
    (ps / "data.csv").write_text("a,b\n1,2\n")
    (ps / "rubric.md").write_text("# graders only\n")
    catalog.update(root)
    translations = {
        "course/01-a.ipynb": {"title": "# 01 · 权利\n\n3个实验室[@k]；见[参考](../references.yml)。"},
        "course/README.md": {"syllabus": "# 教学大纲\n\n从[01](01-a.ipynb)开始。\n"},
        "source/ps9-toy/ps9-toy.ipynb": {"q1-r1-fit": ZH_TASK},
    }
    for rel, units in translations.items():
        path = catalog.catalogue_path(Path(rel), LANG, root)
        data = catalog.load(path)
        for unit in data["units"]:
            unit["zh"] = units.get(unit["id"], "")
        for s in data["strings"]:
            s["zh"] = "你好，{name}"
        catalog.save(path, data)
    catalog.update(root)  # accepts the translations (en_sha)
    return root


def test_build_generates_the_translation_with_english_fallbacks(small_course: Path) -> None:
    root = small_course
    p = build.plan(root, LANG)
    build.apply(p, root)
    module = nbformat.read(root / "course/zh-CN/01-a.ipynb", as_version=4)
    assert module.cells[0].source.startswith("# 01 · 权利"), "a current translation is used"
    assert module.cells[1].source == 'print(_("Hello {name}", name="Ada"))', "code cells stay English"
    assert module.cells[2].source == "## What's next\n\n[Back](01-a.ipynb), [refs](../references.yml)", (
        "an untranslated unit shows the English, its links rewritten for course/zh-CN/")
    assert "edit those" in module.metadata["designkit"]["generated"] and module.metadata["designkit"]["lang"] == LANG
    syllabus = (root / "course/zh-CN/README.md").read_text(encoding="utf-8")
    assert syllabus.startswith("<!-- Generated by `make translations`") and "# 教学大纲" in syllabus
    assert "## Books\n\nNone." in syllabus
    task = nbformat.read(root / "source/ps9-toy-zh/ps9-toy-zh.ipynb", as_version=4).cells[1]
    assert task.source.startswith("**第1部分") and f"满分：契合。\n\n{EN_LABEL}\n\nFull: fits.\n### END MARK SCHEME" in task.source
    assert task.metadata == TASK_META
    assert (root / "source/ps9-toy-zh/data.csv").read_text() == "a,b\n1,2\n"
    assert not (root / "source/ps9-toy-zh/rubric.md").exists(), "grader files stay with the English set"
    assert 'msgstr "你好，{name}"' in (root / "designkit/locale/zh_CN/LC_MESSAGES/course.po").read_text(encoding="utf-8")
    assert 'msgid "Well done, {name}"' in (root / "designkit/locale/toy.pot").read_text(encoding="utf-8")
    text, left = build.summary(p, LANG)
    # untranslated: module 'next', ps9-title, syllabus 'books', the toy domain's message; nothing stale
    assert left == 4 and f"{LANG}: 4 untranslated, 0 stale" in text
    assert build.differences(build.plan(root, LANG), root) == [], "a second run changes nothing"


def test_check_writes_nothing_and_fails_while_units_are_left(small_course: Path, capsys) -> None:
    root = small_course
    assert build.main(["build", "--root", str(root)]) == 0
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    (root / "course/zh-CN/README.md").write_text("edited by hand\n")
    assert build.main(["build", "--check", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "out of date: course/zh-CN/README.md" in out and f"{LANG}: 4 untranslated, 0 stale" in out
    assert (root / "course/zh-CN/README.md").read_text() == "edited by hand\n", "--check writes nothing"
    assert build.main(["build", "--root", str(root)]) == 0
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_build_drops_stale_translations_and_orphans(small_course: Path) -> None:
    root = small_course
    build.apply(build.plan(root, LANG), root)
    en = root / "course/01-a.ipynb"
    nb = json.loads(en.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = "# 01 · Rights\n\n4 labs [@k]; see [refs](references.yml)."
    en.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
    orphan = root / "course/zh-CN/07-gone.ipynb"
    orphan.write_text("{}")
    p = build.plan(root, LANG)
    assert "course/zh-CN/07-gone.ipynb" in p.remove
    build.apply(p, root)
    assert not orphan.exists()
    title = nbformat.read(root / "course/zh-CN/01-a.ipynb", as_version=4).cells[0].source
    assert title.startswith("# 01 · Rights\n\n4 labs"), "a stale translation is not shown: the English is"
    data = catalog.load(catalog.catalogue_path(Path("course/01-a.ipynb"), LANG, root))
    assert data["units"][0].get("stale") is True, "the catalogue marks the unit stale for its translator"
    assert "1 stale" in build.summary(p, LANG)[0]
