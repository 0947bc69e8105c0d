"""The glossary (``course/glossary.yml``) is used consistently: where an English unit uses a term, its translation
uses the term's Chinese (``zh``, its ``zh_first`` form, or one of ``zh_also``). Case does not matter, plural
forms count, code does not. A unit that rightly does without goes under ``exceptions`` with the reason.

``.venv/bin/python -m pytest tests/test_i18n_glossary.py -q``
"""
from __future__ import annotations

from pathlib import Path

import pytest

from designkit.i18n import catalog, consistency
from designkit.i18n.generate import current

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "course" / "glossary.yml"
LANG = "zh-CN"
ENGLISH = [p.as_posix() for p in catalog.english_files(ROOT)]


@pytest.fixture(scope="module")
def glossary() -> dict:
    return consistency.load_glossary(GLOSSARY)


def test_glossary_is_well_formed(glossary: dict) -> None:
    problems, seen = [], set()
    for n, term in enumerate(glossary["terms"], start=1):
        if not (isinstance(term, dict) and isinstance(term.get("en"), str) and isinstance(term.get("zh"), str)
                and term["en"].strip() and term["zh"].strip()):
            problems.append(f"term {n}: needs non-empty `en` and `zh` ({term!r})")
            continue
        if term["en"].lower() in seen:
            problems.append(f"term {n}: {term['en']!r} is listed twice")
        seen.add(term["en"].lower())
        if term.get("zh_first") and term["zh"] not in term["zh_first"]:
            problems.append(f"term {n}: zh_first {term['zh_first']!r} should contain zh {term['zh']!r}")
        if not isinstance(term.get("zh_also", []), list):
            problems.append(f"term {n}: zh_also is a list of other right forms")
    for n, exc in enumerate(glossary.get("exceptions") or [], start=1):
        if not (isinstance(exc, dict) and {"file", "unit", "term", "why"} <= set(exc)):
            problems.append(f"exception {n}: needs file, unit, term and why ({exc!r})")
        elif exc["term"].lower() not in seen or exc["file"] not in ENGLISH:
            problems.append(f"exception {n}: unknown term {exc['term']!r} or English file {exc['file']!r}")
    assert not problems, f"{GLOSSARY.relative_to(ROOT)}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("en_rel", ENGLISH)
def test_translation_uses_the_glossary(en_rel: str, glossary: dict) -> None:
    data = catalog.refresh(Path(en_rel), LANG, ROOT)
    cat = catalog.catalogue_path(Path(en_rel), LANG, Path(".")).as_posix()
    excused = {(e["unit"], e["term"].lower()) for e in glossary.get("exceptions") or [] if e.get("file") == en_rel}
    problems = []
    for unit in data["units"]:
        zh = current(unit)
        if zh is None:
            continue
        terms = [t for t in glossary["terms"] if (unit["id"], t["en"].lower()) not in excused]
        problems += [f"{cat}: unit {unit['id']}: {p}" for p in consistency.glossary_problems(unit["en"], zh, terms)]
    assert not problems, (
        "translations that do not use the glossary's term (course/glossary.yml; fix the zh, or add an exception "
        "with the reason):\n  " + "\n  ".join(problems)
    )
