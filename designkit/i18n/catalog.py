"""Translation catalogues: English stays the source; each translated file has one YAML catalogue beside nothing else.

A catalogue translates one English file of the course into one language. It lives at
``translations/<lang>/<path of the English file>.yml`` (for example
``translations/zh-CN/course/01-rights-and-equity.ipynb.yml``) and holds:

``units``
    one entry per translatable unit of the English file: a markdown cell of a notebook (keyed by its cell id)
    or a section of a markdown file (keyed by its heading's slug). Each entry stores

    - ``id``: the cell id or section slug,
    - ``en``: a copy of the *current* English (refreshed by :func:`update`; for the translator to read),
    - ``en_sha``: the hash of the English the translation was made from,
    - ``zh``: the translation (the only field a translator edits),
    - ``stale: true``: set by :func:`update` when the English changed after it was translated; the translator
      revises ``zh`` and deletes the line.

``strings``
    the literals a notebook's code cells pass to ``_("...")`` (the one message function), each ``{en, zh}``.

Code cells are never translated: they stay identical in both languages.

:func:`update` refreshes every catalogue from the English (new units untranslated, changed ones stale, removed
ones dropped) and accepts a translation whose stale flag the translator removed; :func:`status` counts what is
untranslated or stale. ``python -m designkit.i18n.catalog update|status`` runs them over the whole course.

>>> units = markdown_units("Intro\\n\\n# Goals\\nOne.\\n\\n# Goals\\nTwo.\\n")
>>> [u[0] for u in units]
['preamble', 'goals', 'goals-2']
>>> sha("Hello")
'185f8db32271'
"""
from __future__ import annotations

import ast
import fnmatch
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("zh-CN",)
# the English files a student, grader or instructor reads (paths relative to the checkout)
SCOPE = (
    "course/[0-9][0-9]-*.ipynb",
    "course/README.md",
    "course/instructor-notes/*.md",
    "course/instructor-notes/*.ipynb",
    "course/capstone/*.md",
    "source/header.ipynb",
    "source/*/*.ipynb",
)
EXCLUDE = ("source/*-zh/*",)  # generated translations are never sources


def sha(text: str) -> str:
    """The first 12 hex digits of the SHA-256 of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def english_files(root: Path = ROOT) -> list[Path]:
    """Every English file in :data:`SCOPE`, sorted, relative to ``root``.

    >>> "course/00-start-here.ipynb" in {p.as_posix() for p in english_files()}
    True
    """
    found: set[Path] = set()
    for pattern in SCOPE:
        for path in root.glob(pattern):
            rel = path.relative_to(root)
            if not any(fnmatch.fnmatch(rel.as_posix(), ex) for ex in EXCLUDE):
                found.add(rel)
    return sorted(found)


def catalogue_path(rel: Path, lang: str, root: Path = ROOT) -> Path:
    """Where the ``lang`` catalogue of the English file ``rel`` lives.

    >>> catalogue_path(Path("course/00-start-here.ipynb"), "zh-CN", Path("/r")).as_posix()
    '/r/translations/zh-CN/course/00-start-here.ipynb.yml'
    """
    return root / "translations" / lang / (rel.as_posix() + ".yml")


def _slug(heading: str) -> str:
    text = re.sub(r"[^\w\s-]", "", heading.strip("# ").lower())
    return re.sub(r"[\s_]+", "-", text).strip("-") or "section"


def markdown_units(text: str) -> list[tuple[str, str]]:
    """Split a markdown file into sections at its headings: ``[(slug, text), ...]`` (``preamble`` first, if any).

    Headings inside fenced code blocks do not split. Joining the texts gives back the file.
    """
    units: list[tuple[str, list[str]]] = []
    fenced = False
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and re.match(r"#{1,6}\s", line):
            units.append((_slug(line), [line]))
        elif units:
            units[-1][1].append(line)
        else:
            units.append(("preamble", [line]))
    seen: dict[str, int] = {}
    out = []
    for slug, lines in units:
        seen[slug] = seen.get(slug, 0) + 1
        out.append((slug if seen[slug] == 1 else f"{slug}-{seen[slug]}", "".join(lines)))
    return out


def message_literals(code: str) -> list[str]:
    """The string literals passed as the first argument of ``_(...)`` in ``code`` (a code cell).

    >>> message_literals('print(_("Hello {name}", name=n)); x = f(1)')
    ['Hello {name}']
    """
    try:
        tree = ast.parse(code)
    except SyntaxError:  # IPython magics or a student's stub: nothing to extract
        return []
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
        and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
    ]


def english_units(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """The translatable units of an English file and the ``_()`` literals of its code cells."""
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        units, strings = [], []
        for cell in nb["cells"]:
            src = "".join(cell["source"])
            if cell["cell_type"] == "markdown" and src.strip():
                if "id" not in cell:
                    raise ValueError(f"{path}: a markdown cell has no id; run nbformat's normalize (nbstripout) first")
                units.append((cell["id"], src))
            elif cell["cell_type"] == "code":
                strings += [s for s in message_literals(src) if s not in strings]
        return units, strings
    return markdown_units(path.read_text(encoding="utf-8")), []


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed: the same result, 10x faster


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value and not re.search(r"[ \t]\n|\r|[\x00-\x08\x0b-\x1f]", value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)

HEADER = (
    "# Translation catalogue ({lang}) of {source}. English is the source of truth.\n"
    "# Edit only the `zh` texts. `en` is a copy of the current English; `stale: true` means the English changed\n"
    "# after it was translated: revise `zh`, delete the `stale` line, then run `make translations`.\n"
)


def load(path: Path) -> dict[str, Any]:
    """Read a catalogue (an empty one if the file does not exist); a broken file names itself."""
    if not path.exists():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.YAMLError as err:
        raise ValueError(f"{path}: not valid YAML ({err}); fix the file (git diff shows what changed)") from err
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping with `units` and `strings`")
    return data


def dumps(data: dict[str, Any]) -> str:
    """A catalogue as text, with its header, in block style, keeping Chinese characters readable."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return HEADER.format(lang=data["lang"], source=data["source"]) + body


