"""``make translations``: bring every translation in step with the English, generate the translated files, count.

``python -m designkit.i18n build`` (what ``make translations`` runs):

1. gettext: extract each domain's ``_()``/``N_()`` messages (``designkit/locale/<domain>.pot``) and update its
   ``designkit/locale/<lang>/LC_MESSAGES/<domain>.po`` (Babel); ``course.po`` from the catalogues' ``strings``;
2. catalogues: refresh ``translations/<lang>/**.yml`` from the English (:func:`designkit.i18n.catalog.update`);
3. generate the translated files (:mod:`designkit.i18n.generate`) and remove generated files whose English
   source is gone;
4. print the count of untranslated and stale units, code strings and gettext messages.

``--check`` writes nothing: it exits 1 when anything is untranslated or stale, or when a file on disk differs from
what the build would write (run ``make translations`` and commit). Running the build twice changes nothing.
"""
from __future__ import annotations

import argparse
import fnmatch
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog, extract
from .generate import Generated, generate
from .layout import generated_roots

LANGS = catalog.LANGS


@dataclass
class Plan:
    """Everything the build would write (path relative to the checkout -> bytes) and what is left to translate."""

    files: dict[str, bytes] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # "units" / "strings" / "gettext <domain>"
    todo: list[str] = field(default_factory=list)  # one line per file with work left
    generated: Generated | None = None


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        total[key] = total.get(key, 0) + value


def plan(root: Path = catalog.ROOT, lang: str = "zh-CN") -> Plan:
    """Compute the whole build for ``lang`` in memory."""
    out = Plan()
    rel = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    locale_dir = root / "designkit" / "locale"
    table = extract.domains(locale_dir)
    po_dir = locale_dir / lang.replace("-", "_") / "LC_MESSAGES"
    for domain, files in extract.domain_files(root, table).items():
        pot_path = locale_dir / f"{domain}.pot"
        pot = extract.template(domain, files, root)
        po_path = po_dir / f"{domain}.po"
        if not len(pot) and not po_path.exists():
            continue  # no message yet: no empty files
        out.files[rel(pot_path)] = extract.keep(pot_path, extract.po_bytes(pot))
        if pot_path.exists() and out.files[rel(pot_path)] == pot_path.read_bytes():
            pot.creation_date = extract.read(pot_path, lang).creation_date  # unchanged: the .po keeps its header
        po = extract.updated(po_path, pot, lang)
        out.files[rel(po_path)] = extract.keep(po_path, extract.po_bytes(po))
        counts = extract.status(po)
        out.counts[f"gettext {domain}"] = counts
        if counts["untranslated"] or counts["stale"]:
            out.todo.append(f"{rel(po_path)}: {counts['untranslated']} untranslated, {counts['stale']} fuzzy")

    catalogues = []
    for en in catalog.english_files(root):
        data = catalog.refresh(en, lang, root)
        catalogues.append(data)
        path = catalog.catalogue_path(en, lang, root)
        out.files[rel(path)] = catalog.dumps(data).encode("utf-8")
        units = catalog.status({"units": data["units"]})
        strings = catalog.status({"strings": data["strings"]})
        _add(out.counts.setdefault("units", {}), units)
        _add(out.counts.setdefault("strings", {}), strings)
        left = units["untranslated"] + strings["untranslated"]
        if left or units["stale"]:
            out.todo.append(f"{rel(path)}: {left} untranslated, {units['stale']} stale")
    course_po = po_dir / f"{extract.COURSE_DOMAIN}.po"
    out.files[rel(course_po)] = extract.keep(course_po, extract.po_bytes(extract.course_catalog(catalogues, lang)))

    out.generated = generate(root, lang)
    out.files.update(out.generated.files)
    patterns = generated_roots(lang)
    for path in sorted([*(root / "course" / lang).rglob("*"), *(root / "source").rglob("*")]):
        r = rel(path)
        if (path.is_file() and any(fnmatch.fnmatchcase(r, p) for p in patterns) and r not in out.files
                and not {".ipynb_checkpoints", "__pycache__"} & set(path.parts)):
            out.remove.append(r)
    return out


def differences(p: Plan, root: Path = catalog.ROOT) -> list[str]:
    """The paths whose content on disk is not what the build writes (or that the build removes)."""
    stale = []
    for r, data in p.files.items():
        path = root / r
        old = path.read_bytes() if path.exists() else None  # .po/.pot texts that differ only in dates are kept
        if old != data:
            stale.append(r)
    return stale + p.remove


def apply(p: Plan, root: Path = catalog.ROOT) -> list[str]:
    """Write what changed and remove what is gone; returns the paths touched."""
    touched = differences(p, root)
    for r in touched:
        path = root / r
        if r in p.remove:
            path.unlink()
            print(f"removed {r} (its English source is gone)")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(p.files[r])
    return touched


def summary(p: Plan, lang: str) -> tuple[str, int]:
    """The closing lines of the build and the number of things left to translate."""
    units, strings = p.counts.get("units", {}), p.counts.get("strings", {})
    gettext = {"current": 0, "untranslated": 0, "stale": 0}
    for key, counts in p.counts.items():
        if key.startswith("gettext "):
            _add(gettext, counts)
    untranslated = units.get("untranslated", 0) + strings.get("untranslated", 0) + gettext["untranslated"]
    stale = units.get("stale", 0) + gettext["stale"]
    fallbacks = p.generated.fallbacks if p.generated else {}
    lines = [
        *p.todo,
        *(p.generated.problems if p.generated else []),
        f"{lang}: {untranslated} untranslated, {stale} stale "
        f"(notebook cells and document sections: {units.get('untranslated', 0)} untranslated, "
        f"{units.get('stale', 0)} stale of {sum(units.values())}; code strings: {strings.get('untranslated', 0)} "
        f"untranslated of {sum(strings.values())}; gettext messages: {gettext['untranslated']} untranslated, "
        f"{gettext['stale']} fuzzy of {sum(gettext.values())})",
        f"{lang}: {len(p.generated.files) if p.generated else 0} generated files, "
        f"{len(fallbacks)} of them with English fallbacks ({sum(map(len, fallbacks.values()))} units)",
    ]
    return "\n".join(lines), untranslated + stale


def main(argv: list[str] | None = None) -> int:
    """``python -m designkit.i18n build [--check]``."""
    parser = argparse.ArgumentParser(prog="python -m designkit.i18n", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build"])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if anything is untranslated or stale or a file is out of date")
    parser.add_argument("--root", type=Path, default=catalog.ROOT, help="the checkout (default: this one)")
    args = parser.parse_args(argv)
    failed = False
    for lang in LANGS:
        p = plan(args.root, lang)
        if args.check:
            out_of_date = differences(p, args.root)
            for r in out_of_date:
                print(f"out of date: {r} (run make translations and commit)")
            failed |= bool(out_of_date)
        else:
            touched = apply(p, args.root)
            print(f"{lang}: {len(touched)} files written or removed")
        text, left = summary(p, lang)
        print(text)
        failed |= args.check and left > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