def save(path: Path, data: dict[str, Any]) -> None:
    """Write a catalogue (:func:`dumps`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(data), encoding="utf-8")


def refresh(rel: Path, lang: str, root: Path = ROOT) -> dict[str, Any]:
    """The catalogue of ``rel`` brought up to date with the English (not written)."""
    old = load(catalogue_path(rel, lang, root))
    units, strings = english_units(root / rel)
    old_units = {u["id"]: u for u in old.get("units") or []}
    new_units = []
    for uid, en in units:
        prev = old_units.get(uid, {})
        zh = prev.get("zh") or ""
        entry: dict[str, Any] = {"id": uid, "en_sha": prev.get("en_sha", ""), "en": en, "zh": zh}
        stale = bool(prev.get("stale"))
        if zh and prev.get("en") is not None and sha(prev["en"]) != sha(en):
            stale = True  # the English changed since the last refresh
        if zh and not stale:
            entry["en_sha"] = sha(en)  # translated (or revised and accepted) from the current English
        if stale:
            entry["stale"] = True
        new_units.append(entry)
    old_strings = {s["en"]: s.get("zh") or "" for s in old.get("strings") or []}
    return {
        "source": rel.as_posix(),
        "lang": lang,
        "units": new_units,
        "strings": [{"en": s, "zh": old_strings.get(s, "")} for s in strings],
    }


def status(data: dict[str, Any]) -> dict[str, int]:
    """Counts of units and strings that are translated and current, untranslated, or stale.

    >>> status({"units": [{"en": "a", "en_sha": sha("a"), "zh": "甲"}, {"en": "b", "zh": ""}], "strings": []})
    {'current': 1, 'untranslated': 1, 'stale': 0}
    """
    counts = {"current": 0, "untranslated": 0, "stale": 0}
    for entry in list(data.get("units") or []):
        if not entry.get("zh"):
            counts["untranslated"] += 1
        elif entry.get("stale") or entry.get("en_sha") != sha(entry["en"]):
            counts["stale"] += 1
        else:
            counts["current"] += 1
    for entry in data.get("strings") or []:
        counts["current" if entry.get("zh") else "untranslated"] += 1
    return counts


def update(root: Path = ROOT, langs: tuple[str, ...] = LANGS) -> dict[str, dict[str, int]]:
    """Refresh and write every catalogue; returns the status of each (keyed by catalogue path)."""
    out = {}
    for lang in langs:
        for rel in english_files(root):
            data = refresh(rel, lang, root)
            path = catalogue_path(rel, lang, root)
            save(path, data)
            out[path.relative_to(root).as_posix()] = status(data)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m designkit.i18n.catalog update|status``: refresh catalogues and print what is left to do."""
    args = sys.argv[1:] if argv is None else argv
    if args not in (["update"], ["status"]):
        print("usage: python -m designkit.i18n.catalog update|status", file=sys.stderr)
        return 2
    if args == ["update"]:
        result = update()
    else:
        result = {
            catalogue_path(rel, lang).relative_to(ROOT).as_posix(): status(refresh(rel, lang))
            for lang in LANGS for rel in english_files()
        }
    total = {"current": 0, "untranslated": 0, "stale": 0}
    for path, counts in result.items():
        for key in total:
            total[key] += counts[key]
        if counts["untranslated"] or counts["stale"]:
            print(f"{path}: {counts['untranslated']} untranslated, {counts['stale']} stale")
    print(f"translations: {total['current']} current, {total['untranslated']} untranslated, {total['stale']} stale")
    return 0


if __name__ == "__main__":
    sys.exit(main())
